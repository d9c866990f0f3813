//! The one data-access module. Works on SQLite and PostgreSQL, chosen by the URL scheme at
//! run time, with the same parameterised SQL (`$1` placeholders work in both under sqlx).

use shared::{
    quota::{QuotaSnapshot, QuotaStatus},
    Policy, Region,
};
use sqlx::{
    any::AnyPoolOptions,
    migrate::{MigrateError, Migrator},
    AnyConnection, AnyPool, Connection, Row,
};
use std::{
    collections::BTreeMap,
    path::{Path, PathBuf},
    time::Duration,
};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// The seed name recorded when the demo data is loaded.
const DEMO_SEED: &str = "demo-v1";

/// How long a request waits for a pooled connection before the database counts as down.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// How long startup waits for the database to accept a connection.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The backend named by a database URL's scheme.
    pub fn from_url(url: &str) -> Result<Backend, StoreError> {
        let scheme = url.split_once(':').map(|(s, _)| s).unwrap_or_default();
        match scheme {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" | "postgresql" => Ok(Backend::Postgres),
            _ => Err(StoreError::UnsupportedUrl(redact(url))),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database URL `{0}`: use sqlite://… or postgres://…")]
    UnsupportedUrl(String),
    #[error("cannot use the SQLite database URL `{url}`: {problem}")]
    SqliteUrl { url: String, problem: &'static str },
    #[error("cannot create the directory for the SQLite database {path}: {source}")]
    CreateDir {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot connect to the database `{url}`: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("database migration failed: {0}")]
    Migrate(#[from] MigrateError),
    #[error("database error: {0}")]
    Query(#[from] sqlx::Error),
    #[error("a stored row is not valid: {0}")]
    Corrupt(String),
    #[error("stored quota for {region} {year} is out of range")]
    BadQuota { region: String, year: i32 },
}

/// A pool of connections to the portal's database.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
}

impl Store {
    /// Connects to `url`. A SQLite database file that does not exist yet is created, with
    /// its directory, as people expect of an embedded database (see [`SqliteTarget`]), so
    /// `sqlite://data/qonys.db` works in a fresh checkout.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        let backend = Backend::from_url(url)?;
        let connect_url = match backend {
            Backend::Sqlite => {
                let target = SqliteTarget::from_url(url)?;
                if target.create {
                    create_dir_of(&target.file)?;
                }
                target.url
            }
            Backend::Postgres => url.to_string(),
        };
        sqlx::any::install_default_drivers();
        // One plain connection first: a pool would retry until its timeout and report
        // only "timed out", hiding the cause (refused, bad password, no such database).
        let connect = |source| StoreError::Connect {
            url: redact(url),
            source,
        };
        let first = tokio::time::timeout(CONNECT_TIMEOUT, AnyConnection::connect(&connect_url))
            .await
            .map_err(|_| connect(sqlx::Error::PoolTimedOut))?
            .map_err(connect)?;
        first.close().await.map_err(connect)?;
        let pool = AnyPoolOptions::new()
            .max_connections(10)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect(&connect_url)
            .await
            .map_err(connect)?;
        Ok(Store { pool, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection pool, for the modules that keep their own tables.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Applies the embedded migrations of this backend.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        let migrator = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        migrator.run(&self.pool).await?;
        Ok(())
    }

    /// One round-trip to the database.
    pub async fn ping(&self) -> Result<(), StoreError> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// Closes every connection; later queries fail (used for shutdown and tests).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// The quotas of `year` for the resettlement regions of the current policy. Regions
    /// without a quota row are absent, which rule E7 reports as "no quota set".
    pub async fn quotas(&self, year: i32) -> Result<QuotaSnapshot, StoreError> {
        let rows = sqlx::query("SELECT region, quota, used FROM quotas WHERE year = $1")
            .bind(year)
            .fetch_all(&self.pool)
            .await?;
        let policy = Policy::current();
        let mut regions = BTreeMap::new();
        for row in rows {
            let id: String = row.try_get("region")?;
            let quota: i64 = row.try_get("quota")?;
            let used: i64 = row.try_get("used")?;
            let Some(region) = Region::from_id(&id).filter(|r| policy.is_destination(*r)) else {
                tracing::warn!(region = %id, year, "ignoring a quota of a region that is not a resettlement region");
                continue;
            };
            let (Ok(quota), Ok(used)) = (u32::try_from(quota), u32::try_from(used)) else {
                return Err(StoreError::BadQuota { region: id, year });
            };
            regions.insert(region, QuotaStatus::new(quota, used));
        }
        Ok(QuotaSnapshot::new(year, regions))
    }

    /// Sets a region's quota and places used for a year, replacing any earlier value.
    pub async fn set_quota(
        &self,
        region: Region,
        year: i32,
        quota: u32,
        used: u32,
    ) -> Result<(), StoreError> {
        let (quota, used) = (to_db_int(quota)?, to_db_int(used)?);
        sqlx::query(
            "INSERT INTO quotas (region, year, quota, used) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (region, year) DO UPDATE SET quota = excluded.quota, used = excluded.used",
        )
        .bind(region.id())
        .bind(year)
        .bind(quota)
        .bind(used)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Loads the demo quotas once per database. Returns false when they were loaded before:
    /// staff may have changed the numbers since, and those changes must survive a restart
    /// with `--demo`.
    pub async fn seed_demo(&self) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let claimed = sqlx::query(
            "INSERT INTO seed_runs (name, applied_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(DEMO_SEED)
        .bind(chrono::Utc::now().to_rfc3339())
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !claimed {
            tx.rollback().await?;
            return Ok(false);
        }
        for q in crate::demo::quotas(Policy::current()) {
            sqlx::query(
                "INSERT INTO quotas (region, year, quota, used) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (region, year) DO NOTHING",
            )
            .bind(q.region.id())
            .bind(q.year)
            .bind(to_db_int(q.quota)?)
            .bind(to_db_int(q.used)?)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}

/// Quotas are stored as SQL INTEGER (32-bit on PostgreSQL).
fn to_db_int(n: u32) -> Result<i32, StoreError> {
    i32::try_from(n).map_err(|e| StoreError::Query(sqlx::Error::Encode(Box::new(e))))
}

/// A SQLite database URL as the server reads it, and the URL it hands to sqlx.
///
/// Accepted forms, as sqlx reads them: `sqlite://relative/path.db`,
/// `sqlite:///absolute/path.db` and `sqlite:relative/path.db`, with `%XX` escapes in the
/// path and any of sqlx's query parameters (`mode`, `cache`, `immutable`, `vfs`). Without a
/// `mode` the file is created when missing (`mode=rwc`), as people expect of an embedded
/// database; an explicit `mode=rw` or `mode=ro` opens only an existing file. An in-memory
/// database (`sqlite::memory:`, `mode=memory`) is refused: the server's pool opens and
/// closes connections, so its data would vanish, quotas included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqliteTarget {
    /// The database file; relative to the working directory when the URL's path is.
    pub file: PathBuf,
    /// Whether a missing file (and its directory) is created.
    pub create: bool,
    /// The URL to connect with: the file's absolute path, so no part of a relative path
    /// can be read as a URL's host, and the query with `mode=rwc` added when it had no mode.
    pub url: String,
}

impl SqliteTarget {
    pub fn from_url(url: &str) -> Result<SqliteTarget, StoreError> {
        let problem = |problem| StoreError::SqliteUrl {
            url: redact(url),
            problem,
        };
        let rest = url
            .strip_prefix("sqlite:")
            .ok_or_else(|| StoreError::UnsupportedUrl(redact(url)))?;
        let (path, query) = match rest.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (rest, None),
        };
        let path = path.strip_prefix("//").unwrap_or(path);
        let path = percent_decode(path)
            .ok_or_else(|| problem("the file name is not valid UTF-8 once %-escapes are read"))?;
        let params: Vec<&str> = query
            .unwrap_or_default()
            .split('&')
            .filter(|p| !p.is_empty())
            .collect();
        let mut mode = None;
        for param in &params {
            let (key, value) = param.split_once('=').unwrap_or((param, ""));
            if percent_decode(key).as_deref() == Some("mode") {
                mode = Some(percent_decode(value).unwrap_or_default());
            }
        }
        const IN_MEMORY: &str = "an in-memory database would lose its data (quotas included) \
            whenever its connections close; name a file, e.g. sqlite://data/qonys.db";
        if path == ":memory:" || mode.as_deref() == Some("memory") {
            return Err(problem(IN_MEMORY));
        }
        if path.is_empty() || path.ends_with('/') {
            return Err(problem(
                "it names no database file; write e.g. sqlite://data/qonys.db",
            ));
        }
        let file = PathBuf::from(&path);
        let absolute = if file.is_absolute() {
            file.clone()
        } else {
            std::env::current_dir()
                .map_err(|_| {
                    problem("the working directory is unknown, so a relative path cannot be used")
                })?
                .join(&file)
        };
        let create = mode.is_none() || mode.as_deref() == Some("rwc");
        let mut connect = format!("sqlite://{}", percent_encode(&absolute.to_string_lossy()));
        let mut query: Vec<&str> = params;
        if mode.is_none() {
            query.push("mode=rwc");
        }
        connect.push('?');
        connect.push_str(&query.join("&"));
        Ok(SqliteTarget {
            file,
            create,
            url: connect,
        })
    }
}

/// `%XX` escapes read as bytes, as sqlx reads a SQLite URL's path; `None` when the bytes
/// are not UTF-8. A `%` not followed by two hex digits stays as it is.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, _, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Escapes every byte of a path but letters, digits, `/` and `-._~`, so that the URL
/// parser keeps it as it is and sqlx's decoding gives the path back.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// SQLite creates a missing database file but not its directory.
fn create_dir_of(file: &Path) -> Result<(), StoreError> {
    match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                path: file.display().to_string(),
                source,
            })
        }
        _ => Ok(()),
    }
}

/// The URL without its password, for messages and logs.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("postgres://qonys:secret@db:5432/qonys?sslmode=require"),
            "postgres://qonys:***@db:5432/qonys?sslmode=require"
        );
        assert_eq!(
            redact("sqlite://data/qonys.db?mode=rwc"),
            "sqlite://data/qonys.db?mode=rwc"
        );
    }

    #[test]
    fn sqlite_urls_name_a_file_that_is_created_unless_a_mode_says_otherwise() {
        let cwd = std::env::current_dir().unwrap();
        let here = |path: &str| {
            format!(
                "sqlite://{}",
                percent_encode(&cwd.join(path).to_string_lossy())
            )
        };
        let target = |url| SqliteTarget::from_url(url).unwrap();
        for (url, file, create, connect) in [
            (
                "sqlite://data/new.db",
                "data/new.db",
                true,
                format!("{}?mode=rwc", here("data/new.db")),
            ),
            (
                "sqlite:///srv/qonys/q.db",
                "/srv/qonys/q.db",
                true,
                "sqlite:///srv/qonys/q.db?mode=rwc".to_string(),
            ),
            (
                "sqlite:q.db",
                "q.db",
                true,
                format!("{}?mode=rwc", here("q.db")),
            ),
            (
                "sqlite://data/qonys.db?mode=rwc",
                "data/qonys.db",
                true,
                format!("{}?mode=rwc", here("data/qonys.db")),
            ),
            // Other parameters are kept, in their order.
            (
                "sqlite:///srv/q.db?cache=private&immutable=false",
                "/srv/q.db",
                true,
                "sqlite:///srv/q.db?cache=private&immutable=false&mode=rwc".to_string(),
            ),
            // An explicit mode is the person's choice: an existing file only.
            (
                "sqlite:///srv/q.db?mode=ro",
                "/srv/q.db",
                false,
                "sqlite:///srv/q.db?mode=ro".to_string(),
            ),
            (
                "sqlite:///srv/q.db?cache=shared&mode=rw",
                "/srv/q.db",
                false,
                "sqlite:///srv/q.db?cache=shared&mode=rw".to_string(),
            ),
            // Escapes are read, and written again so the URL parser keeps them.
            (
                "sqlite:///srv/my%20data/q%23.db",
                "/srv/my data/q#.db",
                true,
                "sqlite:///srv/my%20data/q%23.db?mode=rwc".to_string(),
            ),
            // A relative path whose first part a URL parser would take for a host.
            (
                "sqlite://user@host:port/q.db",
                "user@host:port/q.db",
                true,
                format!("{}?mode=rwc", here("user@host:port/q.db")),
            ),
        ] {
            let t = target(url);
            assert_eq!(t.file, PathBuf::from(file), "{url}");
            assert_eq!(t.create, create, "{url}");
            assert_eq!(t.url, connect, "{url}");
        }
    }

    #[test]
    fn sqlite_urls_without_a_file_are_refused_with_a_reason() {
        for url in [
            "sqlite::memory:",
            "sqlite://:memory:",
            "sqlite:///srv/q.db?mode=memory",
            "sqlite://?mode=memory",
            "sqlite:",
            "sqlite://",
            "sqlite:///",
            "sqlite://data/?mode=rwc",
            "sqlite:///srv/%FF.db",
        ] {
            let error = SqliteTarget::from_url(url).unwrap_err();
            assert!(
                matches!(error, StoreError::SqliteUrl { .. }),
                "{url}: {error}"
            );
            let text = error.to_string();
            assert!(text.contains(url) && !text.contains('\n'), "{text}");
        }
        let memory = SqliteTarget::from_url("sqlite::memory:").unwrap_err();
        assert!(memory.to_string().contains("in-memory"), "{memory}");
    }

    #[test]
    fn percent_escapes_round_trip() {
        for path in ["/a b/c#d?.db", "данные/q.db", "100%.db", "/x/%41.db"] {
            assert_eq!(percent_decode(&percent_encode(path)).as_deref(), Some(path));
        }
        assert_eq!(percent_decode("a%2").as_deref(), Some("a%2"));
        assert_eq!(percent_decode("%zz").as_deref(), Some("%zz"));
        assert_eq!(percent_decode("%c3%a9").as_deref(), Some("é"));
        assert_eq!(percent_decode("%ff"), None);
    }

    #[test]
    fn backend_follows_the_scheme() {
        assert_eq!(
            Backend::from_url("sqlite::memory:").unwrap(),
            Backend::Sqlite
        );
        assert_eq!(
            Backend::from_url("postgresql://x/y").unwrap(),
            Backend::Postgres
        );
        assert!(Backend::from_url("mysql://x/y").is_err());
        assert!(Backend::from_url("data/qonys.db").is_err());
    }
}

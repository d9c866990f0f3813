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
use std::{collections::BTreeMap, path::Path, time::Duration};

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
    /// Connects to `url`. For SQLite the database file's directory is created first, so
    /// `sqlite://data/qonys.db?mode=rwc` works in a fresh checkout.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        let backend = Backend::from_url(url)?;
        if backend == Backend::Sqlite {
            create_sqlite_dir(url)?;
        }
        sqlx::any::install_default_drivers();
        // One plain connection first: a pool would retry until its timeout and report
        // only "timed out", hiding the cause (refused, bad password, no such database).
        let connect = |source| StoreError::Connect {
            url: redact(url),
            source,
        };
        let first = tokio::time::timeout(CONNECT_TIMEOUT, AnyConnection::connect(url))
            .await
            .map_err(|_| connect(sqlx::Error::PoolTimedOut))?
            .map_err(connect)?;
        first.close().await.map_err(connect)?;
        let pool = AnyPoolOptions::new()
            .max_connections(10)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect(url)
            .await
            .map_err(connect)?;
        Ok(Store { pool, backend })
    }

    pub fn backend(&self) -> Backend {
        self.backend
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

/// SQLite creates a missing database file (with `mode=rwc`) but not its directory.
fn create_sqlite_dir(url: &str) -> Result<(), StoreError> {
    let rest = url.trim_start_matches("sqlite:").trim_start_matches("//");
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path.starts_with(":memory:") {
        return Ok(());
    }
    match Path::new(path).parent() {
        Some(dir) if !dir.as_os_str().is_empty() => {
            std::fs::create_dir_all(dir).map_err(|source| StoreError::CreateDir {
                path: path.to_string(),
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

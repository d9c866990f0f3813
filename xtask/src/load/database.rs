//! The database of one run: a fresh SQLite file, or a fresh PostgreSQL database created on
//! the server `QONYS_TEST_POSTGRES` names and dropped when the run ends (the server binary
//! only migrates a database that exists).

use anyhow::{bail, Context, Result};
use sqlx::{Connection, Executor, PgConnection};
use std::{fmt, fs, path::Path};

/// The variable naming the PostgreSQL server, as for the server's tests.
pub const POSTGRES_ENV: &str = "QONYS_TEST_POSTGRES";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        })
    }
}

/// The PostgreSQL server's URL, if one is configured.
pub fn postgres_server() -> Option<String> {
    std::env::var(POSTGRES_ENV)
        .ok()
        .filter(|url| !url.is_empty())
}

/// A database for one run; a PostgreSQL one is dropped with it.
pub struct Database {
    pub url: String,
    postgres: Option<(String, String)>,
}

impl Database {
    /// A fresh, empty database; a SQLite file goes in `work`.
    pub fn create(backend: Backend, work: &Path) -> Result<Database> {
        match backend {
            Backend::Sqlite => {
                let file = work.join("load.db");
                for suffix in ["", "-wal", "-shm"] {
                    let _ = fs::remove_file(format!("{}{suffix}", file.display()));
                }
                Ok(Database {
                    url: format!("sqlite://{}?mode=rwc", file.display()),
                    postgres: None,
                })
            }
            Backend::Postgres => {
                let Some(server) = postgres_server() else {
                    bail!("set {POSTGRES_ENV}=postgres://… to run on PostgreSQL");
                };
                let name = format!("qonys_load_{}", std::process::id());
                execute(
                    &server,
                    &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                )?;
                execute(&server, &format!("CREATE DATABASE {name}"))
                    .with_context(|| format!("creating database {name} on {POSTGRES_ENV}"))?;
                Ok(Database {
                    url: with_database(&server, &name),
                    postgres: Some((server, name)),
                })
            }
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if let Some((server, name)) = &self.postgres {
            let sql = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
            if let Err(e) = execute(server, &sql) {
                eprintln!("could not drop database {name}: {e:#}");
            }
        }
    }
}

/// One statement outside a transaction (`CREATE DATABASE` cannot run in one).
fn execute(server: &str, sql: &str) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut connection = PgConnection::connect(server)
            .await
            .with_context(|| format!("{POSTGRES_ENV}: cannot connect"))?;
        connection.execute(sql).await?;
        connection.close().await?;
        Ok(())
    })
}

/// `url` naming database `name` instead of its own; its query (options) kept.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let authority_end = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{name}", &base[..authority_end]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_run_database_replaces_the_servers_own() {
        assert_eq!(
            with_database("postgres://q:p@127.0.0.1:5432/postgres", "run"),
            "postgres://q:p@127.0.0.1:5432/run"
        );
        assert_eq!(
            with_database("postgres://q@db?sslmode=disable", "run"),
            "postgres://q@db/run?sslmode=disable"
        );
    }
}

//! The server's settings: command line first, then environment, then defaults.

use clap::Args;
use std::{net::SocketAddr, path::PathBuf};

/// Everything the server needs to start. Parsed as part of [`crate::cli::Cli`], whose
/// subcommands share `--database`.
#[derive(Debug, Clone, Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "QONYS_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Database URL: `sqlite://…` or `postgres://…`. The default SQLite file (and its
    /// directory) is created when missing. Applies to the subcommands too.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/qonys.db?mode=rwc",
        global = true
    )]
    pub database: String,

    /// Load the demo data (quotas for 2024–2026, accounts of every role) unless it was
    /// loaded before.
    #[arg(long)]
    pub demo: bool,

    /// Directory of the built web app (`cargo xtask dist`).
    #[arg(long, env = "QONYS_SITE", default_value = "target/site")]
    pub site: PathBuf,

    /// Act as if today were this day (YYYY-MM-DD) instead of today's UTC date: for
    /// rehearsals and tests that need months to pass. Audit and ledger times stay real.
    #[arg(long, env = "QONYS_TODAY")]
    pub today: Option<chrono::NaiveDate>,

    /// Log as JSON lines instead of text (for log collectors).
    #[arg(long, env = "QONYS_LOG_JSON")]
    pub log_json: bool,
}

/// How the server learns that a client reached it over HTTPS, and who the client is.
///
/// The session cookie is marked `Secure` when `--secure-cookies` is given, or, with
/// `--trust-proxy`, when the proxy's `X-Forwarded-Proto` says `https`. Without
/// `--trust-proxy` the `X-Forwarded-*` headers are ignored: any client could send them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Args)]
pub struct HttpSettings {
    /// Mark the session cookie `Secure` on every answer: the site is only reached over
    /// HTTPS (e.g. TLS ends at a proxy that sends no `X-Forwarded-Proto`).
    #[arg(long, env = "QONYS_SECURE_COOKIES")]
    pub secure_cookies: bool,

    /// The server sits behind one reverse proxy that sets `X-Forwarded-Proto` (`https` makes
    /// the cookie `Secure`), appends the client's address to `X-Forwarded-For` (the last
    /// address counts for the sign-in limits) and may set `X-Forwarded-Host` (compared with
    /// `Origin`). Only with a proxy that overwrites or appends these headers.
    #[arg(long, env = "QONYS_TRUST_PROXY")]
    pub trust_proxy: bool,
}

//! The server's settings: command line first, then environment, then defaults.

use clap::Parser;
use std::{net::SocketAddr, path::PathBuf};

/// Everything the server needs to start.
#[derive(Debug, Clone, Parser)]
#[command(
    name = "server",
    version,
    about = "Qonys portal: the public API and the web app"
)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "QONYS_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// Database URL: `sqlite://…` or `postgres://…`. The default SQLite file (and its
    /// directory) is created when missing.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/qonys.db?mode=rwc"
    )]
    pub database: String,

    /// Load the demo data (quotas for 2024–2026) unless it was loaded before.
    #[arg(long)]
    pub demo: bool,

    /// Directory of the built web app (`cargo xtask dist`).
    #[arg(long, env = "QONYS_SITE", default_value = "target/site")]
    pub site: PathBuf,

    /// Log as JSON lines instead of text (for log collectors).
    #[arg(long, env = "QONYS_LOG_JSON")]
    pub log_json: bool,
}

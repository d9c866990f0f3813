//! `server --listen ADDR --database URL [--demo] [--site DIR]` serves; `server user add …`
//! and `server audit verify` administer the database. See [`server::cli`].

use clap::Parser;
use server::cli::Cli;
use std::process::ExitCode;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        None => {
            let filter =
                EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
            let logs = tracing_subscriber::fmt().with_env_filter(filter);
            if cli.config.log_json {
                logs.json().init();
            } else {
                logs.init();
            }
            match server::run(cli.config, cli.http).await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("server: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Some(command) => {
            // A command's own output is on standard output; logs, warnings only by
            // default, go to standard error.
            let filter =
                EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("warn"));
            tracing_subscriber::fmt()
                .with_env_filter(filter)
                .with_writer(std::io::stderr)
                .init();
            server::cli::execute(command, &cli.config).await
        }
    }
}

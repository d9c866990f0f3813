//! Project tasks, run as `cargo xtask <task>`:
//!
//! - `dist`       build the browser app into `target/site/` (hashed, pre-compressed files)
//! - `serve`      `dist`, the server, then serve with demo data on http://127.0.0.1:8080
//! - `test`       formatting, lints, all tests, browser end-to-end and wasm/native
//!   differential tests, Lighthouse
//! - `bench`      eligibility evaluations per second and the first-load size of the site
//! - `diff`       only the wasm/native differential test (part of `test`)
//! - `lighthouse` only the Lighthouse audit of every public page (part of `test`)
//! - `geo`        regenerate the region boundaries embedded in `shared` from `../shared/data`
//! - `load`       crash safety of the voucher ledger: payers under load, kill -9, ledger check

mod bench;
mod browser;
mod dist;
mod geo;
mod lighthouse;
mod load;
mod process;
mod pwa;
mod server;
mod test;
mod wasm_profile;

use anyhow::{bail, Result};
use std::{
    path::{Path, PathBuf},
    process::Command,
};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    let result = match task {
        "dist" => dist::run().map(|_| ()),
        "serve" => serve(),
        "test" => test::run(),
        "bench" => bench::run(),
        "diff" => test::differential_only(),
        "lighthouse" => lighthouse::run(),
        "geo" => geo::run(),
        "load" => load::run(&args[1..]),
        "help" | "--help" | "-h" => {
            print_help();
            Ok(())
        }
        other => {
            print_help();
            Err(anyhow::anyhow!("unknown task `{other}`"))
        }
    };
    if let Err(e) = result {
        eprintln!("\nxtask {task}: error: {e:#}");
        std::process::exit(1);
    }
}

fn print_help() {
    println!(
        "usage: cargo xtask <task>\n\n\
         tasks:\n  \
         dist        build the app into target/site\n  \
         serve       build, then serve the portal with demo data on http://127.0.0.1:8080\n  \
         test        fmt, clippy, all tests, browser and wasm/native differential tests, Lighthouse\n  \
         bench       eligibility evaluations per second and first-load size\n  \
         diff        only the wasm/native differential test of the rules\n  \
         lighthouse  only Lighthouse on every public page (mobile): performance >= 95,\n              \
         accessibility, best practices and SEO 100; reports in target/lighthouse\n  \
         geo         simplify ../shared/data/kz-adm1-2024.geojson into shared/src/geo/shapes.rs\n  \
         load        crash safety of the voucher ledger: concurrent payers and voucher jobs,\n              \
         kill -9 of the server halfway, then `server ledger check`; requests/s, p50/p99\n              \
         [--seconds 60] [--payers 16] [--database sqlite|postgres|both]"
    );
}

/// `dist`, then the server with demo data on embedded SQLite (`data/qonys.db`). The
/// address is printed once the server answers, not before the builds.
fn serve() -> Result<()> {
    println!("\nQonys: building the app…");
    let site = dist::run()?;
    println!("\nQonys: building the server…");
    process::run(
        "cargo build -p server",
        process::cargo().args(["build", "--package", "server"]),
    )?;
    let listen = std::env::var("QONYS_LISTEN").unwrap_or_else(|_| "127.0.0.1:8080".into());
    println!("\nQonys: starting the server on {listen}…");
    let mut cmd = Command::new(server::binary());
    cmd.args(["--demo", "--listen", &listen])
        .arg("--site")
        .arg(&site.dir);
    let server = server::start_attached(&mut cmd, &listen)?;
    println!("\nQonys: open http://{listen}/  (Ctrl-C stops)\n");
    let status = server.wait()?;
    if !status.success() {
        bail!("the server exited with {status}");
    }
    Ok(())
}

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

/// Cargo's target directory, honouring `CARGO_TARGET_DIR`.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|p| if p.is_absolute() { p } else { root().join(p) })
        .unwrap_or_else(|| root().join("target"))
}

//! Project tasks, run as `cargo xtask <task>`:
//!
//! - `dist`  build the browser app into `target/site/` (hashed, pre-compressed files)
//! - `serve` `dist`, then the server with demo data on http://127.0.0.1:8080
//! - `test`  formatting, lints, all tests, browser end-to-end and wasm/native differential tests
//! - `bench` eligibility evaluations per second and the first-load size of the site
//! - `diff`  only the wasm/native differential test (part of `test`)

mod bench;
mod browser;
mod dist;
mod process;
mod test;

use anyhow::{bail, Result};
use std::path::{Path, PathBuf};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = args.first().map(String::as_str).unwrap_or("help");
    let result = match task {
        "dist" => dist::run().map(|_| ()),
        "serve" => serve(),
        "test" => test::run(),
        "bench" => bench::run(),
        "diff" => test::differential_only(),
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
         dist    build the app into target/site\n  \
         serve   build, then serve the portal with demo data on http://127.0.0.1:8080\n  \
         test    fmt, clippy, all tests, browser and wasm/native differential tests\n  \
         bench   eligibility evaluations per second and first-load size\n  \
         diff    only the wasm/native differential test of the rules"
    );
}

/// `dist`, then the server with demo data on embedded SQLite.
fn serve() -> Result<()> {
    dist::run()?;
    let listen = std::env::var("QONYS_LISTEN").unwrap_or_else(|_| "127.0.0.1:8080".into());
    println!("\nQonys: open http://{listen}/  (Ctrl-C stops)\n");
    let status = process::cargo()
        .args([
            "run",
            "--package",
            "server",
            "--",
            "--demo",
            "--listen",
            &listen,
        ])
        .arg("--site")
        .arg(dist::site_dir())
        .current_dir(root())
        .status()?;
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

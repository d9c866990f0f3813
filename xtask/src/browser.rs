//! What the browser tests need: Debian's Chromium, Node.js with npm, and the test packages.

use crate::process::{self, on_path};
use anyhow::{bail, Result};
use std::{path::PathBuf, process::Command};

pub struct BrowserTools {
    pub chromium: PathBuf,
}

/// Chromium and Node.js if both are installed, or why not.
pub fn find() -> Result<BrowserTools, String> {
    let chromium = std::env::var_os("QONYS_CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| on_path("chromium"))
        .or_else(|| on_path("chromium-browser"))
        .ok_or("Chromium is not installed")?;
    on_path("node").ok_or("Node.js is not installed")?;
    on_path("npm").ok_or("npm is not installed")?;
    Ok(BrowserTools { chromium })
}

pub const INSTALL_HINT: &str =
    "install them with: sudo apt-get install -y chromium chromium-driver nodejs npm";

/// Installs the pinned test packages (playwright-core drives the system Chromium and
/// downloads nothing; axe-core checks accessibility) unless they are already in place.
pub fn ensure_node_packages() -> Result<()> {
    let e2e = crate::root().join("e2e");
    let installed = e2e.join("node_modules/.package-lock.json");
    let lock = e2e.join("package-lock.json");
    let fresh = match (installed.metadata(), lock.metadata()) {
        (Ok(i), Ok(l)) => i.modified()? >= l.modified()?,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    process::run(
        "npm ci (e2e test packages)",
        Command::new("npm").args([
            "ci",
            "--prefix",
            "e2e",
            "--no-audit",
            "--no-fund",
            "--ignore-scripts",
        ]),
    )
}

/// Runs one `node --test` file with extra environment.
pub fn node_test(file: &str, tools: &BrowserTools, env: &[(&str, String)]) -> Result<()> {
    let mut cmd = Command::new("node");
    cmd.args(["--test", "--test-concurrency=1", file])
        .env("QONYS_CHROMIUM", &tools.chromium);
    for (k, v) in env {
        cmd.env(k, v);
    }
    process::run(&format!("browser test {file}"), &mut cmd)?;
    Ok(())
}

pub fn require_or_skip(ci: bool) -> Result<Option<BrowserTools>> {
    match find() {
        Ok(tools) => Ok(Some(tools)),
        Err(why) if ci => bail!("{why}: CI must run the browser tests; {INSTALL_HINT}"),
        Err(why) => {
            println!(
                "\n*** SKIPPED: browser end-to-end and wasm/native differential tests — {why}.\n    \
                 To run them, {INSTALL_HINT}\n"
            );
            Ok(None)
        }
    }
}

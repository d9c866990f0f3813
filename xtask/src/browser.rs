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

pub const INSTALL_HINT: &str = "install them with: sudo apt-get install -y chromium nodejs && \
     (command -v npm >/dev/null || sudo apt-get install -y npm)";

/// Installs the pinned test packages (playwright-core drives the system Chromium and
/// downloads nothing; axe-core checks accessibility; Lighthouse and chrome-launcher audit the
/// pages) unless they are already in place. `--ignore-scripts`: no install script runs, so
/// nothing downloads a browser.
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

/// Runs `node --test` files (relative to the workspace root), one after the other in one
/// invocation, with extra environment.
pub fn node_test(files: &[String], tools: &BrowserTools, env: &[(&str, String)]) -> Result<()> {
    let mut cmd = Command::new("node");
    cmd.args(["--test", "--test-concurrency=1"])
        .args(files)
        .env("QONYS_CHROMIUM", &tools.chromium);
    for (k, v) in env {
        cmd.env(k, v);
    }
    process::run(&format!("browser tests {}", files.join(" ")), &mut cmd)?;
    Ok(())
}

/// Every `e2e/*.test.mjs` that runs against the server, sorted: all but the wasm/native
/// differential test, which has its own step.
pub fn end_to_end_files() -> Result<Vec<String>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(crate::root().join("e2e"))? {
        let name = entry?.file_name().to_string_lossy().into_owned();
        if name.ends_with(".test.mjs") && name != "wasm-diff.test.mjs" {
            files.push(format!("e2e/{name}"));
        }
    }
    files.sort();
    if files.is_empty() {
        bail!("no e2e/*.test.mjs files to run");
    }
    Ok(files)
}

pub fn require_or_skip(ci: bool) -> Result<Option<BrowserTools>> {
    match find() {
        Ok(tools) => Ok(Some(tools)),
        Err(why) if ci => bail!("{why}: CI must run the browser tests; {INSTALL_HINT}"),
        Err(why) => {
            println!(
                "\n*** SKIPPED: browser end-to-end tests, wasm/native differential test and \
                 Lighthouse audits — {why}.\n    \
                 To run them, {INSTALL_HINT}\n"
            );
            Ok(None)
        }
    }
}

//! `cargo xtask test`: everything CI checks, in the order that fails fastest.

use crate::{browser, dist, lighthouse, load, process, server};
use anyhow::{bail, Result};
use std::{
    fs,
    path::{Path, PathBuf},
};

pub fn run() -> Result<()> {
    let ci = std::env::var_os("CI").is_some();
    let mut done: Vec<&str> = Vec::new();

    process::run(
        "formatting (cargo fmt --check)",
        process::cargo().args(["fmt", "--all", "--", "--check"]),
    )?;
    done.push("formatting");

    process::run(
        "lints, native (cargo clippy -D warnings)",
        process::cargo().args([
            "clippy",
            "--workspace",
            "--all-targets",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    dist::ensure_wasm_target()?;
    process::run(
        "lints, wasm32 (cargo clippy -D warnings)",
        process::cargo().args([
            "clippy",
            "--package",
            "app",
            "--package",
            "wasm-diff",
            "--target",
            dist::WASM_TARGET,
            // The browser build of the app, as `dist` makes it.
            "--no-default-features",
            "--features",
            "app/csr",
            "--",
            "-D",
            "warnings",
        ]),
    )?;
    done.push("lints");

    match std::env::var("QONYS_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => println!("\nserver tests will also run on PostgreSQL"),
        _ if ci => bail!("CI must run the server tests on PostgreSQL: set QONYS_TEST_POSTGRES"),
        _ => println!(
            "\n*** NOTE: QONYS_TEST_POSTGRES is not set: server tests run on SQLite only.\n    \
             Set it to a PostgreSQL URL (e.g. postgres://user:pass@127.0.0.1/postgres) to run them on PostgreSQL too."
        ),
    }
    process::run(
        "all workspace tests (cargo test)",
        process::cargo().args(["test", "--workspace"]),
    )?;
    done.push("workspace tests");

    let site = dist::run()?;
    done.push("dist");

    if let Some(tools) = browser::require_or_skip(ci)? {
        browser::ensure_node_packages()?;
        differential(&tools)?;
        done.push("wasm/native differential");
        served(&tools, &site.dir, &mut done)?;
    }

    println!("\n==> crash safety (short): payers, kill -9 of the server, ledger check");
    load::short(&built_server()?)?;
    done.push("crash safety (short)");

    println!("\nxtask test: all steps passed: {}", done.join(", "));
    println!("xtask: {} passed, 0 failed", done.len());
    Ok(())
}

/// The browser end-to-end tests, then Lighthouse, against one demo server.
fn served(tools: &browser::BrowserTools, site: &Path, done: &mut Vec<&'static str>) -> Result<()> {
    let server = server::start_demo(&built_server()?, site, &crate::target_dir().join("e2e"))?;
    if let Err(e) = end_to_end(tools, &server, site) {
        server.point_at_log();
        return Err(e);
    }
    done.push("browser end-to-end");
    if let Err(e) = lighthouse::audit(tools, &server.url(), site, lighthouse::Sweep::Short) {
        server.point_at_log();
        return Err(e);
    }
    done.push("Lighthouse");
    Ok(())
}

/// The debug server binary, built by `cargo test --workspace` above (see `server::binary`).
fn built_server() -> Result<PathBuf> {
    let binary = server::binary();
    if !binary.is_file() {
        bail!(
            "{} is missing: the workspace tests build it",
            binary.display()
        );
    }
    Ok(binary)
}

/// Just the differential test, for working on the rules.
pub fn differential_only() -> Result<()> {
    let ci = std::env::var_os("CI").is_some();
    if let Some(tools) = browser::require_or_skip(ci)? {
        browser::ensure_node_packages()?;
        differential(&tools)?;
    }
    Ok(())
}

/// The same generated cases through the native and the wasm build of the rules.
fn differential(tools: &browser::BrowserTools) -> Result<()> {
    let seed: u64 = std::env::var("QONYS_DIFF_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(2026);
    let count = 1500;
    println!("\n==> wasm/native differential: {count} generated cases, seed {seed}");
    let dir = crate::target_dir().join("wasm-diff");
    let wasm = dist::build_wasm("wasm-diff", "the rules for the differential test")?
        .join("wasm_diff.wasm");
    dist::bindgen(&wasm, &dir, "wasm_diff")?;
    let cases = serde_json::to_string(&wasm_diff::generate(count, seed))?;
    fs::write(dir.join("cases.json"), &cases)?;
    fs::write(dir.join("native.json"), wasm_diff::evaluate(&cases))?;
    browser::node_test(
        &["e2e/wasm-diff.test.mjs".to_string()],
        tools,
        &[("QONYS_DIFF_DIR", dir.display().to_string())],
    )
}

/// Every end-to-end test file in Chromium against the demo server, in one `node --test`.
/// Tests that move the server's day start their own from the same binary and site.
fn end_to_end(
    tools: &browser::BrowserTools,
    server: &server::RunningServer,
    site: &Path,
) -> Result<()> {
    let shots = crate::target_dir().join("e2e");
    fs::create_dir_all(&shots)?;
    browser::node_test(
        &browser::end_to_end_files()?,
        tools,
        &[
            ("QONYS_E2E_URL", server.url()),
            ("QONYS_E2E_SHOTS", shots.display().to_string()),
            ("QONYS_E2E_SERVER", built_server()?.display().to_string()),
            ("QONYS_E2E_SITE", site.display().to_string()),
        ],
    )
}

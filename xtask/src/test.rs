//! `cargo xtask test`: everything CI checks, in the order that fails fastest.

use crate::{browser, dist, process};
use anyhow::{bail, Context, Result};
use std::{
    fs,
    io::{Read, Write},
    net::{TcpListener, TcpStream},
    path::PathBuf,
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
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
        end_to_end(&tools, &site.dir)?;
        done.push("browser end-to-end");
    }

    println!("\nxtask test: all steps passed: {}", done.join(", "));
    println!("xtask: {} passed, 0 failed", done.len());
    Ok(())
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
    let wasm = dist::build_wasm("wasm-diff", "the rules for the differential test")?;
    dist::bindgen(&wasm, &dir, "wasm_diff")?;
    let cases = serde_json::to_string(&wasm_diff::generate(count, seed))?;
    fs::write(dir.join("cases.json"), &cases)?;
    fs::write(dir.join("native.json"), wasm_diff::evaluate(&cases))?;
    browser::node_test(
        "e2e/wasm-diff.test.mjs",
        tools,
        &[("QONYS_DIFF_DIR", dir.display().to_string())],
    )
}

/// The built site and a demo server, driven in Chromium.
fn end_to_end(tools: &browser::BrowserTools, site: &std::path::Path) -> Result<()> {
    // `cargo test --workspace` has just built this binary for the server's integration
    // tests; building it again with `-p server` would resolve other features and rebuild.
    let binary = crate::target_dir().join("debug/server");
    if !binary.is_file() {
        bail!(
            "{} is missing: the workspace tests build it",
            binary.display()
        );
    }
    let work = crate::target_dir().join("e2e");
    fs::create_dir_all(&work)?;
    let db = work.join("e2e.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let listen = format!("127.0.0.1:{port}");
    let log = work.join("server.log");
    let server = Command::new(&binary)
        .args(["--demo", "--listen", &listen])
        .arg("--database")
        .arg(format!("sqlite://{}?mode=rwc", db.display()))
        .arg("--site")
        .arg(site)
        .stdout(fs::File::create(&log)?)
        .stderr(Stdio::from(fs::File::options().append(true).open(&log)?))
        .spawn()
        .context("starting the server")?;
    let server = RunningServer(server);
    wait_healthy(&listen, &log)?;
    let result = browser::node_test(
        "e2e/checker.test.mjs",
        tools,
        &[
            ("QONYS_E2E_URL", format!("http://{listen}")),
            ("QONYS_E2E_SHOTS", work.display().to_string()),
        ],
    );
    drop(server);
    if result.is_err() {
        println!("server log: {}", log.display());
    }
    result
}

/// Stops the server however the test ends.
struct RunningServer(Child);

impl Drop for RunningServer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_healthy(listen: &str, log: &PathBuf) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        if let Ok(mut stream) = TcpStream::connect(listen) {
            let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
            let request = format!(
                "GET /api/v1/health HTTP/1.1\r\nHost: {listen}\r\nConnection: close\r\n\r\n"
            );
            let mut response = String::new();
            if stream.write_all(request.as_bytes()).is_ok()
                && stream.read_to_string(&mut response).is_ok()
                && response.starts_with("HTTP/1.1 200")
            {
                return Ok(());
            }
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    bail!(
        "the server did not become healthy on {listen} within 60 s; its log:\n{}",
        fs::read_to_string(log).unwrap_or_default()
    )
}

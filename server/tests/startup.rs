//! Startup failures end the process with a one-line message and a non-zero status, never a
//! panic.

use std::{
    io::{BufRead, BufReader},
    path::Path,
    process::{Command, Stdio},
    sync::mpsc::RecvTimeoutError,
    time::{Duration, Instant},
};

fn run_server(database: &str) -> std::process::Output {
    let site = tempfile::tempdir().unwrap();
    Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["--listen", "127.0.0.1:0", "--database", database, "--site"])
        .arg(site.path())
        .env("RUST_LOG", "off")
        .output()
        .expect("the server binary runs")
}

#[test]
fn bad_database_urls_fail_cleanly() {
    for url in [
        "mysql://localhost/qonys",
        "qonys.db",
        "postgres://qonys:secret-password@127.0.0.1:1/qonys",
        "sqlite:///proc/qonys-cannot-exist/qonys.db?mode=rwc",
        "sqlite:///proc/qonys-cannot-exist/qonys.db",
    ] {
        let out = run_server(url);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{url}");
        assert_eq!(out.status.code(), Some(1), "{url}: {stderr}");
        assert_eq!(
            stderr.trim().lines().count(),
            1,
            "{url}: one line: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{url}: {stderr}");
        assert!(!stderr.contains("secret-password"), "{url}: password shown");
    }
}

/// Starts the server binary in `dir` on `database` and waits until it serves (then stops
/// it) or exits. `Ok` once it served; `Err(stderr)` when it exited.
fn serve_once(dir: &Path, database: &str) -> Result<(), String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["--listen", "127.0.0.1:0", "--database", database, "--site"])
        .arg(dir.join("no-site"))
        .current_dir(dir)
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server binary runs");
    let stdout = child.stdout.take().unwrap();
    let (lines, seen) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        match seen.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(line) if line.contains("serving") => {
                child.kill().ok();
                child.wait().ok();
                return Ok(());
            }
            Ok(_) => {}
            // Its output ended: it exited.
            Err(RecvTimeoutError::Disconnected) => {
                let output = child.wait_with_output().unwrap();
                return Err(String::from_utf8_lossy(&output.stderr).into_owned());
            }
            Err(RecvTimeoutError::Timeout) => {
                child.kill().ok();
                child.wait().ok();
                panic!("{database}: neither served nor exited within a minute");
            }
        }
    }
}

/// The database file named on the command line is created, with its directory, in every
/// URL form, and the server starts on it; a second start opens the same file.
#[test]
fn a_new_sqlite_file_is_created_wherever_it_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let absolute = dir.path().join("absolute dir/nested/qonys.db");
    let cases = [
        (
            "sqlite://relative/new/qonys.db".to_string(),
            dir.path().join("relative/new/qonys.db"),
        ),
        (format!("sqlite://{}", absolute.display()), absolute.clone()),
        ("sqlite:plain.db".to_string(), dir.path().join("plain.db")),
        (
            "sqlite:sub/dir/plain.db".to_string(),
            dir.path().join("sub/dir/plain.db"),
        ),
        (
            "sqlite://params/qonys.db?cache=private".to_string(),
            dir.path().join("params/qonys.db"),
        ),
        (
            "sqlite://escaped/my%20file.db".to_string(),
            dir.path().join("escaped/my file.db"),
        ),
    ];
    for (url, file) in &cases {
        assert!(!file.exists(), "{url}");
        serve_once(dir.path(), url).unwrap_or_else(|e| panic!("{url}: {e}"));
        let size = std::fs::metadata(file)
            .unwrap_or_else(|e| panic!("{url}: {} not created: {e}", file.display()))
            .len();
        assert!(size > 0, "{url}: migrated");
        serve_once(dir.path(), url).unwrap_or_else(|e| panic!("{url}, again: {e}"));
    }
    // `mode=rw` asks for an existing file: a missing one is an error, not created.
    let missing = dir.path().join("missing/qonys.db");
    let url = format!("sqlite://{}?mode=rw", missing.display());
    let stderr = serve_once(dir.path(), &url).unwrap_err();
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(!missing.exists());
    assert!(serve_once(
        dir.path(),
        &format!("sqlite://{}?mode=rw", absolute.display())
    )
    .is_ok());
}

#[test]
fn an_in_memory_database_or_no_file_is_refused_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    for url in [
        "sqlite::memory:",
        "sqlite://:memory:",
        "sqlite://x.db?mode=memory",
    ] {
        let stderr = serve_once(dir.path(), url).unwrap_err();
        assert_eq!(stderr.trim().lines().count(), 1, "{url}: {stderr}");
        assert!(stderr.contains("in-memory"), "{url}: {stderr}");
        assert!(stderr.contains("sqlite://data/qonys.db"), "{url}: {stderr}");
    }
    for url in ["sqlite://", "sqlite:", "sqlite://data/"] {
        let stderr = serve_once(dir.path(), url).unwrap_err();
        assert_eq!(stderr.trim().lines().count(), 1, "{url}: {stderr}");
        assert!(stderr.contains("names no database file"), "{url}: {stderr}");
    }
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no file made"
    );
}

#[tokio::test]
async fn build_app_reports_errors_instead_of_panicking() {
    let config = server::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        database: "mysql://localhost/qonys".into(),
        demo: false,
        site: "target/site".into(),
        today: None,
        log_json: false,
    };
    assert!(server::build_app(&config).await.is_err());
}

/// A bug in a handler becomes a JSON 500 with the usual headers, and the server goes on.
#[tokio::test]
async fn a_panicking_handler_gets_a_json_500() {
    use axum::{body::Body, http::Request, routing::get, Router};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    async fn boom() -> &'static str {
        panic!("boom")
    }
    let app = server::with_middleware(Router::new().route("/boom", get(boom)));
    let response = app
        .clone()
        .oneshot(Request::get("/boom").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), 500);
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert!(json["error"]["code"].is_string() && json["error"]["message"].is_string());
    assert!(
        !String::from_utf8_lossy(&body).contains("boom"),
        "no panic text leaks"
    );
    // In the request's language, like every API error.
    let response = app
        .clone()
        .oneshot(
            Request::get("/boom")
                .header("accept-language", "ru")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), 500);
    assert_eq!(response.headers()["content-language"], "ru");
    let body = response.into_body().collect().await.unwrap().to_bytes();
    let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(json["error"]["code"], "internal_error");
    assert_eq!(json["error"]["message"], "Сервер не смог выполнить запрос.");
}

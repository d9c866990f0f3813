//! Startup failures end the process with a one-line message and a non-zero status, never a
//! panic.

use std::process::Command;

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

#[tokio::test]
async fn build_app_reports_errors_instead_of_panicking() {
    let config = server::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        database: "mysql://localhost/qonys".into(),
        demo: false,
        site: "target/site".into(),
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
}

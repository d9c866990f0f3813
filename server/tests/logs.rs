//! IINs, phones, passwords and session tokens never reach the server's log: everything the
//! server (and sqlx, and tower-http) logs at every level, TRACE included, during
//! registration, sign-in, a failed sign-in, a lockout and sign-out is captured and searched.
//!
//! One test in its own binary, because it installs the process-wide log subscriber.

mod common;
mod support;

use axum::http::StatusCode;
use common::{Backend, TestApp};
use std::{
    io::Write,
    sync::{Arc, Mutex},
};
use support::*;
use tracing_subscriber::{fmt::MakeWriter, EnvFilter};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Captured {
        self.clone()
    }
}

#[tokio::test]
async fn secrets_never_reach_the_log() {
    let captured = Captured::default();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new("trace"))
        .with_writer(captured.clone())
        .with_ansi(false)
        .init();

    let mut secrets = Vec::new();
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = TestApp::start(backend).await else {
            continue;
        };
        let r = &app.router;
        let iin = next_iin();
        let phone = "+7 707 123 98 76";
        let password = "my secret passphrase";
        let body = serde_json::json!({ "iin": iin, "phone": phone, "password": password });
        let reply = call(
            r,
            "POST",
            "/api/v1/auth/register/resettler",
            Some(&body.to_string()),
            None,
        )
        .await;
        assert_eq!(reply.status, StatusCode::ACCEPTED);
        // A repeat, failed sign-ins up to a lockout, a sign-in, /me and sign-out.
        call(
            r,
            "POST",
            "/api/v1/auth/register/resettler",
            Some(&body.to_string()),
            None,
        )
        .await;
        let wrong = "a wrong passphrase";
        let unknown = next_iin();
        for _ in 0..5 {
            call(
                r,
                "POST",
                "/api/v1/auth/login",
                Some(&login_body(&unknown, wrong)),
                None,
            )
            .await;
        }
        let failed = call(
            r,
            "POST",
            "/api/v1/auth/login",
            Some(&login_body(&iin, wrong)),
            None,
        )
        .await;
        assert_eq!(failed.status, StatusCode::UNAUTHORIZED);
        let session = login(r, &iin, password).await;
        call(r, "GET", "/api/v1/auth/me", None, Some(&session)).await;
        // An invalid registration, whose answer names the field (never the log).
        let bad = serde_json::json!({ "iin": iin, "phone": "not a phone 7071239876", "password": password });
        call(
            r,
            "POST",
            "/api/v1/auth/register/resettler",
            Some(&bad.to_string()),
            None,
        )
        .await;
        call(r, "POST", "/api/v1/auth/logout", None, Some(&session)).await;
        secrets.extend([
            iin,
            unknown,
            "7071239876".to_string(),
            password.to_string(),
            wrong.to_string(),
            session.token.clone(),
            session.csrf.clone(),
        ]);
    }

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    // The capture works: requests and SQL statements are there.
    assert!(log.contains("/api/v1/auth/login"), "request log captured");
    assert!(
        log.to_lowercase().contains("insert into users"),
        "sqlx log captured"
    );
    for secret in &secrets {
        if let Some(at) = log.find(secret.as_str()) {
            let line_start = log[..at].rfind('\n').map_or(0, |i| i + 1);
            let line_end = log[at..].find('\n').map_or(log.len(), |i| at + i);
            panic!("`{secret}` in the log: {}", &log[line_start..line_end]);
        }
    }
    // Nor the phone in any form.
    assert!(!log.contains("707 123 98 76") && !log.contains("77071239876"));
}

/// A body with the wrong types: the parser's complaint ("invalid type: integer `…`") must not
/// carry the value into the log either.
#[tokio::test]
async fn rejected_bodies_do_not_log_their_values() {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::new("trace"))
        .with_writer(captured.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let Some(app) = TestApp::start(Backend::Sqlite).await else {
        return;
    };
    let iin = next_iin();
    let numeric = format!(r#"{{"iin": {iin}, "phone": 77071239876, "password": 31415926535}}"#);
    let reply = call(
        &app.router,
        "POST",
        "/api/v1/auth/register/resettler",
        Some(&numeric),
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    let login = r#"{"login": 850101300015, "password": 31415926535}"#;
    call(&app.router, "POST", "/api/v1/auth/login", Some(login), None).await;
    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains("register/resettler"), "captured");
    for secret in [iin.as_str(), "7071239876", "31415926535", "850101300015"] {
        assert!(!log.contains(secret), "`{secret}` in the log:\n{log}");
    }
}

//! `server token create` and `server token revoke` as an operator runs them (SPEC §9), on
//! SQLite and PostgreSQL, against a server that is running meanwhile.

mod common;

use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use common::{Backend, TestApp};
use sqlx::Row;
use std::process::{Command, Output};

on_both_backends!(create_use_and_revoke);

/// Runs `server ARGS --database URL`.
fn server(url: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .args(["--database", url])
        .env("RUST_LOG", "off")
        .env_remove("DATABASE_URL")
        .output()
        .expect("the server binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

async fn import_status(app: &TestApp, token: &str) -> StatusCode {
    let request = Request::post("/api/v1/feed/confirmations")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "text/csv")
        .body(Body::from(
            "iin,bin,month,resident,employed,social_paid,pension_paid\n",
        ))
        .unwrap();
    app.send(request).await.status
}

async fn create_use_and_revoke(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let url = app.db.url.clone();

    // The token alone on the last line; only its SHA-256 is kept, and the log never has it.
    let out = server(&url, &["token", "create", "--name", "registry"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let token = stdout.trim_end().lines().last().unwrap().to_string();
    assert!(
        token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()),
        "{stdout}"
    );
    let stored: String =
        sqlx::query("SELECT token_hash FROM service_tokens WHERE name = 'registry'")
            .fetch_one(app.store.pool())
            .await
            .unwrap()
            .get("token_hash");
    assert_eq!(
        stored,
        hex::encode(<sha2::Sha256 as sha2::Digest>::digest(token.as_bytes()))
    );
    let log: Vec<String> = sqlx::query("SELECT actor, action, after FROM audit_log ORDER BY seq")
        .fetch_all(app.store.pool())
        .await
        .unwrap()
        .iter()
        .map(|row| {
            let after: Option<String> = row.get("after");
            format!(
                "{} {} {}",
                row.get::<String, _>("actor"),
                row.get::<String, _>("action"),
                after.unwrap_or_default()
            )
        })
        .collect();
    assert!(log
        .iter()
        .any(|e| e.starts_with("cli service_token.create") && e.contains("registry")));
    assert!(!log.iter().any(|e| e.contains(&token)));

    // The running server accepts it.
    assert_eq!(import_status(&app, &token).await, StatusCode::OK);

    // Refusals: one line naming the option, exit 1.
    for (args, word) in [
        (
            &["token", "create", "--name", "registry"][..],
            "never reused",
        ),
        (&["token", "create", "--name", "Bad Name"][..], "a-z"),
        (
            &["token", "revoke", "--name", "nobody"][..],
            "no token named",
        ),
    ] {
        let out = server(&url, args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.trim().lines().count() == 1 && stderr.contains("--name"),
            "{stderr}"
        );
        assert!(stderr.contains(word), "{args:?}: {stderr}");
    }
    let out = server(&url, &["token", "create"]);
    assert_eq!(out.status.code(), Some(2), "a name is required");

    // Revoked: the next request is refused, with no restart.
    let out = server(&url, &["token", "revoke", "--name", "registry"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("revoked service token `registry`"));
    assert_eq!(import_status(&app, &token).await, StatusCode::UNAUTHORIZED);
    let out = server(&url, &["token", "revoke", "--name", "registry"]);
    assert!(out.status.success());
    assert!(
        text(&out.stdout).contains("already revoked"),
        "{}",
        text(&out.stdout)
    );

    let out = server(&url, &["audit", "verify"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

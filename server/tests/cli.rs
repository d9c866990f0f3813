//! `server user add` and `server audit verify` as an operator runs them, on SQLite and
//! PostgreSQL: clear errors and a non-zero exit, the password only from standard input.

mod common;

use common::{Backend, TestDb};
use std::{
    io::Write,
    process::{Command, Output, Stdio},
};

on_both_backends!(user_add_on_a_fresh_database);

/// Runs `server ARGS --database URL` with `stdin` on standard input.
fn server(url: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(args)
        .args(["--database", url])
        .env("RUST_LOG", "off")
        .env_remove("DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the server binary runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const ADD: [&str; 2] = ["user", "add"];

async fn user_add_on_a_fresh_database(backend: Backend) {
    let Some(db) = TestDb::create(backend).await else {
        return;
    };
    let url = db.url.as_str();
    let add = |rest: &[&str], stdin: &str| {
        let args: Vec<&str> = ADD.iter().chain(rest).copied().collect();
        server(url, &args, stdin)
    };

    // A fresh install's first admin: migrated and created in one go.
    let out = add(
        &["--role", "admin", "--login", "root", "--password-stdin"],
        "a long admin password\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("created admin account `root`"),
        "{}",
        text(&out.stdout)
    );
    let out = add(
        &[
            "--role",
            "akimat",
            "--region",
            "north_kazakhstan",
            "--login",
            "Officer.North",
            "--password-stdin",
        ],
        "officer password 1\r\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("`officer.north`")
            && text(&out.stdout).contains("north_kazakhstan")
    );

    // Refusals: one line on standard error naming the option, exit 1.
    let refusals: [(&[&str], &str, &str); 7] = [
        (
            &[
                "--role",
                "akimat",
                "--login",
                "x.officer",
                "--password-stdin",
            ],
            "a long password",
            "--region",
        ),
        (
            &[
                "--role",
                "akimat",
                "--region",
                "turkestan",
                "--login",
                "x.officer",
                "--password-stdin",
            ],
            "a long password",
            "not a resettlement",
        ),
        (
            &[
                "--role",
                "akimat",
                "--region",
                "narnia",
                "--login",
                "x.officer",
                "--password-stdin",
            ],
            "a long password",
            "unknown region",
        ),
        (
            &[
                "--role",
                "admin",
                "--region",
                "pavlodar",
                "--login",
                "x.admin",
                "--password-stdin",
            ],
            "a long password",
            "--region",
        ),
        (
            &["--role", "admin", "--login", "x.admin", "--password-stdin"],
            "short\n",
            "at least 10",
        ),
        (
            &["--role", "admin", "--login", "root", "--password-stdin"],
            "a long password",
            "already in use",
        ),
        (
            &["--role", "admin", "--login", "x.admin", "--password-stdin"],
            "",
            "standard input",
        ),
    ];
    for (args, stdin, word) in refusals {
        let out = add(args, stdin);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "{args:?}: {stderr}");
        assert!(stderr.contains(word), "{args:?}: `{word}` in {stderr}");
        assert!(!stderr.contains("a long password"), "no password echoed");
    }
    // A malformed command line: clap's usage error, exit 2; no password as an argument.
    for args in [
        &["--role", "admin", "--login", "x.admin"][..],
        &["--role", "king", "--login", "x.admin", "--password-stdin"][..],
        &[
            "--role",
            "admin",
            "--login",
            "x.admin",
            "--password",
            "secret",
        ][..],
    ] {
        let out = add(args, "a long password");
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }

    // Two accounts, two audit entries by the command line, intact.
    let out = server(url, &["audit", "verify"], "");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout).trim_end().lines().last(),
        Some("audit ok: 2 entries")
    );
    let store = server::Store::connect(url).await.unwrap();
    let actors: Vec<String> = sqlx::query("SELECT actor FROM audit_log ORDER BY seq")
        .fetch_all(store.pool())
        .await
        .unwrap()
        .iter()
        .map(|row| sqlx::Row::get(row, "actor"))
        .collect();
    assert_eq!(actors, ["cli", "cli"]);
    store.close().await;
}

/// A database the server never migrated has no audit log: an error, not "ok".
#[test]
fn verify_without_an_audit_log_fails() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("empty.db").display()
    );
    let out = server(&url, &["audit", "verify"], "");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(!text(&out.stdout).contains("audit ok"));
    assert!(
        text(&out.stderr).contains("audit log"),
        "{}",
        text(&out.stderr)
    );
}

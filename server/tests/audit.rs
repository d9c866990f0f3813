//! The audit log's hash chain, on SQLite and PostgreSQL: an intact chain verifies (in the
//! library and as `server audit verify`), an entry edited, deleted or inserted afterwards is
//! found, and concurrent appends keep the chain whole.

mod common;
mod support;

use common::{Backend, TestApp};
use server::{
    audit::{self, Actor, Event, Record, Verdict},
    store::Backend as StoreBackend,
    Store,
};
use sqlx::Row;
use std::process::Command;

on_both_backends!(
    chain_verifies_and_tampering_is_found,
    concurrent_appends_keep_the_chain
);

/// `server audit verify --database URL`: exit code and standard output.
fn verify_command(url: &str) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["audit", "verify", "--database", url])
        .env("RUST_LOG", "off")
        .output()
        .expect("the server binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.code().unwrap_or(-1), stdout)
}

fn last_line(text: &str) -> &str {
    text.trim_end().lines().last().unwrap_or_default()
}

async fn exec(store: &Store, sql: &str) {
    sqlx::raw_sql(sql)
        .execute(store.pool())
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn row_of(store: &Store, seq: i64) -> Record {
    let row = sqlx::query(
        "SELECT seq, at, actor, actor_role, action, subject, before, after, prev_hash, hash \
         FROM audit_log WHERE seq = $1",
    )
    .bind(seq)
    .fetch_one(store.pool())
    .await
    .unwrap();
    Record {
        seq: row.get("seq"),
        at: row.get("at"),
        actor: row.get("actor"),
        actor_role: row.get("actor_role"),
        action: row.get("action"),
        subject: row.get("subject"),
        before: row.get("before"),
        after: row.get("after"),
        prev_hash: row.get("prev_hash"),
        hash: row.get("hash"),
    }
}

async fn insert_row(store: &Store, r: &Record) {
    sqlx::query(
        "INSERT INTO audit_log (seq, at, actor, actor_role, action, subject, before, after, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(r.seq)
    .bind(&r.at)
    .bind(&r.actor)
    .bind(&r.actor_role)
    .bind(&r.action)
    .bind(&r.subject)
    .bind(&r.before)
    .bind(&r.after)
    .bind(&r.prev_hash)
    .bind(&r.hash)
    .execute(store.pool())
    .await
    .unwrap();
}

/// Asserts both the library and the command find the chain broken at `seq`.
async fn assert_broken_at(app: &TestApp, seq: i64, what: &str) {
    match audit::verify(&app.store).await.unwrap() {
        Verdict::Broken { seq: found, reason } => {
            assert_eq!(found, seq, "{what}: {reason}")
        }
        intact => panic!("{what}: not detected: {intact:?}"),
    }
    let (code, stdout) = verify_command(&app.db.url);
    assert_eq!(code, 1, "{what}: {stdout}");
    assert!(
        last_line(&stdout).contains(&format!("entry {seq}")),
        "{what}: names entry {seq}: {stdout}"
    );
    assert!(!stdout.contains("audit ok"), "{what}: {stdout}");
}

async fn assert_intact(app: &TestApp, entries: i64) {
    assert!(
        matches!(audit::verify(&app.store).await.unwrap(), Verdict::Intact { entries: n, .. } if n == entries)
    );
    let (code, stdout) = verify_command(&app.db.url);
    assert_eq!(code, 0, "{stdout}");
    assert_eq!(last_line(&stdout), format!("audit ok: {entries} entries"));
}

async fn chain_verifies_and_tampering_is_found(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let store = &app.store;
    // The demo accounts made entries; add quota changes through the same path as the API.
    for (i, region) in [shared::Region::Pavlodar, shared::Region::Kostanay]
        .into_iter()
        .enumerate()
    {
        server::quota_editor::set_quota(store, Actor::System, region, 2030, 100 + i as u32)
            .await
            .unwrap();
    }
    let total: i64 = sqlx::query("SELECT COUNT(*) AS n FROM audit_log")
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get("n");
    assert!(total >= 7, "{total}");
    assert_intact(&app, total).await;

    // The database itself refuses changes to the log…
    let refused = sqlx::query("UPDATE audit_log SET after = '{}' WHERE seq = 1")
        .execute(store.pool())
        .await;
    assert!(refused.is_err(), "UPDATE of the audit log must fail");
    assert!(sqlx::query("DELETE FROM audit_log WHERE seq = 1")
        .execute(store.pool())
        .await
        .is_err());
    // …so whoever tampers drops those guards first.
    match app.store.backend() {
        StoreBackend::Sqlite => {
            exec(store, "DROP TRIGGER audit_log_no_update").await;
            exec(store, "DROP TRIGGER audit_log_no_delete").await;
        }
        StoreBackend::Postgres => {
            exec(store, "DROP TRIGGER audit_log_no_update ON audit_log").await;
            exec(store, "DROP TRIGGER audit_log_no_truncate ON audit_log").await;
        }
    }

    // 1. An entry's `after` edited.
    let third = row_of(store, 3).await;
    let edited = third
        .after
        .clone()
        .unwrap_or_default()
        .replacen('}', r#","region_all":true}"#, 1);
    assert_ne!(Some(&edited), third.after.as_ref());
    sqlx::query("UPDATE audit_log SET after = $1 WHERE seq = 3")
        .bind(&edited)
        .execute(store.pool())
        .await
        .unwrap();
    assert_broken_at(&app, 3, "edited after").await;
    sqlx::query("UPDATE audit_log SET after = $1 WHERE seq = 3")
        .bind(&third.after)
        .execute(store.pool())
        .await
        .unwrap();
    assert_intact(&app, total).await;

    // 2. An entry in the middle deleted.
    let fourth = row_of(store, 4).await;
    sqlx::query("DELETE FROM audit_log WHERE seq = 4")
        .execute(store.pool())
        .await
        .unwrap();
    assert_broken_at(&app, 4, "deleted entry").await;
    insert_row(store, &fourth).await;
    assert_intact(&app, total).await;

    // 3. The last entry deleted (no later entry points at it: the head notices).
    let last = row_of(store, total).await;
    sqlx::query("DELETE FROM audit_log WHERE seq = $1")
        .bind(total)
        .execute(store.pool())
        .await
        .unwrap();
    assert_broken_at(&app, total, "deleted last entry").await;
    insert_row(store, &last).await;
    assert_intact(&app, total).await;

    // 4. An entry inserted at the end, with a hash made by the documented encoding.
    let mut forged = Record {
        seq: total + 1,
        at: "2026-01-01T00:00:00.000000Z".into(),
        actor: "user:1".into(),
        actor_role: Some("admin".into()),
        action: "quota.set".into(),
        subject: Some("quota:pavlodar:2026".into()),
        before: None,
        after: Some(r#"{"quota":99999,"used":0}"#.into()),
        prev_hash: last.hash.clone(),
        hash: String::new(),
    };
    forged.hash = forged.compute_hash();
    insert_row(store, &forged).await;
    assert_broken_at(&app, total + 1, "entry appended outside the log").await;
    sqlx::query("DELETE FROM audit_log WHERE seq = $1")
        .bind(total + 1)
        .execute(store.pool())
        .await
        .unwrap();
    assert_intact(&app, total).await;

    // 5. An entry inserted in the middle: later entries renumbered, a forged one at 3.
    sqlx::query("UPDATE audit_log SET seq = seq + 1000 WHERE seq >= 3")
        .execute(store.pool())
        .await
        .unwrap();
    sqlx::query("UPDATE audit_log SET seq = seq - 999 WHERE seq >= 1003")
        .execute(store.pool())
        .await
        .unwrap();
    let second = row_of(store, 2).await;
    let mut forged = Record {
        seq: 3,
        prev_hash: second.hash,
        ..forged
    };
    forged.hash = forged.compute_hash();
    insert_row(store, &forged).await;
    assert_broken_at(&app, 4, "entry inserted in the middle").await;
}

async fn concurrent_appends_keep_the_chain(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    // A second pool stands for a second server on the same database.
    let other = Store::connect(&app.db.url).await.unwrap();
    let before = match audit::verify(&app.store).await.unwrap() {
        Verdict::Intact { entries, .. } => entries,
        broken => panic!("{broken:?}"),
    };
    const TASKS: i64 = 48;
    let mut handles = Vec::new();
    for i in 0..TASKS {
        let store = if i % 2 == 0 {
            app.store.clone()
        } else {
            other.clone()
        };
        handles.push(tokio::spawn(async move {
            audit::record(
                &store,
                Actor::System,
                Event {
                    action: "test.concurrent",
                    subject: Some(format!("task:{i}")),
                    before: None,
                    after: Some(serde_json::json!({ "i": i })),
                },
            )
            .await
        }));
    }
    let mut seqs = Vec::new();
    for handle in handles {
        seqs.push(handle.await.unwrap().unwrap());
    }
    seqs.sort_unstable();
    let expected: Vec<i64> = (before + 1..=before + TASKS).collect();
    assert_eq!(
        seqs, expected,
        "every append got its own place in the chain"
    );
    assert_intact(&app, before + TASKS).await;
}

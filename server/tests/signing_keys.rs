//! Signing keys: registration (one live key an account, checked as an Ed25519 public key),
//! the parties' own list, and which staff reach whose keys, on SQLite and PostgreSQL.
//! Revocation voiding signatures is in `tests/contracts.rs`, where there are contracts.

mod common;
mod support;

use axum::http::StatusCode;
use common::{Backend, TestApp};
use serde_json::json;
use shared::contract::{hex, signature::key_fingerprint, signature::public_key};
use support::*;

on_both_backends!(
    keys_are_checked_registered_and_listed,
    staff_reach_the_keys_of_their_regions_parties
);

fn key_body(public_key: &str) -> String {
    json!({ "public_key": public_key }).to_string()
}

/// A resettler who can sign in.
async fn new_resettler(app: &TestApp) -> Session {
    let iin = next_iin();
    let reply = call(
        &app.router,
        "POST",
        "/api/v1/auth/register/resettler",
        Some(&resettler_body(&iin, PASSWORD)),
        None,
    )
    .await;
    assert!(reply.status.is_success(), "{}", reply.text());
    login(&app.router, &iin, PASSWORD).await
}

async fn keys_are_checked_registered_and_listed(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let r = &app.router;
    let resettler = new_resettler(&app).await;

    // Not hex, too short, and a valid encoding of a weak key: refused on the field.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    for bad in ["zz".repeat(32), "ab".repeat(31), hex(&identity)] {
        let reply = call(
            r,
            "POST",
            "/api/v1/keys",
            Some(&key_body(&bad)),
            Some(&resettler),
        )
        .await;
        let error = reply.error(StatusCode::UNPROCESSABLE_ENTITY, &bad);
        assert_eq!(error.code, "public_key_malformed");
        assert_eq!(error.field.as_deref(), Some("public_key"));
    }

    let key = public_key(&[1; 32]);
    let reply = call(
        r,
        "POST",
        "/api/v1/keys",
        Some(&key_body(&hex(&key))),
        Some(&resettler),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let registered = reply.json();
    assert_eq!(registered["account_id"], resettler.user_id());
    assert_eq!(registered["public_key"], hex(&key));
    assert_eq!(registered["fingerprint"], key_fingerprint(&key));
    assert!(registered["revoked_at"].is_null());

    // One live key: a second is refused until the first is revoked.
    let second = key_body(&hex(&public_key(&[2; 32])));
    let reply = call(r, "POST", "/api/v1/keys", Some(&second), Some(&resettler)).await;
    assert_eq!(
        reply.error(StatusCode::CONFLICT, "second key").code,
        "key_exists"
    );

    // Someone else's key cannot be registered again, even in upper case.
    let other = new_resettler(&app).await;
    let again = key_body(&hex(&key).to_uppercase());
    let reply = call(r, "POST", "/api/v1/keys", Some(&again), Some(&other)).await;
    assert_eq!(
        reply.error(StatusCode::CONFLICT, "reused key").code,
        "key_used"
    );

    // Admins sign nothing, so they register no key.
    let admin = login(r, ADMIN.login, ADMIN.password).await;
    let reply = call(r, "POST", "/api/v1/keys", Some(&second), Some(&admin)).await;
    assert_eq!(
        reply.error(StatusCode::FORBIDDEN, "admin").code,
        "forbidden"
    );

    let mine = call(r, "GET", "/api/v1/keys/mine", None, Some(&resettler)).await;
    assert_eq!(mine.status, StatusCode::OK);
    assert_eq!(mine.json()["keys"], json!([registered]));
    let theirs = call(r, "GET", "/api/v1/keys/mine", None, Some(&other)).await;
    assert_eq!(theirs.json()["keys"], json!([]));

    // Logged once, the refused attempts not at all.
    let by = format!("user:{}", resettler.user_id());
    let entries: Vec<_> = audit_entries(&app.store, "signing_key.registered")
        .await
        .into_iter()
        .filter(|e| e.0 == by)
        .collect();
    assert_eq!(entries.len(), 1);
    let (_, subject, _, after) = &entries[0];
    assert_eq!(
        subject.as_deref(),
        Some(&*format!("signing_key:{}", registered["id"]))
    );
    let after = after.as_ref().unwrap();
    assert_eq!(after["account"], format!("user:{}", resettler.user_id()));
    assert_eq!(after["fingerprint"], key_fingerprint(&key));
}

/// A contract row in `region` between `resettler` and `employer`, as far as key scope
/// needs it.
async fn insert_contract(app: &TestApp, resettler: i64, employer: i64, region: &str) {
    sqlx::query(
        "INSERT INTO contracts (resettler_iin, employer_bin, start_month, status, created_at, \
         resettler_id, employer_id, region) \
         VALUES ('850101300000', '240640000000', '2026-12', 'signing', '2026-11-01T00:00:00Z', \
         $1, $2, $3)",
    )
    .bind(resettler)
    .bind(employer)
    .bind(region)
    .execute(app.store.pool())
    .await
    .unwrap();
}

async fn staff_reach_the_keys_of_their_regions_parties(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let r = &app.router;
    let party = new_resettler(&app).await;
    let stranger = new_resettler(&app).await;
    let employer = insert_user(&app.store, "employer").await;
    insert_contract(&app, party.user_id(), employer, "north_kazakhstan").await;
    for (session, secret) in [(&party, [5; 32]), (&stranger, [6; 32])] {
        let body = key_body(&hex(&public_key(&secret)));
        let reply = call(r, "POST", "/api/v1/keys", Some(&body), Some(session)).await;
        assert_eq!(reply.status, StatusCode::CREATED);
    }
    let north = login(r, AKIMAT_NORTH.login, AKIMAT_NORTH.password).await;
    let pavlodar = login(r, AKIMAT_PAVLODAR.login, AKIMAT_PAVLODAR.password).await;
    let admin = login(r, ADMIN.login, ADMIN.password).await;
    let keys_of = |id: i64| format!("/api/v1/keys?account={id}");

    let reply = call(r, "GET", &keys_of(party.user_id()), None, Some(&north)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let key = reply.json()["keys"][0].clone();
    assert_eq!(key["public_key"], hex(&public_key(&[5; 32])));
    let reply = call(r, "GET", &keys_of(party.user_id()), None, Some(&admin)).await;
    assert_eq!(reply.status, StatusCode::OK);
    // An officer of another region, and any officer for an account with no contract in
    // their region, are told there is no such account.
    for (session, account) in [(&pavlodar, party.user_id()), (&north, stranger.user_id())] {
        let reply = call(r, "GET", &keys_of(account), None, Some(session)).await;
        assert_eq!(
            reply.error(StatusCode::NOT_FOUND, "out of reach").code,
            "account_not_found"
        );
    }
    // An officer reaches the keys of their own region's officers only.
    let reply = call(r, "GET", &keys_of(north.user_id()), None, Some(&pavlodar)).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    let reply = call(r, "GET", &keys_of(north.user_id()), None, Some(&north)).await;
    assert_eq!(reply.status, StatusCode::OK);
    // Parties do not list others' keys.
    let reply = call(r, "GET", &keys_of(party.user_id()), None, Some(&party)).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN);

    let revoke = format!("/api/v1/keys/{}/revoke", key["id"]);
    let reply = call(r, "POST", &revoke, None, Some(&pavlodar)).await;
    assert_eq!(
        reply.error(StatusCode::NOT_FOUND, "pavlodar revokes").code,
        "signing_key_not_found"
    );
    let reply = call(r, "POST", &revoke, None, Some(&north)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert!(reply.json()["revoked_at"].is_string());
    let reply = call(r, "POST", &revoke, None, Some(&north)).await;
    assert_eq!(
        reply.error(StatusCode::CONFLICT, "twice").code,
        "key_revoked"
    );

    let subject = Some(format!("signing_key:{}", key["id"]));
    let entries: Vec<_> = audit_entries(&app.store, "signing_key.revoked")
        .await
        .into_iter()
        .filter(|e| e.1 == subject)
        .collect();
    assert_eq!(entries.len(), 1);
    let after = entries[0].3.as_ref().unwrap();
    assert_eq!(after["account"], format!("user:{}", party.user_id()));
    assert_eq!(after["fingerprint"], key["fingerprint"]);
    assert_eq!(after["voided_contracts"], json!([]));

    // With the old key revoked, the party registers a new one.
    let body = key_body(&hex(&public_key(&[7; 32])));
    let reply = call(r, "POST", "/api/v1/keys", Some(&body), Some(&party)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let mine = call(r, "GET", "/api/v1/keys/mine", None, Some(&party))
        .await
        .json();
    let live: Vec<bool> = mine["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["revoked_at"].is_null())
        .collect();
    assert_eq!(live, [true, false], "the live key first");
}

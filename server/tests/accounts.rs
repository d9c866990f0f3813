//! Accounts and sessions end to end, on SQLite and PostgreSQL: registration, sign-in,
//! cookies, CSRF and same-origin checks, sign-in limits, staff accounts, the quota editor.

mod common;
mod support;

use axum::{
    body::Body,
    http::{Request, StatusCode},
    Router,
};
use common::{Backend, Reply, TestApp};
use serde_json::{json, Value};
use server::{AppState, HttpSettings, Site};
use sqlx::Row;
use std::time::Instant;
use support::*;

on_both_backends!(
    register_sign_in_and_out,
    registration_does_not_reveal_existing_accounts,
    registration_input_is_checked,
    sign_in_failures_look_the_same,
    five_failures_lock_a_login,
    too_many_failures_from_one_address,
    csrf_and_same_origin,
    secure_cookie_only_over_https,
    sessions_expire,
    staff_accounts_by_admins,
    quota_editor,
    errors_in_the_request_language,
);

const ME: &str = "/api/v1/auth/me";
const LOGIN: &str = "/api/v1/auth/login";
const LOGOUT: &str = "/api/v1/auth/logout";
const REGISTER_RESETTLER: &str = "/api/v1/auth/register/resettler";
const REGISTER_EMPLOYER: &str = "/api/v1/auth/register/employer";
const STAFF: &str = "/api/v1/staff";

fn router_with(app: &TestApp, http: HttpSettings) -> Router {
    server::router_with(
        AppState {
            store: app.store.clone(),
            site: Site::new("not-built"),
            clock: server::clock::Clock::system(),
        },
        http,
    )
}

async fn now(app: &TestApp) -> i64 {
    let _ = app;
    chrono::Utc::now().timestamp()
}

async fn register_sign_in_and_out(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let r = &app.router;
    let iin = next_iin();
    let reply = call(
        r,
        "POST",
        REGISTER_RESETTLER,
        Some(&resettler_body(&iin, PASSWORD)),
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.text());
    assert_eq!(reply.json()["status"], "accepted");

    let reply = call(r, "POST", LOGIN, Some(&login_body(&iin, PASSWORD)), None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let cookie = reply.header("set-cookie").unwrap().to_string();
    for part in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age="] {
        assert!(cookie.contains(part), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "plain HTTP: {cookie}");
    let token = set_cookie_token(&reply).unwrap();
    assert_eq!(token.len(), 64);
    let body = reply.json();
    assert_eq!(body["account"]["role"], "resettler");
    assert_eq!(body["account"]["login"], iin.as_str());
    assert_eq!(body["account"]["region"], Value::Null);
    let csrf = body["csrf_token"].as_str().unwrap().to_string();
    assert_eq!(csrf.len(), 64);
    assert_ne!(csrf, token);
    assert!(body["expires_at"].as_str().unwrap().ends_with('Z'));

    // Only the token's hash is stored; only an argon2id hash of the password.
    let stored: Vec<String> = sqlx::query("SELECT token_hash FROM sessions")
        .fetch_all(app.store.pool())
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.get("token_hash"))
        .collect();
    assert!(stored.contains(&sha256_hex(&token)));
    assert!(!stored.contains(&token));
    let hash: String = sqlx::query("SELECT password_hash FROM users WHERE login = $1")
        .bind(&iin)
        .fetch_one(app.store.pool())
        .await
        .unwrap()
        .get("password_hash");
    assert!(hash.starts_with("$argon2id$"), "{hash}");
    assert!(!hash.contains(PASSWORD));

    let session = Session {
        cookie: format!("qonys_session={token}"),
        token,
        csrf: csrf.clone(),
        json: body,
    };
    let me = call(r, "GET", ME, None, Some(&session)).await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.text());
    assert_eq!(me.json()["csrf_token"], csrf.as_str());
    assert_eq!(me.json()["account"]["id"], session.json["account"]["id"]);

    let out = call(r, "POST", LOGOUT, None, Some(&session)).await;
    assert_eq!(out.status, StatusCode::NO_CONTENT, "{}", out.text());
    assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
    assert_eq!(set_cookie_token(&out).as_deref(), Some(""));

    // The old cookie signs no one in, and the answer removes it.
    let after = call(r, "GET", ME, None, Some(&session)).await;
    assert_eq!(
        after.assert_error(StatusCode::UNAUTHORIZED, "after logout"),
        "unauthenticated"
    );
    assert!(after.header("set-cookie").unwrap().contains("Max-Age=0"));
    // Signing in again with a stale cookie works (no CSRF token for a dead session).
    let again = call(
        r,
        "POST",
        LOGIN,
        Some(&login_body(&iin, PASSWORD)),
        Some(&session),
    )
    .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    assert_ne!(set_cookie_token(&again).unwrap(), session.token);

    // An employer, by BIN; the login may be typed with spaces.
    let bin = next_bin();
    let reply = call(
        r,
        "POST",
        REGISTER_EMPLOYER,
        Some(&employer_body(&bin, PASSWORD)),
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.text());
    let spaced = format!("{} {} {}", &bin[..4], &bin[4..8], &bin[8..]);
    let employer = login(r, &spaced, PASSWORD).await;
    assert_eq!(employer.json["account"]["role"], "employer");
    assert_eq!(employer.json["account"]["organisation"], "ТОО «Test Agro»");

    // A sign-in made with a live session replaces it.
    let replaced = call(
        r,
        "POST",
        LOGIN,
        Some(&login_body(&bin, PASSWORD)),
        Some(&employer),
    )
    .await;
    assert_eq!(replaced.status, StatusCode::OK);
    let old = call(r, "GET", ME, None, Some(&employer)).await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
}

async fn registration_does_not_reveal_existing_accounts(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let r = &app.router;
    let iin = next_iin();
    let first = call(
        r,
        "POST",
        REGISTER_RESETTLER,
        Some(&resettler_body(&iin, PASSWORD)),
        None,
    )
    .await;
    let other =
        json!({ "iin": iin, "phone": "8 702 000 11 22", "password": "another long password" });
    let second = call(
        r,
        "POST",
        REGISTER_RESETTLER,
        Some(&other.to_string()),
        None,
    )
    .await;
    assert_eq!(first.status, StatusCode::ACCEPTED);
    assert_eq!(second.status, first.status);
    assert_eq!(second.body, first.body, "the same answer for a repeat");
    // The repeat changed nothing: the first password still works, the second does not.
    login(r, &iin, PASSWORD).await;
    let refused = call(
        r,
        "POST",
        LOGIN,
        Some(&login_body(&iin, "another long password")),
        None,
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNAUTHORIZED);
    let phone: String = sqlx::query("SELECT phone FROM users WHERE login = $1")
        .bind(&iin)
        .fetch_one(app.store.pool())
        .await
        .unwrap()
        .get("phone");
    assert_eq!(phone, "+77015551234");

    // The same for an employer's BIN, and across roles (a BIN registered as an IIN).
    let bin = next_bin();
    let a = call(
        r,
        "POST",
        REGISTER_EMPLOYER,
        Some(&employer_body(&bin, PASSWORD)),
        None,
    )
    .await;
    let b = call(
        r,
        "POST",
        REGISTER_EMPLOYER,
        Some(&employer_body(&bin, "yet another password")),
        None,
    )
    .await;
    assert_eq!((a.status, &a.body), (b.status, &b.body));

    // Both registrations and the repeats are audited, without the IIN, phone or password.
    let registered = audit_entries(&app.store, "account.register").await;
    let repeats = audit_entries(&app.store, "account.register_repeat").await;
    let user_id: i64 = sqlx::query("SELECT id FROM users WHERE login = $1")
        .bind(&iin)
        .fetch_one(app.store.pool())
        .await
        .unwrap()
        .get("id");
    let subject = format!("user:{user_id}");
    assert!(registered.iter().any(|(actor, s, _, after)| {
        actor == &subject
            && s.as_deref() == Some(subject.as_str())
            && after.as_ref().unwrap()["role"] == "resettler"
    }));
    assert!(repeats
        .iter()
        .any(|(actor, s, _, _)| actor == "anonymous" && s.as_deref() == Some(subject.as_str())));
    assert_eq!(repeats.len(), 2);
    let text = audit_text(&app.store).await;
    for secret in [
        iin.as_str(),
        "7015551234",
        "7020001122",
        PASSWORD,
        "another long password",
        "$argon2",
    ] {
        assert!(
            !text.contains(secret),
            "audit log holds `{secret}`:\n{text}"
        );
    }
}

async fn registration_input_is_checked(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let r = &app.router;
    let people = || async {
        let count: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM users WHERE role IN ('resettler', 'employer')")
                .fetch_one(app.store.pool())
                .await
                .unwrap()
                .get("n");
        count
    };
    let before = people().await;
    let iin = next_iin();
    let mut bad_check = iin.clone();
    let last = bad_check.pop().unwrap();
    bad_check.push(if last == '9' {
        '0'
    } else {
        char::from(last as u8 + 1)
    });
    let cases = [
        (REGISTER_RESETTLER, resettler_body(&bad_check, PASSWORD), "invalid_iin", "iin"),
        (REGISTER_RESETTLER, resettler_body("12345", PASSWORD), "invalid_iin", "iin"),
        (REGISTER_RESETTLER, resettler_body(&iin, "short"), "weak_password", "password"),
        (
            REGISTER_RESETTLER,
            json!({ "iin": iin, "phone": "call me", "password": PASSWORD }).to_string(),
            "invalid_phone",
            "phone",
        ),
        (REGISTER_EMPLOYER, employer_body("971240001316", PASSWORD), "invalid_bin", "bin"),
        (REGISTER_EMPLOYER, employer_body(&iin, PASSWORD), "invalid_bin", "bin"),
        (
            REGISTER_EMPLOYER,
            json!({ "bin": next_bin(), "organisation": " ", "contact": "HR", "password": PASSWORD }).to_string(),
            "invalid_organisation",
            "organisation",
        ),
    ];
    for (uri, body, code, field) in cases {
        let reply = call(r, "POST", uri, Some(&body), None).await;
        let error = reply.error(StatusCode::BAD_REQUEST, &body);
        assert_eq!(error.code, code, "{body}");
        // The field travels in `field`; the message is written for people.
        assert_eq!(error.field.as_deref(), Some(field), "{body}");
        assert!(
            !error.message.starts_with(field),
            "{body}: {}",
            error.message
        );
    }
    // Unknown fields and missing ones are refused too.
    let extra = json!({ "iin": iin, "phone": PHONE, "password": PASSWORD, "role": "admin" });
    let reply = call(
        r,
        "POST",
        REGISTER_RESETTLER,
        Some(&extra.to_string()),
        None,
    )
    .await;
    reply.assert_error(StatusCode::BAD_REQUEST, "unknown field");
    assert_eq!(people().await, before, "nothing was created");
}

async fn sign_in_failures_look_the_same(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let r = &app.router;
    let timed = |login: String| async move {
        let started = Instant::now();
        let reply = call(
            r,
            "POST",
            LOGIN,
            Some(&login_body(&login, "not the password")),
            None,
        )
        .await;
        (reply, started.elapsed())
    };
    let (wrong, wrong_time) = timed(RESETTLER.login.to_string()).await;
    let (unknown, unknown_time) = timed(next_iin()).await;
    let (staff, _) = timed("nobody.here".to_string()).await;
    for reply in [&wrong, &unknown, &staff] {
        assert_eq!(
            reply.assert_error(StatusCode::UNAUTHORIZED, "failed login"),
            "invalid_credentials"
        );
        assert!(reply.header("set-cookie").is_none());
    }
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.body, staff.body);
    // An unknown login costs a password check too (against a dummy hash): both take the
    // time of an argon2id verification, far longer than a database lookup.
    assert!(
        unknown_time * 4 >= wrong_time,
        "unknown login {unknown_time:?} vs wrong password {wrong_time:?}"
    );
}

async fn five_failures_lock_a_login(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let r = &app.router;
    let attempt = |login: &'static str, password: &'static str| async move {
        call(r, "POST", LOGIN, Some(&login_body(login, password)), None).await
    };
    let mut answers: Vec<Vec<(StatusCode, String)>> = Vec::new();
    for login in [EMPLOYER.login, "921212300015"] {
        let mut seen = Vec::new();
        for _ in 0..4 {
            let reply = attempt(login, "wrong password 1").await;
            assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
            seen.push((reply.status, reply.json()["error"]["code"].to_string()));
        }
        // The fifth failure locks the login, for an account and for no account alike.
        let fifth = attempt(login, "wrong password 1").await;
        assert_eq!(
            fifth.assert_error(StatusCode::TOO_MANY_REQUESTS, "fifth"),
            "too_many_attempts"
        );
        let retry: i64 = fifth.header("retry-after").unwrap().parse().unwrap();
        assert!((880..=900).contains(&retry), "{retry}");
        seen.push((fifth.status, fifth.json()["error"]["message"].to_string()));
        // Even the right password waits.
        let locked = attempt(login, EMPLOYER.password).await;
        assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(locked.header("retry-after").is_some());
        seen.push((locked.status, locked.json()["error"]["message"].to_string()));
        answers.push(seen);
    }
    assert_eq!(
        answers[0], answers[1],
        "the same for an existing and an unknown login"
    );

    // Both locks are audited; the existing account's names it.
    let lockouts = audit_entries(&app.store, "auth.lockout").await;
    assert_eq!(lockouts.len(), 2, "{lockouts:?}");
    let employer_id: i64 = sqlx::query("SELECT id FROM users WHERE login = $1")
        .bind(EMPLOYER.login)
        .fetch_one(app.store.pool())
        .await
        .unwrap()
        .get("id");
    assert_eq!(lockouts[0].0, "system");
    assert_eq!(
        lockouts[0].1.as_deref(),
        Some(format!("user:{employer_id}").as_str())
    );
    assert_eq!(lockouts[0].3.as_ref().unwrap()["account"], "existing");
    assert_eq!(lockouts[1].1, None);
    assert!(!audit_text(&app.store).await.contains("921212300015"));

    // Other logins are not affected; when the lock has passed, the right password works.
    login(r, RESETTLER.login, RESETTLER.password).await;
    sqlx::query("UPDATE login_throttle SET locked_until = $1")
        .bind(now(&app).await - 1)
        .execute(app.store.pool())
        .await
        .unwrap();
    login(r, EMPLOYER.login, EMPLOYER.password).await;
}

async fn too_many_failures_from_one_address(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let proxied = router_with(
        &app,
        HttpSettings {
            secure_cookies: false,
            trust_proxy: true,
        },
    );
    let from = |address: &str, login: &str, password: &str| {
        let mut request = support::request("POST", LOGIN, Some(&login_body(login, password)), None);
        request.headers_mut().insert(
            "x-forwarded-for",
            format!("198.51.100.200, {address}").parse().unwrap(),
        );
        request
    };
    // Eighteen earlier failures from the address (as other servers would have recorded)…
    let now = now(&app).await;
    for i in 0..18 {
        sqlx::query("INSERT INTO login_failures (address, at) VALUES ($1, $2)")
            .bind("203.0.113.7")
            .bind(now - 60 - i)
            .execute(app.store.pool())
            .await
            .unwrap();
    }
    // …and two now, each for another login so no login is locked.
    for _ in 0..2 {
        let reply = common::send(
            &proxied,
            from("203.0.113.7", &next_iin(), "wrong password 1"),
        )
        .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
    }
    let refused = common::send(
        &proxied,
        from("203.0.113.7", RESETTLER.login, RESETTLER.password),
    )
    .await;
    assert_eq!(
        refused.assert_error(StatusCode::TOO_MANY_REQUESTS, "address"),
        "too_many_attempts"
    );
    let retry: i64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    // Another address is served; the per-address count used the last forwarded address.
    let other = common::send(
        &proxied,
        from("192.0.2.44", RESETTLER.login, RESETTLER.password),
    )
    .await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.text());
    // Failures older than the window no longer count.
    sqlx::query("UPDATE login_failures SET at = $1")
        .bind(now - 16 * 60)
        .execute(app.store.pool())
        .await
        .unwrap();
    let later = common::send(
        &proxied,
        from("203.0.113.7", RESETTLER.login, RESETTLER.password),
    )
    .await;
    assert_eq!(later.status, StatusCode::OK, "{}", later.text());
}

async fn csrf_and_same_origin(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let r = &app.router;
    let officer = login(r, AKIMAT_NORTH.login, AKIMAT_NORTH.password).await;
    let uri = "/api/v1/quotas/north_kazakhstan/2026";
    let body = r#"{"quota": 5000}"#;
    let send = |request| common::send(r, request);

    // Made with the session, but without its CSRF token, or with another one: refused.
    let mut request = support::request("PUT", uri, Some(body), Some(&officer));
    request.headers_mut().remove("x-csrf-token");
    let reply: Reply = send(request).await;
    assert_eq!(
        reply.assert_error(StatusCode::FORBIDDEN, "no token"),
        "csrf_token_invalid"
    );
    let mut request = support::request("PUT", uri, Some(body), Some(&officer));
    request
        .headers_mut()
        .insert("x-csrf-token", "0".repeat(64).parse().unwrap());
    assert_eq!(send(request).await.status, StatusCode::FORBIDDEN);
    // Another session's token is no good either.
    let admin = login(r, ADMIN.login, ADMIN.password).await;
    let mut request = support::request("PUT", uri, Some(body), Some(&officer));
    request
        .headers_mut()
        .insert("x-csrf-token", admin.csrf.parse().unwrap());
    assert_eq!(send(request).await.status, StatusCode::FORBIDDEN);

    // From another site: refused even with the token.
    let mut request = support::request("PUT", uri, Some(body), Some(&officer));
    request
        .headers_mut()
        .insert("sec-fetch-site", "cross-site".parse().unwrap());
    assert_eq!(
        send(request)
            .await
            .assert_error(StatusCode::FORBIDDEN, "cross-site"),
        "cross_site_request"
    );
    let mut request = support::request("PUT", uri, Some(body), Some(&officer));
    request
        .headers_mut()
        .insert("origin", "https://evil.example".parse().unwrap());
    assert_eq!(
        send(request)
            .await
            .assert_error(StatusCode::FORBIDDEN, "origin"),
        "origin_mismatch"
    );
    // Not JSON: refused before anything else, signed in or not.
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
    ] {
        let mut request = support::request("PUT", uri, Some(body), Some(&officer));
        request
            .headers_mut()
            .insert("content-type", content_type.parse().unwrap());
        send(request)
            .await
            .assert_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, content_type);
        let mut request = support::request(
            "POST",
            LOGIN,
            Some(&login_body(ADMIN.login, ADMIN.password)),
            None,
        );
        request
            .headers_mut()
            .insert("content-type", content_type.parse().unwrap());
        let reply = send(request).await;
        reply.assert_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, content_type);
        assert!(reply.header("set-cookie").is_none());
    }
    let mut request = support::request(
        "POST",
        LOGIN,
        Some(&login_body(ADMIN.login, ADMIN.password)),
        None,
    );
    request
        .headers_mut()
        .insert("origin", "https://evil.example".parse().unwrap());
    assert_eq!(
        send(request).await.status,
        StatusCode::FORBIDDEN,
        "no login from another site"
    );

    // Nothing changed so far.
    let quotas = common::send(
        r,
        support::request("GET", "/api/v1/quotas?year=2026", None, None),
    )
    .await;
    assert_ne!(quotas.json()["north_kazakhstan"]["quota"], 5000);
    // The same request done right passes; GET needs no token.
    let ok = send(support::request("PUT", uri, Some(body), Some(&officer))).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text());
    let mut me = support::request("GET", ME, None, Some(&officer));
    me.headers_mut()
        .insert("sec-fetch-site", "cross-site".parse().unwrap());
    assert_eq!(
        send(me).await.status,
        StatusCode::OK,
        "a cross-site GET changes nothing"
    );

    // Logout without the token does not end the session.
    let mut request = support::request("POST", LOGOUT, None, Some(&officer));
    request.headers_mut().remove("x-csrf-token");
    assert_eq!(send(request).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        call(r, "GET", ME, None, Some(&officer)).await.status,
        StatusCode::OK
    );
}

async fn secure_cookie_only_over_https(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let cases = [
        (false, false, false, false),
        (false, false, true, false),
        (false, true, false, false),
        (false, true, true, true),
        (true, false, false, true),
    ];
    for (secure_cookies, trust_proxy, forwarded_https, expect_secure) in cases {
        let router = router_with(
            &app,
            HttpSettings {
                secure_cookies,
                trust_proxy,
            },
        );
        let mut request = support::request(
            "POST",
            LOGIN,
            Some(&login_body(RESETTLER.login, RESETTLER.password)),
            None,
        );
        if forwarded_https {
            request
                .headers_mut()
                .insert("x-forwarded-proto", "https".parse().unwrap());
        }
        let reply = common::send(&router, request).await;
        assert_eq!(reply.status, StatusCode::OK);
        let cookie = reply.header("set-cookie").unwrap();
        assert_eq!(
            cookie.ends_with("; Secure"),
            expect_secure,
            "secure_cookies={secure_cookies} trust_proxy={trust_proxy} https={forwarded_https}: {cookie}"
        );
    }
}

async fn sessions_expire(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let r = &app.router;
    let pool = app.store.pool();
    let idle = server::auth::session::IDLE_TIMEOUT;

    // Used within the idle timeout: alive, and marked as used.
    let session = login(r, RESETTLER.login, RESETTLER.password).await;
    let hash = sha256_hex(&session.token);
    let now = now(&app).await;
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(now - idle + 120)
        .bind(&hash)
        .execute(pool)
        .await
        .unwrap();
    assert_eq!(
        call(r, "GET", ME, None, Some(&session)).await.status,
        StatusCode::OK
    );
    let seen: i64 = sqlx::query("SELECT last_seen_at FROM sessions WHERE token_hash = $1")
        .bind(&hash)
        .fetch_one(pool)
        .await
        .unwrap()
        .get("last_seen_at");
    assert!(seen >= now - 5, "touched: {seen} vs {now}");

    // Unused for the idle timeout: ended and deleted.
    sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
        .bind(now - idle - 1)
        .bind(&hash)
        .execute(pool)
        .await
        .unwrap();
    assert_eq!(
        call(r, "GET", ME, None, Some(&session)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let left: i64 = sqlx::query("SELECT COUNT(*) AS n FROM sessions WHERE token_hash = $1")
        .bind(&hash)
        .fetch_one(pool)
        .await
        .unwrap()
        .get("n");
    assert_eq!(left, 0);

    // Past the absolute lifetime: ended however recently used.
    let session = login(r, RESETTLER.login, RESETTLER.password).await;
    sqlx::query("UPDATE sessions SET expires_at = $1 WHERE token_hash = $2")
        .bind(now - 1)
        .bind(sha256_hex(&session.token))
        .execute(pool)
        .await
        .unwrap();
    assert_eq!(
        call(r, "GET", ME, None, Some(&session)).await.status,
        StatusCode::UNAUTHORIZED
    );
    let expires = session.json["expires_at"].as_str().unwrap();
    let expires = chrono::DateTime::parse_from_rfc3339(expires)
        .unwrap()
        .timestamp();
    assert!((expires - now - server::auth::session::MAX_LIFETIME).abs() < 60);
}

async fn staff_accounts_by_admins(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let r = &app.router;
    let admin = login(r, ADMIN.login, ADMIN.password).await;
    let officer_login = next_login("officer.");
    let body = json!({ "role": "akimat", "login": officer_login, "region": "pavlodar", "password": PASSWORD });
    let created = call(r, "POST", STAFF, Some(&body.to_string()), Some(&admin)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let json = created.json();
    assert_eq!(json["role"], "akimat");
    assert_eq!(json["region"], "pavlodar");
    assert!(json.get("password_hash").is_none() && json.get("password").is_none());
    let officer = login(r, &officer_login.to_uppercase(), PASSWORD).await;
    assert_eq!(officer.json["account"]["region"], "pavlodar");

    let again = call(r, "POST", STAFF, Some(&body.to_string()), Some(&admin)).await;
    assert_eq!(
        again.assert_error(StatusCode::CONFLICT, "taken"),
        "login_taken"
    );

    let bad = [
        (
            json!({ "role": "akimat", "login": next_login("a."), "password": PASSWORD }),
            "region_required",
        ),
        (
            json!({ "role": "akimat", "login": next_login("a."), "region": "turkestan", "password": PASSWORD }),
            "not_a_destination",
        ),
        (
            json!({ "role": "admin", "login": next_login("a."), "region": "pavlodar", "password": PASSWORD }),
            "region_not_allowed",
        ),
        (
            json!({ "role": "admin", "login": "900514300121", "password": PASSWORD }),
            "invalid_login",
        ),
        (
            json!({ "role": "admin", "login": next_login("a."), "password": "short" }),
            "weak_password",
        ),
    ];
    for (body, code) in bad {
        let reply = call(r, "POST", STAFF, Some(&body.to_string()), Some(&admin)).await;
        assert_eq!(
            reply.assert_error(StatusCode::BAD_REQUEST, code),
            code,
            "{body}"
        );
    }
    let resettler_role =
        json!({ "role": "resettler", "login": next_login("a."), "password": PASSWORD });
    call(
        r,
        "POST",
        STAFF,
        Some(&resettler_role.to_string()),
        Some(&admin),
    )
    .await
    .assert_error(StatusCode::BAD_REQUEST, "staff roles only");

    let list = call(r, "GET", STAFF, None, Some(&admin)).await;
    assert_eq!(list.status, StatusCode::OK);
    let logins: Vec<String> = list.json()["staff"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["login"].as_str().unwrap().to_string())
        .collect();
    for expected in [
        ADMIN.login,
        AKIMAT_NORTH.login,
        AKIMAT_PAVLODAR.login,
        officer_login.as_str(),
    ] {
        assert!(
            logins.iter().any(|l| l == expected),
            "{expected} in {logins:?}"
        );
    }
    assert!(!logins.iter().any(|l| l == RESETTLER.login), "staff only");

    let entries = audit_entries(&app.store, "staff.create").await;
    let last = entries.last().unwrap();
    assert_eq!(last.0, format!("user:{}", admin.user_id()));
    assert_eq!(last.3.as_ref().unwrap()["login"], officer_login.as_str());
    assert_eq!(last.3.as_ref().unwrap()["region"], "pavlodar");
    // The demo's staff were created by the system, through the same function.
    assert!(entries.iter().any(|(actor, ..)| actor == "system"));
    assert!(!audit_text(&app.store).await.contains(PASSWORD));
}

async fn quota_editor(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let r = &app.router;
    let officer = login(r, AKIMAT_NORTH.login, AKIMAT_NORTH.password).await;
    let public = |year: i32| async move {
        call(r, "GET", &format!("/api/v1/quotas?year={year}"), None, None)
            .await
            .json()
    };
    let before = public(2026).await["north_kazakhstan"].clone();
    let used = before["used"].as_u64().unwrap();
    let quota = before["quota"].as_u64().unwrap();
    let uri = "/api/v1/quotas/north_kazakhstan/2026";

    let set = |n: u64| json!({ "quota": n }).to_string();
    let reply = call(r, "PUT", uri, Some(&set(used + 5)), Some(&officer)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(
        reply.json(),
        json!({ "region": "north_kazakhstan", "year": 2026, "quota": used + 5, "used": used, "remaining": 5 })
    );
    let after = public(2026).await;
    assert_eq!(
        after["north_kazakhstan"],
        json!({ "quota": used + 5, "used": used, "remaining": 5 })
    );

    // Never below the places used; the quota stays as it was.
    if used > 0 {
        let below = call(r, "PUT", uri, Some(&set(used - 1)), Some(&officer)).await;
        assert_eq!(
            below.assert_error(StatusCode::CONFLICT, "below used"),
            "quota_below_used"
        );
        assert_eq!(public(2026).await["north_kazakhstan"]["quota"], used + 5);
    }
    // Down to exactly the places used is fine.
    let full = call(r, "PUT", uri, Some(&set(used)), Some(&officer)).await;
    assert_eq!(full.json()["remaining"], 0);

    // A year without a quota yet gets one, with nothing used.
    let new = call(
        r,
        "PUT",
        "/api/v1/quotas/north_kazakhstan/2031",
        Some(&set(40)),
        Some(&officer),
    )
    .await;
    assert_eq!(new.status, StatusCode::OK);
    assert_eq!(
        public(2031).await["north_kazakhstan"],
        json!({ "quota": 40, "used": 0, "remaining": 40 })
    );

    // Audited with before and after, by the officer.
    let entries = audit_entries(&app.store, "quota.set").await;
    assert_eq!(entries.len(), 3, "{entries:?}");
    let actor = format!("user:{}", officer.user_id());
    assert!(entries.iter().all(|(a, ..)| *a == actor));
    assert_eq!(entries[0].1.as_deref(), Some("quota:north_kazakhstan:2026"));
    assert_eq!(entries[0].2, Some(json!({ "quota": quota, "used": used })));
    assert_eq!(
        entries[0].3,
        Some(json!({ "quota": used + 5, "used": used }))
    );
    assert_eq!(entries[2].2, None);
    assert_eq!(entries[2].3, Some(json!({ "quota": 40, "used": 0 })));
    // The same value again changes nothing and adds no entry.
    call(
        r,
        "PUT",
        "/api/v1/quotas/north_kazakhstan/2031",
        Some(&set(40)),
        Some(&officer),
    )
    .await;
    assert_eq!(audit_entries(&app.store, "quota.set").await.len(), 3);

    // Bad requests.
    for (uri, body, status, code) in [
        (
            "/api/v1/quotas/narnia/2026",
            set(10),
            StatusCode::NOT_FOUND,
            "unknown_region",
        ),
        (
            "/api/v1/quotas/turkestan/2026",
            set(10),
            StatusCode::NOT_FOUND,
            "unknown_region",
        ),
        (
            "/api/v1/quotas/north_kazakhstan/20x6",
            set(10),
            StatusCode::BAD_REQUEST,
            "invalid_year",
        ),
        (
            "/api/v1/quotas/north_kazakhstan/1999",
            set(10),
            StatusCode::BAD_REQUEST,
            "invalid_year",
        ),
        (
            uri,
            set(1_000_001),
            StatusCode::BAD_REQUEST,
            "quota_out_of_range",
        ),
        (
            uri,
            r#"{"quota": -1}"#.to_string(),
            StatusCode::BAD_REQUEST,
            "",
        ),
        (
            uri,
            r#"{"quota": 10, "used": 0}"#.to_string(),
            StatusCode::BAD_REQUEST,
            "",
        ),
    ] {
        let reply = call(r, "PUT", uri, Some(&body), Some(&officer)).await;
        let got = reply.assert_error(status, &format!("{uri} {body}"));
        if !code.is_empty() {
            assert_eq!(got, code, "{uri} {body}");
        }
    }
    // The officer's own region only; an admin any.
    let other = call(
        r,
        "PUT",
        "/api/v1/quotas/pavlodar/2026",
        Some(&set(10_000)),
        Some(&officer),
    )
    .await;
    assert_eq!(
        other.assert_error(StatusCode::FORBIDDEN, "other region"),
        "forbidden"
    );
    let admin = login(r, ADMIN.login, ADMIN.password).await;
    let by_admin = call(
        r,
        "PUT",
        "/api/v1/quotas/pavlodar/2026",
        Some(&set(10_000)),
        Some(&admin),
    )
    .await;
    assert_eq!(by_admin.status, StatusCode::OK, "{}", by_admin.text());
    assert_eq!(public(2026).await["pavlodar"]["quota"], 10_000);
}

/// `request` asking for its answer in `lang` with `Accept-Language`.
fn in_language(mut request: Request<Body>, lang: &str) -> Request<Body> {
    request
        .headers_mut()
        .insert("accept-language", lang.parse().unwrap());
    request
}

/// The error of `reply`, asserting its status, code, field and `Content-Language`.
fn expect_error(
    reply: &Reply,
    status: StatusCode,
    code: &str,
    field: Option<&str>,
    lang: &str,
) -> String {
    let error = reply.error(status, code);
    assert_eq!(error.code, code);
    assert_eq!(error.field.as_deref(), field, "{code}");
    assert_eq!(reply.header("content-language"), Some(lang), "{code}");
    error.message
}

async fn errors_in_the_request_language(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let r = &app.router;
    let send = |request| common::send(r, request);

    // Sign-in failure: the same words for a wrong password and an unknown login.
    let iin = next_iin();
    let reply = call(
        r,
        "POST",
        REGISTER_RESETTLER,
        Some(&resettler_body(&iin, PASSWORD)),
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.text());
    // Registration's answer, the same for a new and a known number, in the language asked.
    for number in [iin.clone(), next_iin()] {
        let reply = call(
            r,
            "POST",
            &format!("{REGISTER_RESETTLER}?lang=ru"),
            Some(&resettler_body(&number, PASSWORD)),
            None,
        )
        .await;
        assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.text());
        assert!(
            reply.json()["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("Регистрация принята.")),
            "{}",
            reply.text()
        );
    }
    for login in [iin.clone(), next_iin()] {
        let body = login_body(&login, "wrong password 1");
        let ru = send(in_language(
            support::request("POST", LOGIN, Some(&body), None),
            "ru-RU,ru;q=0.9,en;q=0.5",
        ))
        .await;
        let message = expect_error(
            &ru,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            None,
            "ru",
        );
        assert_eq!(message, "Неверный логин или пароль.");
        let kk = call(r, "POST", &format!("{LOGIN}?lang=kk"), Some(&body), None).await;
        let message = expect_error(
            &kk,
            StatusCode::UNAUTHORIZED,
            "invalid_credentials",
            None,
            "kk",
        );
        assert_eq!(message, "Логин немесе құпиясөз қате.");
    }

    // A short password: the field in `field`, the message in the language.
    let short = resettler_body(&next_iin(), "short");
    let ru = send(in_language(
        support::request("POST", REGISTER_RESETTLER, Some(&short), None),
        "ru",
    ))
    .await;
    let message = expect_error(
        &ru,
        StatusCode::BAD_REQUEST,
        "weak_password",
        Some("password"),
        "ru",
    );
    assert_eq!(message, "Пароль должен содержать не менее 10 символов.");
    let kk = call(
        r,
        "POST",
        &format!("{REGISTER_RESETTLER}?lang=kk"),
        Some(&short),
        None,
    )
    .await;
    let message = expect_error(
        &kk,
        StatusCode::BAD_REQUEST,
        "weak_password",
        Some("password"),
        "kk",
    );
    assert_eq!(message, "Құпиясөз кемінде 10 таңбадан тұруы керек.");
    // An invalid IIN, in Kazakh.
    let bad_iin = resettler_body("900514300120", PASSWORD);
    let kk = send(in_language(
        support::request("POST", REGISTER_RESETTLER, Some(&bad_iin), None),
        "kk-KZ",
    ))
    .await;
    let message = expect_error(
        &kk,
        StatusCode::BAD_REQUEST,
        "invalid_iin",
        Some("iin"),
        "kk",
    );
    assert!(message.starts_with("ЖСН"), "{message}");

    // Not signed in.
    let ru = send(in_language(support::request("GET", ME, None, None), "ru")).await;
    let message = expect_error(&ru, StatusCode::UNAUTHORIZED, "unauthenticated", None, "ru");
    assert_eq!(message, "Чтобы выполнить это действие, войдите в систему.");
    let kk = call(r, "GET", &format!("{ME}?lang=kk"), None, None).await;
    let message = expect_error(&kk, StatusCode::UNAUTHORIZED, "unauthenticated", None, "kk");
    assert_eq!(message, "Бұл әрекетті орындау үшін жүйеге кіріңіз.");

    // The CSRF refusal, and the same-origin ones.
    let officer = login(r, AKIMAT_NORTH.login, AKIMAT_NORTH.password).await;
    let uri = "/api/v1/quotas/north_kazakhstan/2026";
    let mut request = support::request("PUT", uri, Some(r#"{"quota": 5000}"#), Some(&officer));
    request.headers_mut().remove("x-csrf-token");
    let ru = send(in_language(request, "ru")).await;
    let message = expect_error(&ru, StatusCode::FORBIDDEN, "csrf_token_invalid", None, "ru");
    assert!(message.starts_with("Заголовок X-CSRF-Token"), "{message}");
    let mut request = support::request(
        "PUT",
        &format!("{uri}?lang=kk"),
        Some(r#"{"quota": 5000}"#),
        Some(&officer),
    );
    request.headers_mut().remove("x-csrf-token");
    let kk = send(request).await;
    let message = expect_error(&kk, StatusCode::FORBIDDEN, "csrf_token_invalid", None, "kk");
    assert!(message.starts_with("X-CSRF-Token тақырыбы"), "{message}");
    let mut request = support::request("PUT", uri, Some(r#"{"quota": 5000}"#), Some(&officer));
    request
        .headers_mut()
        .insert("origin", "https://evil.example".parse().unwrap());
    let ru = send(in_language(request, "ru")).await;
    let message = expect_error(&ru, StatusCode::FORBIDDEN, "origin_mismatch", None, "ru");
    assert!(
        message.starts_with("Запрос отправлен не с этого сайта"),
        "{message}"
    );

    // Signed in, but not allowed: a resettler setting a quota.
    let resettler = login(r, RESETTLER.login, RESETTLER.password).await;
    let ru = send(in_language(
        support::request("PUT", uri, Some(r#"{"quota": 5000}"#), Some(&resettler)),
        "ru",
    ))
    .await;
    let message = expect_error(&ru, StatusCode::FORBIDDEN, "forbidden", None, "ru");
    assert_eq!(message, "У вашей учётной записи нет прав на это действие.");

    // A quota below the places already used.
    let quotas = call(r, "GET", "/api/v1/quotas?year=2026", None, None).await;
    let used = quotas.json()["north_kazakhstan"]["used"].as_u64().unwrap();
    assert!(used > 0, "the demo data uses places in 2026");
    {
        let below = json!({ "quota": used - 1 }).to_string();
        let ru = send(in_language(
            support::request("PUT", uri, Some(&below), Some(&officer)),
            "ru",
        ))
        .await;
        let message = expect_error(
            &ru,
            StatusCode::CONFLICT,
            "quota_below_used",
            Some("quota"),
            "ru",
        );
        assert!(
            message.starts_with("Квота не может быть меньше"),
            "{message}"
        );
        assert!(message.contains(&format!("занято {used}")), "{message}");
        let kk = call(
            r,
            "PUT",
            &format!("{uri}?lang=kk"),
            Some(&below),
            Some(&officer),
        )
        .await;
        let message = expect_error(
            &kk,
            StatusCode::CONFLICT,
            "quota_below_used",
            Some("quota"),
            "kk",
        );
        assert!(
            message.starts_with("Квота бұрыннан пайдаланылған"),
            "{message}"
        );
    }
    // A quota above the largest accepted: the field is `quota`.
    let huge = json!({ "quota": 5_000_000 }).to_string();
    let kk = call(
        r,
        "PUT",
        &format!("{uri}?lang=kk"),
        Some(&huge),
        Some(&officer),
    )
    .await;
    let message = expect_error(
        &kk,
        StatusCode::BAD_REQUEST,
        "quota_out_of_range",
        Some("quota"),
        "kk",
    );
    assert!(message.contains("отбасыдан аспауы керек"), "{message}");

    // Outside the API router: the site's answer for an unknown `/api/…` path.
    let ru = send(in_language(
        support::request("GET", "/api/nothing", None, None),
        "ru",
    ))
    .await;
    let message = expect_error(&ru, StatusCode::NOT_FOUND, "not_found", None, "ru");
    assert!(message.starts_with("Такого адреса в API нет"), "{message}");
}

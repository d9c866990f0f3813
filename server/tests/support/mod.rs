//! Helpers for the tests of accounts, sessions and authorization: requests made the way the
//! app makes them (cookie, CSRF token, JSON), generated IINs and BINs, the demo accounts.

#![allow(dead_code, unused_imports)]

use crate::common::{send, Reply};
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
    Router,
};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicU32, Ordering};

pub use server::demo::{ADMIN, AKIMAT_NORTH, AKIMAT_PAVLODAR, EMPLOYER, RESETTLER};

/// A signed-in browser: its session cookie and the CSRF token it was given.
#[derive(Debug, Clone)]
pub struct Session {
    /// `qonys_session=…`, as the browser sends it back.
    pub cookie: String,
    pub token: String,
    pub csrf: String,
    /// The body of the login answer.
    pub json: Value,
}

impl Session {
    pub fn user_id(&self) -> i64 {
        self.json["account"]["id"].as_i64().expect("account id")
    }
}

/// The session token set by an answer's `Set-Cookie`, if any (empty when cleared).
pub fn set_cookie_token(reply: &Reply) -> Option<String> {
    let cookie = reply.header("set-cookie")?;
    let value = cookie.strip_prefix("qonys_session=")?;
    Some(value.split(';').next().unwrap_or_default().to_string())
}

/// A request as the app sends it: JSON for anything but GET, the session's cookie and, for
/// anything but GET, its CSRF token.
pub fn request(
    method: &str,
    uri: &str,
    body: Option<&str>,
    session: Option<&Session>,
) -> Request<Body> {
    let mut builder = Request::builder()
        .method(crate::common::method(method))
        .uri(uri)
        .header(header::HOST, "qonys.test");
    let changes_state = !matches!(method, "GET" | "HEAD");
    if changes_state {
        builder = builder
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ORIGIN, "http://qonys.test")
            .header("sec-fetch-site", "same-origin");
    }
    if let Some(session) = session {
        builder = builder.header(header::COOKIE, format!("lang=kk; {}", session.cookie));
        if changes_state {
            builder = builder.header("x-csrf-token", &session.csrf);
        }
    }
    builder
        .body(Body::from(body.unwrap_or_default().to_string()))
        .unwrap()
}

pub fn login_body(login: &str, password: &str) -> String {
    serde_json::json!({ "login": login, "password": password }).to_string()
}

/// Signs in and asserts it worked.
pub async fn login(router: &Router, login: &str, password: &str) -> Session {
    let reply = send(
        router,
        request(
            "POST",
            "/api/v1/auth/login",
            Some(&login_body(login, password)),
            None,
        ),
    )
    .await;
    assert_eq!(
        reply.status,
        StatusCode::OK,
        "login {login}: {}",
        reply.text()
    );
    let token = set_cookie_token(&reply).expect("a session cookie");
    let json = reply.json();
    Session {
        cookie: format!("qonys_session={token}"),
        csrf: json["csrf_token"].as_str().expect("csrf token").to_string(),
        token,
        json,
    }
}

/// Sends `method uri` with `body` as `session`.
pub async fn call(
    router: &Router,
    method: &str,
    uri: &str,
    body: Option<&str>,
    session: Option<&Session>,
) -> Reply {
    send(router, request(method, uri, body, session)).await
}

pub fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn check_digit(first: &[u8; 11]) -> Option<u8> {
    shared::iin::check_digit(first)
}

fn with_check(prefix: &str, serial: u32) -> Option<String> {
    let text = format!("{prefix}{serial:04}");
    let digits: Vec<u8> = text.bytes().map(|b| b - b'0').collect();
    let first: [u8; 11] = digits.try_into().ok()?;
    check_digit(&first).map(|c| format!("{text}{c}"))
}

static SERIAL: AtomicU32 = AtomicU32::new(1);

/// A generated IIN (born 1985-01-01, male), new on every call in this test binary.
pub fn next_iin() -> String {
    loop {
        let serial = SERIAL.fetch_add(1, Ordering::Relaxed);
        if let Some(iin) = with_check("8501013", serial % 10_000) {
            assert!(shared::iin::Iin::parse(&iin).is_ok());
            return iin;
        }
    }
}

/// A generated BIN (registered 2024-06, resident legal entity), new on every call.
pub fn next_bin() -> String {
    loop {
        let serial = SERIAL.fetch_add(1, Ordering::Relaxed);
        // YYMM, type 4, attribute 0, then five serial digits: the first is fixed at 0.
        if let Some(bin) = with_check("2406400", serial % 10_000) {
            assert!(shared::iin::Bin::parse(&bin).is_ok());
            return bin;
        }
    }
}

/// A new staff login.
pub fn next_login(prefix: &str) -> String {
    format!("{prefix}{}", SERIAL.fetch_add(1, Ordering::Relaxed))
}

pub const PHONE: &str = "+7 701 555 12 34";
pub const PASSWORD: &str = "a long test password";

pub fn resettler_body(iin: &str, password: &str) -> String {
    serde_json::json!({ "iin": iin, "phone": PHONE, "password": password }).to_string()
}

pub fn employer_body(bin: &str, password: &str) -> String {
    serde_json::json!({
        "bin": bin,
        "organisation": "ТОО «Test Agro»",
        "contact": "HR, +7 715 200 00 01",
        "password": password,
    })
    .to_string()
}

/// Every audit entry's text fields, joined: what an auditor can read.
pub async fn audit_text(store: &server::Store) -> String {
    use sqlx::Row;
    let rows =
        sqlx::query("SELECT actor, action, subject, before, after FROM audit_log ORDER BY seq")
            .fetch_all(store.pool())
            .await
            .unwrap();
    let mut out = String::new();
    for row in rows {
        for column in ["actor", "action", "subject", "before", "after"] {
            let value: Option<String> = row.try_get(column).unwrap();
            out.push_str(&value.unwrap_or_default());
            out.push('\t');
        }
        out.push('\n');
    }
    out
}

/// The audit entries with this action, as (actor, subject, before, after).
pub async fn audit_entries(
    store: &server::Store,
    action: &str,
) -> Vec<(String, Option<String>, Option<Value>, Option<Value>)> {
    use sqlx::Row;
    let rows = sqlx::query(
        "SELECT actor, subject, before, after FROM audit_log WHERE action = $1 ORDER BY seq",
    )
    .bind(action)
    .fetch_all(store.pool())
    .await
    .unwrap();
    let json = |text: Option<String>| text.map(|t| serde_json::from_str::<Value>(&t).unwrap());
    rows.into_iter()
        .map(|row| {
            (
                row.try_get("actor").unwrap(),
                row.try_get("subject").unwrap(),
                json(row.try_get("before").unwrap()),
                json(row.try_get("after").unwrap()),
            )
        })
        .collect()
}

/// The id of the account with this login.
pub async fn user_id(store: &server::Store, login: &str) -> i64 {
    use sqlx::Row;
    sqlx::query("SELECT id FROM users WHERE login = $1")
        .bind(login)
        .fetch_one(store.pool())
        .await
        .unwrap()
        .try_get("id")
        .unwrap()
}

/// A user row made directly (no password that signs in), for arranging data fast.
pub async fn insert_user(store: &server::Store, role: &str) -> i64 {
    use sqlx::Row;
    let login = match role {
        "resettler" => next_iin(),
        "employer" => next_bin(),
        _ => next_login("user."),
    };
    sqlx::query(
        "INSERT INTO users (role, login, password_hash, phone, organisation, created_at) \
         VALUES ($1, $2, 'not-a-hash', $3, $4, '2026-01-01T00:00:00Z') RETURNING id",
    )
    .bind(role)
    .bind(login)
    .bind(PHONE)
    .bind("ТОО «Other»")
    .fetch_one(store.pool())
    .await
    .unwrap()
    .try_get("id")
    .unwrap()
}

/// A submitted application of a new resettler, to `region` for `year`.
pub async fn insert_application(
    store: &server::Store,
    region: &str,
    year: i64,
    vacancy: Option<i64>,
) -> i64 {
    use sqlx::Row;
    let applicant = insert_user(store, "resettler").await;
    sqlx::query(
        "INSERT INTO applications (applicant_id, status, region, settlement, vacancy_id, year, \
         family_size, family_members, birth_date, citizenship, current_region, prior_support, \
         submitted_at) VALUES ($1, 'submitted', $2, 'urban', $3, $4, 1, '[]', '1985-01-01', \
         'citizen', 'turkestan', 0, '2026-03-01T00:00:00Z') RETURNING id",
    )
    .bind(applicant)
    .bind(region)
    .bind(vacancy)
    .bind(year)
    .fetch_one(store.pool())
    .await
    .unwrap()
    .try_get("id")
    .unwrap()
}

/// An open vacancy of `employer` in `region`.
pub async fn insert_vacancy(store: &server::Store, employer: i64, region: &str) -> i64 {
    use sqlx::Row;
    sqlx::query(
        "INSERT INTO vacancies (employer_id, title, description, region, settlement, \
         salary_tiyn, places, housing_provided, status, created_at, updated_at) \
         VALUES ($1, 'Welder', 'Shift work.', $2, 'urban', 25000000, 3, 1, 'open', \
         '2026-03-01T00:00:00Z', '2026-03-01T00:00:00Z') RETURNING id",
    )
    .bind(employer)
    .bind(region)
    .fetch_one(store.pool())
    .await
    .unwrap()
    .try_get("id")
    .unwrap()
}

/// A vacancy as an employer writes it.
pub fn vacancy_body(region: &str, salary: &str) -> String {
    serde_json::json!({
        "title": "Сварщик / Welder",
        "description": "Сменная работа на заводе в Петропавловске.",
        "region": region,
        "settlement": "urban",
        "monthly_salary": salary,
        "places": 3,
        "housing_provided": true,
    })
    .to_string()
}

/// The demo resettler's application (the SPEC's worked example profile).
pub fn application_body(region: &str, members: &[(&str, &str)]) -> String {
    let members: Vec<Value> = members
        .iter()
        .map(|(iin, born)| serde_json::json!({ "iin": iin, "birth_date": born }))
        .collect();
    serde_json::json!({
        "family_members": members,
        "destination": { "region": region, "settlement": "urban" },
        "birth_date": "1990-05-14",
        "citizenship": "citizen",
        "current_region": "turkestan",
        "prior_resettlement_support": false,
    })
    .to_string()
}

/// Petropavl, in North Kazakhstan region.
pub const PETROPAVL: (f64, f64) = (54.8728, 69.1430);
/// Pavlodar, in Pavlodar region.
pub const PAVLODAR_CITY: (f64, f64) = (52.2873, 76.9674);

/// A payee row made directly in `status` (`pending`, `active`, `inactive`) at `(lat, lon)`;
/// an active one with its ledger account, as verification leaves it.
pub async fn insert_payee(
    store: &server::Store,
    region: &str,
    category: &str,
    status: &str,
    (lat, lon): (f64, f64),
) -> i64 {
    use sqlx::Row;
    let id: i64 = sqlx::query(
        "INSERT INTO payees (name, id_number, category, address, region, lat_e6, lon_e6, \
         status, registered_at) VALUES ('ТОО «Test Housing»', $1, $2, 'ул. Тестовая, 1', $3, \
         $4, $5, $6, '2026-03-01T00:00:00Z') RETURNING id",
    )
    .bind(next_bin())
    .bind(category)
    .bind(region)
    .bind((lat * 1e6).round() as i64)
    .bind((lon * 1e6).round() as i64)
    .bind(status)
    .fetch_one(store.pool())
    .await
    .unwrap()
    .try_get("id")
    .unwrap();
    if status == "active" {
        server::ledger::open_account(
            store,
            &server::ledger::AccountKey::Payee(id),
            server::payees::PAYEE_FLAGS,
        )
        .await
        .unwrap();
    }
    id
}

static TRANSFER: AtomicU32 = AtomicU32::new(1);

/// A transfer id not used before in this test binary.
pub fn next_transfer_id() -> server::ledger::TransferId {
    let n = TRANSFER.fetch_add(1, Ordering::Relaxed);
    server::ledger::derived_id(&format!("test-transfer:{}:{n}", std::process::id()))
}

/// Puts `tiyn` on `resettler`'s voucher for `month` (opening it if needed), funded from
/// `region`'s budget by the program, straight through the ledger.
pub async fn issue_voucher(
    store: &server::Store,
    resettler: i64,
    region: shared::Region,
    month: server::ledger::Month,
    tiyn: i64,
) {
    use server::ledger::{self, AccountFlags, AccountKey, TransferKind, TransferRequest};
    let budget = AccountKey::RegionBudget(region);
    let voucher = AccountKey::Voucher { resettler, month };
    ledger::open_account(store, &AccountKey::Program, AccountFlags::NONE)
        .await
        .unwrap();
    for key in [budget, voucher] {
        ledger::open_account(store, &key, AccountFlags::NO_OVERDRAFT)
            .await
            .unwrap();
    }
    for (debit, credit, kind) in [
        (AccountKey::Program, budget, TransferKind::Fund),
        (budget, voucher, TransferKind::Issue),
    ] {
        let request = TransferRequest {
            id: next_transfer_id(),
            debit,
            credit,
            amount_tiyn: tiyn,
            kind,
            reference: "test".into(),
        };
        ledger::transfer(store, &request).await.unwrap();
    }
}

/// Makes `resettler`'s application to `region` approved now: their submitted one, or a new
/// one.
pub async fn approve_directly(store: &server::Store, resettler: i64, region: &str) {
    let now = server::applications::now_text();
    sqlx::query(
        "UPDATE applications SET status = 'approved', decided_at = $1 \
         WHERE applicant_id = $2 AND status = 'submitted'",
    )
    .bind(&now)
    .bind(resettler)
    .execute(store.pool())
    .await
    .unwrap();
    if server::payments::destination_of(store, resettler)
        .await
        .unwrap()
        .is_none()
    {
        sqlx::query(
            "INSERT INTO applications (applicant_id, status, region, settlement, year, \
             family_size, family_members, birth_date, citizenship, current_region, \
             prior_support, submitted_at, decided_at) VALUES ($1, 'approved', $2, 'urban', \
             2026, 1, '[]', '1985-01-01', 'citizen', 'turkestan', 0, $3, $3)",
        )
        .bind(resettler)
        .bind(region)
        .bind(&now)
        .execute(store.pool())
        .await
        .unwrap();
    }
}

/// What `resettler` needs to pay in North Kazakhstan today: an approved application there,
/// 1 000 tenge more on this month's voucher, and a new active rent payee in Petropavl,
/// whose id is returned.
pub async fn arrange_payable(store: &server::Store, resettler: i64) -> i64 {
    let region = shared::Region::NorthKazakhstan;
    approve_directly(store, resettler, region.id()).await;
    let month = server::ledger::Month::of(chrono::Utc::now().date_naive());
    issue_voucher(store, resettler, region, month, 100_000).await;
    insert_payee(store, region.id(), "rent", "active", PETROPAVL).await
}

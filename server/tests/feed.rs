//! The state data feed (SPEC §8) as the registries' system uses it, on SQLite and
//! PostgreSQL: service tokens, CSV and JSON files, every rejection reason, months sent
//! again, large files read as a stream, the request guard around it, and an admin's upload
//! from the app.

mod common;
mod support;

use axum::{
    body::{Body, Bytes},
    http::{header, Request, StatusCode},
};
use common::{Backend, Options, Reply, TestApp};
use serde_json::{json, Value};
use server::{
    audit::{self, Verdict},
    feed::{self, FeedReport, Format, Importer, Settings},
    service_tokens::{self, ServiceClient},
};
use shared::{
    contract::{ContractTerms, TermsDraft},
    ledger::Month,
    Lang, Policy, Region, Tenge,
};
use sqlx::Row;
use support::*;

on_both_backends!(
    csv_and_json_files,
    every_rejection_reason,
    tokens_and_media_types,
    a_broken_or_oversized_file_keeps_the_rows_before,
    the_guard_exempts_only_the_feed,
    a_large_file_streams,
    an_admin_uploads_from_the_app,
);

const FEED: &str = "/api/v1/feed/confirmations";
const HEADER: &str = "iin,bin,month,resident,employed,social_paid,pension_paid";

async fn start(backend: Backend) -> Option<(TestApp, String)> {
    let app = TestApp::with(
        backend,
        Options {
            demo: false,
            site: None,
        },
    )
    .await?;
    let token = service_tokens::create(&app.store, "registry")
        .await
        .unwrap();
    Some((app, token))
}

/// The month `offset` months from the current one, `YYYY-MM`.
fn month(offset: i32) -> String {
    let now = Month::of(chrono::Utc::now().date_naive());
    let index = now.year() * 12 + now.month() as i32 - 1 + offset;
    format!("{:04}-{:02}", index / 12, index % 12 + 1)
}

/// A contract between a new resettler and a new employer, started `start` months from now.
async fn contract(app: &TestApp, start: i32) -> (i64, String, String) {
    let (iin, bin) = (next_iin(), next_bin());
    let id = insert_contract(app, &iin, &bin, &month(start)).await;
    (id, iin, bin)
}

async fn insert_contract(app: &TestApp, iin: &str, bin: &str, start: &str) -> i64 {
    sqlx::query(
        "INSERT INTO contracts (resettler_iin, employer_bin, start_month, status, created_at) \
         VALUES ($1, $2, $3, 'active', '2026-01-01T00:00:00Z') RETURNING id",
    )
    .bind(iin)
    .bind(bin)
    .bind(start)
    .fetch_one(app.store.pool())
    .await
    .unwrap()
    .get("id")
}

/// A contract with terms between a new resettler and a new employer, started `start`
/// months from now, in `status` (`signing`, `active`…).
async fn contract_with_terms(app: &TestApp, start: i32, status: &str) -> (i64, String, String) {
    let login = |id: i64| async move {
        sqlx::query("SELECT login FROM users WHERE id = $1")
            .bind(id)
            .fetch_one(app.store.pool())
            .await
            .unwrap()
            .get::<String, _>("login")
    };
    let resettler = insert_user(&app.store, "resettler").await;
    let employer = insert_user(&app.store, "employer").await;
    let (iin, bin) = (login(resettler).await, login(employer).await);
    let id = insert_contract(app, &iin, &bin, &month(start)).await;
    let draft = TermsDraft {
        resettler_id: resettler,
        resettler_iin: iin.clone(),
        employer_id: employer,
        employer_bin: bin.clone(),
        region: Region::NorthKazakhstan,
        vacancy_id: 1,
        position: "Welder".into(),
        monthly_salary: Tenge::from_tiyn(250_000 * 100),
        start_month: Month::new(2024, 1).unwrap(),
        declared_housing_costs: Tenge::from_tiyn(1_000_000 * 100),
    };
    let created_on = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let mut terms = ContractTerms::fix(id, draft, created_on, Policy::current()).unwrap();
    terms.start_month = Month::parse(&month(start)).unwrap();
    sqlx::query("UPDATE contracts SET terms = $1, status = $2 WHERE id = $3")
        .bind(serde_json::to_string(&terms).unwrap())
        .bind(status)
        .bind(id)
        .execute(app.store.pool())
        .await
        .unwrap();
    (id, iin, bin)
}

/// The stored confirmations of a contract: month → the four facts.
async fn confirmations(app: &TestApp, contract: i64) -> Vec<(String, [bool; 4])> {
    sqlx::query(
        "SELECT month, resident, employed, social_paid, pension_paid FROM confirmations \
         WHERE contract_id = $1 ORDER BY month",
    )
    .bind(contract)
    .fetch_all(app.store.pool())
    .await
    .unwrap()
    .iter()
    .map(|row| {
        let flag = |c: &str| row.get::<i64, _>(c) == 1;
        (
            row.get("month"),
            [
                flag("resident"),
                flag("employed"),
                flag("social_paid"),
                flag("pension_paid"),
            ],
        )
    })
    .collect()
}

/// A feed request as the registries' system sends it: no Origin, no cookie.
fn feed_request(token: Option<&str>, content_type: &str, body: Body) -> Request<Body> {
    let mut request = Request::post(FEED).header(header::CONTENT_TYPE, content_type);
    if let Some(token) = token {
        request = request.header(header::AUTHORIZATION, format!("Bearer {token}"));
    }
    request.body(body).unwrap()
}

async fn send_feed(app: &TestApp, token: &str, content_type: &str, body: &str) -> Reply {
    app.send(feed_request(
        Some(token),
        content_type,
        Body::from(body.to_string()),
    ))
    .await
}

fn report(reply: &Reply) -> FeedReport {
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    serde_json::from_slice(&reply.body).unwrap()
}

fn codes(report: &FeedReport) -> Vec<(u64, &str)> {
    report
        .rejected
        .iter()
        .map(|r| (r.row, r.code.as_str()))
        .collect()
}

fn csv_row(iin: &str, bin: &str, month: &str, flags: &str) -> String {
    format!("{iin},{bin},{month},{flags}\n")
}

fn json_row(iin: &str, bin: &str, month: &str, all: bool) -> Value {
    json!({
        "iin": iin, "bin": bin, "month": month,
        "resident": all, "employed": true, "social_paid": true, "pension_paid": all,
    })
}

async fn csv_and_json_files(backend: Backend) {
    let Some((app, token)) = start(backend).await else {
        return;
    };
    let (first, iin, bin) = contract(&app, -5).await;
    let (second, iin2, bin2) = contract(&app, -3).await;

    // CSV with the columns in another order, CRLF line ends and yes/no in both spellings.
    let body = format!(
        "month,pension_paid,iin,bin,social_paid,employed,resident\r\n\
         {},1,{iin},{bin},1,1,1\r\n\
         {},false,{iin},{bin},TRUE,true,true\r\n\
         {},1,{iin2},{bin2},1,1,1\r\n",
        month(-5),
        month(-4),
        month(-3),
    );
    let r = report(&send_feed(&app, &token, "text/csv; charset=utf-8", &body).await);
    assert_eq!((r.accepted, r.replaced, r.rejected.len()), (3, 0, 0));
    assert_eq!(
        confirmations(&app, first).await,
        [
            (month(-5), [true, true, true, true]),
            (month(-4), [true, true, true, false]),
        ]
    );

    // JSON: one new month, one sent again with other facts: replaced, never doubled.
    let body = json!([
        json_row(&iin2, &bin2, &month(-2), true),
        json_row(&iin, &bin, &month(-4), true),
    ])
    .to_string();
    let r = report(&send_feed(&app, &token, "application/json", &body).await);
    assert_eq!((r.accepted, r.replaced, r.rejected.len()), (2, 1, 0));
    assert_eq!(
        confirmations(&app, first).await[1],
        (month(-4), [true, true, true, true])
    );
    assert_eq!(confirmations(&app, second).await.len(), 2);
    let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM confirmations")
        .fetch_one(app.store.pool())
        .await
        .unwrap()
        .get("n");
    assert_eq!(count, 4);

    // One audit entry per file, by the token, with its counts; the chain intact.
    let entries = audit_entries(&app.store, audit::action::FEED_IMPORT).await;
    assert_eq!(entries.len(), 2);
    let token_id: i64 = sqlx::query("SELECT id FROM service_tokens WHERE name = 'registry'")
        .fetch_one(app.store.pool())
        .await
        .unwrap()
        .get("id");
    let (actor, _, _, after) = &entries[1];
    assert_eq!(actor, &format!("service:{token_id}"));
    let after = after.as_ref().unwrap();
    assert_eq!(after["token"], "registry");
    assert_eq!(after["format"], "json");
    assert_eq!(
        (&after["rows"], &after["accepted"], &after["replaced"]),
        (&json!(2), &json!(2), &json!(1))
    );
    assert_eq!(after["complete"], true);
    assert!(
        !audit_text(&app.store).await.contains(&iin),
        "no IIN in the log"
    );
    assert!(matches!(
        audit::verify(&app.store).await.unwrap(),
        Verdict::Intact { .. }
    ));
}

async fn every_rejection_reason(backend: Backend) {
    let Some((app, token)) = start(backend).await else {
        return;
    };
    let (id, iin, bin) = contract(&app, -6).await;
    // A second contract between the same two, started later: its months go to it.
    let later = insert_contract(&app, &iin, &bin, &month(-2)).await;
    let stranger = next_iin();
    // A contract with terms runs 72 months at most: this one ended 9 months ago.
    let (_, old_iin, old_bin) = contract_with_terms(&app, -80, "active").await;
    let (_, new_iin, new_bin) = contract_with_terms(&app, -2, "signing").await;
    let ok = "1,1,1,1";
    let rows = [
        csv_row(&iin, &bin, &month(-6), ok),           // 1 applied
        csv_row("900514300123", &bin, &month(-5), ok), // 2 bad IIN check digit
        csv_row(&iin, "971240001316", &month(-5), ok), // 3 bad BIN
        csv_row(&iin, &bin, "2026-13", ok),            // 4 no such month
        csv_row(&iin, &bin, &month(-5), "1,yes,1,1"),  // 5 not a yes/no
        format!("{iin},{bin},{}\n", month(-5)),        // 6 too few fields
        csv_row(&iin, &bin, &month(-6), "0,0,0,0"),    // 7 duplicate of row 1
        csv_row(&stranger, &bin, &month(-5), ok),      // 8 no contract
        csv_row(&iin, &bin, &month(-7), ok),           // 9 before the contract
        csv_row(&iin, &bin, &month(1), ok),            // 10 not begun
        csv_row(&iin, &bin, &month(0), "0,1,1,1"),     // 11 applied (this month)
        format!("\"{iin}\",\"{bin}\",\"{}\",1,1,1,1\n", month(-1)), // 12 quoted: applied
        csv_row(&old_iin, &old_bin, &month(-80), ok),  // 13 applied
        csv_row(&old_iin, &old_bin, &month(-8), ok),   // 14 after its last month
        csv_row(&new_iin, &new_bin, &month(-1), ok),   // 15 still being signed
    ];
    let body = format!("{HEADER}\n{}", rows.concat());
    let reply = app
        .send(
            Request::post(format!("{FEED}?lang=ru"))
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "text/csv")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    let r = report(&reply);
    assert_eq!(
        codes(&r),
        [
            (2, "invalid_iin"),
            (3, "invalid_bin"),
            (4, "invalid_month"),
            (5, "invalid_value"),
            (6, "malformed_row"),
            (7, "duplicate_row"),
            (8, "unknown_contract"),
            (9, "month_outside_contract"),
            (10, "month_outside_contract"),
            (14, "month_outside_contract"),
            (15, "contract_not_active"),
        ]
    );
    assert_eq!((r.accepted, r.replaced), (4, 0));
    let after_the_end = &r.rejected[9].message;
    assert!(
        after_the_end.contains(&format!("с {} по {}", month(-80), month(-9))),
        "{after_the_end}"
    );
    for rejected in &r.rejected {
        assert!(common::has_cyrillic(&rejected.message), "{rejected:?}");
    }
    assert!(
        r.rejected[5].message.contains("строке 1"),
        "{:?}",
        r.rejected[5]
    );
    // Nothing of a rejected row applied: the first contract has row 1 only, the later
    // contract this month and last month.
    assert_eq!(
        confirmations(&app, id).await,
        [(month(-6), [true, true, true, true])]
    );
    assert_eq!(
        confirmations(&app, later).await,
        [
            (month(-1), [true, true, true, true]),
            (month(0), [false, true, true, true]),
        ]
    );

    // JSON's own: a string for a boolean, a number for the IIN, unknown and missing keys,
    // an element that is no object; messages in Kazakh from Accept-Language.
    let mut wrong_type = json_row(&iin, &bin, &month(-5), true);
    wrong_type["employed"] = json!("true");
    let mut number_iin = json_row(&iin, &bin, &month(-5), true);
    number_iin["iin"] = json!(900514300121_u64);
    let mut unknown = json_row(&iin, &bin, &month(-5), true);
    unknown["comment"] = json!("x");
    let mut missing = json_row(&iin, &bin, &month(-5), true);
    missing.as_object_mut().unwrap().remove("pension_paid");
    let body = json!([
        wrong_type,
        number_iin,
        unknown,
        missing,
        [1],
        json_row(&iin, &bin, &month(-5), true)
    ])
    .to_string();
    let reply = app
        .send(
            Request::post(FEED)
                .header(header::AUTHORIZATION, format!("Bearer {token}"))
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::ACCEPT_LANGUAGE, "kk-KZ")
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    let r = report(&reply);
    assert_eq!(
        codes(&r),
        [
            (1, "invalid_value"),
            (2, "invalid_iin"),
            (3, "malformed_row"),
            (4, "malformed_row"),
            (5, "malformed_row"),
        ]
    );
    assert_eq!(r.accepted, 1);
    assert!(r.rejected[0].message.contains("employed") && r.rejected[0].message.contains("мәні"));
}

async fn tokens_and_media_types(backend: Backend) {
    let Some((app, token)) = start(backend).await else {
        return;
    };
    let (_, iin, bin) = contract(&app, -1).await;
    let csv = format!("{HEADER}\n{}", csv_row(&iin, &bin, &month(0), "1,1,1,1"));
    let json_body = json!([json_row(&iin, &bin, &month(0), true)]).to_string();

    // Without a token (a JSON body passes the guard): 401, saying how to send one.
    let reply = app
        .send(feed_request(
            None,
            "application/json",
            Body::from(json_body.clone()),
        ))
        .await;
    let error = reply.error(StatusCode::UNAUTHORIZED, "no token");
    assert_eq!(error.code, "service_token_required");
    assert_eq!(reply.header("www-authenticate"), Some("Bearer"));
    for wrong in ["not-a-token", &"0".repeat(64)] {
        let reply = send_feed(&app, wrong, "text/csv", &csv).await;
        let error = reply.error(StatusCode::UNAUTHORIZED, "unknown token");
        assert_eq!(error.code, "service_token_invalid");
    }
    let reply = app
        .send(
            Request::post(FEED)
                .header(header::AUTHORIZATION, format!("Basic {token}"))
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(json_body.clone()))
                .unwrap(),
        )
        .await;
    assert_eq!(
        reply.error(StatusCode::UNAUTHORIZED, "basic").code,
        "service_token_required"
    );

    // The live token works; revoked, it is refused at once.
    assert_eq!(
        report(&send_feed(&app, &token, "text/csv", &csv).await).accepted,
        1
    );
    let other = service_tokens::create(&app.store, "registry-2")
        .await
        .unwrap();
    assert_eq!(
        service_tokens::revoke(&app.store, "registry")
            .await
            .unwrap(),
        service_tokens::Revoked::Now
    );
    let reply = send_feed(&app, &token, "text/csv", &csv).await;
    assert_eq!(
        reply.error(StatusCode::UNAUTHORIZED, "revoked").code,
        "service_token_invalid"
    );
    assert_eq!(
        report(&send_feed(&app, &other, "text/csv", &csv).await).replaced,
        1
    );

    // Other formats: 415, nothing read.
    for content_type in [
        "text/plain",
        "application/xml",
        "text/csv; charset=windows-1251",
    ] {
        let reply = send_feed(&app, &other, content_type, &csv).await;
        let error = reply.error(StatusCode::UNSUPPORTED_MEDIA_TYPE, content_type);
        assert_eq!(error.code, "unsupported_media_type");
        assert!(error.message.contains("text/csv"), "{}", error.message);
    }
    let reply = app
        .send(
            Request::post(FEED)
                .header(header::AUTHORIZATION, format!("Bearer {other}"))
                .body(Body::from(csv.clone()))
                .unwrap(),
        )
        .await;
    reply.error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "no content type");

    // Bodies that are no feed file at all: 400, nothing applied.
    let refusals = [
        ("text/csv", String::new(), "empty_file", None),
        ("text/csv", "\r\n\r\n".into(), "empty_file", None),
        (
            "text/csv",
            format!("{}\n", HEADER.replace(",pension_paid", "")),
            "missing_column",
            Some("pension_paid"),
        ),
        (
            "text/csv",
            format!("{HEADER},note\n"),
            "unknown_column",
            Some("note"),
        ),
        (
            "text/csv",
            format!("{HEADER},IIN\n"),
            "duplicate_column",
            Some("iin"),
        ),
        ("application/json", String::new(), "empty_file", None),
        (
            "application/json",
            "{\"iin\": 1}".into(),
            "malformed_file",
            None,
        ),
        ("application/json", "<xml/>".into(), "malformed_file", None),
        ("application/json", "[,]".into(), "malformed_file", None),
    ];
    for (content_type, body, code, field) in refusals {
        let reply = send_feed(&app, &other, content_type, &body).await;
        let error = reply.error(StatusCode::BAD_REQUEST, &body);
        assert_eq!(
            (error.code.as_str(), error.field.as_deref()),
            (code, field),
            "{body:?}"
        );
    }
    let reply = app
        .send(feed_request(
            Some(&other),
            "text/csv",
            Body::from(vec![0xff, 0xfe, b'\n']),
        ))
        .await;
    assert_eq!(
        reply.error(StatusCode::BAD_REQUEST, "binary").code,
        "malformed_file"
    );
    // Declared larger than the limit: refused before reading.
    let reply = app
        .send(
            Request::post(FEED)
                .header(header::AUTHORIZATION, format!("Bearer {other}"))
                .header(header::CONTENT_TYPE, "text/csv")
                .header(header::CONTENT_LENGTH, (feed::BODY_LIMIT + 1).to_string())
                .body(Body::from(csv.clone()))
                .unwrap(),
        )
        .await;
    assert_eq!(
        reply.error(StatusCode::PAYLOAD_TOO_LARGE, "declared").code,
        "payload_too_large"
    );

    // Only files read are audited: one by each token.
    assert_eq!(
        audit_entries(&app.store, audit::action::FEED_IMPORT)
            .await
            .len(),
        2
    );
}

async fn a_broken_or_oversized_file_keeps_the_rows_before(backend: Backend) {
    let Some((app, token)) = start(backend).await else {
        return;
    };
    let (id, iin, bin) = contract(&app, -3).await;
    let good = |m| json_row(&iin, &bin, &month(m), true).to_string();
    let body = format!("[{}, {}] trailing", good(-3), good(-2));
    let r = report(&send_feed(&app, &token, "application/json", &body).await);
    assert_eq!(r.accepted, 2);
    assert_eq!(codes(&r), [(3, "malformed_file")]);
    assert_eq!(confirmations(&app, id).await.len(), 2);

    // Past the size limit, reading stops where the limit is crossed.
    let client = ServiceClient {
        token_id: 1,
        name: "registry".into(),
    };
    let first = format!("{HEADER}\n{}", csv_row(&iin, &bin, &month(-1), "1,1,1,1"));
    let pieces = vec![
        Ok::<_, std::convert::Infallible>(Bytes::from(first.clone())),
        Ok(Bytes::from(csv_row(&iin, &bin, &month(0), "1,1,1,1"))),
    ];
    let settings = Settings {
        lang: Lang::En,
        limit: first.len() + 10,
        today: chrono::Utc::now().date_naive(),
    };
    let r = feed::import(
        &app.store,
        &Importer::Service(client),
        Format::Csv,
        futures_util::stream::iter(pieces),
        settings,
    )
    .await
    .unwrap();
    assert_eq!((r.accepted, codes(&r)), (1, vec![(2, "file_too_large")]));
    assert_eq!(confirmations(&app, id).await.len(), 3);
}

async fn the_guard_exempts_only_the_feed(backend: Backend) {
    let Some((app, token)) = start(backend).await else {
        return;
    };
    let (_, iin, bin) = contract(&app, 0).await;
    let csv = format!("{HEADER}\n{}", csv_row(&iin, &bin, &month(0), "1,1,1,1"));
    let bearer = format!("Bearer {token}");

    // The feed with a Bearer token: a CSV body and a foreign Origin do not matter.
    let reply = app
        .send(
            Request::post(FEED)
                .header(header::AUTHORIZATION, &bearer)
                .header(header::CONTENT_TYPE, "text/csv")
                .header(header::ORIGIN, "https://registry.example")
                .header("sec-fetch-site", "cross-site")
                .body(Body::from(csv.clone()))
                .unwrap(),
        )
        .await;
    assert_eq!(report(&reply).accepted, 1);

    // Without one the feed is guarded like everything else (but that CSV passes, for an
    // admin's upload): another type → 415, cross-site → 403, no session → 401.
    let reply = app
        .send(feed_request(None, "text/plain", Body::from(csv.clone())))
        .await;
    reply.error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "feed without a token");
    let reply = app
        .send(feed_request(None, "text/csv", Body::from(csv.clone())))
        .await;
    assert_eq!(
        reply
            .error(StatusCode::UNAUTHORIZED, "CSV without a token")
            .code,
        "service_token_required"
    );
    let reply = app
        .send(
            Request::post(FEED)
                .header(header::CONTENT_TYPE, "application/json")
                .header("sec-fetch-site", "cross-site")
                .body(Body::from("[]"))
                .unwrap(),
        )
        .await;
    assert_eq!(
        reply.error(StatusCode::FORBIDDEN, "cross-site").code,
        "cross_site_request"
    );

    // Every other endpoint ignores the Bearer token: non-JSON, cross-site and, with a
    // session, requests without the CSRF token are refused as before.
    let with_bearer = |uri: &str, content_type: &str, body: &str| {
        Request::post(uri)
            .header(header::HOST, "qonys.test")
            .header(header::AUTHORIZATION, &bearer)
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let reply = app
        .send(with_bearer("/api/v1/eligibility", "text/csv", &csv))
        .await;
    reply.error(StatusCode::UNSUPPORTED_MEDIA_TYPE, "eligibility as CSV");
    let reply = app
        .send(with_bearer(&format!("{FEED}/"), "text/csv", &csv))
        .await;
    assert_ne!(reply.status, StatusCode::OK, "only the exact path");
    let mut request = with_bearer(
        "/api/v1/eligibility",
        "application/json",
        common::SPEC_REQUEST,
    );
    request
        .headers_mut()
        .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
    let reply = app.send(request).await;
    assert_eq!(
        reply.error(StatusCode::FORBIDDEN, "origin").code,
        "origin_mismatch"
    );
    let admin_login = next_login("feed.admin");
    server::accounts::create_staff(
        &app.store,
        server::audit::Actor::Cli,
        &shared::account::CreateStaff {
            role: shared::account::StaffRole::Admin,
            login: admin_login.clone(),
            region: None,
            password: PASSWORD.into(),
        },
    )
    .await
    .unwrap();
    let session = login(&app.router, &admin_login, PASSWORD).await;
    let mut request = with_bearer(
        "/api/v1/staff",
        "application/json",
        &json!({"role": "admin", "login": next_login("x"), "password": PASSWORD}).to_string(),
    );
    request
        .headers_mut()
        .insert(header::COOKIE, session.cookie.parse().unwrap());
    let reply = app.send(request).await;
    assert_eq!(
        reply.error(StatusCode::FORBIDDEN, "csrf").code,
        "csrf_token_invalid"
    );
}

async fn a_large_file_streams(backend: Backend) {
    let Some((app, token)) = start(backend).await else {
        return;
    };
    const ROWS: usize = 20_000;
    const MONTHS: usize = 20;
    let mut parties = Vec::new();
    for _ in 0..ROWS / MONTHS {
        let (_, iin, bin) = contract(&app, -(MONTHS as i32)).await;
        parties.push((iin, bin));
    }
    // Sent in pieces as a network would, each made when the body asks for it.
    let mut row = 0;
    let pieces = std::iter::from_fn(move || {
        if row == ROWS {
            return None;
        }
        let mut piece = if row == 0 {
            format!("{HEADER}\n")
        } else {
            String::new()
        };
        while row < ROWS && piece.len() < 16 * 1024 {
            let (iin, bin) = &parties[row / MONTHS];
            piece.push_str(&csv_row(
                iin,
                bin,
                &month(-((row % MONTHS) as i32)),
                "1,1,1,1",
            ));
            row += 1;
        }
        Some(Ok::<_, std::convert::Infallible>(Bytes::from(piece)))
    });
    let request = feed_request(
        Some(&token),
        "text/csv",
        Body::from_stream(futures_util::stream::iter(pieces)),
    );
    let r = report(&app.send(request).await);
    assert_eq!(
        (r.accepted, r.replaced, r.rejected.len()),
        (ROWS as u64, 0, 0)
    );
    let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM confirmations")
        .fetch_one(app.store.pool())
        .await
        .unwrap()
        .get("n");
    assert_eq!(count, ROWS as i64);
}

/// A staff account made as an operator would, signed in.
async fn staff(app: &TestApp, role: shared::account::StaffRole) -> support::Session {
    let login_name = next_login("feed.staff");
    let region = (role == shared::account::StaffRole::Akimat).then_some(Region::NorthKazakhstan);
    server::accounts::create_staff(
        &app.store,
        audit::Actor::Cli,
        &shared::account::CreateStaff {
            role,
            login: login_name.clone(),
            region,
            password: PASSWORD.into(),
        },
    )
    .await
    .unwrap();
    login(&app.router, &login_name, PASSWORD).await
}

/// A file uploaded from the app: the session's cookie and CSRF token, same origin.
fn upload(session: &support::Session, content_type: &str, body: &str) -> Request<Body> {
    Request::post(FEED)
        .header(header::HOST, "qonys.test")
        .header(header::ORIGIN, "http://qonys.test")
        .header(header::CONTENT_TYPE, content_type)
        .header(header::COOKIE, &session.cookie)
        .header("x-csrf-token", &session.csrf)
        .body(Body::from(body.to_string()))
        .unwrap()
}

async fn an_admin_uploads_from_the_app(backend: Backend) {
    let Some((app, _)) = start(backend).await else {
        return;
    };
    let (id, iin, bin) = contract(&app, -2).await;
    let admin = staff(&app, shared::account::StaffRole::Admin).await;
    let officer = staff(&app, shared::account::StaffRole::Akimat).await;
    let csv = format!("{HEADER}\n{}", csv_row(&iin, &bin, &month(-2), "1,1,1,1"));

    // The admin's CSV file is applied and audited as theirs.
    let r = report(&app.send(upload(&admin, "text/csv", &csv)).await);
    assert_eq!((r.accepted, r.rejected.len()), (1, 0));
    let json_body = json!([json_row(&iin, &bin, &month(-1), true)]).to_string();
    let r = report(
        &app.send(upload(&admin, "application/json", &json_body))
            .await,
    );
    assert_eq!(r.accepted, 1);
    let entries = audit_entries(&app.store, audit::action::FEED_IMPORT).await;
    assert_eq!(entries.len(), 2);
    let (actor, _, _, after) = &entries[0];
    assert_eq!(actor, &format!("user:{}", admin.user_id()));
    let after = after.as_ref().unwrap();
    assert_eq!(
        (&after["format"], &after["token"]),
        (&json!("csv"), &Value::Null)
    );

    // Any other role: 403, nothing read. The session's guard applies: no CSRF token or
    // another origin is refused before the file is looked at.
    let officer_csv = format!("{HEADER}\n{}", csv_row(&iin, &bin, &month(0), "1,1,1,1"));
    let reply = app.send(upload(&officer, "text/csv", &officer_csv)).await;
    assert_eq!(
        reply.error(StatusCode::FORBIDDEN, "officer").code,
        "forbidden"
    );
    let mut no_csrf = upload(&admin, "text/csv", &officer_csv);
    no_csrf.headers_mut().remove("x-csrf-token");
    let reply = app.send(no_csrf).await;
    assert_eq!(
        reply.error(StatusCode::FORBIDDEN, "no CSRF token").code,
        "csrf_token_invalid"
    );
    let mut foreign = upload(&admin, "text/csv", &officer_csv);
    foreign
        .headers_mut()
        .insert(header::ORIGIN, "https://evil.example".parse().unwrap());
    let reply = app.send(foreign).await;
    assert_eq!(
        reply.error(StatusCode::FORBIDDEN, "another origin").code,
        "origin_mismatch"
    );
    assert_eq!(confirmations(&app, id).await.len(), 2);
    assert_eq!(
        audit_entries(&app.store, audit::action::FEED_IMPORT)
            .await
            .len(),
        2
    );
}

//! The authorization matrix: every endpoint × every role (and anonymous), allowed or denied,
//! on SQLite and PostgreSQL.
//!
//! Each [`Row`] is one request with the roles that may make it. Allowed: a 2xx answer.
//! Denied: 401 `unauthenticated` for anonymous, 403 `forbidden` for a signed-in role. The
//! test fails when the OpenAPI document lists an endpoint (method and path) that has no row,
//! so a new endpoint cannot ship without its line here.
//!
//! To add an endpoint: add its rows to [`rows`] with a body that succeeds for an allowed
//! role (bodies get a fresh number `n` per request, for anything that must be unique).

mod common;
mod support;

use axum::http::StatusCode;
use common::{Backend, TestApp};
use serde_json::json;
use std::collections::BTreeSet;
use support::*;

on_both_backends!(every_endpoint_for_every_role);

/// Who makes a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Who {
    Anonymous,
    Resettler,
    Employer,
    /// The akimat officer of north_kazakhstan.
    AkimatNorth,
    /// The akimat officer of pavlodar, another destination region.
    AkimatPavlodar,
    Admin,
}

use Who::*;

const EVERYONE: &[Who] = &[
    Anonymous,
    Resettler,
    Employer,
    AkimatNorth,
    AkimatPavlodar,
    Admin,
];
const SIGNED_IN: &[Who] = &[Resettler, Employer, AkimatNorth, AkimatPavlodar, Admin];
const ADMIN_ONLY: &[Who] = &[Admin];

/// One request and who may make it.
struct Row {
    method: &'static str,
    /// The path as the OpenAPI document names it.
    template: &'static str,
    /// The request's URI.
    uri: &'static str,
    /// The body for the `n`th request of this row.
    body: Option<fn(u32) -> String>,
    allowed: &'static [Who],
    /// The request ends or replaces the session it is made with: use a fresh one.
    fresh_session: bool,
    /// Made by another system with a service token, never with a session: every role and
    /// anonymous get 401 `service_token_required` (the token itself: `tests/feed.rs`).
    service_token: bool,
}

fn row(
    method: &'static str,
    template: &'static str,
    uri: &'static str,
    body: Option<fn(u32) -> String>,
    allowed: &'static [Who],
) -> Row {
    Row {
        method,
        template,
        uri,
        body,
        allowed,
        fresh_session: false,
        service_token: false,
    }
}

fn rows() -> Vec<Row> {
    vec![
        // Public.
        row("GET", "/api/v1/health", "/api/v1/health", None, EVERYONE),
        row("GET", "/api/v1/policy", "/api/v1/policy", None, EVERYONE),
        row(
            "GET",
            "/api/v1/openapi.json",
            "/api/v1/openapi.json",
            None,
            EVERYONE,
        ),
        row(
            "GET",
            "/api/v1/quotas",
            "/api/v1/quotas?year=2026",
            None,
            EVERYONE,
        ),
        row(
            "POST",
            "/api/v1/eligibility",
            "/api/v1/eligibility",
            Some(|_| common::SPEC_REQUEST.to_string()),
            EVERYONE,
        ),
        row(
            "GET",
            "/api/v1/geo/locate",
            "/api/v1/geo/locate?lat=52.2873&lon=76.9674",
            None,
            EVERYONE,
        ),
        // Accounts: registration and sign-in are open to all, /me needs a session.
        row(
            "POST",
            "/api/v1/auth/register/resettler",
            "/api/v1/auth/register/resettler",
            Some(|_| resettler_body(&next_iin(), PASSWORD)),
            EVERYONE,
        ),
        row(
            "POST",
            "/api/v1/auth/register/employer",
            "/api/v1/auth/register/employer",
            Some(|_| employer_body(&next_bin(), PASSWORD)),
            EVERYONE,
        ),
        row("GET", "/api/v1/auth/me", "/api/v1/auth/me", None, SIGNED_IN),
        Row {
            fresh_session: true,
            ..row(
                "POST",
                "/api/v1/auth/login",
                "/api/v1/auth/login",
                Some(|_| login_body(RESETTLER.login, RESETTLER.password)),
                EVERYONE,
            )
        },
        Row {
            fresh_session: true,
            ..row(
                "POST",
                "/api/v1/auth/logout",
                "/api/v1/auth/logout",
                None,
                EVERYONE,
            )
        },
        // Staff accounts: admins only.
        row("GET", "/api/v1/staff", "/api/v1/staff", None, ADMIN_ONLY),
        row(
            "POST",
            "/api/v1/staff",
            "/api/v1/staff",
            Some(|n| {
                json!({
                    "role": "akimat",
                    "login": format!("matrix.officer{n}"),
                    "region": "north_kazakhstan",
                    "password": PASSWORD,
                })
                .to_string()
            }),
            ADMIN_ONLY,
        ),
        // Quotas: the region's own officer or an admin.
        row(
            "PUT",
            "/api/v1/quotas/{region}/{year}",
            "/api/v1/quotas/north_kazakhstan/2026",
            Some(|n| json!({ "quota": 5000 + n }).to_string()),
            &[AkimatNorth, Admin],
        ),
        row(
            "PUT",
            "/api/v1/quotas/{region}/{year}",
            "/api/v1/quotas/pavlodar/2027",
            Some(|n| json!({ "quota": 5000 + n }).to_string()),
            &[AkimatPavlodar, Admin],
        ),
        // Applications: a resettler their own; an officer their region; an admin all.
        // `{north}` / `{pavlodar}` become a fresh submitted application to that region.
        row(
            "POST",
            "/api/v1/applications",
            "/api/v1/applications",
            Some(|_| application_body("north_kazakhstan", &[])),
            &[Resettler],
        ),
        row(
            "GET",
            "/api/v1/applications/mine",
            "/api/v1/applications/mine",
            None,
            &[Resettler],
        ),
        row(
            "GET",
            "/api/v1/applications",
            "/api/v1/applications?status=submitted",
            None,
            &[AkimatNorth, AkimatPavlodar, Admin],
        ),
        row(
            "GET",
            "/api/v1/applications",
            "/api/v1/applications?region=pavlodar",
            None,
            &[AkimatPavlodar, Admin],
        ),
        row(
            "POST",
            "/api/v1/applications/{id}/approve",
            "/api/v1/applications/{north}/approve",
            None,
            &[AkimatNorth, Admin],
        ),
        row(
            "POST",
            "/api/v1/applications/{id}/approve",
            "/api/v1/applications/{pavlodar}/approve",
            None,
            &[AkimatPavlodar, Admin],
        ),
        row(
            "POST",
            "/api/v1/applications/{id}/reject",
            "/api/v1/applications/{north}/reject",
            Some(|_| json!({ "reason": "Documents missing." }).to_string()),
            &[AkimatNorth, Admin],
        ),
        row(
            "POST",
            "/api/v1/applications/{id}/reject",
            "/api/v1/applications/{pavlodar}/reject",
            Some(|_| json!({ "reason": "Documents missing." }).to_string()),
            &[AkimatPavlodar, Admin],
        ),
        // Vacancies: search and detail are public; an employer manages its own.
        // `{vacancy}` becomes a fresh vacancy of the demo employer, `{other}` one of
        // another employer.
        row(
            "GET",
            "/api/v1/vacancies",
            "/api/v1/vacancies?region=north_kazakhstan&page=1",
            None,
            EVERYONE,
        ),
        row(
            "GET",
            "/api/v1/vacancies/mine",
            "/api/v1/vacancies/mine?page=1&per_page=5",
            None,
            &[Employer],
        ),
        row(
            "GET",
            "/api/v1/vacancies/{id}",
            "/api/v1/vacancies/{vacancy}",
            None,
            EVERYONE,
        ),
        row(
            "POST",
            "/api/v1/vacancies",
            "/api/v1/vacancies",
            Some(|_| vacancy_body("north_kazakhstan", "250000")),
            &[Employer],
        ),
        row(
            "PUT",
            "/api/v1/vacancies/{id}",
            "/api/v1/vacancies/{vacancy}",
            Some(|_| vacancy_body("pavlodar", "300000.50")),
            &[Employer],
        ),
        row(
            "PUT",
            "/api/v1/vacancies/{id}",
            "/api/v1/vacancies/{other}",
            Some(|_| vacancy_body("pavlodar", "300000")),
            &[],
        ),
        row(
            "POST",
            "/api/v1/vacancies/{id}/close",
            "/api/v1/vacancies/{vacancy}/close",
            None,
            &[Employer],
        ),
        row(
            "POST",
            "/api/v1/vacancies/{id}/close",
            "/api/v1/vacancies/{other}/close",
            None,
            &[],
        ),
        row(
            "GET",
            "/api/v1/vacancies/{id}/applications",
            "/api/v1/vacancies/{vacancy}/applications",
            None,
            &[Employer, Admin],
        ),
        row(
            "GET",
            "/api/v1/vacancies/{id}/applications",
            "/api/v1/vacancies/{other}/applications",
            None,
            &[Admin],
        ),
        // Payees: anyone registers one; resettlers see the active ones, an officer their
        // region's, an admin all; the region's officer or an admin verifies or deactivates.
        // `{payee_north}` / `{payee_pavlodar}` become a fresh pending payee of that region.
        row(
            "POST",
            "/api/v1/payees",
            "/api/v1/payees",
            Some(|_| payee_body("north_kazakhstan", PETROPAVL)),
            EVERYONE,
        ),
        row(
            "GET",
            "/api/v1/payees",
            "/api/v1/payees",
            None,
            &[Resettler, AkimatNorth, AkimatPavlodar, Admin],
        ),
        row(
            "GET",
            "/api/v1/payees",
            "/api/v1/payees?region=pavlodar&status=pending",
            None,
            &[AkimatPavlodar, Admin],
        ),
        row(
            "POST",
            "/api/v1/payees/{id}/verify",
            "/api/v1/payees/{payee_north}/verify",
            None,
            &[AkimatNorth, Admin],
        ),
        row(
            "POST",
            "/api/v1/payees/{id}/verify",
            "/api/v1/payees/{payee_pavlodar}/verify",
            None,
            &[AkimatPavlodar, Admin],
        ),
        row(
            "POST",
            "/api/v1/payees/{id}/deactivate",
            "/api/v1/payees/{payee_north}/deactivate",
            None,
            &[AkimatNorth, Admin],
        ),
        // Payments: resettlers only. `{payable}` becomes an active payee the demo resettler
        // can pay, with an approved application and a funded voucher.
        row(
            "POST",
            "/api/v1/wallet/payments",
            "/api/v1/wallet/payments",
            Some(|n| {
                json!({
                    "id": format!("{:032x}", 0xa11_0000 + n),
                    "payee_id": "{payable}",
                    "category": "rent",
                    "amount": "100",
                })
                .to_string()
                .replace("\"{payable}\"", "{payable}")
            }),
            &[Resettler],
        ),
        // Voucher budgets: the admin funds; the admin and the officers see them.
        row(
            "POST",
            "/api/v1/budgets/{region}/fund",
            "/api/v1/budgets/pavlodar/fund",
            Some(|n| json!({ "id": format!("{n:032x}"), "amount": "1000" }).to_string()),
            ADMIN_ONLY,
        ),
        row(
            "GET",
            "/api/v1/budgets",
            "/api/v1/budgets",
            None,
            &[AkimatNorth, AkimatPavlodar, Admin],
        ),
        // The wallet: resettlers' own.
        row(
            "GET",
            "/api/v1/wallet",
            "/api/v1/wallet",
            None,
            &[Resettler],
        ),
        // The data feed: service tokens only.
        Row {
            service_token: true,
            ..row(
                "POST",
                "/api/v1/feed/confirmations",
                "/api/v1/feed/confirmations",
                Some(|_| "[]".to_string()),
                &[],
            )
        },
    ]
}

fn payee_body(region: &str, (lat, lon): (f64, f64)) -> String {
    json!({
        "name": "ИП Арендодатель",
        "id_number": next_bin(),
        "category": "rent",
        "address": "ул. Абая, 1",
        "region": region,
        "location": { "lat": lat, "lon": lon },
    })
    .to_string()
}

/// The row's URI (or body) with its placeholders replaced by fresh resources.
async fn resolve(app: &TestApp, uri: &str, employer: i64, other: i64) -> String {
    let mut uri = uri.to_string();
    for (placeholder, region) in [("{north}", "north_kazakhstan"), ("{pavlodar}", "pavlodar")] {
        if uri.contains(placeholder) {
            let id = insert_application(&app.store, region, 2026, None).await;
            uri = uri.replace(placeholder, &id.to_string());
        }
    }
    if uri.contains("{vacancy}") {
        let id = insert_vacancy(&app.store, employer, "north_kazakhstan").await;
        insert_application(&app.store, "north_kazakhstan", 2026, Some(id)).await;
        uri = uri.replace("{vacancy}", &id.to_string());
    }
    if uri.contains("{other}") {
        let id = insert_vacancy(&app.store, other, "north_kazakhstan").await;
        uri = uri.replace("{other}", &id.to_string());
    }
    for (placeholder, region, point) in [
        ("{payee_north}", "north_kazakhstan", PETROPAVL),
        ("{payee_pavlodar}", "pavlodar", PAVLODAR_CITY),
    ] {
        if uri.contains(placeholder) {
            let id = insert_payee(&app.store, region, "rent", "pending", point).await;
            uri = uri.replace(placeholder, &id.to_string());
        }
    }
    if uri.contains("{payable}") {
        let resettler = user_id(&app.store, RESETTLER.login).await;
        let id = arrange_payable(&app.store, resettler).await;
        uri = uri.replace("{payable}", &id.to_string());
    }
    uri
}

fn credentials(who: Who) -> Option<(&'static str, &'static str)> {
    let account = match who {
        Anonymous => return None,
        Resettler => RESETTLER,
        Employer => EMPLOYER,
        AkimatNorth => AKIMAT_NORTH,
        AkimatPavlodar => AKIMAT_PAVLODAR,
        Admin => ADMIN,
    };
    Some((account.login, account.password))
}

async fn every_endpoint_for_every_role(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let r = &app.router;
    let rows = rows();

    // Every documented endpoint has a row, and every row an endpoint.
    let doc = app.get("/api/v1/openapi.json").await.json();
    let mut documented = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "put", "patch", "delete"].contains(&method.as_str()) {
                documented.insert((method.to_uppercase(), path.clone()));
            }
        }
    }
    let covered: BTreeSet<(String, String)> = rows
        .iter()
        .map(|row| (row.method.to_string(), row.template.to_string()))
        .collect();
    let missing: Vec<_> = documented.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "endpoints without a row in the matrix: {missing:?}"
    );
    let unknown: Vec<_> = covered.difference(&documented).collect();
    assert!(
        unknown.is_empty(),
        "rows for undocumented endpoints: {unknown:?}"
    );

    let mut sessions = Vec::new();
    for who in EVERYONE {
        let session = match credentials(*who) {
            Some((login_name, password)) => Some(login(r, login_name, password).await),
            None => None,
        };
        sessions.push((*who, session));
    }

    let employer = user_id(&app.store, EMPLOYER.login).await;
    let other = insert_user(&app.store, "employer").await;
    let mut n = 0;
    let mut failures = Vec::new();
    for row in &rows {
        for (who, session) in &sessions {
            n += 1;
            let fresh;
            let session = match (row.fresh_session, credentials(*who)) {
                (true, Some((login_name, password))) => {
                    fresh = login(r, login_name, password).await;
                    Some(&fresh)
                }
                _ => session.as_ref(),
            };
            let body = match row.body {
                Some(make) => Some(resolve(&app, &make(n), employer, other).await),
                None => None,
            };
            let uri = resolve(&app, row.uri, employer, other).await;
            let reply = call(r, row.method, &uri, body.as_deref(), session).await;
            let allowed = row.allowed.contains(who);
            let ok = if allowed {
                reply.status.is_success()
            } else {
                let (status, code) = match who {
                    _ if row.service_token => (StatusCode::UNAUTHORIZED, "service_token_required"),
                    Anonymous => (StatusCode::UNAUTHORIZED, "unauthenticated"),
                    _ => (StatusCode::FORBIDDEN, "forbidden"),
                };
                reply.status == status
                    && serde_json::from_slice::<serde_json::Value>(&reply.body)
                        .is_ok_and(|json| json["error"]["code"] == code)
            };
            if !ok {
                failures.push(format!(
                    "{} {} as {who:?}: expected {}, got {} {}",
                    row.method,
                    uri,
                    if allowed { "allowed" } else { "denied" },
                    reply.status,
                    reply.text()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "authorization matrix:\n{}",
        failures.join("\n")
    );

    // The sessions used above are still alive: no row ended one by accident.
    for (who, session) in &sessions {
        if let Some(session) = session {
            let me = call(r, "GET", "/api/v1/auth/me", None, Some(session)).await;
            assert_eq!(me.status, StatusCode::OK, "{who:?}");
        }
    }
}

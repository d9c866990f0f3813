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
    ]
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
            let body = row.body.map(|make| make(n));
            let reply = call(r, row.method, row.uri, body.as_deref(), session).await;
            let allowed = row.allowed.contains(who);
            let ok = if allowed {
                reply.status.is_success()
            } else {
                let (status, code) = match who {
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
                    row.uri,
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

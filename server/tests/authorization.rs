//! The authorization matrix: every endpoint × every role (and anonymous), allowed or denied,
//! on SQLite and PostgreSQL.
//!
//! Each [`Row`] is one request with the roles that may make it. Allowed: a 2xx answer.
//! Denied: 401 `unauthenticated` for anonymous, 403 `forbidden` for a signed-in role (or 404
//! for a role the resource is hidden from, such as another region's contract). The
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
use shared::contract::{fingerprint, hex, sign, signature::public_key, ContractTerms, Party};
use sqlx::Row as _;
use std::{
    collections::BTreeSet,
    sync::atomic::{AtomicU32, Ordering},
};
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
    /// Made by another system with a service token, or with a session: anonymous gets 401
    /// `service_token_required` (the token itself: `tests/feed.rs`).
    service_token: bool,
    /// The denied roles the resource is hidden from, and the code of the 404 they get.
    hidden: Option<(&'static [Who], &'static str)>,
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
        hidden: None,
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
        // Signing keys: the parties hold their own; the region's officer (or an admin)
        // reaches those of the parties to the region's contracts. `{party_north}` becomes a
        // new party to a north contract, `{key_north}` a live key of one.
        row(
            "POST",
            "/api/v1/keys",
            "/api/v1/keys",
            Some(|_| json!({ "public_key": "{public_key}" }).to_string()),
            &[Resettler, Employer, AkimatNorth, AkimatPavlodar],
        ),
        row(
            "GET",
            "/api/v1/keys/mine",
            "/api/v1/keys/mine",
            None,
            &[Resettler, Employer, AkimatNorth, AkimatPavlodar],
        ),
        Row {
            hidden: Some((&[AkimatPavlodar], "account_not_found")),
            ..row(
                "GET",
                "/api/v1/keys",
                "/api/v1/keys?account={party_north}",
                None,
                &[AkimatNorth, Admin],
            )
        },
        Row {
            hidden: Some((&[AkimatPavlodar], "signing_key_not_found")),
            ..row(
                "POST",
                "/api/v1/keys/{id}/revoke",
                "/api/v1/keys/{key_north}/revoke",
                None,
                &[AkimatNorth, Admin],
            )
        },
        // Contracts: the region's officer creates and amends; the parties and admins see
        // one, anyone else is told it does not exist. `{approved_north}` becomes an
        // approved application with a vacancy of the demo employer; `{contract}` a contract
        // being signed between the demo resettler and employer in north Kazakhstan.
        row(
            "POST",
            "/api/v1/contracts",
            "/api/v1/contracts",
            Some(|_| {
                json!({
                    "application_id": "{approved_north}",
                    "start_month": this_month(),
                    "declared_housing_costs": "1200000",
                })
                .to_string()
                .replace("\"{approved_north}\"", "{approved_north}")
            }),
            &[AkimatNorth],
        ),
        row(
            "GET",
            "/api/v1/contracts",
            "/api/v1/contracts",
            None,
            SIGNED_IN,
        ),
        Row {
            hidden: Some((&[AkimatPavlodar], "contract_not_found")),
            ..row(
                "GET",
                "/api/v1/contracts/{id}",
                "/api/v1/contracts/{contract}",
                None,
                &[Resettler, Employer, AkimatNorth, Admin],
            )
        },
        Row {
            hidden: Some((&[AkimatPavlodar], "contract_not_found")),
            ..row(
                "PUT",
                "/api/v1/contracts/{id}/terms",
                "/api/v1/contracts/{contract}/terms",
                Some(|n| {
                    json!({
                        "start_month": this_month(),
                        "monthly_salary": format!("{}", 300_000 + n),
                        "declared_housing_costs": "1200000",
                    })
                    .to_string()
                }),
                &[AkimatNorth],
            )
        },
        // Signing: each party with its own key (`{signature}`: the sender's, over the
        // contract's terms); contracts in Kostanay region, which has no demo officer, have
        // one demo party each.
        Row {
            hidden: Some((
                &[Employer, AkimatNorth, AkimatPavlodar],
                "contract_not_found",
            )),
            ..row(
                "POST",
                "/api/v1/contracts/{id}/signatures",
                "/api/v1/contracts/{contract_resettler}/signatures",
                Some(|_| SIGNATURE_BODY.to_string()),
                &[Resettler],
            )
        },
        Row {
            hidden: Some((
                &[Resettler, AkimatNorth, AkimatPavlodar],
                "contract_not_found",
            )),
            ..row(
                "POST",
                "/api/v1/contracts/{id}/signatures",
                "/api/v1/contracts/{contract_employer}/signatures",
                Some(|_| SIGNATURE_BODY.to_string()),
                &[Employer],
            )
        },
        Row {
            hidden: Some((&[Resettler, Employer, AkimatPavlodar], "contract_not_found")),
            ..row(
                "POST",
                "/api/v1/contracts/{id}/signatures",
                "/api/v1/contracts/{contract_north}/signatures",
                Some(|_| SIGNATURE_BODY.to_string()),
                &[AkimatNorth],
            )
        },
        // The data feed: service tokens, and admins uploading in the app.
        Row {
            service_token: true,
            ..row(
                "POST",
                "/api/v1/feed/confirmations",
                "/api/v1/feed/confirmations",
                Some(|_| "[]".to_string()),
                ADMIN_ONLY,
            )
        },
    ]
}

const SIGNATURE_BODY: &str = r#"{"fingerprint": "{fingerprint}", "signature": "{signature}"}"#;

fn this_month() -> shared::ledger::Month {
    shared::ledger::Month::of(chrono::Utc::now().date_naive())
}

/// A contract being signed between `resettler` and `employer` in `region`, with terms
/// fixed today.
async fn insert_contract(app: &TestApp, resettler: i64, employer: i64, region: &str) -> i64 {
    let login = |id: i64| async move {
        let row = sqlx::query("SELECT login FROM users WHERE id = $1")
            .bind(id)
            .fetch_one(app.store.pool())
            .await
            .unwrap();
        row.try_get::<String, _>("login").unwrap()
    };
    let draft = shared::contract::TermsDraft {
        resettler_id: resettler,
        resettler_iin: login(resettler).await,
        employer_id: employer,
        employer_bin: login(employer).await,
        region: shared::Region::from_id(region).unwrap(),
        vacancy_id: 1,
        position: "Welder".into(),
        monthly_salary: shared::Tenge::from_tiyn(25_000_000),
        start_month: this_month(),
        declared_housing_costs: shared::Tenge::from_tiyn(120_000_000),
    };
    let id: i64 = sqlx::query(
        "INSERT INTO contracts (resettler_iin, employer_bin, start_month, status, created_at, \
         resettler_id, employer_id, region) \
         VALUES ($1, $2, $3, 'signing', '2026-01-01T00:00:00Z', $4, $5, $6) RETURNING id",
    )
    .bind(&draft.resettler_iin)
    .bind(&draft.employer_bin)
    .bind(this_month().to_string())
    .bind(resettler)
    .bind(employer)
    .bind(region)
    .fetch_one(app.store.pool())
    .await
    .unwrap()
    .try_get("id")
    .unwrap();
    let today = chrono::Utc::now().date_naive();
    let terms = ContractTerms::fix(id, draft, today, shared::Policy::current()).unwrap();
    sqlx::query("UPDATE contracts SET terms = $1, fingerprint = $2 WHERE id = $3")
        .bind(serde_json::to_string(&terms).unwrap())
        .bind(hex(&fingerprint(&terms)))
        .bind(id)
        .execute(app.store.pool())
        .await
        .unwrap();
    id
}

static KEYS: AtomicU32 = AtomicU32::new(1);

/// A signing key not used before in this test binary.
fn fresh_secret() -> [u8; 32] {
    let mut secret = [0x5a; 32];
    secret[..4].copy_from_slice(&KEYS.fetch_add(1, Ordering::Relaxed).to_le_bytes());
    secret
}

/// Revokes `account`'s live key, if any, straight in the database.
async fn revoke_live_key(app: &TestApp, account: i64) {
    sqlx::query(
        "UPDATE signing_keys SET revoked_at = '2026-01-01T00:00:00Z' \
         WHERE account_id = $1 AND revoked_at IS NULL",
    )
    .bind(account)
    .execute(app.store.pool())
    .await
    .unwrap();
}

/// Gives `account` a new live key, the old one revoked; returns its secret.
async fn give_key(app: &TestApp, account: i64) -> [u8; 32] {
    revoke_live_key(app, account).await;
    let secret = fresh_secret();
    sqlx::query(
        "INSERT INTO signing_keys (account_id, public_key, created_at) \
         VALUES ($1, $2, '2026-01-01T00:00:00Z')",
    )
    .bind(account)
    .bind(hex(&public_key(&secret)))
    .execute(app.store.pool())
    .await
    .unwrap();
    secret
}

/// The body's placeholders that depend on who sends it: `{public_key}` becomes a new key
/// for them (their live one revoked), `{fingerprint}` and `{signature}` their signature
/// with a key of theirs over the terms of the contract in `uri`, as the party they would be.
async fn resolve_for(app: &TestApp, body: String, uri: &str, who: Who) -> String {
    let Some((login_name, _)) = credentials(who) else {
        return body;
    };
    let account = user_id(&app.store, login_name).await;
    let mut body = body;
    if body.contains("{public_key}") {
        revoke_live_key(app, account).await;
        body = body.replace("{public_key}", &hex(&public_key(&fresh_secret())));
    }
    if body.contains("{signature}") {
        let id: i64 = uri.split('/').nth(4).unwrap().parse().unwrap();
        let terms: String = sqlx::query("SELECT terms FROM contracts WHERE id = $1")
            .bind(id)
            .fetch_one(app.store.pool())
            .await
            .unwrap()
            .try_get("terms")
            .unwrap();
        let terms: ContractTerms = serde_json::from_str(&terms).unwrap();
        let party = match who {
            Resettler => Party::Resettler,
            Employer => Party::Employer,
            _ => Party::Akimat,
        };
        let secret = give_key(app, account).await;
        body = body
            .replace("{fingerprint}", &hex(&fingerprint(&terms)))
            .replace("{signature}", &hex(&sign(&secret, &terms, party)));
    }
    body
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
    // (placeholder, region, whether the demo resettler and the demo employer are parties)
    let contracts = [
        ("{contract}", "north_kazakhstan", true, true),
        ("{contract_resettler}", "kostanay", true, false),
        ("{contract_employer}", "kostanay", false, true),
        ("{contract_north}", "north_kazakhstan", false, false),
        ("{party_north}", "north_kazakhstan", false, false),
        ("{key_north}", "north_kazakhstan", false, false),
    ];
    for (placeholder, region, demo_resettler, demo_employer) in contracts {
        if !uri.contains(placeholder) {
            continue;
        }
        let resettler = match demo_resettler {
            true => user_id(&app.store, RESETTLER.login).await,
            false => insert_user(&app.store, "resettler").await,
        };
        let employer = match demo_employer {
            true => employer,
            false => insert_user(&app.store, "employer").await,
        };
        let contract = insert_contract(app, resettler, employer, region).await;
        let id = match placeholder {
            "{party_north}" => resettler,
            "{key_north}" => {
                give_key(app, resettler).await;
                let row = sqlx::query(
                    "SELECT id FROM signing_keys WHERE account_id = $1 AND revoked_at IS NULL",
                )
                .bind(resettler)
                .fetch_one(app.store.pool())
                .await
                .unwrap();
                row.try_get("id").unwrap()
            }
            _ => contract,
        };
        uri = uri.replace(placeholder, &id.to_string());
    }
    if uri.contains("{approved_north}") {
        let vacancy = insert_vacancy(&app.store, employer, "north_kazakhstan").await;
        let id = insert_application(&app.store, "north_kazakhstan", 2026, Some(vacancy)).await;
        sqlx::query("UPDATE applications SET status = 'approved' WHERE id = $1")
            .bind(id)
            .execute(app.store.pool())
            .await
            .unwrap();
        uri = uri.replace("{approved_north}", &id.to_string());
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
            let uri = resolve(&app, row.uri, employer, other).await;
            let body = match row.body {
                Some(make) => {
                    let body = resolve(&app, &make(n), employer, other).await;
                    Some(resolve_for(&app, body, &uri, *who).await)
                }
                None => None,
            };
            let reply = call(r, row.method, &uri, body.as_deref(), session).await;
            let allowed = row.allowed.contains(who);
            let ok = if allowed {
                reply.status.is_success()
            } else {
                let (status, code) = match who {
                    Anonymous if row.service_token => {
                        (StatusCode::UNAUTHORIZED, "service_token_required")
                    }
                    Anonymous => (StatusCode::UNAUTHORIZED, "unauthenticated"),
                    _ => match row.hidden {
                        Some((from, code)) if from.contains(who) => (StatusCode::NOT_FOUND, code),
                        _ => (StatusCode::FORBIDDEN, "forbidden"),
                    },
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

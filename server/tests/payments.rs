//! Payees and voucher payments: registration, verification and deactivation by the
//! region's officer; every reason a payment is refused, with nothing moved; replays that pay
//! once; the voucher that expires first; many payments at once never overdrawing a voucher.
//! On SQLite and PostgreSQL. Vouchers are put in place straight through the ledger.

mod common;
mod support;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::{has_cyrillic, Backend, TestApp};
use serde_json::{json, Value};
use server::{
    ledger::{self, AccountKey, Month},
    payments::{self, Paid},
};
use shared::{
    wallet::{PayRequest, PayeeCategory, PaymentRefusal},
    Lang, Region, Tenge,
};
use support::*;

on_both_backends!(
    payees_are_registered_verified_listed_and_deactivated,
    every_refusal_moves_nothing,
    a_replayed_payment_pays_once,
    payments_draw_on_the_voucher_that_expires_first,
    deactivation_stops_payments_at_once,
    concurrent_payments_never_overdraw,
    registrations_are_limited_per_address,
);

const NORTH: Region = Region::NorthKazakhstan;

/// A new resettler, signed in, with an approved application to `region`.
async fn approved_resettler(app: &TestApp, region: Region) -> (Session, i64) {
    let iin = next_iin();
    let reply = call(
        &app.router,
        "POST",
        "/api/v1/auth/register/resettler",
        Some(&resettler_body(&iin, PASSWORD)),
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.text());
    let session = login(&app.router, &iin, PASSWORD).await;
    let id = session.user_id();
    approve_directly(&app.store, id, region.id()).await;
    (session, id)
}

fn this_month() -> Month {
    Month::of(chrono::Utc::now().date_naive())
}

/// What `key` holds, in tiyn (zero when it is not open).
async fn balance(app: &TestApp, key: AccountKey) -> i128 {
    ledger::account(&app.store, &key)
        .await
        .unwrap()
        .map_or(0, |a| a.balance.net())
}

async fn transfers(app: &TestApp) -> u64 {
    ledger::check(&app.store).await.unwrap().transfers
}

async fn assert_ledger_clean(app: &TestApp) {
    let report = ledger::check(&app.store).await.unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

fn pay_body(id: &str, payee: i64, category: &str, amount: &str) -> String {
    json!({ "id": id, "payee_id": payee, "category": category, "amount": amount }).to_string()
}

fn new_id() -> String {
    next_transfer_id().to_string()
}

async fn pay(app: &TestApp, session: &Session, body: &str) -> common::Reply {
    call(
        &app.router,
        "POST",
        "/api/v1/wallet/payments",
        Some(body),
        Some(session),
    )
    .await
}

async fn payees_are_registered_verified_listed_and_deactivated(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let r = &app.router;
    let north = login(r, AKIMAT_NORTH.login, AKIMAT_NORTH.password).await;
    let pavlodar = login(r, AKIMAT_PAVLODAR.login, AKIMAT_PAVLODAR.password).await;
    let (resettler, _) = approved_resettler(&app, NORTH).await;
    let bin = next_bin();
    let register = |region: &str, (lat, lon): (f64, f64), id_number: &str| {
        json!({
            "name": " ИП Сидоров ",
            "id_number": id_number,
            "category": "rent",
            "address": "Петропавловск, ул. Абая, 1",
            "region": region,
            "location": { "lat": lat, "lon": lon },
        })
        .to_string()
    };

    // The demo's own payees were registered and verified before; this test looks at its own.
    let earlier = audit_entries(&app.store, "payee.register").await.len();
    let earlier_verified = audit_entries(&app.store, "payee.verify").await.len();
    let demo_ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM payees")
        .fetch_all(app.store.pool())
        .await
        .unwrap();
    let own = |list: &Value| -> Vec<Value> {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| !demo_ids.contains(&p["id"].as_i64().unwrap()))
            .cloned()
            .collect()
    };

    // Anyone registers; the payee waits for the officer.
    let reply = call(
        r,
        "POST",
        "/api/v1/payees",
        Some(&register("north_kazakhstan", PETROPAVL, &bin)),
        None,
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let payee = reply.json();
    let id = payee["id"].as_i64().unwrap();
    assert_eq!(payee["status"], "pending");
    assert_eq!(payee["name"], "ИП Сидоров");
    assert_eq!(payee["inside_region"], true);
    assert!(payee.get("id_number").is_none(), "{payee}");
    // Registered for North Kazakhstan but located in Pavlodar: shown as outside.
    let outside = call(
        r,
        "POST",
        "/api/v1/payees",
        Some(&register("north_kazakhstan", PAVLODAR_CITY, &next_bin())),
        None,
    )
    .await
    .json();
    assert_eq!(outside["inside_region"], false);
    let registered = audit_entries(&app.store, "payee.register").await;
    assert_eq!(registered.len(), earlier + 2);
    assert_eq!(registered[earlier].0, "anonymous");
    assert!(
        !audit_text(&app.store).await.contains(&bin),
        "no BIN in the log"
    );

    // Problems, all at once.
    let bad = json!({
        "name": "",
        "id_number": "123456789012",
        "category": "rent",
        "address": " ",
        "region": "almaty_city",
        "location": { "lat": 91.0, "lon": 69.1 },
    })
    .to_string();
    let reply = call(r, "POST", "/api/v1/payees", Some(&bad), None).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.text());
    let codes: Vec<Value> = reply.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| json!([e["code"], e["field"]]))
        .collect();
    assert_eq!(
        codes,
        vec![
            json!(["name_invalid", "name"]),
            json!(["id_number_invalid", "id_number"]),
            json!(["address_invalid", "address"]),
            json!(["region_not_destination", "region"]),
            json!(["location_invalid", "location.lat"]),
        ]
    );

    // Resettlers see active payees only.
    let list = call(r, "GET", "/api/v1/payees", None, Some(&resettler)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(own(&list.json()), Vec::<Value>::new());
    let pending = call(
        r,
        "GET",
        "/api/v1/payees?status=pending",
        None,
        Some(&resettler),
    )
    .await;
    assert_eq!(
        pending
            .error(StatusCode::FORBIDDEN, "resettler pending")
            .code,
        "forbidden"
    );

    // Only the region's officer (or an admin) verifies.
    let verify = format!("/api/v1/payees/{id}/verify");
    let reply = call(r, "POST", &verify, None, Some(&pavlodar)).await;
    assert_eq!(
        reply.error(StatusCode::FORBIDDEN, "other officer").code,
        "forbidden"
    );
    let reply = call(r, "POST", &verify, None, Some(&resettler)).await;
    assert_eq!(
        reply.error(StatusCode::FORBIDDEN, "resettler").code,
        "forbidden"
    );
    assert!(ledger::account(&app.store, &AccountKey::Payee(id))
        .await
        .unwrap()
        .is_none());
    let reply = call(r, "POST", &verify, None, Some(&north)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["status"], "active");
    let account = ledger::account(&app.store, &AccountKey::Payee(id))
        .await
        .unwrap()
        .expect("opened on verification");
    assert!(!account.closed);
    let verified = audit_entries(&app.store, "payee.verify").await;
    assert_eq!(verified.len(), earlier_verified + 1);
    assert_eq!(
        verified[earlier_verified].1.as_deref(),
        Some(format!("payee:{id}").as_str())
    );
    assert_eq!(
        verified[earlier_verified].2.as_ref().unwrap()["status"],
        "pending"
    );
    assert_eq!(
        verified[earlier_verified].3.as_ref().unwrap()["status"],
        "active"
    );
    // Verifying again changes nothing.
    let again = call(r, "POST", &verify, None, Some(&north)).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(
        audit_entries(&app.store, "payee.verify").await.len(),
        earlier_verified + 1
    );

    // The officer sees their region in every status, with the BIN; not another region.
    let list = call(r, "GET", "/api/v1/payees", None, Some(&north))
        .await
        .json();
    let items = own(&list);
    assert_eq!(items.len(), 2, "{list}");
    assert_eq!(items[0]["id_number"], bin.as_str());
    assert_eq!(items[1]["status"], "pending");
    let other = call(
        r,
        "GET",
        "/api/v1/payees?region=pavlodar",
        None,
        Some(&north),
    )
    .await;
    assert_eq!(
        other.error(StatusCode::FORBIDDEN, "other region").code,
        "forbidden"
    );
    let employer = login(r, EMPLOYER.login, EMPLOYER.password).await;
    let reply = call(r, "GET", "/api/v1/payees", None, Some(&employer)).await;
    assert_eq!(
        reply.error(StatusCode::FORBIDDEN, "employer").code,
        "forbidden"
    );
    // The resettler sees the active one now, without its BIN.
    let list = call(
        r,
        "GET",
        "/api/v1/payees?category=rent",
        None,
        Some(&resettler),
    )
    .await
    .json();
    let items = own(&list);
    assert_eq!(items.len(), 1, "{list}");
    assert_eq!(items[0]["id"], id);
    assert!(items[0].get("id_number").is_none());

    // Deactivation: the region's officer, final, audited, the ledger account closed.
    let deactivate = format!("/api/v1/payees/{id}/deactivate");
    let reply = call(r, "POST", &deactivate, None, Some(&pavlodar)).await;
    assert_eq!(
        reply.error(StatusCode::FORBIDDEN, "other officer").code,
        "forbidden"
    );
    let reply = call(r, "POST", &deactivate, None, Some(&north)).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["status"], "inactive");
    let account = ledger::account(&app.store, &AccountKey::Payee(id))
        .await
        .unwrap()
        .unwrap();
    assert!(account.closed);
    let deactivated = audit_entries(&app.store, "payee.deactivate").await;
    assert_eq!(deactivated.len(), 1);
    assert_eq!(deactivated[0].2.as_ref().unwrap()["status"], "active");
    assert_eq!(deactivated[0].3.as_ref().unwrap()["status"], "inactive");
    let reply = call(r, "POST", &verify, None, Some(&north)).await;
    assert_eq!(
        reply.error(StatusCode::CONFLICT, "verify inactive").code,
        "payee_deactivated"
    );
    let missing = call(
        r,
        "POST",
        "/api/v1/payees/999999/verify",
        None,
        Some(&north),
    )
    .await;
    assert_eq!(
        missing.error(StatusCode::NOT_FOUND, "missing").code,
        "payee_not_found"
    );
    assert!(matches!(
        server::audit::verify(&app.store).await.unwrap(),
        server::audit::Verdict::Intact { .. }
    ));
}

async fn every_refusal_moves_nothing(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let s = &app.store;
    let (session, me) = approved_resettler(&app, NORTH).await;
    let month = this_month();
    issue_voucher(s, me, NORTH, month, 5_000_000).await;
    let voucher = AccountKey::Voucher {
        resettler: me,
        month,
    };
    let rent = insert_payee(s, "north_kazakhstan", "rent", "active", PETROPAVL).await;
    let pending = insert_payee(s, "north_kazakhstan", "rent", "pending", PETROPAVL).await;
    let in_pavlodar = insert_payee(s, "pavlodar", "rent", "active", PAVLODAR_CITY).await;
    let misplaced = insert_payee(s, "north_kazakhstan", "rent", "active", PAVLODAR_CITY).await;

    let before = (balance(&app, voucher).await, transfers(&app).await);
    let cases = [
        (
            pay_body(&new_id(), 999_999, "rent", "100"),
            StatusCode::NOT_FOUND,
            "payee_not_found",
        ),
        (
            pay_body(&new_id(), pending, "rent", "100"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "payee_inactive",
        ),
        (
            pay_body(&new_id(), rent, "utilities", "100"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "wrong_category",
        ),
        (
            pay_body(&new_id(), in_pavlodar, "rent", "100"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "outside_geofence",
        ),
        (
            pay_body(&new_id(), misplaced, "rent", "100"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "outside_geofence",
        ),
        (
            pay_body(&new_id(), rent, "rent", "50000.01"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "insufficient_balance",
        ),
        (
            pay_body(&new_id(), rent, "rent", "0"),
            StatusCode::BAD_REQUEST,
            "invalid_amount",
        ),
        (
            pay_body(&new_id(), rent, "rent", "-5"),
            StatusCode::BAD_REQUEST,
            "invalid_amount",
        ),
        (
            pay_body(&new_id(), rent, "rent", "1.005"),
            StatusCode::BAD_REQUEST,
            "invalid_amount",
        ),
    ];
    for (body, status, code) in &cases {
        let reply = pay(&app, &session, body).await;
        assert_eq!(&reply.error(*status, body).code, code, "{body}");
    }
    assert_eq!(balance(&app, voucher).await, before.0);
    assert_eq!(balance(&app, AccountKey::Payee(rent)).await, 0);
    // Only the refusal the ledger decided keeps the id; no transfer posted.
    assert_eq!(transfers(&app).await, before.1);

    // The reason in the request's language.
    let reply = call(
        &app.router,
        "POST",
        "/api/v1/wallet/payments?lang=ru",
        Some(&pay_body(&new_id(), in_pavlodar, "rent", "100")),
        Some(&session),
    )
    .await;
    let error = reply.error(StatusCode::UNPROCESSABLE_ENTITY, "ru");
    assert_eq!(
        error.message,
        PaymentRefusal::OutsideGeofence.message(Lang::Ru)
    );
    assert!(has_cyrillic(&error.message));

    // A refusal decided before the ledger does not use up the id…
    let id = new_id();
    let reply = pay(&app, &session, &pay_body(&id, rent, "utilities", "100")).await;
    reply.error(StatusCode::UNPROCESSABLE_ENTITY, "wrong category");
    let reply = pay(&app, &session, &pay_body(&id, rent, "rent", "100")).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    // …but one for insufficient balance stays refused, even once there is enough.
    let id = new_id();
    let too_much = pay_body(&id, rent, "rent", "60000");
    let reply = pay(&app, &session, &too_much).await;
    reply.error(StatusCode::UNPROCESSABLE_ENTITY, "too much");
    issue_voucher(s, me, NORTH, month, 5_000_000).await;
    let reply = pay(&app, &session, &too_much).await;
    assert_eq!(
        reply.error(StatusCode::UNPROCESSABLE_ENTITY, "retry").code,
        "insufficient_balance"
    );
    assert_eq!(balance(&app, voucher).await, 10_000_000 - 10_000);

    // No spendable voucher: an old month's is not, and none at all is not either.
    let (late, late_id) = approved_resettler(&app, NORTH).await;
    let old = Month::of(
        chrono::Utc::now()
            .date_naive()
            .checked_sub_months(chrono::Months::new(3))
            .unwrap(),
    );
    issue_voucher(s, late_id, NORTH, old, 1_000_000).await;
    let (none, _) = approved_resettler(&app, NORTH).await;
    let unapproved = {
        let iin = next_iin();
        call(
            &app.router,
            "POST",
            "/api/v1/auth/register/resettler",
            Some(&resettler_body(&iin, PASSWORD)),
            None,
        )
        .await;
        login(&app.router, &iin, PASSWORD).await
    };
    for who in [&late, &none, &unapproved] {
        let reply = pay(&app, who, &pay_body(&new_id(), rent, "rent", "100")).await;
        assert_eq!(
            reply
                .error(StatusCode::UNPROCESSABLE_ENTITY, "expired")
                .code,
            "voucher_expired"
        );
    }
    let old_voucher = AccountKey::Voucher {
        resettler: late_id,
        month: old,
    };
    assert_eq!(balance(&app, old_voucher).await, 1_000_000);

    // Only resettlers pay.
    let officer = login(&app.router, AKIMAT_NORTH.login, AKIMAT_NORTH.password).await;
    let reply = pay(&app, &officer, &pay_body(&new_id(), rent, "rent", "100")).await;
    assert_eq!(
        reply.error(StatusCode::FORBIDDEN, "officer").code,
        "forbidden"
    );
    assert_ledger_clean(&app).await;
}

async fn a_replayed_payment_pays_once(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let s = &app.store;
    let (session, me) = approved_resettler(&app, NORTH).await;
    let month = this_month();
    issue_voucher(s, me, NORTH, month, 1_000_000).await;
    let voucher = AccountKey::Voucher {
        resettler: me,
        month,
    };
    let payee = insert_payee(s, "north_kazakhstan", "rent", "active", PETROPAVL).await;

    let id = new_id();
    let body = pay_body(&id, payee, "rent", "2500.50");
    let first = pay(&app, &session, &body).await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.text());
    let first = first.json();
    assert_eq!(first["id"], id.as_str());
    assert_eq!(first["amount"], "2500.5");
    assert_eq!(first["month"], month.to_string());
    let again = pay(&app, &session, &body).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    assert_eq!(again.json(), first);
    assert_eq!(balance(&app, voucher).await, 1_000_000 - 250_050);
    assert_eq!(balance(&app, AccountKey::Payee(payee)).await, 250_050);

    // The same id for another payment is refused; by another person, it is not theirs.
    let other_amount = pay(&app, &session, &pay_body(&id, payee, "rent", "2500.51")).await;
    assert_eq!(
        other_amount
            .error(StatusCode::CONFLICT, "other amount")
            .code,
        "id_reused"
    );
    let (someone, someone_id) = approved_resettler(&app, NORTH).await;
    issue_voucher(s, someone_id, NORTH, month, 1_000_000).await;
    let theirs = pay(&app, &someone, &body).await;
    assert_eq!(
        theirs.error(StatusCode::FORBIDDEN, "someone else").code,
        "not_your_voucher"
    );

    // A replay answers the first result even once the payee is deactivated.
    let officer = login(&app.router, AKIMAT_NORTH.login, AKIMAT_NORTH.password).await;
    let reply = call(
        &app.router,
        "POST",
        &format!("/api/v1/payees/{payee}/deactivate"),
        None,
        Some(&officer),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    let late = pay(&app, &session, &body).await;
    assert_eq!(late.status, StatusCode::OK, "{}", late.text());
    assert_eq!(late.json(), first);
    assert_eq!(balance(&app, voucher).await, 1_000_000 - 250_050);
    assert_eq!(
        balance(
            &app,
            AccountKey::Voucher {
                resettler: someone_id,
                month
            }
        )
        .await,
        1_000_000
    );
    assert_ledger_clean(&app).await;
}

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn request(payee: i64, tenge: i64) -> PayRequest {
    PayRequest {
        id: next_transfer_id(),
        payee_id: payee,
        category: PayeeCategory::Rent,
        amount: Tenge::from_tiyn(tenge * 100),
    }
}

async fn payments_draw_on_the_voucher_that_expires_first(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let s = &app.store;
    let (_, me) = approved_resettler(&app, NORTH).await;
    let payee = insert_payee(s, "north_kazakhstan", "rent", "active", PETROPAVL).await;
    let (march, april) = (Month::new(2025, 3).unwrap(), Month::new(2025, 4).unwrap());
    issue_voucher(s, me, NORTH, march, 100_000).await;
    issue_voucher(s, me, NORTH, april, 50_000).await;
    let month_of = |paid: Paid| match paid {
        Paid::Posted(p) => p.month,
        Paid::Replayed(_) => panic!("not a replay"),
    };
    let refusal = |result: Result<Paid, server::ApiError>| result.unwrap_err().code;

    // During April's first ten days March's voucher is still spendable, and goes first.
    let today = day("2025-04-05");
    let first = request(payee, 600);
    let paid = payments::pay(s, me, &first, today).await.unwrap();
    assert_eq!(month_of(paid), march);
    // March has 400 left: more than that is refused, not split or taken from April.
    let refused = payments::pay(s, me, &request(payee, 500), today).await;
    assert_eq!(refusal(refused), "insufficient_balance");
    let paid = payments::pay(s, me, &request(payee, 400), today)
        .await
        .unwrap();
    assert_eq!(month_of(paid), march);
    // March is empty: April's voucher pays.
    let paid = payments::pay(s, me, &request(payee, 300), today)
        .await
        .unwrap();
    assert_eq!(month_of(paid), april);
    // The first payment's replay answers its first result, though March is empty now.
    match payments::pay(s, me, &first, today).await.unwrap() {
        Paid::Replayed(p) => assert_eq!((p.month, p.amount), (march, first.amount)),
        Paid::Posted(_) => panic!("paid twice"),
    }
    // The grace day is the 10th; after it only April's voucher is spendable.
    let paid = payments::pay(s, me, &request(payee, 100), day("2025-04-11"))
        .await
        .unwrap();
    assert_eq!(month_of(paid), april);
    let refused = payments::pay(s, me, &request(payee, 100), day("2025-05-11")).await;
    assert_eq!(refusal(refused), "voucher_expired");
    let refused = payments::pay(s, me, &request(payee, 100), day("2025-02-28")).await;
    assert_eq!(refusal(refused), "voucher_expired");
    assert_eq!(
        balance(
            &app,
            AccountKey::Voucher {
                resettler: me,
                month: april
            }
        )
        .await,
        50_000 - 40_000
    );
    assert_ledger_clean(&app).await;
}

async fn deactivation_stops_payments_at_once(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let s = &app.store;
    let (session, me) = approved_resettler(&app, NORTH).await;
    let month = this_month();
    issue_voucher(s, me, NORTH, month, 1_000_000).await;
    let payee = insert_payee(s, "north_kazakhstan", "utilities", "active", PETROPAVL).await;
    let reply = pay(
        &app,
        &session,
        &pay_body(&new_id(), payee, "utilities", "100"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());

    let officer = login(&app.router, AKIMAT_NORTH.login, AKIMAT_NORTH.password).await;
    let reply = call(
        &app.router,
        "POST",
        &format!("/api/v1/payees/{payee}/deactivate"),
        None,
        Some(&officer),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    let reply = pay(
        &app,
        &session,
        &pay_body(&new_id(), payee, "utilities", "100"),
    )
    .await;
    assert_eq!(
        reply.error(StatusCode::UNPROCESSABLE_ENTITY, "after").code,
        "payee_inactive"
    );
    // The ledger refuses it too, should a payment already be past the checks.
    let past_the_checks = ledger::TransferRequest {
        id: next_transfer_id(),
        debit: AccountKey::Voucher {
            resettler: me,
            month,
        },
        credit: AccountKey::Payee(payee),
        amount_tiyn: 100,
        kind: ledger::TransferKind::Pay,
        reference: payments::payment_reference(payee, PayeeCategory::Utilities),
    };
    assert!(matches!(
        ledger::transfer(s, &past_the_checks).await,
        Err(ledger::LedgerError::Rejected(
            ledger::Rejection::AccountClosed
        ))
    ));
    assert_eq!(balance(&app, AccountKey::Payee(payee)).await, 10_000);
    assert_ledger_clean(&app).await;
}

async fn concurrent_payments_never_overdraw(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let s = &app.store;
    let (session, me) = approved_resettler(&app, NORTH).await;
    let month = this_month();
    issue_voucher(s, me, NORTH, month, 100_000).await;
    let voucher = AccountKey::Voucher {
        resettler: me,
        month,
    };
    let payee = insert_payee(s, "north_kazakhstan", "rent", "active", PETROPAVL).await;

    // 30 payments of 100 tenge on a 1 000 tenge voucher, each sent twice at once.
    let ids: Vec<String> = (0..30).map(|_| new_id()).collect();
    let mut tasks = Vec::new();
    for id in ids.iter().chain(ids.iter()) {
        let router = app.router.clone();
        let session = session.clone();
        let body = pay_body(id, payee, "rent", "100");
        tasks.push(tokio::spawn(async move {
            let reply = call(
                &router,
                "POST",
                "/api/v1/wallet/payments",
                Some(&body),
                Some(&session),
            )
            .await;
            (body, reply)
        }));
    }
    let mut outcomes: std::collections::BTreeMap<String, Vec<&'static str>> = Default::default();
    for task in tasks {
        let (body, reply) = task.await.unwrap();
        let outcome = match reply.status {
            StatusCode::CREATED | StatusCode::OK => "paid",
            StatusCode::UNPROCESSABLE_ENTITY => {
                assert_eq!(reply.json()["error"]["code"], "insufficient_balance");
                "refused"
            }
            other => panic!("unexpected {other}: {}", reply.text()),
        };
        outcomes.entry(body).or_default().push(outcome);
    }
    // Both sends of one payment agree, and exactly ten payments went through.
    assert!(outcomes.values().all(|o| o[0] == o[1]), "{outcomes:?}");
    let paid = outcomes.values().filter(|o| o[0] == "paid").count();
    assert_eq!(paid, 10);
    assert_eq!(balance(&app, voucher).await, 0);
    assert_eq!(balance(&app, AccountKey::Payee(payee)).await, 100_000);
    assert_ledger_clean(&app).await;
}

async fn registrations_are_limited_per_address(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let body = || {
        json!({
            "name": "ТОО «Жылу»",
            "id_number": next_bin(),
            "category": "utilities",
            "address": "Павлодар, ул. Ленина, 5",
            "region": "pavlodar",
            "location": { "lat": PAVLODAR_CITY.0, "lon": PAVLODAR_CITY.1 },
        })
        .to_string()
    };
    for _ in 0..server::payees::REGISTRATIONS_PER_ADDRESS {
        let reply = call(&app.router, "POST", "/api/v1/payees", Some(&body()), None).await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    }
    let reply = call(&app.router, "POST", "/api/v1/payees", Some(&body()), None).await;
    assert_eq!(
        reply.error(StatusCode::TOO_MANY_REQUESTS, "limit").code,
        "too_many_registrations"
    );
    let retry: i64 = reply.header("retry-after").unwrap().parse().unwrap();
    assert!(retry > 0 && retry <= server::payees::REGISTRATION_WINDOW);
}

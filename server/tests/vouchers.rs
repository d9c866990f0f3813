//! Monthly vouchers on SQLite and PostgreSQL: issuance (12 months at most, the MRP of each
//! issue date, once however often or however simultaneously it runs, catching up after
//! downtime, waiting for funds without burning ids), expiry (the remainder back to the
//! budget, then closed), the budgets' funding by the admin only, the wallet, and
//! `server vouchers issue`.

mod common;
mod support;

use axum::http::StatusCode;
use chrono::{Datelike, Months, NaiveDate};
use common::{Backend, TestApp, TestDb};
use serde_json::json;
use server::{
    budgets,
    ledger::{
        self, AccountFlags, AccountKey, Month, TransferId, TransferKind, TransferOutcome,
        TransferRequest,
    },
    vouchers::{self, ExpiryReport, IssueReport},
    Store,
};
use shared::{api::Settlement, Policy, Region, Tenge};
use sqlx::Row;
use std::process::Command;
use support::*;

on_both_backends!(
    issues_twelve_months_with_the_mrp_of_each_issue_date,
    catches_up_after_downtime,
    simultaneous_runs_issue_once,
    waits_for_funds_then_issues_once_funded,
    expiry_returns_the_remainder_and_closes,
    funding_is_for_the_admin_only,
    wallet_shows_vouchers_and_history,
    the_command_issues_a_month_by_hand,
);

const NORTH: Region = Region::NorthKazakhstan;

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn month(text: &str) -> Month {
    Month::parse(text).unwrap()
}

/// A migrated database with the budget accounts open, as the server leaves it at start-up.
async fn store(backend: Backend) -> Option<(TestDb, Store)> {
    let db = TestDb::create(backend).await?;
    let store = Store::connect(&db.url).await.expect("connect");
    store.migrate().await.expect("migrate");
    budgets::open_accounts(&store)
        .await
        .expect("budget accounts");
    Some((db, store))
}

/// A new resettler with an application to north_kazakhstan (urban) approved on
/// `approved_on`, for a family of `size`; their account id.
async fn approved_family(store: &Store, size: i64, approved_on: &str) -> i64 {
    let resettler = insert_user(store, "resettler").await;
    sqlx::query(
        "INSERT INTO applications (applicant_id, status, region, settlement, year, family_size, \
         family_members, birth_date, citizenship, current_region, prior_support, submitted_at, \
         decided_at) VALUES ($1, 'approved', 'north_kazakhstan', 'urban', 2026, $2, '[]', \
         '1985-01-01', 'citizen', 'turkestan', 0, $3, $4)",
    )
    .bind(resettler)
    .bind(size)
    .bind(format!("{approved_on}T08:00:00.000000Z"))
    .bind(format!("{approved_on}T10:30:00.000000Z"))
    .execute(store.pool())
    .await
    .unwrap();
    resettler
}

static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn fresh_id() -> TransferId {
    let n = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    TransferId::new(u128::from(n) << 64 | u128::from(std::process::id())).unwrap()
}

async fn fund(store: &Store, region: Region, tenge: i64) {
    let outcome = budgets::fund(store, region, fresh_id(), tenge * 100, "test".into()).await;
    assert!(
        matches!(outcome, Ok(TransferOutcome::Posted(_))),
        "{outcome:?}"
    );
}

/// What `region`'s budget holds, in tenge.
async fn budget(store: &Store, region: Region) -> i64 {
    budgets::available(store, region).await.unwrap() / 100
}

/// A voucher's account: (issued, available) in tenge and whether it is closed; `None`
/// when never opened.
async fn voucher(store: &Store, resettler: i64, month: Month) -> Option<(i64, i64, bool)> {
    let key = AccountKey::Voucher { resettler, month };
    ledger::account(store, &key).await.unwrap().map(|a| {
        (
            a.balance.credits_posted / 100,
            a.balance.available() / 100,
            a.closed,
        )
    })
}

async fn count(store: &Store, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(store.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

async fn assert_ledger_consistent(store: &Store) {
    let report = ledger::check(store).await.unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

/// Urban family of 3: 25 MRP; MRP 3 932 in 2025, 4 325 in 2026.
const URBAN_3_2025: i64 = 25 * 3932;
const URBAN_3_2026: i64 = 25 * 4325;

async fn issues_twelve_months_with_the_mrp_of_each_issue_date(backend: Backend) {
    let Some((_db, store)) = store(backend).await else {
        return;
    };
    fund(&store, NORTH, 5_000_000).await;
    let family = approved_family(&store, 3, "2025-06-15").await;

    // Long after arrival: June 2025 to May 2026, no more.
    let report = vouchers::issue_due(&store, date("2026-09-20"))
        .await
        .unwrap();
    assert_eq!(
        report,
        IssueReport {
            issued: 12,
            ..IssueReport::default()
        }
    );
    let mut total = 0;
    for n in 0..12 {
        let first = date("2025-06-01") + Months::new(n);
        let m = Month::of(first);
        let expected = if first.year() == 2025 {
            URBAN_3_2025
        } else {
            URBAN_3_2026
        };
        assert_eq!(
            voucher(&store, family, m).await.map(|v| v.0),
            Some(expected),
            "{m}"
        );
        total += expected;
    }
    assert_eq!(total, 7 * URBAN_3_2025 + 5 * URBAN_3_2026);
    assert_eq!(voucher(&store, family, month("2026-06")).await, None);
    assert_eq!(voucher(&store, family, month("2025-05")).await, None);
    assert_eq!(budget(&store, NORTH).await, 5_000_000 - total);

    // Again: nothing more.
    let again = vouchers::issue_due(&store, date("2026-09-21"))
        .await
        .unwrap();
    assert_eq!((again.issued, again.already_issued), (0, 12));
    assert_eq!(budget(&store, NORTH).await, 5_000_000 - total);
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) AS n FROM ledger_transfers WHERE kind = 'issue'"
        )
        .await,
        12
    );
    assert_ledger_consistent(&store).await;
}

async fn catches_up_after_downtime(backend: Backend) {
    let Some((_db, store)) = store(backend).await else {
        return;
    };
    fund(&store, NORTH, 5_000_000).await;
    let family = approved_family(&store, 3, "2026-03-02").await;
    let early = vouchers::issue_due(&store, date("2026-03-02"))
        .await
        .unwrap();
    assert_eq!(early.issued, 1);

    // The server was down from March to July: April to July come at once, March stays.
    let later = vouchers::issue_due(&store, date("2026-07-01"))
        .await
        .unwrap();
    assert_eq!((later.issued, later.already_issued), (4, 1));
    for m in ["2026-03", "2026-04", "2026-05", "2026-06", "2026-07"] {
        assert_eq!(
            voucher(&store, family, month(m)).await.map(|v| v.0),
            Some(URBAN_3_2026),
            "{m}"
        );
    }
    assert_eq!(voucher(&store, family, month("2026-08")).await, None);

    // Expiry catches up too: March to May are past their grace day on 1 July.
    let expired = vouchers::expire_due(&store, date("2026-07-01"))
        .await
        .unwrap();
    assert_eq!(
        expired,
        ExpiryReport {
            returned: 3,
            returned_tiyn: 3 * URBAN_3_2026 * 100,
            closed: 3,
            failed: 0,
        }
    );
    assert_eq!(budget(&store, NORTH).await, 5_000_000 - 2 * URBAN_3_2026);
    assert_ledger_consistent(&store).await;
}

async fn simultaneous_runs_issue_once(backend: Backend) {
    let Some((_db, store)) = store(backend).await else {
        return;
    };
    fund(&store, NORTH, 5_000_000).await;
    let families = [
        approved_family(&store, 1, "2026-01-20").await,
        approved_family(&store, 3, "2026-02-03").await,
        approved_family(&store, 5, "2026-02-28").await,
    ];
    let today = date("2026-04-15");
    let runs: Vec<_> = (0..4)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move { vouchers::issue_due(&store, today).await.unwrap() })
        })
        .collect();
    let mut issued = 0;
    for run in runs {
        issued += run.await.unwrap().issued;
    }
    // 4 + 3 + 3 vouchers, each posted by exactly one run.
    assert_eq!(issued, 10);
    assert_eq!(
        count(
            &store,
            "SELECT COUNT(*) AS n FROM ledger_transfers WHERE kind = 'issue'"
        )
        .await,
        10
    );
    let monthly = [20 * 4325, 25 * 4325, 30 * 4325];
    let spent: i64 = monthly[0] * 4 + monthly[1] * 3 + monthly[2] * 3;
    assert_eq!(budget(&store, NORTH).await, 5_000_000 - spent);
    for (family, amount) in families.into_iter().zip(monthly) {
        assert_eq!(
            voucher(&store, family, month("2026-04")).await.map(|v| v.0),
            Some(amount)
        );
    }
    assert_ledger_consistent(&store).await;
}

async fn waits_for_funds_then_issues_once_funded(backend: Backend) {
    let Some((_db, store)) = store(backend).await else {
        return;
    };
    let family = approved_family(&store, 3, "2026-01-10").await;
    let today = date("2026-03-05");

    let unfunded = vouchers::issue_due(&store, today).await.unwrap();
    assert_eq!(
        unfunded,
        IssueReport {
            waiting_for_funds: 3,
            ..IssueReport::default()
        }
    );
    // Skipped before the ledger: no account opened, no id refused (burnt) for ever.
    assert_eq!(voucher(&store, family, month("2026-01")).await, None);
    assert_eq!(
        count(&store, "SELECT COUNT(*) AS n FROM ledger_failures").await,
        0
    );

    // Enough for two months: two now, the third waits.
    fund(&store, NORTH, 2 * URBAN_3_2026 + 1_000).await;
    let partly = vouchers::issue_due(&store, today).await.unwrap();
    assert_eq!(
        (partly.issued, partly.waiting_for_funds, partly.failed),
        (2, 1, 0)
    );
    assert_eq!(budget(&store, NORTH).await, 1_000);

    fund(&store, NORTH, URBAN_3_2026).await;
    let rest = vouchers::issue_due(&store, today).await.unwrap();
    assert_eq!((rest.issued, rest.already_issued), (1, 2));
    for m in ["2026-01", "2026-02", "2026-03"] {
        assert_eq!(
            voucher(&store, family, month(m)).await.map(|v| v.0),
            Some(URBAN_3_2026),
            "{m}"
        );
    }
    assert_eq!(budget(&store, NORTH).await, 1_000);
    assert_ledger_consistent(&store).await;
}

async fn expiry_returns_the_remainder_and_closes(backend: Backend) {
    let Some((_db, store)) = store(backend).await else {
        return;
    };
    fund(&store, NORTH, 1_000_000).await;
    let family = approved_family(&store, 3, "2026-01-05").await;
    vouchers::issue_due(&store, date("2026-02-01"))
        .await
        .unwrap();
    // January's voucher pays 30 000 of rent.
    let payee = AccountKey::Payee(1);
    ledger::open_account(&store, &payee, AccountFlags::NO_OVERDRAFT)
        .await
        .unwrap();
    let january = AccountKey::Voucher {
        resettler: family,
        month: month("2026-01"),
    };
    ledger::transfer(
        &store,
        &TransferRequest {
            id: fresh_id(),
            debit: january,
            credit: payee,
            amount_tiyn: 30_000 * 100,
            kind: TransferKind::Pay,
            reference: "payee:1:rent".into(),
        },
    )
    .await
    .unwrap();
    let before = budget(&store, NORTH).await;

    // The grace day (10 February) is still spendable.
    let on_grace_day = vouchers::expire_due(&store, date("2026-02-10"))
        .await
        .unwrap();
    assert_eq!(on_grace_day, ExpiryReport::default());

    let after = vouchers::expire_due(&store, date("2026-02-11"))
        .await
        .unwrap();
    assert_eq!(
        after,
        ExpiryReport {
            returned: 1,
            returned_tiyn: (URBAN_3_2026 - 30_000) * 100,
            closed: 1,
            failed: 0,
        }
    );
    assert_eq!(
        voucher(&store, family, month("2026-01")).await,
        Some((URBAN_3_2026, 0, true))
    );
    // February's voucher is untouched.
    assert_eq!(
        voucher(&store, family, month("2026-02")).await,
        Some((URBAN_3_2026, URBAN_3_2026, false))
    );
    assert_eq!(budget(&store, NORTH).await, before + URBAN_3_2026 - 30_000);

    // Again, and issuance again: nothing moves, January is not issued anew.
    let again = vouchers::expire_due(&store, date("2026-02-12"))
        .await
        .unwrap();
    assert_eq!(again, ExpiryReport::default());
    let reissue = vouchers::issue_due(&store, date("2026-02-12"))
        .await
        .unwrap();
    assert_eq!((reissue.issued, reissue.already_issued), (0, 2));
    assert_eq!(budget(&store, NORTH).await, before + URBAN_3_2026 - 30_000);

    // A voucher spent to the last tiyn is closed with nothing to return.
    let february = AccountKey::Voucher {
        resettler: family,
        month: month("2026-02"),
    };
    ledger::transfer(
        &store,
        &TransferRequest {
            id: fresh_id(),
            debit: february,
            credit: payee,
            amount_tiyn: URBAN_3_2026 * 100,
            kind: TransferKind::Pay,
            reference: "payee:1:rent".into(),
        },
    )
    .await
    .unwrap();
    let spent = vouchers::expire_due(&store, date("2026-03-11"))
        .await
        .unwrap();
    assert_eq!((spent.returned, spent.closed), (0, 1));
    assert_eq!(
        voucher(&store, family, month("2026-02")).await,
        Some((URBAN_3_2026, 0, true))
    );
    assert_ledger_consistent(&store).await;
}

async fn funding_is_for_the_admin_only(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let r = &app.router;
    let admin = login(r, ADMIN.login, ADMIN.password).await;
    let officer = login(r, AKIMAT_NORTH.login, AKIMAT_NORTH.password).await;
    let resettler = login(r, RESETTLER.login, RESETTLER.password).await;
    let uri = "/api/v1/budgets/north_kazakhstan/fund";
    let id = "0123456789abcdef0123456789abcdef";
    let body = json!({ "id": id, "amount": "1000000" }).to_string();
    let start = budget(&app.store, NORTH).await;

    for (who, session) in [("officer", &officer), ("resettler", &resettler)] {
        let reply = call(r, "POST", uri, Some(&body), Some(session)).await;
        assert_eq!(reply.error(StatusCode::FORBIDDEN, who).code, "forbidden");
    }
    assert_eq!(budget(&app.store, NORTH).await, start);

    let reply = call(r, "POST", uri, Some(&body), Some(&admin)).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text());
    let funded = reply.json();
    assert_eq!(funded["id"], id);
    assert_eq!(funded["region"], "north_kazakhstan");
    assert_eq!(funded["amount"], "1000000");
    assert_eq!(funded["balance"], (start + 1_000_000).to_string());
    // The same request again: the first result, nothing moves.
    let replay = call(r, "POST", uri, Some(&body), Some(&admin)).await;
    assert_eq!(replay.status, StatusCode::OK);
    assert_eq!(replay.json()["at"], funded["at"]);
    assert_eq!(budget(&app.store, NORTH).await, start + 1_000_000);
    // The same id for another amount is refused.
    let other = json!({ "id": id, "amount": "5" }).to_string();
    let in_russian = format!("{uri}?lang=ru");
    let reply = call(r, "POST", &in_russian, Some(&other), Some(&admin)).await;
    let error = reply.error(StatusCode::CONFLICT, "id reused");
    assert_eq!(
        (error.code.as_str(), error.field.as_deref()),
        ("id_reused_with_different_body", Some("id"))
    );
    assert!(
        common::has_cyrillic(&error.message),
        "in Russian: {error:?}"
    );

    for amount in ["0", "-5", "10.001"] {
        let body = json!({ "id": "00000000000000000000000000000abc", "amount": amount });
        let reply = call(r, "POST", uri, Some(&body.to_string()), Some(&admin)).await;
        let error = reply.error(StatusCode::BAD_REQUEST, amount);
        assert_eq!(
            (error.code.as_str(), error.field.as_deref()),
            ("invalid_amount", Some("amount")),
            "{amount}"
        );
    }
    let zero_id = json!({ "id": "00000000000000000000000000000000", "amount": "5" });
    let reply = call(r, "POST", uri, Some(&zero_id.to_string()), Some(&admin)).await;
    assert_eq!(
        reply
            .error(StatusCode::BAD_REQUEST, "zero id")
            .field
            .as_deref(),
        Some("id")
    );
    let reply = call(
        r,
        "POST",
        "/api/v1/budgets/almaty_city/fund",
        Some(&body),
        Some(&admin),
    )
    .await;
    assert_eq!(
        reply.error(StatusCode::NOT_FOUND, "origin region").code,
        "unknown_region"
    );
    assert_eq!(budget(&app.store, NORTH).await, start + 1_000_000);

    // Balances: the admin sees every destination region, an officer their own.
    let all = call(r, "GET", "/api/v1/budgets", None, Some(&admin)).await;
    assert_eq!(all.status, StatusCode::OK);
    let all = all.json();
    let regions: Vec<&str> = all["budgets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["region"].as_str().unwrap())
        .collect();
    let destinations: Vec<&str> = Policy::current().destinations().map(Region::id).collect();
    assert_eq!(regions, destinations);
    let own = call(r, "GET", "/api/v1/budgets", None, Some(&officer))
        .await
        .json();
    assert_eq!(
        own,
        json!({ "budgets": [{
            "region": "north_kazakhstan",
            "balance": (start + 1_000_000).to_string(),
        }] })
    );
    let reply = call(r, "GET", "/api/v1/budgets", None, Some(&resettler)).await;
    reply.error(StatusCode::FORBIDDEN, "resettler");
    assert_ledger_consistent(&app.store).await;
}

async fn wallet_shows_vouchers_and_history(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let r = &app.router;
    let resettler = login(r, RESETTLER.login, RESETTLER.password).await;

    // Nothing approved yet: an empty wallet without a region.
    let empty = call(r, "GET", "/api/v1/wallet", None, Some(&resettler)).await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.text());
    assert_eq!(
        empty.json(),
        json!({ "region": null, "balance": "0", "vouchers": [], "history": [] })
    );

    // Approved two months ago (the demo funded the budget).
    let today = chrono::Utc::now().date_naive();
    let arrival = Month::of(today - Months::new(2));
    let family = resettler.user_id();
    let submitted = call(
        r,
        "POST",
        "/api/v1/applications",
        Some(&application_body("north_kazakhstan", &[])),
        Some(&resettler),
    )
    .await;
    assert_eq!(
        submitted.status,
        StatusCode::CREATED,
        "{}",
        submitted.text()
    );
    let officer = login(r, AKIMAT_NORTH.login, AKIMAT_NORTH.password).await;
    let approve = format!(
        "/api/v1/applications/{}/approve",
        submitted.json()["id"].as_i64().unwrap()
    );
    let approved = call(r, "POST", &approve, None, Some(&officer)).await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.text());
    sqlx::query("UPDATE applications SET decided_at = $1 WHERE applicant_id = $2")
        .bind(format!("{}T09:00:00.000000Z", arrival.first_day()))
        .bind(family)
        .execute(app.store.pool())
        .await
        .unwrap();
    // This month's was issued on approval; the two before it now that it is backdated.
    assert_eq!(
        vouchers::issue_due(&app.store, today).await.unwrap().issued,
        2
    );
    let expired = vouchers::expire_due(&app.store, today).await.unwrap();
    assert!(expired.closed >= 1, "{expired:?}");

    let policy = Policy::current();
    let amount =
        |m: Month| shared::voucher::monthly_amount(1, Settlement::Urban, m, policy).unwrap();
    let wallet = call(r, "GET", "/api/v1/wallet", None, Some(&resettler)).await;
    assert_eq!(wallet.status, StatusCode::OK, "{}", wallet.text());
    let wallet = wallet.json();
    assert_eq!(wallet["region"], "north_kazakhstan");
    let vouchers = wallet["vouchers"].as_array().unwrap();
    let months: Vec<Month> = (0..3).map(|n| Month::of(today - Months::new(n))).collect();
    // Newest month first.
    let shown: Vec<&str> = vouchers
        .iter()
        .map(|v| v["month"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = months.iter().map(Month::to_string).collect();
    assert_eq!(shown, expected);
    let this_month = &vouchers[0];
    assert_eq!(this_month["amount"], amount(months[0]).to_string());
    assert_eq!(this_month["spent"], "0");
    assert_eq!(this_month["left"], amount(months[0]).to_string());
    assert_eq!(this_month["status"], "open");
    assert_eq!(
        this_month["spendable_until"],
        shared::voucher::spendable_until(months[0], policy)
            .unwrap()
            .to_string()
    );
    // Two months ago is past its grace day: returned in full.
    let oldest = &vouchers[2];
    assert_eq!(oldest["status"], "returned");
    assert_eq!(oldest["returned"], amount(months[2]).to_string());
    assert_eq!(oldest["left"], "0");
    // Spendable now: what the open vouchers hold.
    let balance = vouchers
        .iter()
        .filter(|v| v["status"] == "open")
        .map(|v| serde_json::from_value::<Tenge>(v["left"].clone()).unwrap())
        .fold(Tenge::ZERO, |sum, left| {
            Tenge::new(sum.amount() + left.amount())
        });
    assert!(balance > Tenge::ZERO);
    assert_eq!(wallet["balance"], balance.to_string());

    // History, newest first: the returns after the issues.
    let history = wallet["history"].as_array().unwrap();
    let returned = vouchers
        .iter()
        .filter(|v| v["status"] == "returned")
        .count();
    assert_eq!(history.len(), 3 + returned);
    assert_eq!(history[0]["kind"], "returned");
    assert_eq!(history.last().unwrap()["kind"], "issued");
    assert!(history.iter().all(|e| e["payee"].is_null()));

    // Only resettlers have a wallet.
    let admin = login(r, ADMIN.login, ADMIN.password).await;
    let reply = call(r, "GET", "/api/v1/wallet", None, Some(&admin)).await;
    assert_eq!(
        reply.error(StatusCode::FORBIDDEN, "admin").code,
        "forbidden"
    );
    let reply = call(r, "GET", "/api/v1/wallet", None, None).await;
    reply.error(StatusCode::UNAUTHORIZED, "anonymous");
    assert_ledger_consistent(&app.store).await;
}

async fn the_command_issues_a_month_by_hand(backend: Backend) {
    let Some((db, store)) = store(backend).await else {
        return;
    };
    fund(&store, NORTH, 1_000_000).await;
    let today = chrono::Utc::now().date_naive();
    let this_month = Month::of(today);
    let last_month = Month::of(today - Months::new(1));
    let approved_on = last_month.first_day().to_string();
    let family = approved_family(&store, 1, &approved_on).await;
    let run = |month: Month| {
        Command::new(env!("CARGO_BIN_EXE_server"))
            .args(["vouchers", "issue", "--month", &month.to_string()])
            .args(["--database", &db.url])
            .env("RUST_LOG", "off")
            .env_remove("DATABASE_URL")
            .output()
            .expect("the server binary runs")
    };

    let out = run(this_month);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains(&format!(
            "vouchers for {this_month}: 1 issued, 0 already issued, 0 waiting for funds, 0 failed"
        )),
        "{text}"
    );
    // Only the month asked for.
    assert!(voucher(&store, family, this_month).await.is_some());
    assert_eq!(voucher(&store, family, last_month).await, None);

    let again = run(this_month);
    let text = String::from_utf8_lossy(&again.stdout).into_owned();
    assert_eq!(again.status.code(), Some(0), "{text}");
    assert!(text.contains("0 issued, 1 already issued"), "{text}");

    let bad = Command::new(env!("CARGO_BIN_EXE_server"))
        .args([
            "vouchers",
            "issue",
            "--month",
            "2026-13",
            "--database",
            &db.url,
        ])
        .env("RUST_LOG", "off")
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert_ledger_consistent(&store).await;
}

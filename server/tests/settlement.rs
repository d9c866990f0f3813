//! Settling contracts (SPEC §5) on SQLite and PostgreSQL: the employer's payout is posted
//! through the ledger exactly once however many settlements run at once, a breached
//! contract is never paid, the payout is min(declared costs, limit), and a budget that
//! cannot pay leaves the payout pending until it can.

mod common;
mod support;

use axum::body::Bytes;
use chrono::NaiveDate;
use common::{Backend, Options, TestApp};
use serde_json::json;
use server::{
    audit::{self, Verdict},
    feed::{self, FeedReport, Format, Importer, Settings},
    ledger::{self, AccountKey},
    service_tokens::ServiceClient,
    settlement::{self, Settled},
};
use shared::{
    contract::{ContractTerms, TermsDraft},
    ledger::Month,
    Lang, Policy, Region, Tenge,
};
use sqlx::Row;
use support::*;

on_both_backends!(
    concurrent_settlements_pay_once,
    two_imports_completing_the_last_month_pay_once,
    a_breached_contract_is_never_paid,
    the_payout_is_the_declared_costs_up_to_the_limit,
    a_payout_waits_for_the_budget,
    contracts_being_signed_are_not_settled,
    the_demo_has_contracts_in_every_state,
);

const REGION: Region = Region::NorthKazakhstan;

async fn start(backend: Backend) -> Option<TestApp> {
    TestApp::with(
        backend,
        Options {
            demo: false,
            site: None,
        },
    )
    .await
}

fn tenge(amount: i64) -> Tenge {
    Tenge::from_tiyn(amount * 100)
}

/// The first of the 24 months of every contract here; its limit is 450 MRP of 2024.
fn first_month() -> Month {
    Month::new(2024, 1).unwrap()
}

/// Month `i` of the contracts, from 0.
fn nth(i: u32) -> Month {
    first_month().plus(i).unwrap()
}

/// A day in month `i` of the contracts.
fn in_month(i: u32) -> NaiveDate {
    nth(i).first_day() + chrono::Days::new(9)
}

/// A contract between a new resettler and a new employer in North Kazakhstan, created on
/// the first day of [`first_month`] and starting then, in `status`.
async fn contract(app: &TestApp, declared: Tenge, status: &str) -> ContractTerms {
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
    let id: i64 = sqlx::query(
        "INSERT INTO contracts (resettler_iin, employer_bin, start_month, status, created_at, \
         resettler_id, employer_id, region) VALUES ($1, $2, $3, $4, '2024-01-01T00:00:00Z', \
         $5, $6, $7) RETURNING id",
    )
    .bind(&iin)
    .bind(&bin)
    .bind(first_month().to_string())
    .bind(status)
    .bind(resettler)
    .bind(employer)
    .bind(REGION.id())
    .fetch_one(app.store.pool())
    .await
    .unwrap()
    .get("id");
    let draft = TermsDraft {
        resettler_id: resettler,
        resettler_iin: iin,
        employer_id: employer,
        employer_bin: bin,
        region: REGION,
        vacancy_id: 1,
        position: "Welder".into(),
        monthly_salary: tenge(250_000),
        start_month: first_month(),
        declared_housing_costs: declared,
    };
    let terms = ContractTerms::fix(id, draft, first_month().first_day(), Policy::current())
        .expect("valid terms");
    sqlx::query("UPDATE contracts SET terms = $1 WHERE id = $2")
        .bind(serde_json::to_string(&terms).unwrap())
        .bind(id)
        .execute(app.store.pool())
        .await
        .unwrap();
    terms
}

/// Puts `amount` into the region's budget.
async fn fund(app: &TestApp, amount: Tenge) {
    server::budgets::fund(
        &app.store,
        REGION,
        next_transfer_id(),
        amount.to_tiyn().unwrap(),
        "test".into(),
    )
    .await
    .unwrap();
}

/// Imports a CSV file confirming every month of `months` of `terms`' contract, on `today`,
/// as the registries' system does; every row must be accepted.
async fn import(
    store: &server::Store,
    terms: &ContractTerms,
    months: impl IntoIterator<Item = u32>,
    today: NaiveDate,
) -> FeedReport {
    let report = send(store, terms, months, today).await;
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    report
}

/// [`import`], whatever becomes of the rows.
async fn send(
    store: &server::Store,
    terms: &ContractTerms,
    months: impl IntoIterator<Item = u32>,
    today: NaiveDate,
) -> FeedReport {
    let mut csv = String::from("iin,bin,month,resident,employed,social_paid,pension_paid\n");
    for i in months {
        let (iin, bin) = (&terms.resettler_iin, &terms.employer_bin);
        csv.push_str(&format!("{iin},{bin},{},1,1,1,1\n", nth(i)));
    }
    let importer = Importer::Service(ServiceClient {
        token_id: 1,
        name: "registry".into(),
    });
    let settings = Settings {
        lang: Lang::En,
        limit: feed::BODY_LIMIT,
        today,
    };
    let body = futures_util::stream::iter([Ok::<_, std::convert::Infallible>(Bytes::from(csv))]);
    feed::import(store, &importer, Format::Csv, body, settings)
        .await
        .unwrap()
}

/// The payout transfers in the ledger: (reference, amount in tiyn).
async fn payouts(app: &TestApp) -> Vec<(String, i64)> {
    sqlx::query("SELECT reference, amount FROM ledger_transfers WHERE kind = 'payout' ORDER BY seq")
        .fetch_all(app.store.pool())
        .await
        .unwrap()
        .iter()
        .map(|row| (row.get("reference"), row.get("amount")))
        .collect()
}

/// What the employer's payout account has received, in tiyn (zero when never opened).
async fn received(app: &TestApp, terms: &ContractTerms) -> i64 {
    ledger::account(&app.store, &AccountKey::EmployerPayout(terms.employer_id))
        .await
        .unwrap()
        .map_or(0, |account| account.balance.credits_posted)
}

/// The stored status and payout transfer of a contract.
async fn stored(app: &TestApp, terms: &ContractTerms) -> (String, Option<String>) {
    let row = sqlx::query("SELECT status, payout_transfer FROM contracts WHERE id = $1")
        .bind(terms.contract_id)
        .fetch_one(app.store.pool())
        .await
        .unwrap();
    (row.get("status"), row.get("payout_transfer"))
}

/// How many audit entries with `action` are about the contract.
async fn entries(app: &TestApp, action: &str, terms: &ContractTerms) -> Vec<serde_json::Value> {
    audit_entries(&app.store, action)
        .await
        .into_iter()
        .filter(|(_, subject, _, _)| {
            subject.as_deref() == Some(&format!("contract:{}", terms.contract_id))
        })
        .map(|(_, _, _, after)| after.unwrap_or_default())
        .collect()
}

/// The ledger and the audit log are consistent (`server ledger check`, `server audit
/// verify`).
async fn assert_consistent(app: &TestApp) {
    let check = ledger::check(&app.store).await.unwrap();
    assert!(check.is_ok(), "{check:?}");
    assert!(matches!(
        audit::verify(&app.store).await.unwrap(),
        Verdict::Intact { .. }
    ));
}

async fn concurrent_settlements_pay_once(backend: Backend) {
    let Some(app) = start(backend).await else {
        return;
    };
    fund(&app, tenge(50_000_000)).await;
    let terms = contract(&app, tenge(1_200_000), "active").await;
    // All 24 months confirmed while the last is still under way: nothing to pay yet.
    import(&app.store, &terms, 0..24, in_month(23)).await;
    assert_eq!(stored(&app, &terms).await.0, "active");
    assert!(payouts(&app).await.is_empty());

    // Once it has ended, eight settlements at once.
    let runs: Vec<_> = (0..8)
        .map(|_| {
            let store = app.store.clone();
            let id = terms.contract_id;
            tokio::spawn(async move { settlement::settle(&store, id, in_month(24)).await })
        })
        .collect();
    let mut transfers = Vec::new();
    for run in futures_util::future::join_all(runs).await {
        match run.unwrap().unwrap() {
            Settled::Fulfilled { payout: Some(id) } => transfers.push(id),
            other => panic!("not paid: {other:?}"),
        }
    }
    transfers.dedup();
    assert_eq!(
        transfers.len(),
        1,
        "every settlement names the one transfer"
    );

    let amount = terms.payout().to_tiyn().unwrap();
    let reference = format!("contract:{}", terms.contract_id);
    assert_eq!(payouts(&app).await, [(reference, amount)]);
    assert_eq!(received(&app, &terms).await, amount);
    assert_eq!(
        stored(&app, &terms).await,
        ("fulfilled".into(), Some(transfers[0].to_string()))
    );
    let fulfilled = entries(&app, audit::action::CONTRACT_FULFILLED, &terms).await;
    assert_eq!(fulfilled.len(), 1);
    assert_eq!(fulfilled[0]["ended_in"], json!(nth(23).to_string()));
    assert_eq!(fulfilled[0]["confirmed"], json!(24));
    let paid = entries(&app, audit::action::CONTRACT_PAID, &terms).await;
    assert_eq!(paid.len(), 1);
    assert_eq!(paid[0]["transfer"], json!(transfers[0].to_string()));
    assert_eq!(paid[0]["amount"], json!(terms.payout()));

    // The hourly job finds nothing left to do.
    let due = settlement::settle_due(&app.store, in_month(30))
        .await
        .unwrap();
    assert_eq!(due.settled, 0);
    assert_eq!(payouts(&app).await.len(), 1);
    assert_consistent(&app).await;
}

async fn two_imports_completing_the_last_month_pay_once(backend: Backend) {
    let Some(app) = start(backend).await else {
        return;
    };
    fund(&app, tenge(50_000_000)).await;
    let terms = contract(&app, tenge(900_000), "active").await;
    import(&app.store, &terms, 0..23, in_month(23)).await;

    // Two systems send the last month at once, after it has ended: each import settles.
    let imports: Vec<_> = (0..2)
        .map(|_| {
            let (store, terms) = (app.store.clone(), terms.clone());
            tokio::spawn(async move { send(&store, &terms, [23], in_month(24)).await })
        })
        .collect();
    let reports: Vec<FeedReport> = futures_util::future::join_all(imports)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    // The first import to commit fulfils the contract; the other one's row replaced that
    // month before, or found the contract ended.
    assert_eq!(
        reports.iter().map(|r| r.rejected.len()).sum::<usize>(),
        2 - reports.iter().map(|r| r.accepted).sum::<u64>() as usize
    );
    assert!(reports.iter().any(|r| r.accepted == 1 && r.replaced == 0));
    for rejected in reports.iter().flat_map(|r| &r.rejected) {
        assert_eq!(rejected.code, "contract_ended");
    }

    let amount = terms.payout().to_tiyn().unwrap();
    assert_eq!(payouts(&app).await.len(), 1);
    assert_eq!(received(&app, &terms).await, amount);
    assert_eq!(stored(&app, &terms).await.0, "fulfilled");
    assert_eq!(
        entries(&app, audit::action::CONTRACT_FULFILLED, &terms)
            .await
            .len(),
        1
    );
    assert_eq!(
        entries(&app, audit::action::CONTRACT_PAID, &terms)
            .await
            .len(),
        1
    );
    assert_consistent(&app).await;
}

async fn a_breached_contract_is_never_paid(backend: Backend) {
    let Some(app) = start(backend).await else {
        return;
    };
    fund(&app, tenge(50_000_000)).await;
    let terms = contract(&app, tenge(1_000_000), "active").await;
    // Five months confirmed, then nothing for three: in the ninth month the eighth's
    // report may still come; in the tenth, settlement (the hourly job) sees the breach.
    import(&app.store, &terms, 0..5, in_month(8)).await;
    assert_eq!(stored(&app, &terms).await, ("active".into(), None));
    settlement::settle_due(&app.store, in_month(9))
        .await
        .unwrap();
    assert_eq!(stored(&app, &terms).await, ("breached".into(), None));
    let breached = entries(&app, audit::action::CONTRACT_BREACHED, &terms).await;
    assert_eq!(breached.len(), 1);
    let why = &breached[0];
    assert_eq!(why["ended_in"], json!(nth(7).to_string()));
    assert_eq!(
        why["unconfirmed_months"],
        json!([nth(5).to_string(), nth(6).to_string(), nth(7).to_string()])
    );
    assert_eq!(
        (&why["unconfirmed_run"], &why["confirmed"]),
        (&json!(3), &json!(5))
    );

    // The missing months sent later, and enough after them for 24: refused, as the
    // contract has ended; still breached, never paid, by an import or by the job.
    let late = send(&app.store, &terms, 5..30, in_month(30)).await;
    assert_eq!(late.accepted, 0);
    assert_eq!(late.rejected.len(), 25);
    assert!(
        late.rejected.iter().all(|r| r.code == "contract_ended"),
        "{late:?}"
    );
    assert_eq!(
        settlement::settle(&app.store, terms.contract_id, in_month(31))
            .await
            .unwrap(),
        Settled::Breached
    );
    let due = settlement::settle_due(&app.store, in_month(31))
        .await
        .unwrap();
    assert_eq!(due.settled, 0, "a breached contract is not due");
    assert_eq!(stored(&app, &terms).await, ("breached".into(), None));
    assert!(payouts(&app).await.is_empty());
    assert_eq!(received(&app, &terms).await, 0);
    assert_eq!(
        entries(&app, audit::action::CONTRACT_BREACHED, &terms)
            .await
            .len(),
        1
    );
    assert!(entries(&app, audit::action::CONTRACT_FULFILLED, &terms)
        .await
        .is_empty());
    assert_consistent(&app).await;
}

async fn the_payout_is_the_declared_costs_up_to_the_limit(backend: Backend) {
    let Some(app) = start(backend).await else {
        return;
    };
    fund(&app, tenge(50_000_000)).await;
    let below = contract(&app, tenge(700_000), "active").await;
    let above = contract(&app, tenge(5_000_000), "active").await;
    // 450 MRP of 2024 (3 692 tenge).
    assert_eq!(below.housing_limit, tenge(1_661_400));
    for terms in [&below, &above] {
        import(&app.store, terms, 0..24, in_month(24)).await;
    }
    assert_eq!(
        received(&app, &below).await,
        tenge(700_000).to_tiyn().unwrap()
    );
    assert_eq!(
        received(&app, &above).await,
        above.housing_limit.to_tiyn().unwrap()
    );
    assert_eq!(payouts(&app).await.len(), 2);
    let budget = server::budgets::available(&app.store, REGION)
        .await
        .unwrap();
    assert_eq!(
        budget,
        tenge(50_000_000 - 700_000 - 1_661_400).to_tiyn().unwrap()
    );
    assert_consistent(&app).await;
}

async fn a_payout_waits_for_the_budget(backend: Backend) {
    let Some(app) = start(backend).await else {
        return;
    };
    let terms = contract(&app, tenge(1_000_000), "active").await;
    // The budget is empty: fulfilled, the payout pending.
    import(&app.store, &terms, 0..24, in_month(24)).await;
    assert_eq!(stored(&app, &terms).await, ("fulfilled".into(), None));
    let pending = entries(&app, audit::action::CONTRACT_PAYOUT_PENDING, &terms).await;
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0]["reason"], "insufficient_balance");
    assert_eq!(pending[0]["amount"], json!(terms.payout()));

    // Tried again by every settlement, said once; not enough money is not enough.
    fund(&app, tenge(999_999)).await;
    for _ in 0..2 {
        assert_eq!(
            settlement::settle(&app.store, terms.contract_id, in_month(25))
                .await
                .unwrap(),
            Settled::Fulfilled { payout: None }
        );
    }
    let due = settlement::settle_due(&app.store, in_month(25))
        .await
        .unwrap();
    assert_eq!((due.settled, due.payouts_pending), (1, 1));
    assert_eq!(
        entries(&app, audit::action::CONTRACT_PAYOUT_PENDING, &terms)
            .await
            .len(),
        1
    );
    assert!(payouts(&app).await.is_empty());

    // Funded: the next run pays, once.
    fund(&app, tenge(1)).await;
    let due = settlement::settle_due(&app.store, in_month(26))
        .await
        .unwrap();
    assert_eq!((due.settled, due.fulfilled_and_paid), (1, 1));
    let again = settlement::settle(&app.store, terms.contract_id, in_month(27))
        .await
        .unwrap();
    assert!(matches!(again, Settled::Fulfilled { payout: Some(_) }));
    assert_eq!(payouts(&app).await.len(), 1);
    assert_eq!(
        received(&app, &terms).await,
        terms.payout().to_tiyn().unwrap()
    );
    assert_eq!(
        server::budgets::available(&app.store, REGION)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        entries(&app, audit::action::CONTRACT_PAID, &terms)
            .await
            .len(),
        1
    );
    assert_eq!(
        entries(&app, audit::action::CONTRACT_FULFILLED, &terms)
            .await
            .len(),
        1
    );
    assert_consistent(&app).await;
}

async fn contracts_being_signed_are_not_settled(backend: Backend) {
    let Some(app) = start(backend).await else {
        return;
    };
    fund(&app, tenge(50_000_000)).await;
    let terms = contract(&app, tenge(1_000_000), "signing").await;
    // The feed refuses its months; were they there, they would still count for nothing.
    for i in 0..24 {
        sqlx::query(
            "INSERT INTO confirmations (contract_id, month, resident, employed, social_paid, \
             pension_paid, received_at) VALUES ($1, $2, 1, 1, 1, 1, '2026-01-01T00:00:00Z')",
        )
        .bind(terms.contract_id)
        .bind(nth(i).to_string())
        .execute(app.store.pool())
        .await
        .unwrap();
    }
    assert_eq!(
        settlement::settle(&app.store, terms.contract_id, in_month(24))
            .await
            .unwrap(),
        Settled::NotSettled
    );
    let due = settlement::settle_due(&app.store, in_month(24))
        .await
        .unwrap();
    assert_eq!(due.settled, 0);
    assert_eq!(stored(&app, &terms).await, ("signing".into(), None));
    assert!(payouts(&app).await.is_empty());
}

async fn the_demo_has_contracts_in_every_state(backend: Backend) {
    let Some(app) = TestApp::start(backend).await else {
        return;
    };
    let today = Month::of(chrono::Utc::now().date_naive());
    let rows = sqlx::query(
        "SELECT c.id, c.status, c.terms, c.payout_transfer, \
         (SELECT COUNT(*) FROM contract_signatures s \
          WHERE s.contract_id = c.id AND s.voided_at IS NULL) AS signatures \
         FROM contracts c WHERE c.terms IS NOT NULL ORDER BY c.id",
    )
    .fetch_all(app.store.pool())
    .await
    .unwrap();
    let mut seen = Vec::new();
    for row in &rows {
        let id: i64 = row.get("id");
        let status: String = row.get("status");
        let terms: ContractTerms = serde_json::from_str(&row.get::<String, _>("terms")).unwrap();
        let mut conn = app.store.pool().acquire().await.unwrap();
        let confirmations = settlement::confirmations(&mut conn, id).await.unwrap();
        let state = shared::contract::state(&terms, &confirmations, today);
        let signatures: i64 = row.get("signatures");
        let payout: Option<String> = row.get("payout_transfer");
        seen.push(match status.as_str() {
            "signing" => format!("signing with {signatures}"),
            "active" if state.at_risk => "at risk".to_string(),
            "fulfilled" => {
                let transfer = ledger::TransferId::parse(&payout.expect("paid")).unwrap();
                let posted = ledger::posted_transfer(&app.store, transfer)
                    .await
                    .unwrap()
                    .expect("in the ledger");
                assert_eq!(posted.amount_tiyn, terms.payout().to_tiyn().unwrap());
                assert_eq!(posted.credit, AccountKey::EmployerPayout(terms.employer_id));
                "fulfilled and paid".to_string()
            }
            other => {
                assert_eq!(state.status.id(), other, "contract {id}");
                other.to_string()
            }
        });
    }
    assert_eq!(
        seen,
        [
            "fulfilled and paid",
            "breached",
            "at risk",
            "active",
            "signing with 2",
            "signing with 1"
        ]
    );
    assert_consistent(&app).await;
}

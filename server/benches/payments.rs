//! Voucher payments per second through the server's storage layer (`server::ledger`) on
//! SQLite, against a baseline measured in the same run: single-row inserts into the same
//! database file through the same pool, so with the same durability settings. A payment
//! does more (an idempotency check, two balance updates, a chained transfer row, in one
//! transaction), so the ratio says what that costs; the aim is at least 0.5.
//!
//! Run with `cargo xtask bench` (or `cargo bench -p server --bench payments`).

use server::{
    ledger::{self, AccountFlags, AccountKey, Month, TransferId, TransferKind, TransferRequest},
    Store,
};
use shared::Region;
use std::{
    sync::{
        atomic::{AtomicU64, Ordering},
        Arc,
    },
    time::{Duration, Instant},
};

/// How long each measurement runs.
const ROUND: Duration = Duration::from_secs(3);
/// Concurrent payers in the second payment measurement.
const PAYERS: u64 = 8;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let store = Store::connect(&url).await.expect("the benchmark database");
    store.migrate().await.expect("migrations");

    let raw = raw_inserts(&store).await;
    let (one, many) = payments(&store).await;
    let report = ledger::check(&store).await.expect("ledger check");
    assert!(
        report.is_ok(),
        "the ledger must stay consistent: {report:?}"
    );

    println!("\nvoucher payments through the storage layer, SQLite file, same run");
    println!("{:<44} {:>12} {:>8}", "", "per second", "ratio");
    println!(
        "{:<44} {:>12.0} {:>8.2}",
        "baseline: single-row insert, same file", raw, 1.0
    );
    println!(
        "{:<44} {:>12.0} {:>8.2}",
        "payment (ledger transfer), one payer",
        one,
        one / raw
    );
    println!(
        "{:<44} {:>12.0} {:>8.2}",
        format!("payment, {PAYERS} payers at once"),
        many,
        many / raw
    );
    println!("aim: payments ≥ 0.5 × the baseline");
}

/// Inserts per second, each its own transaction, as a payment is.
async fn raw_inserts(store: &Store) -> f64 {
    sqlx::query("CREATE TABLE bench_raw (id INTEGER PRIMARY KEY, amount BIGINT NOT NULL)")
        .execute(store.pool())
        .await
        .expect("baseline table");
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < ROUND {
        sqlx::query("INSERT INTO bench_raw (amount) VALUES ($1)")
            .bind(100_i64)
            .execute(store.pool())
            .await
            .expect("insert");
        n += 1;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

/// Payments per second by one payer, then by several at once (each on its own voucher).
async fn payments(store: &Store) -> (f64, f64) {
    let month = Month::new(2026, 3).expect("a month");
    let budget = AccountKey::RegionBudget(Region::Pavlodar);
    for (key, flags) in [
        (AccountKey::Program, AccountFlags::NONE),
        (budget, AccountFlags::NO_OVERDRAFT),
        (AccountKey::Payee(1), AccountFlags::NONE),
    ] {
        ledger::open_account(store, &key, flags)
            .await
            .expect("account");
    }
    let ids = Arc::new(AtomicU64::new(1));
    post(
        store,
        &ids,
        AccountKey::Program,
        budget,
        i64::MAX / 4,
        TransferKind::Fund,
    )
    .await;
    for resettler in 1..=PAYERS as i64 + 1 {
        let voucher = AccountKey::Voucher { resettler, month };
        ledger::open_account(store, &voucher, AccountFlags::NO_OVERDRAFT)
            .await
            .expect("voucher");
        post(
            store,
            &ids,
            budget,
            voucher,
            i64::MAX / 64,
            TransferKind::Issue,
        )
        .await;
    }

    let one = pay_for_a_round(store.clone(), ids.clone(), PAYERS as i64 + 1, month).await;
    let start = Instant::now();
    let mut payers = tokio::task::JoinSet::new();
    for resettler in 1..=PAYERS as i64 {
        payers.spawn(pay_for_a_round(
            store.clone(),
            ids.clone(),
            resettler,
            month,
        ));
    }
    let mut paid = 0.0;
    while let Some(rate) = payers.join_next().await {
        paid += rate.expect("a payer") * ROUND.as_secs_f64();
    }
    (one, paid / start.elapsed().as_secs_f64())
}

/// One payer paying 1 ₸ again and again for a round: payments per second.
async fn pay_for_a_round(store: Store, ids: Arc<AtomicU64>, resettler: i64, month: Month) -> f64 {
    let voucher = AccountKey::Voucher { resettler, month };
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < ROUND {
        post(
            &store,
            &ids,
            voucher,
            AccountKey::Payee(1),
            100,
            TransferKind::Pay,
        )
        .await;
        n += 1;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

async fn post(
    store: &Store,
    ids: &AtomicU64,
    debit: AccountKey,
    credit: AccountKey,
    amount_tiyn: i64,
    kind: TransferKind,
) {
    let id = TransferId::new(u128::from(ids.fetch_add(1, Ordering::Relaxed))).expect("non-zero");
    let request = TransferRequest {
        id,
        debit,
        credit,
        amount_tiyn,
        kind,
        reference: "bench".into(),
    };
    ledger::transfer(store, &request).await.expect("transfer");
}

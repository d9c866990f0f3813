//! The voucher ledger's storage on SQLite and PostgreSQL: a transfer moves exactly its
//! amount or nothing, ids make retries safe, a no-overdraft account never goes negative even
//! under many concurrent payers, and `server ledger check` finds balances and transfers
//! edited in the database afterwards.

mod common;

use common::{Backend, TestDb};
use server::ledger::{
    self, AccountFlags, AccountKey, LedgerError, Month, Rejection, TransferId, TransferKind,
    TransferOutcome, TransferRequest,
};
use server::Store;
use shared::Region;
use std::process::{Command, Output};

on_both_backends!(
    transfers_move_exactly_their_amount_once,
    failed_ids_stay_failed,
    closed_and_missing_accounts_refuse,
    concurrent_payers_never_overdraw_a_voucher,
    check_finds_edited_balances_and_transfers,
);

const BUDGET: AccountKey = AccountKey::RegionBudget(Region::Pavlodar);
const PAYEE: AccountKey = AccountKey::Payee(1);

fn voucher() -> AccountKey {
    AccountKey::Voucher {
        resettler: 12,
        month: Month::new(2026, 3).unwrap(),
    }
}

async fn store(backend: Backend) -> Option<(TestDb, Store)> {
    let db = TestDb::create(backend).await?;
    let store = Store::connect(&db.url).await.expect("connect");
    store.migrate().await.expect("migrate");
    Some((db, store))
}

/// The program, a region budget, one voucher and one payee, the budget funded with
/// `budget` tiyn and the voucher issued `voucher` of it.
async fn accounts(store: &Store, budget: i64, issued: i64) {
    for (key, flags) in [
        (AccountKey::Program, AccountFlags::NONE),
        (BUDGET, AccountFlags::NO_OVERDRAFT),
        (voucher(), AccountFlags::NO_OVERDRAFT),
        (PAYEE, AccountFlags::NO_OVERDRAFT),
    ] {
        ledger::open_account(store, &key, flags).await.unwrap();
    }
    post(
        store,
        AccountKey::Program,
        BUDGET,
        budget,
        TransferKind::Fund,
    )
    .await;
    post(store, BUDGET, voucher(), issued, TransferKind::Issue).await;
}

static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn fresh_id() -> TransferId {
    let n = NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    TransferId::new(u128::from(n) << 64 | u128::from(std::process::id())).unwrap()
}

fn request(
    debit: AccountKey,
    credit: AccountKey,
    amount: i64,
    kind: TransferKind,
) -> TransferRequest {
    TransferRequest {
        id: fresh_id(),
        debit,
        credit,
        amount_tiyn: amount,
        kind,
        reference: format!("{kind:?} test"),
    }
}

async fn post(
    store: &Store,
    debit: AccountKey,
    credit: AccountKey,
    amount: i64,
    kind: TransferKind,
) {
    let outcome = ledger::transfer(store, &request(debit, credit, amount, kind)).await;
    assert!(
        matches!(outcome, Ok(TransferOutcome::Posted(_))),
        "{outcome:?}"
    );
}

/// (debits, credits) posted on `key`.
async fn totals(store: &Store, key: &AccountKey) -> (i64, i64) {
    let balance = ledger::account(store, key)
        .await
        .unwrap()
        .expect("open")
        .balance;
    (balance.debits_posted, balance.credits_posted)
}

async fn transfer_count(store: &Store) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM ledger_transfers")
        .fetch_one(store.pool())
        .await
        .unwrap()
}

fn refused(result: Result<TransferOutcome, LedgerError>) -> Rejection {
    match result {
        Err(LedgerError::Rejected(rejection)) => rejection,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn transfers_move_exactly_their_amount_once(backend: Backend) {
    let Some((_db, store)) = store(backend).await else {
        return;
    };
    accounts(&store, 10_000_000, 908_250).await;
    assert_eq!(totals(&store, &AccountKey::Program).await, (10_000_000, 0));
    assert_eq!(totals(&store, &BUDGET).await, (908_250, 10_000_000));
    assert_eq!(totals(&store, &voucher()).await, (0, 908_250));

    let rent = TransferRequest {
        reference: "rent 2026-03".into(),
        ..request(voucher(), PAYEE, 500_000, TransferKind::Pay)
    };
    let TransferOutcome::Posted(first) = ledger::transfer(&store, &rent).await.unwrap() else {
        panic!("the first attempt posts");
    };
    assert_eq!(totals(&store, &voucher()).await, (500_000, 908_250));
    assert_eq!(totals(&store, &PAYEE).await, (0, 500_000));

    // A retry (a double tap, a lost answer) gets the first result and moves nothing.
    let count = transfer_count(&store).await;
    for _ in 0..3 {
        let again = ledger::transfer(&store, &rent).await.unwrap();
        assert_eq!(again, TransferOutcome::Replayed(first.clone()));
    }
    assert_eq!(transfer_count(&store).await, count);
    assert_eq!(totals(&store, &voucher()).await, (500_000, 908_250));

    // The same id for another payment is refused, whatever differs.
    for other in [
        TransferRequest {
            amount_tiyn: 500_001,
            ..rent.clone()
        },
        TransferRequest {
            reference: "rent 2026-04".into(),
            ..rent.clone()
        },
        TransferRequest {
            credit: AccountKey::Payee(2),
            ..rent.clone()
        },
    ] {
        assert_eq!(
            refused(ledger::transfer(&store, &other).await),
            Rejection::IdReusedWithDifferentBody
        );
    }
    assert_eq!(totals(&store, &PAYEE).await, (0, 500_000));

    // A malformed body is refused before anything is kept: the id stays usable.
    let id = fresh_id();
    let zero = TransferRequest {
        id,
        amount_tiyn: 0,
        ..rent.clone()
    };
    assert_eq!(
        refused(ledger::transfer(&store, &zero).await),
        Rejection::AmountNotPositive
    );
    let to_budget = TransferRequest {
        id,
        credit: BUDGET,
        ..rent.clone()
    };
    assert_eq!(
        refused(ledger::transfer(&store, &to_budget).await),
        Rejection::KindDoesNotFitAccounts
    );
    let fixed = TransferRequest {
        id,
        amount_tiyn: 8_250,
        ..rent.clone()
    };
    assert!(matches!(
        ledger::transfer(&store, &fixed).await,
        Ok(TransferOutcome::Posted(_))
    ));

    // Newest first, in pages; the payee sees only its own transfers.
    let page = ledger::history(&store, &voucher(), 1, 2).await.unwrap();
    assert_eq!(page.total, 3);
    let amounts: Vec<i64> = page.transfers.iter().map(|t| t.amount_tiyn).collect();
    assert_eq!(amounts, [8_250, 500_000]);
    let last = ledger::history(&store, &voucher(), 2, 2).await.unwrap();
    assert_eq!(last.transfers.len(), 1);
    assert_eq!(last.transfers[0].kind, TransferKind::Issue);
    let payee = ledger::history(&store, &PAYEE, 1, 10).await.unwrap();
    assert_eq!(payee.total, 2);
    assert!(payee.transfers.iter().all(|t| t.credit == PAYEE));
    assert!(matches!(
        ledger::history(&store, &AccountKey::Payee(99), 1, 10).await,
        Err(LedgerError::NoSuchAccount(_))
    ));

    let report = ledger::check(&store).await.unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
    assert_eq!((report.accounts, report.transfers), (4, 4));
}

async fn failed_ids_stay_failed(backend: Backend) {
    let Some((_db, store)) = store(backend).await else {
        return;
    };
    accounts(&store, 1_000_000, 100_000).await;

    // One tiyn more than the voucher holds: refused, nothing moves.
    let too_much = request(voucher(), PAYEE, 100_001, TransferKind::Pay);
    assert_eq!(
        refused(ledger::transfer(&store, &too_much).await),
        Rejection::InsufficientBalance
    );
    assert_eq!(totals(&store, &voucher()).await, (0, 100_000));

    // The voucher gets more money; the failed id still fails the same way.
    post(&store, BUDGET, voucher(), 50_000, TransferKind::Issue).await;
    assert_eq!(
        refused(ledger::transfer(&store, &too_much).await),
        Rejection::InsufficientBalance
    );
    let reused = TransferRequest {
        amount_tiyn: 1,
        ..too_much.clone()
    };
    assert_eq!(
        refused(ledger::transfer(&store, &reused).await),
        Rejection::IdReusedWithDifferentBody
    );
    assert_eq!(totals(&store, &PAYEE).await, (0, 0));

    // The same payment under a new id goes through; the voucher can be emptied exactly and
    // not a tiyn further.
    let retry = TransferRequest {
        id: fresh_id(),
        ..too_much
    };
    assert!(ledger::transfer(&store, &retry).await.is_ok());
    post(&store, voucher(), PAYEE, 49_999, TransferKind::Pay).await;
    assert_eq!(
        refused(ledger::transfer(&store, &request(voucher(), PAYEE, 1, TransferKind::Pay)).await),
        Rejection::InsufficientBalance
    );
    let voucher_now = ledger::account(&store, &voucher()).await.unwrap().unwrap();
    assert_eq!(voucher_now.balance.net(), 0);
    assert_eq!(totals(&store, &PAYEE).await, (0, 150_000));
    assert!(ledger::check(&store).await.unwrap().is_ok());
}

async fn closed_and_missing_accounts_refuse(backend: Backend) {
    let Some((_db, store)) = store(backend).await else {
        return;
    };
    accounts(&store, 1_000_000, 100_000).await;
    // Opening again is harmless; other flags are a mistake.
    let again = ledger::open_account(&store, &voucher(), AccountFlags::NO_OVERDRAFT)
        .await
        .unwrap();
    assert_eq!(again.balance.credits_posted, 100_000);
    assert!(matches!(
        ledger::open_account(&store, &voucher(), AccountFlags::NONE).await,
        Err(LedgerError::FlagsDiffer(_))
    ));

    // The remainder goes back to the budget, then the voucher closes.
    post(&store, voucher(), BUDGET, 100_000, TransferKind::Return).await;
    let closed = ledger::close_account(&store, &voucher()).await.unwrap();
    assert!(closed.closed);
    assert!(
        ledger::close_account(&store, &voucher())
            .await
            .unwrap()
            .closed
    );

    let pay = request(voucher(), PAYEE, 1, TransferKind::Pay);
    assert_eq!(
        refused(ledger::transfer(&store, &pay).await),
        Rejection::AccountClosed
    );
    let issue = request(BUDGET, voucher(), 1_000, TransferKind::Issue);
    assert_eq!(
        refused(ledger::transfer(&store, &issue).await),
        Rejection::AccountClosed
    );
    assert_eq!(totals(&store, &voucher()).await, (100_000, 100_000));

    // A payee whose account was never opened: refused, and that id stays refused after
    // the account exists.
    let stranger = AccountKey::Payee(77);
    let early = request(
        BUDGET,
        AccountKey::EmployerPayout(77),
        1_000,
        TransferKind::Payout,
    );
    assert_eq!(
        refused(ledger::transfer(&store, &early).await),
        Rejection::AccountNotFound
    );
    ledger::open_account(
        &store,
        &AccountKey::EmployerPayout(77),
        AccountFlags::NO_OVERDRAFT,
    )
    .await
    .unwrap();
    assert_eq!(
        refused(ledger::transfer(&store, &early).await),
        Rejection::AccountNotFound
    );
    assert!(matches!(
        ledger::close_account(&store, &stranger).await,
        Err(LedgerError::NoSuchAccount(_))
    ));
    assert_eq!(ledger::account(&store, &stranger).await.unwrap(), None);
    assert!(ledger::check(&store).await.unwrap().is_ok());
}

async fn concurrent_payers_never_overdraw_a_voucher(backend: Backend) {
    let Some((_db, store)) = store(backend).await else {
        return;
    };
    const PAYERS: usize = 40;
    const AMOUNT: i64 = 1_000;
    // Room for 25 payments and half of a 26th.
    let funded = 25 * AMOUNT + AMOUNT / 2;
    accounts(&store, 1_000_000, funded).await;
    for payer in 1..=PAYERS {
        let key = AccountKey::Payee(payer as i64 + 100);
        ledger::open_account(&store, &key, AccountFlags::NO_OVERDRAFT)
            .await
            .unwrap();
    }
    let before = transfer_count(&store).await;

    // Every payer taps twice: each request goes out two times at once.
    let requests: Vec<TransferRequest> = (1..=PAYERS)
        .map(|payer| {
            request(
                voucher(),
                AccountKey::Payee(payer as i64 + 100),
                AMOUNT,
                TransferKind::Pay,
            )
        })
        .collect();
    let mut tasks = Vec::new();
    for request in requests.iter().chain(&requests) {
        let (store, request) = (store.clone(), request.clone());
        tasks.push(tokio::spawn(async move {
            (request.id, ledger::transfer(&store, &request).await)
        }));
    }
    let mut posted = std::collections::HashMap::new();
    let mut refusals = 0;
    let mut replays = 0;
    for task in tasks {
        match task.await.unwrap() {
            (id, Ok(TransferOutcome::Posted(t))) => {
                assert!(posted.insert(id, t.seq).is_none(), "{id} posted twice");
            }
            (_, Ok(TransferOutcome::Replayed(_))) => replays += 1,
            (_, Err(LedgerError::Rejected(Rejection::InsufficientBalance))) => refusals += 1,
            (id, Err(e)) => panic!("{id}: {e}"),
        }
    }
    // Each id posted once or refused (twice): its two attempts always agree.
    assert_eq!(posted.len(), 25);
    assert_eq!(replays, 25);
    assert_eq!(refusals, 2 * (PAYERS - 25));

    let voucher_now = ledger::account(&store, &voucher()).await.unwrap().unwrap();
    assert_eq!(voucher_now.balance.debits_posted, 25 * AMOUNT);
    assert_eq!(voucher_now.balance.net(), i128::from(AMOUNT / 2));
    let mut received = 0;
    for payer in 1..=PAYERS {
        let (_, credits) = totals(&store, &AccountKey::Payee(payer as i64 + 100)).await;
        assert!(
            credits == 0 || credits == AMOUNT,
            "payee {payer}: {credits}"
        );
        received += credits;
    }
    assert_eq!(received, 25 * AMOUNT);
    assert_eq!(transfer_count(&store).await, before + 25);
    let report = ledger::check(&store).await.unwrap();
    assert!(report.is_ok(), "{:?}", report.problems);
}

/// Runs `server ledger check --database URL`.
fn ledger_check(url: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_server"))
        .args(["ledger", "check", "--database", url])
        .env("RUST_LOG", "off")
        .env_remove("DATABASE_URL")
        .output()
        .expect("the server binary runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

async fn exec(store: &Store, sql: &str) {
    sqlx::query(sql).execute(store.pool()).await.unwrap();
}

async fn check_finds_edited_balances_and_transfers(backend: Backend) {
    let Some((db, store)) = store(backend).await else {
        return;
    };
    accounts(&store, 1_000_000, 100_000).await;
    post(&store, voucher(), PAYEE, 30_000, TransferKind::Pay).await;
    let out = ledger_check(&db.url);
    assert_eq!(out.status.code(), Some(0), "{}", stdout(&out));
    assert_eq!(
        stdout(&out).trim_end().lines().last(),
        Some("ledger ok: 4 accounts, 3 transfers")
    );

    // A balance raised by hand: the account is named with both figures, and the sum of all
    // balances is no longer zero.
    exec(
        &store,
        "UPDATE ledger_accounts SET credits_posted = credits_posted + 500 WHERE key = 'payee:1'",
    )
    .await;
    let out = ledger_check(&db.url);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("account payee:1: stored debits 0 credits 30500, recomputed from the transfers debits 0 credits 30000"),
        "{text}"
    );
    assert!(text.contains("sum to 500 tiyn"), "{text}");
    assert!(!text.contains("ledger ok"), "{text}");
    exec(
        &store,
        "UPDATE ledger_accounts SET credits_posted = credits_posted - 500 WHERE key = 'payee:1'",
    )
    .await;
    assert!(ledger::check(&store).await.unwrap().is_ok());

    // The database refuses to edit a transfer. Someone who drops that guard and changes an
    // amount is found by the hash chain and the two accounts' totals; if they fix the
    // totals too, the hash chain still names the transfer.
    let refused = sqlx::query("UPDATE ledger_transfers SET amount = 1 WHERE seq = 3")
        .execute(store.pool())
        .await;
    assert!(refused.is_err(), "transfers are append-only");
    match backend {
        Backend::Sqlite => exec(&store, "DROP TRIGGER ledger_transfers_no_update").await,
        Backend::Postgres => {
            exec(
                &store,
                "DROP TRIGGER ledger_transfers_no_update ON ledger_transfers",
            )
            .await
        }
    }
    exec(
        &store,
        "UPDATE ledger_transfers SET amount = 20000 WHERE seq = 3",
    )
    .await;
    let report = ledger::check(&store).await.unwrap();
    assert_eq!(
        report.problems.len(),
        3,
        "the transfer and both accounts: {:?}",
        report.problems
    );
    exec(
        &store,
        "UPDATE ledger_accounts SET debits_posted = 20000 WHERE key = 'voucher:12:2026-03'",
    )
    .await;
    exec(
        &store,
        "UPDATE ledger_accounts SET credits_posted = 20000 WHERE key = 'payee:1'",
    )
    .await;
    let out = ledger_check(&db.url);
    let text = stdout(&out);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("transfer 3 (") && text.contains("changed after it was posted"),
        "{text}"
    );
    assert_eq!(
        text.lines().filter(|l| l.contains("account ")).count(),
        0,
        "{text}"
    );
    store.close().await;
}

/// A database the server never migrated has no ledger: an error, not "ok".
#[test]
fn check_without_a_ledger_fails() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("empty.db").display()
    );
    let out = ledger_check(&url);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stdout(&out).contains("ledger ok"));
    assert!(stderr.contains("cannot read the ledger"), "{stderr}");
}

//! The state data feed: a generated 100 000-row CSV file imported through the real router
//! (guard, token check, streaming parser, batched writes, each touched contract settled
//! after its batch) into a SQLite file, sent as a stream of 64 KiB pieces made as they are
//! sent, so the process never holds the file. 5 000 active contracts with terms, 20 months
//! each up to the current one, so every contract is settled and none is fulfilled yet.
//! Prints rows imported per second and the process's peak memory (`VmHWM`) before and
//! after, for the first import and for the same file sent again (every month replaced).
//!
//! Run with `cargo xtask bench` (or `cargo bench -p server --bench feed`).

use axum::{
    body::{Body, Bytes},
    http::{header, Request, StatusCode},
};
use http_body_util::BodyExt;
use server::{feed::FeedReport, service_tokens, AppState, Site, Store};
use shared::{
    contract::{fingerprint, hex, ContractTerms, TermsDraft},
    ledger::Month,
    Policy, Region, Tenge,
};
use std::time::Instant;
use tower::ServiceExt;

const ROWS: u64 = 100_000;
/// Months per contract: 5 000 contracts.
const MONTHS: u64 = 20;
const PIECE: usize = 64 * 1024;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let url = format!("sqlite://{}", dir.path().join("bench.db").display());
    let store = Store::connect(&url).await.expect("the benchmark database");
    store.migrate().await.expect("migrations");
    let token = service_tokens::create(&store, "bench")
        .await
        .expect("a service token");
    let this_month = Month::of(chrono::Utc::now().date_naive());
    // The last month is the current one: it counts once it has ended.
    let start = month_plus(this_month, 1 - MONTHS as i64);
    let iins = iins();
    for iin in &iins {
        active_contract(&store, iin, start).await;
    }
    let router = server::router(AppState {
        store: store.clone(),
        site: Site::new(dir.path().join("no-site")),
        clock: server::clock::Clock::system(),
    });

    println!("\nstate data feed: {ROWS}-row CSV through the router, SQLite file");
    println!(
        "{:<32} {:>10} {:>12} {:>14} {:>14}",
        "", "seconds", "rows/second", "VmHWM before", "VmHWM after"
    );
    for (label, replaced) in [("first import", 0), ("sent again (all replaced)", ROWS)] {
        let before = peak_memory_kib();
        let started = Instant::now();
        let request = Request::post("/api/v1/feed/confirmations")
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "text/csv")
            .body(Body::from_stream(csv_pieces(start, iins.clone())))
            .unwrap();
        let response = router.clone().oneshot(request).await.expect("infallible");
        let status = response.status();
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let seconds = started.elapsed().as_secs_f64();
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
        let report: FeedReport = serde_json::from_slice(&body).expect("a report");
        assert_eq!(
            (report.accepted, report.replaced, report.rejected.len()),
            (ROWS, replaced, 0),
            "{:?}",
            report.rejected.first()
        );
        println!(
            "{label:<32} {seconds:>10.2} {:>12.0} {:>11} KiB {:>11} KiB",
            ROWS as f64 / seconds,
            before,
            peak_memory_kib()
        );
    }
}

const BIN: &str = "971240001315";

/// An active contract between `iin` and [`BIN`] in North Kazakhstan from `start`, made on
/// its first day, with its terms as the contract rules fix them.
async fn active_contract(store: &Store, iin: &str, start: Month) {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO contracts (resettler_iin, employer_bin, start_month, status, created_at) \
         VALUES ($1, $2, $3, 'active', '2024-01-01T00:00:00Z') RETURNING id",
    )
    .bind(iin)
    .bind(BIN)
    .bind(start.to_string())
    .fetch_one(store.pool())
    .await
    .expect("a contract");
    let draft = TermsDraft {
        resettler_id: id,
        resettler_iin: iin.to_string(),
        employer_id: 1,
        employer_bin: BIN.to_string(),
        region: Region::NorthKazakhstan,
        vacancy_id: 1,
        position: "Welder".into(),
        monthly_salary: Tenge::new(400_000.into()),
        start_month: start,
        declared_housing_costs: Tenge::new(900_000.into()),
    };
    let terms = ContractTerms::fix(id, draft, start.first_day(), Policy::current())
        .expect("terms the policy of that day accepts");
    sqlx::query("UPDATE contracts SET terms = $1, fingerprint = $2, region = $3 WHERE id = $4")
        .bind(serde_json::to_string(&terms).expect("terms serialise"))
        .bind(hex(&fingerprint(&terms)))
        .bind("north_kazakhstan")
        .bind(id)
        .execute(store.pool())
        .await
        .expect("the terms");
}

/// One generated IIN per contract (born 1985-01-01, male, valid check digits), all
/// different.
fn iins() -> Vec<String> {
    let iins: Vec<String> = (0..10_000)
        .filter_map(|serial| {
            let text = format!("8501013{serial:04}");
            let digits: Vec<u8> = text.bytes().map(|b| b - b'0').collect();
            let first: [u8; 11] = digits.try_into().ok()?;
            shared::iin::check_digit(&first).map(|c| format!("{text}{c}"))
        })
        .take((ROWS / MONTHS) as usize)
        .collect();
    assert_eq!(iins.len() as u64, ROWS / MONTHS);
    iins
}

fn month_plus(month: Month, months: i64) -> Month {
    let index = i64::from(month.year()) * 12 + i64::from(month.month()) - 1 + months;
    Month::new((index / 12) as i32, (index % 12) as u32 + 1).expect("a month")
}

/// The file in pieces of about [`PIECE`] bytes, each made when the body asks for it.
fn csv_pieces(
    start: Month,
    iins: Vec<String>,
) -> impl futures_util::Stream<Item = Result<Bytes, std::convert::Infallible>> {
    let mut row = 0;
    let mut header = true;
    futures_util::stream::iter(std::iter::from_fn(move || {
        if row == ROWS {
            return None;
        }
        let mut piece = String::with_capacity(PIECE + 100);
        if std::mem::take(&mut header) {
            piece.push_str("iin,bin,month,resident,employed,social_paid,pension_paid\n");
        }
        while row < ROWS && piece.len() < PIECE {
            let month = month_plus(start, (row % MONTHS) as i64);
            let iin = &iins[(row / MONTHS) as usize];
            piece.push_str(&format!("{iin},{BIN},{month},1,1,1,1\n"));
            row += 1;
        }
        Some(Ok(Bytes::from(piece)))
    }))
}

/// The process's peak resident memory so far, in KiB (`VmHWM` of `/proc/self/status`).
fn peak_memory_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

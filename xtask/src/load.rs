//! `cargo xtask load`: crash safety of the voucher ledger (issue 7).
//!
//! Against a real server on a fresh database: approved resettlers pay small amounts from
//! their vouchers concurrently while `server vouchers issue` (issuance and expiry) runs
//! every few seconds; halfway the server is killed with SIGKILL and started again on the
//! same database, and the payers follow it. At the end every payment that got no answer is
//! sent again (its id makes that safe), and then:
//!
//! - no id was paid twice, and no answer contradicts another for the same id;
//! - each payer's wallet shows exactly the payments answered "paid", each once;
//! - `server ledger check` passes: balances agree with the transfers, and sum to zero.
//!
//! It prints the requests per second held over the whole run (the restart included), the
//! p50/p99 latency of the answers, and what became of the payment ids.

mod book;
mod client;
mod database;
mod payer;
mod setup;

use crate::server::RunningServer;
use anyhow::{bail, Context, Result};
use book::{Answer, Book, Paid, Settlement};
use client::{Address, Client};
use database::{Backend, Database};
use shared::{
    ledger::Month,
    wallet::{PaymentRefusal, Wallet, WalletEntryKind},
    Tenge,
};
use std::{
    path::{Path, PathBuf},
    process::Command,
    sync::mpsc::{self, RecvTimeoutError},
    thread,
    time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

/// How long the job waits between two runs of `server vouchers issue`.
const JOB_PAUSE: Duration = Duration::from_secs(3);

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    pub seconds: u64,
    pub payers: usize,
    pub backends: Vec<Backend>,
}

impl Options {
    /// `--seconds N` (60), `--payers N` (16), `--database sqlite|postgres|both` (SQLite,
    /// and PostgreSQL too when `QONYS_TEST_POSTGRES` is set).
    fn parse(args: &[String]) -> Result<Options> {
        let mut options = Options {
            seconds: 60,
            payers: 16,
            backends: default_backends(),
        };
        let mut args = args.iter();
        while let Some(flag) = args.next() {
            let mut value = || args.next().with_context(|| format!("{flag} needs a value"));
            match flag.as_str() {
                "--seconds" => options.seconds = value()?.parse().context("--seconds")?,
                "--payers" => options.payers = value()?.parse().context("--payers")?,
                "--database" => {
                    options.backends = match value()?.as_str() {
                        "sqlite" => vec![Backend::Sqlite],
                        "postgres" => vec![Backend::Postgres],
                        "both" => vec![Backend::Sqlite, Backend::Postgres],
                        other => bail!("--database {other}: expected sqlite, postgres or both"),
                    }
                }
                other => bail!(
                    "unknown option `{other}`; options: --seconds N, --payers N, \
                     --database sqlite|postgres|both"
                ),
            }
        }
        if options.seconds < 2 || options.payers == 0 {
            bail!("--seconds must be at least 2 and --payers at least 1");
        }
        Ok(options)
    }
}

fn default_backends() -> Vec<Backend> {
    match database::postgres_server() {
        Some(_) => vec![Backend::Sqlite, Backend::Postgres],
        None => vec![Backend::Sqlite],
    }
}

/// `cargo xtask load [options]`.
pub fn run(args: &[String]) -> Result<()> {
    let options = Options::parse(args)?;
    let binary = crate::server::ensure_binary()?;
    crash_safety(&binary, &options)
}

/// The short run of `cargo xtask test`, with `binary`.
pub fn short(binary: &Path) -> Result<()> {
    if database::postgres_server().is_none() {
        println!(
            "NOTE: {} is not set: crash safety runs on SQLite only",
            database::POSTGRES_ENV
        );
    }
    let options = Options {
        seconds: 20,
        payers: 8,
        backends: default_backends(),
    };
    crash_safety(binary, &options)
}

fn crash_safety(binary: &Path, options: &Options) -> Result<()> {
    let mut reports = Vec::new();
    for &backend in &options.backends {
        println!(
            "\n==> crash safety on {backend}: {} payers for {} s, kill -9 halfway",
            options.payers, options.seconds
        );
        let work = crate::target_dir()
            .join("load")
            .join(backend.to_string().to_lowercase());
        std::fs::create_dir_all(&work)?;
        let database = Database::create(backend, &work)?;
        let target = Target {
            binary,
            database: &database.url,
            log: work.join("server.log"),
        };
        let report = one_run(&target, options).with_context(|| {
            format!(
                "crash safety on {backend} (server log: {})",
                target.log.display()
            )
        })?;
        reports.push((backend, report));
    }
    for (backend, report) in &reports {
        report.print(*backend);
    }
    println!("\ncrash safety: no tiyn created or lost, no id paid twice");
    Ok(())
}

/// What one run measured and found.
#[derive(Debug)]
struct Report {
    load: Duration,
    down: Duration,
    latencies: Vec<Duration>,
    unanswered: u64,
    settlement: Settlement,
    job_runs: u32,
    ledger: String,
}

impl Report {
    fn print(&self, backend: Backend) {
        let answered = self.latencies.len();
        let seconds = self.load.as_secs_f64();
        let ms = |p| percentile(&self.latencies, p).map_or(0.0, |d| d.as_secs_f64() * 1000.0);
        let paid: u64 = self.settlement.paid.values().map(|p| p.count).sum();
        let tiyn: i64 = self.settlement.paid.values().map(|p| p.tiyn).sum();
        let refused: u64 = self.settlement.refused.values().sum();
        let codes: Vec<String> = self
            .settlement
            .refused
            .iter()
            .map(|(code, n)| format!("{code} {n}"))
            .collect();
        println!("\ncrash safety on {backend}:");
        println!(
            "  held {:.0} requests/s: {answered} answered in {seconds:.1} s (down {:.1} s for the restart); \
             latency p50 {:.1} ms, p99 {:.1} ms",
            answered as f64 / seconds,
            self.down.as_secs_f64(),
            ms(50),
            ms(99),
        );
        println!(
            "  payment ids: {paid} paid ({} ₸), {refused} refused ({}), \
             {} unknown then resolved ({} of them paid before the answer was lost; \
             {} requests without an answer, {} 5xx)",
            Tenge::from_tiyn(tiyn),
            if codes.is_empty() {
                "none".into()
            } else {
                codes.join(", ")
            },
            self.settlement.resolved,
            self.settlement.paid_unanswered,
            self.unanswered,
            self.settlement.server_errors,
        );
        println!(
            "  server vouchers issue: {} runs during the load",
            self.job_runs
        );
        println!("  server ledger check: {}", self.ledger);
    }
}

/// One backend's server binary, database and server log.
struct Target<'a> {
    binary: &'a Path,
    database: &'a str,
    log: PathBuf,
}

impl Target<'_> {
    /// The server with the demo accounts (the admin and the region's officer) on the
    /// database; the demo data is loaded once, so a restart finds the same.
    fn start(&self) -> Result<RunningServer> {
        let mut cmd = Command::new(self.binary);
        cmd.args(["--demo", "--database", self.database]);
        crate::server::start_logged(cmd, &self.log)
    }

    /// `server vouchers issue --month M`: issuance, then expiry; what it printed.
    fn issue_vouchers(&self, month: Month) -> Result<String> {
        let output = self.command(&["vouchers", "issue", "--month", &month.to_string()])?;
        if !output.status.success() {
            bail!(
                "server vouchers issue: exit {}: {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            );
        }
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    }

    /// `server ledger check`: its last line when it passes.
    fn ledger_check(&self) -> Result<String> {
        let output = self.command(&["ledger", "check"])?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() {
            bail!(
                "server ledger check failed ({}):\n{stdout}{}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(stdout.lines().last().unwrap_or_default().to_string())
    }

    fn command(&self, args: &[&str]) -> Result<std::process::Output> {
        Command::new(self.binary)
            .args(args)
            .args(["--database", self.database])
            .current_dir(crate::root())
            .output()
            .with_context(|| format!("running server {}", args.join(" ")))
    }
}

fn one_run(target: &Target, options: &Options) -> Result<Report> {
    let _ = std::fs::remove_file(&target.log);
    let month = Month::of(today());
    let server = target.start()?;
    let address = Address::new(server.url());
    let client = Client::new(&address);
    let people = setup::people(&client, options.payers, today())?;
    print!("{}", target.issue_vouchers(month)?);
    for (n, who) in people.payers.iter().enumerate() {
        let wallet: Wallet = client.get_ok("/wallet", Some(who))?;
        if wallet.balance == Tenge::ZERO {
            bail!("payer {n} has nothing to spend after `server vouchers issue`: {wallet:?}");
        }
    }

    println!("paying for {} s…", options.seconds);
    let driven = drive(target, server, &address, &people, options.seconds, month);
    let (server, down) = driven.restart?;
    let mut book = Book::default();
    let mut latencies = Vec::new();
    let mut unanswered = 0;
    for (n, record) in driven.records.into_iter().enumerate() {
        latencies.extend(record.latencies);
        for (request, answer) in record.answers {
            unanswered += u64::from(answer == Answer::Unanswered);
            book.record(n, &request, answer);
        }
    }
    latencies.sort();
    settle_unknowns(&mut book, &client, &people);
    let settlement = book.settle();

    let mut problems = settlement.problems.clone();
    problems.extend(driven.job_failures);
    if settlement.server_errors > 0 {
        problems.push(format!("{} answers were 5xx", settlement.server_errors));
    }
    for code in settlement.refused.keys() {
        if !for_lack_of_money(code) {
            problems.push(format!(
                "payments refused with `{code}`: not for lack of money"
            ));
        }
    }
    for (n, who) in people.payers.iter().enumerate() {
        let wallet: Wallet = client.get_ok("/wallet", Some(who))?;
        problems.extend(settlement.reconcile(n, payments(&wallet)));
    }
    drop(server);
    let ledger = target.ledger_check();
    if let Err(e) = &ledger {
        problems.push(format!("{e:#}"));
    }
    if !problems.is_empty() {
        bail!("{} problems:\n  {}", problems.len(), problems.join("\n  "));
    }
    Ok(Report {
        load: driven.load,
        down,
        latencies,
        unanswered,
        settlement,
        job_runs: driven.job_runs,
        ledger: ledger?,
    })
}

/// What happened while the payers paid.
struct Driven {
    records: Vec<payer::Record>,
    /// From the first payment to the last answer.
    load: Duration,
    /// The restarted server and how long there was none, or why it did not come back.
    restart: Result<(RunningServer, Duration)>,
    job_runs: u32,
    job_failures: Vec<String>,
}

/// The payers, one thread each, for `seconds`, with the voucher job running alongside and
/// the server killed and restarted halfway.
fn drive(
    target: &Target,
    server: RunningServer,
    address: &Address,
    people: &setup::People,
    seconds: u64,
    month: Month,
) -> Driven {
    let started = Instant::now();
    let end = started + Duration::from_secs(seconds);
    thread::scope(|scope| {
        let payers: Vec<_> = (0..)
            .zip(&people.payers)
            .map(|(n, who)| {
                scope.spawn(move || payer::pay_until(&Client::new(address), who, people, n, end))
            })
            .collect();
        // The job runs until `stop` is dropped.
        let (stop, stopped) = mpsc::channel::<()>();
        let jobs = scope.spawn(move || {
            let (mut runs, mut failures) = (0, Vec::new());
            loop {
                match target.issue_vouchers(month) {
                    Ok(_) => runs += 1,
                    Err(e) => failures.push(format!("{e:#}")),
                }
                if stopped.recv_timeout(JOB_PAUSE) != Err(RecvTimeoutError::Timeout) {
                    return (runs, failures);
                }
            }
        });
        thread::sleep(Duration::from_secs(seconds) / 2);
        let restart = crash(server, target, address);
        let records = payers
            .into_iter()
            .map(|p| p.join().expect("a payer panicked"))
            .collect();
        let load = started.elapsed();
        drop(stop);
        let (job_runs, job_failures) = jobs.join().expect("the job panicked");
        Driven {
            records,
            load,
            restart,
            job_runs,
            job_failures,
        }
    })
}

/// Whether a refusal is one a payer of this run can get: the voucher ran out (or
/// expired), never anything the payer got wrong.
fn for_lack_of_money(code: &str) -> bool {
    [PaymentRefusal::InsufficientBalance, PaymentRefusal::Expired]
        .iter()
        .any(|refusal| refusal.code() == code)
}

/// `kill -9` the server, start it again on the same database and point the clients at it;
/// the new server and how long there was none.
fn crash(
    server: RunningServer,
    target: &Target,
    address: &Address,
) -> Result<(RunningServer, Duration)> {
    let killed = Instant::now();
    server.kill()?;
    println!("killed the server (SIGKILL); starting it again…");
    let server = target
        .start()
        .context("restarting the server after kill -9")?;
    address.set(server.url());
    let down = killed.elapsed();
    println!(
        "back after {:.1} s on {}",
        down.as_secs_f64(),
        server.listen
    );
    Ok((server, down))
}

/// Sends every payment that got no answer again, a few rounds, until each has one; any
/// left without are reported by [`Book::settle`].
fn settle_unknowns(book: &mut Book, client: &Client, people: &setup::People) {
    for _round in 0..5 {
        let unsettled = book.unsettled();
        if unsettled.is_empty() {
            return;
        }
        println!("sending {} unanswered payments again…", unsettled.len());
        for (payer, request) in unsettled {
            let (answer, _) = payer::send(client, &people.payers[payer], &request);
            book.record(payer, &request, answer);
        }
        thread::sleep(Duration::from_secs(1));
    }
}

/// The payments in a wallet's history.
fn payments(wallet: &Wallet) -> Paid {
    wallet
        .history
        .iter()
        .filter(|entry| entry.kind == WalletEntryKind::Payment)
        .fold(Paid::default(), |paid, entry| Paid {
            count: paid.count + 1,
            tiyn: paid.tiyn + entry.amount.to_tiyn().unwrap_or_default(),
        })
}

/// Today in UTC, as the server sees it.
fn today() -> chrono::NaiveDate {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    chrono::DateTime::from_timestamp(seconds, 0)
        .expect("now is a date")
        .date_naive()
}

/// The nearest-rank `percent`th percentile of `sorted` durations.
fn percentile(sorted: &[Duration], percent: u32) -> Option<Duration> {
    let rank = (sorted.len() * percent as usize).div_ceil(100);
    sorted.get(rank.max(1) - 1).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(values: &[u64]) -> Vec<Duration> {
        values.iter().map(|&v| Duration::from_millis(v)).collect()
    }

    #[test]
    fn percentiles_are_nearest_rank() {
        let hundred = ms(&(1..=100).collect::<Vec<_>>());
        assert_eq!(percentile(&hundred, 50), Some(Duration::from_millis(50)));
        assert_eq!(percentile(&hundred, 99), Some(Duration::from_millis(99)));
        assert_eq!(percentile(&hundred, 100), Some(Duration::from_millis(100)));
        let few = ms(&[3, 5, 40]);
        assert_eq!(percentile(&few, 50), Some(Duration::from_millis(5)));
        assert_eq!(percentile(&few, 99), Some(Duration::from_millis(40)));
        assert_eq!(percentile(&ms(&[7]), 1), Some(Duration::from_millis(7)));
        assert_eq!(percentile(&[], 50), None);
    }

    #[test]
    fn options_default_and_parse() {
        let args = |s: &str| s.split_whitespace().map(String::from).collect::<Vec<_>>();
        let options = Options::parse(&[]).unwrap();
        assert_eq!((options.seconds, options.payers), (60, 16));
        assert_eq!(options.backends[0], Backend::Sqlite);
        let options = Options::parse(&args("--seconds 20 --payers 8 --database both")).unwrap();
        assert_eq!(
            options,
            Options {
                seconds: 20,
                payers: 8,
                backends: vec![Backend::Sqlite, Backend::Postgres]
            }
        );
        assert!(Options::parse(&args("--seconds")).is_err());
        assert!(Options::parse(&args("--database mysql")).is_err());
        assert!(Options::parse(&args("--payers 0")).is_err());
        assert!(Options::parse(&args("--fast")).is_err());
    }
}

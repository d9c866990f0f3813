//! The command line: `server [--listen …] [--database …] [--demo] [--site …]` serves, as it
//! always did; subcommands administer the database given by `--database` / `DATABASE_URL`:
//!
//! - `server user add --role admin|akimat [--region ID] --login NAME --password-stdin`
//!   creates a staff account (a fresh install's first admin), reading the password from
//!   standard input;
//! - `server audit verify` walks the audit log's hash chain (SPEC §9): exit 0 and a last line
//!   `audit ok: N entries` when intact, else exit 1 naming the first broken entry;
//! - `server ledger check` recomputes every ledger balance from the transfers (SPEC §9):
//!   exit 0 and a last line `ledger ok: N accounts, M transfers` when consistent, else exit 1
//!   naming each difference;
//! - `server token create --name NAME` creates a service token for the data feed and
//!   prints it once, alone on the last line (SPEC §9); `server token revoke --name NAME`
//!   ends it at once;
//! - `server vouchers issue --month YYYY-MM` issues that month's due vouchers by hand, then
//!   expires what is past its grace day today, and prints what it did (exit 0).
//!
//! Errors are one line on standard error and a non-zero exit: 1 for a refused request or an
//! unreachable database, 2 for a malformed command line.

use crate::{
    accounts::{self, AccountError},
    audit::{self, Actor, Verdict},
    config::{Config, HttpSettings},
    ledger,
    service_tokens::{self, Revoked},
    vouchers, Store,
};
use clap::{Args, Parser, Subcommand, ValueEnum};
use shared::{
    account::{CreateStaff, StaffRole},
    Policy, Region,
};
use std::{io::Read, process::ExitCode};

/// `server`: the Qonys portal.
#[derive(Debug, Parser)]
#[command(
    name = "server",
    version,
    about = "Qonys portal: the public API and the web app",
    after_help = "Without a subcommand the server runs. Subcommands act on the --database."
)]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,

    #[command(flatten)]
    pub http: HttpSettings,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The ledger of the digital voucher.
    #[command(subcommand)]
    Ledger(LedgerCommand),
    /// Monthly vouchers.
    #[command(subcommand)]
    Vouchers(VouchersCommand),
    /// Service tokens of the data feed.
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a staff account: an admin, or an akimat officer of one destination region.
    Add(UserAdd),
}

#[derive(Debug, Args)]
pub struct UserAdd {
    /// The account's role.
    #[arg(long, value_enum)]
    pub role: StaffRoleArg,

    /// The officer's destination region (required for `akimat`, not allowed for `admin`),
    /// e.g. `north_kazakhstan`.
    #[arg(long, value_name = "ID")]
    pub region: Option<String>,

    /// The login: 3–32 of `a-z 0-9 . _ -`, starting with a letter.
    #[arg(long, value_name = "NAME")]
    pub login: String,

    /// Read the password (10 to 128 characters) from standard input, up to the end or the
    /// first line break. Required: passwords never go on a command line.
    #[arg(long, required = true)]
    pub password_stdin: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StaffRoleArg {
    Admin,
    Akimat,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Walk the hash chain; exit 0 and `audit ok: N entries` when intact, else exit 1 naming
    /// the first broken entry.
    Verify,
}

#[derive(Debug, Subcommand)]
pub enum LedgerCommand {
    /// Recompute every account's balance from the transfers and walk their hash chain; exit 0
    /// and `ledger ok: N accounts, M transfers` when all agree and the balances sum to zero,
    /// else exit 1 naming each difference.
    Check,
}

#[derive(Debug, Subcommand)]
pub enum VouchersCommand {
    /// Issue the vouchers due for one month now (the server does it by itself every hour),
    /// then return and close what is past its grace day today; prints what it did.
    Issue {
        /// The month, `YYYY-MM`.
        #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
        month: ledger::Month,
    },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create a token for a system sending the data feed; it is printed once, alone on the
    /// last line, and only its hash is kept.
    Create {
        /// The sending system: 1–64 of `a-z 0-9 . _ -`, never used before.
        #[arg(long, value_name = "NAME")]
        name: String,
    },
    /// End a token at once: the next request presenting it is refused.
    Revoke {
        #[arg(long, value_name = "NAME")]
        name: String,
    },
}

fn parse_month(text: &str) -> Result<ledger::Month, String> {
    ledger::Month::parse(text).ok_or_else(|| format!("`{text}` is not a month written YYYY-MM"))
}

/// Runs a subcommand against `config.database`.
pub async fn execute(command: Command, config: &Config) -> ExitCode {
    let result = match command {
        Command::User(UserCommand::Add(add)) => user_add(add, config).await,
        Command::Audit(AuditCommand::Verify) => audit_verify(config).await,
        Command::Ledger(LedgerCommand::Check) => ledger_check(config).await,
        Command::Vouchers(VouchersCommand::Issue { month }) => vouchers_issue(month, config).await,
        Command::Token(command) => token(command, config).await,
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("server: {message}");
            ExitCode::FAILURE
        }
    }
}

async fn user_add(add: UserAdd, config: &Config) -> Result<ExitCode, String> {
    let region = match add.region.as_deref() {
        None => None,
        Some(id) => Some(Region::from_id(id.trim()).ok_or_else(|| {
            let ids: Vec<&str> = Policy::current().destinations().map(Region::id).collect();
            format!(
                "--region: unknown region `{id}`; destination regions: {}",
                ids.join(", ")
            )
        })?),
    };
    let password = read_password(std::io::stdin().lock())?;
    let request = CreateStaff {
        role: match add.role {
            StaffRoleArg::Admin => StaffRole::Admin,
            StaffRoleArg::Akimat => StaffRole::Akimat,
        },
        login: add.login,
        region,
        password,
    };
    let store = Store::connect(&config.database)
        .await
        .map_err(|e| e.to_string())?;
    store.migrate().await.map_err(|e| e.to_string())?;
    let created = accounts::create_staff(&store, Actor::Cli, &request).await;
    store.close().await;
    match created {
        Ok(staff) => {
            let region = staff
                .region
                .map(|r| format!(" for {r}"))
                .unwrap_or_default();
            println!(
                "created {} account `{}` (id {}){region}",
                staff.role, staff.login, staff.id
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(AccountError::Invalid { field, message, .. }) => {
            Err(format!("--{field}: {}", message.en))
        }
        Err(AccountError::LoginTaken(login)) => Err(format!(
            "--login: `{login}` is already in use; choose another"
        )),
        Err(e) => Err(e.to_string()),
    }
}

/// The password on standard input: up to the first line break (a trailing `\r` too).
fn read_password(mut input: impl Read) -> Result<String, String> {
    let mut text = String::new();
    input
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot read the password from standard input: {e}"))?;
    let line = text.split('\n').next().unwrap_or_default();
    let password = line.strip_suffix('\r').unwrap_or(line).to_string();
    if password.is_empty() {
        return Err(
            "no password on standard input; e.g. `printf '%s' \"$PASSWORD\" | server user add …`"
                .into(),
        );
    }
    Ok(password)
}

async fn audit_verify(config: &Config) -> Result<ExitCode, String> {
    let store = Store::connect(&config.database)
        .await
        .map_err(|e| e.to_string())?;
    let verdict = audit::verify(&store).await;
    store.close().await;
    match verdict {
        Ok(Verdict::Intact { entries, head_hash }) => {
            println!("last entry {entries}, hash {head_hash}");
            println!("audit ok: {entries} entries");
            Ok(ExitCode::SUCCESS)
        }
        Ok(Verdict::Broken { seq, reason }) => {
            println!("audit broken at entry {seq}: {reason}");
            Ok(ExitCode::FAILURE)
        }
        Err(e) => Err(format!(
            "cannot read the audit log ({e}); is this a Qonys database the server has started on?"
        )),
    }
}

async fn ledger_check(config: &Config) -> Result<ExitCode, String> {
    let store = Store::connect(&config.database)
        .await
        .map_err(|e| e.to_string())?;
    let report = ledger::check(&store).await;
    store.close().await;
    let report = report.map_err(|e| {
        format!("cannot read the ledger ({e}); is this a Qonys database the server has started on?")
    })?;
    for problem in &report.problems {
        println!("{problem}");
    }
    if report.is_ok() {
        println!(
            "ledger ok: {} accounts, {} transfers",
            report.accounts, report.transfers
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "ledger check failed: {} differences in {} accounts, {} transfers",
            report.problems.len(),
            report.accounts,
            report.transfers
        );
        Ok(ExitCode::FAILURE)
    }
}

async fn vouchers_issue(month: ledger::Month, config: &Config) -> Result<ExitCode, String> {
    let store = Store::connect(&config.database)
        .await
        .map_err(|e| e.to_string())?;
    let today = crate::clock::Clock::from_setting(config.today).today();
    let done = async {
        store.migrate().await?;
        crate::budgets::open_accounts(&store).await?;
        let issued = vouchers::issue_month(&store, month, today).await?;
        let expired = vouchers::expire_due(&store, today).await?;
        Ok::<_, ledger::LedgerError>((issued, expired))
    }
    .await;
    store.close().await;
    let (issued, expired) = done.map_err(|e| format!("vouchers not issued: {e}"))?;
    if month > ledger::Month::of(today) {
        println!("{month} has not begun (today is {today}): no voucher is due for it yet");
    }
    println!(
        "vouchers for {month}: {} issued, {} already issued, {} waiting for funds, {} failed",
        issued.issued, issued.already_issued, issued.waiting_for_funds, issued.failed
    );
    println!(
        "expired as of {today}: {} closed, {} with a remainder returned ({} tenge), {} failed",
        expired.closed,
        expired.returned,
        shared::Tenge::from_tiyn(expired.returned_tiyn),
        expired.failed
    );
    Ok(ExitCode::SUCCESS)
}

/// A refused name is the option's fault; anything else is not.
fn token_error(e: service_tokens::TokenError) -> String {
    use service_tokens::TokenError::*;
    match e {
        InvalidName(_) | NameTaken(_) | Unknown(_) => format!("--name: {e}"),
        Random(_) | Store(_) => e.to_string(),
    }
}

async fn token(command: TokenCommand, config: &Config) -> Result<ExitCode, String> {
    let store = Store::connect(&config.database)
        .await
        .map_err(|e| e.to_string())?;
    let done = match store.migrate().await {
        Err(e) => Err(e.to_string()),
        Ok(()) => match &command {
            TokenCommand::Create { name } => service_tokens::create(&store, name)
                .await
                .map(|token| {
                    println!("created service token `{name}`; it is shown only now:");
                    println!("{token}");
                })
                .map_err(token_error),
            TokenCommand::Revoke { name } => service_tokens::revoke(&store, name)
                .await
                .map(|revoked| match revoked {
                    Revoked::Now => println!("revoked service token `{name}`"),
                    Revoked::Already { at } => {
                        println!("service token `{name}` was already revoked at {at}")
                    }
                })
                .map_err(token_error),
        },
    };
    store.close().await;
    done.map(|()| ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn flat_options_still_run_the_server() {
        let cli = Cli::try_parse_from([
            "server",
            "--listen",
            "127.0.0.1:9000",
            "--database",
            "sqlite::memory:",
            "--demo",
            "--site",
            "x",
        ])
        .unwrap();
        assert!(cli.command.is_none());
        assert!(cli.config.demo);
        assert_eq!(cli.config.database, "sqlite::memory:");
    }

    #[test]
    fn database_applies_to_subcommands_before_or_after() {
        for args in [
            &["server", "audit", "verify", "--database", "sqlite://a.db"][..],
            &["server", "--database", "sqlite://a.db", "audit", "verify"][..],
        ] {
            let cli = Cli::try_parse_from(args).unwrap();
            assert!(matches!(
                cli.command,
                Some(Command::Audit(AuditCommand::Verify))
            ));
            assert_eq!(cli.config.database, "sqlite://a.db");
        }
        let cli = Cli::try_parse_from([
            "server",
            "user",
            "add",
            "--role",
            "akimat",
            "--region",
            "pavlodar",
            "--login",
            "officer",
            "--password-stdin",
        ])
        .unwrap();
        let Some(Command::User(UserCommand::Add(add))) = cli.command else {
            panic!("user add")
        };
        assert_eq!(add.role, StaffRoleArg::Akimat);
        assert!(add.password_stdin);
        // The password is never an argument.
        assert!(Cli::try_parse_from([
            "server", "user", "add", "--role", "admin", "--login", "root"
        ])
        .is_err());
    }

    #[test]
    fn password_is_the_first_line() {
        assert_eq!(
            read_password("secret pass\n".as_bytes()).unwrap(),
            "secret pass"
        );
        assert_eq!(
            read_password("secret pass\r\nmore".as_bytes()).unwrap(),
            "secret pass"
        );
        assert_eq!(
            read_password("no newline".as_bytes()).unwrap(),
            "no newline"
        );
        assert!(read_password("".as_bytes()).is_err());
        assert!(read_password("\n".as_bytes()).is_err());
    }
}

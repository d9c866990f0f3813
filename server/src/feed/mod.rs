//! The state data feed (SPEC §8): files of monthly confirmations from the state's
//! registries, sent to `POST /api/v1/feed/confirmations` with a service token
//! ([`crate::service_tokens`]), or uploaded by an admin signed in to the app.
//!
//! # What happens to a file
//!
//! The body is read as it arrives, never held whole: [`csv::CsvRows`] and [`json::JsonRows`]
//! cut it into rows as its pieces come, and rows are checked ([`row`]) and applied in
//! batches of [`BATCH`] as they are read ([`apply`]). Memory is the current piece, one
//! batch, and per row of the file about 32 bytes to recognise a duplicate (3 MB for 100 000
//! rows), plus the report's rejected rows; the body may be up to [`BODY_LIMIT`]. The
//! `feed` bench measures it: 100 000 rows raise the process's peak memory by about 8 MB.
//!
//! A row is rejected, nothing of it applied, for a bad IIN or BIN, a bad month, a value that
//! is not a yes/no, a malformed row, the same IIN, BIN and month as an earlier well-formed
//! row of the file, no contract between the IIN and BIN, a contract still being signed, or
//! a month outside the contract (see [`apply`]). Every other row is applied. A row changes the database by one statement
//! (inserting a new month, or replacing a month sent before), so it is applied whole or not
//! at all; the rows of a batch share a transaction only to make the file fast to import.
//! Once a batch is committed, each contract it confirmed months of is settled
//! ([`crate::settlement`]): the file that brings the last required month pays the employer.
//!
//! A body that is no feed file at all (empty, a CSV header without the columns, not a JSON
//! array) is refused with 400 before anything is applied. A body that breaks later, or
//! grows past the limit, stops being read there: the rows before it stay applied, and the
//! report ends with a rejected entry for the row where reading stopped (`malformed_file`,
//! `file_too_large`). Each import is one audit entry by the token or the admin, with its
//! counts (an
//! import cut short by a database failure answers 503 without one; the batches committed
//! before it stay, and sending the file again is safe).

pub mod apply;
pub mod csv;
pub mod json;
pub mod row;

use crate::{
    audit::{self, Actor, Event},
    auth::Principal,
    error::ApiError,
    fail,
    service_tokens::ServiceClient,
    settlement,
    store::StoreError,
    Store,
};
use axum::{
    body::Bytes,
    http::{header, HeaderMap, StatusCode},
};
use chrono::NaiveDate;
use futures_util::{Stream, StreamExt};
use serde_json::json;
use shared::{ledger::Month, Lang};
use std::collections::HashMap;

pub use row::Confirmation;
pub use shared::contract::api::{FeedReport, RejectedRow};

/// The largest body read: a 100 000-row CSV file is about 6 MB.
pub const BODY_LIMIT: usize = 64 * 1024 * 1024;

/// Rows applied per transaction.
pub const BATCH: usize = 500;

/// The most bytes of the body parsed at once.
const PART: usize = 64 * 1024;

/// The file's format, from its `Content-Type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

impl Format {
    /// `text/csv` or `application/json`, in UTF-8 (no charset, or `charset=utf-8`).
    pub fn of(headers: &HeaderMap) -> Option<Format> {
        let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
        let mut parts = value.split(';').map(str::trim);
        let format = match parts.next()?.to_ascii_lowercase().as_str() {
            "text/csv" => Format::Csv,
            "application/json" => Format::Json,
            _ => return None,
        };
        let utf8 = parts.all(|p| match p.split_once('=') {
            Some((name, value)) if name.trim().eq_ignore_ascii_case("charset") => {
                let value = value.trim().trim_matches('"');
                value.eq_ignore_ascii_case("utf-8") || value.eq_ignore_ascii_case("utf8")
            }
            _ => true,
        });
        utf8.then_some(format)
    }

    fn name(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
        }
    }
}

/// Who sends a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Importer {
    /// Another system, with its service token.
    Service(ServiceClient),
    /// An admin signed in to the app.
    Admin(Principal),
}

impl Importer {
    fn actor(&self) -> Actor {
        match self {
            Importer::Service(client) => client.actor(),
            Importer::Admin(admin) => admin.actor(),
        }
    }

    /// The token's name, for the audit entry (an admin is the entry's actor).
    fn token(&self) -> Option<&str> {
        match self {
            Importer::Service(client) => Some(&client.name),
            Importer::Admin(_) => None,
        }
    }
}

/// One data row as read: its number, from 1, and its values or why they are unusable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadRow {
    pub number: u64,
    pub read: Result<Confirmation, row::Problem>,
}

/// Why a body is no feed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileError {
    Empty,
    /// The CSV header is not text, or too long.
    NotCsv,
    MissingColumn(&'static str),
    UnknownColumn(String),
    DuplicateColumn(&'static str),
    /// The JSON body does not start as an array.
    NotJsonArray,
    /// The JSON array's structure breaks.
    Broken,
}

impl FileError {
    /// The 400 answer when this happens before the first data row.
    pub fn refusal(&self) -> ApiError {
        match self {
            FileError::Empty => ApiError::localized(
                StatusCode::BAD_REQUEST,
                "empty_file",
                fail::texts(
                    "Файл бос: CSV тақырып жолымен немесе нысандардың JSON массиві күтіледі.",
                    "Файл пуст: ожидается CSV со строкой заголовка или JSON-массив объектов.",
                    "The file is empty: send CSV with a header row, or a JSON array of objects.",
                ),
            ),
            FileError::NotCsv => malformed_file(
                "Файл тақырып жолы бар UTF-8 CSV емес.",
                "Файл не является CSV в UTF-8 со строкой заголовка.",
                "The file is not UTF-8 CSV with a header row.",
            ),
            FileError::NotJsonArray | FileError::Broken => malformed_file(
                "Файл нысандардың JSON массиві емес.",
                "Файл не является JSON-массивом объектов.",
                "The file is not a JSON array of objects.",
            ),
            FileError::MissingColumn(column) => fail::invalid(
                column,
                "missing_column",
                fail::texts(
                    format!("Тақырыпта «{column}» бағаны жоқ."),
                    format!("В заголовке нет столбца «{column}»."),
                    format!("The header has no column “{column}”."),
                ),
            ),
            FileError::UnknownColumn(column) => fail::invalid(
                column,
                "unknown_column",
                fail::texts(
                    format!("Тақырыпта белгісіз «{column}» бағаны бар: атауын тексеріңіз."),
                    format!("В заголовке неизвестный столбец «{column}»: проверьте название."),
                    format!("The header has a column this feed does not know, “{column}”: check its name."),
                ),
            ),
            FileError::DuplicateColumn(column) => fail::invalid(
                column,
                "duplicate_column",
                fail::texts(
                    format!("Тақырыпта «{column}» бағаны бірнеше рет берілген."),
                    format!("Столбец «{column}» указан в заголовке несколько раз."),
                    format!("The header names the column “{column}” more than once."),
                ),
            ),
        }
    }
}

fn malformed_file(kk: &str, ru: &str, en: &str) -> ApiError {
    ApiError::localized(
        StatusCode::BAD_REQUEST,
        "malformed_file",
        fail::texts(kk, ru, en),
    )
}

/// The 415 answer: a body in another format.
pub fn unsupported_media_type() -> ApiError {
    ApiError::localized(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "unsupported_media_type",
        fail::texts(
            "Файлды «Content-Type: text/csv» немесе «application/json» тақырыбымен, UTF-8 кодтауында жіберіңіз.",
            "Отправьте файл с заголовком «Content-Type: text/csv» или «application/json», в кодировке UTF-8.",
            "Send the file with “Content-Type: text/csv” or “application/json”, in UTF-8.",
        ),
    )
}

/// Why an import did not end with a report.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Nothing was applied: the body is no feed file, too large or unreadable.
    #[error("refused: {}", .0.code)]
    Refused(ApiError),
    /// The database failed; the batches committed before stay applied.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What an import is told besides its body.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// The language of the report's messages.
    pub lang: Lang,
    /// The most bytes read.
    pub limit: usize,
    /// The server's day: its month is the last a confirmation may be for, and contracts
    /// are settled on it.
    pub today: NaiveDate,
}

/// The format's row reader (csv-core's parser carries its tables: boxed).
enum Rows {
    Csv(Box<csv::CsvRows>),
    Json(json::JsonRows),
}

impl Rows {
    fn push(&mut self, piece: &[u8], out: &mut Vec<ReadRow>) -> Result<(), FileError> {
        match self {
            Rows::Csv(rows) => rows.push(piece, out),
            Rows::Json(rows) => rows.push(piece, out),
        }
    }

    fn count(&self) -> u64 {
        match self {
            Rows::Csv(rows) => rows.rows(),
            Rows::Json(rows) => rows.rows(),
        }
    }
}

/// Reads `body` and applies its rows; see the module documentation.
pub async fn import<S, E>(
    store: &Store,
    importer: &Importer,
    format: Format,
    mut body: S,
    settings: Settings,
) -> Result<FeedReport, ImportError>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
    E: std::fmt::Display,
{
    let mut rows = match format {
        Format::Csv => Rows::Csv(Box::default()),
        Format::Json => Rows::Json(json::JsonRows::default()),
    };
    let mut import = Import::new(store, settings);
    let mut read = Vec::new();
    let mut size = 0usize;
    let stopped = loop {
        let piece = match body.next().await {
            Some(Ok(piece)) => piece,
            Some(Err(e)) => {
                tracing::info!(error = %e, "feed body unreadable");
                if rows.count() == 0 {
                    return Err(ImportError::Refused(ApiError::unreadable_body()));
                }
                break Some(row::Problem::FileBroken);
            }
            None => Bytes::new(),
        };
        size += piece.len();
        if size > settings.limit {
            if rows.count() == 0 {
                return Err(ImportError::Refused(ApiError::payload_too_large(
                    settings.limit,
                )));
            }
            break Some(row::Problem::FileTooLarge {
                limit: settings.limit,
            });
        }
        // Read in parts, so a body given as one large piece is still applied as it is
        // read.
        let mut pushed = Ok(());
        for part in piece
            .chunks(PART)
            .chain(piece.is_empty().then_some(&[][..]))
        {
            pushed = rows.push(part, &mut read);
            for row in read.drain(..) {
                import.take(row);
                import.apply_full_batch().await?;
            }
            if pushed.is_err() {
                break;
            }
        }
        match pushed {
            Err(e) if rows.count() == 0 => return Err(ImportError::Refused(e.refusal())),
            Err(_) => break Some(row::Problem::FileBroken),
            Ok(()) if piece.is_empty() => break None,
            Ok(()) => {}
        }
    };
    import.apply_batch().await?;
    if let Some(problem) = &stopped {
        import.reject(rows.count() + 1, problem);
    }
    import.report.rejected.sort_by_key(|r| r.row);
    let event = Event {
        action: audit::action::FEED_IMPORT,
        subject: Some("feed:confirmations".into()),
        before: None,
        after: Some(json!({
            "token": importer.token(),
            "format": format.name(),
            "rows": rows.count(),
            "accepted": import.report.accepted,
            "replaced": import.report.replaced,
            "rejected": import.report.rejected.len(),
            "complete": stopped.is_none(),
        })),
    };
    audit::record(store, importer.actor(), event).await?;
    Ok(import.report)
}

/// The state of one import: the rows waiting to be applied and what became of the others.
struct Import<'a> {
    store: &'a Store,
    settings: Settings,
    report: FeedReport,
    /// The first row of each IIN, BIN and month seen (see [`Confirmation::key`]).
    first_rows: HashMap<u128, u64>,
    batch: Vec<(u64, Confirmation)>,
    contracts: apply::Contracts,
}

impl<'a> Import<'a> {
    fn new(store: &'a Store, settings: Settings) -> Import<'a> {
        Import {
            store,
            settings,
            report: FeedReport {
                accepted: 0,
                replaced: 0,
                rejected: Vec::new(),
            },
            first_rows: HashMap::new(),
            batch: Vec::with_capacity(BATCH),
            contracts: apply::Contracts::new(Month::of(settings.today)),
        }
    }

    /// A row read: rejected now, or queued for the next batch.
    fn take(&mut self, row: ReadRow) {
        let confirmation = match row.read {
            Ok(c) => c,
            Err(problem) => return self.reject(row.number, &problem),
        };
        match self.first_rows.get(&confirmation.key()) {
            Some(&first) => self.reject(row.number, &row::Problem::Duplicate { first }),
            None => {
                self.first_rows.insert(confirmation.key(), row.number);
                self.batch.push((row.number, confirmation));
            }
        }
    }

    fn reject(&mut self, row: u64, problem: &row::Problem) {
        self.report.rejected.push(RejectedRow {
            row,
            code: problem.code().to_string(),
            message: problem.message(self.settings.lang),
        });
    }

    async fn apply_full_batch(&mut self) -> Result<(), StoreError> {
        if self.batch.len() >= BATCH {
            self.apply_batch().await?;
        }
        Ok(())
    }

    async fn apply_batch(&mut self) -> Result<(), StoreError> {
        if self.batch.is_empty() {
            return Ok(());
        }
        let applied = apply::apply(self.store, &mut self.contracts, &self.batch).await?;
        let batch = std::mem::take(&mut self.batch);
        for ((number, _), outcome) in batch.iter().zip(applied.outcomes) {
            match outcome {
                apply::Outcome::Added => self.report.accepted += 1,
                apply::Outcome::Replaced => {
                    self.report.accepted += 1;
                    self.report.replaced += 1;
                }
                apply::Outcome::Rejected(problem) => self.reject(*number, &problem),
            }
        }
        self.batch = batch;
        self.batch.clear();
        for contract in applied.to_settle {
            // The rows stay applied; the hourly job settles the contract again.
            match settlement::settle(self.store, contract, self.settings.today).await {
                Ok(settlement::Settled::Breached | settlement::Settled::Fulfilled { .. }) => {
                    self.contracts.ended(contract)
                }
                Ok(_) => {}
                Err(e) => {
                    tracing::error!(contract, error = %e, "contract not settled after an import")
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn formats() {
        let of = |ct: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(ct));
            Format::of(&headers)
        };
        assert_eq!(of("text/csv"), Some(Format::Csv));
        assert_eq!(
            of("Text/CSV; charset=\"UTF-8\"; header=present"),
            Some(Format::Csv)
        );
        assert_eq!(of("application/json; charset=utf-8"), Some(Format::Json));
        assert_eq!(of("text/csv; charset=windows-1251"), None);
        assert_eq!(of("text/plain"), None);
        assert_eq!(of("application/x-www-form-urlencoded"), None);
        assert_eq!(Format::of(&HeaderMap::new()), None);
    }

    #[test]
    fn refusals_name_their_column() {
        let e = FileError::MissingColumn("bin").refusal();
        assert_eq!(
            (e.code, e.field.as_deref()),
            ("missing_column", Some("bin"))
        );
        let e = FileError::Broken.refusal();
        assert_eq!(
            (e.status, e.code),
            (StatusCode::BAD_REQUEST, "malformed_file")
        );
    }
}

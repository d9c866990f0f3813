//! CSV rows from a body that arrives in pieces: `csv-core`'s push parser (RFC 4180 quoting,
//! CRLF or LF line ends, blank lines skipped, a UTF-8 byte order mark ignored), fed each
//! piece as it comes, so only the record being read is held.
//!
//! The first record is the header: the seven columns of SPEC §8 in any order, each once,
//! and no other (a misspelt column would otherwise be read as missing data).

use super::{
    row::{self, Malformed, Problem, COLUMNS, MAX_ROW_BYTES},
    FileError, ReadRow,
};
use csv_core::{ReadRecordResult, Reader};

/// More fields than any row of this feed has.
const MAX_FIELDS: usize = 64;

pub struct CsvRows {
    parser: Reader,
    /// The current record's values, back to back; `ends` marks where each one ends.
    values: Vec<u8>,
    ends: Vec<usize>,
    filled: usize,
    fields: usize,
    /// The current record did not fit: it is read to its end and rejected.
    overflow: bool,
    /// Where each column of [`COLUMNS`] is in a record, once the header is read.
    positions: Option<[usize; 7]>,
    width: usize,
    rows: u64,
}

impl Default for CsvRows {
    fn default() -> CsvRows {
        CsvRows {
            parser: Reader::new(),
            values: vec![0; MAX_ROW_BYTES],
            ends: vec![0; MAX_FIELDS],
            filled: 0,
            fields: 0,
            overflow: false,
            positions: None,
            width: 0,
            rows: 0,
        }
    }
}

impl CsvRows {
    /// Data rows read so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Reads the records completed by `piece` into `out`; an empty `piece` means the end
    /// of the body.
    pub fn push(&mut self, mut piece: &[u8], out: &mut Vec<ReadRow>) -> Result<(), FileError> {
        let at_end = piece.is_empty();
        loop {
            let (result, read, written, ended) = self.parser.read_record(
                piece,
                &mut self.values[self.filled..],
                &mut self.ends[self.fields..],
            );
            piece = &piece[read..];
            self.filled += written;
            self.fields += ended;
            match result {
                ReadRecordResult::InputEmpty => {
                    if !at_end {
                        return Ok(());
                    }
                }
                ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => {
                    // Keep reading to the record's end without keeping it.
                    self.overflow = true;
                    self.filled = 0;
                    self.fields = 0;
                }
                ReadRecordResult::Record => self.record(out)?,
                ReadRecordResult::End => {
                    return match self.positions {
                        Some(_) => Ok(()),
                        None => Err(FileError::Empty),
                    };
                }
            }
        }
    }

    fn record(&mut self, out: &mut Vec<ReadRow>) -> Result<(), FileError> {
        let overflow = std::mem::take(&mut self.overflow);
        let fields = std::mem::take(&mut self.fields);
        self.filled = 0;
        let values = (!overflow).then(|| as_text(&self.values, &self.ends[..fields]));
        let Some(positions) = self.positions else {
            let header = values.and_then(Result::ok).ok_or(FileError::NotCsv)?;
            self.positions = Some(columns(&header)?);
            self.width = header.len();
            return Ok(());
        };
        self.rows += 1;
        let read = match values {
            None => Err(Problem::Malformed(Malformed::TooLong)),
            Some(Err(())) => Err(Problem::Malformed(Malformed::NotUtf8)),
            Some(Ok(values)) if values.len() != self.width => {
                Err(Problem::Malformed(Malformed::FieldCount {
                    found: values.len(),
                    expected: self.width,
                }))
            }
            Some(Ok(values)) => row::from_texts(positions.map(|i| values[i])),
        };
        out.push(ReadRow {
            number: self.rows,
            read,
        });
        Ok(())
    }
}

/// A record's values (`values`, each ending where `ends` says) as text, or `Err` if one is
/// not UTF-8.
fn as_text<'a>(values: &'a [u8], ends: &[usize]) -> Result<Vec<&'a str>, ()> {
    let mut start = 0;
    ends.iter()
        .map(|&end| {
            let value = std::str::from_utf8(&values[start..end]).map_err(|_| ());
            start = end;
            value
        })
        .collect()
}

/// Where each column of [`COLUMNS`] is in the header (names compared without surrounding
/// spaces, in any case).
fn columns(header: &[&str]) -> Result<[usize; 7], FileError> {
    let mut positions = [None; 7];
    for (at, name) in header.iter().enumerate() {
        // csv-core drops a byte order mark only when it comes in one piece.
        let name = name.trim_start_matches('\u{feff}');
        let name = name.trim().to_ascii_lowercase();
        let Some(column) = COLUMNS.iter().position(|c| *c == name) else {
            return Err(FileError::UnknownColumn(name));
        };
        if positions[column].replace(at).is_some() {
            return Err(FileError::DuplicateColumn(COLUMNS[column]));
        }
    }
    let mut found = [0; 7];
    for (column, position) in positions.iter().enumerate() {
        found[column] = position.ok_or(FileError::MissingColumn(COLUMNS[column]))?;
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    const IIN: &str = "900514300121";
    const BIN: &str = "971240001315";

    /// Reads `body` cut into pieces of `size` bytes.
    fn read(body: &str, size: usize) -> Result<Vec<ReadRow>, FileError> {
        let mut rows = CsvRows::default();
        let mut out = Vec::new();
        for piece in body.as_bytes().chunks(size) {
            rows.push(piece, &mut out)?;
        }
        rows.push(&[], &mut out)?;
        Ok(out)
    }

    #[test]
    fn rows_in_any_order_cut_anywhere() {
        let body = format!(
            "\u{feff}Month,iin , bin,resident,employed,social_paid,pension_paid\r\n\
             2026-03,{IIN},{BIN},1,1,1,1\r\n\
             \r\n\
             \"2026-04\",\"{IIN}\",{BIN},true,false,true,true"
        );
        for size in [1, 2, 7, 1000] {
            let rows = read(&body, size).unwrap();
            assert_eq!(rows.len(), 2, "{size}");
            assert_eq!(rows[1].number, 2);
            let second = rows[1].read.as_ref().unwrap();
            assert_eq!(second.month.to_string(), "2026-04");
            assert!(!second.employed);
        }
    }

    #[test]
    fn bad_rows_are_rejected_one_by_one() {
        let long = "x".repeat(MAX_ROW_BYTES + 10);
        let body = format!(
            "iin,bin,month,resident,employed,social_paid,pension_paid\n\
             {IIN},{BIN},2026-03,1,1,1\n\
             {IIN},{BIN},2026-03,1,1,1,{long}\n\
             \"{IIN},{BIN},2026-03,1,1,1,1\n"
        );
        let rows = read(&body, 100).unwrap();
        let problems: Vec<_> = rows.iter().map(|r| r.read.clone().unwrap_err()).collect();
        assert_eq!(
            problems,
            [
                Problem::Malformed(Malformed::FieldCount {
                    found: 6,
                    expected: 7
                }),
                Problem::Malformed(Malformed::TooLong),
                // An unclosed quote runs to the end: one field.
                Problem::Malformed(Malformed::FieldCount {
                    found: 1,
                    expected: 7
                }),
            ]
        );
        let mut rows = CsvRows::default();
        let mut out = Vec::new();
        let header = b"iin,bin,month,resident,employed,social_paid,pension_paid\n";
        rows.push(header, &mut out).unwrap();
        rows.push(b"\xff,1\n", &mut out).unwrap();
        assert_eq!(out[0].read, Err(Problem::Malformed(Malformed::NotUtf8)));
    }

    #[test]
    fn the_header_must_name_every_column_once() {
        let cases = [
            ("", FileError::Empty),
            ("\n\n", FileError::Empty),
            (
                "iin,bin,month,resident,employed,social_paid\n",
                FileError::MissingColumn("pension_paid"),
            ),
            (
                "iin,bin,month,resident,employed,social_paid,pension_payed\n",
                FileError::UnknownColumn("pension_payed".into()),
            ),
            (
                "iin,bin,month,resident,employed,social_paid,pension_paid,IIN\n",
                FileError::DuplicateColumn("iin"),
            ),
        ];
        for (body, error) in cases {
            assert_eq!(read(body, 3).unwrap_err(), error, "{body:?}");
        }
        assert_eq!(
            read(
                "iin,bin,month,resident,employed,social_paid,pension_paid",
                5
            )
            .unwrap()
            .len(),
            0
        );
    }
}

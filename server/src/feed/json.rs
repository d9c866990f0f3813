//! JSON rows from a body that arrives in pieces: the body is one array, and each element is
//! cut out as its bytes arrive (tracking strings, escapes and nesting) and read on its own,
//! so only the element being read is held, however long the array.
//!
//! An element that is not a valid row object is rejected alone; a body whose structure
//! breaks (no array, a stray bracket, text after the array) stops being read there.

use super::{
    row::{self, Malformed, Problem, MAX_ROW_BYTES},
    FileError, ReadRow,
};

const BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before `[` (a byte order mark and white space allowed).
    Start,
    /// After `[`: the first element or `]`.
    First,
    /// After `,`: an element.
    Next,
    /// Inside an element.
    Element,
    /// After `]`: only white space.
    Done,
}

pub struct JsonRows {
    state: State,
    /// Bytes of a byte order mark seen at the start.
    bom: usize,
    /// Bytes seen before `[`.
    leading: usize,
    element: Vec<u8>,
    /// The element did not fit: it is read to its end and rejected.
    overflow: bool,
    depth: u32,
    in_string: bool,
    escaped: bool,
    rows: u64,
}

impl Default for JsonRows {
    fn default() -> JsonRows {
        JsonRows {
            state: State::Start,
            bom: 0,
            leading: 0,
            element: Vec::new(),
            overflow: false,
            depth: 0,
            in_string: false,
            escaped: false,
            rows: 0,
        }
    }
}

impl JsonRows {
    /// Data rows read so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Reads the elements completed by `piece` into `out`; an empty `piece` means the end
    /// of the body.
    pub fn push(&mut self, piece: &[u8], out: &mut Vec<ReadRow>) -> Result<(), FileError> {
        if piece.is_empty() {
            return match self.state {
                State::Done => Ok(()),
                // Nothing but white space (see `byte`).
                State::Start => Err(FileError::Empty),
                _ => Err(FileError::Broken),
            };
        }
        for &byte in piece {
            self.byte(byte, out)?;
        }
        Ok(())
    }

    fn byte(&mut self, byte: u8, out: &mut Vec<ReadRow>) -> Result<(), FileError> {
        let space = matches!(byte, b' ' | b'\t' | b'\r' | b'\n');
        match self.state {
            State::Start => {
                let at_start = self.bom == self.leading;
                self.leading += 1;
                if at_start && self.bom < BOM.len() && byte == BOM[self.bom] {
                    self.bom += 1;
                } else if byte == b'[' && matches!(self.bom, 0 | 3) {
                    self.state = State::First;
                } else if !space {
                    return Err(FileError::NotJsonArray);
                }
            }
            State::First | State::Next if space => {}
            State::First if byte == b']' => self.state = State::Done,
            State::First | State::Next if matches!(byte, b']' | b',') => {
                return Err(FileError::Broken)
            }
            State::First | State::Next => {
                self.state = State::Element;
                self.element_byte(byte, out)?;
            }
            State::Element => self.element_byte(byte, out)?,
            State::Done if space => {}
            State::Done => return Err(FileError::Broken),
        }
        Ok(())
    }

    fn element_byte(&mut self, byte: u8, out: &mut Vec<ReadRow>) -> Result<(), FileError> {
        if self.in_string {
            match (self.escaped, byte) {
                (true, _) => self.escaped = false,
                (false, b'\\') => self.escaped = true,
                (false, b'"') => self.in_string = false,
                _ => {}
            }
        } else {
            match byte {
                b'"' => self.in_string = true,
                b'{' | b'[' => self.depth += 1,
                b',' | b']' if self.depth == 0 => {
                    self.end_element(out);
                    self.state = if byte == b',' {
                        State::Next
                    } else {
                        State::Done
                    };
                    return Ok(());
                }
                b'}' | b']' => {
                    self.depth = self.depth.checked_sub(1).ok_or(FileError::Broken)?;
                }
                _ => {}
            }
        }
        if self.element.len() < MAX_ROW_BYTES {
            self.element.push(byte);
        } else {
            self.overflow = true;
        }
        Ok(())
    }

    fn end_element(&mut self, out: &mut Vec<ReadRow>) {
        self.rows += 1;
        let read = if std::mem::take(&mut self.overflow) {
            Err(Problem::Malformed(Malformed::TooLong))
        } else {
            row::from_json(&self.element)
        };
        self.element.clear();
        out.push(ReadRow {
            number: self.rows,
            read,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROW: &str = r#"{"iin": "900514300121", "bin": "971240001315", "month": "2026-03",
        "resident": true, "employed": true, "social_paid": true, "pension_paid": false}"#;

    fn read(body: &[u8], size: usize) -> Result<Vec<ReadRow>, FileError> {
        let mut rows = JsonRows::default();
        let mut out = Vec::new();
        for piece in body.chunks(size) {
            rows.push(piece, &mut out)?;
        }
        rows.push(&[], &mut out)?;
        Ok(out)
    }

    #[test]
    fn elements_cut_anywhere() {
        let tricky = ROW
            .replace("2026-03", "2026-04")
            .replace("\"iin\"", "\"iin\": \"not read\", \"iin\"");
        let body = format!("\u{feff} [ {ROW},\n{tricky} , {ROW} ]\n");
        for size in [1, 3, 64, 10_000] {
            let rows = read(body.as_bytes(), size).unwrap();
            assert_eq!(rows.len(), 3);
            assert_eq!(rows[1].read.as_ref().unwrap().month.to_string(), "2026-04");
            assert!(!rows[2].read.as_ref().unwrap().pension_paid);
        }
        assert_eq!(read(b"[]", 1).unwrap().len(), 0);
        assert_eq!(read(b"  [ ]  ", 2).unwrap().len(), 0);
    }

    #[test]
    fn strings_may_hold_brackets_and_quotes() {
        let body = r#"[{"iin": "]\"},{", "bin": "x"}, [1, [2]], "a,b", 7]"#;
        let rows = read(body.as_bytes(), 5).unwrap();
        let codes: Vec<_> = rows.iter().map(|r| r.read.clone().unwrap_err()).collect();
        assert_eq!(
            codes,
            [
                Problem::InvalidIin,
                Problem::Malformed(Malformed::NotAnObject),
                Problem::Malformed(Malformed::NotAnObject),
                Problem::Malformed(Malformed::NotAnObject),
            ]
        );
    }

    #[test]
    fn a_long_element_is_rejected_alone() {
        let long = format!(r#"{{"iin": "{}"}}"#, "1".repeat(MAX_ROW_BYTES));
        let body = format!("[{long},{ROW}]");
        let rows = read(body.as_bytes(), 100).unwrap();
        assert_eq!(rows[0].read, Err(Problem::Malformed(Malformed::TooLong)));
        assert!(rows[1].read.is_ok());
    }

    #[test]
    fn broken_structure_stops_reading() {
        for (body, error) in [
            ("", FileError::Empty),
            (" \n ", FileError::Empty),
            ("{}", FileError::NotJsonArray),
            ("x[]", FileError::NotJsonArray),
            ("\u{feff}\u{feff}[]", FileError::NotJsonArray),
            ("[", FileError::Broken),
            ("[{}", FileError::Broken),
            ("[{},]", FileError::Broken),
            ("[,{}]", FileError::Broken),
            ("[{}}]", FileError::Broken),
            ("[] []", FileError::Broken),
        ] {
            assert_eq!(read(body.as_bytes(), 1).unwrap_err(), error, "{body}");
        }
    }
}

//! The header line every trace format starts with: reading it (an empty file
//! is an error) and checking the columns a format requires, in order, with a
//! diagnostic on the cell that is wrong.

use super::error::TraceError;
use super::lines::{Cells, LineReader};

/// A trace file's header line, with what to say when it is wrong.
pub(crate) struct Header<'l> {
    file: String,
    pub line: &'l [u8],
    help: &'static str,
}

impl<'l> Header<'l> {
    /// Reads the first line of `lines`; `help` says what it must be.
    pub fn read(lines: &'l mut LineReader, help: &'static str) -> Result<Self, TraceError> {
        let file = lines.name().to_owned();
        if !lines.advance()? {
            return Err(TraceError::header(&file, b"", 0, 0, "empty file".into(), help.into()));
        }
        Ok(Header {
            file,
            line: lines.line(),
            help,
        })
    }

    /// The header's cells, from the first.
    pub fn cells(&self) -> Cells<'l> {
        Cells::new(self.line)
    }

    /// A diagnostic on bytes `start..end` of the header.
    pub fn bad(&self, start: usize, end: usize, label: String) -> TraceError {
        self.bad_with_help(start, end, label, self.help.into())
    }

    /// A diagnostic on bytes `start..end` with help of its own.
    pub fn bad_with_help(&self, start: usize, end: usize, label: String, help: String) -> TraceError {
        TraceError::header(&self.file, self.line, start, end, label, help)
    }

    /// Takes the cells `columns` from `cells`, in order, or says which
    /// cell differs (or that the line ends first).
    pub fn expect(&self, cells: &mut Cells<'l>, columns: &[&str]) -> Result<(), TraceError> {
        for expected in columns {
            match cells.next() {
                Some((_, cell)) if cell.trim_ascii() == expected.as_bytes() => {}
                Some((start, cell)) => {
                    return Err(self.bad(start, start + cell.len(), format!("expected `{expected}`")));
                }
                None => {
                    let end = self.line.len();
                    return Err(self.bad(end, end, format!("expected `{expected}`")));
                }
            }
        }
        Ok(())
    }
}

//! Reading a trace file line by line into one reused buffer, and splitting a
//! line into cells without allocating.

use std::borrow::Cow;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Seek, SeekFrom};
use std::path::Path;

use super::compressed::compressed;
use super::error::{BadCell, RowFault, TraceError, TraceErrorKind};
use crate::diagnostic::text::quote_path;
use crate::language::units::MAX_AMOUNT;

/// Large reads: trace files are read sequentially, often hundreds of MB.
const BUFFER_BYTES: usize = 1 << 18;

/// Reads for lines taken here and there ([`LineReader::line_at`]): each
/// jump past the buffer costs a read of this many bytes, not of
/// [`BUFFER_BYTES`].
const SCATTERED_BUFFER_BYTES: usize = 1 << 15;

/// Appends the next line, its `\n` included, to `line`; returns the bytes
/// read (0 at the end). What `read_until(b'\n')` does, with the memchr
/// crate's vectorised search for the end (an Azure counts row is
/// thousands of bytes long).
fn read_line(reader: &mut impl BufRead, line: &mut Vec<u8>) -> io::Result<usize> {
    let mut read = 0;
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        let (used, done) = match memchr::memchr(b'\n', available) {
            Some(end) => (end + 1, true),
            None => (available.len(), available.is_empty()),
        };
        line.extend_from_slice(&available[..used]);
        reader.consume(used);
        read += used;
        if done {
            return Ok(read);
        }
    }
}

/// A trace file read one line at a time; only the current line is in memory.
#[derive(Debug)]
pub(crate) struct LineReader {
    reader: BufReader<File>,
    line: Vec<u8>,
    number: usize,
    name: String,
    /// Where the current line starts in the file, and how far the file
    /// has been read (both in bytes).
    start: u64,
    consumed: u64,
}

impl LineReader {
    /// Opens `path`, shown as `name` in diagnostics; `help` says what a
    /// missing file should have been.
    pub(crate) fn open(path: &Path, name: &str, help: &str) -> Result<Self, TraceError> {
        Self::open_with(path, name, help, BUFFER_BYTES)
    }

    /// [`LineReader::open`] for a reading of a few lines here and there
    /// ([`LineReader::line_at`]), through a smaller buffer.
    pub(crate) fn open_scattered(path: &Path, name: &str, help: &str) -> Result<Self, TraceError> {
        Self::open_with(path, name, help, SCATTERED_BUFFER_BYTES)
    }

    fn open_with(path: &Path, name: &str, help: &str, buffer: usize) -> Result<Self, TraceError> {
        let file = File::open(path).map_err(|e| TraceError::open(name, e, help))?;
        let mut reader = BufReader::with_capacity(buffer, file);
        // A compressed file read as text fails on its header with bytes
        // that say nothing: said first, by its compressor's magic bytes.
        let start = reader.fill_buf().map_err(|source| TraceError::io(name, source))?;
        if let Some(compressor) = compressed(start) {
            return Err(TraceErrorKind::Compressed {
                path: quote_path(name),
                format: compressor.name,
                command: compressor.command(name),
            }
            .into());
        }
        Ok(LineReader {
            reader,
            line: Vec::with_capacity(256),
            number: 0,
            name: name.to_owned(),
            start: 0,
            consumed: 0,
        })
    }

    /// The file's name as shown in diagnostics.
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// Moves to the next non-blank line (without its line ending); `false` at the end.
    pub(crate) fn advance(&mut self) -> Result<bool, TraceError> {
        loop {
            if !self.read_next()? {
                return Ok(false);
            }
            self.number += 1;
            if !self.line.iter().all(u8::is_ascii_whitespace) {
                return Ok(true);
            }
        }
    }

    /// Reads the line that starts `offset` bytes into the file (what
    /// [`LineReader::offset`] said of it in an earlier reading), as
    /// [`LineReader::advance`] read it; `false` past the end. What lies
    /// between is skipped, within the buffer without a system call. The
    /// line number is not known here: [`LineReader::number`] stays as it
    /// was.
    pub(crate) fn line_at(&mut self, offset: u64) -> Result<bool, TraceError> {
        let io = |source| TraceError::io(&self.name, source);
        // A step between any file's offsets keeps the buffer; one `i64`
        // cannot hold (no file has such offsets) seeks from the start, and
        // the system answers it.
        match i64::try_from(i128::from(offset) - i128::from(self.consumed)) {
            Ok(step) => self.reader.seek_relative(step).map_err(io)?,
            Err(_) => {
                self.reader.seek(SeekFrom::Start(offset)).map_err(io)?;
            }
        }
        self.consumed = offset;
        self.read_next()
    }

    /// Reads the next line into `line`, without its line ending (nor the
    /// first line's byte-order mark); `false` at the end.
    fn read_next(&mut self) -> Result<bool, TraceError> {
        self.start = self.consumed;
        self.line.clear();
        let read = read_line(&mut self.reader, &mut self.line).map_err(|source| TraceError::io(&self.name, source))?;
        self.consumed += read as u64;
        while matches!(self.line.last(), Some(b'\n' | b'\r')) {
            self.line.pop();
        }
        // A byte-order mark, as spreadsheet programs write, is not part of the header.
        if self.start == 0 && self.line.starts_with(b"\xef\xbb\xbf") {
            self.line.drain(..3);
        }
        Ok(read > 0)
    }

    /// The current line.
    #[inline]
    pub(crate) fn line(&self) -> &[u8] {
        &self.line
    }

    /// The current line's number (1-based).
    pub(crate) fn number(&self) -> usize {
        self.number
    }

    /// Where the current line starts in the file, in bytes (at its
    /// byte-order mark, on a first line that has one).
    pub(crate) fn offset(&self) -> u64 {
        self.start
    }
}

/// A name's cell as text: its bytes read as UTF-8 (with replacements), a
/// quote written twice read once: RFC 4180's escape in a quoted cell, as
/// `invocations.csv` writes a name holding one (in a cell not quoted too,
/// where the RFC allows no quote at all).
pub(crate) fn cell_text(cell: &[u8]) -> Cow<'_, str> {
    let text = String::from_utf8_lossy(cell);
    if text.contains("\"\"") {
        Cow::Owned(text.replace("\"\"", "\""))
    } else {
        text
    }
}

/// The comma-separated cells of a line, with their byte offsets. A cell in
/// double quotes (as R's `write.csv`, spreadsheets and `invocations.csv`
/// write a name holding a comma or a quote) is read without them, at the
/// offset of its first byte inside, when it closes at a comma or the
/// line's end; a quote inside it is written twice (RFC 4180), and stays
/// so in the cell until [`cell_text`] reads it once. Any other quote is
/// read as written.
#[derive(Debug, Clone)]
pub(crate) struct Cells<'a> {
    line: &'a [u8],
    pos: usize,
    finished: bool,
}

impl<'a> Cells<'a> {
    pub(crate) fn new(line: &'a [u8]) -> Self {
        Cells {
            line,
            pos: 0,
            finished: false,
        }
    }

    /// Offset of the next cell (the line's length once all are taken).
    pub(crate) fn offset(&self) -> usize {
        if self.finished { self.line.len() } else { self.pos }
    }

    /// The next cell, or a `missing_column` fault naming `column`.
    pub(crate) fn expect(
        &mut self,
        column: impl FnOnce() -> Cow<'static, str>,
        help: &'static str,
    ) -> Result<(usize, &'a [u8]), BadCell> {
        let at = self.offset();
        self.next().ok_or_else(|| BadCell {
            fault: RowFault::MissingColumn,
            start: at,
            end: at,
            column: column(),
            help: help.into(),
        })
    }

    /// The next cell as a finite number of zero or more. Inlined into each
    /// reader's row parser, as it was before quoted cells (a call per cell
    /// made the plain CSV reader's rows 5 % more instructions).
    #[inline]
    pub(crate) fn non_negative(&mut self, column: &'static str, help: &'static str) -> Result<f64, BadCell> {
        let (start, cell) = self.expect(|| column.into(), help)?;
        let bad = |fault| BadCell {
            fault,
            start,
            end: start + cell.len(),
            column: column.into(),
            help: help.into(),
        };
        match parse_f64(cell) {
            None => Err(bad(RowFault::NotANumber)),
            Some(value) if value < 0.0 => Err(bad(RowFault::NegativeValue)),
            Some(value) if value > MAX_AMOUNT => Err(bad(RowFault::TooLarge)),
            Some(value) => Ok(value),
        }
    }
}

impl<'a> Cells<'a> {
    /// The cell in double quotes at `start`, without them, if it closes at
    /// a comma or the line's end (its quotes doubled, as written). Apart from
    /// [`Iterator::next`], which stays small enough to be inlined into
    /// each reader's loop over a row's cells (inlined, this made the plain
    /// CSV reader's row 6 % more instructions).
    #[cold]
    #[inline(never)]
    fn quoted(&mut self, start: usize) -> Option<(usize, &'a [u8])> {
        let inside = &self.line[start + 1..];
        // The closing quote is the first not doubled.
        let mut from = 0;
        let close = loop {
            let quote = from + memchr::memchr(b'"', &inside[from..])?;
            if inside.get(quote + 1) != Some(&b'"') {
                break quote;
            }
            from = quote + 2;
        };
        if !matches!(inside.get(close + 1), None | Some(b',')) {
            return None;
        }
        // Past the quotes and the comma after them.
        self.pos = start + close + 3;
        self.finished = close + 2 == self.line.len() - start;
        Some((start + 1, &inside[..close]))
    }
}

impl<'a> Iterator for Cells<'a> {
    type Item = (usize, &'a [u8]);

    fn next(&mut self) -> Option<(usize, &'a [u8])> {
        if self.finished {
            return None;
        }
        let start = self.pos;
        let rest = &self.line[start..];
        if rest.first() == Some(&b'"')
            && let Some(cell) = self.quoted(start)
        {
            return Some(cell);
        }
        match memchr::memchr(b',', rest) {
            Some(comma) => {
                self.pos = start + comma + 1;
                Some((start, &rest[..comma]))
            }
            None => {
                self.finished = true;
                Some((start, rest))
            }
        }
    }
}

/// A finite decimal number, surrounding spaces allowed (`inf` and `NaN` are refused).
pub(crate) fn parse_f64(cell: &[u8]) -> Option<f64> {
    let cell = cell.trim_ascii();
    if let Some(value) = parse_plain_decimal(cell) {
        return Some(value);
    }
    let text = std::str::from_utf8(cell).ok()?;
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Exact powers of ten: every one up to 10^22 is a double.
const POWERS_OF_TEN: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20,
    1e21, 1e22,
];

/// The fast path for the common `digits[.digits]` cell (Clinger's): when the
/// digits form an integer below 2^53 and there are at most 22 decimals, one
/// division of two exact doubles gives the correctly rounded value, the same
/// as `str::parse`. Anything else (signs, exponents, long mantissas) returns
/// `None` and takes the general path.
fn parse_plain_decimal(cell: &[u8]) -> Option<f64> {
    let (mut mantissa, mut decimals, mut digits, mut seen_point) = (0u64, 0usize, 0usize, false);
    for &byte in cell {
        match byte {
            b'0'..=b'9' => {
                mantissa = mantissa.checked_mul(10)?.checked_add(u64::from(byte - b'0'))?;
                digits += 1;
                decimals += usize::from(seen_point);
            }
            b'.' if !seen_point => seen_point = true,
            _ => return None,
        }
    }
    if digits == 0 || mantissa > 1 << 53 {
        return None;
    }
    Some(mantissa as f64 / *POWERS_OF_TEN.get(decimals)?)
}

/// A whole number of zero or more that fits in a `u32`, surrounding spaces allowed.
pub(crate) fn parse_count(cell: &[u8]) -> Option<u32> {
    let digits = cell.trim_ascii();
    if digits.is_empty() || digits.len() > 10 {
        return None;
    }
    let mut value: u64 = 0;
    for &byte in digits {
        if !byte.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u64::from(byte - b'0');
    }
    u32::try_from(value).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line read again where [`LineReader::offset`] said it starts,
    /// in any order, through a buffer smaller than some lines, is the line
    /// [`LineReader::advance`] read: line endings, blank lines and a
    /// byte-order mark as it has them.
    #[test]
    fn a_line_read_again_at_its_offset_is_the_line_read_in_turn() {
        let long = "7,".repeat(40_000);
        let text = format!("\u{feff}h,x\r\n1,2\n\n  \n{long}\r\n3,4\nlast without end");
        let path = std::env::temp_dir().join(format!("sls-lines-at-{}", std::process::id()));
        std::fs::write(&path, &text).unwrap();
        let mut lines = LineReader::open(&path, "t.csv", "").unwrap();
        let mut seen = Vec::new();
        while lines.advance().unwrap() {
            seen.push((lines.offset(), lines.line().to_vec()));
        }
        assert_eq!(seen.len(), 5);
        assert_eq!(seen[0].1, b"h,x");
        let mut again = LineReader::open_scattered(&path, "t.csv", "").unwrap();
        for order in [vec![0, 1, 2, 3, 4], vec![4, 2, 0, 3, 1], vec![1, 1, 4, 4, 0]] {
            for at in order {
                let (offset, line) = &seen[at];
                assert!(again.line_at(*offset).unwrap());
                assert_eq!(again.line(), &line[..], "line {at}");
            }
        }
        assert!(!again.line_at(text.len() as u64).unwrap());
        // Far past the end, then back: still read where asked.
        assert!(!again.line_at(1 << 30).unwrap());
        assert!(again.line_at(seen[2].0).unwrap());
        assert_eq!(again.line(), &seen[2].1[..]);
        // A step `i64` cannot hold seeks from the start, which the system
        // refuses for such an offset: an input-output error naming the
        // file, then the reader still reads where asked.
        let error = again.line_at(u64::MAX).unwrap_err();
        assert!(
            matches!(error.kind(), super::super::error::TraceErrorKind::Io { .. }),
            "{error:?}"
        );
        assert!(error.to_string().contains("t.csv"), "{error}");
        assert!(again.line_at(seen[1].0).unwrap());
        assert_eq!(again.line(), &seen[1].1[..]);
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn read_line_reads_what_read_until_reads() {
        let long = "7,".repeat(5000);
        let text = format!("a,b\r\n{long}\n\n\nlast line without end");
        // A small buffer, so lines span several fills.
        let mut ours = BufReader::with_capacity(64, text.as_bytes());
        let mut std = BufReader::with_capacity(64, text.as_bytes());
        loop {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            let read = read_line(&mut ours, &mut a).expect("in memory");
            assert_eq!(read, std.read_until(b'\n', &mut b).expect("in memory"));
            assert_eq!(a, b);
            if read == 0 {
                break;
            }
        }
    }

    #[test]
    fn cells_carry_their_offsets() {
        let cells: Vec<(usize, &[u8])> = Cells::new(b"a,,bc").collect();
        assert_eq!(cells, vec![(0, &b"a"[..]), (2, &b""[..]), (3, &b"bc"[..])]);
    }

    #[test]
    fn quoted_cells_are_read_without_their_quotes() {
        let cells: Vec<(usize, &[u8])> = Cells::new(br#""a,b",x,"",1"#).collect();
        assert_eq!(
            cells,
            vec![(1, &b"a,b"[..]), (6, &b"x"[..]), (9, &b""[..]), (11, &b"1"[..])]
        );
        let last: Vec<(usize, &[u8])> = Cells::new(br#"1,"f""#).collect();
        assert_eq!(last, vec![(0, &b"1"[..]), (3, &b"f"[..])]);
        // A quote in a quoted cell is written twice, and read once as text.
        let doubled: Vec<(usize, &[u8])> = Cells::new(br#""a""b",x,"""c, d""""#).collect();
        assert_eq!(
            doubled,
            vec![(1, &br#"a""b"#[..]), (7, &b"x"[..]), (10, &br#"""c, d"""#[..])]
        );
        let texts: Vec<_> = doubled.iter().map(|(_, cell)| cell_text(cell)).collect();
        assert_eq!(texts, [r#"a"b"#, "x", r#""c, d""#]);
        // Quotes that do not close a cell are its own bytes, as written.
        let odd: Vec<(usize, &[u8])> = Cells::new(br#""a"b,x"y,"open"#).collect();
        assert_eq!(
            odd,
            vec![(0, &br#""a"b"#[..]), (5, &br#"x"y"#[..]), (9, &br#""open"#[..])]
        );
    }

    #[test]
    fn a_missing_cell_points_at_the_end_of_the_line() {
        let mut cells = Cells::new(b"1.5");
        assert_eq!(cells.non_negative("time", "h"), Ok(1.5));
        let bad = cells.non_negative("duration", "h").unwrap_err();
        assert_eq!((bad.fault, bad.start, bad.end), (RowFault::MissingColumn, 3, 3));
    }

    #[test]
    fn numbers_are_checked() {
        let mut cells = Cells::new(b"x,-1, 2 ,inf");
        assert_eq!(cells.non_negative("a", "h").unwrap_err().fault, RowFault::NotANumber);
        let bad = cells.non_negative("b", "h").unwrap_err();
        assert_eq!((bad.fault, bad.start, bad.end), (RowFault::NegativeValue, 2, 4));
        assert_eq!(cells.non_negative("c", "h"), Ok(2.0));
        assert_eq!(cells.non_negative("d", "h").unwrap_err().fault, RowFault::NotANumber);
    }

    #[test]
    fn the_fast_path_agrees_with_std() {
        let cases = [
            "0",
            "1",
            "0.1",
            "12.5",
            "3.14159",
            "123456.789012",
            "0.30000000000000004",
            "9007199254740993",
            "1.",
            ".5",
            "86399.999999",
            "1e3",
            "-2.5",
            "00012.0100",
        ];
        for case in cases {
            let want: f64 = case.parse().unwrap();
            assert_eq!(
                parse_f64(case.as_bytes()).map(f64::to_bits),
                Some(want.to_bits()),
                "{case}"
            );
        }
        assert_eq!(parse_f64(b"."), None);
        assert_eq!(parse_f64(b"1.2.3"), None);
    }

    #[test]
    fn counts_are_whole_numbers() {
        assert_eq!(parse_count(b"42"), Some(42));
        assert_eq!(parse_count(b" 7 "), Some(7));
        assert_eq!(parse_count(b""), None);
        assert_eq!(parse_count(b"1.5"), None);
        assert_eq!(parse_count(b"-1"), None);
        assert_eq!(parse_count(b"99999999999"), None);
        assert_eq!(parse_count(b"4294967295"), Some(u32::MAX));
        assert_eq!(parse_count(b"4294967296"), None);
    }
}

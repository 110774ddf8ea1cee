//! `invocations.csv`, streamed: each record is formatted into a buffer as
//! it arrives and flushed in large writes, so memory does not grow with the
//! number of invocations. Dates are written in seconds rounded to the
//! nanosecond (finer is noise for any platform), without trailing zeros:
//! short rows, and the same bytes on every run.

use std::io::{self, Write};

use super::cost::nanoseconds;
use super::record::{Cause, InvocationRecord, Names, StartKind, Startup};

/// The file's name in a run's folder.
pub const INVOCATIONS: &str = "invocations.csv";

/// The header line.
pub const HEADER: &str =
    "id,function,service,submit,dispatch,start,end,finish,node,status,cause,container,startup,instance\n";

/// Writes records as CSV rows to `W`.
pub struct CsvWriter<W: Write> {
    out: W,
    /// Rows formatted and not yet written: `buffer[..filled]`. The buffer
    /// is [`FLUSH_AT`] plus a row's room long, so a row always fits and a
    /// cell is copied whole (its [`CELL`] bytes) without growing anything.
    buffer: Vec<u8>,
    filled: usize,
    floats: ryu::Buffer,
    /// Names with CSV quoting applied where a name needs it.
    functions: Vec<Name>,
    services: Vec<Name>,
    hosts: Vec<Name>,
    /// The words of the status columns, by the enums' order.
    causes: Vec<Name>,
    kinds: Vec<Name>,
    startups: Vec<Name>,
}

/// Bytes collected before a write to the underlying output.
const FLUSH_AT: usize = 1 << 20;

/// Room for a row whose names are all short: its 14 cells and 14
/// separators, and the [`CELL`] bytes the last copy may pass its end by.
const SHORT_ROW: usize = 16 * CELL;

impl<W: Write> CsvWriter<W> {
    /// A writer that has written the header.
    pub fn new(out: W) -> Self {
        let mut buffer = vec![0; FLUSH_AT.max(HEADER.len()) + SHORT_ROW];
        buffer[..HEADER.len()].copy_from_slice(HEADER.as_bytes());
        let words = |names: &mut dyn Iterator<Item = &'static str>| names.map(Name::new).collect();
        CsvWriter {
            out,
            buffer,
            filled: HEADER.len(),
            floats: ryu::Buffer::new(),
            functions: Vec::new(),
            services: Vec::new(),
            hosts: Vec::new(),
            causes: words(&mut Cause::ALL.iter().map(|c| c.name())),
            kinds: words(&mut StartKind::ALL.iter().map(|k| k.name())),
            startups: words(&mut Startup::ALL.iter().map(|s| s.name())),
        }
    }

    /// The names rows refer to by index.
    pub fn set_names(&mut self, names: &Names) {
        let quote = |names: &[String]| names.iter().map(|n| Name::new(&quote(n))).collect();
        self.functions = quote(&names.functions);
        self.services = quote(&names.services);
        self.hosts = quote(&names.hosts);
        // A row holds one name of each list: room for the longest.
        let longest = |names: &[Name]| names.iter().map(Name::len).max().unwrap_or(0);
        let room = SHORT_ROW + longest(&self.functions) + longest(&self.services) + longest(&self.hosts);
        // Exactly: `resize` alone would double the megabyte's capacity.
        let length = FLUSH_AT.max(self.filled) + room;
        self.buffer.reserve_exact(length.saturating_sub(self.buffer.len()));
        self.buffer.resize(length, 0);
    }

    /// Appends one row. Every cell is copied as a [`Cell`]: one copy of a
    /// fixed size into the buffer's room, where copies of each cell's own
    /// length were calls to `memcpy`, which cost more than the formatting.
    pub fn write(&mut self, r: &InvocationRecord) -> io::Result<()> {
        let mut row = Row {
            bytes: &mut self.buffer,
            at: self.filled,
        };
        row.cell(&Cell::integer(r.id));
        row.byte(b',');
        row.name(name(&self.functions, r.function));
        row.byte(b',');
        row.name(name(&self.services, r.service));
        // A date equal to the one before it (dispatch at submission, start
        // at dispatch, finish at end: most rows) is the same cell, kept
        // rather than formatted again (NaN: equal to no date).
        let (mut previous, mut cell) = (f64::NAN, Cell::EMPTY);
        for date in [Some(r.submit), r.dispatch, r.start, r.end, Some(r.finish)] {
            row.byte(b',');
            let Some(t) = date else { continue };
            if t != previous {
                cell = date_cell(&mut self.floats, t);
                previous = t;
            }
            row.cell(&cell);
        }
        row.byte(b',');
        if let Some(node) = r.node {
            row.name(name(&self.hosts, node));
        }
        row.text(if r.succeeded() { b",success," } else { b",failure," });
        if let Some(cause) = r.cause {
            row.name(&self.causes[cause as usize]);
        }
        row.byte(b',');
        if let Some(kind) = r.start_kind {
            row.name(&self.kinds[kind as usize]);
        }
        row.byte(b',');
        if let Some(startup) = r.startup {
            row.name(&self.startups[startup as usize]);
        }
        row.byte(b',');
        if let Some(instance) = r.instance {
            row.cell(&Cell::integer(instance));
        }
        row.byte(b'\n');
        self.filled = row.at;
        if self.filled >= FLUSH_AT {
            self.out.write_all(&self.buffer[..self.filled])?;
            self.filled = 0;
        }
        Ok(())
    }

    /// Writes what is buffered and returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(&self.buffer[..self.filled])?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// A row being formatted into the buffer's room, from `at`.
struct Row<'a> {
    bytes: &'a mut [u8],
    at: usize,
}

impl Row<'_> {
    fn byte(&mut self, byte: u8) {
        self.bytes[self.at] = byte;
        self.at += 1;
    }

    fn text(&mut self, text: &[u8]) {
        self.bytes[self.at..self.at + text.len()].copy_from_slice(text);
        self.at += text.len();
    }

    /// Copies all of `cell`'s bytes, then keeps its length's.
    fn cell(&mut self, cell: &Cell) {
        self.bytes[self.at..self.at + CELL].copy_from_slice(&cell.bytes);
        self.at += cell.len;
    }

    fn name(&mut self, name: &Name) {
        match name {
            Name::Short(cell) => self.cell(cell),
            Name::Long(text) => self.text(text),
        }
    }
}

fn name(names: &[Name], index: u32) -> &Name {
    names.get(index as usize).unwrap_or(&Name::Short(Cell::EMPTY))
}

/// Bytes a [`Cell`] holds: more than any date or integer takes (ryu's
/// longest text is 24 bytes) and than most names.
const CELL: usize = 32;

/// A short text, appended with one copy of [`CELL`] bytes whatever its
/// length.
#[derive(Debug, Clone, Copy)]
struct Cell {
    bytes: [u8; CELL],
    len: usize,
}

/// A name or word of the rows: a [`Cell`] when it fits one.
#[derive(Debug, Clone)]
enum Name {
    Short(Cell),
    Long(Box<[u8]>),
}

impl Name {
    fn new(text: &str) -> Name {
        match Cell::new(text.as_bytes()) {
            Some(cell) => Name::Short(cell),
            None => Name::Long(text.as_bytes().into()),
        }
    }

    /// The bytes it takes in a row.
    fn len(&self) -> usize {
        match self {
            Name::Short(cell) => cell.len,
            Name::Long(text) => text.len(),
        }
    }
}

impl Cell {
    const EMPTY: Cell = Cell {
        bytes: [0; CELL],
        len: 0,
    };

    /// `text` as a cell, if it fits one.
    fn new(text: &[u8]) -> Option<Cell> {
        let mut cell = Cell::EMPTY;
        cell.bytes.get_mut(..text.len())?.copy_from_slice(text);
        cell.len = text.len();
        Some(cell)
    }

    /// A whole number's digits.
    fn integer(n: u64) -> Cell {
        let mut cell = Cell::EMPTY;
        cell.len = put_integer(&mut cell.bytes, n);
        cell
    }

    #[cfg(test)]
    fn text(&self) -> String {
        String::from_utf8(self.bytes[..self.len].to_vec()).unwrap()
    }
}

/// A date as its shortest round-trip decimal; integers without `.0`.
pub fn format_float(buffer: &mut ryu::Buffer, value: f64) -> &str {
    let text = buffer.format(value);
    text.strip_suffix(".0").unwrap_or(text)
}

/// A date as `invocations.csv` writes it, as a string.
pub fn date_text(floats: &mut ryu::Buffer, t: f64) -> String {
    let cell = date_cell(floats, t);
    String::from_utf8_lossy(&cell.bytes[..cell.len]).into_owned()
}

/// A date in seconds rounded to the nanosecond: `12`, `7.412631347`.
/// Dates beyond a century of simulated time keep their shortest form.
fn date_cell(floats: &mut ryu::Buffer, t: f64) -> Cell {
    const NANOS: u64 = 1_000_000_000;
    if !(0.0..4e18).contains(&(t * 1e9)) {
        // At most 24 bytes (`-1.2345678901234567e-308`): it fits a cell.
        return Cell::new(format_float(floats, t).as_bytes()).unwrap_or(Cell::EMPTY);
    }
    let nanos = nanoseconds(t);
    // The fraction fits 32 bits, whose divisions are cheaper.
    let fraction = (nanos % NANOS) as u32;
    let mut cell = Cell::EMPTY;
    let mut len = put_integer(&mut cell.bytes, nanos / NANOS);
    if fraction != 0 {
        // The point, the first of nine digits, then the other eight at once,
        // less their trailing zeros (the digits' highest zero bytes).
        let rest = eight_digits(fraction % E8);
        cell.bytes[len] = b'.';
        cell.bytes[len + 1] = b'0' + (fraction / E8) as u8;
        cell.bytes[len + 2..len + 10].copy_from_slice(&(rest + ASCII_ZEROS).to_le_bytes());
        len += 10 - (rest.leading_zeros() / 8) as usize;
    }
    cell.len = len;
    cell
}

const E8: u32 = 100_000_000;

/// `b'0'` in each byte of a `u64`: digits 0..=9 to their characters.
const ASCII_ZEROS: u64 = 0x3030_3030_3030_3030;

/// Writes `n`'s decimal digits at the start of `out` (at least 20 + 8
/// bytes long); returns how many.
fn put_integer(out: &mut [u8], n: u64) -> usize {
    const E8_64: u64 = E8 as u64;
    if n < E8_64 {
        return put_short(out, n as u32);
    }
    let mut len = if n < E8_64 * E8_64 {
        put_short(out, (n / E8_64) as u32)
    } else {
        // Up to 20 digits: at most 4, then 8, then 8.
        let len = put_short(out, (n / (E8_64 * E8_64)) as u32);
        out[len..len + 8].copy_from_slice(&(eight_digits((n / E8_64 % E8_64) as u32) + ASCII_ZEROS).to_le_bytes());
        len + 8
    };
    out[len..len + 8].copy_from_slice(&(eight_digits((n % E8_64) as u32) + ASCII_ZEROS).to_le_bytes());
    len += 8;
    len
}

/// Writes the digits of `n` (below 10^8) at the start of `out` (eight
/// bytes are written); returns how many. The leading zeros of its eight
/// digits are their lowest zero bytes, shifted out.
fn put_short(out: &mut [u8], n: u32) -> usize {
    let digits = eight_digits(n);
    let zeros = (digits.trailing_zeros() / 8).min(7);
    out[..8].copy_from_slice(&((digits + ASCII_ZEROS) >> (8 * zeros)).to_le_bytes());
    8 - zeros as usize
}

/// The eight decimal digits of `n` (below 10^8, with leading zeros), one
/// per byte as values 0..=9, the first in the lowest byte: four digits per
/// 32-bit half, split into pairs per 16-bit quarter, then into digits per
/// byte, all halves at once (multiplications by reciprocals: x * 10486 >>
/// 20 is x / 100 below 10^4, x * 103 >> 10 is x / 10 below 100).
fn eight_digits(n: u32) -> u64 {
    let halves = u64::from(n / 10_000) | (u64::from(n % 10_000) << 32);
    let hundreds = ((halves * 10_486) >> 20) & 0x0000_007f_0000_007f;
    let pairs = ((halves - 100 * hundreds) << 16) + hundreds;
    let tens = ((pairs * 103) >> 10) & 0x000f_000f_000f_000f;
    ((pairs - 10 * tens) << 8) + tens
}

/// CSV quoting (RFC 4180) for names with commas, quotes or new lines.
pub fn quote(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::{CELL, Cell, Name, Row, date_text};

    fn put(name: &Name) -> String {
        let mut bytes = vec![0; 64 + CELL];
        let mut row = Row {
            bytes: &mut bytes,
            at: 0,
        };
        row.text(b"x,");
        row.name(name);
        let at = row.at;
        String::from_utf8(bytes[..at].to_vec()).unwrap()
    }

    #[test]
    fn integers_are_their_decimal_digits() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let powers = (0..20).flat_map(|e| {
            let p = 10u64.pow(e);
            [p - 1, p, p + 1]
        });
        let random = std::iter::repeat_with(move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x >> (x % 64)
        });
        for n in [0, 7, 99, 8_640_001, u64::MAX]
            .into_iter()
            .chain(powers)
            .chain(random.take(20_000))
        {
            assert_eq!(Cell::integer(n).text(), n.to_string());
        }
    }

    #[test]
    fn names_of_any_length_are_copied_whole() {
        for name in ["", "f", "a00610/f0", &"n".repeat(32), &"long".repeat(9)] {
            assert_eq!(put(&Name::new(name)), format!("x,{name}"));
        }
    }

    fn date(t: f64) -> String {
        date_text(&mut ryu::Buffer::new(), t)
    }

    #[test]
    fn dates_are_rounded_to_the_nanosecond_without_trailing_zeros() {
        assert_eq!(date(0.0), "0");
        assert_eq!(date(15.0), "15");
        assert_eq!(date(0.5), "0.5");
        assert_eq!(date(7.412631347030619), "7.412631347");
        assert_eq!(date(1.000000001), "1.000000001");
        assert_eq!(date(0.00002), "0.00002");
        assert_eq!(date(86400.25), "86400.25");
        assert_eq!(date(1e300), "1e300");
    }

    #[test]
    fn dates_match_seconds_and_zero_padded_nanoseconds() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Dates from nanoseconds to days, some on whole seconds.
            let nanos = (x >> (x % 40 + 4)) / if x.is_multiple_of(5) { 1_000_000_000 } else { 1 };
            let t = nanos as f64 / 1e9;
            let n = (t * 1e9).round() as u64;
            let expected = format!("{}.{:09}", n / 1_000_000_000, n % 1_000_000_000);
            let expected = expected.trim_end_matches('0').trim_end_matches('.');
            assert_eq!(date(t), expected, "{t}");
        }
    }
}

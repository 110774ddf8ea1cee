//! `invocations.csv`, streamed: each record is formatted into a buffer as
//! it arrives and flushed in large writes, so memory does not grow with the
//! number of invocations. Dates are written in seconds rounded to the
//! nanosecond (finer is noise for any platform), without trailing zeros:
//! short rows, and the same bytes on every run.

use std::io::{self, Write};

use super::record::{Cause, InvocationRecord, Names, StartKind, Startup};

/// The file's name in a run's folder.
pub const INVOCATIONS: &str = "invocations.csv";

/// The header line.
pub const HEADER: &str =
    "id,function,service,submit,dispatch,start,end,finish,node,status,cause,container,startup,instance\n";

/// Writes records as CSV rows to `W`.
pub struct CsvWriter<W: Write> {
    out: W,
    buffer: Vec<u8>,
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

impl<W: Write> CsvWriter<W> {
    /// A writer that has written the header.
    pub fn new(out: W) -> Self {
        let mut buffer = Vec::with_capacity(FLUSH_AT + 4096);
        buffer.extend_from_slice(HEADER.as_bytes());
        let words = |names: &mut dyn Iterator<Item = &'static str>| names.map(Name::new).collect();
        CsvWriter {
            out,
            buffer,
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
    }

    /// Appends one row. Every cell is appended as a [`Cell`]: one copy of a
    /// fixed size, where copies of each cell's own length were calls to
    /// `memcpy`, which cost more than the formatting.
    pub fn write(&mut self, r: &InvocationRecord) -> io::Result<()> {
        let b = &mut self.buffer;
        Cell::integer(r.id).put(b);
        b.push(b',');
        name(&self.functions, r.function).put(b);
        b.push(b',');
        name(&self.services, r.service).put(b);
        // A date equal to the one before it (dispatch at submission, start
        // at dispatch, finish at end: most rows) is the same cell, kept in
        // place rather than copied along (NaN: equal to no date).
        let (mut previous, mut cell) = (f64::NAN, Cell::EMPTY);
        for date in [Some(r.submit), r.dispatch, r.start, r.end, Some(r.finish)] {
            b.push(b',');
            let Some(t) = date else { continue };
            if t != previous {
                cell = date_cell(&mut self.floats, t);
                previous = t;
            }
            cell.put(b);
        }
        b.push(b',');
        if let Some(node) = r.node {
            name(&self.hosts, node).put(b);
        }
        b.extend_from_slice(if r.succeeded() { b",success," } else { b",failure," });
        if let Some(cause) = r.cause {
            self.causes[cause as usize].put(b);
        }
        b.push(b',');
        if let Some(kind) = r.start_kind {
            self.kinds[kind as usize].put(b);
        }
        b.push(b',');
        if let Some(startup) = r.startup {
            self.startups[startup as usize].put(b);
        }
        b.push(b',');
        if let Some(instance) = r.instance {
            Cell::integer(instance).put(b);
        }
        b.push(b'\n');
        if self.buffer.len() >= FLUSH_AT {
            self.out.write_all(&self.buffer)?;
            self.buffer.clear();
        }
        Ok(())
    }

    /// Writes what is buffered and returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.write_all(&self.buffer)?;
        self.out.flush()?;
        Ok(self.out)
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

    fn put(&self, out: &mut Vec<u8>) {
        match self {
            Name::Short(cell) => cell.put(out),
            Name::Long(text) => out.extend_from_slice(text),
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

    /// The cell of `text[start..end]`, at most `CELL` bytes, from a scratch
    /// array long enough that a copy of `CELL` bytes from `start` fits.
    fn window(text: &[u8; SCRATCH], start: usize, end: usize) -> Cell {
        let mut cell = Cell::EMPTY;
        cell.bytes.copy_from_slice(&text[start..start + CELL]);
        cell.len = end - start;
        cell
    }

    /// A whole number's digits.
    fn integer(mut n: u64) -> Cell {
        // At most 20 digits, ending at index 20.
        let mut text = [b'0'; SCRATCH];
        let mut start = 20;
        while n >= 100 {
            start -= 2;
            text[start..start + 2].copy_from_slice(two_digits((n % 100) as u32));
            n /= 100;
        }
        if n >= 10 {
            start -= 2;
            text[start..start + 2].copy_from_slice(two_digits(n as u32));
        } else {
            start -= 1;
            text[start] = b'0' + n as u8;
        }
        Cell::window(&text, start, 20)
    }

    fn put(&self, out: &mut Vec<u8>) {
        let at = out.len();
        out.extend_from_slice(&self.bytes);
        out.truncate(at + self.len);
    }
}

/// Scratch bytes a cell is formatted in before [`Cell::window`] copies it.
const SCRATCH: usize = 20 + CELL;

/// A date as its shortest round-trip decimal; integers without `.0`.
pub fn format_float(buffer: &mut ryu::Buffer, value: f64) -> &str {
    let text = buffer.format(value);
    text.strip_suffix(".0").unwrap_or(text)
}

/// A date as `invocations.csv` writes it, as a string.
pub fn date_text(floats: &mut ryu::Buffer, t: f64) -> String {
    let mut out = Vec::new();
    date_cell(floats, t).put(&mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// A date in seconds rounded to the nanosecond: `12`, `7.412631347`.
/// Dates beyond a century of simulated time keep their shortest form.
fn date_cell(floats: &mut ryu::Buffer, t: f64) -> Cell {
    const NANOS: u64 = 1_000_000_000;
    let x = t * 1e9;
    if !(0.0..4e18).contains(&x) {
        // At most 24 bytes (`-1.2345678901234567e-308`): it fits a cell.
        return Cell::new(format_float(floats, t).as_bytes()).unwrap_or(Cell::EMPTY);
    }
    // Rounded half up by hand: `f64::round` is a library call on the
    // baseline x86-64 target, and this runs four times per row. Below 4e18
    // the signed conversion is exact and cheaper than the unsigned one.
    let whole = x as i64 as u64;
    let nanos = whole + u64::from(x - whole as f64 >= 0.5);
    // Both parts fit 32 bits (seconds below 4e9), whose divisions are cheaper.
    let (mut seconds, mut fraction) = ((nanos / NANOS) as u32, (nanos % NANOS) as u32);
    // The seconds' digits end at index 10 (at most ten of them), the point
    // and nine fraction digits follow; written two digits at a time from a
    // table.
    let mut text = [b'0'; SCRATCH];
    let mut start = 10;
    while seconds >= 100 {
        start -= 2;
        text[start..start + 2].copy_from_slice(two_digits(seconds % 100));
        seconds /= 100;
    }
    if seconds >= 10 {
        start -= 2;
        text[start..start + 2].copy_from_slice(two_digits(seconds));
    } else {
        start -= 1;
        text[start] = b'0' + seconds as u8;
    }
    let mut end = 10;
    if fraction != 0 {
        text[10] = b'.';
        for pair in (11..19).step_by(2).rev() {
            text[pair + 1..pair + 3].copy_from_slice(two_digits(fraction % 100));
            fraction /= 100;
        }
        text[11] = b'0' + fraction as u8;
        end = 20;
        while text[end - 1] == b'0' {
            end -= 1;
        }
    }
    Cell::window(&text, start, end)
}

/// The two decimal digits of `n` (below 100).
fn two_digits(n: u32) -> &'static [u8] {
    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";
    &PAIRS[2 * n as usize..2 * n as usize + 2]
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
    use super::{Cell, Name, date_text};

    fn put(name: &Name) -> String {
        let mut out = b"x,".to_vec();
        name.put(&mut out);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn integers_are_their_decimal_digits() {
        for n in [0, 7, 9, 10, 99, 100, 101, 8_640_001, 10u64.pow(19), u64::MAX] {
            let mut out = Vec::new();
            Cell::integer(n).put(&mut out);
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string());
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

//! `invocations.csv`, streamed: each record is formatted into a buffer as
//! it arrives and flushed in large writes, so memory does not grow with the
//! number of invocations. Dates are written in seconds rounded to the
//! nanosecond (finer is noise for any platform), without trailing zeros:
//! short rows, and the same bytes on every run.

use std::io::{self, Write};

use super::record::{InvocationRecord, Names};

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
    ints: itoa::Buffer,
    /// Names with CSV quoting applied where a name needs it.
    functions: Vec<String>,
    services: Vec<String>,
    hosts: Vec<String>,
}

/// Bytes collected before a write to the underlying output.
const FLUSH_AT: usize = 1 << 20;

impl<W: Write> CsvWriter<W> {
    /// A writer that has written the header.
    pub fn new(out: W) -> Self {
        let mut buffer = Vec::with_capacity(FLUSH_AT + 4096);
        buffer.extend_from_slice(HEADER.as_bytes());
        CsvWriter {
            out,
            buffer,
            floats: ryu::Buffer::new(),
            ints: itoa::Buffer::new(),
            functions: Vec::new(),
            services: Vec::new(),
            hosts: Vec::new(),
        }
    }

    /// The names rows refer to by index.
    pub fn set_names(&mut self, names: &Names) {
        let quote = |names: &[String]| names.iter().map(|n| quote(n)).collect();
        self.functions = quote(&names.functions);
        self.services = quote(&names.services);
        self.hosts = quote(&names.hosts);
    }

    /// Appends one row.
    pub fn write(&mut self, r: &InvocationRecord) -> io::Result<()> {
        let b = &mut self.buffer;
        b.extend_from_slice(self.ints.format(r.id).as_bytes());
        b.push(b',');
        b.extend_from_slice(name(&self.functions, r.function).as_bytes());
        b.push(b',');
        b.extend_from_slice(name(&self.services, r.service).as_bytes());
        // A date equal to the one before it (dispatch at submission, start
        // at dispatch, finish at end: most rows) copies its digits.
        let mut previous: Option<(f64, std::ops::Range<usize>)> = None;
        for date in [Some(r.submit), r.dispatch, r.start, r.end, Some(r.finish)] {
            b.push(b',');
            let Some(t) = date else { continue };
            let from = b.len();
            match previous {
                Some((p, text)) if p == t => b.extend_from_within(text),
                _ => write_date(b, &mut self.floats, t),
            }
            previous = Some((t, from..b.len()));
        }
        b.push(b',');
        if let Some(node) = r.node {
            b.extend_from_slice(name(&self.hosts, node).as_bytes());
        }
        b.extend_from_slice(if r.succeeded() { b",success," } else { b",failure," });
        if let Some(cause) = r.cause {
            b.extend_from_slice(cause.name().as_bytes());
        }
        b.push(b',');
        if let Some(kind) = r.start_kind {
            b.extend_from_slice(kind.name().as_bytes());
        }
        b.push(b',');
        if let Some(startup) = r.startup {
            b.extend_from_slice(startup.name().as_bytes());
        }
        b.push(b',');
        if let Some(instance) = r.instance {
            b.extend_from_slice(self.ints.format(instance).as_bytes());
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

fn name(names: &[String], index: u32) -> &str {
    names.get(index as usize).map_or("", String::as_str)
}

/// A date as its shortest round-trip decimal; integers without `.0`.
pub fn format_float(buffer: &mut ryu::Buffer, value: f64) -> &str {
    let text = buffer.format(value);
    text.strip_suffix(".0").unwrap_or(text)
}

/// A date as `write_date` writes it, as a string.
pub fn date_text(floats: &mut ryu::Buffer, t: f64) -> String {
    let mut out = Vec::new();
    write_date(&mut out, floats, t);
    String::from_utf8(out).unwrap_or_default()
}

/// Appends a date in seconds rounded to the nanosecond: `12`, `7.412631347`.
/// Dates beyond a century of simulated time keep their shortest form.
fn write_date(out: &mut Vec<u8>, floats: &mut ryu::Buffer, t: f64) {
    const NANOS: u64 = 1_000_000_000;
    let x = t * 1e9;
    if !(0.0..4e18).contains(&x) {
        out.extend_from_slice(format_float(floats, t).as_bytes());
        return;
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
    // table, copied out once.
    let mut text = [b'0'; 20];
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
    out.extend_from_slice(&text[start..end]);
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
    use super::write_date;

    fn date(t: f64) -> String {
        let mut out = Vec::new();
        write_date(&mut out, &mut ryu::Buffer::new(), t);
        String::from_utf8(out).unwrap()
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

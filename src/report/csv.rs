//! `invocations.csv`, streamed: each record is formatted into a buffer as
//! it arrives and flushed in large writes, so memory does not grow with the
//! number of invocations. Dates are written in seconds rounded to the
//! nanosecond (finer is noise for any platform), without trailing zeros:
//! short rows, and the same bytes on every run.

use std::io::{self, Write};

use super::record::{Cause, InvocationRecord, Names, StartKind, Startup};

mod dates;
mod digits;

use dates::{Date, Dates};
pub use dates::{as_read_back, date_text, format_float};

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
    dates: Dates,
    /// Names with CSV quoting applied where a name needs it, each with the
    /// comma that follows it in a row.
    functions: Vec<Name>,
    services: Vec<Name>,
    hosts: Vec<Name>,
    /// The status, cause, container and startup columns, with their commas,
    /// by [`tail`]: one copy for four cells.
    tails: Vec<Name>,
}

/// Bytes collected before a write to the underlying output.
const FLUSH_AT: usize = 1 << 20;

/// Room for a row whose names are all short: its 14 cells and 14
/// separators, and the [`CELL`] bytes the last copy may pass its end by.
const SHORT_ROW: usize = 16 * CELL;

/// A cell of the missing value: its comma alone.
const COMMA: Name = Name::Short(Cell {
    bytes: *b",\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
    len: 1,
});

impl<W: Write> CsvWriter<W> {
    /// A writer that has written the header.
    pub fn new(out: W) -> Self {
        let mut buffer = vec![0; FLUSH_AT.max(HEADER.len()) + SHORT_ROW];
        buffer[..HEADER.len()].copy_from_slice(HEADER.as_bytes());
        CsvWriter {
            out,
            buffer,
            filled: HEADER.len(),
            floats: ryu::Buffer::new(),
            dates: Dates::new(),
            functions: Vec::new(),
            services: Vec::new(),
            hosts: Vec::new(),
            tails: tails(),
        }
    }

    /// The names rows refer to by index.
    pub fn set_names(&mut self, names: &Names) {
        let quote = |names: &[String]| names.iter().map(|n| Name::new(&(quote(n) + ","))).collect();
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

    /// Appends one row. Every cell is copied as a `Cell`: one copy of a
    /// fixed size into the buffer's room, where copies of each cell's own
    /// length were calls to `memcpy`, which cost more than the formatting.
    /// Each cell carries the comma after it. Inlined into the loop over a
    /// batch's records (its one caller on the writer's thread).
    #[inline(always)]
    pub fn write(&mut self, r: &InvocationRecord) -> io::Result<()> {
        let mut row = Row {
            bytes: &mut self.buffer,
            at: self.filled,
        };
        row.integer(r.id);
        row.byte(b',');
        row.name(name(&self.functions, Some(r.function)));
        row.name(name(&self.services, Some(r.service)));
        // A date equal to the one before it (dispatch at submission, start
        // at dispatch, finish at end: most rows) is the same text, kept
        // rather than formatted again (NaN: equal to no date).
        let mut last = (f64::NAN, Date::default());
        row.date(&mut self.dates, &mut self.floats, &mut last, Some(r.submit));
        row.date(&mut self.dates, &mut self.floats, &mut last, r.dispatch);
        row.date(&mut self.dates, &mut self.floats, &mut last, r.start);
        row.date(&mut self.dates, &mut self.floats, &mut last, r.end);
        row.date(&mut self.dates, &mut self.floats, &mut last, Some(r.finish));
        row.name(name(&self.hosts, r.node));
        row.name(&self.tails[tail(r.cause, r.start_kind, r.startup)]);
        if let Some(instance) = r.instance {
            row.integer(instance);
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

/// The index in [`tails`] of a row's last four columns but one.
fn tail(cause: Option<Cause>, kind: Option<StartKind>, startup: Option<Startup>) -> usize {
    let index = |i: Option<usize>| i.map_or(0, |i| i + 1);
    let kinds = StartKind::ALL.len() + 1;
    let startups = Startup::ALL.len() + 1;
    (index(cause.map(|c| c as usize)) * kinds + index(kind.map(|k| k as usize))) * startups
        + index(startup.map(|s| s as usize))
}

/// Every status, cause, container and startup as they are written, with
/// their commas (`success,,cold,container,`), at their [`tail`].
fn tails() -> Vec<Name> {
    let all = |n: usize| std::iter::once(None).chain((0..n).map(Some));
    let mut tails = vec![COMMA; tail(Some(Cause::NotRun), Some(StartKind::Prewarmed), Some(Startup::Fork)) + 1];
    for cause in all(Cause::ALL.len()).map(|c| c.map(|c| Cause::ALL[c])) {
        for kind in all(StartKind::ALL.len()).map(|k| k.map(|k| StartKind::ALL[k])) {
            for startup in all(Startup::ALL.len()).map(|s| s.map(|s| Startup::ALL[s])) {
                tails[tail(cause, kind, startup)] = Name::new(&format!(
                    "{},{},{},{},",
                    if cause.is_none() { "success" } else { "failure" },
                    cause.map_or("", Cause::name),
                    kind.map_or("", StartKind::name),
                    startup.map_or("", Startup::name),
                ));
            }
        }
    }
    tails
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

    /// A whole number's digits, in place.
    fn integer(&mut self, n: u64) {
        self.at += digits::put_integer(&mut self.bytes[self.at..self.at + CELL], n);
    }

    /// Date `t` and its comma; `last` is the date before it in the row and
    /// its text, which a date equal to it repeats.
    #[inline(always)]
    fn date(&mut self, dates: &mut Dates, floats: &mut ryu::Buffer, last: &mut (f64, Date), t: Option<f64>) {
        if let Some(t) = t {
            if t != last.0 {
                *last = (t, dates.put(floats, t));
            }
            let room = self.bytes[self.at..self.at + CELL]
                .first_chunk_mut()
                .expect("a cell's room");
            self.at += last.1.write(room);
        }
        self.byte(b',');
    }
}

/// Name `index` of `names` with its comma (a comma alone for none).
fn name(names: &[Name], index: Option<u32>) -> &Name {
    index.and_then(|i| names.get(i as usize)).unwrap_or(&COMMA)
}

/// Bytes a [`Cell`] holds: more than any date with its comma or integer
/// takes (ryu's longest text is 24 bytes) and than most names.
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
        let text = text.as_bytes();
        if text.len() <= CELL {
            let mut bytes = [0; CELL];
            bytes[..text.len()].copy_from_slice(text);
            Name::Short(Cell { bytes, len: text.len() })
        } else {
            Name::Long(text.into())
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
    use super::{CELL, CsvWriter, HEADER, Name, Row};
    use crate::report::record::{Cause, InvocationRecord, Names, StartKind, Startup};

    fn record(id: u64) -> InvocationRecord {
        InvocationRecord {
            id,
            function: 1,
            service: 0,
            submit: 1.5,
            dispatch: Some(1.5),
            start: Some(2.000000001),
            end: Some(3.25),
            finish: 3.25,
            node: Some(0),
            cause: None,
            start_kind: Some(StartKind::Cold),
            startup: Some(Startup::Container),
            instance: None,
            cores: 1.0,
        }
    }

    fn rows(records: &[InvocationRecord]) -> String {
        let names = Names {
            functions: vec!["f,1".into(), "g".into()],
            function_services: vec![0, 0],
            services: vec!["s".into()],
            hosts: vec!["n1".into(), "h".repeat(40)],
            workflows: Vec::new(),
        };
        let mut csv = CsvWriter::new(Vec::new());
        csv.set_names(&names);
        for r in records {
            csv.write(r).unwrap();
        }
        String::from_utf8(csv.finish().unwrap()).unwrap()
    }

    #[test]
    fn rows_are_their_cells_with_commas() {
        let failure = InvocationRecord {
            id: 123_456_789_012,
            function: 0,
            submit: 0.0,
            dispatch: None,
            start: None,
            end: None,
            finish: 4.0,
            node: Some(1),
            cause: Some(Cause::ImageDownloadFailure),
            start_kind: Some(StartKind::Prewarmed),
            startup: Some(Startup::Fork),
            instance: Some(42),
            ..record(0)
        };
        let unknown = InvocationRecord {
            function: 9,
            node: None,
            start_kind: None,
            startup: None,
            ..record(8)
        };
        assert_eq!(
            rows(&[record(7), failure, unknown]),
            format!(
                "{HEADER}7,g,s,1.5,1.5,2.000000001,3.25,3.25,n1,success,,cold,container,\n\
                 123456789012,\"f,1\",s,0,,,,4,{},failure,image_download_failure,prewarmed,fork,42\n\
                 8,,s,1.5,1.5,2.000000001,3.25,3.25,,success,,,,\n",
                "h".repeat(40)
            )
        );
    }

    #[test]
    fn every_status_cause_container_and_startup_is_written_as_named() {
        let all = |n: usize| std::iter::once(None).chain((0..n).map(Some));
        for cause in all(Cause::ALL.len()).map(|c| c.map(|c| Cause::ALL[c])) {
            for kind in all(StartKind::ALL.len()).map(|k| k.map(|k| StartKind::ALL[k])) {
                for startup in all(Startup::ALL.len()).map(|s| s.map(|s| Startup::ALL[s])) {
                    let r = InvocationRecord {
                        cause,
                        start_kind: kind,
                        startup,
                        ..record(1)
                    };
                    let row = rows(&[r]);
                    let columns: Vec<&str> = row.lines().nth(1).unwrap().split(',').skip(9).collect();
                    let status = if cause.is_some() { "failure" } else { "success" };
                    let expected = [
                        status,
                        cause.map_or("", Cause::name),
                        kind.map_or("", StartKind::name),
                        startup.map_or("", Startup::name),
                        "",
                    ];
                    assert_eq!(columns, expected);
                }
            }
        }
    }

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
    fn names_of_any_length_are_copied_whole() {
        for name in ["", "f", "a00610/f0", &"n".repeat(32), &"long".repeat(9)] {
            assert_eq!(put(&Name::new(name)), format!("x,{name}"));
        }
    }
}

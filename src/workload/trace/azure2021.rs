//! The Azure Functions 2021 trace: header `app,func,end_timestamp,duration`,
//! one row per invocation, times in seconds, rows sorted by *end* time.
//!
//! An invocation arrives at `end_timestamp - duration`, so rows are not in
//! arrival order. The reader restores the order with a bounded reorder buffer:
//!
//! * While scanning, it computes the lag `L = max_j (M_(j-1) - s_j)`, where
//!   `s_j` is row j's start and `M_(j-1)` the largest end time of the rows
//!   before it. `L` is at most the longest duration in the file (it equals it
//!   when rows are exactly sorted by end time), and it also absorbs rows that
//!   are only roughly sorted by end time.
//! * While replaying, after reading rows up to j, no later row can start before
//!   `M_j - L`, so every buffered arrival starting at or before that date is
//!   released, earliest first (ties in file order).
//!
//! The buffer therefore holds only the invocations that started within the
//! last `L` seconds before the latest end time read: the invocations running
//! around that time, never the whole file.
//!
//! Times are shifted so that the earliest arrival of the file is at 0.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::path::Path;

use super::error::{BadCell, RowFault, SkippedRows, TraceError};
use super::faults::Faults;
use super::header::Header;
use super::lines::{Cells, LineReader, cell_text};
use super::names::NameTable;
use super::{FunctionInfo, ReaderOptions, TraceArrival, shown};

const COLUMNS: [&str; 4] = ["app", "func", "end_timestamp", "duration"];
const MISSING_HELP: &str =
    "give the path of an Azure Functions 2021 trace file, whose first line is `app,func,end_timestamp,duration`";
const HEADER_HELP: &str = "the first line must be `app,func,end_timestamp,duration`";
const APP_HELP: &str = "write the application's hash first, like `7b2c...,f4e1...,12.5,0.25`";
const FUNC_HELP: &str = "write the function's hash after the application's";
const END_HELP: &str = "write the end time in seconds since the trace's start as a number of zero or more, like `12.5`";
const DURATION_HELP: &str = "write the duration in seconds as a number of zero or more, like `0.25`";

/// One parsed row; `key` (`app,func`) and the names borrow the line.
struct Row<'a> {
    key: &'a [u8],
    app: &'a [u8],
    func: &'a [u8],
    end: f64,
    duration: f64,
}

impl Row<'_> {
    fn start(&self) -> f64 {
        self.end - self.duration
    }
}

/// An arrival waiting in the reorder buffer.
#[derive(Debug, Clone, Copy)]
struct Pending {
    start: f64,
    /// Row order in the file, to release ties deterministically.
    seq: u64,
    function: u32,
    duration: f64,
}

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Pending {}

impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Pending {
    // Reversed, so that the max-heap `BinaryHeap` pops the earliest start.
    fn cmp(&self, other: &Self) -> Ordering {
        other.start.total_cmp(&self.start).then(other.seq.cmp(&self.seq))
    }
}

/// A streamed reader of an Azure Functions 2021 trace.
#[derive(Debug)]
pub struct Azure2021Reader {
    lines: LineReader,
    names: NameTable,
    functions: Vec<FunctionInfo>,
    skipped: SkippedRows,
    /// Earliest start in the file: the replay's time origin.
    origin: f64,
    lag: f64,
    max_end: f64,
    seq: u64,
    pending: BinaryHeap<Pending>,
    /// Last time released, to absorb rounding in `max_end - lag`.
    last_time: f64,
    eof: bool,
    failed: bool,
}

impl Azure2021Reader {
    /// Opens and checks the trace file at `path`.
    pub fn open(path: &Path, options: &ReaderOptions) -> Result<Self, TraceError> {
        let name = shown(path);
        let mut lines = LineReader::open(path, &name, MISSING_HELP)?;
        read_header(&mut lines)?;
        let mut names = NameTable::default();
        let mut functions = Vec::new();
        let mut faults = Faults::new(options.lenient);
        let (mut origin, mut lag, mut max_end) = (f64::INFINITY, 0.0_f64, f64::NEG_INFINITY);
        while lines.advance()? {
            match parse_row(lines.line()) {
                Ok(row) => {
                    let start = row.start();
                    origin = origin.min(start);
                    lag = lag.max(max_end - start);
                    max_end = max_end.max(row.end);
                    let (_, new) = names
                        .intern(row.key)
                        .ok_or_else(|| TraceError::too_many_functions(&name))?;
                    if new {
                        functions.push(FunctionInfo {
                            name: cell_text(row.func).into_owned(),
                            app: Some(cell_text(row.app).into_owned()),
                            durations: None,
                            memory: None,
                            row_memory: None,
                        });
                    }
                }
                Err(bad) => faults.report(&name, lines.line(), lines.number(), bad),
            }
        }
        let skipped = faults.finish()?;
        let mut lines = LineReader::open(path, &name, MISSING_HELP)?;
        read_header(&mut lines)?;
        Ok(Azure2021Reader {
            lines,
            names,
            functions,
            skipped,
            origin: if origin.is_finite() { origin } else { 0.0 },
            lag,
            max_end: f64::NEG_INFINITY,
            seq: 0,
            pending: BinaryHeap::new(),
            last_time: 0.0,
            eof: false,
            failed: false,
        })
    }

    /// The functions of the trace, in order of first appearance.
    pub fn functions(&self) -> &[FunctionInfo] {
        &self.functions
    }

    /// Bad rows skipped (lenient mode).
    pub fn skipped(&self) -> &SkippedRows {
        &self.skipped
    }

    /// The largest lag between end order and start order (seconds): how far
    /// back the reorder buffer reaches.
    pub fn lag(&self) -> f64 {
        self.lag
    }

    /// Reads the next good row into the buffer; `false` at the end of the file.
    fn fill(&mut self) -> Result<bool, TraceError> {
        while self.lines.advance()? {
            // Bad rows were reported when the file was opened.
            let Ok(row) = parse_row(self.lines.line()) else {
                continue;
            };
            let function = self
                .names
                .get(row.key)
                .ok_or_else(|| TraceError::changed(self.lines.name()))?;
            self.max_end = self.max_end.max(row.end);
            self.pending.push(Pending {
                start: row.start(),
                seq: self.seq,
                function,
                duration: row.duration,
            });
            self.seq += 1;
            return Ok(true);
        }
        Ok(false)
    }

    fn release(&mut self) -> Option<TraceArrival> {
        let top = self.pending.peek()?;
        if !self.eof && top.start > self.max_end - self.lag {
            return None;
        }
        let top = self.pending.pop()?;
        self.last_time = self.last_time.max(top.start - self.origin);
        Some(TraceArrival {
            time: self.last_time,
            function: top.function,
            duration: Some(top.duration),
            memory: None,
            payloads: Default::default(),
        })
    }
}

impl Iterator for Azure2021Reader {
    type Item = Result<TraceArrival, TraceError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.failed {
                return None;
            }
            if let Some(arrival) = self.release() {
                return Some(Ok(arrival));
            }
            if self.eof {
                return None;
            }
            match self.fill() {
                Ok(more) => self.eof = !more,
                Err(error) => {
                    self.failed = true;
                    return Some(Err(error));
                }
            }
        }
    }
}

fn read_header(lines: &mut LineReader) -> Result<(), TraceError> {
    let header = Header::read(lines, HEADER_HELP)?;
    let mut cells = header.cells();
    header.expect(&mut cells, &COLUMNS)?;
    match cells.next() {
        Some((start, cell)) => Err(header.bad(start, start + cell.len(), "unexpected column".into())),
        None => Ok(()),
    }
}

fn parse_row(line: &[u8]) -> Result<Row<'_>, BadCell> {
    let mut cells = Cells::new(line);
    let app = name_cell(&mut cells, "app", APP_HELP)?;
    let func = name_cell(&mut cells, "func", FUNC_HELP)?;
    let key_end = cells.offset().saturating_sub(1);
    let end = cells.non_negative("end_timestamp", END_HELP)?;
    let duration = cells.non_negative("duration", DURATION_HELP)?;
    Ok(Row {
        key: &line[..key_end],
        app,
        func,
        end,
        duration,
    })
}

/// The next cell as a non-empty name.
fn name_cell<'a>(cells: &mut Cells<'a>, column: &'static str, help: &'static str) -> Result<&'a [u8], BadCell> {
    let (start, cell) = cells.expect(|| column.into(), help)?;
    let name = cell.trim_ascii();
    if name.is_empty() {
        return Err(BadCell {
            fault: RowFault::MissingColumn,
            start,
            end: start,
            column: column.into(),
            help: help.into(),
        });
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_start_at_end_minus_duration() {
        let row = parse_row(b"a1,f1,10.5,0.5").unwrap();
        assert_eq!(
            (row.key, row.app, row.func, row.start()),
            (&b"a1,f1"[..], &b"a1"[..], &b"f1"[..], 10.0)
        );
    }

    #[test]
    fn bad_rows_name_their_fault() {
        let fault = |line: &[u8]| parse_row(line).err().map(|b| b.fault);
        assert_eq!(fault(b"a,f,x,1"), Some(RowFault::NotANumber));
        assert_eq!(fault(b"a,f,1,-1"), Some(RowFault::NegativeValue));
        assert_eq!(fault(b"a,f,1"), Some(RowFault::MissingColumn));
        assert_eq!(fault(b",f,1,1"), Some(RowFault::MissingColumn));
    }

    #[test]
    fn pending_pops_earliest_start_first() {
        let mut heap = BinaryHeap::new();
        for (seq, start) in [(0, 3.0), (1, 1.0), (2, 1.0), (3, 2.0)] {
            heap.push(Pending {
                start,
                seq,
                function: 0,
                duration: 0.0,
            });
        }
        let order: Vec<u64> = std::iter::from_fn(|| heap.pop()).map(|p| p.seq).collect();
        assert_eq!(order, vec![1, 2, 3, 0]);
    }
}

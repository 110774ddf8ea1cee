//! Any CSV trace, read by a declared mapping of its columns
//! ([`Mapping`]): one row per invocation (`function column("f")`), or one
//! row per period whose other columns count each function's invocations
//! (`function header`, as Huawei's 2023 tables). Dates are a number in a
//! unit, seconds since the replay's start, or timestamps counted from the
//! first row's; `trace.duration`, `trace.memory` and the payload sizes come
//! from a column or are drawn for each invocation (stream `"<key>/duration"`,
//! `"<key>/memory"`, `"<key>/request_payload"`, `"<key>/response_payload"`).
//!
//! As every reader, it scans the file once when opened (checking every row
//! and building the function table), then reads it again as the run goes.

mod plan;
pub mod timestamp;

use std::borrow::Cow;
use std::path::Path;

use crate::ir::mapping::Mapping;
use crate::ir::workload::MinuteSpread;
use crate::workload::random::StreamRng;

use super::error::{BadCell, RowFault, SkippedRows, TraceError};
use super::faults::Faults;
use super::header::Header;
use super::lines::{Cells, LineReader, cell_text, parse_f64};
use super::names::NameTable;
use super::{FunctionInfo, MAX_ARRIVALS_AT_ONCE, ReaderOptions, RowMemory, TraceArrival, shown};
use crate::language::units::MAX_AMOUNT;
use plan::{Functions, Plan, Time, Value};

const MISSING_HELP: &str = "give the path of the CSV file the mapping reads";
const HEADER_HELP: &str = "the first line must name the columns the mapping reads";
const COUNT_HELP: &str = "with `function header`, a cell counts invocations: a whole number of zero or more, or empty";
/// Separates an application from a function in a name-table key.
const KEY_SEPARATOR: u8 = 0x1f;

/// What one good row holds; cells are byte ranges of the line.
struct Row {
    time: f64,
    function: (usize, usize),
    app: Option<(usize, usize)>,
    /// Its values read from columns, in the order of [`plan::FIELDS`].
    values: [Option<f64>; 4],
}

/// A streamed reader of a CSV trace through a mapping.
#[derive(Debug)]
pub struct MappedReader {
    lines: LineReader,
    plan: Plan,
    names: NameTable,
    functions: Vec<FunctionInfo>,
    /// With `function header`: the id of each function column (`None`: it
    /// never counts an invocation).
    column_ids: Vec<Option<u32>>,
    skipped: SkippedRows,
    /// The first row's timestamp, which dates count from.
    origin: Option<timestamp::Instant>,
    last_time: f64,
    /// Draws of each value the trace lacks, in the order of [`plan::FIELDS`].
    field_rngs: [StreamRng; 4],
    spread_rng: StreamRng,
    /// Cells of the current line and counts of the current row, reused.
    cells: Vec<(usize, usize)>,
    counts: Vec<u32>,
    key: Vec<u8>,
    /// Arrivals of the current `function header` row, sorted, and the next one.
    buffer: Vec<TraceArrival>,
    next_in_buffer: usize,
    done: bool,
}

impl MappedReader {
    /// Opens and checks the trace at `path` through `mapping`.
    pub fn open(path: &Path, mapping: &Mapping, options: &ReaderOptions) -> Result<Self, TraceError> {
        let name = shown(path);
        let mut lines = LineReader::open(path, &name, MISSING_HELP)?;
        let plan = Plan::new(mapping, &Header::read(&mut lines, HEADER_HELP)?)?;
        let stream = &options.stream;
        let mut reader = MappedReader {
            lines,
            plan,
            names: NameTable::default(),
            functions: Vec::new(),
            column_ids: Vec::new(),
            skipped: SkippedRows::default(),
            origin: None,
            last_time: f64::NEG_INFINITY,
            field_rngs: plan::FIELDS.map(|(key, _)| StreamRng::new(options.seed, &format!("{stream}/{key}"))),
            spread_rng: StreamRng::new(options.seed, &format!("{stream}/spread")),
            cells: Vec::new(),
            counts: Vec::new(),
            key: Vec::new(),
            buffer: Vec::new(),
            next_in_buffer: 0,
            done: false,
        };
        reader.scan_rows(&name, options.lenient)?;
        reader.lines = LineReader::open(path, &name, MISSING_HELP)?;
        reader.lines.advance()?;
        reader.last_time = f64::NEG_INFINITY;
        Ok(reader)
    }

    /// Checks every row and builds the function table.
    fn scan_rows(&mut self, name: &str, lenient: bool) -> Result<(), TraceError> {
        let mut faults = Faults::new(lenient);
        let mut invoked: Vec<bool> = match &self.plan.functions {
            Functions::Header { columns, .. } => vec![false; columns.len()],
            Functions::Column(_) => Vec::new(),
        };
        while self.lines.advance()? {
            match self.parse() {
                Ok(row) => {
                    self.last_time = row.time;
                    match &self.plan.functions {
                        Functions::Column(_) => {
                            let function = self.intern(&row, name)?;
                            if let Some(info) = self.functions.get_mut(function as usize) {
                                RowMemory::note(&mut info.row_memory, row.values[1]);
                            }
                        }
                        Functions::Header { .. } => {
                            for (seen, count) in invoked.iter_mut().zip(&self.counts) {
                                *seen |= *count > 0;
                            }
                        }
                    }
                }
                Err(bad) => faults.report(name, self.lines.line(), self.lines.number(), bad),
            }
        }
        self.skipped = faults.finish()?;
        if let Functions::Header { columns, .. } = &self.plan.functions {
            for ((_, column), seen) in columns.iter().zip(invoked) {
                self.column_ids.push(seen.then_some(self.functions.len() as u32));
                if seen {
                    self.functions.push(info(column.clone(), None));
                }
            }
        }
        Ok(())
    }

    /// Gives the row's function an id if it has none yet; returns it.
    fn intern(&mut self, row: &Row, name: &str) -> Result<u32, TraceError> {
        let line = self.lines.line();
        fill_key(&mut self.key, line, row);
        let (function, new) = self
            .names
            .intern(&self.key)
            .ok_or_else(|| TraceError::too_many_functions(name))?;
        if new {
            let text = |(a, b): (usize, usize)| cell_text(&line[a..b]).into_owned();
            self.functions.push(info(text(row.function), row.app.map(text)));
        }
        Ok(function)
    }

    /// The functions named in the file, in order of first appearance.
    pub fn functions(&self) -> &[FunctionInfo] {
        &self.functions
    }

    /// Bad rows skipped (lenient mode).
    pub fn skipped(&self) -> &SkippedRows {
        &self.skipped
    }

    /// Parses the current line: its date (made relative for timestamps),
    /// and its function's cells or its counts.
    fn parse(&mut self) -> Result<Row, BadCell> {
        let line = self.lines.line();
        self.cells.clear();
        self.cells.extend(Cells::new(line).map(|(at, c)| (at, at + c.len())));
        let cells = &self.cells;
        let plan = &self.plan;
        let cell = |index: usize, column: &str| -> Result<(usize, usize), BadCell> {
            cells.get(index).copied().ok_or_else(|| BadCell {
                fault: RowFault::MissingColumn,
                start: line.len(),
                end: line.len(),
                column: Cow::Owned(column.to_owned()),
                help: Cow::Owned(format!(
                    "the header names {} columns: give this row as many",
                    cells_in_header(plan)
                )),
            })
        };
        let bad = |fault, (start, end): (usize, usize), column: &str, help: String| BadCell {
            fault,
            start,
            end,
            column: Cow::Owned(column.to_owned()),
            help: Cow::Owned(help),
        };
        let (time_index, unit) = &plan.time;
        let at = cell(*time_index, &plan.time_name)?;
        let text = &line[at.0..at.1];
        let time = match unit {
            Time::Seconds(scale) => match parse_f64(text) {
                None => {
                    return Err(bad(
                        RowFault::NotANumber,
                        at,
                        &plan.time_name,
                        "write the date as a number".into(),
                    ));
                }
                Some(v) if v < 0.0 => {
                    return Err(bad(
                        RowFault::NegativeValue,
                        at,
                        &plan.time_name,
                        "dates count from the start of the replay: zero or more".into(),
                    ));
                }
                Some(v) if v * scale > MAX_AMOUNT => {
                    return Err(bad(RowFault::TooLarge, at, &plan.time_name, String::new()));
                }
                Some(v) => v * scale,
            },
            Time::Timestamp(layout) => match layout.read(text.trim_ascii()) {
                Some(t) => t.since(self.origin.get_or_insert(t)),
                None => {
                    return Err(bad(
                        RowFault::NotANumber,
                        at,
                        &plan.time_name,
                        "write the date in the layout the mapping's `timestamp(...)` gives".into(),
                    ));
                }
            },
        };
        let earliest = match &plan.functions {
            Functions::Header { period, .. } => self.last_time + period,
            Functions::Column(_) => self.last_time,
        };
        if time < earliest {
            return Err(bad(
                RowFault::OutOfOrder,
                at,
                &plan.time_name,
                match &plan.functions {
                    Functions::Header { .. } => "rows must be sorted by date, one `period` apart or more".into(),
                    Functions::Column(_) => "rows must be sorted by date: sort the file by this column".into(),
                },
            ));
        }
        let value = |field: &Option<Value>, what: &str| -> Result<Option<f64>, BadCell> {
            let Some(Value::Column { index, scale, name }) = field else {
                return Ok(None);
            };
            let at = cell(*index, name)?;
            match parse_f64(&line[at.0..at.1]) {
                None => Err(bad(
                    RowFault::NotANumber,
                    at,
                    name,
                    format!("write the {what} as a number"),
                )),
                Some(v) if v < 0.0 => Err(bad(
                    RowFault::NegativeValue,
                    at,
                    name,
                    format!("a {what} is zero or more"),
                )),
                Some(v) if v * scale > MAX_AMOUNT => Err(bad(RowFault::TooLarge, at, name, String::new())),
                Some(v) => Ok(Some(v * scale)),
            }
        };
        let mut values = [None; 4];
        for ((value_of, field), (_, what)) in values.iter_mut().zip(&plan.fields).zip(plan::FIELDS) {
            *value_of = value(field, what)?;
        }
        let app = plan.app.map(|i| cell(i, "app")).transpose()?;
        let function = match &plan.functions {
            Functions::Column(index) => {
                let at = cell(*index, "function")?;
                let name = line[at.0..at.1].trim_ascii();
                if name.is_empty() {
                    return Err(bad(
                        RowFault::MissingColumn,
                        at,
                        "function",
                        "every row names its function".into(),
                    ));
                }
                at
            }
            Functions::Header { columns, .. } => {
                self.counts.clear();
                let mut total: u64 = 0;
                for (index, column) in columns {
                    let at = cell(*index, column)?;
                    let text = line[at.0..at.1].trim_ascii();
                    let count = if text.is_empty() || text.eq_ignore_ascii_case(b"nan") {
                        Some(0)
                    } else {
                        parse_f64(text)
                            .filter(|c| *c >= 0.0 && c.fract() == 0.0 && *c <= f64::from(u32::MAX))
                            .map(|c| c as u32)
                    };
                    let Some(count) = count else {
                        return Err(bad(RowFault::NotANumber, at, column, COUNT_HELP.into()));
                    };
                    self.counts.push(count);
                    total += u64::from(count);
                    // Its arrivals are placed and sorted at once (`expand`).
                    if total > MAX_ARRIVALS_AT_ONCE {
                        let help = format!(
                            "a row's arrivals are placed and sorted at once, at most {MAX_ARRIVALS_AT_ONCE} of them, and this row counts {total} up to this column; fix the counts, or split the period into shorter rows"
                        );
                        return Err(bad(RowFault::TooManyArrivals, at, column, help));
                    }
                }
                (0, 0)
            }
        };
        Ok(Row {
            time,
            function,
            app,
            values,
        })
    }

    fn read(&mut self) -> Result<Option<TraceArrival>, TraceError> {
        loop {
            if let Some(arrival) = self.buffer.get(self.next_in_buffer) {
                self.next_in_buffer += 1;
                return Ok(Some(*arrival));
            }
            if !self.lines.advance()? {
                return Ok(None);
            }
            // Bad rows were reported when the file was opened.
            let Ok(row) = self.parse() else {
                continue;
            };
            self.last_time = row.time;
            self.buffer.clear();
            self.next_in_buffer = 0;
            match &self.plan.functions {
                Functions::Column(_) => {
                    fill_key(&mut self.key, self.lines.line(), &row);
                    let Some(function) = self.names.get(&self.key) else {
                        return Err(TraceError::changed(self.lines.name()));
                    };
                    return Ok(Some(self.arrival(row.time, function, row.values)));
                }
                Functions::Header { period, spread, .. } => {
                    let (period, spread) = (*period, *spread);
                    self.expand(row.time, period, spread)?;
                }
            }
        }
    }

    /// The arrivals a `function header` row counts, placed in its period
    /// and sorted by date.
    fn expand(&mut self, start: f64, period: f64, spread: MinuteSpread) -> Result<(), TraceError> {
        for c in 0..self.counts.len() {
            let count = self.counts[c];
            if count == 0 {
                continue;
            }
            let Some(function) = self.column_ids.get(c).copied().flatten() else {
                return Err(TraceError::changed(self.lines.name()));
            };
            for i in 0..count {
                let offset = match spread {
                    MinuteSpread::Uniform => (f64::from(i) + 0.5) * period / f64::from(count),
                    MinuteSpread::Poisson => self.spread_rng.uniform() * period,
                };
                let arrival = self.arrival(start + offset, function, [None; 4]);
                self.buffer.push(arrival);
            }
        }
        // Stable: equal dates keep the columns' order.
        self.buffer.sort_by(|a, b| a.time.total_cmp(&b.time));
        Ok(())
    }

    /// An arrival with the row's `values`, or draws for what the trace lacks.
    fn arrival(&mut self, time: f64, function: u32, values: [Option<f64>; 4]) -> TraceArrival {
        let mut picked = [None; 4];
        for (i, read) in values.into_iter().enumerate() {
            picked[i] = match &self.plan.fields[i] {
                Some(Value::Drawn(d)) => Some(self.field_rngs[i].sample(d)),
                _ => read,
            };
        }
        let [duration, memory, request, response] = picked;
        TraceArrival {
            time,
            function,
            duration,
            memory,
            payloads: crate::workload::Payloads { request, response },
        }
    }
}

impl Iterator for MappedReader {
    type Item = Result<TraceArrival, TraceError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut done = self.done;
        let item = super::fused(&mut done, || self.read());
        self.done = done;
        item
    }
}

fn info(name: String, app: Option<String>) -> FunctionInfo {
    FunctionInfo {
        name,
        app,
        durations: None,
        memory: None,
        row_memory: None,
    }
}

/// The name-table key of a row: its application's cell, if mapped, and its function's.
fn fill_key(key: &mut Vec<u8>, line: &[u8], row: &Row) {
    key.clear();
    if let Some((a, b)) = row.app {
        key.extend_from_slice(line[a..b].trim_ascii());
        key.push(KEY_SEPARATOR);
    }
    key.extend_from_slice(line[row.function.0..row.function.1].trim_ascii());
}

/// How many cells a row must have at least.
fn cells_in_header(plan: &Plan) -> usize {
    plan.widest + 1
}

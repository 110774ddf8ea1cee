//! The plain CSV trace: a header `time,function[,duration][,memory]`, then one
//! row per invocation sorted by time (seconds since the replay's start),
//! duration in seconds and memory in MB (10^6 bytes). Cells past the header's
//! columns are ignored; a name in double quotes may hold commas.

use std::path::Path;

use super::error::{BadCell, RowFault, SkippedRows, TraceError};
use super::faults::Faults;
use super::header::Header;
use super::lines::{Cells, LineReader, cell_text};
use super::names::NameTable;
use super::{FunctionInfo, ReaderOptions, RowMemory, TraceArrival, shown};

const MISSING_HELP: &str = "give the path of a CSV file whose first line is `time,function[,duration][,memory]`";
const HEADER_HELP: &str = "the first line must name the columns: `time,function`, optionally followed by \
                           `duration` and then `memory` (time and duration in seconds, memory in MB)";
const TIME_HELP: &str = "write the arrival time in seconds since the start of the replay, like `12.5`";
const FUNCTION_HELP: &str = "write the function's name after the time, like `12.5,resize`";
const DURATION_HELP: &str = "write the duration in seconds as a number of zero or more, like `0.25`";
const MEMORY_HELP: &str = "write the memory in MB as a number of zero or more, like `128`";
const BYTES_PER_MB: f64 = 1e6;

/// Which optional columns the header declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Layout {
    duration: bool,
    memory: bool,
}

/// One parsed row; `name` borrows the line.
struct Row<'a> {
    time: f64,
    name: &'a [u8],
    duration: Option<f64>,
    memory: Option<f64>,
}

/// A streamed reader of a plain CSV trace.
#[derive(Debug)]
pub struct CsvReader {
    lines: LineReader,
    layout: Layout,
    names: NameTable,
    functions: Vec<FunctionInfo>,
    skipped: SkippedRows,
    /// Time of the last row accepted; rows earlier than it are out of order.
    last_time: f64,
    done: bool,
}

impl CsvReader {
    /// Opens and checks the CSV trace at `path`.
    pub fn open(path: &Path, options: &ReaderOptions) -> Result<Self, TraceError> {
        let name = shown(path);
        let mut lines = LineReader::open(path, &name, MISSING_HELP)?;
        let layout = read_header(&mut lines)?;
        let mut names = NameTable::default();
        let mut functions = Vec::new();
        let mut faults = Faults::new(options.lenient);
        let mut last_time = f64::NEG_INFINITY;
        while lines.advance()? {
            match parse_row(lines.line(), layout, last_time) {
                Ok(row) => {
                    last_time = row.time;
                    let (function, new) = names
                        .intern(row.name)
                        .ok_or_else(|| TraceError::too_many_functions(&name))?;
                    if new {
                        functions.push(FunctionInfo {
                            name: cell_text(row.name).into_owned(),
                            app: None,
                            durations: None,
                            memory: None,
                            row_memory: None,
                        });
                    }
                    if let Some(info) = functions.get_mut(function as usize) {
                        RowMemory::note(&mut info.row_memory, row.memory);
                    }
                }
                Err(bad) => faults.report(&name, lines.line(), lines.number(), bad),
            }
        }
        let skipped = faults.finish()?;
        let mut lines = LineReader::open(path, &name, MISSING_HELP)?;
        read_header(&mut lines)?;
        Ok(CsvReader {
            lines,
            layout,
            names,
            functions,
            skipped,
            last_time: f64::NEG_INFINITY,
            done: false,
        })
    }

    /// The functions named in the file, in order of first appearance.
    pub fn functions(&self) -> &[FunctionInfo] {
        &self.functions
    }

    /// Bad rows skipped (lenient mode).
    pub fn skipped(&self) -> &SkippedRows {
        &self.skipped
    }

    fn read(&mut self) -> Result<Option<TraceArrival>, TraceError> {
        while self.lines.advance()? {
            // Bad rows were reported when the file was opened.
            let Ok(row) = parse_row(self.lines.line(), self.layout, self.last_time) else {
                continue;
            };
            let Some(function) = self.names.get(row.name) else {
                return Err(TraceError::changed(self.lines.name()));
            };
            self.last_time = row.time;
            return Ok(Some(TraceArrival {
                time: row.time,
                function,
                duration: row.duration,
                memory: row.memory,
                payloads: Default::default(),
            }));
        }
        Ok(None)
    }
}

impl Iterator for CsvReader {
    type Item = Result<TraceArrival, TraceError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut done = self.done;
        let item = super::fused(&mut done, || self.read());
        self.done = done;
        item
    }
}

/// Reads and checks the header line.
fn read_header(lines: &mut LineReader) -> Result<Layout, TraceError> {
    let header = Header::read(lines, HEADER_HELP)?;
    let mut cells = header.cells();
    header.expect(&mut cells, &["time", "function"])?;
    let mut layout = Layout {
        duration: false,
        memory: false,
    };
    for (start, cell) in cells {
        let end = start + cell.len();
        match cell.trim_ascii() {
            b"duration" if !layout.duration && !layout.memory => layout.duration = true,
            b"memory" if !layout.memory => layout.memory = true,
            _ => return Err(header.bad(start, end, "unexpected column".into())),
        }
    }
    Ok(layout)
}

fn parse_row(line: &[u8], layout: Layout, last_time: f64) -> Result<Row<'_>, BadCell> {
    let mut cells = Cells::new(line);
    let time_start = cells.offset();
    let time = cells.non_negative("time", TIME_HELP)?;
    let (name_start, raw_name) = cells.expect(|| "function".into(), FUNCTION_HELP)?;
    let name = raw_name.trim_ascii();
    if name.is_empty() {
        return Err(BadCell {
            fault: RowFault::MissingColumn,
            start: name_start,
            end: name_start,
            column: "function".into(),
            help: FUNCTION_HELP.into(),
        });
    }
    let duration = layout
        .duration
        .then(|| cells.non_negative("duration", DURATION_HELP))
        .transpose()?;
    let memory = layout
        .memory
        .then(|| cells.non_negative("memory", MEMORY_HELP))
        .transpose()?;
    if time < last_time {
        return Err(BadCell {
            fault: RowFault::OutOfOrder,
            start: time_start,
            end: name_start.saturating_sub(1),
            column: "time".into(),
            help: format!(
                "rows must be sorted by time, and this row's `{time}` s is earlier than the `{last_time}` s before it: sort the rows by their first column"
            )
            .into(),
        });
    }
    Ok(Row {
        time,
        name,
        duration,
        memory: memory.map(|mb| mb * BYTES_PER_MB),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOTH: Layout = Layout {
        duration: true,
        memory: true,
    };

    #[test]
    fn rows_parse_with_optional_columns() {
        let row = parse_row(b"1.5,f,0.25,128", BOTH, 0.0).unwrap();
        assert_eq!(
            (row.time, row.name, row.duration, row.memory),
            (1.5, &b"f"[..], Some(0.25), Some(128e6))
        );
        let plain = Layout {
            duration: false,
            memory: false,
        };
        let row = parse_row(b"2,g", plain, 0.0).unwrap();
        assert_eq!((row.duration, row.memory), (None, None));
    }

    #[test]
    fn bad_rows_name_their_fault() {
        let fault = |line: &[u8], last| parse_row(line, BOTH, last).err().map(|b| b.fault);
        assert_eq!(fault(b"x,f,1,1", 0.0), Some(RowFault::NotANumber));
        assert_eq!(fault(b"1,f,-1,1", 0.0), Some(RowFault::NegativeValue));
        assert_eq!(fault(b"1,f,1", 0.0), Some(RowFault::MissingColumn));
        assert_eq!(fault(b"1,,1,1", 0.0), Some(RowFault::MissingColumn));
        assert_eq!(fault(b"1,f,1,1", 2.0), Some(RowFault::OutOfOrder));
        assert_eq!(fault(b"2,f,1,1", 2.0), None);
    }
}

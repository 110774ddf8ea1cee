//! Streamed trace readers: Azure Functions 2019 and 2021, plain CSV and any
//! CSV through a declared mapping of its columns, each
//! yielding arrivals in nondecreasing time order with memory that does not
//! grow with the number of arrivals.
//!
//! Every reader scans its files once when opened: that pass checks every row
//! (so a bad trace is reported before a simulation starts, all its bad rows
//! together) and builds the function table; iteration then reads the files
//! again. Iteration can still fail, but only on I/O errors or a file changed
//! in between.

mod azure2019;
mod azure2021;
pub(crate) mod compressed;
mod csv;
mod error;
mod faults;
mod header;
mod lines;
pub mod mapped;
mod names;
mod prefetch;
mod quantile;

use std::path::Path;

use crate::ir::workload::TraceFormat;

pub use azure2019::Azure2019Reader;
pub use azure2021::Azure2021Reader;
pub use csv::CsvReader;
pub use error::{RowFault, SkippedRows, TraceError, TraceErrorKind};
pub(crate) use lines::Cells;
pub use mapped::MappedReader;
pub use prefetch::{Make, Opened, Opening, Prefetched};
pub use quantile::QuantileCurve;

/// The most arrivals a trace may count at once (a `function header`
/// row over its period, an Azure 2019 function over a minute): a reader
/// places and sorts them together, 8 to 80 bytes each, so a count with a
/// few digits too many would take gigabytes before the run could go on
/// (`sls::trace::too_many_arrivals`). Some 280,000 a second over a minute.
pub const MAX_ARRIVALS_AT_ONCE: u64 = 1 << 24;

/// One invocation read from a trace.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TraceArrival {
    /// Seconds since the start of the replay.
    pub time: f64,
    /// Index into the reader's [`functions`](TraceReader::functions) table.
    pub function: u32,
    /// How long the invocation ran, in seconds, when the trace says.
    pub duration: Option<f64>,
    /// Memory the invocation used, in bytes, when the trace says.
    pub memory: Option<f64>,
    /// Its request and response payload sizes, when the trace says.
    pub payloads: crate::workload::Payloads,
}

/// One function of a trace.
#[derive(Debug, Clone, PartialEq)]
pub struct FunctionInfo {
    /// The function's name (its hash in Azure traces).
    pub name: String,
    /// The application it belongs to, when the format says.
    pub app: Option<String>,
    /// Inverse CDF of its durations in seconds (Azure 2019 only).
    pub durations: Option<QuantileCurve>,
    /// Inverse CDF of its application's memory in bytes (Azure 2019 only).
    pub memory: Option<QuantileCurve>,
    /// The smallest and largest memory its rows give in a column (none
    /// when no row gives one).
    pub row_memory: Option<RowMemory>,
}

/// The range of the memories a trace function's rows give, in bytes. A
/// template's `ram trace.memory` is the largest: one container size per
/// function (a trace's memory column is often measured use, which varies
/// row to row, and a size per row would make every row a cold start), and
/// one that holds each of its invocations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowMemory {
    pub smallest: f64,
    pub largest: f64,
}

impl RowMemory {
    /// Widens `range` to hold a row's `memory`, if it gives one.
    pub fn note(range: &mut Option<RowMemory>, memory: Option<f64>) {
        let Some(memory) = memory else {
            return;
        };
        let range = range.get_or_insert(RowMemory {
            smallest: memory,
            largest: memory,
        });
        range.smallest = range.smallest.min(memory);
        range.largest = range.largest.max(memory);
    }
}

/// How a trace is read.
#[derive(Debug, Clone, PartialEq)]
pub struct ReaderOptions {
    /// The run's seed, for the draws some formats need (Azure 2019 spread,
    /// durations and memory).
    pub seed: u64,
    /// Stable key of this replay (e.g. `"replay#0"`); its random streams are
    /// `"<key>/spread"`, `"<key>/duration"`, `"<key>/memory"`.
    pub stream: String,
    /// Skip and count bad rows instead of failing (and, in an Azure 2019
    /// replay, leave out functions without a curve `needs`).
    pub lenient: bool,
    /// The `trace.` fields the replay's template uses.
    pub needs: Needs,
}

/// The `trace.` fields a replay's template uses: an Azure 2019 replay
/// checks that each replayed function has the curves they are drawn from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Needs {
    pub duration: bool,
    pub memory: bool,
}

/// A reader of any supported format.
#[derive(Debug)]
pub enum TraceReader {
    /// An Azure Functions 2019 folder.
    Azure2019(Azure2019Reader),
    /// An Azure Functions 2021 file.
    Azure2021(Azure2021Reader),
    /// A plain CSV file.
    Csv(CsvReader),
    /// Any CSV file, through a mapping (boxed: its plan and buffers make it
    /// the largest reader, and replays are few).
    Mapped(Box<MappedReader>),
}

impl TraceReader {
    /// Opens the trace at `path` (a folder for Azure 2019, a file otherwise),
    /// checking all of it; `path` is shown as given in diagnostics.
    pub fn open(format: &TraceFormat, path: &Path, options: &ReaderOptions) -> Result<Self, TraceError> {
        Ok(match format {
            TraceFormat::Azure2019(azure) => TraceReader::Azure2019(Azure2019Reader::open(path, azure, options)?),
            TraceFormat::Azure2021 => TraceReader::Azure2021(Azure2021Reader::open(path, options)?),
            TraceFormat::Csv => TraceReader::Csv(CsvReader::open(path, options)?),
            TraceFormat::Mapped(mapping) => TraceReader::Mapped(Box::new(MappedReader::open(path, mapping, options)?)),
        })
    }

    /// The functions of the trace; arrivals refer to them by index.
    pub fn functions(&self) -> &[FunctionInfo] {
        match self {
            TraceReader::Azure2019(r) => r.functions(),
            TraceReader::Azure2021(r) => r.functions(),
            TraceReader::Csv(r) => r.functions(),
            TraceReader::Mapped(r) => r.functions(),
        }
    }

    /// The function of the arrival `ahead` arrivals after the next one,
    /// when the reader already holds it (an Azure 2019 minute's arrivals,
    /// sorted); none otherwise. For a cache hint, never for a decision.
    #[inline]
    pub fn upcoming(&self, ahead: usize) -> Option<u32> {
        match self {
            TraceReader::Azure2019(r) => r.upcoming(ahead),
            TraceReader::Azure2021(_) | TraceReader::Csv(_) | TraceReader::Mapped(_) => None,
        }
    }

    /// Whether hints of coming arrivals are worth their instructions: the
    /// reader tells them ([`TraceReader::upcoming`]), and its per-function
    /// tables outgrow a core's cache, so that a maker's, which grow with
    /// the same functions, do too (an Azure 2019 trace of some thousand
    /// functions or more).
    pub fn worth_hints(&self) -> bool {
        match self {
            TraceReader::Azure2019(r) => r.worth_hints(),
            TraceReader::Azure2021(_) | TraceReader::Csv(_) | TraceReader::Mapped(_) => false,
        }
    }

    /// Bad rows skipped, per kind (always empty in strict mode).
    pub fn skipped(&self) -> &SkippedRows {
        match self {
            TraceReader::Azure2019(r) => r.skipped(),
            TraceReader::Azure2021(r) => r.skipped(),
            TraceReader::Csv(r) => r.skipped(),
            TraceReader::Mapped(r) => r.skipped(),
        }
    }

    /// What the run's warnings say of the replay (an Azure 2019 selection
    /// of more applications than there are, functions left out for want
    /// of a curve in lenient mode; nothing for other formats).
    pub fn warnings(&self) -> &[String] {
        match self {
            TraceReader::Azure2019(r) => r.warnings(),
            TraceReader::Azure2021(_) | TraceReader::Csv(_) | TraceReader::Mapped(_) => &[],
        }
    }
}

impl Iterator for TraceReader {
    type Item = Result<TraceArrival, TraceError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        match self {
            TraceReader::Azure2019(r) => r.next(),
            TraceReader::Azure2021(r) => r.next(),
            TraceReader::Csv(r) => r.next(),
            TraceReader::Mapped(r) => r.next(),
        }
    }
}

/// The next item of a reader whose `read` gives `Ok(None)` at the end:
/// after the end or an error, `done` is set and nothing more is read.
fn fused(
    done: &mut bool,
    read: impl FnOnce() -> Result<Option<TraceArrival>, TraceError>,
) -> Option<Result<TraceArrival, TraceError>> {
    if *done {
        return None;
    }
    let item = read().transpose();
    *done = !matches!(item, Some(Ok(_)));
    item
}

/// How a path is named in diagnostics: as the user wrote it.
fn shown(path: &Path) -> String {
    path.display().to_string()
}

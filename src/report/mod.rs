//! The report stage: per-invocation rows streamed to `invocations.csv` as
//! invocations finish, and the run summary (printed and `summary.json`);
//! with the `arrow` feature, the same rows collected in memory as Arrow
//! record batches ([`arrow`]); with `parquet`, written as Parquet instead
//! of CSV ([`parquet`]).

mod admission;
#[cfg(feature = "arrow")]
pub mod arrow;
mod autoscaling;
mod background;
mod containers;
pub mod cost;
mod csv;
mod histogram;
pub mod metrics;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod parts;
mod record;
mod render;
mod rows_file;
pub mod series;
pub mod stats;
mod summary;
pub mod timeseries;
mod workflows;

pub use admission::AdmissionWait;
pub use autoscaling::AutoscalerUse;
pub use background::{BackgroundReport, Rows, in_file};
pub use containers::{ContainerUse, KeepAliveUse};
pub use csv::{CsvWriter, HEADER, INVOCATIONS, as_read_back, date_text, format_float, quote};
pub use histogram::{Histogram, RELATIVE_ERROR};
pub use record::{Cause, InvocationRecord, Names, StartKind, Startup};
pub use render::figure;
pub use rows_file::RowsFile;
pub use summary::{
    Accumulator, BusCounts, CauseCount, Latency, NodeUse, Outcomes, Part, Provenance, Summary, WorkflowSummary,
};
pub use workflows::{Channel, EDGES, EdgeRecord, WORKFLOWS, WorkflowRecord, WorkflowWriter};

/// The file name of the rows as Parquet (`sls run --invocations parquet`).
pub const INVOCATIONS_PARQUET: &str = "invocations.parquet";

/// Records per batch handed to a [`Sink`] (and sent to the writer thread):
/// some 120 bytes each, 120 KB. Up to fourteen batches are alive at once
/// with a [`BackgroundReport`] (in its queue, being written, being
/// filled): 1.7 MB of the run's peak. A batch this size is still some
/// 70 us of the writer's work, far more than its trip through the queue.
pub const BATCH: usize = 1024;

/// Where the service model sends each finished invocation.
pub trait Sink {
    /// Called once before any record, with the names records refer to.
    fn begin(&mut self, names: &Names);
    /// Called before any record when the run writes time series: they
    /// keep at most `kept` intervals (`engine::kept_intervals`), widened
    /// past them as the run's own meters are. Only a sink gathering time
    /// series per function needs it.
    fn keep_intervals(&mut self, _kept: u64) {}
    /// Takes finished invocations' records, in the order they finished
    /// (up to [`BATCH`] at a time: the run builds each record in place in
    /// its batch, and calls no sink per record), leaving `records` empty,
    /// its room kept or replaced.
    fn records(&mut self, records: &mut Vec<InvocationRecord>) -> std::io::Result<()>;
    /// A workflow instance ended.
    fn workflow(&mut self, record: WorkflowRecord) -> std::io::Result<()>;
    /// An edge of a workflow instance carried its trigger and data.
    fn edge(&mut self, record: &EdgeRecord) -> std::io::Result<()>;
}

/// The summary alone: a run whose records are only counted.
impl Sink for Accumulator {
    fn begin(&mut self, _: &Names) {}

    fn keep_intervals(&mut self, kept: u64) {
        self.keep_occupancy_intervals(kept);
    }

    fn records(&mut self, records: &mut Vec<InvocationRecord>) -> std::io::Result<()> {
        self.add_all(records);
        records.clear();
        Ok(())
    }

    fn workflow(&mut self, record: WorkflowRecord) -> std::io::Result<()> {
        self.add_workflow(&record);
        Ok(())
    }

    fn edge(&mut self, _: &EdgeRecord) -> std::io::Result<()> {
        Ok(())
    }
}

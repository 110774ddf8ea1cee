//! The report stage: per-invocation rows streamed to `invocations.csv` as
//! invocations finish, and the run summary (printed and `summary.json`).

mod background;
mod csv;
mod histogram;
mod record;
mod summary;

pub use background::BackgroundReport;
pub use csv::{CsvWriter, HEADER, format_float};
pub use histogram::Histogram;
pub use record::{Cause, InvocationRecord, Names, StartKind};
pub use summary::{Accumulator, CauseCount, Latency, NodeUse, Summary};

/// Where the service model sends each finished invocation.
pub trait Sink {
    /// Called once before any record, with the names records refer to.
    fn begin(&mut self, names: &Names);
    fn record(&mut self, record: &InvocationRecord) -> std::io::Result<()>;
}

/// The sink of `sls run`: CSV rows and the summary, together.
pub struct Report<W: std::io::Write> {
    pub csv: CsvWriter<W>,
    pub summary: Accumulator,
}

impl<W: std::io::Write> Sink for Report<W> {
    fn begin(&mut self, names: &Names) {
        self.csv.set_names(names);
    }

    fn record(&mut self, record: &InvocationRecord) -> std::io::Result<()> {
        self.summary.add(record);
        self.csv.write(record)
    }
}

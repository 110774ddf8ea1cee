//! Running one simulation end to end: the model with one seed, its
//! invocations streamed to `invocations.csv` (or `invocations.parquet`, or
//! nowhere: [`Invocations`]), workflows to their files, and its summary
//! written to `summary.json` last, so a run folder holding `summary.json`
//! holds a finished run.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::ops::ControlFlow;
use std::path::Path;

use crate::check::{Cap, RaisedWith};
use crate::code::Code;
use crate::ir::Model;
use crate::output::folder::remove_if_there;
use crate::report::cost::{Billed, Cost, GB, Prices, PricesFrom};
use crate::report::series::{self, RunSeries};
use crate::report::{
    Accumulator, BackgroundReport, BusCounts, CsvWriter, EDGES, INVOCATIONS, INVOCATIONS_PARQUET, Names, Provenance,
    Rows, RowsFile, Sink, Summary, WORKFLOWS, WorkflowWriter, in_file,
};
use crate::serverless::policy::PolicyError;
use crate::serverless::{Run, RunError, RunOptions};
use crate::syntax::source::Span;

/// The summary's file name in a run's folder.
pub const SUMMARY: &str = "summary.json";
/// The summary while it is written, renamed [`SUMMARY`] once whole.
pub const SUMMARY_PARTIAL: &str = "summary.json.partial";
/// What errors writing the time series files name.
const SERIES: &str = "the time series files";

/// Where a run writes one row per invocation (`sls run --invocations`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Invocations {
    /// `invocations.csv`.
    #[default]
    Csv,
    /// `invocations.parquet`: the same columns, typed and compressed.
    Parquet,
    /// No rows: `summary.json` alone (its counts and percentiles are those
    /// of a run that writes rows).
    #[value(name = "none")]
    Nowhere,
}

/// What a run writes besides what it simulates.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Output {
    /// Where the rows go.
    pub invocations: Invocations,
    /// Prices to bill the run at, in its summary (`--cost`): they win over
    /// the script's `cost` block.
    pub cost: Option<Prices>,
    /// Seconds per interval of the time series files (`--timeseries`).
    pub timeseries: Option<f64>,
}

/// Simulates one model with one seed into `dir`, to its end.
pub fn run_to_end(model: &Model, seed: u64, options: &RunOptions, dir: &Path) -> Result<Summary, RunError> {
    run_model(model, seed, options, dir, Output::default(), None, &mut |_, _| {
        ControlFlow::Continue(())
    })
}

/// Simulates one model with one seed, writing into `dir`. `progress` is
/// called now and then with the simulated date and the invocations so far;
/// the run stops when it answers `Break`.
pub fn run_model(
    model: &Model,
    seed: u64,
    options: &RunOptions,
    dir: &Path,
    output: Output,
    provenance: Option<Provenance>,
    progress: &mut dyn FnMut(f64, u64) -> ControlFlow<()>,
) -> Result<Summary, RunError> {
    let io = |name: &'static str| move |e| RunError::Io(in_file(name)(e));
    std::fs::create_dir_all(dir).map_err(RunError::Io)?;
    // A previous run's summary must never sit beside new rows, nor its rows
    // in another format.
    for name in [SUMMARY, SUMMARY_PARTIAL] {
        remove_if_there(&dir.join(name)).map_err(io(name))?;
    }
    for (format, name) in [
        (Invocations::Csv, INVOCATIONS),
        (Invocations::Parquet, INVOCATIONS_PARQUET),
    ] {
        if format != output.invocations {
            remove_if_there(&dir.join(name)).map_err(io(name))?;
        }
    }
    let create = |name: &'static str| RowsFile::buffered(&dir.join(name)).map_err(io(name));
    let rows = match output.invocations {
        // The writer buffers its rows and writes them a megabyte at a time.
        Invocations::Csv => Rows::Csv(CsvWriter::new(
            RowsFile::unbuffered(&dir.join(INVOCATIONS)).map_err(io(INVOCATIONS))?,
        )),
        #[cfg(feature = "parquet")]
        Invocations::Parquet => Rows::Parquet(Box::new(
            crate::report::parquet::ParquetWriter::new(create(INVOCATIONS_PARQUET)?)
                .map_err(io(INVOCATIONS_PARQUET))?,
        )),
        #[cfg(not(feature = "parquet"))]
        Invocations::Parquet => {
            return Err(RunError::Io(std::io::Error::other(
                "this sls was built without Parquet (cargo's `parquet` feature)",
            )));
        }
        Invocations::Nowhere => Rows::Nowhere,
    };
    let flows = if model.workflows.is_empty() {
        remove_if_there(&dir.join(WORKFLOWS)).map_err(io(WORKFLOWS))?;
        remove_if_there(&dir.join(EDGES)).map_err(io(EDGES))?;
        None
    } else {
        let (w, e) = (create(WORKFLOWS)?, create(EDGES)?);
        Some(WorkflowWriter::new(w, e).map_err(io(WORKFLOWS))?)
    };
    let mut accumulator = Accumulator::new(model.platform.hosts.len());
    if let Some(interval) = output.timeseries {
        accumulator = accumulator.with_occupancy(interval);
    }
    let parquet = output.invocations == Invocations::Parquet;
    for name in series::TABLES {
        for extension in ["csv", "parquet"] {
            let keep = output.timeseries.is_some() && parquet == (extension == "parquet");
            if !keep {
                remove_if_there(&dir.join(format!("{name}.{extension}"))).map_err(io(SERIES))?;
            }
        }
    }
    let mut report = BackgroundReport::start(rows, flows, accumulator).map_err(RunError::Io)?;
    let ended = simulate(model, seed, options, output.timeseries, &mut report, progress);
    // The writer is joined even when the run failed, so no thread outlives
    // it; its own error, if any, is the one to report.
    let accumulator = report.finish().map_err(RunError::Io);
    let (ended, accumulator) = match (ended, accumulator) {
        (Err(RunError::Io(_)), Err(error)) => return Err(error),
        (ended, accumulator) => (ended?, accumulator?),
    };
    if let (Some(run_series), Some(occupancy)) = (&ended.series, accumulator.occupancy()) {
        series::write(dir, &run_series.tables(occupancy), parquet).map_err(io(SERIES))?;
    }
    let cost = PricesFrom::choose(output.cost, model.cost);
    let summary = Ended { cost, ..ended }.summary(&accumulator, provenance);
    write_summary(&dir.join(SUMMARY), &summary).map_err(io(SUMMARY))?;
    Ok(summary)
}

/// Writes `summary` as pretty JSON and a line end, streamed to a file
/// beside it (with thousands of functions the text is megabytes, which a
/// string made first held at the run's peak), then renamed: `summary.json`
/// appears whole or not at all, even if the writing is cut off.
fn write_summary(path: &Path, summary: &Summary) -> std::io::Result<()> {
    let partial = path.with_file_name(SUMMARY_PARTIAL);
    let written = (|| {
        let mut out = BufWriter::new(File::create(&partial)?);
        serde_json::to_writer_pretty(&mut out, summary)?;
        out.write_all(b"\n")?;
        out.flush()?;
        drop(out);
        std::fs::rename(&partial, path)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

/// What a finished run leaves besides its records: the names records refer
/// to and what its summary needs from the service model.
pub struct Ended {
    names: Names,
    nodes: Vec<(u32, u32, f64)>,
    /// Container time per registration.
    containers: Vec<crate::report::ContainerUse>,
    /// What the autoscalers did per registration (`None`: not autoscaled).
    autoscaling: Vec<Option<crate::report::AutoscalerUse>>,
    /// How long requests waited for each service before their submission.
    admission: Vec<Option<crate::report::AdmissionWait>>,
    bus: Option<BusCounts>,
    warnings: Vec<String>,
    /// Bytes of memory each registration is billed for.
    memory: Vec<f64>,
    /// Bytes each registration's bodies moved over the network.
    transferred: Vec<f64>,
    /// Prices to bill the run at, if any, and where they come from.
    cost: Option<(Prices, PricesFrom)>,
    /// Its state over time, if metered.
    series: Option<RunSeries>,
}

impl Ended {
    /// The run's summary, from the records `accumulator` gathered.
    pub fn summary(self, accumulator: &Accumulator, provenance: Option<Provenance>) -> Summary {
        let mut summary = accumulator.finish(&self.names, &self.nodes);
        summary.add_container_use(&self.names, &self.containers);
        summary.add_autoscaling(&self.names, &self.autoscaling);
        summary.add_admission(&self.names, &self.admission);
        summary.run = provenance;
        summary.bus = self.bus;
        summary.warnings = self.warnings;
        summary.cost = self.cost.map(|(prices, from)| {
            let billed: Vec<Billed> = (0..self.names.functions.len())
                .map(|r| Billed {
                    memory: self.memory.get(r).copied().unwrap_or(0.0),
                    usage: accumulator.usage(r),
                    transferred: self.transferred.get(r).copied().unwrap_or(0.0),
                    // Keep-alive counts GB of 1e9 bytes; the bill, of 1024 MB.
                    idle_gb_seconds: self.containers.get(r).map_or(0.0, |c| c.idle_gb_seconds * 1e9 / GB),
                })
                .collect();
            Cost::of(prices, from, &billed, &self.names)
        });
        summary
    }
}

/// Simulates one model with one seed, every record going to `sink`, its
/// state metered over intervals of `series` seconds if given.
/// `progress` is called now and then with the simulated date and the
/// invocations so far; the run stops with [`RunError::Interrupted`] when it
/// answers `Break`.
pub fn simulate(
    model: &Model,
    seed: u64,
    options: &RunOptions,
    series: Option<f64>,
    sink: &mut dyn Sink,
    progress: &mut dyn FnMut(f64, u64) -> ControlFlow<()>,
) -> Result<Ended, RunError> {
    let mut run = Run::new(model, seed, options, sink)?;
    let kept = series.map(|interval| run.meter(interval));
    run.run_with_progress(progress)?;
    let metered = run.series();
    let mut warnings = run.warnings();
    if let (Some(asked), Some(metered), Some(kept)) = (series, &metered, kept)
        && metered.interval > asked
    {
        warnings.push(widened(asked, metered.interval, kept));
    }
    Ok(Ended {
        names: run.names(),
        nodes: run.compute_nodes(),
        containers: run.container_use(),
        autoscaling: run.autoscaling(),
        admission: run.admission(),
        bus: run.bus_counts(),
        warnings,
        memory: run.billed_memory(),
        transferred: run.transferred(),
        cost: PricesFrom::choose(None, model.cost),
        series: metered,
    })
}

/// Says that the time series' intervals were widened (`engine::Meter`
/// keeps `kept` at most, fewer than [`MAX_INTERVALS`](crate::engine::MAX_INTERVALS)
/// when the run meters many quantities).
fn widened(asked: f64, interval: f64, kept: u64) -> String {
    // Shortest decimals that read back as the same number, as a user
    // writes them (`2`, `0.8`); a huge one in scientific notation.
    let seconds = |x: f64| {
        if x < 1e12 {
            format!("{x}")
        } else {
            crate::report::figure(x, 3)
        }
    };
    let why = if kept < crate::engine::MAX_INTERVALS {
        " (so few for the many functions, nodes and links metered: their series hold a GiB of means at most)"
    } else {
        ""
    };
    format!(
        "time series: intervals of {} s, not the {} s asked: the run outlasted the {kept} intervals kept{why}, so they were widened two by two (their means exact); ask for `--timeseries {}s` or more not to see this",
        seconds(interval),
        seconds(asked),
        seconds(interval)
    )
}

/// Simulates one model with one seed for its summary alone (no record is
/// kept). `progress` is as for [`simulate`].
pub fn summarise(
    model: &Model,
    seed: u64,
    options: &RunOptions,
    provenance: Option<Provenance>,
    progress: &mut dyn FnMut(f64, u64) -> ControlFlow<()>,
) -> Result<Summary, RunError> {
    let mut accumulator = Accumulator::new(model.platform.hosts.len());
    let ended = simulate(model, seed, options, None, &mut accumulator, progress)?;
    Ok(ended.summary(&accumulator, provenance))
}

/// Simulates one model with one seed into memory: its summary and its
/// records as Arrow tables (with a time series of `interval` seconds per
/// row). `progress` is as for [`simulate`].
#[cfg(feature = "arrow")]
pub fn collect(
    model: &Model,
    seed: u64,
    options: &RunOptions,
    provenance: Option<Provenance>,
    interval: f64,
    progress: &mut dyn FnMut(f64, u64) -> ControlFlow<()>,
) -> Result<(Summary, crate::report::arrow::Tables), RunError> {
    let mut sink = crate::report::arrow::ArrowSink::new(model.platform.hosts.len(), interval);
    let ended = simulate(model, seed, options, None, &mut sink, progress)?;
    let (accumulator, tables) = sink.finish().map_err(|e| RunError::Io(std::io::Error::other(e)))?;
    Ok((ended.summary(&accumulator, provenance), tables))
}

/// A run error about something the script declares: its code, what went
/// wrong, and the declaration to point at (when the model has it).
pub struct Declared {
    pub code: Code,
    pub message: String,
    /// What to write: the code's fix, or one made for this mistake.
    pub help: String,
    pub at: Option<(Span, String)>,
}

/// The run error `error` of `model` as a [`Declared`] mistake, when it is one:
/// a trace invoking an undeclared function points at its replay, a full
/// head disk at its service. `raised_with` is how its user raises a cap
/// the run went past.
pub fn declared(error: &RunError, model: &Model, raised_with: RaisedWith) -> Option<Declared> {
    match error {
        RunError::UnknownTraceFunction { trace, function } => {
            // A function reading `trace.` values is a template, which only a
            // replay's `as` runs: the script declares it, differently.
            let template = model
                .functions
                .iter()
                .any(|f| f.template && crate::diagnostic::text::quote(&f.name) == *function);
            let (message, label) = if template {
                (
                    format!(
                        "the trace `{trace}` invokes `{function}`, a trace template (its body or limits read `trace.` values), which only a replay's `as` runs"
                    ),
                    "this replay has no `as`",
                )
            } else {
                (
                    format!("the trace `{trace}` invokes `{function}`, which the script does not declare"),
                    "this replay has no template",
                )
            };
            Some(Declared {
                code: Code::RunUnknownTraceFunction,
                message,
                help: Code::RunUnknownTraceFunction.fix().to_string(),
                at: model
                    .replays
                    .iter()
                    .find(|r| r.path.display().to_string() == *trace)
                    .map(|r| (r.span, label.to_string())),
            })
        }
        RunError::HeadFull { service, layer } => Some(Declared {
            code: Code::RunHeadFull,
            help: Code::RunHeadFull.fix().to_string(),
            message: format!("the head storage of `{service}` is too small to download layer `{layer}`"),
            at: model
                .services
                .iter()
                .find(|s| s.name == *service)
                .map(|s| (s.span, "its head disk is full".to_string())),
        }),
        RunError::Policy(PolicyError {
            message,
            span: Some(span),
            ..
        }) => Some(Declared {
            code: Code::RunPolicy,
            message: message.clone(),
            help: Code::RunPolicy.fix().to_string(),
            at: Some((*span, "this expression".to_string())),
        }),
        RunError::TooManyInFlight {
            bound,
            date,
            service,
            here,
        } => Some(Declared {
            code: Code::RunTooManyInFlight,
            message: format!(
                "at {date:.3} s more than {} in flight at once: the arrivals outpace the platform",
                invocations_were(*bound)
            ),
            help: format!(
                "give `{service}` more nodes, slots or RAM, or send fewer arrivals; to study the backlog itself, raise the bound with {} (some 300 bytes of memory each)",
                raised_with.set(Cap::InFlight, "N")
            ),
            at: (model.services.iter())
                .find(|s| s.name == *service)
                .map(|s| (s.span, format!("{here} of them in flight here"))),
        }),
        RunError::EpochDates { replay, message, help } => Some(Declared {
            code: Code::TraceEpochDates,
            message: message.clone(),
            help: help.clone(),
            at: model
                .replays
                .get(*replay)
                .map(|r| (r.span, "replayed here".to_string())),
        }),
        _ => None,
    }
}

/// "`n` invocations were", "1 invocation was".
pub fn invocations_were(n: u64) -> String {
    match n {
        1 => "1 invocation was".to_string(),
        n => format!("{n} invocations were"),
    }
}

#[cfg(test)]
mod tests {
    use super::{SUMMARY, SUMMARY_PARTIAL, invocations_were, write_summary};

    #[test]
    fn one_invocation_was_many_were() {
        assert_eq!(invocations_were(0), "0 invocations were");
        assert_eq!(invocations_were(1), "1 invocation was");
        assert_eq!(invocations_were(1000), "1000 invocations were");
    }
    use crate::output::folder::RUN_FILES;
    use crate::report::{Accumulator, Names};

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("sls-driver-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    /// The summary appears under its name whole, and nothing else is left.
    #[test]
    fn the_summary_is_written_whole_and_renamed() {
        let dir = scratch("summary");
        let summary = Accumulator::new(1).finish(&Names::default(), &[]);
        write_summary(&dir.join(SUMMARY), &summary).unwrap();
        let text = std::fs::read_to_string(dir.join(SUMMARY)).unwrap();
        assert_eq!(text, serde_json::to_string_pretty(&summary).unwrap() + "\n");
        assert!(!dir.join(SUMMARY_PARTIAL).exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A summary that cannot take its name is an error, and leaves neither
    /// a summary nor its partial file.
    #[test]
    fn a_summary_that_cannot_be_renamed_leaves_no_file() {
        let dir = scratch("blocked");
        // A folder where the summary goes: the rename is refused.
        std::fs::create_dir(dir.join(SUMMARY)).unwrap();
        std::fs::write(dir.join(SUMMARY).join("kept"), "").unwrap();
        let summary = Accumulator::new(1).finish(&Names::default(), &[]);
        assert!(write_summary(&dir.join(SUMMARY), &summary).is_err());
        assert!(!dir.join(SUMMARY_PARTIAL).exists());
        assert!(dir.join(SUMMARY).join("kept").exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// A reused folder clears both, as every file a run writes.
    #[test]
    fn both_summary_names_are_run_files() {
        assert!(RUN_FILES.contains(&SUMMARY));
        assert!(RUN_FILES.contains(&SUMMARY_PARTIAL));
    }
}

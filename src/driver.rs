//! Running one simulation end to end: the model with one seed, its
//! invocations streamed to `invocations.csv` (and workflows to their files)
//! and its summary written to `summary.json` last, so a run folder holding
//! `summary.json` holds a finished run.

use std::fs::File;
use std::io::BufWriter;
use std::ops::ControlFlow;
use std::path::Path;

use crate::ir::Model;
use crate::output::folder::remove_if_there;
use crate::report::{BackgroundReport, EDGES, INVOCATIONS, Provenance, Summary, WORKFLOWS, WorkflowWriter, in_file};
use crate::serverless::{Run, RunError, RunOptions};

/// The summary's file name in a run's folder.
pub const SUMMARY: &str = "summary.json";

/// Simulates one model with one seed into `dir`, to its end.
pub fn run_to_end(model: &Model, seed: u64, options: &RunOptions, dir: &Path) -> Result<Summary, RunError> {
    run_model(model, seed, options, dir, None, &mut |_, _| ControlFlow::Continue(()))
}

/// Simulates one model with one seed, writing into `dir`. `progress` is
/// called now and then with the simulated date and the invocations so far;
/// the run stops when it answers `Break`.
pub fn run_model(
    model: &Model,
    seed: u64,
    options: &RunOptions,
    dir: &Path,
    provenance: Option<Provenance>,
    progress: &mut dyn FnMut(f64, u64) -> ControlFlow<()>,
) -> Result<Summary, RunError> {
    let io = |name: &'static str| move |e| RunError::Io(in_file(name)(e));
    std::fs::create_dir_all(dir).map_err(RunError::Io)?;
    // A previous run's summary must never sit beside new rows.
    remove_if_there(&dir.join(SUMMARY)).map_err(io(SUMMARY))?;
    let csv = File::create(dir.join(INVOCATIONS)).map_err(io(INVOCATIONS))?;
    let flows = if model.workflows.is_empty() {
        remove_if_there(&dir.join(WORKFLOWS)).map_err(io(WORKFLOWS))?;
        remove_if_there(&dir.join(EDGES)).map_err(io(EDGES))?;
        None
    } else {
        let file = |name: &'static str| {
            File::create(dir.join(name))
                .map(|f| BufWriter::with_capacity(1 << 20, f))
                .map_err(io(name))
        };
        let (w, e) = (file(WORKFLOWS)?, file(EDGES)?);
        Some(WorkflowWriter::new(w, e).map_err(io(WORKFLOWS))?)
    };
    let mut report = BackgroundReport::start(
        BufWriter::with_capacity(1 << 20, csv),
        flows,
        model.platform.hosts.len(),
    )
    .map_err(RunError::Io)?;
    let outcome = Run::new(model, seed, options, &mut report).and_then(|mut run| {
        run.run_with_progress(progress)?;
        Ok((run.names(), run.compute_nodes(), run.bus_counts(), run.warnings()))
    });
    // The writer is joined even when the run failed, so no thread outlives
    // it; its own error, if any, is the one to report.
    let accumulator = report.finish().map_err(RunError::Io);
    let ((names, nodes, bus, warnings), accumulator) = match (outcome, accumulator) {
        (Err(RunError::Io(_)), Err(error)) => return Err(error),
        (outcome, accumulator) => (outcome?, accumulator?),
    };
    let mut summary = accumulator.finish(&names, &nodes);
    summary.run = provenance;
    summary.bus = bus;
    summary.warnings = warnings;
    let json = serde_json::to_string_pretty(&summary).map_err(|e| RunError::Io(e.into()))?;
    std::fs::write(dir.join(SUMMARY), json + "\n").map_err(io(SUMMARY))?;
    Ok(summary)
}

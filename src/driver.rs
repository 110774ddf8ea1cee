//! Running a checked program end to end: every sweep point and repetition
//! is simulated with its own seed, its invocations streamed to
//! `invocations.csv` and its summary written to `summary.json`.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use crate::ir::{Model, Program};
use crate::report::{BackgroundReport, Summary, WorkflowWriter};
use crate::serverless::{Run, RunError, RunOptions};

/// The outcome of one simulated run.
#[derive(Debug)]
pub struct RunResult {
    /// Folder holding its files.
    pub dir: PathBuf,
    /// `(param, value)` of its sweep point.
    pub assignments: Vec<(String, String)>,
    pub seed: u64,
    pub summary: Summary,
}

/// Simulates one model with one seed, writing into `dir`.
pub fn run_model(model: &Model, seed: u64, options: &RunOptions, dir: &Path) -> Result<Summary, RunError> {
    std::fs::create_dir_all(dir).map_err(RunError::Io)?;
    let csv = File::create(dir.join("invocations.csv")).map_err(RunError::Io)?;
    let flows = if model.workflows.is_empty() {
        None
    } else {
        let file = |name: &str| File::create(dir.join(name)).map(|f| BufWriter::with_capacity(1 << 20, f));
        let (w, e) = (
            file("workflows.csv").map_err(RunError::Io)?,
            file("workflow_edges.csv").map_err(RunError::Io)?,
        );
        Some(WorkflowWriter::new(w, e).map_err(RunError::Io)?)
    };
    let mut report = BackgroundReport::start(
        BufWriter::with_capacity(1 << 20, csv),
        flows,
        model.platform.hosts.len(),
    )
    .map_err(RunError::Io)?;
    let bar = options.progress.then(progress_bar);
    let outcome = Run::new(model, seed, options, &mut report).and_then(|mut run| {
        match &bar {
            Some(bar) => run.run_with_progress(&mut |now, submitted| {
                bar.set_message(format!("simulated {}, {submitted} invocations", clock(now)));
                bar.tick();
            })?,
            None => run.run()?,
        }
        Ok((run.names(), run.compute_nodes(), run.bus_counts(), run.warnings()))
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    // The writer is joined even when the run failed, so no thread outlives it.
    let accumulator = report.finish().map_err(RunError::Io);
    let (names, nodes, bus, warnings) = outcome?;
    let accumulator = accumulator?;
    let mut summary = accumulator.finish(&names, &nodes);
    summary.bus = bus;
    summary.warnings = warnings;
    let json = serde_json::to_string_pretty(&summary).map_err(|e| RunError::Io(e.into()))?;
    std::fs::write(dir.join("summary.json"), json + "\n").map_err(RunError::Io)?;
    Ok(summary)
}

/// Folder of a point and repetition under `out`: `out` itself for a single
/// run, else `out/<param=value,...>/rep<k>`.
pub fn run_dir(out: &Path, program: &Program, point: usize, repetition: u32) -> PathBuf {
    if program.points.len() == 1 && program.repeat == 1 {
        return out.to_path_buf();
    }
    let assignments = &program.points[point].assignments;
    let mut dir = out.to_path_buf();
    if !assignments.is_empty() {
        let name: Vec<String> = assignments
            .iter()
            .map(|(p, v)| format!("{p}={}", sanitize(v)))
            .collect();
        dir.push(name.join(","));
    }
    if program.repeat > 1 {
        dir.push(format!("rep{repetition}"));
    }
    dir
}

/// A value as a folder name: path separators and quotes replaced.
fn sanitize(value: &str) -> String {
    value
        .chars()
        .map(|c| if matches!(c, '/' | '\\' | '"' | ' ') { '_' } else { c })
        .collect()
}

/// A spinner on the terminal for long runs.
fn progress_bar() -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar
}

/// A simulated date as `1d 02:03:04`.
fn clock(seconds: f64) -> String {
    let total = seconds.max(0.0) as u64;
    let (days, rest) = (total / 86400, total % 86400);
    let text = format!("{:02}:{:02}:{:02}", rest / 3600, rest % 3600 / 60, rest % 60);
    if days > 0 { format!("{days}d {text}") } else { text }
}

//! `sls run`: claims the results folder, runs every point and repetition
//! (in parallel), prints the summaries, and leaves the folder complete or
//! plainly marked as interrupted.

use std::path::Path;
use std::process::ExitCode;

use indexmap::IndexMap;

use sls::check::{Cap, RaisedWith};
use sls::code::Code;
use sls::diagnostic::{Diagnostic, Diagnostics};
use sls::driver::{Invocations, Output};
use sls::ir::{Model, Program};
use sls::output::runs::RUNS;
use sls::output::table::sweep_table;
use sls::output::{Interrupt, Manifest, OutFolder};
use sls::report::{Summary, in_file};
use sls::serverless::{RunError, RunOptions};
use sls::syntax::source::{Sources, Span};

use super::jobs::{Plan, run_all};
use super::progress::Progress;
use super::{say, stderr_is_terminal, terminal_width};

/// What `sls run` was asked besides the script.
pub struct Request<'a> {
    pub script: &'a Path,
    pub overrides: &'a [String],
    pub seed: Option<u64>,
    pub out: &'a Path,
    pub lenient: bool,
    /// Most invocations a run holds in flight at once.
    pub max_in_flight: u64,
    pub force: bool,
    /// Where each run's rows go, and its prices.
    pub output: Output,
    /// Run this sweep point alone (a part for `sls merge`).
    pub point: Option<usize>,
    /// Threads running runs; 0 for one per core.
    pub jobs: usize,
    pub verbose: bool,
    pub quiet: bool,
}

/// Runs `program`; the exit code says how it went: 0 done, 1 a run
/// failed, 2 the folder cannot take the results, 128 + n stopped by signal n.
pub fn run(program: &Program, sources: &Sources, request: &Request) -> ExitCode {
    // Watched before the folder is claimed, so a signal never leaves a
    // claimed folder unmarked.
    let interrupt = Interrupt::watch();
    if !program.points.iter().any(|p| p.model.declares_work()) {
        sls::tellln!(
            "sls: `{}` declares nothing to run: {}",
            request.script.display(),
            sls::ir::model::NOTHING_TO_RUN
        );
        return ExitCode::from(2);
    }
    let mut manifest = Manifest::new(request.script, sources, request.overrides, request.seed, program);
    manifest.outputs = outputs(&request.output);
    if let Some(point) = request.point {
        if point >= program.points.len() {
            sls::tellln!(
                "sls: `--point {point}` is not a point of `{}`: it has {} (0 to {}); `sls check` counts them",
                request.script.display(),
                program.points.len(),
                program.points.len() - 1
            );
            return ExitCode::from(2);
        }
        manifest.runs.retain(|run| run.point == point);
    }
    let folder = match OutFolder::claim(request.out, &manifest, request.force) {
        Ok(folder) => folder,
        Err(error) => {
            sls::tellln!("sls: {error}");
            return ExitCode::from(2);
        }
    };
    let options = RunOptions {
        lenient: request.lenient,
        max_in_flight: request.max_in_flight,
        // The command line registers no policy of its own.
        ..RunOptions::default()
    };
    let jobs = match request.jobs {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    };
    let progress = Progress::new(&manifest, stderr_is_terminal());
    let plan = Plan {
        options: &options,
        output: request.output,
        jobs,
    };
    let outcomes = run_all(program, &manifest, folder.path(), &plan, &interrupt, &progress);
    progress.clear();
    if let Some(signal) = interrupt.received() {
        let marked = folder.interrupted(signal);
        sls::tellln!(
            "sls: interrupted by {}; the results in `{}` are incomplete{}",
            signal.name(),
            folder.path().display(),
            match marked {
                Ok(()) => " (see its INCOMPLETE file)".to_string(),
                Err(e) => format!(", and marking them so failed: {e}"),
            }
        );
        return ExitCode::from(signal.exit_code());
    }
    let many = manifest.runs.len() > 1;
    let mut summaries = Vec::new();
    // Each warning once, with how many runs gave it: a sweep's runs of one
    // trace say the same thing of it.
    let mut warnings: IndexMap<String, usize> = IndexMap::new();
    for (entry, outcome) in manifest.runs.iter().zip(outcomes) {
        match outcome {
            Some(Ok(summary)) => {
                if !request.quiet && (!many || request.verbose) {
                    if many {
                        say(&format!("== {} (seed {})\n", entry.folder, entry.seed));
                    }
                    say(&summary.render());
                }
                // The checker's warnings were shown at their place in the
                // script before the runs.
                let checked = &program.points[entry.point].model.warnings;
                for warning in summary.warnings.iter().filter(|w| !checked.contains(w)) {
                    *warnings.entry(warning.clone()).or_default() += 1;
                }
                summaries.push(summary);
            }
            Some(Err(error)) => {
                tell_warnings(&warnings, manifest.runs.len());
                let dir = folder.path().join(&entry.folder);
                report_run_error(&error, &dir, &program.points[entry.point].model, sources);
                if let Err(e) = folder.failed(&run_error_line(&error, &dir)) {
                    sls::tellln!("sls: cannot mark `{}` incomplete: {e}", folder.path().display());
                }
                return ExitCode::from(1);
            }
            // Not started because another run failed: that one is reported.
            None => {}
        }
    }
    tell_warnings(&warnings, manifest.runs.len());
    if let Some(warning) = sls::output::repetitions::alike_repetitions(program, &manifest.runs, &summaries) {
        sls::tellln!("sls: warning: {warning}");
    }
    let root = folder.path().to_path_buf();
    if let Err(error) = write_runs(program, &manifest, &summaries, &root).and_then(|()| folder.complete()) {
        sls::tellln!("sls: cannot write results in `{}`: {error}", root.display());
        return ExitCode::from(1);
    }
    if !request.quiet {
        if many {
            say(&sweep_table(program, &manifest, &summaries));
        }
        say(&format!("results in {}\n", request.out.display()));
    }
    ExitCode::SUCCESS
}

/// Each distinct warning of the runs once; of a sweep, with how many of
/// its `runs` gave it.
fn tell_warnings(warnings: &IndexMap<String, usize>, runs: usize) {
    for (warning, &count) in warnings {
        match (runs, count) {
            (1, _) => sls::tellln!("sls: warning: {warning}"),
            (_, 1) => sls::tellln!("sls: warning: {warning} (in one run)"),
            (_, _) if count == runs => sls::tellln!("sls: warning: {warning} (in every run)"),
            (_, _) => sls::tellln!("sls: warning: {warning} (in {count} of the {runs} runs)"),
        }
    }
}

/// What `output` writes beyond the defaults, for the manifest.
fn outputs(output: &Output) -> sls::output::manifest::Outputs {
    sls::output::manifest::Outputs {
        invocations: match output.invocations {
            Invocations::Csv => None,
            Invocations::Parquet => Some("parquet".to_string()),
            Invocations::Nowhere => Some("none".to_string()),
        },
        cost: output.cost,
        timeseries: output.timeseries,
    }
}

/// `runs.csv` at the top of the results folder.
pub fn write_runs(program: &Program, manifest: &Manifest, summaries: &[Summary], root: &Path) -> std::io::Result<()> {
    let file = std::fs::File::create(root.join(RUNS)).map_err(in_file(RUNS))?;
    let mut out = std::io::BufWriter::new(file);
    sls::output::runs::write_runs(&mut out, program, manifest, summaries).map_err(in_file(RUNS))
}

/// A run that could not finish, with its code: trace diagnostics show the
/// trace's line; an error about something the script declares shows where
/// (the service whose head disk is full, the replay without a template).
fn report_run_error(error: &RunError, dir: &Path, model: &Model, sources: &Sources) {
    let color = stderr_is_terminal();
    let width = if color { terminal_width() } else { 100 };
    let report = |code: Code, message: String, help: &str, at: Option<(Span, &str)>| match at {
        Some((span, label)) => {
            let diagnostic = Diagnostic::new(code, message, span, label).with_help(help);
            sls::console::tell(&Diagnostics::from(vec![diagnostic]).render(sources, color, width));
        }
        None => sls::tellln!("sls: {code}: {message}\n  help: {help}"),
    };
    match error {
        RunError::Trace(trace) => {
            let theme = if color {
                miette::GraphicalTheme::unicode()
            } else {
                miette::GraphicalTheme::unicode_nocolor()
            };
            let mut out = String::new();
            let _ = miette::GraphicalReportHandler::new_themed(theme)
                .with_width(width)
                .render_report(&mut out, trace.as_ref());
            sls::console::tell(&out);
        }
        RunError::UnknownTraceFunction { .. }
        | RunError::HeadFull { .. }
        | RunError::EpochDates { .. }
        | RunError::TooManyInFlight { .. }
        | RunError::Policy(sls::serverless::policy::PolicyError { span: Some(_), .. }) => {
            if let Some(d) = sls::driver::declared(error, model, RaisedWith::Flags) {
                report(
                    d.code,
                    d.message,
                    &d.help,
                    d.at.as_ref().map(|(span, label)| (*span, label.as_str())),
                );
            }
        }
        RunError::Io(e) => report(
            Code::RunCannotWrite,
            format!("cannot write results in `{}`: {e}", dir.display()),
            Code::RunCannotWrite.fix(),
            None,
        ),
        other => sls::tellln!("sls: {}", run_error_line(other, dir)),
    }
}

/// A run error in one sentence; `dir` is the run's folder.
fn run_error_line(error: &RunError, dir: &Path) -> String {
    match error {
        RunError::Trace(trace) => trace.to_string(),
        RunError::UnknownTraceFunction { trace, function } => format!(
            "the trace `{trace}` invokes `{function}`, which the script does not declare; declare it, or give the replay a template with `as`"
        ),
        RunError::EpochDates { message, help, .. } => format!("{message}; {help}"),
        RunError::HeadFull { service, layer } => format!(
            "the head storage of `{service}` is too small to download layer `{layer}`; give its head disk more space"
        ),
        RunError::TooManyInFlight { bound, date, .. } => format!(
            "at {date:.3} s more than {} in flight at once; give the platform more capacity or the workload fewer arrivals, or raise the bound with {}",
            sls::driver::invocations_were(*bound),
            RaisedWith::Flags.set(Cap::InFlight, "N")
        ),
        RunError::Io(e) => format!("cannot write results in `{}`: {e}", dir.display()),
        RunError::Interrupted => "interrupted".to_string(),
        RunError::Platform(e) | RunError::Engine(e) => format!("internal error: {e}"),
        RunError::Policy(e) => e.to_string(),
    }
}

//! Running the runs of a program on several threads: each worker takes the
//! next run not yet started, and results are kept by run index, so what is
//! written and printed does not depend on the number of jobs. A failure or
//! a stop signal starts no new run and stops those under way.

use std::ops::ControlFlow;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use sls::driver::Output;
use sls::ir::Program;
use sls::output::{Interrupt, Manifest};
use sls::report::Summary;
use sls::serverless::{RunError, RunOptions};

use super::progress::Progress;

/// What running every run gave: one entry per run, in run order; `None` for
/// a run that was not started or was stopped.
pub type Outcomes = Vec<Option<Result<Summary, RunError>>>;

/// How each run is made: the service model's options, what it writes,
/// and how many run at once.
pub struct Plan<'a> {
    pub options: &'a RunOptions,
    pub output: Output,
    pub jobs: usize,
}

/// Runs every point and repetition of `program` into the folders the
/// manifest names under `root`, on `plan.jobs` threads.
pub fn run_all(
    program: &Program,
    manifest: &Manifest,
    root: &std::path::Path,
    plan: &Plan,
    interrupt: &Interrupt,
    progress: &Progress,
) -> Outcomes {
    let Plan { options, output, jobs } = *plan;
    let runs = manifest.runs.len();
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    let outcomes: Mutex<Outcomes> = Mutex::new((0..runs).map(|_| None).collect());
    let stopping = || failed.load(Ordering::SeqCst) || interrupt.received().is_some();
    let worker = || {
        loop {
            let index = next.fetch_add(1, Ordering::SeqCst);
            if index >= runs || stopping() {
                return;
            }
            let entry = &manifest.runs[index];
            let model = &program.points[entry.point].model;
            let dir: PathBuf = root.join(&entry.folder);
            progress.started(index);
            let mut tick = |now: f64, submitted: u64| {
                progress.tick(now, submitted);
                if stopping() {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            };
            let outcome = sls::driver::run_model(
                model,
                entry.seed,
                options,
                &dir,
                output,
                Some(manifest.provenance(index)),
                &mut tick,
            );
            progress.finished();
            let outcome = match outcome {
                Err(RunError::Interrupted) => None,
                Err(error) => {
                    failed.store(true, Ordering::SeqCst);
                    Some(Err(error))
                }
                Ok(summary) => Some(Ok(summary)),
            };
            if let Ok(mut outcomes) = outcomes.lock() {
                outcomes[index] = outcome;
            }
        }
    };
    let threads = jobs.clamp(1, runs.max(1));
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(worker);
        }
        worker();
    });
    outcomes.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner())
}

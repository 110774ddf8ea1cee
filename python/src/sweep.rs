//! Sweeps: a script run at every point of a grid of parameter values (times
//! the script's own sweep), each point `repeat` times. Every run is a task
//! that any process can execute from its description alone (the script's
//! text, overrides, seed, point and repetition: it checks the script again
//! and runs it for its summary), so the same tasks run on local threads or
//! on a cluster's workers and give the same bytes. Gathered summaries are
//! checked against the run each was asked for, then laid out as the rows
//! of `runs.csv`.

use std::ops::ControlFlow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use arrow_array::builder::{Float64Builder, StringBuilder, UInt64Builder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;

use sls::check::{Cap, Limits};
use sls::ir;
use sls::ir::model::NOTHING_TO_RUN;
use sls::output::Manifest;
use sls::output::repetitions::alike_repetitions;
use sls::output::runs::{Cells, runs_table};
use sls::policy::Policies;
use sls::report::metrics::Metric;
use sls::report::{Provenance, Summary};
use sls::serverless::RunOptions;

use crate::errors::run_error;
use crate::limits::{self, LimitFields};
use crate::running::table;
use crate::script::{Program, Script};

/// One run of a sweep, all a process needs to execute it.
#[derive(Debug, Clone)]
pub struct Task {
    pub script: Script,
    /// The grid point's `-p` overrides (after the sweep's own).
    pub overrides: Vec<String>,
    pub seed: Option<u64>,
    pub repeat: u32,
    /// The point among the script's own sweep points at these overrides.
    pub point: usize,
    /// The point among all the sweep's points (the table's `point`).
    pub sweep_point: usize,
    pub repetition: u32,
    pub lenient: bool,
    /// The caps the sweep was checked under, its run's check too.
    pub limits: Limits,
}

/// The fields of a [`Task`] as Python passes them around (a plain tuple
/// pickles anywhere).
pub type TaskFields = (
    String,
    String,
    String,
    Vec<String>,
    Option<u64>,
    u32,
    usize,
    usize,
    u32,
    bool,
    LimitFields,
);

impl Task {
    pub fn fields(&self) -> TaskFields {
        (
            self.script.name.clone(),
            self.script.path.display().to_string(),
            self.script.text.clone(),
            self.overrides.clone(),
            self.seed,
            self.repeat,
            self.point,
            self.sweep_point,
            self.repetition,
            self.lenient,
            limits::fields(&self.limits),
        )
    }

    pub fn from_fields(f: TaskFields) -> Task {
        let (name, path, text, overrides, seed, repeat, point, sweep_point, repetition, lenient, limits) = f;
        Task {
            script: Script {
                name,
                path: PathBuf::from(path),
                text,
            },
            overrides,
            seed,
            repeat,
            point,
            sweep_point,
            repetition,
            lenient,
            limits: limits::from_fields(limits),
        }
    }

    /// Where the run comes from, as its summary must say.
    fn provenance(&self, program: &Program) -> PyResult<Provenance> {
        let mut provenance = program.provenance(self.point, self.repetition)?;
        provenance.point = self.sweep_point;
        Ok(provenance)
    }

    /// Checks the script and runs the task for its summary, as JSON. The
    /// GIL is released while it runs; the run stops when `stop` says so.
    fn execute(&self, py: Python<'_>, stop: &(dyn Fn() -> bool + Sync)) -> PyResult<String> {
        let program = self.script.check(
            py,
            &self.overrides,
            self.seed,
            Some(self.repeat),
            Policies::new(),
            self.limits,
        )?;
        let provenance = self.provenance(&program)?;
        let checked = &program.checked;
        let model = &checked.program.points[self.point].model;
        let options = RunOptions {
            lenient: self.lenient,
            max_in_flight: self.limits.in_flight,
            ..RunOptions::default()
        };
        let seed = provenance.seed;
        let outcome = py.detach(|| {
            sls::driver::summarise(model, seed, &options, Some(provenance), &mut |_, _| {
                if stop() {
                    ControlFlow::Break(())
                } else {
                    ControlFlow::Continue(())
                }
            })
        });
        let summary =
            outcome.map_err(|error| run_error(py, error, model, &checked.sources, self.limits.raised_with))?;
        serde_json::to_string(&summary).map_err(|e| PyRuntimeError::new_err(e.to_string()))
    }
}

/// A `ValueError` if a sweep of `runs` runs is over `limits`' `max_runs`.
fn too_many_runs(runs: usize, limits: &Limits) -> PyResult<()> {
    if runs as u64 <= limits.runs {
        return Ok(());
    }
    Err(PyValueError::new_err(format!(
        "the sweep makes {runs} runs or more (grid points times the script's points times repetitions), more than the {} `max_runs` allows: sweep fewer values, or raise the limit with {}",
        limits.runs,
        limits.raised_with.set(Cap::Runs, &runs.to_string())
    )))
}

/// Executes one task (a tuple from `Sweep.tasks`): its summary as JSON.
/// Ctrl-C stops it when it runs on the main thread.
#[pyfunction]
pub fn run_task(py: Python<'_>, task: TaskFields) -> PyResult<String> {
    let signalled = AtomicBool::new(false);
    let stop = || {
        // Signals are handled on the main thread only; elsewhere this is a no-op.
        let raised = Python::attach(|py| py.check_signals()).is_err();
        signalled.fetch_or(raised, Ordering::SeqCst) || raised
    };
    let result = Task::from_fields(task).execute(py, &stop);
    if signalled.load(Ordering::SeqCst) {
        return Err(pyo3::exceptions::PyKeyboardInterrupt::new_err(
            "the sweep was interrupted",
        ));
    }
    result
}

/// A sweep, checked: every grid point's program, every run as a task.
#[pyclass(frozen, module = "sls._sls")]
pub struct Sweep {
    tasks: Vec<Task>,
    /// Every point of every grid point, in order, `repeat` times each.
    whole: ir::Program,
    /// What each summary must say of its run, in task order.
    expected: Vec<Provenance>,
    manifest: Manifest,
}

#[pymethods]
impl Sweep {
    /// Checks `script` at every point of `grid` (each a list of `-p`
    /// overrides added to `params`), each under `limits` (`limits=` keys);
    /// raises `sls.DiagnosticError` for the first point the checker refuses.
    #[new]
    #[pyo3(signature = (script, is_path, folder, params, grid, seed=None, repeat=None, lenient=false, limits=Vec::new()))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        script: String,
        is_path: bool,
        folder: Option<String>,
        params: Vec<String>,
        grid: Vec<Vec<String>>,
        seed: Option<u64>,
        repeat: Option<u32>,
        lenient: bool,
        limits: Vec<(String, u64)>,
    ) -> PyResult<Sweep> {
        let limits = limits::limits(&limits)?;
        if repeat == Some(0) {
            return Err(PyValueError::new_err("repeat must be at least 1"));
        }
        let script = match is_path {
            true => Script::file(&script)?,
            false => Script::text(script, folder.as_deref()),
        };
        let anchored = script.anchored()?;
        let grid = if grid.is_empty() { vec![Vec::new()] } else { grid };
        // Each grid point's check holds its own runs to the cap; the grid's
        // are held here, before checking points the cap would refuse.
        too_many_runs(grid.len(), &limits)?;
        let mut whole = ir::Program {
            points: Vec::new(),
            repeat: repeat.unwrap_or(1),
        };
        let (mut tasks, mut expected) = (Vec::new(), Vec::new());
        let mut first_sources = None;
        for values in grid {
            let overrides: Vec<String> = params.iter().chain(&values).cloned().collect();
            let program = script.check(py, &overrides, seed, repeat, Policies::new(), limits)?;
            let checked = &program.checked;
            whole.repeat = checked.program.repeat;
            for point in 0..checked.program.points.len() {
                let sweep_point = whole.points.len();
                whole.points.push(checked.program.points[point].clone());
                for repetition in 0..checked.program.repeat {
                    let task = Task {
                        script: anchored.clone(),
                        overrides: overrides.clone(),
                        seed,
                        repeat: checked.program.repeat,
                        point,
                        sweep_point,
                        repetition,
                        lenient,
                        limits,
                    };
                    expected.push(task.provenance(&program)?);
                    tasks.push(task);
                }
            }
            first_sources.get_or_insert_with(|| Arc::clone(checked));
            too_many_runs(tasks.len(), &limits)?;
        }
        let sources = &first_sources
            .ok_or_else(|| PyValueError::new_err("the grid has no point"))?
            .sources;
        if !whole.points.iter().any(|p| p.model.declares_work()) {
            return Err(PyValueError::new_err(format!(
                "`{}` declares nothing to run: {NOTHING_TO_RUN}",
                script.name
            )));
        }
        let manifest = Manifest::new(Path::new(&script.name), sources, &params, seed, &whole);
        Ok(Sweep {
            tasks,
            whole,
            expected,
            manifest,
        })
    }

    /// Every run, as tuples `run_task` executes (in the table's row order).
    fn tasks(&self) -> Vec<TaskFields> {
        self.tasks.iter().map(Task::fields).collect()
    }

    /// Executes every task on `jobs` threads of this process, the GIL
    /// released; Ctrl-C stops the runs under way and starts no other.
    /// Returns the summaries as JSON, in task order.
    fn run_local(&self, py: Python<'_>, jobs: usize) -> PyResult<Vec<String>> {
        let next = AtomicUsize::new(0);
        let stopping = AtomicBool::new(false);
        let done = AtomicUsize::new(0);
        let summaries: Mutex<Vec<Option<String>>> = Mutex::new(vec![None; self.tasks.len()]);
        // The first run that failed (runs it stopped fail too, and are not it).
        let failure: Mutex<Option<PyErr>> = Mutex::new(None);
        let stop = || stopping.load(Ordering::SeqCst);
        let worker = || {
            loop {
                let index = next.fetch_add(1, Ordering::SeqCst);
                if index >= self.tasks.len() || stop() {
                    break;
                }
                match Python::attach(|py| self.tasks[index].execute(py, &stop)) {
                    Ok(summary) => {
                        if let Ok(mut summaries) = summaries.lock() {
                            summaries[index] = Some(summary);
                        }
                    }
                    Err(error) => {
                        if !stopping.swap(true, Ordering::SeqCst)
                            && let Ok(mut failure) = failure.lock()
                        {
                            *failure = Some(error);
                        }
                    }
                }
            }
            done.fetch_add(1, Ordering::SeqCst);
        };
        let threads = jobs.clamp(1, self.tasks.len().max(1));
        let mut interrupted = None;
        py.detach(|| {
            std::thread::scope(|scope| {
                for _ in 0..threads {
                    scope.spawn(worker);
                }
                // This thread watches for Ctrl-C while the workers run.
                while done.load(Ordering::SeqCst) < threads {
                    std::thread::sleep(Duration::from_millis(20));
                    if interrupted.is_none()
                        && let Err(error) = Python::attach(|py| py.check_signals())
                    {
                        interrupted = Some(error);
                        stopping.store(true, Ordering::SeqCst);
                    }
                }
            })
        });
        if let Some(error) = interrupted {
            return Err(error);
        }
        let poisoned = || PyRuntimeError::new_err("a sweep thread panicked");
        if let Some(error) = failure.into_inner().map_err(|_| poisoned())? {
            return Err(error);
        }
        summaries
            .into_inner()
            .map_err(|_| poisoned())?
            .into_iter()
            .map(|s| s.ok_or_else(|| PyRuntimeError::new_err("a run of the sweep did not finish")))
            .collect()
    }

    /// The table of runs (a pyarrow Table, one row per task in order) from
    /// their summaries as JSON, each checked to be the run asked for, and
    /// what `sls run` says of points whose repetitions all gave the same
    /// summary, if any did.
    fn table(&self, py: Python<'_>, summaries: Vec<String>) -> PyResult<(Py<PyAny>, Option<String>)> {
        if summaries.len() != self.tasks.len() {
            return Err(PyValueError::new_err(format!(
                "{} summaries for {} runs",
                summaries.len(),
                self.tasks.len()
            )));
        }
        let mut parsed: Vec<Summary> = Vec::new();
        for (json, expected) in summaries.iter().zip(&self.expected) {
            let summary: Summary =
                serde_json::from_str(json).map_err(|e| PyValueError::new_err(format!("not a summary: {e}")))?;
            if summary.run.as_ref() != Some(expected) {
                return Err(PyRuntimeError::new_err(format!(
                    "a worker ran another run than point {}, repetition {} asked for (another sls version, or other files under the same paths?): it reports {:?}",
                    expected.point, expected.repetition, summary.run
                )));
            }
            parsed.push(summary);
        }
        let metrics: Vec<Vec<Metric>> = parsed.iter().map(Summary::metrics).collect();
        let alike = alike_repetitions(&self.whole, &self.manifest.runs, &parsed);
        let columns = runs_table(&self.whole, &self.manifest.runs, &metrics);
        let mut fields = Vec::new();
        let mut arrays: Vec<ArrayRef> = Vec::new();
        // A run's folder is the command line's; in memory there is none.
        for column in columns.into_iter().filter(|c| c.header != "folder") {
            let (kind, array): (DataType, ArrayRef) = match column.cells {
                Cells::Text(texts) => {
                    let mut b = StringBuilder::new();
                    texts.iter().for_each(|t| b.append_value(t));
                    (DataType::Utf8, Arc::new(b.finish()))
                }
                Cells::Count(counts) => {
                    let mut b = UInt64Builder::new();
                    b.append_slice(&counts);
                    (DataType::UInt64, Arc::new(b.finish()))
                }
                Cells::Number(numbers) => {
                    let mut b = Float64Builder::new();
                    numbers.iter().for_each(|n| b.append_option(*n));
                    (DataType::Float64, Arc::new(b.finish()))
                }
            };
            fields.push(Field::new(column.header, kind, true));
            arrays.push(array);
        }
        let batch = RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays)
            .map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
        Ok((table(py, batch)?, alike))
    }

    fn __len__(&self) -> usize {
        self.tasks.len()
    }
}

//! A script as Python gives it (a file, or text whose relative paths start
//! from a folder) and its check: the checked `Program` Python holds, whose
//! runs go to memory as Arrow tables.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use pyo3::exceptions::{PyIndexError, PyOSError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use sls::check::{Limits, Options, check};
use sls::ir;
use sls::ir::model::NOTHING_TO_RUN;
use sls::output::Manifest;
use sls::policy::Policies;
use sls::report::Provenance;
use sls::syntax::source::Sources;

use crate::errors::check_error;
use crate::running::{Finished, simulate};

/// The name a script given as text has in diagnostics.
pub const TEXT_NAME: &str = "<string>";

/// A script's text with where it came from.
#[derive(Debug, Clone)]
pub struct Script {
    /// As given (a path), or `<string>`: what results and diagnostics show.
    pub name: String,
    /// The file, or `<string>` in the folder its relative paths start from.
    pub path: PathBuf,
    pub text: String,
}

impl Script {
    /// The file at `path`.
    pub fn file(path: &str) -> PyResult<Script> {
        let text =
            std::fs::read_to_string(path).map_err(|e| PyOSError::new_err(format!("cannot read `{path}`: {e}")))?;
        Ok(Script {
            name: path.to_string(),
            path: PathBuf::from(path),
            text,
        })
    }

    /// `text`, its relative paths from `folder` (the current one if `None`).
    pub fn text(text: String, folder: Option<&str>) -> Script {
        Script {
            name: TEXT_NAME.to_string(),
            path: Path::new(folder.unwrap_or("")).join(TEXT_NAME),
            text,
        }
    }

    /// The same script with an absolute path, so that another process (a
    /// cluster's worker, on a shared file system) finds the same files.
    pub fn anchored(&self) -> PyResult<Script> {
        let path = std::path::absolute(&self.path)
            .map_err(|e| PyOSError::new_err(format!("cannot resolve `{}`: {e}", self.path.display())))?;
        Ok(Script { path, ..self.clone() })
    }

    /// Checks the script with `-p` overrides and a seed (and another number
    /// of repetitions than its sweep's, if given) under `limits`: the
    /// program, or `sls.DiagnosticError`.
    pub fn check(
        &self,
        py: Python<'_>,
        overrides: &[String],
        seed: Option<u64>,
        repeat: Option<u32>,
        policies: Policies,
        limits: Limits,
    ) -> PyResult<Program> {
        let options = Options {
            params: overrides.to_vec(),
            seed,
            registered: policies.names(),
            limits,
        };
        let checked = py.detach(|| check(&self.path, self.text.clone(), &options));
        let mut program = checked
            .program
            .map_err(|diagnostics| check_error(py, &diagnostics, &checked.sources))?;
        if let Some(repeat) = repeat {
            program.repeat = repeat;
        }
        let manifest = Manifest::new(Path::new(&self.name), &checked.sources, overrides, seed, &program);
        Ok(Program {
            script: self.clone(),
            overrides: overrides.to_vec(),
            seed,
            policies,
            limits,
            checked: Arc::new(Checked {
                sources: checked.sources,
                program,
                warnings: checked.warnings,
                manifest,
            }),
        })
    }
}

/// What a check gives, shared by the program's runs.
pub struct Checked {
    pub sources: Sources,
    pub program: ir::Program,
    /// What the check warned of, for `Program.warnings`.
    pub warnings: sls::diagnostic::Diagnostics,
    /// Every run's point, repetition, seed and parameters.
    pub manifest: Manifest,
}

/// A checked script: its sweep points, their parameters, its repetitions;
/// run any of its runs with `Program.run`.
#[pyclass(frozen, module = "sls._sls")]
pub struct Program {
    pub script: Script,
    pub overrides: Vec<String>,
    pub seed: Option<u64>,
    /// The policies registered for its runs (written in Python).
    pub policies: Policies,
    /// The caps it was checked under; its runs hold `in_flight` of them.
    pub limits: Limits,
    pub checked: Arc<Checked>,
}

impl Program {
    /// Where run `point`, `repetition` came from, as its summary says.
    pub fn provenance(&self, point: usize, repetition: u32) -> PyResult<Provenance> {
        let program = &self.checked.program;
        if point >= program.points.len() || repetition >= program.repeat {
            return Err(PyIndexError::new_err(format!(
                "no run at point {point}, repetition {repetition}: the script has {} point(s) of {} repetition(s)",
                program.points.len(),
                program.repeat
            )));
        }
        Ok(self
            .checked
            .manifest
            .provenance(point * program.repeat as usize + repetition as usize))
    }
}

#[pymethods]
impl Program {
    /// The script as given: its path, or `<string>`.
    #[getter]
    fn script(&self) -> &str {
        &self.script.name
    }

    /// SHA-256 of the script's text and the files it includes.
    #[getter]
    fn sha256(&self) -> &str {
        &self.checked.manifest.script_sha256
    }

    /// What the check warned of (allowed, likely not meant): a list of
    /// `sls.Diagnostic`, each with `severity == "warning"`. Each run's
    /// summary keeps them too, and running warns of them (`sls.RunWarning`).
    #[getter]
    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyAny>>> {
        crate::errors::warnings(py, &self.checked.warnings, &self.checked.sources)
    }

    /// Repetitions of each point (each with its own seed).
    #[getter]
    fn repeat(&self) -> u32 {
        self.checked.program.repeat
    }

    /// The sweep's points: the values each sets, as written.
    #[getter]
    fn points<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyDict>>> {
        self.checked
            .program
            .points
            .iter()
            .map(|point| {
                let dict = PyDict::new(py);
                for (name, value) in &point.assignments {
                    dict.set_item(name, value)?;
                }
                Ok(dict)
            })
            .collect()
    }

    /// Every parameter's value at each point, as written.
    #[getter]
    fn parameters<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyDict>>> {
        self.checked
            .program
            .points
            .iter()
            .map(|point| {
                let dict = PyDict::new(py);
                for setting in &point.parameters {
                    dict.set_item(&setting.name, &setting.text)?;
                }
                Ok(dict)
            })
            .collect()
    }

    /// Runs `point`, `repetition` to its end in memory, the GIL released;
    /// Ctrl-C stops it. Returns the invocations, workflows, workflow edges
    /// and time series (pyarrow Tables) and the summary (JSON text).
    #[pyo3(signature = (point=0, repetition=0, interval=1.0, lenient=false))]
    fn run(&self, py: Python<'_>, point: usize, repetition: u32, interval: f64, lenient: bool) -> PyResult<Finished> {
        if !(interval > 0.0 && interval.is_finite()) {
            return Err(PyValueError::new_err(format!(
                "interval must be a positive number of seconds, not {interval}"
            )));
        }
        let provenance = self.provenance(point, repetition)?;
        if !self.checked.program.points[point].model.declares_work() {
            return Err(PyValueError::new_err(format!(
                "`{}` declares nothing to run: {NOTHING_TO_RUN}",
                self.script.name
            )));
        }
        simulate(py, self, point, provenance, interval, lenient)
    }

    fn __repr__(&self) -> String {
        let program = &self.checked.program;
        format!(
            "<sls.Program {}: {} point(s) x {} repetition(s)>",
            self.script.name,
            program.points.len(),
            program.repeat
        )
    }
}

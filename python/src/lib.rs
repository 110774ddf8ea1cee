//! `sls._sls`, the native half of the `sls` Python package: checking a
//! script ([`script`]), running it in memory with its records handed to
//! pyarrow ([`running`]), with policies written in Python ([`policies`]), sweeps as tasks any process can execute
//! ([`sweep`]), and diagnostics raised as `sls.DiagnosticError`
//! ([`errors`]). The Python half (`python/sls/`) holds the public API.

mod errors;
mod limits;
mod policies;
mod running;
mod script;
mod sweep;

use pyo3::prelude::*;
use pyo3::types::PyDict;

use script::{Program, Script};

/// Checks a script (a file when `is_path`, else text whose relative paths
/// start from `folder`) with `-p` overrides, a seed, policies written in
/// Python registered under names it may choose, and caps (`limits=` keys)
/// other than the command line's defaults.
#[pyfunction]
#[pyo3(signature = (script, is_path, folder=None, params=Vec::new(), seed=None, policies=None, limits=Vec::new()))]
#[allow(clippy::too_many_arguments)]
fn check(
    py: Python<'_>,
    script: String,
    is_path: bool,
    folder: Option<String>,
    params: Vec<String>,
    seed: Option<u64>,
    policies: Option<&Bound<'_, PyDict>>,
    limits: Vec<(String, u64)>,
) -> PyResult<Program> {
    let limits = limits::limits(&limits)?;
    let script = match is_path {
        true => Script::file(&script)?,
        false => Script::text(script, folder.as_deref()),
    };
    script.check(py, &params, seed, None, policies::register(policies)?, limits)
}

/// The mean of `values` and the half-width of its 95 % confidence interval
/// (Student's t; `None` for fewer than two values), as `sls run` prints
/// them for a sweep's repetitions.
#[pyfunction]
fn estimate(values: Vec<f64>) -> PyResult<(f64, Option<f64>)> {
    sls::report::stats::estimate(&values)
        .map(|e| (e.mean, e.half_width))
        .ok_or_else(|| pyo3::exceptions::PyValueError::new_err("no values to estimate from"))
}

#[pymodule]
fn _sls(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("TEXT_NAME", script::TEXT_NAME)?;
    m.add_function(wrap_pyfunction!(check, m)?)?;
    m.add_function(wrap_pyfunction!(estimate, m)?)?;
    m.add_function(wrap_pyfunction!(sweep::run_task, m)?)?;
    m.add_class::<Program>()?;
    m.add_class::<sweep::Sweep>()?;
    m.add_class::<policies::KeepAliveObs>()?;
    m.add_class::<policies::PlaceObs>()?;
    Ok(())
}

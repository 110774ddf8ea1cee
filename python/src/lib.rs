//! `sls._sls`, the native half of the `sls` Python package: checking a
//! script ([`script`]), running it in memory with its records handed to
//! pyarrow ([`running`]), sweeps as tasks any process can execute
//! ([`sweep`]), and diagnostics raised as `sls.DiagnosticError`
//! ([`errors`]). The Python half (`python/sls/`) holds the public API.

mod errors;
mod running;
mod script;
mod sweep;

use pyo3::prelude::*;

use script::{Program, Script};

/// Checks a script (a file when `is_path`, else text whose relative paths
/// start from `folder`) with `-p` overrides and a seed.
#[pyfunction]
#[pyo3(signature = (script, is_path, folder=None, params=Vec::new(), seed=None))]
fn check(
    py: Python<'_>,
    script: String,
    is_path: bool,
    folder: Option<String>,
    params: Vec<String>,
    seed: Option<u64>,
) -> PyResult<Program> {
    let script = match is_path {
        true => Script::file(&script)?,
        false => Script::text(script, folder.as_deref()),
    };
    script.check(py, &params, seed, None)
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
    Ok(())
}

//! One run in memory, the GIL released while it simulates: its records as
//! pyarrow Tables (handed over through the Arrow C data interface, no copy)
//! and its summary as JSON. Ctrl-C stops it between events.

use std::ops::ControlFlow;

use arrow_array::RecordBatch;
use arrow_pyarrow::{IntoPyArrow, Table};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;

use sls::report::Provenance;
use sls::serverless::RunOptions;

use crate::errors::run_error;
use crate::script::Program;

/// A finished run: invocations, workflows, workflow edges and time series
/// (pyarrow Tables), then the summary as JSON.
pub type Finished = (Py<PyAny>, Py<PyAny>, Py<PyAny>, Py<PyAny>, String);

/// Runs `point` of `program` with the seed and repetition `provenance`
/// names, its policies and its cap on invocations in flight.
pub fn simulate(
    py: Python<'_>,
    program: &Program,
    point: usize,
    provenance: Provenance,
    interval: f64,
    lenient: bool,
) -> PyResult<Finished> {
    let checked = &program.checked;
    let model = &checked.program.points[point].model;
    let options = RunOptions {
        lenient,
        policies: program.policies.clone(),
        max_in_flight: program.limits.in_flight,
        ..RunOptions::default()
    };
    let seed = provenance.seed;
    let mut interrupted: Option<PyErr> = None;
    let outcome = py.detach(|| {
        sls::driver::collect(model, seed, &options, Some(provenance), interval, &mut |_, _| {
            // A pending Ctrl-C (or any signal handler that raised) stops the run.
            match Python::attach(|py| py.check_signals()) {
                Ok(()) => ControlFlow::Continue(()),
                Err(error) => {
                    interrupted = Some(error);
                    ControlFlow::Break(())
                }
            }
        })
    });
    if let Some(error) = interrupted {
        return Err(error);
    }
    let (summary, tables) =
        outcome.map_err(|error| run_error(py, error, model, &checked.sources, program.limits.raised_with))?;
    let json = serde_json::to_string(&summary).map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    Ok((
        table(py, tables.invocations)?,
        table(py, tables.workflows)?,
        table(py, tables.edges)?,
        table(py, tables.timeseries)?,
        json,
    ))
}

/// A record batch as a `pyarrow.Table`, its buffers shared.
pub fn table(py: Python<'_>, batch: RecordBatch) -> PyResult<Py<PyAny>> {
    let schema = batch.schema();
    let table = Table::try_new(vec![batch], schema).map_err(|e| PyRuntimeError::new_err(e.to_string()))?;
    Ok(table.into_pyarrow(py)?.unbind())
}

//! The caps a Python user sets with `limits=` (`{"max_in_flight": 20000000}`,
//! the command line's `--max-...` flags by their Python keys), as the
//! checker's [`Limits`], whose helps then name those keys.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;

use sls::check::{Cap, Limits, RaisedWith};

/// The caps as a plain tuple, in [`Cap::ALL`]'s order: how a sweep's task
/// carries them to another process.
pub type LimitFields = (u64, u64, u64, u64, u64);

/// The default caps with `given` ones raised or lowered, named by their
/// Python keys; a `ValueError` names an unknown key and the known ones.
pub fn limits(given: &[(String, u64)]) -> PyResult<Limits> {
    let mut limits = Limits {
        raised_with: RaisedWith::PythonLimits,
        ..Limits::default()
    };
    for (key, value) in given {
        let cap = Cap::ALL.into_iter().find(|cap| cap.key() == key).ok_or_else(|| {
            let keys: Vec<&str> = Cap::ALL.iter().map(|cap| cap.key()).collect();
            PyValueError::new_err(format!("limits has no `{key}`: its keys are {}", keys.join(", ")))
        })?;
        limits.set(cap, *value);
    }
    Ok(limits)
}

pub fn fields(limits: &Limits) -> LimitFields {
    let [runs, hosts, invocations, output, in_flight] = Cap::ALL.map(|cap| limits.get(cap));
    (runs, hosts, invocations, output, in_flight)
}

pub fn from_fields(f: LimitFields) -> Limits {
    let mut limits = Limits {
        raised_with: RaisedWith::PythonLimits,
        ..Limits::default()
    };
    let (runs, hosts, invocations, output, in_flight) = f;
    for (cap, value) in Cap::ALL.into_iter().zip([runs, hosts, invocations, output, in_flight]) {
        limits.set(cap, value);
    }
    limits
}

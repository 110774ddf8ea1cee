//! Policies written in Python: `sls.run(script, policies={"mine": Mine()})`
//! registers each object under its name through the library's
//! [`Policies`], as a keep-alive policy when it has a `keep_alive` method,
//! a placement when it has `place` (both when it has both). Each decision
//! re-acquires the GIL (the run holds it released), builds the observation
//! and calls the method; an exception, or an answer that is no decision,
//! stops the run with the policy's name and the simulated date
//! (`sls.PolicyError`), never a panic.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyTuple};

use sls::policy::keep_alive::{Idle, KeepAlive};
use sls::policy::{Choosing, PickNode, Policies, RegId, Stopper};

/// What a Python keep-alive policy's `keep_alive(obs)` sees: a container
/// going idle.
#[pyclass(frozen, module = "sls._sls", name = "KeepAliveObs")]
pub struct KeepAliveObs {
    /// The function it last served (a trace's: `app/function`).
    #[pyo3(get)]
    function: String,
    /// Its node, by index in the service's `compute` list (from 0).
    #[pyo3(get)]
    node: usize,
    /// The simulated date, in seconds.
    #[pyo3(get)]
    now: f64,
    /// The container's id (unique in the service).
    #[pyo3(get)]
    container: u32,
    /// Whether it has just been prewarmed (rather than ended an invocation).
    #[pyo3(get)]
    prewarmed: bool,
}

/// What a Python placement policy's `place(obs)` sees: a waiting
/// invocation and the service's nodes.
#[pyclass(frozen, module = "sls._sls", name = "PlaceObs")]
pub struct PlaceObs {
    /// The function invoked.
    #[pyo3(get)]
    function: String,
    /// The invocation's id, or `None` for a container prewarmed ahead of
    /// invocations.
    #[pyo3(get)]
    invocation: Option<u64>,
    /// The simulated date, in seconds.
    #[pyo3(get)]
    now: f64,
    /// When the invocation was submitted, in seconds.
    #[pyo3(get)]
    submit: f64,
    /// The nodes' host names, in the service's `compute` order.
    #[pyo3(get)]
    nodes: Py<PyTuple>,
    /// Each node's slots free for this round's decisions.
    #[pyo3(get)]
    free_slots: Vec<u32>,
    /// Whether each node has an idle container that can serve it.
    #[pyo3(get)]
    warm: Vec<bool>,
    /// Whether each node is up (its host has not failed, or is back).
    #[pyo3(get)]
    up: Vec<bool>,
}

/// `policies` (a dict of names to objects) as the library's registrations.
pub fn register(policies: Option<&Bound<'_, PyDict>>) -> PyResult<Policies> {
    let mut registered = Policies::new();
    let Some(policies) = policies else {
        return Ok(registered);
    };
    for (name, policy) in policies.iter() {
        let name: String = name
            .extract()
            .map_err(|_| PyTypeError::new_err("a policy's name is a str"))?;
        let keeps = policy.hasattr("keep_alive")?;
        let places = policy.hasattr("place")?;
        if !keeps && !places {
            return Err(PyTypeError::new_err(format!(
                "policy `{name}` has neither a `keep_alive(obs)` method (a keep-alive policy) nor `place(obs)` (a placement)"
            )));
        }
        let refused = |why: Option<String>| match why {
            Some(why) => Err(pyo3::exceptions::PyValueError::new_err(why)),
            None => Ok(()),
        };
        if keeps {
            refused(registered.keep_alive_refused(&name))?;
            let object = policy.clone().unbind();
            registered = registered.keep_alive(name.clone(), move |build| {
                Box::new(PyKeepAlive {
                    object: Python::attach(|py| object.clone_ref(py)),
                    stopper: build.stopper(),
                })
            });
        }
        if places {
            refused(registered.placement_refused(&name))?;
            let object = policy.clone().unbind();
            registered = registered.pick_node(name, move |_build| PyPlacement {
                object: Python::attach(|py| object.clone_ref(py)),
                nodes: None,
            });
        }
    }
    Ok(registered)
}

/// The stopper's message for an exception `error` raised by `method`.
fn raised(py: Python<'_>, method: &str, error: &PyErr) -> String {
    let kind = error
        .get_type(py)
        .name()
        .map_or_else(|_| "an exception".to_string(), |n| n.to_string());
    format!("`{method}` raised {kind}: {}", error.value(py))
}

/// A Python object's `keep_alive(obs)` as a keep-alive policy.
struct PyKeepAlive {
    object: Py<PyAny>,
    stopper: Stopper,
}

impl KeepAlive for PyKeepAlive {
    fn keep_for(&mut self, idle: &Idle) -> f64 {
        Python::attach(|py| {
            let obs = KeepAliveObs {
                function: idle.function().to_string(),
                node: idle.node_index(),
                now: idle.now(),
                container: idle.container().0,
                prewarmed: idle.prewarmed(),
            };
            let answer = match self.object.call_method1(py, "keep_alive", (obs,)) {
                Ok(answer) => answer,
                Err(error) => {
                    self.stopper.stop(idle.now(), raised(py, "keep_alive", &error));
                    return 0.0;
                }
            };
            // What it returned, not an exception of its own, when no
            // number can be read from it.
            let stop = |what: String| {
                self.stopper.stop(
                    idle.now(),
                    format!("`keep_alive` returned {what}, not a number of seconds"),
                );
                0.0
            };
            // Python's `True` is the number 1: a policy returning a flag
            // is a mistake, not a keep-alive of one second.
            let flag = answer.bind(py).is_instance_of::<PyBool>();
            match answer.extract::<f64>(py) {
                Ok(seconds) if !seconds.is_nan() && !flag => seconds,
                Ok(_) if flag => stop(answer.bind(py).to_string()),
                Ok(_) => stop("NaN".to_string()),
                Err(_) => stop(
                    answer
                        .bind(py)
                        .repr()
                        .map_or_else(|_| "an object".to_string(), |r| r.to_string()),
                ),
            }
        })
    }

    fn keeps(&self, _reg: RegId) -> bool {
        // Its answer is known only when a container goes idle: a prewarmed
        // container is let in, and asked then.
        true
    }
}

/// A Python object's `place(obs)` as a placement that picks a node.
struct PyPlacement {
    object: Py<PyAny>,
    /// The nodes' names, made once.
    nodes: Option<Py<PyTuple>>,
}

impl PickNode for PyPlacement {
    fn pick(&mut self, choosing: &Choosing) -> Option<usize> {
        Python::attach(|py| {
            let count = choosing.nodes();
            let nodes = match &self.nodes {
                Some(nodes) => nodes.clone_ref(py),
                None => {
                    let names = (0..count).map(|n| choosing.node_name(n));
                    let tuple = PyTuple::new(py, names).ok()?.unbind();
                    self.nodes = Some(tuple.clone_ref(py));
                    tuple
                }
            };
            let obs = PlaceObs {
                function: choosing.function().to_string(),
                invocation: choosing.invocation(),
                now: choosing.now(),
                submit: choosing.submit(),
                nodes,
                free_slots: (0..count).map(|n| choosing.free_slots(n)).collect(),
                warm: (0..count).map(|n| choosing.warm(n)).collect(),
                up: (0..count).map(|n| choosing.up(n)).collect(),
            };
            let answer = match self.object.call_method1(py, "place", (obs,)) {
                Ok(answer) => answer.into_bound(py),
                Err(error) => {
                    choosing.stop(raised(py, "place", &error));
                    return None;
                }
            };
            if answer.is_none() {
                return None;
            }
            // `True` extracts as node 1: a flag is no node.
            if let Ok(index) = answer.extract::<usize>()
                && !answer.is_instance_of::<PyBool>()
            {
                return Some(index);
            }
            if let Ok(name) = answer.extract::<String>() {
                let found = (0..count).find(|&n| choosing.node_name(n) == name);
                if found.is_none() {
                    choosing.stop(format!("`place` returned `{name}`, which is no node of the service"));
                }
                return found;
            }
            choosing.stop(format!(
                "`place` returned {}, not a node's index (from 0), its name, or None",
                answer
                    .repr()
                    .map_or_else(|_| "an object".to_string(), |r| r.to_string())
            ));
            None
        })
    }
}

//! Keep-alive policies: how long a container stays once idle, and when a
//! function's container is unloaded after an invocation to be loaded again
//! ahead of the next one (policy-driven prewarming). The service asks when
//! a container goes idle (an invocation ends, a prewarmed container is
//! ready), keeps the answer with the container, and shuts it down when that
//! time has passed without a reuse; it tells the policy of each arrival.
//!
//! A service applies its own policy (`keep_alive`, or `fixed(idle_timeout)`)
//! and, to the functions that choose one, theirs ([`KeepAlives`]).

mod expr;
mod fixed;
mod histogram;
mod hybrid;
mod none;

use crate::ir::function::{Function, FunctionId};
use crate::ir::service::PolicySpec;

use super::Build;
use crate::serverless::ids::{ContainerId, NodeId, RegId};

use super::expr::Fault;

/// A container going idle, as a keep-alive policy sees it. The name and
/// the RAM are referred to, not copied: most policies read neither, and
/// each lies on a cache line that the container's going idle does not
/// otherwise touch (the registration's second, the container's third).
#[derive(Debug, Clone, Copy)]
pub struct Idle<'a> {
    pub(crate) container: ContainerId,
    /// The registration it last served (its function).
    pub(crate) reg: RegId,
    /// That registration's name.
    pub(crate) function: &'a String,
    pub(crate) node: NodeId,
    pub(crate) now: f64,
    /// Whether it has just been prewarmed (rather than ended an invocation).
    pub(crate) prewarmed: bool,
    /// The RAM the container reserves.
    pub(crate) ram: &'a f64,
}

impl<'a> Idle<'a> {
    /// The simulated date, in seconds.
    pub fn now(&self) -> f64 {
        self.now
    }

    /// The function it last served, by name (a trace's function:
    /// `app/function`).
    pub fn function(&self) -> &'a str {
        self.function
    }

    /// The function it last served, as an id (the same for every container
    /// of the function in a run; a function invoked with two memories has
    /// two).
    pub fn reg(&self) -> RegId {
        self.reg
    }

    /// Its node, by index in the service's `compute` list (from 0).
    pub fn node_index(&self) -> usize {
        self.node.index()
    }

    /// The container (an id unique in the service).
    pub fn container(&self) -> ContainerId {
        self.container
    }

    /// Whether it has just been prewarmed (rather than ended an
    /// invocation).
    pub fn prewarmed(&self) -> bool {
        self.prewarmed
    }

    /// The RAM the container reserves, in bytes.
    pub fn ram(&self) -> f64 {
        *self.ram
    }
}

/// A keep-alive policy.
pub trait KeepAlive {
    /// Seconds `idle.container` stays idle before it is shut down; 0 or
    /// less shuts it down at once.
    fn keep_for(&mut self, idle: &Idle) -> f64;

    /// Whether a container of `reg` may stay idle at all: a container
    /// started ahead of any invocation (`prewarm`) is refused otherwise,
    /// as it would be shut down as soon as it is ready.
    fn keeps(&self, reg: RegId) -> bool;

    /// An invocation of `reg` arrived at `now` (policies that learn from
    /// the arrivals use it).
    fn arrived(&mut self, _reg: RegId, _now: f64) {}

    /// Whether [`KeepAlive::arrived`] matters to the policy: when no
    /// policy of a service says so, arrivals are not told (a registration
    /// read and a call per invocation saved).
    fn hears_arrivals(&self) -> bool {
        true
    }

    /// Asked when an invocation has ended (before [`KeepAlive::keep_for`]):
    /// `Some(window)` with a window above 0 unloads the container at once
    /// and prewarms one of `idle.reg` when the window has passed (its
    /// `keep_for` is asked once it is ready, with `prewarmed` set).
    fn prewarm_after(&mut self, _idle: &Idle) -> Option<f64> {
        None
    }

    /// Why the policy could not decide, once: the run stops with it (a
    /// policy written in the script that divided by zero, say).
    fn fault(&mut self) -> Option<Fault> {
        None
    }

    /// `Some(window)` when [`KeepAlive::keep_for`] answers `window` to
    /// every container, [`KeepAlive::prewarm_after`] always `None`, and it
    /// never faults: the service then asks nothing as a container goes
    /// idle (a call, and the registration's line, saved per invocation).
    fn fixed_window(&self) -> Option<f64> {
        None
    }
}

/// A keep-alive constructor, under its registry name: it takes the row's
/// parameters in the row's order, in base units.
pub type Maker = (&'static str, fn(&[f64]) -> Box<dyn KeepAlive>);

/// The constructors, under the names of the registry's `KEEP_ALIVE` table.
pub const MAKERS: &[Maker] = &[("fixed", fixed::make), ("none", none::make), ("hybrid", hybrid::make)];

/// The keep-alive policy a checked choice names: one written in the
/// script, a policy the running program registered, or a registry row.
fn make(spec: &PolicySpec, build: &Build) -> Box<dyn KeepAlive> {
    if let Some(written) = &spec.written {
        return expr::make(written, build.service.container_startup);
    }
    if let Some(policy) = build.registered.make_keep_alive(&spec.name, build) {
        return policy;
    }
    let (_, make) = MAKERS
        .iter()
        .find(|(n, _)| *n == spec.name)
        .unwrap_or_else(|| panic!("keep-alive `{}` is in the registry without a constructor", spec.name));
    make(&spec.params)
}

/// The keep-alive policies of a service: its own, and those of the
/// functions that choose theirs.
pub struct KeepAlives {
    policies: Vec<Box<dyn KeepAlive>>,
    /// Per declared function: its index in `policies` (0: the service's).
    of_function: Vec<u32>,
    /// Whether any of them hears arrivals ([`KeepAlive::hears_arrivals`]).
    hears_arrivals: bool,
    /// The window of every container, when all of them keep one fixed
    /// window ([`KeepAlive::fixed_window`]).
    fixed_window: Option<f64>,
}

impl KeepAlives {
    pub fn new(build: &Build, functions: &[Function]) -> Self {
        let service = build.service;
        // `idle_timeout` is the shorthand of `fixed(idle_timeout)`.
        let fixed = PolicySpec {
            name: "fixed".into(),
            params: vec![service.idle_timeout],
            written: None,
        };
        let mut policies = vec![make(service.keep_alive.as_ref().unwrap_or(&fixed), build)];
        let of_function = functions
            .iter()
            .map(|f| match &f.keep_alive {
                None => 0,
                Some(spec) => {
                    policies.push(make(spec, build));
                    (policies.len() - 1) as u32
                }
            })
            .collect();
        let hears_arrivals = policies.iter().any(|p| p.hears_arrivals());
        let first = policies[0].fixed_window();
        let fixed_window = first.filter(|w| policies.iter().all(|p| p.fixed_window() == Some(*w)));
        KeepAlives {
            policies,
            of_function,
            hears_arrivals,
            fixed_window,
        }
    }

    /// The window every container is kept, when one fixed window decides
    /// for all of them: nothing to ask then.
    #[inline]
    pub fn fixed_window(&self) -> Option<f64> {
        self.fixed_window
    }

    /// Whether an arrival must be told to its function's policy.
    #[inline]
    pub fn hears_arrivals(&self) -> bool {
        self.hears_arrivals
    }

    /// The policy that keeps containers of `function`.
    pub fn of(&mut self, function: FunctionId) -> &mut dyn KeepAlive {
        let i = self.of_function.get(function.0 as usize).copied().unwrap_or(0);
        self.policies[i as usize].as_mut()
    }

    /// Whether containers of `reg` (a registration of `function`) may idle.
    pub fn keeps(&self, function: FunctionId, reg: RegId) -> bool {
        let i = self.of_function.get(function.0 as usize).copied().unwrap_or(0);
        self.policies[i as usize].keeps(reg)
    }
}

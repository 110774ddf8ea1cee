//! Policies: what a service asks and then applies. Each kind is a trait
//! whose methods return decisions, never act: the service applies them
//! (and drops what is infeasible), so a policy cannot break the model's
//! bookkeeping.
//! - [`KeepAlive`](keep_alive::KeepAlive): how long an idle container stays,
//!   and when a function's container is unloaded and prewarmed.
//! - [`Eviction`](eviction::Eviction): which idle containers go when a new
//!   one needs room.
//! - [`LayerEviction`](layer_eviction::LayerEviction): which cached image
//!   layer of a node goes next when room is needed (before idle containers).
//! - [`Placement`](placement::Placement): where and when waiting
//!   invocations run (layer copies and loads, dispatches, evictions).
//! - [`Autoscaler`](autoscaler::Autoscaler): how many containers each
//!   function should have.
//!
//! The names, documentation and parameters of every policy are the
//! registry's tables in [`crate::language::policies`] (read by `check`);
//! each kind's `MAKERS` here holds the constructors under the same names.
//! That module's documentation says how a policy is added.
//!
//! # Policies of your own (`sls::policy`)
//!
//! A program that depends on `sls` adds policies without changing it:
//! it implements [`KeepAlive`](keep_alive::KeepAlive) (asked with an
//! [`Idle`](keep_alive::Idle) each time a container goes idle) or a
//! placement that picks a node per waiting invocation ([`PickNode`],
//! asked with a [`Choosing`]), registers a constructor under a name in
//! [`Policies`], and runs scripts that choose that name (`keep_alive
//! NAME`, `scheduler NAME`). These types, their methods and
//! [`Build`]'s are the stable API; a placement implementing
//! [`Placement`](placement::Placement) directly reads the service's state
//! as the built-in ones do, which may change. `examples/custom-policy/` is
//! the tutorial.
//!
//! ```
//! use std::path::Path;
//! use sls::check::{Options, check};
//! use sls::policy::keep_alive::{Idle, KeepAlive};
//! use sls::policy::{Choosing, PickNode, Policies, RegId};
//! use sls::serverless::RunOptions;
//!
//! /// Keeps idle containers 30 s.
//! struct HalfMinute;
//! impl KeepAlive for HalfMinute {
//!     fn keep_for(&mut self, _idle: &Idle) -> f64 { 30.0 }
//!     fn keeps(&self, _function: RegId) -> bool { true }
//! }
//!
//! /// Every invocation on the last node.
//! struct Last;
//! impl PickNode for Last {
//!     fn pick(&mut self, choosing: &Choosing) -> Option<usize> {
//!         Some(choosing.nodes() - 1)
//!     }
//! }
//!
//! let policies = Policies::new()
//!     .keep_alive("half_minute", |_build| Box::new(HalfMinute))
//!     .pick_node("last", |_build| Last);
//! let script = r#"
//!   platform {
//!     host gw { speed 1Gf/s; cores 1; disk "/" { size 1TB; read 1GBps; write 1GBps } }
//!     host n[1..2] { speed 1Gf/s; cores 2; ram 8GB; disk "/" { size 1TB; read 1GBps; write 1GBps } }
//!     link l[1..2] { bandwidth 1GBps; latency 1us }
//!     route gw <-> n[i] via l[i]
//!   }
//!   serverless faas { head gw:"/"; compute n[*]; scheduler last; keep_alive half_minute }
//!   image img { size 10MB; ram 10MB }
//!   function f { image img; limits { time 1min; ram 100MB }; body { sleep 1s } }
//!   workload { invoke f on faas every 10s count 5 }
//! "#;
//! let options = Options { registered: policies.names(), ..Options::default() };
//! let program = check(Path::new("doc.sls"), script.into(), &options).program.expect("it checks");
//! let run = RunOptions { policies, ..RunOptions::default() };
//! let model = &program.points[0].model;
//! let summary = sls::driver::summarise(model, model.seed, &run, None, &mut |_, _| {
//!     std::ops::ControlFlow::Continue(())
//! })
//! .expect("it runs");
//! // Kept 30 s, invoked every 10 s: one cold start.
//! assert_eq!((summary.totals.cold_starts, summary.totals.warm_starts), (1, 4));
//! ```

pub mod autoscaler;
pub mod eviction;
pub mod expr;
pub mod keep_alive;
pub mod layer_eviction;
pub mod placement;
mod registered;

pub use crate::serverless::ids::{ContainerId, NodeId, RegId};
pub use placement::{Choosing, PickNode};
pub(crate) use registered::Failure;
pub use registered::{MakeKeepAlive, MakePlacement, Policies, PolicyError, Stopper};

/// What a policy's constructor is given: the service it decides for (as
/// declared; its parameters are checked by then), its number of compute
/// nodes, and the name the policy is built under.
#[derive(Clone, Copy)]
pub struct Build<'a> {
    pub(crate) service: &'a crate::ir::service::Service,
    pub(crate) nodes: usize,
    /// The name the policy being built is chosen by.
    pub(crate) policy: &'a str,
    /// The policies the running program registered.
    pub(crate) registered: &'a Policies,
    /// Where a registered policy reports that it cannot decide.
    pub(crate) failure: &'a Failure,
}

impl<'a> Build<'a> {
    /// The service's name.
    pub fn service(&self) -> &'a str {
        &self.service.name
    }

    /// Its number of compute nodes (indices `0..nodes()`, in the order its
    /// `compute` statement lists them).
    pub fn nodes(&self) -> usize {
        self.nodes
    }

    /// The name the policy is built under, as the script chooses it.
    pub fn policy(&self) -> &'a str {
        self.policy
    }

    /// The handle with which the policy stops the run when it cannot
    /// decide (an error of its own, an answer it cannot give).
    pub fn stopper(&self) -> Stopper {
        Stopper::new(self.policy, self.failure)
    }

    /// The same, for the policy registered as `policy`.
    pub(crate) fn named(&self, policy: &'a str) -> Build<'a> {
        Build { policy, ..*self }
    }
}

/// A constructor of a policy of some kind, under its registry name.
pub type Maker<T> = (&'static str, fn(&Build) -> Box<T>);

/// Builds the policy the registry row `name` names. `check` only lets the
/// registry's names through, and `tests::every_row_has_a_constructor`
/// proves each has a constructor.
fn make<T: ?Sized>(makers: &[Maker<T>], name: &str, build: &Build) -> Box<T> {
    let (_, make) = makers
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("policy `{name}` is in the registry without a constructor"));
    make(build)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::policies::{AUTOSCALER, EVICTION, KEEP_ALIVE, PLACEMENT, Policy};

    fn same_names<T: ?Sized>(table: &[Policy], makers: &[Maker<T>]) {
        let made: Vec<&str> = makers.iter().map(|(n, _)| *n).collect();
        same_words(table, &made);
    }

    fn same_words(table: &[Policy], made: &[&str]) {
        let rows: Vec<&str> = table.iter().map(|p| p.choice.word).collect();
        assert_eq!(rows, made, "registry rows and constructors differ");
    }

    #[test]
    fn every_row_has_a_constructor() {
        let keep_alive: Vec<&str> = keep_alive::MAKERS.iter().map(|(n, _)| *n).collect();
        same_words(KEEP_ALIVE, &keep_alive);
        same_names(EVICTION, eviction::MAKERS);
        // `check` lowers an eviction row to its IR variant by name.
        for row in EVICTION {
            let ir = crate::ir::service::Eviction::named(row.choice.word);
            assert_eq!(
                ir.as_ref().map(|e| e.name()),
                Some(row.choice.word),
                "no IR eviction for a row"
            );
        }
        same_names(PLACEMENT, placement::MAKERS);
        same_names(AUTOSCALER, autoscaler::MAKERS);
    }

    /// What `check` reads from a keep-alive row (whether it never keeps a
    /// container, by its parameters) is what the policy says at run time:
    /// with its defaults, and each parameter at 0 and at 1 in turn.
    #[test]
    fn every_keep_alive_row_says_when_it_keeps_as_its_policy_does() {
        for (row, (_, make)) in KEEP_ALIVE.iter().zip(keep_alive::MAKERS) {
            let defaults: Vec<f64> = row.params.iter().map(|p| p.default).collect();
            let mut cases = vec![defaults.clone()];
            for i in 0..defaults.len() {
                for value in [0.0, 1.0] {
                    let mut params = defaults.clone();
                    params[i] = value;
                    cases.push(params);
                }
            }
            for params in cases {
                let keeps = make(&params).keeps(crate::serverless::ids::RegId(0));
                assert_eq!(
                    (row.never_keeps)(&params),
                    !keeps,
                    "`{}` with {params:?}",
                    row.choice.word
                );
            }
        }
    }
}

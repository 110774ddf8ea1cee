//! Policies: what a service asks and then applies. Each kind is a trait
//! whose methods return decisions, never act: the service applies them
//! (and drops what is infeasible), so a policy cannot break the model's
//! bookkeeping.
//! - [`KeepAlive`](keep_alive::KeepAlive): how long an idle container stays,
//!   and when a function's container is unloaded and prewarmed.
//! - [`Eviction`](eviction::Eviction): which idle containers go when a new
//!   one needs room.
//! - [`Placement`](placement::Placement): where and when waiting
//!   invocations run (layer copies and loads, dispatches, evictions).
//! - [`Autoscaler`](autoscaler::Autoscaler): how many containers each
//!   function should have.
//!
//! The names, documentation and parameters of every policy are the
//! registry's tables in [`crate::language::policies`] (read by `check`);
//! each kind's `MAKERS` here holds the constructors under the same names.
//! That module's documentation says how a policy is added.

pub mod autoscaler;
pub mod eviction;
pub mod keep_alive;
pub mod placement;

/// What a policy's constructor is given: the service as declared (its
/// parameters are checked by then) and its number of compute nodes.
pub struct Build<'a> {
    pub service: &'a crate::ir::service::Service,
    pub nodes: usize,
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
            assert_eq!(ir.map(|e| e.name()), Some(row.choice.word), "no IR eviction for a row");
        }
        same_names(PLACEMENT, placement::MAKERS);
        same_names(AUTOSCALER, autoscaler::MAKERS);
    }
}

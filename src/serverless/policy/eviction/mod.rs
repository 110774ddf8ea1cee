//! Eviction policies: which idle containers of a node are shut down when a
//! new container needs room there (after the node's unpinned cached layers,
//! which go least recently used first, as in WRENCH). The service gives the
//! node's evictable containers and what is missing (a [`Cover`]); the
//! policy lists victims in the order they go; the service shuts them down
//! only if they cover the need (all or nothing), and then says so
//! (`evicted`). It asks first counting the victims' own reservations
//! (WRENCH's count), then, if they cannot cover, counting also the layers
//! only the victims pin.

mod expr;
mod greedy_dual;
mod lru;
mod ram;

use crate::serverless::cover::Cover;
use crate::serverless::ids::ContainerId;
use crate::serverless::state::{Container, ServiceState};

use super::{Build, Maker};

/// Containers, inline: a node has few idle containers, and a cold start on
/// a full node must not allocate.
pub type Containers = smallvec::SmallVec<[ContainerId; 16]>;

/// Takes out of `candidates`, lowest `rank` first (the oldest created on a
/// tie), the containers that cover what is missing, appending them to
/// `victims`.
fn take_lowest<K: PartialOrd>(
    state: &ServiceState,
    candidates: &mut Containers,
    cover: &mut Cover,
    victims: &mut Containers,
    mut rank: impl FnMut(&Container) -> K,
) {
    let mut key = |c: &ContainerId| {
        let x = &state.containers[c.index()];
        (rank(x), x.created)
    };
    // The minimum taken out each time, as few are usually needed (a sort
    // is wasted then).
    while !cover.covered() && !candidates.is_empty() {
        let mut best = 0;
        let mut best_key = key(&candidates[0]);
        for i in 1..candidates.len() {
            let k = key(&candidates[i]);
            if k.partial_cmp(&best_key).is_some_and(|o| o.is_lt()) {
                (best, best_key) = (i, k);
            }
        }
        let c = candidates.swap_remove(best);
        cover.take(&state.containers[c.index()]);
        victims.push(c);
    }
}

/// An eviction policy.
pub trait Eviction {
    /// Appends to `victims`, in the order they go, idle containers taken
    /// from `candidates` (a node's evictable containers, in its idle-list
    /// order; the policy may reorder or drain it) until `cover` says what
    /// was missing is covered (taking each in it); all of them when they
    /// cannot cover it. Asked again, with a count that includes the layers
    /// victims alone pin, when the first choice does not cover.
    fn victims(
        &mut self,
        state: &ServiceState,
        candidates: &mut Containers,
        cover: &mut Cover,
        victims: &mut Containers,
    );

    /// The victims last listed were shut down at `now` (they covered the
    /// need); not called when they did not.
    fn evicted(&mut self, _now: f64) {}

    /// Why the policy could not choose, once (its date not set: the
    /// service dates it): the run stops with it.
    fn fault(&mut self) -> Option<super::expr::Fault> {
        None
    }
}

/// The constructors, under the names of the registry's `EVICTION` table.
pub const MAKERS: &[Maker<dyn Eviction>] = &[
    ("lru", lru::make),
    ("ram", ram::make),
    ("greedy_dual", greedy_dual::make),
    ("size", greedy_dual::make_size),
    ("freq", greedy_dual::make_freq),
];

/// The eviction policy `eviction` names: a registry row, or one written
/// in the script.
pub fn make(eviction: &crate::ir::service::Eviction, build: &Build) -> Box<dyn Eviction> {
    match eviction {
        crate::ir::service::Eviction::Written(written) => expr::make(written, build),
        row => super::make(MAKERS, row.name(), build),
    }
}

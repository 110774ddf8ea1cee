//! Eviction policies: which idle containers of a node are shut down when a
//! new container needs room there (after the node's unpinned cached layers,
//! which go least recently used first, as in WRENCH). The service gives the
//! node's evictable containers and what is missing; the policy lists
//! victims in the order they go; the service shuts them down only if they
//! cover the need (all or nothing), and then say so (`evicted`).

mod expr;
mod greedy_dual;
mod lru;
mod ram;

use crate::serverless::ids::ContainerId;
use crate::serverless::state::{Container, ServiceState};

use super::{Build, Maker};

/// Containers, inline: a node has few idle containers, and a cold start on
/// a full node must not allocate.
pub type Containers = smallvec::SmallVec<[ContainerId; 16]>;

/// What a new container lacks on its node: bytes of RAM and of disk
/// (either may be 0 or less: nothing missing).
#[derive(Debug, Clone, Copy)]
pub struct Need {
    pub ram: f64,
    pub disk: f64,
}

/// Takes out of `candidates`, lowest `rank` first (the oldest created on a
/// tie), the containers that cover `need`, appending them to `victims`.
fn take_lowest<K: PartialOrd>(
    state: &ServiceState,
    candidates: &mut Containers,
    need: Need,
    victims: &mut Containers,
    mut rank: impl FnMut(&Container) -> K,
) {
    let (mut d_ram, mut d_disk) = (need.ram, need.disk);
    let mut key = |c: &ContainerId| {
        let x = &state.containers[c.index()];
        (rank(x), x.created)
    };
    // The minimum taken out each time, as few are usually needed (a sort
    // is wasted then).
    while (d_ram > 0.0 || d_disk > 0.0) && !candidates.is_empty() {
        let mut best = 0;
        let mut best_key = key(&candidates[0]);
        for i in 1..candidates.len() {
            let k = key(&candidates[i]);
            if k.partial_cmp(&best_key).is_some_and(|o| o.is_lt()) {
                (best, best_key) = (i, k);
            }
        }
        let c = candidates.swap_remove(best);
        d_ram -= state.containers[c.index()].ram;
        d_disk -= state.containers[c.index()].disk;
        victims.push(c);
    }
}

/// An eviction policy.
pub trait Eviction {
    /// Appends to `victims`, in the order they go, idle containers taken
    /// from `candidates` (a node's evictable containers, in its idle-list
    /// order; the policy may reorder or drain it) that cover `need`;
    /// fewer when they cannot.
    fn victims(&mut self, state: &ServiceState, candidates: &mut Containers, need: Need, victims: &mut Containers);

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

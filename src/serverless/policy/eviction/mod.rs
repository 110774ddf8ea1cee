//! Eviction policies: which idle containers of a node are shut down when a
//! new container needs room there (after the node's unpinned cached layers,
//! which go least recently used first, as in WRENCH). The service gives the
//! node's evictable containers and what is missing; the policy lists
//! victims in the order they go; the service shuts them down only if they
//! cover the need (all or nothing).

mod lru;
mod ram;

use crate::serverless::ids::ContainerId;
use crate::serverless::state::ServiceState;

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

/// An eviction policy.
pub trait Eviction {
    /// Appends to `victims`, in the order they go, idle containers taken
    /// from `candidates` (a node's evictable containers, in its idle-list
    /// order; the policy may reorder or drain it) that cover `need`;
    /// fewer when they cannot.
    fn victims(&mut self, state: &ServiceState, candidates: &mut Containers, need: Need, victims: &mut Containers);
}

/// The constructors, under the names of the registry's `EVICTION` table.
pub const MAKERS: &[Maker<dyn Eviction>] = &[("lru", lru::make), ("ram", ram::make)];

/// The eviction policy of the registry row `name`.
pub fn make(name: &str, build: &Build) -> Box<dyn Eviction> {
    super::make(MAKERS, name, build)
}

//! Layer eviction: which cached image layer of a node goes next when a
//! copy, a load or a new container needs room there (before any idle
//! container goes, which is the eviction policy's, [`super::eviction`]).
//! The service asks for one victim at a time on the medium that is short
//! (RAM first, then disk), evicts its copy there and asks again until the
//! room is made; a victim that may not go (pinned by a container, absent
//! from that medium, or being loaded from its file: see
//! [`LayerSlot::evictable`](crate::serverless::node::LayerSlot::evictable))
//! ends the search, as no victim does.
//!
//! No statement of the language chooses it yet: every service evicts its
//! layers least recently used first (WRENCH's storage caches), the one row.

mod lru;

use crate::ir::function::LayerId;
use crate::serverless::node::Node;

use super::{Build, Maker};

/// A layer eviction policy.
pub trait LayerEviction {
    /// The layer of `node` whose copy goes next from RAM (`freeing_ram`)
    /// or else from disk, among those that may go there; `None`: none goes.
    fn victim(&mut self, node: &Node, freeing_ram: bool) -> Option<LayerId>;
}

/// The constructors, by name.
pub const MAKERS: &[Maker<dyn LayerEviction>] = &[("lru", lru::make)];

/// The layer eviction policy of a service: the built-in, `lru`.
pub fn make(build: &Build) -> Box<dyn LayerEviction> {
    super::make(MAKERS, "lru", build)
}

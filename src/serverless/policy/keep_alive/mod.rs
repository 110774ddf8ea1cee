//! Keep-alive policies: how long a container stays once idle. The service
//! asks when a container goes idle (an invocation ends, a prewarmed
//! container is ready), keeps the answer with the container, and shuts it
//! down when that time has passed without a reuse.

mod fixed;

use crate::serverless::ids::{ContainerId, NodeId, RegId};

use super::{Build, Maker};

/// A container going idle, as a keep-alive policy sees it.
#[derive(Debug, Clone, Copy)]
pub struct Idle {
    pub container: ContainerId,
    /// The registration it last served (its function).
    pub reg: RegId,
    pub node: NodeId,
    pub now: f64,
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
}

/// The constructors, under the names of the registry's `KEEP_ALIVE` table.
pub const MAKERS: &[Maker<dyn KeepAlive>] = &[("fixed", fixed::make)];

/// The keep-alive policy of the registry row `name`.
pub fn make(name: &str, build: &Build) -> Box<dyn KeepAlive> {
    super::make(MAKERS, name, build)
}

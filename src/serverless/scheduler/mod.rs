//! Schedulers: given the invocations waiting to run (in the service's list
//! order) and a view of the system, a scheduler returns decisions — image
//! layer copies and loads, dispatches, evictions, prewarms. The service
//! applies them in a fixed order and silently drops infeasible ones; the
//! scheduler is asked again after the next event. A new policy is one file
//! implementing [`Scheduler`].

mod balanced;
mod fcfs;
mod greedy;
mod overlay;
mod random;

use crate::ir::function::{ImageId, LayerId};
use crate::ir::service::SchedulerSpec;

use super::registry::{RegId, Registry};
use super::state::{ContainerId, ServiceState};

pub use overlay::Overlay;

/// The handle of a pending entry already dispatched (kept in the list until
/// it is compacted); schedulers skip such entries.
pub const DISPATCHED: u32 = u32::MAX;

/// A waiting invocation (or a prewarm request) as schedulers see it.
#[derive(Debug, Clone, Copy)]
pub struct Pending {
    /// The service's handle of the invocation, returned in a dispatch.
    pub handle: u32,
    /// Submission order (invocation id), for FCFS ordering.
    pub id: u64,
    pub submit: f64,
    pub reg: RegId,
    /// Reuse key: which containers can serve it.
    pub key: u32,
    pub image: ImageId,
    /// RAM and scratch disk a new container for it reserves.
    pub ram: f64,
    pub disk: f64,
    pub time_limit: Option<f64>,
}

/// What a scheduler sees.
pub struct View<'a> {
    pub state: &'a ServiceState,
    pub registry: &'a Registry,
    pub now: f64,
}

/// A run of invocations on a node: onto an idle (or prewarming) container,
/// or a new one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dispatch {
    pub handle: u32,
    /// Position of the invocation in the pending list the scheduler was given.
    pub index: u32,
    pub node: u32,
    pub container: Option<ContainerId>,
}

/// Where an invocation runs at once: a node, and the idle or prewarming
/// container it takes (None: a new container).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placement {
    pub node: u32,
    pub container: Option<ContainerId>,
}

/// Everything a scheduler decided in one round, applied in field order.
#[derive(Debug, Default)]
pub struct Decisions {
    pub terminate: Vec<ContainerId>,
    pub evict_ram: Vec<(u32, LayerId)>,
    pub evict_disk: Vec<(u32, LayerId)>,
    pub dispatch: Vec<Dispatch>,
    pub load: Vec<(u32, LayerId)>,
    pub copy: Vec<(u32, LayerId)>,
    /// Wake the scheduler at this date even if nothing happens.
    pub wake_at: Option<f64>,
    /// The scheduler stopped because no slot was left for anything.
    pub exhausted: bool,
}

impl Decisions {
    pub fn clear(&mut self) {
        self.terminate.clear();
        self.evict_ram.clear();
        self.evict_disk.clear();
        self.dispatch.clear();
        self.load.clear();
        self.copy.clear();
        self.wake_at = None;
        self.exhausted = false;
    }

    pub fn is_empty(&self) -> bool {
        self.terminate.is_empty()
            && self.evict_ram.is_empty()
            && self.evict_disk.is_empty()
            && self.dispatch.is_empty()
            && self.load.is_empty()
            && self.copy.is_empty()
    }
}

/// A scheduling policy.
pub trait Scheduler {
    /// Decides for `pending`, given in the service's list order.
    fn schedule(&mut self, view: &View, pending: &[Pending], out: &mut Decisions);

    /// Whether invocations appended to the list can change nothing in a
    /// round that already ran out of slots before reaching them (true when
    /// the list is served in order). The service then skips such rounds.
    fn appends_are_inert(&self) -> bool {
        false
    }

    /// What a round would decide for `p` alone, when that is to run it at
    /// once and nothing else; None when a round must decide. The service
    /// asks this for a request that finds nobody waiting, and skips the
    /// round when answered, so an answer must be exactly the round's
    /// decision. Most requests of a warm system are placed this way.
    fn place_alone(&mut self, _view: &View, _p: &Pending) -> Option<Placement> {
        None
    }
}

/// The scheduler a service's specification names.
pub fn make(spec: &SchedulerSpec, nodes: usize) -> Box<dyn Scheduler> {
    match spec {
        SchedulerSpec::Fcfs => Box::new(fcfs::Fcfs::new(nodes)),
        SchedulerSpec::Random { seed } => Box::new(random::Random::new(*seed, nodes)),
        SchedulerSpec::Balanced => Box::new(balanced::Balanced::new(nodes)),
        SchedulerSpec::Greedy(policies) => Box::new(greedy::Greedy::new(policies, nodes)),
    }
}

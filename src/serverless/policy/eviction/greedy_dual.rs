//! FaasCache's greedy-dual eviction and its two variants (Fuerst & Sharma,
//! "FaasCache: Keeping Serverless Computing Alive with Greedy-Dual
//! Caching", ASPLOS'21, §4; their simulator `faascache-sim`,
//! `LambdaScheduler.calc_priority`). The idle containers of lowest
//! priority go first, until the need is covered:
//! - `greedy_dual`: clock + frequency x cost / size;
//! - `freq` (FREQ): clock + frequency x cost (size left out);
//! - `size` (SIZE): clock + frequency / size (cost left out).
//!
//! For a container of function `f` (its reuse key) on node `n`:
//! - frequency: the invocations started by `f`'s containers now alive on
//!   `n` (busy or idle), since each started: it falls back to 0 when all of
//!   them are gone, as FaasCache resets it on termination;
//! - cost: what a cold start of `f` costs there: the service's container
//!   start-up plus loading `f`'s image into RAM from `n`'s disk (image RAM
//!   / disk read bandwidth), the function-dependent part FaasCache measures
//!   as cold minus warm run time;
//! - size: the container's RAM in bytes (its limit, plus a sandbox's
//!   worker memory);
//! - clock: `n`'s clock when `f` last started an invocation on `n` (or a
//!   container, before any): every container of `f` takes the priority of
//!   its latest use, as FaasCache's simulator gives all clones the new
//!   priority. A node's clock starts at 0 and, at each eviction there,
//!   becomes the highest priority evicted (ageing: functions used since
//!   then start above the ones that were not).
//!
//! Priorities are worked out when room is needed, from the containers'
//! counts and dates, not kept up to date on every invocation; a node's
//! clock history (one entry per eviction there) gives the clock in force
//! at any date. An eviction policy written in the script (`expr.rs`) reads
//! the same standings and clocks ([`Aging`]), so greedy-dual written as
//! `inflation(c) + invocations(function) * ...` ranks exactly as this.

use smallvec::SmallVec;

use super::super::Build;
use super::{Containers, Cover, Eviction, take_lowest};
use crate::serverless::ids::{KeyId, NodeId};
use crate::serverless::state::{Container, ContainerState, ServiceState};

/// Which terms the priority keeps besides the clock and the frequency.
#[derive(Debug, Clone, Copy)]
enum Terms {
    CostPerSize,
    Cost,
    PerSize,
}

pub struct GreedyDual {
    terms: Terms,
    /// The service's container start-up, in seconds (every cold start pays it).
    startup: f64,
    aging: Aging,
}

/// Greedy-dual's clock per node, raised by each eviction there.
pub(super) struct Aging {
    /// Per node: its clock after each eviction there, with the date, in
    /// date order.
    clocks: Vec<Vec<(f64, f64)>>,
    /// The clock the last victims chosen would set, and their node: set
    /// when the service shuts them down ([`Eviction::evicted`]).
    pending: Option<(NodeId, f64)>,
}

impl Aging {
    pub(super) fn new(nodes: usize) -> Self {
        Aging {
            clocks: vec![Vec::new(); nodes],
            pending: None,
        }
    }

    /// Node `node`'s clock in force at `date`.
    pub(super) fn clock_at(&self, node: NodeId, date: f64) -> f64 {
        let clocks = &self.clocks[node.index()];
        let after = clocks.partition_point(|(d, _)| *d <= date);
        after.checked_sub(1).map_or(0.0, |i| clocks[i].1)
    }

    /// The victims just chosen on `node` would set its clock to `clock`
    /// (their highest priority), if they are evicted.
    pub(super) fn chosen(&mut self, node: NodeId, clock: Option<f64>) {
        self.pending = clock.map(|clock| (node, clock));
    }

    /// They were evicted at `now`.
    pub(super) fn evicted(&mut self, now: f64) {
        if let Some((node, clock)) = self.pending.take() {
            self.clocks[node.index()].push((now, clock));
        }
    }
}

fn build(build: &Build, terms: Terms) -> Box<dyn Eviction> {
    Box::new(GreedyDual {
        terms,
        startup: build.service.container_startup,
        aging: Aging::new(build.nodes),
    })
}

pub fn make(b: &Build) -> Box<dyn Eviction> {
    build(b, Terms::CostPerSize)
}

pub fn make_freq(b: &Build) -> Box<dyn Eviction> {
    build(b, Terms::Cost)
}

pub fn make_size(b: &Build) -> Box<dyn Eviction> {
    build(b, Terms::PerSize)
}

/// A function's standing on a node: its live containers' uses, and the
/// latest date one of them started an invocation (or was started).
#[derive(Debug, Clone, Copy)]
pub(super) struct Standing {
    key: KeyId,
    pub(super) uses: u64,
    pub(super) used_at: f64,
}

/// The standing of `c`'s function among `standings` (every candidate's
/// function has one; its own counts otherwise).
pub(super) fn standing_of(standings: &[Standing], c: &Container) -> Standing {
    standings.iter().find(|s| s.key == c.key).copied().unwrap_or(Standing {
        key: c.key,
        uses: u64::from(c.uses),
        used_at: c.used_at,
    })
}

/// The standing of each function among `candidates`, from every live
/// container of the node (busy ones count: FaasCache sums the frequency
/// of all of a function's containers).
pub(super) fn standings(state: &ServiceState, node: NodeId, candidates: &Containers) -> SmallVec<[Standing; 8]> {
    let mut out: SmallVec<[Standing; 8]> = SmallVec::new();
    for c in candidates {
        let key = state.containers[c.index()].key;
        if !out.iter().any(|s| s.key == key) {
            out.push(Standing {
                key,
                uses: 0,
                used_at: f64::NEG_INFINITY,
            });
        }
    }
    for c in &state.containers {
        if c.node != node || c.state == ContainerState::Gone {
            continue;
        }
        if let Some(s) = out.iter_mut().find(|s| s.key == c.key) {
            s.uses += u64::from(c.uses);
            s.used_at = s.used_at.max(c.used_at);
        }
    }
    out
}

impl GreedyDual {
    fn priority(&self, c: &Container, standing: &Standing) -> f64 {
        let frequency = standing.uses as f64;
        let cost = self.startup + c.image_load;
        // At least a byte: a function may declare no RAM.
        let size = (c.ram + c.extra_ram).max(1.0);
        let value = match self.terms {
            Terms::CostPerSize => frequency * cost / size,
            Terms::Cost => frequency * cost,
            Terms::PerSize => frequency / size,
        };
        self.aging.clock_at(c.node, standing.used_at) + value
    }
}

impl Eviction for GreedyDual {
    fn victims(
        &mut self,
        state: &ServiceState,
        candidates: &mut Containers,
        cover: &mut Cover,
        victims: &mut Containers,
    ) {
        let Some(first) = candidates.first() else {
            return;
        };
        let node = state.containers[first.index()].node;
        let standings = standings(state, node, candidates);
        let priority = |c: &Container| self.priority(c, &standing_of(&standings, c));
        let start = victims.len();
        take_lowest(state, candidates, cover, victims, priority);
        // Taken lowest first: the last is the highest.
        let highest = victims[start..].last().map(|c| priority(&state.containers[c.index()]));
        self.aging.chosen(node, highest);
    }

    fn evicted(&mut self, now: f64) {
        self.aging.evicted(now);
    }
}

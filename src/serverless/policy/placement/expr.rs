//! A placement written in the script: `placement NAME { score node =
//! EXPR; pick max|min }`. Each waiting invocation, in list order, goes to
//! the node with a free slot of best score (slots chosen earlier in the
//! round counted as taken; the first in node order on ties); there the
//! classic decision is taken (its idle container, the image in RAM, else a
//! load or a copy), as `least_loaded` does with its own measure. A score
//! that reads `queued(node)` has the nodes' waiting invocations counted
//! once a round, from their containers. A fault is kept for the service,
//! which stops the run with it.

use std::sync::Arc;

use crate::ir::policy::{Pick, PlacementExpr};
use crate::language::observables::Observable;
use crate::serverless::ids::NodeId;
use crate::serverless::policy::expr::{Fault, Machine, Observe};
use crate::serverless::state::{ContainerState, ServiceState};

use super::super::Build;
use super::{Decisions, Overlay, Pending, Placement, Queue, View};

pub struct Written {
    policy: Arc<PlacementExpr>,
    machine: Machine,
    overlay: Overlay,
    cold_start: f64,
    /// Per node: its invocations waiting for their container, counted at
    /// each round when the score reads them (else empty).
    queued: Option<Vec<u32>>,
    fault: Option<Fault>,
}

pub fn make(policy: &Arc<PlacementExpr>, build: &Build) -> Box<dyn Placement> {
    Box::new(Written {
        machine: Machine::for_programs([&policy.score]),
        policy: Arc::clone(policy),
        overlay: Overlay::new(build.nodes),
        cold_start: build.service.container_startup,
        queued: policy.score.observes(Observable::Queued).then(|| vec![0; build.nodes]),
        fault: None,
    })
}

/// Counts into `queued` each node's invocations waiting for their
/// container at `now`: a cold start's during its start-up (`startup`), a
/// claimed prewarm's, an application sandbox's instances before it is up.
fn count_queued(state: &ServiceState, now: f64, startup: f64, queued: &mut [u32]) {
    queued.fill(0);
    for c in &state.containers {
        let waiting = match c.state {
            ContainerState::Busy if c.shared => {
                if c.ready_at > now {
                    c.instances
                } else {
                    0
                }
            }
            ContainerState::Busy => u32::from(!c.prewarmed && c.born + startup > now),
            ContainerState::Prewarming => u32::from(c.claimed),
            ContainerState::Idle | ContainerState::Gone => 0,
        };
        queued[c.node.index()] += waiting;
    }
}

/// What the score of one node reads, for one invocation.
struct Env<'a> {
    view: &'a View<'a>,
    overlay: &'a Overlay,
    pending: &'a Pending,
    node: NodeId,
    cold_start: f64,
    queued: &'a [u32],
}

impl Observe for Env<'_> {
    #[inline]
    fn observe(&mut self, observable: Observable) -> f64 {
        let state = self.view.state;
        let node = || &state.nodes[self.node.index()];
        match observable {
            Observable::Clock => self.view.now,
            Observable::ColdStartCost => self.cold_start,
            Observable::Memory => self.pending.ram,
            Observable::FreeSlots => f64::from(self.overlay.free_slots(state, self.node)),
            Observable::BusySlots => f64::from(self.overlay.busy_slots(state, self.node)),
            Observable::Cores => f64::from(node().cores),
            Observable::FreeRam => node().ram_free,
            Observable::FreeDisk => node().disk_free,
            Observable::Containers => node().idle.len() as f64,
            Observable::Queued => f64::from(self.queued.get(self.node.index()).copied().unwrap_or(0)),
            Observable::HasImage => {
                let sets = &state.images[self.pending.image.0 as usize];
                f64::from(u8::from(
                    sets.in_ram.contains(self.node) || sets.on_disk.contains(self.node),
                ))
            }
            // The checker lets a placement read no other.
            _ => f64::NAN,
        }
    }
}

impl Written {
    /// The free node of best score for `p`; `Err` on a fault (kept).
    fn best(&mut self, view: &View, p: &Pending) -> Result<Option<NodeId>, ()> {
        let Written {
            policy,
            machine,
            overlay,
            cold_start,
            queued,
            fault,
        } = self;
        // `pick min` is `pick max` of the negated scores (exact).
        let sign = match policy.pick {
            Pick::Max => 1.0,
            Pick::Min => -1.0,
        };
        let mut env = Env {
            view,
            overlay,
            pending: p,
            node: NodeId(0),
            cold_start: *cold_start,
            queued: queued.as_deref().unwrap_or(&[]),
        };
        let mut best: Option<NodeId> = None;
        let mut best_score = 0.0;
        for node in overlay.free.iter() {
            env.node = node;
            let score = match machine.run(&policy.score, &mut env) {
                Ok(score) => score * sign,
                Err(failed) => {
                    *fault = Some(Fault::of(&policy.name, failed, view.now, Some(p.reg), Some(node)));
                    return Err(());
                }
            };
            if best.is_none() || score > best_score {
                best = Some(node);
                best_score = score;
            }
        }
        Ok(best)
    }
}

impl Placement for Written {
    /// Its dispatches take idle containers only (`Overlay::act_at`).
    fn claims_prewarming(&self) -> bool {
        false
    }

    fn schedule(&mut self, view: &View, queue: Queue, out: &mut Decisions) {
        self.overlay.begin(view.state);
        if let Some(queued) = &mut self.queued {
            count_queued(view.state, view.now, self.cold_start, queued);
        }
        for (index, p) in queue.iter() {
            let Ok(best) = self.best(view, p) else {
                return;
            };
            let Some(node) = best else {
                out.exhausted = true;
                break;
            };
            self.overlay.act_at(view, p, index as u32, node, out);
        }
    }

    fn fault(&mut self) -> Option<super::super::expr::Fault> {
        self.fault.take()
    }
}

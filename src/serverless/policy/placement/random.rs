//! `random(seed)`: WRENCH's classic random scheduler. The waiting
//! invocations are shuffled and each is sent to a uniformly drawn node,
//! where the classic decision for that node is taken (a node without a free
//! slot only gets copies or loads). The generator persists across rounds.

use crate::workload::StreamRng;

use crate::serverless::ids::NodeId;

use super::super::Build;
use super::{Decisions, Overlay, Placement, Queue, View};
use crate::ir::service::SchedulerSpec;

pub struct Random {
    rng: StreamRng,
    overlay: Overlay,
    order: Vec<usize>,
}

/// The seed is `random(seed)`'s argument.
pub fn make(build: &Build) -> Box<dyn Placement> {
    let SchedulerSpec::Random { seed } = build.service.scheduler else {
        unreachable!("`random` is built for a random scheduler only (SchedulerSpec::name)");
    };
    Box::new(Random::new(seed, build.nodes))
}

impl Random {
    pub fn new(seed: u64, nodes: usize) -> Self {
        Random {
            rng: StreamRng::new(seed, "scheduler/random"),
            overlay: Overlay::new(nodes),
            order: Vec::new(),
        }
    }
}

impl Placement for Random {
    fn schedule(&mut self, view: &View, queue: Queue, out: &mut Decisions) {
        self.overlay.begin(view.state);
        self.order.clear();
        // Only waiting entries are shuffled, so the draws do not depend on
        // how many dispatched ones the list still holds.
        self.order.extend(queue.iter().map(|(i, _)| i));
        // Fisher-Yates, highest index first.
        for i in (1..self.order.len()).rev() {
            let j = self.rng.below(i as u64 + 1) as usize;
            self.order.swap(i, j);
        }
        let nodes = view.state.nodes.len() as u64;
        for k in 0..self.order.len() {
            let index = self.order[k];
            let Some(p) = queue.get(index) else { continue };
            let node = NodeId(self.rng.below(nodes) as u32);
            self.overlay.act_at(view, p, index as u32, node, out);
        }
    }
}

//! `round_robin`: the nodes take waiting invocations in turn. A cursor,
//! kept across rounds, points at the node after the last one given an
//! invocation; each invocation (submission order) goes to the first node
//! from the cursor on (cyclically) with a free slot. There the classic
//! decision is taken (its idle container, the image in RAM, else a load
//! or a copy, the invocation waiting for a later round).

use super::super::Build;
use super::{Decisions, Overlay, Placement, Queue, View};
use crate::serverless::ids::NodeId;

pub struct RoundRobin {
    overlay: Overlay,
    /// The node whose turn is next.
    next: u32,
}

pub fn make(build: &Build) -> Box<dyn Placement> {
    Box::new(RoundRobin {
        overlay: Overlay::new(build.nodes),
        next: 0,
    })
}

impl Placement for RoundRobin {
    fn schedule(&mut self, view: &View, queue: Queue, out: &mut Decisions) {
        let state = view.state;
        self.overlay.begin(state);
        let nodes = state.nodes.len() as u32;
        for (index, p) in queue.iter() {
            let turn = (0..nodes)
                .map(|k| NodeId((self.next + k) % nodes))
                .find(|&node| self.overlay.free.contains(node));
            let Some(node) = turn else {
                out.exhausted = true;
                break;
            };
            self.next = (node.0 + 1) % nodes;
            self.overlay.act_at(view, p, index as u32, node, out);
        }
    }
}

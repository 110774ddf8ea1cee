//! `least_loaded`: each waiting invocation, in submission order, goes to
//! the node with the fewest busy slots (counting those claimed earlier in
//! the round; list order on ties), as dslab-faas's least-loaded scheduler
//! does with active invocations. The node is chosen for its load alone:
//! there the classic decision is taken (its idle container, the image in
//! RAM, else a load or a copy, the invocation waiting for a later round).
//! The node is one with a free slot, so the round ends once what is left
//! would be refused wherever it goes (`refused.rs`).
//!
//! Empty nodes (every slot free, none claimed this round) are the least
//! loaded, so the first of them is the choice while there is one, without
//! a scan of every free node; entries alike that go to empty nodes where
//! they only wait for the image are decided as a whole (`overlay/alike.rs`),
//! one an empty node (it is no longer empty once it has one).
//! Else the choice comes off a heap of nodes by busy slots kept from round
//! to round (`node_heap.rs`): a decision costs O(log nodes), not a scan.

use super::super::Build;
use super::node_heap::NodeHeap;
use super::overlay::Room;
use super::refused::RefusedRest;
use super::{Decisions, Overlay, Placement, Queue, View};
use crate::serverless::node::Node;
use crate::serverless::nodeset::NodeSet;

pub struct LeastLoaded {
    overlay: Overlay,
    rest: RefusedRest,
    /// Nodes with every slot free and none claimed this round: the least
    /// loaded, when there are any.
    unloaded: NodeSet,
    /// Free nodes by busy slots.
    lightest: NodeHeap<u32>,
}

/// A node's busy slots while it has a free one.
fn busy(node: &Node) -> Option<u32> {
    (node.free_slots > 0).then(|| node.slots - node.free_slots)
}

pub fn make(build: &Build) -> Box<dyn Placement> {
    Box::new(LeastLoaded {
        overlay: Overlay::new(build.nodes),
        rest: RefusedRest::default(),
        unloaded: NodeSet::new(build.nodes),
        lightest: NodeHeap::default(),
    })
}

impl Placement for LeastLoaded {
    /// Its dispatches take idle containers only (`Overlay::act_at`).
    fn claims_prewarming(&self) -> bool {
        false
    }

    /// Its heap of nodes by load is told of slots given back.
    fn watches_slots_given(&self) -> bool {
        true
    }

    fn schedule(&mut self, view: &View, queue: Queue, out: &mut Decisions) {
        let state = view.state;
        self.overlay.begin(state);
        self.rest.begin();
        self.unloaded.copy_from(&state.empty_nodes);
        self.lightest.begin(state, busy);
        let mut next = 0;
        while let Some((index, p)) = queue.iter_from(next).next() {
            next = index + 1;
            // Off with the shortcuts, to check that it is the scan's choice.
            let empty = view.shortcuts.then(|| self.unloaded.first()).flatten();
            let least = empty.or_else(|| match view.step_over {
                true => {
                    // Busy slots counting the round's claims.
                    let overlay = &self.overlay;
                    let now = |node| overlay.free.contains(node).then(|| overlay.busy_slots(state, node));
                    self.lightest.first(now).map(|(node, _)| node)
                }
                false => (self.overlay.free.iter()).min_by_key(|&node| (self.overlay.busy_slots(state, node), node)),
            });
            let Some(node) = least else {
                out.exhausted = true;
                break;
            };
            if self
                .rest
                .ends_per_free_slot(view, &self.overlay, queue, (index, p, node), out)
            {
                break;
            }
            let alike = (view.shortcuts.then(|| self.rest.rest_alike(queue, p)))
                .flatten()
                .filter(|&count| count > 0);
            let before = out.dispatch.len();
            self.overlay.act_at(view, p, index as u32, node, out);
            self.unloaded.remove(node);
            self.rest.pass(view, &self.overlay, p, out.dispatch.get(before));
            // Entries alike that go to empty nodes where they only wait
            // for the image (each to the lowest, in turn) claim those
            // nodes as a whole (`overlay/alike.rs`).
            if let Some(count) = alike {
                let taken = self
                    .overlay
                    .claim_waiting_run(view, p, &mut self.unloaded, count, Room::OneEntry);
                self.rest.pass_waiting(p, taken);
                next = queue.after_waiting(next, taken);
            }
        }
        self.lightest.end(state, busy);
    }
}

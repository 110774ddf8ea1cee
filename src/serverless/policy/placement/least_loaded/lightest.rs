//! The node with the fewest busy slots among those with a free slot (list
//! order on ties), kept from round to round in a heap of (busy slots,
//! node), so that a round's choice costs O(log nodes), not a scan of every
//! free node.
//!
//! Entries are corrected when they come to the top, not when a node
//! changes: a slot taken makes a node's entry too low, and it is pushed
//! again at its count when it surfaces; a slot given back makes it too
//! high, and the service lists such nodes (`ServiceState::slots_given`),
//! pushed again at the next round's start. So every node with a free slot
//! keeps an entry no higher than its count, and the lowest valid entry is
//! the scan's choice. Within a round the counts include its claims; the
//! nodes a round pushed or dropped are pushed again at its end at the
//! service's count, as its claims may not all become dispatches.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::serverless::ids::NodeId;
use crate::serverless::state::ServiceState;

use super::super::Overlay;

#[derive(Debug, Default)]
pub struct Lightest {
    heap: BinaryHeap<Reverse<(u32, u32)>>,
    /// Nodes whose entries this round moved or dropped.
    touched: Vec<NodeId>,
    /// Whether every node was pushed once (the first round).
    seeded: bool,
}

impl Lightest {
    /// Starts a round: pushes the nodes given slots back since the last.
    pub fn begin(&mut self, state: &ServiceState) {
        if !self.seeded || self.heap.len() > 4 * state.nodes.len() + 64 {
            // Every node once (also when stale entries pile up).
            self.heap.clear();
            self.seeded = true;
            let all = (0..state.nodes.len() as u32).map(NodeId);
            self.push_free(state, all);
            return;
        }
        if let Some(given) = &state.slots_given {
            self.push_free(state, given.iter());
        }
    }

    /// The free node with the fewest busy slots this round, counting the
    /// round's claims (the lowest node among equals).
    pub fn choose(&mut self, state: &ServiceState, overlay: &Overlay) -> Option<NodeId> {
        while let Some(&Reverse((busy, index))) = self.heap.peek() {
            let node = NodeId(index);
            let now = overlay.free.contains(node).then(|| overlay.busy_slots(state, node));
            match now {
                Some(count) if count == busy => return Some(node),
                Some(count) if count > busy => {
                    self.heap.pop();
                    self.heap.push(Reverse((count, index)));
                }
                // Not free, or a lower entry of it is in the heap.
                _ => {
                    self.heap.pop();
                }
            }
            self.touched.push(node);
        }
        None
    }

    /// Ends a round: the nodes it moved or dropped get an entry at the
    /// service's count again.
    pub fn end(&mut self, state: &ServiceState) {
        let touched = std::mem::take(&mut self.touched);
        self.push_free(state, touched.iter().copied());
        self.touched = touched;
        self.touched.clear();
    }

    fn push_free(&mut self, state: &ServiceState, nodes: impl Iterator<Item = NodeId>) {
        for node in nodes {
            let n = &state.nodes[node.index()];
            if n.free_slots > 0 {
                self.heap.push(Reverse((n.slots - n.free_slots, node.0)));
            }
        }
    }
}

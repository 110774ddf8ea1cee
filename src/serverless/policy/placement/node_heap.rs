//! Nodes in the order of a key of their slots (lowest first, the lower
//! node among equals), kept from round to round in a heap, so that a
//! policy that takes nodes in that order (`least_loaded`'s fewest busy
//! slots, `balanced`'s most free slots) pays O(log nodes) a node, not a
//! sort or a scan of every node each round.
//!
//! Entries are corrected when they come to the top, not when a node
//! changes: slots taken since an entry was pushed make it too low, and it
//! is pushed again at the node's key when it surfaces; slots given back
//! make it too high, and the service lists such nodes
//! (`ServiceState::slots_given`, kept for a placement that
//! `watches_slots_given`), pushed again at the next round's start; so are
//! the nodes that took a slot while empty (`ServiceState::left_empty`),
//! for a policy whose key leaves empty nodes off (`balanced`, which hands
//! them out as runs). So every node with a key keeps an entry no higher
//! than it, and the lowest entry equal to its node's key is the order's
//! first. Within a round the keys are the round's own (its claims, its
//! shares); the nodes a round moved or dropped are pushed again at its
//! end at the service's key, as what the round took may not all be
//! dispatched.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::serverless::ids::NodeId;
use crate::serverless::node::Node;
use crate::serverless::state::ServiceState;

#[derive(Debug)]
pub struct NodeHeap<K: Ord> {
    heap: BinaryHeap<Reverse<(K, u32)>>,
    /// Nodes whose entries this round moved or dropped.
    touched: Vec<NodeId>,
    /// Whether every node was pushed once (the first round).
    seeded: bool,
}

impl<K: Ord> Default for NodeHeap<K> {
    fn default() -> Self {
        NodeHeap {
            heap: BinaryHeap::new(),
            touched: Vec::new(),
            seeded: false,
        }
    }
}

impl<K: Ord + Copy> NodeHeap<K> {
    /// Starts a round: pushes the nodes given slots back since the last,
    /// and those that took a slot while empty (every node at the first,
    /// and when stale entries pile up). `key`:
    /// a node's key at the service's counts, None when it is not ordered.
    pub fn begin(&mut self, state: &ServiceState, key: impl Fn(&Node) -> Option<K>) {
        if !self.seeded || self.heap.len() > 4 * state.nodes.len() + 64 {
            self.heap.clear();
            self.seeded = true;
            let all = (0..state.nodes.len() as u32).map(NodeId);
            self.push_keyed(state, all, &key);
        } else {
            // The nodes given slots back, and those that left the empty
            // set (listed for a policy that keeps empty nodes off the
            // heap: `balanced` with as many slots a node).
            for nodes in [&state.slots_given, &state.left_empty].into_iter().flatten() {
                self.push_keyed(state, nodes.iter(), &key);
            }
        }
    }

    /// The first node in order this round and its key; `now`: a node's
    /// key this round, None when it is not ordered (then its entries are
    /// dropped). The node's entry stays on top.
    pub fn first(&mut self, mut now: impl FnMut(NodeId) -> Option<K>) -> Option<(NodeId, K)> {
        while let Some(&Reverse((key, index))) = self.heap.peek() {
            let node = NodeId(index);
            let current = now(node);
            if current == Some(key) {
                return Some((node, key));
            }
            self.heap.pop();
            match current {
                Some(current) if current > key => {
                    self.heap.push(Reverse((current, index)));
                    self.touched.push(node);
                }
                // Not ordered this round (the round's own counts may differ
                // from the service's): pushed again at the round's end.
                None => self.touched.push(node),
                // A lower entry of it is in the heap.
                Some(_) => {}
            }
        }
        None
    }

    /// Takes the first node's entry off (its key this round changed: the
    /// round pushes it again if it stays ordered).
    pub fn take_first(&mut self) {
        if let Some(Reverse((_, index))) = self.heap.pop() {
            self.touched.push(NodeId(index));
        }
    }

    /// Pushes `node` at its key this round.
    pub fn push(&mut self, key: K, node: NodeId) {
        self.heap.push(Reverse((key, node.0)));
        self.touched.push(node);
    }

    /// Ends a round: the nodes it moved or dropped get an entry at the
    /// service's key again.
    pub fn end(&mut self, state: &ServiceState, key: impl Fn(&Node) -> Option<K>) {
        let mut touched = std::mem::take(&mut self.touched);
        touched.sort_unstable_by_key(|node| node.0);
        touched.dedup();
        self.push_keyed(state, touched.iter().copied(), &key);
        self.touched = touched;
        self.touched.clear();
    }

    fn push_keyed(
        &mut self,
        state: &ServiceState,
        nodes: impl Iterator<Item = NodeId>,
        key: &impl Fn(&Node) -> Option<K>,
    ) {
        for node in nodes {
            if let Some(k) = key(&state.nodes[node.index()]) {
                self.heap.push(Reverse((k, node.0)));
            }
        }
    }
}

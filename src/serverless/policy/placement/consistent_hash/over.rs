//! What rounds learn of the nodes over the bound on one registration's
//! walk, kept from round to round. Under load the walk of a function
//! starts with a long run of nodes at the bound (consistent hashing fills
//! them first), and an invocation goes to the first node within it: each
//! round, one an arrival, would walk that run node by node. Kept here: a
//! rank `end` before which every node of the walk is over a capacity or
//! without a free slot, but for the nodes listed as holes. A node becomes
//! a hole when it may have come under: a slot given back
//! (`ServiceState::slots_given`), or a claim of a round (which may have
//! been a wait, not a dispatch: gone at the round's end). Busy slots
//! taken only keep a node over, and a smaller capacity too; a larger one
//! forgets it all. The first node within is then the lowest hole still
//! within, else the walk goes on from `end`: O(log) a round, not the run.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use crate::serverless::ids::NodeId;

/// A registration's walk past nodes over the bound (see the module doc).
#[derive(Debug)]
pub struct Over {
    /// Each node's rank on the walk.
    rank: Vec<u32>,
    /// Every node of the walk before this rank is over `capacity` or
    /// without a free slot, but those of `holes`.
    end: usize,
    capacity: f64,
    /// Ranks before `end` that may be within (some are not: checked
    /// when they come up).
    holes: BinaryHeap<Reverse<u32>>,
    /// Per rank: whether it is in `holes` (once at most: a crowd's nodes
    /// are claimed again every round).
    queued: Vec<bool>,
}

/// Walks no longer than this are walked again each round: the ranks cost
/// a word a node, and the rounds' end a visit per claim.
pub const LONG_WALK: usize = 64;

impl Over {
    /// Nothing known yet of `walk`.
    pub fn new(walk: &[NodeId], nodes: usize) -> Self {
        let mut rank = vec![0; nodes];
        for (at, node) in walk.iter().enumerate() {
            rank[node.index()] = at as u32;
        }
        Over {
            rank,
            end: 0,
            capacity: f64::NAN,
            holes: BinaryHeap::new(),
            queued: vec![false; walk.len()],
        }
    }

    /// `node` may have come within the bound.
    pub fn hole(&mut self, node: NodeId) {
        let at = self.rank[node.index()];
        if (at as usize) < self.end && !std::mem::replace(&mut self.queued[at as usize], true) {
            self.holes.push(Reverse(at));
        }
    }

    /// A rank no node before which is within `capacity`, `within` telling
    /// whether the node at a rank is; None when nothing is known.
    pub fn first_within(&mut self, capacity: f64, within: impl Fn(usize) -> bool) -> Option<usize> {
        if self.end == 0 {
            return None;
        }
        if capacity > self.capacity {
            self.forget();
            return None;
        }
        // What is known holds for the smaller capacity, and the holes
        // passed below are over that one only.
        self.capacity = capacity;
        while let Some(&Reverse(at)) = self.holes.peek() {
            if within(at as usize) {
                return Some(at as usize);
            }
            self.holes.pop();
            self.queued[at as usize] = false;
        }
        Some(self.end)
    }

    /// A round found no node before `first_within` within `capacity`
    /// (its claims counted: the round's claimed nodes are made holes
    /// after this).
    pub fn learn(&mut self, first_within: usize, capacity: f64) {
        if first_within > self.end {
            self.capacity = if self.end == 0 {
                capacity
            } else {
                self.capacity.min(capacity)
            };
            self.end = first_within;
        }
    }

    /// Forgets all (a larger capacity, or a round whose claims are not
    /// all listed).
    pub fn forget(&mut self) {
        self.end = 0;
        self.capacity = f64::NAN;
        for Reverse(at) in self.holes.drain() {
            self.queued[at as usize] = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holes_come_up_lowest_first_and_a_larger_capacity_forgets() {
        let walk: Vec<NodeId> = [3, 1, 4, 0, 2].into_iter().map(NodeId).collect();
        let mut over = Over::new(&walk, 5);
        assert_eq!(over.first_within(2.0, |_| true), None);
        over.learn(4, 2.0);
        // Node 2 is past the end: no hole; node 4 (rank 2) and 1 (rank 1).
        over.hole(NodeId(2));
        over.hole(NodeId(4));
        over.hole(NodeId(1));
        assert_eq!(over.first_within(2.0, |at| at == 2), Some(2));
        assert_eq!(over.first_within(2.0, |_| false), Some(4));
        // A smaller capacity keeps what is known, and is then the one
        // known: a larger one, even the first, forgets.
        assert_eq!(over.first_within(1.0, |_| false), Some(4));
        assert_eq!(over.first_within(2.0, |_| false), None);
        assert_eq!(over.first_within(2.0, |_| false), None);
    }
}

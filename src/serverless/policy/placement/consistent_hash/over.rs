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
//!
//! The nodes that may have come under are logged once for all
//! registrations ([`CameUnder`]); each registration's `Over` reads what
//! was logged since its last round when it next has one, so a round costs
//! the registrations it walks, not all those with walks kept.

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
    /// How far it read the log ([`CameUnder`]), as a position in it.
    read: u64,
}

/// The nodes that may have come under the bound, in order, for every
/// registration's [`Over`] to read; and where all was last forgotten.
#[derive(Debug, Default)]
pub struct CameUnder {
    nodes: Vec<NodeId>,
    /// Position of `nodes[0]` (those before were dropped).
    base: u64,
    /// An `Over` that read less than this forgets all (never below
    /// `base`: what an `Over` has not read is then still logged).
    forgotten: u64,
}

impl CameUnder {
    /// Logs `nodes`.
    pub fn log(&mut self, nodes: impl Iterator<Item = NodeId>) {
        self.nodes.extend(nodes);
    }

    /// Every `Over` forgets all (at its next read): the log starts
    /// over past every position read.
    pub fn forget_all(&mut self) {
        self.base = self.end() + 1;
        self.forgotten = self.base;
        self.nodes.clear();
    }

    /// Drops the log once longer than `limit`: an `Over` that had not
    /// read it all forgets (walking its nodes again costs less than a
    /// log that long).
    pub fn trim(&mut self, limit: usize) {
        if self.nodes.len() > limit {
            self.base = self.end();
            self.forgotten = self.base;
            self.nodes.clear();
        }
    }

    fn end(&self) -> u64 {
        self.base + self.nodes.len() as u64
    }
}

/// Walks shorter than this are walked again each round, and services of
/// fewer nodes keep nothing (`ConsistentHash::keeps_over`): the ranks
/// cost a word a node, each round logs its claims, and a registration's
/// next round reads what was logged since its last.
pub const LONG_WALK: usize = 128;

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
            read: 0,
        }
    }

    /// Reads what `log` logged since the last read: holes, or all
    /// forgotten (also when more was logged than the ranks it knows:
    /// walking them again costs no more).
    pub fn read(&mut self, log: &CameUnder) {
        if self.read < log.forgotten || log.end() - self.read > self.end as u64 {
            self.forget();
        } else {
            let from = (self.read - log.base) as usize;
            for &node in &log.nodes[from..] {
                self.hole(node);
            }
        }
        self.read = log.end();
    }

    /// `node` may have come within the bound.
    fn hole(&mut self, node: NodeId) {
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
        let mut log = CameUnder::default();
        assert_eq!(over.first_within(2.0, |_| true), None);
        over.learn(4, 2.0);
        // Node 2 is past the end: no hole; node 4 (rank 2) and 1 (rank 1).
        log.log([2, 4, 1].into_iter().map(NodeId));
        over.read(&log);
        assert_eq!(over.first_within(2.0, |at| at == 2), Some(2));
        assert_eq!(over.first_within(2.0, |_| false), Some(4));
        // A smaller capacity keeps what is known, and is then the one
        // known: a larger one, even the first, forgets.
        assert_eq!(over.first_within(1.0, |_| false), Some(4));
        assert_eq!(over.first_within(2.0, |_| false), None);
        assert_eq!(over.first_within(2.0, |_| false), None);
    }

    #[test]
    fn an_over_behind_the_log_or_its_forgetting_forgets() {
        let walk: Vec<NodeId> = (0..4).map(NodeId).collect();
        let (mut over, mut log) = (Over::new(&walk, 4), CameUnder::default());
        over.learn(3, 1.0);
        log.log([NodeId(1)].into_iter());
        over.read(&log);
        assert_eq!(over.first_within(1.0, |_| false), Some(3));
        log.forget_all();
        over.read(&log);
        assert_eq!(over.first_within(1.0, |_| false), None);
        over.learn(3, 1.0);
        log.log([NodeId(0), NodeId(2)].into_iter());
        log.trim(1);
        over.read(&log);
        assert_eq!(over.first_within(1.0, |_| false), None);
        // Read up to the end, it keeps what it learns next.
        over.learn(2, 1.0);
        log.log([NodeId(3)].into_iter());
        over.read(&log);
        assert_eq!(over.first_within(1.0, |_| false), Some(2));
    }
}

//! `consistent_hash(bound)`: consistent hashing with bounded loads
//! (Mirrokni, Thorup and Zadimoghaddam, SODA'18), the placement CH-RLU
//! builds on (Fuerst and Sharma, HPDC'22). Every node sits at
//! [`POINTS`] places on a hash ring (FNV-1a of its host name and the
//! place's number), a function at one (FNV-1a of its name). An invocation
//! walks the ring clockwise from its function's place and goes to the
//! first node with a free slot whose busy slots, itself counted, stay
//! within `bound` x the average: load + 1 <= ceil(bound x (total + 1) / n).
//! A function thus keeps to its node (warm containers) until that node
//! carries more than its share, then spills to the next nodes on the
//! ring. When no node with a free slot is within the bound (those below
//! it are full or down), the first one with a free slot on the walk takes
//! it. Loads are exact at every round (CH-RLU refreshes them at random
//! intervals; that staleness is not modelled).
//!
//! An entry walked to an inert node (`inert.rs`) only claims its slot;
//! once every node with a free slot is inert, the rest of the round
//! decides nothing, wherever the walks would take it, and it ends.

use super::super::Build;
use super::inert::InertNodes;
use super::{Decisions, Overlay, Placement, Queue, View};
use crate::ir::service::SchedulerSpec;
use crate::serverless::ids::NodeId;
use crate::workload::random::fnv1a;

/// Places of each node on the ring: enough that nodes' arcs are even.
pub const POINTS: u32 = 64;

pub struct ConsistentHash {
    overlay: Overlay,
    bound: f64,
    /// The ring: (place, node), sorted; built at the first round, from the
    /// nodes' host names.
    ring: Vec<(u64, NodeId)>,
    inert: InertNodes,
}

/// The bound is `consistent_hash(bound)`'s argument (checked >= 1).
pub fn make(build: &Build) -> Box<dyn Placement> {
    let SchedulerSpec::ConsistentHash { bound } = build.service.scheduler else {
        unreachable!("`consistent_hash` is built for its scheduler only (SchedulerSpec::name)");
    };
    Box::new(ConsistentHash {
        overlay: Overlay::new(build.nodes),
        bound,
        ring: Vec::new(),
        inert: InertNodes::default(),
    })
}

/// The ring of nodes named `names`.
fn ring<'a>(names: impl Iterator<Item = &'a str>) -> Vec<(u64, NodeId)> {
    let mut ring: Vec<(u64, NodeId)> = names
        .enumerate()
        .flat_map(|(n, name)| (0..POINTS).map(move |k| (fnv1a(format!("{name}#{k}").as_bytes()), NodeId(n as u32))))
        .collect();
    ring.sort_unstable();
    ring
}

/// The nodes met walking the ring clockwise from `hash`, each once.
fn walk(ring: &[(u64, NodeId)], hash: u64, nodes: usize) -> impl Iterator<Item = NodeId> + '_ {
    let start = ring.partition_point(|&(place, _)| place < hash);
    let mut seen = vec![false; nodes];
    ring[start..]
        .iter()
        .chain(&ring[..start])
        .filter_map(move |&(_, node)| (!std::mem::replace(&mut seen[node.index()], true)).then_some(node))
}

/// The most busy slots a node may have with this invocation, `total` busy
/// slots over `nodes` nodes before it.
fn capacity(bound: f64, total: u64, nodes: usize) -> f64 {
    (bound * (total + 1) as f64 / nodes as f64).ceil()
}

impl Placement for ConsistentHash {
    fn schedule(&mut self, view: &View, queue: Queue, out: &mut Decisions) {
        let state = view.state;
        if self.ring.is_empty() {
            self.ring = ring(state.nodes.iter().map(|n| n.name.as_str()));
        }
        self.overlay.begin(state);
        let nodes = state.nodes.len();
        self.inert.begin(view, queue, nodes);
        // A free node that is not inert, while it stays so.
        let mut blocker = None;
        for (index, p) in queue.iter() {
            if self.overlay.free.is_empty() {
                out.exhausted = true;
                break;
            }
            let (overlay, inert) = (&self.overlay, &mut self.inert);
            if !blocker.is_some_and(|b| overlay.free.contains(b) && !inert.at(view, overlay, queue, b)) {
                blocker = overlay.free.iter().find(|&n| !inert.at(view, overlay, queue, n));
                if blocker.is_none() {
                    break;
                }
            }
            let total: u64 = (0..nodes as u32)
                .map(|n| self.overlay.busy_slots(state, NodeId(n)) as u64)
                .sum();
            let capacity = capacity(self.bound, total, nodes);
            let hash = fnv1a(view.registry.get(p.reg).name.as_bytes());
            let mut spill = None;
            let mut within = None;
            for node in walk(&self.ring, hash, nodes).filter(|&n| self.overlay.free.contains(n)) {
                spill.get_or_insert(node);
                if (self.overlay.busy_slots(state, node) + 1) as f64 <= capacity {
                    within = Some(node);
                    break;
                }
            }
            let Some(node) = within.or(spill) else { continue };
            self.inert
                .act_at(view, &mut self.overlay, queue, (index as u32, p), node, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_walk_meets_every_node_once() {
        let names = ["a", "b", "c", "d", "e"];
        let ring = ring(names.iter().copied());
        assert_eq!(ring.len(), names.len() * POINTS as usize);
        for hash in [0, 1 << 40, u64::MAX / 3, u64::MAX] {
            let mut met: Vec<NodeId> = walk(&ring, hash, names.len()).collect();
            met.sort();
            assert_eq!(met, (0..5).map(NodeId).collect::<Vec<_>>());
        }
    }

    #[test]
    fn adding_a_node_moves_only_what_lands_on_it() {
        let before = ring(["a", "b", "c"].into_iter());
        let after = ring(["a", "b", "c", "d"].into_iter());
        for f in 0..200u64 {
            let hash = fnv1a(format!("f{f}").as_bytes());
            let (old, new) = (walk(&before, hash, 3).next(), walk(&after, hash, 4).next());
            assert!(new == old || new == Some(NodeId(3)), "function {f}: {old:?} -> {new:?}");
        }
    }

    #[test]
    fn the_bound_is_a_factor_of_the_average_with_the_newcomer() {
        // 10 busy slots over 4 nodes, one more coming: 11 / 4 = 2.75.
        assert_eq!(capacity(1.0, 10, 4), 3.0);
        assert_eq!(capacity(1.25, 10, 4), 4.0);
        assert_eq!(capacity(2.0, 0, 4), 1.0);
    }
}

//! `openwhisk`: OpenWhisk's sharding load balancer (its
//! `ShardingContainerPoolBalancer`). A function's home node is
//! hash(function) mod n, and its step one of the numbers below n co-prime
//! to n and to the steps before it, also chosen by the hash; an invocation
//! probes home, home + step, home + 2 step, ... (mod n), which visits every
//! node once since the step is co-prime to n, and goes to the first node
//! with a free slot. So a function's invocations gather on few nodes
//! (warm containers, images in place) while load spills over in a fixed
//! order. Where OpenWhisk overloads a random invoker when all are full,
//! here the invocation waits for the next round. The hash is FNV-1a of the
//! function's name (OpenWhisk hashes its namespace and action names).
//! The node is one with a free slot, so the round ends once what is left
//! would be refused wherever it may go (`refused.rs`): along its probes,
//! no further than the nodes whose free slots the entries left could
//! fill, as every entry before takes at most one slot.

use super::super::Build;
use super::refused::RefusedRest;
use super::{Decisions, Overlay, Pending, Placement, Queue, View};
use crate::serverless::ids::NodeId;
use crate::workload::random::fnv1a;

pub struct OpenWhisk {
    overlay: Overlay,
    /// The co-prime step sizes for this number of nodes.
    steps: Vec<u32>,
    rest: RefusedRest,
}

pub fn make(build: &Build) -> Box<dyn Placement> {
    Box::new(OpenWhisk {
        overlay: Overlay::new(build.nodes),
        steps: coprime_steps(build.nodes as u32),
        rest: RefusedRest::default(),
    })
}

/// The numbers of 1..=n co-prime to n and to every number kept before
/// them, in increasing order (OpenWhisk's pairwise co-prime step sizes).
fn coprime_steps(n: u32) -> Vec<u32> {
    let mut steps: Vec<u32> = Vec::new();
    for k in 1..=n.max(1) {
        if gcd(k, n) == 1 && steps.iter().all(|&s| gcd(s, k) == 1) {
            steps.push(k);
        }
    }
    steps
}

fn gcd(mut a: u32, mut b: u32) -> u32 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The nodes an invocation of a function with this hash probes, in order.
fn probes(hash: u64, steps: &[u32], nodes: u32) -> impl Iterator<Item = NodeId> {
    let home = (hash % nodes as u64) as u32;
    let step = steps[(hash % steps.len() as u64) as usize];
    (0..nodes).map(move |k| NodeId(((home as u64 + k as u64 * step as u64) % nodes as u64) as u32))
}

impl Placement for OpenWhisk {
    fn schedule(&mut self, view: &View, queue: Queue, out: &mut Decisions) {
        let state = view.state;
        self.overlay.begin(state);
        self.rest.begin();
        let nodes = state.nodes.len() as u32;
        for (index, p) in queue.iter() {
            if self.overlay.free.is_empty() {
                out.exhausted = true;
                break;
            }
            let hash = fnv1a(view.registry.get(p.reg).name.as_bytes());
            let node = probes(hash, &self.steps, nodes).find(|&node| self.overlay.free.contains(node));
            let Some(node) = node else {
                self.rest.pass(view, &self.overlay, p, None);
                continue;
            };
            // An entry goes no further in its probes than the nodes whose
            // free slots the entries left could all fill.
            let left = self.rest.left(queue) as u64;
            let (overlay, steps) = (&self.overlay, &self.steps);
            let reach = |q: &Pending| {
                let mut before = 0u64;
                let hash = fnv1a(view.registry.get(q.reg).name.as_bytes());
                probes(hash, steps, nodes)
                    .filter(|&n| overlay.free.contains(n))
                    .take_while(move |&n| {
                        let reached = before < left;
                        before += u64::from(overlay.free_slots(state, n));
                        reached
                    })
            };
            if self.rest.ends(view, overlay, queue, (p, node), reach) {
                break;
            }
            let before = out.dispatch.len();
            self.overlay.act_at(view, p, index as u32, node, out);
            self.rest.pass(view, &self.overlay, p, out.dispatch.get(before));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_pairwise_coprime_with_the_node_count() {
        assert_eq!(coprime_steps(1), vec![1]);
        assert_eq!(coprime_steps(10), vec![1, 3, 7]);
        assert_eq!(coprime_steps(12), vec![1, 5, 7, 11]);
    }

    #[test]
    fn probing_visits_every_node_once_from_home() {
        for nodes in 1..=16 {
            let steps = coprime_steps(nodes);
            for hash in 0..64u64 {
                let order: Vec<NodeId> = probes(hash, &steps, nodes).collect();
                assert_eq!(order[0], NodeId((hash % nodes as u64) as u32), "home first");
                let mut seen = order.clone();
                seen.sort();
                seen.dedup();
                assert_eq!(seen.len(), nodes as usize, "{nodes} nodes, hash {hash}: {order:?}");
            }
        }
    }
}

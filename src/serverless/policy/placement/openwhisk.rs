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
//! fill, as every entry before takes at most one slot. Entries alike that
//! come along their probes to nodes where they only wait for the image
//! are decided together (`overlay/alike.rs`), node by node: the probes
//! stride over the nodes, so not a word at a time.

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
    /// Per registration: the round that last placed one of its entries
    /// and how far along its probes that entry went. Within a round nodes
    /// only lose free slots, so its next entry's first free node comes no
    /// earlier: a round walks each probe sequence once, not once per entry.
    reached: Vec<(u32, u32)>,
    round: u32,
}

pub fn make(build: &Build) -> Box<dyn Placement> {
    Box::new(OpenWhisk {
        overlay: Overlay::new(build.nodes),
        steps: coprime_steps(build.nodes as u32),
        rest: RefusedRest::default(),
        reached: Vec::new(),
        round: 0,
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
fn probes(hash: u64, steps: &[u32], nodes: u32) -> impl Iterator<Item = NodeId> + use<> {
    probes_from(hash, steps, nodes, 0).map(|(_, node)| node)
}

/// [`probes`] from the `first`-th on, each with its rank.
fn probes_from(hash: u64, steps: &[u32], nodes: u32, first: u32) -> impl Iterator<Item = (u32, NodeId)> + use<> {
    let n = u64::from(nodes);
    let home = hash % n;
    let step = u64::from(steps[(hash % steps.len() as u64) as usize]);
    let mut node = (home + u64::from(first) * step) % n;
    (first..nodes).map(move |k| {
        let at = NodeId(node as u32);
        node += step;
        if node >= n {
            node -= n;
        }
        (k, at)
    })
}

impl Placement for OpenWhisk {
    fn schedule(&mut self, view: &View, queue: Queue, out: &mut Decisions) {
        let state = view.state;
        self.overlay.begin(state);
        self.rest.begin();
        self.round = self.round.wrapping_add(1);
        if self.round == 0 {
            self.reached.iter_mut().for_each(|r| *r = (0, 0));
            self.round = 1;
        }
        let nodes = state.nodes.len() as u32;
        let mut next = 0;
        while let Some((index, p)) = queue.iter_from(next).next() {
            next = index + 1;
            if self.overlay.free.is_empty() {
                out.exhausted = true;
                break;
            }
            let hash = fnv1a(view.registry.get(p.reg).name.as_bytes());
            let reg = p.reg.index();
            if reg >= self.reached.len() {
                self.reached.resize(reg + 1, (0, 0));
            }
            // From the first probe with the shortcuts off, to check so.
            let from = match self.reached[reg] {
                (round, rank) if round == self.round && view.shortcuts => rank,
                _ => 0,
            };
            let free = &self.overlay.free;
            let found = probes_from(hash, &self.steps, nodes, from).find(|&(_, node)| free.contains(node));
            let Some((rank, node)) = found else {
                self.rest.pass(view, &self.overlay, p, None);
                continue;
            };
            self.reached[reg] = (self.round, rank);
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
            let alike = view.shortcuts.then(|| self.rest.rest_alike(queue, p)).flatten();
            let before = out.dispatch.len();
            self.overlay.act_at(view, p, index as u32, node, out);
            self.rest.pass(view, &self.overlay, p, out.dispatch.get(before));
            // Entries alike go on along the same probes: those that come
            // to nodes where they only wait for the image claim them here,
            // without the rest of an entry's round.
            if let Some(count) = alike {
                let mut taken = 0;
                for (rank, node) in probes_from(hash, &self.steps, nodes, rank) {
                    self.reached[reg] = (self.round, rank);
                    if taken == count || self.overlay.free.is_empty() {
                        break;
                    }
                    if self.overlay.free.contains(node) {
                        if !self.overlay.claim_if_waiting(view, p, node) {
                            break;
                        }
                        taken += 1;
                    }
                }
                self.rest.pass_waiting(p, taken);
                next = queue.after_waiting(next, taken);
            }
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

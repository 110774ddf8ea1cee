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
//! are decided together (`overlay/alike.rs`). The probes stride over the
//! nodes, so such a run goes node by node; but the order never changes,
//! so each function keeps the first nodes of its probes that earlier
//! rounds went over (`prefix.rs`): the nodes without a free slot at the
//! start (skipped at once while none of them has one) and those its last
//! run went through (claimed a word at a time while every free one only
//! waits for the image). A round of a pull crowd then costs words of
//! nodes, not a visit per waiting request.

use super::super::Build;
use super::overlay::KeptPrefix;
use super::prefix::Prefix;
use super::refused::RefusedRest;
use super::{Decisions, Overlay, Pending, Placement, Queue, View};
use crate::serverless::ids::NodeId;
use crate::workload::random::fnv1a;

pub struct OpenWhisk {
    overlay: Overlay,
    /// The co-prime step sizes for this number of nodes.
    steps: Vec<u32>,
    rest: RefusedRest,
    /// What rounds learned of each registration's probes.
    probed: Vec<Probed>,
    round: u32,
}

/// What rounds learned of one registration's probe sequence.
#[derive(Debug, Default)]
struct Probed {
    /// The round that last placed one of its entries and how far along
    /// its probes that entry went. Within a round nodes only lose free
    /// slots, so its next entry's first free node comes no earlier: a
    /// round walks each probe sequence once, not once per entry.
    reached: (u32, u32),
    /// First probes an entry went past, none with a free slot then.
    busy: Prefix,
    /// First probes up to where the last run of entries alike stopped.
    walked: Prefix,
    /// What rounds learnt of `walked`'s free nodes.
    kept: KeptPrefix,
}

pub fn make(build: &Build) -> Box<dyn Placement> {
    Box::new(OpenWhisk {
        overlay: Overlay::new(build.nodes),
        steps: coprime_steps(build.nodes as u32),
        rest: RefusedRest::default(),
        probed: Vec::new(),
        round: 0,
    })
}

/// The numbers of 1..=n co-prime to n and to every number kept before
/// them, in increasing order (OpenWhisk's pairwise co-prime step sizes).
/// A number is kept when none of its prime factors divides n or a number
/// kept before: factors read off a sieve of smallest prime factors, so
/// the list costs about n steps, not n times its length (the primes
/// below n, thousands at 40,000 nodes).
fn coprime_steps(n: u32) -> Vec<u32> {
    let n = n.max(1) as usize;
    let smallest = &smallest_prime_factors(n);
    let factors = |mut k: usize| {
        std::iter::from_fn(move || {
            (k > 1).then(|| {
                let p = smallest[k] as usize;
                while k.is_multiple_of(p) {
                    k /= p;
                }
                p
            })
        })
    };
    let mut taken = vec![false; n + 1];
    factors(n).for_each(|p| taken[p] = true);
    let mut steps = Vec::new();
    for k in 1..=n {
        if factors(k).all(|p| !taken[p]) {
            factors(k).for_each(|p| taken[p] = true);
            steps.push(k as u32);
        }
    }
    steps
}

/// The smallest prime factor of each number of 0..=n (0 for 0 and 1).
fn smallest_prime_factors(n: usize) -> Vec<u32> {
    let mut smallest = vec![0u32; n + 1];
    for p in 2..=n {
        if smallest[p] == 0 {
            for multiple in (p..=n).step_by(p) {
                if smallest[multiple] == 0 {
                    smallest[multiple] = p as u32;
                }
            }
        }
    }
    smallest
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

/// Makes `prefix` hold the probes up to rank `to`, if that is worth it.
fn extend(prefix: &mut Prefix, hash: u64, steps: &[u32], nodes: u32, to: u32) {
    prefix.extend(to, |from| probes_from(hash, steps, nodes, from).map(|(_, node)| node));
}

impl Placement for OpenWhisk {
    /// Its dispatches take idle containers only (`Overlay::act_at`).
    fn claims_prewarming(&self) -> bool {
        false
    }

    fn schedule(&mut self, view: &View, queue: Queue, out: &mut Decisions) {
        let state = view.state;
        self.overlay.begin(state);
        self.rest.begin();
        self.round = self.round.wrapping_add(1);
        if self.round == 0 {
            self.probed.iter_mut().for_each(|r| r.reached = (0, 0));
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
            if reg >= self.probed.len() {
                self.probed.resize_with(reg + 1, Probed::default);
            }
            let probed = &mut self.probed[reg];
            // From the first probe under full rounds, to check so (also
            // while prewarms are about: nodes lose slots all the same).
            let from = match probed.reached {
                (round, rank) if round == self.round && view.step_over => rank,
                _ => 0,
            };
            let free = &self.overlay.free;
            // Past the first probes known busy while none has a free slot.
            let known = view.shortcuts && from < probed.busy.len();
            let stale = known && probed.busy.meets(free);
            if stale {
                probed.busy.clear();
            }
            let start = if known && !stale { probed.busy.len() } else { from };
            let found = probes_from(hash, &self.steps, nodes, start).find(|&(_, node)| free.contains(node));
            if view.shortcuts && start <= probed.busy.len() {
                extend(
                    &mut probed.busy,
                    hash,
                    &self.steps,
                    nodes,
                    found.map_or(nodes, |(rank, _)| rank),
                );
            }
            let Some((rank, node)) = found else {
                self.rest.pass(view, &self.overlay, p, None);
                continue;
            };
            probed.reached = (self.round, rank);
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
            if self.rest.ends(view, overlay, queue, (index, p, node), reach, out) {
                break;
            }
            // Prewarm requests too: where the image is on its way, either
            // only claims a slot, and the run stops where they would differ.
            let alike = (view.shortcuts_past_prewarms(queue.tally()))
                .then(|| self.rest.rest_alike(queue, p))
                .flatten();
            let before = out.dispatch.len();
            self.overlay.act_at(view, p, index as u32, node, out);
            self.rest.pass(view, &self.overlay, p, out.dispatch.get(before));
            // Entries alike go on along the same probes: those that come
            // to nodes where they only wait for the image claim them here,
            // without the rest of an entry's round.
            if let Some(count) = alike {
                let probed = &mut self.probed[reg];
                // The probes before `rank` have no free slot.
                let steps = &self.steps;
                let along = self.overlay.claim_waiting_along(
                    view,
                    p,
                    (&probed.walked, &mut probed.kept),
                    rank,
                    |from| probes_from(hash, steps, nodes, from),
                    count,
                );
                if let Some(last) = along.last {
                    probed.reached = (self.round, last);
                }
                let (taken, stop) = (along.taken, along.stop.unwrap_or(nodes));
                extend(&mut probed.walked, hash, &self.steps, nodes, stop);
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
        // As OpenWhisk lists them: each number in turn, kept when co-prime
        // to n and to every number kept before.
        let gcd = |mut a: u32, mut b: u32| {
            while b != 0 {
                (a, b) = (b, a % b);
            }
            a
        };
        for n in (1..=400).chain([1_024, 2_310, 2_500, 9_973]) {
            let mut listed: Vec<u32> = Vec::new();
            for k in 1..=n {
                if gcd(k, n) == 1 && listed.iter().all(|&s| gcd(s, k) == 1) {
                    listed.push(k);
                }
            }
            assert_eq!(coprime_steps(n), listed, "{n} nodes");
        }
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

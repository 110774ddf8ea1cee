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
//! An entry walked to an inert node (`inert.rs`) only claims its slot.
//! The round ends once no entry left can reach a free node that is not
//! inert: the rest would only claim slots of inert nodes. A node is out of
//! reach of a function's entries when `f` free nodes come before it on
//! its walk, `f x bound >= n`, and none of them can run out of slots in
//! the rest of the round (free slots at least the entries left): an entry
//! reaches it only with all `f` at their bound, that is
//! `f x ceil(bound x (total + 1) / n) >= total + 1` busy slots among
//! them, more than there are; nor is it the spill (the first of the `f`
//! is). At `bound 1.25` the walks fill the first eight nodes of every
//! ten, so a node that is not inert beyond them (an idle container, an
//! image to copy) no longer makes every round walk the whole queue.
//! While prewarm requests wait (an autoscaler's), an entry's node decides
//! what becomes of it: the round ends so only when every node within
//! reach refuses a new container at no effect for every registration
//! waiting (image in RAM, no room, no container of its key to take, no
//! container that takes several invocations at once): each entry left,
//! wherever it goes, then takes a slot until none is left, an
//! invocation's dispatch dropped, a prewarm request's refused
//! (`doomed::refuse` names them; the service takes them out of the list
//! as it would have).
//!
//! Within a round, claims only take slots: a node's busy slots only grow,
//! the free set only shrinks, and so does nothing else an entry's walk
//! reads but the capacity, which only grows. Each registration's walk thus
//! keeps two cursors for the round ([`Cursor`]): before the first, no node
//! is free (the spill is at it or after); before the second, no node is
//! within the capacity it was set at. An entry resumes its walk there
//! instead of from the start, so a crowd of one function waiting on
//! copies costs a walk per round, not a walk per entry.
//!
//! From round to round, each registration keeps the first nodes of its
//! walk that rounds went past (`learned.rs`): those without a free slot,
//! skipped a word at a time while none of them has one, and those its
//! last run went through. A run: once an entry took the last free slot
//! of its node and every entry left in the round is of its registration,
//! the entries that would each come to the next free node of the walk,
//! where they only wait for the image, claim those nodes together
//! (`overlay/alike.rs`), a word at a time over the nodes of the last run,
//! then node by node. Each would go to the first free node of its walk:
//! a service's nodes all have the same slots, so the entry's node, within
//! the capacity with its last free slot, shows that every node with a
//! free slot is within it for the rest of the round (the capacity only
//! grows). (It was within, not the spill: the least busy node is below
//! the capacity, which exceeds the average, so a node with a free slot is
//! within whenever there is one.) The first run a round tries comes
//! before its check that the rest decides nothing (skipping a check
//! changes no decision), which would otherwise visit every waiting node.
//!
//! A node that keeps a free slot after an entry's decision starts no such
//! run: the entries after it walk on from the cursor to the next node
//! within the capacity, which grows with their claims (`crowd.rs`: a
//! crowd at the start, a node's first busy slot its bound).
//!
//! And each registration whose walks run long keeps, from round to round,
//! where its first node within the bound may be (`over.rs`): the nodes
//! before a rank over the bound, but for those that may have come under
//! since (slots given back, the rounds' claims), so that a round of one
//! arrival does not walk the nodes a loaded service has at the bound.
//! Only on services of [`LONG_WALK`] nodes or more: below, walking costs
//! less than keeping (a trace of thousands of functions on 100 nodes
//! ran 6 % more instructions with it).

mod crowd;
mod learned;
mod over;

use super::super::Build;
use super::doomed::{DoomedTail, refuse};
use super::inert::InertNodes;
use super::{Decisions, Overlay, Pending, Placement, Queue, View};
use crate::ir::service::SchedulerSpec;
use crate::serverless::ids::{NodeId, RegId};
use crate::serverless::nodeset::NodeSet;
use crate::serverless::state::ServiceState;
use crate::workload::random::fnv1a;
use learned::Learned;
use over::{CameUnder, LONG_WALK, Over};

/// Places of each node on the ring: enough that nodes' arcs are even.
pub const POINTS: u32 = 64;

pub struct ConsistentHash {
    overlay: Overlay,
    bound: f64,
    /// The ring: (place, node), sorted; built at the first round, from the
    /// nodes' host names.
    ring: Vec<(u64, NodeId)>,
    /// Per registration: the nodes its walk meets, in order (empty until
    /// its first entry).
    walks: Vec<Vec<NodeId>>,
    /// Per registration: where its walk resumes in this round.
    cursors: Vec<Cursor>,
    /// Per registration: what rounds learned of its walk.
    learned: Vec<Learned>,
    /// Per registration whose walks run long: where its first node
    /// within the bound may be.
    over: Vec<Option<Over>>,
    /// Whether walks may run long enough to keep an `over`: there are
    /// [`LONG_WALK`] nodes or more (else none of it is done).
    keeps_over: bool,
    /// Whether any registration has an `over` (else nothing is logged).
    any_over: bool,
    /// The nodes that may have come under the bound, for the `over`s.
    came_under: CameUnder,
    /// The registrations with entries this round, in order.
    regs_this_round: Vec<RegId>,
    round: u32,
    /// Slots of all nodes (known with the ring).
    slots: u64,
    tail: DoomedTail,
    inert: InertNodes,
}

/// Where a registration's walk resumes within a round (see the module doc).
#[derive(Clone, Copy)]
struct Cursor {
    /// No node of the walk before this index is free.
    first_free: usize,
    /// No node of the walk before this index is within `capacity`.
    first_within: usize,
    capacity: f64,
}

const FROM_THE_START: Cursor = Cursor {
    first_free: 0,
    first_within: 0,
    capacity: f64::NAN,
};

impl Cursor {
    /// Moves `first_free` past the nodes of `walk` without a free slot.
    fn pass_full(&mut self, walk: &[NodeId], free: &NodeSet) {
        self.first_free += walk[self.first_free..]
            .iter()
            .take_while(|&&n| !free.contains(n))
            .count();
    }

    /// Moves `first_within` past the nodes of `walk` without a free slot
    /// or over `capacity` (after [`pass_full`](Self::pass_full)); a larger
    /// capacity than the last may take back nodes passed for the smaller.
    fn pass_over(&mut self, walk: &[NodeId], overlay: &Overlay, state: &ServiceState, capacity: f64) {
        if self.capacity != capacity {
            self.first_within = self.first_free;
        }
        let free = &overlay.free;
        let start = self.first_within.max(self.first_free);
        self.first_within = start
            + walk[start..]
                .iter()
                .take_while(|&&n| !free.contains(n) || (overlay.busy_slots(state, n) + 1) as f64 > capacity)
                .count();
        self.capacity = capacity;
    }
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
        walks: Vec::new(),
        cursors: Vec::new(),
        learned: Vec::new(),
        over: Vec::new(),
        keeps_over: build.nodes >= LONG_WALK,
        any_over: false,
        came_under: CameUnder::default(),
        regs_this_round: Vec::new(),
        round: 0,
        slots: 0,
        tail: DoomedTail::default(),
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

/// The walk of the entries of `reg`, met nodes in order.
fn walk_of<'w>(walks: &'w mut Vec<Vec<NodeId>>, ring: &[(u64, NodeId)], view: &View, reg: RegId) -> &'w [NodeId] {
    if reg.index() >= walks.len() {
        walks.resize_with(reg.index() + 1, Vec::new);
    }
    let nodes = view.state.nodes.len();
    if walks[reg.index()].is_empty() {
        let hash = fnv1a(view.registry.get(reg).name.as_bytes());
        walks[reg.index()] = walk(ring, hash, nodes).collect();
    }
    &walks[reg.index()]
}

/// What rounds learned of the walk of `reg`.
fn learned_of(learned: &mut Vec<Learned>, reg: RegId) -> &mut Learned {
    if reg.index() >= learned.len() {
        learned.resize_with(reg.index() + 1, Learned::default);
    }
    &mut learned[reg.index()]
}

/// Busy slots at most for the shield argument's float arithmetic to hold
/// (each rounding loses a relative 2^-53 at most).
const EXACT_TOTAL: u64 = 1 << 50;

impl ConsistentHash {
    /// Whether no entry of the `left` the round has not passed (`total`
    /// busy slots so far) can reach a free node that is not inert, or if
    /// `refusing` (prewarm requests wait) one that does not refuse a new
    /// container at no effect (see the module doc); else how many nodes
    /// the check met, its cost.
    fn rest_decides_nothing(
        &mut self,
        view: &View,
        queue: Queue,
        (left, total): (usize, u64),
        refusing: bool,
    ) -> Result<(), usize> {
        let state = view.state;
        let nodes = state.nodes.len();
        if total + left as u64 >= EXACT_TOTAL {
            return Err(1);
        }
        let mut cost = 0;
        for (p, _) in queue.tally().present() {
            // A container to take decides, and so does a registration
            // whose containers take several invocations at once: a
            // prewarm request's dispatch ends judging (`InertNodes::act_at`).
            let several = view.registry.get(p.reg).concurrency > 1;
            if refusing && (several || self.overlay.has_container_for(state, p)) {
                return Err(cost + 1);
            }
            let in_ram = &state.images[p.image.0 as usize].in_ram;
            let walk = walk_of(&mut self.walks, &self.ring, view, p.reg);
            // Nodes without a free slot are passed over: those known are
            // not visited.
            let mut start = 0;
            if view.shortcuts {
                let learned = learned_of(&mut self.learned, p.reg);
                start = learned.busy_len(&self.overlay.free, self.round);
                start = learned.past_walked(&self.overlay.free, start);
            }
            // Free nodes met that keep a free slot for the rest of the round.
            let mut shield = 0usize;
            for &node in &walk[start..] {
                cost += 1;
                if !self.overlay.free.contains(node) {
                    continue;
                }
                if shield > 0 && shield as f64 * self.bound >= nodes as f64 {
                    break;
                }
                let decides = if refusing {
                    !in_ram.contains(node) || !self.overlay.cold_start_fails_inertly(view, node, p)
                } else {
                    !self.inert.at(view, &self.overlay, queue, node)
                };
                if decides {
                    return Err(cost);
                }
                if self.overlay.free_slots(view.state, node) as usize >= left {
                    shield += 1;
                }
            }
        }
        Ok(())
    }
}

impl ConsistentHash {
    /// Decides for up to `count` entries alike `p` that come after it,
    /// once `p` took the last free slot of the node at `rank` of its walk
    /// (so every free node is within the capacity): each would take the next free node of the
    /// walk; claims those where it only waits for the image, in walk
    /// order, up to the first where it would decide anything else.
    /// Returns how many it claimed and the rank where the walk stopped
    /// (no node before it free).
    fn run(&mut self, view: &View, p: &Pending, rank: usize, count: usize) -> (usize, usize) {
        let walk = &self.walks[p.reg.index()];
        let learned = learned_of(&mut self.learned, p.reg);
        // The nodes before `rank` have no free slot.
        let along = self.overlay.claim_waiting_along(
            view,
            p,
            (&learned.walked, &mut learned.kept),
            rank as u32 + 1,
            |from| {
                walk.iter()
                    .enumerate()
                    .skip(from as usize)
                    .map(|(at, &node)| (at as u32, node))
            },
            count,
        );
        let (taken, stop) = (along.taken, along.stop.map_or(walk.len(), |at| at as usize));
        learned.walked_to(walk, stop);
        (taken, stop)
    }
}

impl Placement for ConsistentHash {
    /// Its dispatches take idle containers only (`Overlay::act_at`).
    fn claims_prewarming(&self) -> bool {
        false
    }

    /// What it keeps of the nodes over the bound is told of slots given
    /// back (with walks long enough to keep it).
    fn watches_slots_given(&self) -> bool {
        self.keeps_over
    }

    fn schedule(&mut self, view: &View, queue: Queue, out: &mut Decisions) {
        let state = view.state;
        if self.ring.is_empty() {
            self.ring = ring(state.nodes.iter().map(|n| n.name.as_str()));
            self.slots = state.nodes.iter().map(|n| u64::from(n.slots)).sum();
        }
        self.overlay.begin(state);
        self.cursors.clear();
        self.tail.begin();
        self.round = self.round.wrapping_add(1);
        if self.round == 0 {
            self.learned.iter_mut().for_each(Learned::forget_checks);
            self.round = 1;
        }
        let nodes = state.nodes.len();
        self.regs_this_round.clear();
        if self.any_over
            && let Some(given) = &state.slots_given
        {
            self.came_under.log(given.iter());
        }
        self.inert.begin(view, queue, nodes);
        // Busy slots: every slot but the free ones (none claimed yet).
        let mut total: u64 = self.slots - state.total_free_slots;
        let waiting = queue.tally().total();
        // When to check the rest again: a check that fails costs about as
        // much as passing that many entries.
        let mut next_check = 0;
        let mut tried = false;
        let mut next = 0;
        while let Some((index, p)) = queue.iter_from(next).next() {
            next = index + 1;
            if self.overlay.free.is_empty() {
                out.exhausted = true;
                break;
            }
            let capacity = capacity(self.bound, total, nodes);
            // Entries alike after this one, to decide as a run.
            let alike = view
                .shortcuts
                .then(|| self.tail.rest_alike(queue, p))
                .flatten()
                .filter(|&count| count > 0);
            let passed = self.tail.scanned();
            // Prewarm requests left: each is refused wherever it goes, or
            // the round goes on.
            if (tried || alike.is_none()) && passed >= next_check && self.inert.judging() {
                let prewarms = !self.inert.may_end_round();
                let left = waiting - passed;
                match self.rest_decides_nothing(view, queue, (left, total), prewarms) {
                    Ok(()) => {
                        // Each entry takes a slot until none is left.
                        if prewarms {
                            let slots = self.overlay.total_free;
                            refuse(queue, index, left.min(slots as usize), out);
                            out.exhausted |= left as u64 > slots;
                        }
                        break;
                    }
                    Err(cost) => next_check = passed + cost,
                }
            }
            tried |= alike.is_some();
            self.tail.pass(p);
            let walk = walk_of(&mut self.walks, &self.ring, view, p.reg);
            // Without shortcuts (tests comparing both), every walk starts
            // over; prewarm requests waiting keep the cursors (they walk
            // as the invocations of their registration, claiming slots).
            let mut cursor = FROM_THE_START;
            let mut busy = 0;
            if view.step_over {
                if p.reg.index() >= self.cursors.len() {
                    self.cursors.resize(p.reg.index() + 1, FROM_THE_START);
                }
                cursor = self.cursors[p.reg.index()];
                // The registration's first entry this round: past the
                // nodes known over the bound.
                if cursor.capacity.is_nan() && self.keeps_over {
                    self.regs_this_round.push(p.reg);
                }
                if cursor.capacity.is_nan()
                    && let Some(Some(over)) = self.over.get_mut(p.reg.index())
                {
                    over.read(&self.came_under);
                    let (overlay, free) = (&self.overlay, &self.overlay.free);
                    let within = |at: usize| {
                        let n = walk[at];
                        free.contains(n) && (overlay.busy_slots(state, n) + 1) as f64 <= capacity
                    };
                    if let Some(at) = over.first_within(capacity, within) {
                        cursor.first_within = at;
                        cursor.capacity = capacity;
                    }
                }
                busy = learned_of(&mut self.learned, p.reg).busy_len(&self.overlay.free, self.round);
                cursor.first_free = cursor.first_free.max(busy);
            }
            let from = cursor.first_free;
            cursor.pass_full(walk, &self.overlay.free);
            if view.step_over && from == busy {
                learned_of(&mut self.learned, p.reg).went_past_busy(walk, from, cursor.first_free);
            }
            let spill = walk.get(cursor.first_free).copied();
            cursor.pass_over(walk, &self.overlay, state, capacity);
            let within = walk.get(cursor.first_within).copied();
            let Some(node) = within.or(spill) else {
                if view.step_over {
                    self.cursors[p.reg.index()] = cursor;
                }
                continue;
            };
            // A decision claims a slot of its node at most.
            let busy = self.overlay.busy_slots(state, node);
            self.inert
                .act_at(view, &mut self.overlay, queue, (index as u32, p), node, out);
            total += u64::from(self.overlay.busy_slots(state, node) - busy);
            if let Some(count) = alike {
                // Its node full, every free node is within: the entry went
                // to the first free one. Else the next goes on from the
                // cursor, to the first free node within.
                let taken = if !self.overlay.free.contains(node) {
                    let (taken, stop) = self.run(view, p, cursor.first_free, count);
                    cursor.first_free = stop;
                    cursor.first_within = stop;
                    taken
                } else {
                    self.run_within(view, p, &mut cursor, total, count)
                };
                total += taken as u64;
                self.tail.pass_many(p, taken);
                next = queue.after_waiting(next, taken);
            }
            if view.step_over {
                self.cursors[p.reg.index()] = cursor;
            }
        }
        if view.step_over && self.keeps_over {
            self.learn_over(nodes);
        }
    }
}

impl ConsistentHash {
    /// At a round's end: what its walks showed of the nodes over the
    /// bound, a registration whose walk ran long starting to keep it;
    /// then every node it claimed may come under (a wait's claim is
    /// gone). A round whose runs took nodes it does not list forgets it
    /// all: a hole it found without a free slot may have been one of them.
    fn learn_over(&mut self, nodes: usize) {
        if self.overlay.claimed_in_runs() {
            self.came_under.forget_all();
        } else {
            for &reg in &self.regs_this_round {
                let cursor = self.cursors[reg.index()];
                if self.over.len() <= reg.index() {
                    self.over.resize_with(reg.index() + 1, || None);
                }
                let over = match &mut self.over[reg.index()] {
                    Some(over) => over,
                    slot @ None if cursor.first_within >= LONG_WALK => {
                        self.any_over = true;
                        let over = slot.insert(Over::new(&self.walks[reg.index()], nodes));
                        // Read to the log's end: what came under before is
                        // in this round's view.
                        over.read(&self.came_under);
                        over
                    }
                    None => continue,
                };
                over.learn(cursor.first_within, cursor.capacity);
            }
        }
        if self.any_over {
            self.came_under.log(self.overlay.claimed_nodes().iter().copied());
            self.came_under.trim(4 * nodes + 64);
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

//! `random(seed)`: WRENCH's classic random scheduler. The waiting
//! invocations are shuffled and each is sent to a uniformly drawn node,
//! where the classic decision for that node is taken (a node without a free
//! slot only gets copies or loads). The generator persists across rounds.
//!
//! The shuffle is Fisher-Yates front first, drawn entry by entry
//! (`shuffle.rs`): the round's k-th entry is drawn among those not drawn
//! yet, then its node, one raw draw each (`StreamRng::scaled`), so a round
//! of w entries moves the generator by 2w - 1 draws whatever it decides,
//! and the entries it did not reach cost no draw: the generator skips
//! them (`StreamRng::skip`, a jump of the PCG state).
//!
//! An entry drawn to an inert node (`inert.rs`) only claims a slot; a
//! round whose nodes are all inert, from its start or from an entry on
//! (a node decided on is judged again at once), decides nothing more:
//! it ends there, and the generator skips the rest of its draws. Under
//! overload such a round costs the nodes it judges, not the queue. The
//! claim counts once judging ends (a registration whose containers take
//! several invocations at once was dispatched): the later entries are
//! decided the long way, on the slots the round took.
//!
//! A prewarm request is decided where it is drawn: at an inert node with
//! a free slot it is refused (it leaves the list), so while one waits a
//! round ends early only once no slot is left either. Once every node is
//! inert and keeps a free slot to the round's end, an invocation only
//! claims one there, which no later entry misses, and only the prewarm
//! requests decide (`Random::prewarms_only`): every place and node is
//! still drawn (where a request falls in the order is the order it is
//! refused in, and so its place in the list after), but no invocation's
//! entry is read. Such a round costs its draws: Θ(w), where a round
//! without prewarm requests ends once its nodes are inert.
//!
//! A draw costs its generator step and one bit test: the nodes the
//! service's node sets show inert for every registration waiting (an idle
//! container of its key or the image in RAM but no free slot; else the
//! image on its way to RAM, or to disk and not there) are known word by
//! word at the round's start (`Random::quiet`), and only a node outside
//! them, or one the round decided on since, is judged (`InertNodes::at`);
//! a node judged inert joins them, as it stays inert for the round. A
//! round of fewer entries than words of nodes (an arrival at a time, under
//! light load on many nodes) reads no word: it judges the nodes it draws
//! for less, and cannot draw them all to end early. A
//! round decides only at its own draws' nodes, and nothing but a decision
//! at a node changes what the sets say of it for the round.

use crate::workload::StreamRng;

use crate::serverless::ids::NodeId;
use crate::serverless::nodeset::NodeSet;

use super::super::Build;
use super::inert::InertNodes;
use super::shuffle::Shuffle;
use super::{Decisions, Overlay, Placement, Queue, View};
use crate::ir::service::SchedulerSpec;

pub struct Random {
    rng: StreamRng,
    overlay: Overlay,
    /// The round's order: sparse in a round that may end early, dense in
    /// one that reaches every entry.
    shuffle: Shuffle,
    inert: InertNodes,
    /// Nodes inert for every registration waiting, as the service's node
    /// sets show, or as a judgement there found them, not decided on
    /// since: a draw there is passed unjudged (empty while judging is off).
    quiet: NodeSet,
    /// How many nodes `quiet` holds.
    quiet_count: usize,
}

/// The raw draws of a round over `waiting` entries: an entry's place in
/// the shuffle (none for the last) and its node.
fn round_draws(waiting: usize) -> u64 {
    (2 * waiting as u64).saturating_sub(1)
}

/// The seed is `random(seed)`'s argument.
pub fn make(build: &Build) -> Box<dyn Placement> {
    let SchedulerSpec::Random { seed } = build.service.scheduler else {
        unreachable!("`random` is built for a random scheduler only (SchedulerSpec::name)");
    };
    Box::new(Random::new(seed, build.nodes))
}

impl Random {
    pub fn new(seed: u64, nodes: usize) -> Self {
        Random {
            rng: StreamRng::new(seed, "scheduler/random"),
            overlay: Overlay::new(nodes),
            shuffle: Shuffle::default(),
            inert: InertNodes::default(),
            quiet: NodeSet::new(nodes),
            quiet_count: 0,
        }
    }

    /// Fills `quiet` with the nodes the service's node sets show inert for
    /// every registration waiting (`InertNodes::by_sets`: by registration,
    /// or, for a crowd of many, by image on the nodes without a free
    /// slot): inert whatever the round claims, until it decides there.
    /// A round of fewer entries than
    /// words of nodes leaves it empty: its draws judge their nodes one by
    /// one (`quiet_at`) for less than reading every word, and it cannot
    /// draw every node, so it would not end early anyway.
    fn find_quiet(&mut self, view: &View, queue: Queue, nodes: usize) {
        self.quiet.clear();
        self.quiet_count = 0;
        if !self.inert.judging() || queue.tally().total() < nodes.div_ceil(64) {
            return;
        }
        for i in 0..nodes.div_ceil(64) {
            let bits = self.inert.by_sets(view, queue, i) & valid_bits(nodes, i);
            self.quiet.insert_word(i, bits);
            self.quiet_count += bits.count_ones() as usize;
        }
    }

    /// Whether `node`, drawn or decided on, is inert for the rest of the
    /// round (then it joins `quiet`).
    fn quiet_at(&mut self, view: &View, queue: Queue, node: NodeId) -> bool {
        if self.quiet.contains(node) {
            return true;
        }
        if !self.inert.at(view, &self.overlay, queue, node) {
            return false;
        }
        self.quiet.insert(node);
        self.quiet_count += 1;
        true
    }

    /// Whether every node keeps a free slot through `left` more entries,
    /// each claiming one there at most.
    fn slots_outlast(&self, view: &View, nodes: usize, left: usize) -> bool {
        (0..nodes).all(|n| self.overlay.free_slots(view.state, NodeId(n as u32)) as usize >= left)
    }

    /// The rest of a round where every node is inert and keeps a free slot
    /// to its end: an invocation there only claims a slot, which no later
    /// entry misses, so only the prewarm requests decide (each refused
    /// where it is drawn, or waiting for its image, `InertNodes::act_at`).
    /// Each place still draws its node; an invocation's entry is not read
    /// (the prewarm requests are known by a bit) and claims nothing.
    fn prewarms_only(&mut self, view: &View, queue: Queue, nodes: usize, out: &mut Decisions) {
        while let Some(placed) = self.shuffle.draw(&mut self.rng) {
            let node = NodeId(self.rng.scaled(nodes as u64) as u32);
            let Some(index) = placed.position(queue).filter(|&index| queue.is_prewarm(index)) else {
                continue;
            };
            if let Some(p) = queue.get(index) {
                self.inert
                    .act_at(view, &mut self.overlay, queue, (index as u32, p), node, out);
            }
        }
    }
}

/// The bits of word `i` that stand for one of `nodes` nodes.
fn valid_bits(nodes: usize, i: usize) -> u64 {
    if (i + 1) * 64 <= nodes {
        u64::MAX
    } else {
        (1 << (nodes % 64)) - 1
    }
}

impl Placement for Random {
    /// Its dispatches take idle containers only (`Overlay::act_at`).
    fn claims_prewarming(&self) -> bool {
        false
    }

    fn schedule(&mut self, view: &View, queue: Queue, out: &mut Decisions) {
        self.overlay.begin(view.state);
        let nodes = view.state.nodes.len();
        self.inert.begin(view, queue, nodes);
        self.find_quiet(view, queue, nodes);
        let waiting = queue.tally().total();
        let quiet = &self.quiet;
        // The other nodes, word by word.
        let loud = (0..nodes.div_ceil(64)).flat_map(|i| {
            let mut bits = !quiet.word(i) & valid_bits(nodes, i);
            std::iter::from_fn(move || {
                let b = bits.trailing_zeros();
                bits &= bits.wrapping_sub(1);
                (b < 64).then(|| NodeId(i as u32 * 64 + b))
            })
        });
        // A round may end once every node is inert and, while prewarm
        // requests wait, no slot is left: at an inert node with a free
        // slot a prewarm request is refused (it leaves the list), without
        // one it decides nothing, as an invocation there does.
        let prewarms = queue.tally().prewarms() > 0;
        let may_end = |overlay: &Overlay| !prewarms || overlay.total_free == 0;
        // Judging every node costs no more than the draws it skips.
        if self.inert.judging()
            && may_end(&self.overlay)
            && nodes <= waiting
            && self.inert.all(view, &self.overlay, queue, loud)
        {
            self.rng.skip(round_draws(waiting));
            return;
        }
        // A round that may end early draws its places sparse; one where
        // prewarm requests wait and slots outnumber the entries would
        // reach every entry before the slots run out.
        let sparse = self.inert.judging() && (!prewarms || self.overlay.total_free < waiting as u64);
        self.shuffle.begin(queue, sparse);
        let mut tail_tried = false;
        while let Some(placed) = self.shuffle.draw(&mut self.rng) {
            let node = NodeId(self.rng.scaled(nodes as u64) as u32);
            let inert = self.quiet_at(view, queue, node);
            // At an inert node only a prewarm request where a slot is
            // free decides something: the entry is read only then.
            let read = !inert || (prewarms && self.overlay.free_slots(view.state, node) > 0);
            let entry = read
                .then(|| {
                    let index = placed.position(queue);
                    index.and_then(|index| queue.get(index).map(|p| (index as u32, p)))
                })
                .flatten();
            match entry {
                Some(entry) => {
                    self.inert.act_at(view, &mut self.overlay, queue, entry, node, out);
                    if !self.inert.judging() {
                        self.quiet.clear();
                        self.quiet_count = 0;
                        continue;
                    }
                    if !inert {
                        self.quiet_at(view, queue, node);
                    }
                }
                // At an inert node an invocation claims a slot, as the
                // full round's would: once a dispatch ends judging
                // (`InertNodes::act_at`), the nodes are decided on the
                // long way, with the slots the round took.
                None => {
                    if self.overlay.free_slots(view.state, node) > 0 {
                        self.overlay.claim(view.state, node);
                    }
                }
            }
            if !self.inert.judging() || self.quiet_count < nodes {
                continue;
            }
            // Every node inert: the rest only claims slots, or decides
            // nothing at all.
            if may_end(&self.overlay) {
                self.rng.skip(round_draws(self.shuffle.left()));
                return;
            }
            // Or, while prewarm requests wait, only they decide.
            if !tail_tried {
                tail_tried = true;
                if self.slots_outlast(view, nodes, self.shuffle.left()) {
                    self.prewarms_only(view, queue, nodes, out);
                    return;
                }
            }
        }
    }
}

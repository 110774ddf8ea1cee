//! `random(seed)`: WRENCH's classic random scheduler. The waiting
//! invocations are shuffled and each is sent to a uniformly drawn node,
//! where the classic decision for that node is taken (a node without a free
//! slot only gets copies or loads). The generator persists across rounds.
//!
//! An entry drawn to an inert node (`inert.rs`) only claims a slot; a
//! round whose nodes are all inert only draws, as many times as the full
//! round would, so that the generator ends where it would: such a round
//! costs two draws per waiting entry, no dispatch attempt. An entry drawn
//! to an inert node costs its draws and its claim: the list is not read.
//! The claim counts once judging ends (a registration whose containers
//! take several invocations at once was dispatched): the later entries
//! are decided the long way, on the slots the round took.
//!
//! A draw costs its generator step and one bit test: the nodes the
//! service's node sets show inert for every registration waiting (an idle
//! container of its key or the image in RAM but no free slot; else the
//! image on its way to RAM, or to disk and not there) are known word by
//! word at the round's
//! start (`Random::quiet`), and only a node outside them, or one the round
//! decided on since, is judged (`InertNodes::at`); a node judged inert
//! joins them, as it stays inert for the round. A round decides only at
//! its own draws' nodes, and nothing but a decision at a node changes what
//! the sets say of it for the round.
//!
//! Those draws are the floor of a round's cost, whatever it decides: a
//! shuffle of every waiting entry and a node per entry, from a generator
//! that outlives the round. `below` rejects a raw draw by its value, so
//! how far a round moves the generator is known only by drawing (the
//! generator could jump ahead by a count, not by a count to be found),
//! and a round that is skipped or ended early would move every later
//! decision. Under overload the rounds are thus linear in the queue and
//! the run quadratic, at a few nanoseconds per waiting entry and round.

use crate::workload::StreamRng;

use crate::serverless::ids::NodeId;
use crate::serverless::nodeset::NodeSet;

use super::super::Build;
use super::inert::{InertNodes, inert_by_sets};
use super::{Decisions, Overlay, Placement, Queue, View};
use crate::ir::service::SchedulerSpec;

pub struct Random {
    rng: StreamRng,
    overlay: Overlay,
    order: Vec<usize>,
    inert: InertNodes,
    /// Nodes inert for every registration waiting, as the service's node
    /// sets show, or as a draw there judged them, not decided on this
    /// round: a draw there is passed unjudged (empty while judging is off).
    quiet: NodeSet,
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
            order: Vec::new(),
            inert: InertNodes::default(),
            quiet: NodeSet::new(nodes),
        }
    }

    /// Fills `quiet` with the nodes the service's node sets show inert for
    /// every registration waiting (`inert_by_sets`): inert whatever the
    /// round claims, until it decides there.
    fn find_quiet(&mut self, view: &View, queue: Queue, nodes: usize) {
        self.quiet.clear();
        if !self.inert.judging() {
            return;
        }
        for i in 0..nodes.div_ceil(64) {
            self.quiet.insert_word(i, inert_by_sets(view, queue, i));
        }
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
        let quiet = &self.quiet;
        // The other nodes, word by word.
        let loud = (0..nodes.div_ceil(64)).flat_map(|i| {
            let valid = if (i + 1) * 64 <= nodes {
                u64::MAX
            } else {
                (1 << (nodes % 64)) - 1
            };
            let mut bits = !quiet.word(i) & valid;
            std::iter::from_fn(move || {
                let b = bits.trailing_zeros();
                bits &= bits.wrapping_sub(1);
                (b < 64).then(|| NodeId(i as u32 * 64 + b))
            })
        });
        // Judging every node costs no more than the draws below.
        if nodes <= queue.tally().total() && self.inert.all(view, &self.overlay, queue, loud) {
            let waiting = queue.tally().total() as u64;
            for i in (1..waiting).rev() {
                self.rng.below(i + 1);
            }
            for _ in 0..waiting {
                self.rng.below(nodes as u64);
            }
            return;
        }
        self.order.clear();
        // Only waiting entries are shuffled, so the draws do not depend on
        // how many dispatched ones the list still holds.
        self.order.extend(queue.iter().map(|(i, _)| i));
        // Fisher-Yates, highest index first.
        for i in (1..self.order.len()).rev() {
            let j = self.rng.below(i as u64 + 1) as usize;
            self.order.swap(i, j);
        }
        for k in 0..self.order.len() {
            // Every listed entry waits: each draws its node.
            let node = NodeId(self.rng.below(nodes as u64) as u32);
            // Judged inert, it stays so for the round (only a decision
            // there changes that): later draws to it are one bit test. The
            // entry claims a slot there, as the full round's would: once a
            // dispatch ends judging (`InertNodes::act_at`), the nodes are
            // decided on the long way, with the slots the round took.
            if self.quiet.contains(node) || self.inert.at(view, &self.overlay, queue, node) {
                self.quiet.insert(node);
                if self.overlay.free_slots(view.state, node) > 0 {
                    self.overlay.claim(view.state, node);
                }
                continue;
            }
            let index = self.order[k];
            let Some(p) = queue.get(index) else { continue };
            self.inert
                .act_at(view, &mut self.overlay, queue, (index as u32, p), node, out);
            self.quiet.remove(node);
            if !self.inert.judging() {
                self.quiet.clear();
            }
        }
    }
}

//! The rest of a classic round when every entry left is alike (one
//! registration: same key, image, RAM and disk; or, as `fcfs` judges
//! them, one image with no container of theirs to take) and the first of
//! them could not run at once. None of them can then: the round after it
//! only claims slots, and decides loads and copies, which bring no idle
//! container, prewarming one or image in RAM to a free node. Each entry
//! would wait for a transfer under way (a slot claimed on the node it
//! goes to) or decide one; so the round claims the nodes of waiting
//! entries by whole runs, word by word, and a node with slots to spare
//! all at once, and visits neither those entries nor their nodes one by
//! one. Requests waiting on image pulls cost a round nothing each,
//! whatever their number; decisions are the same as entry by entry
//! (`RunOptions::rounds_only` turns this off to check so).
//!
//! The policies that hand each entry a node of their own choice and take
//! the classic decision there (`least_loaded`, `round_robin`, `openwhisk`)
//! meet the same crowds: entries alike, each given the next node in the
//! policy's order, where it only waits for the image. Where those nodes
//! have one free slot and nothing decided on them this round, the
//! decision there is read from the service's node sets, a word of 64
//! nodes at a time (`waiting_words.rs`, kept from round to round); the
//! policy claims them as a whole, in its own order, up to the first node
//! where it would decide anything else. A node with slots to spare on
//! the way is claimed alone, for as many entries as the policy would
//! hand it in a row ([`Room`]), and the run goes on past it.

use crate::serverless::ids::NodeId;
use crate::serverless::nodeset::{Allowed, Bits, NodeSet, members};
use crate::serverless::state::ServiceState;

use super::super::prefix::Prefix;
use super::super::{Decisions, Pending, View};
use super::waiting_words::{Waiting, WaitingAnyRoom};
use super::{KeptPrefix, Overlay, earliest};

/// How many entries a node with slots to spare takes in
/// [`Overlay::claim_waiting_run`]: what the policy hands the next entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Room {
    /// One: the node leaves the policy's order once it has an entry
    /// (`least_loaded`'s empty nodes).
    OneEntry,
    /// One a slot: the next entry finds it first again while it has one
    /// (`greedy`'s waits).
    EachSlot,
}

/// How far [`Overlay::claim_waiting_along`] went along a policy's order.
#[derive(Debug, Clone, Copy)]
pub struct Along {
    /// How many entries it decided.
    pub taken: usize,
    /// The rank where it stopped (no node before it free), or None at the
    /// end of the order.
    pub stop: Option<u32>,
    /// The last rank it visited, if any.
    pub last: Option<u32>,
}

impl Overlay {
    /// Decides for `count` more entries alike `p`, which come after it in
    /// the round, once `p`'s classic choice did not run it at once: what
    /// [`classic_choice`](Self::classic_choice) and
    /// [`classic_act`](Self::classic_act) would decide for each in turn.
    pub fn decide_alike(&mut self, view: &View, p: &Pending, count: usize, out: &mut Decisions) {
        let state = view.state;
        let sets = &state.images[p.image.0 as usize];
        let mut left = count;
        while left > 0 {
            // The round's own stop, before every entry.
            if self.total_free == 0 && state.unclaimed_prewarms == 0 {
                out.exhausted = true;
                return;
            }
            let decided = self.first_decided(&self.loading_images, p.image, |n| self.ram_or_loading(view, n, p.image));
            if self.claim_run(state, &sets.ram_or_loading, decided, &mut left) {
                continue;
            }
            if let Some(node) = sets.on_disk.first_common(&self.free) {
                self.load(view, node, p.image, out);
                self.claim(state, node);
                left -= 1;
                continue;
            }
            let decided = self.first_decided(&self.copying_images, p.image, |n| {
                self.disk_or_copying(view, n, p.image)
            });
            if self.claim_run(state, &sets.disk_or_copying, decided, &mut left) {
                continue;
            }
            let Some(node) = self.free.first() else {
                // Nothing free: every entry left finds no node.
                return;
            };
            self.copy(view, node, p.image, out);
            self.claim(state, node);
            left -= 1;
        }
    }

    /// For up to `most` entries alike `p` that a policy hands, one after
    /// the other, to the lowest node of `among` (nodes with a free slot,
    /// none of them claimed or decided on this round), where each takes
    /// the classic decision ([`act_at`](Self::act_at)): claims, lowest
    /// first, the nodes of `among` where that decision only waits for the
    /// image (loading, or copying there), and takes them out of `among`:
    /// a one-slot node for one entry, a node with slots to spare for as
    /// many as `room` says. Stops short of the first node where it would
    /// do anything else (an idle container, the image in RAM, a load or a
    /// copy to decide); returns how many entries it decided.
    pub fn claim_waiting_run(
        &mut self,
        view: &View,
        p: &Pending,
        among: &mut NodeSet,
        most: usize,
        room: Room,
    ) -> usize {
        // Out of the overlay while the run claims: read once, not per node.
        let mut words = std::mem::take(&mut self.waiting);
        let taken = self.claim_run_of(view, &words.of(view.state, p.image, p.key), among, most, room);
        self.waiting = words;
        taken
    }

    /// [`claim_waiting_run`](Self::claim_waiting_run) where `waits` tells
    /// where the entries only wait.
    fn claim_run_of(&mut self, view: &View, waits: &Waiting, among: &mut NodeSet, most: usize, room: Room) -> usize {
        if room == Room::OneEntry {
            return self.claim_run_one_each(view.state, waits, among, most);
        }
        let mut taken = 0;
        loop {
            // One-slot nodes a word at a time, up to one with slots to spare.
            let free = &mut self.free;
            let (run, _) = among.take_lowest_run(0, most - taken, waits, |i, words| free.remove_stretch(i, words));
            taken += run;
            self.claimed_in_run(run);
            let roomy = (among.first()).filter(|&node| taken < most && waits.waits_with_room(node));
            let Some(node) = roomy else {
                return taken;
            };
            taken += self.claim_room(view, node, room, most - taken);
            among.remove(node);
        }
    }

    /// [`claim_run_of`](Self::claim_run_of) where a node with slots to
    /// spare takes one entry, as a one-slot node does: both are taken in
    /// the same runs, word by word, the one-slot nodes out of `free`, the
    /// others kept in it with a slot claimed (listed in `touched`).
    fn claim_run_one_each(&mut self, state: &ServiceState, waits: &Waiting, among: &mut NodeSet, most: usize) -> usize {
        let Overlay {
            free, claimed, touched, ..
        } = self;
        let roomy = &state.roomy_nodes;
        let mut listed = 0;
        let (taken, _) = among.take_lowest_run(0, most, &WaitingAnyRoom(waits), |i, words| {
            for (k, &bits) in words.iter().enumerate() {
                let spare = bits & roomy.word(i + k);
                free.remove_word(i + k, bits & !spare);
                for b in Bits(spare) {
                    let node = NodeId(((i + k) * 64) as u32 + b);
                    if claimed[node.index()] == 0 {
                        touched.push(node);
                    }
                    claimed[node.index()] += 1;
                    listed += 1;
                }
            }
        });
        self.total_free = self.total_free.saturating_sub(taken as u64);
        self.unlisted += taken - listed;
        taken
    }

    /// Claims slots of `node`, which has slots to spare and where entries
    /// only wait, for as many of `left` entries as `room` hands it;
    /// returns how many.
    fn claim_room(&mut self, view: &View, node: NodeId, room: Room, left: usize) -> usize {
        let count = match room {
            Room::OneEntry => 1,
            Room::EachSlot => (self.free_slots(view.state, node) as usize).min(left),
        };
        self.claim_slots(view.state, node, count as u32);
        count
    }

    /// For up to `most` entries alike `p` that a policy hands, one after
    /// the other, each to a node of its choosing: `next` gives the free
    /// node the next entry goes to, given the round so far and how many
    /// the run took (None: the policy decides no more in a run). Claims a
    /// slot of each such node while the classic decision there only waits
    /// for the image (`consistent_hash`'s crowds at the bound, each entry
    /// to the next node under it); stops at the first node where it would
    /// decide anything else, unclaimed. Returns how many entries it
    /// decided; each claim is listed (`claimed_nodes`).
    pub fn claim_waiting_each(
        &mut self,
        view: &View,
        p: &Pending,
        most: usize,
        mut next: impl FnMut(&Overlay, usize) -> Option<NodeId>,
    ) -> usize {
        // Out of the overlay while the run claims: read once, not per node.
        let mut words = std::mem::take(&mut self.waiting);
        let waits = words.of(view.state, p.image, p.key);
        let mut taken = 0;
        while taken < most {
            let Some(node) = next(self, taken).filter(|&node| waits.waits_at(node)) else {
                break;
            };
            self.claim(view.state, node);
            taken += 1;
        }
        self.waiting = words;
        taken
    }

    /// For up to `most` entries alike `p` that a policy hands, one after
    /// the other, to the first node with a free slot from a cursor on
    /// (cyclically, `round_robin`), the cursor at `from`: claims, in that
    /// order, the nodes where the classic decision only waits for the
    /// image, as [`claim_waiting_run`](Self::claim_waiting_run) does.
    /// Returns how many entries it decided and the last node it claimed.
    pub fn claim_waiting_turns(
        &mut self,
        view: &View,
        p: &Pending,
        from: NodeId,
        most: usize,
    ) -> (usize, Option<NodeId>) {
        let waits = self.waiting.of(view.state, p.image, p.key);
        let mut last = None;
        let mut taken = 0;
        // From the cursor to the last node, then from the first.
        for start in [from.index(), 0] {
            let (count, stopped) = self.free.take_lowest_run(start, most - taken, &waits, |i, words| {
                if let Some(k) = words.iter().rposition(|bits| *bits != 0) {
                    last = Some(NodeId((i + k) as u32 * 64 + 63 - words[k].leading_zeros()));
                }
            });
            taken += count;
            if stopped || taken == most {
                break;
            }
        }
        self.claimed_in_run(taken);
        (taken, last)
    }

    /// For up to `count` entries alike `p` that a policy hands, one after
    /// the other, to the next node with a free slot along its own order
    /// (`openwhisk`'s probes, `consistent_hash`'s walk), from rank `first`
    /// on, no node before it free: claims, in that order, the nodes where
    /// the classic decision only waits for the image, up to the first
    /// where it would do anything else. The nodes of `walked` (the first
    /// ranks of the order, where the last run stopped) are claimed
    /// together if they all only wait
    /// (`claim_waiting_among`); then the
    /// order goes on node by node, `ranked_from(rank)` giving its nodes
    /// with their ranks from `rank` on. A node with slots to spare where
    /// the entry only waits takes the next entries too, one a slot (each
    /// finds it first again while it has one): a crowd waiting on loads
    /// at nodes of many slots costs a round its nodes, not its entries.
    pub fn claim_waiting_along<I: Iterator<Item = (u32, NodeId)>>(
        &mut self,
        view: &View,
        p: &Pending,
        (walked, kept): (&Prefix, &mut KeptPrefix),
        first: u32,
        ranked_from: impl Fn(u32) -> I,
        count: usize,
    ) -> Along {
        let (mut taken, mut from) = (0, first);
        // Then `last` is only read if entries are left, and those runs
        // stop where node by node does.
        if walked.len() > first
            && let Some(claimed) = self.claim_waiting_among(view, p, (walked, kept), count)
        {
            taken = claimed;
            from = walked.len();
        }
        let (mut stop, mut last) = (None, None);
        // One-slot nodes claimed, and those among `walked`'s ranks.
        let mut counts = (0, 0);
        // Out of the overlay while the run claims: read once, not per node.
        let mut words = std::mem::take(&mut self.waiting);
        let waits = words.of(view.state, p.image, p.key);
        // Node by node until one with slots to spare, whose claims are
        // counted (`claim_slots`); then on past it.
        while let Some(roomy) = self.claim_one_slot_nodes(
            &waits,
            walked,
            &ranked_from,
            from,
            count - taken - counts.0,
            &mut counts,
            (&mut stop, &mut last),
        ) {
            taken += self.claim_room(view, roomy.1, Room::EachSlot, count - taken - counts.0);
            if self.free.contains(roomy.1) {
                // Free still: the next entry, if any, comes to it again.
                stop = Some(roomy.0);
                break;
            }
            from = roomy.0 + 1;
        }
        self.waiting = words;
        let (one_by_one, in_walked) = counts;
        self.claimed_in_run(one_by_one);
        kept.took_in_walk(self.round, in_walked);
        taken += one_by_one;
        Along { taken, stop, last }
    }

    /// [`claim_waiting_along`](Self::claim_waiting_along)'s walk from rank
    /// `from` for up to `most` entries: each free node's one slot claimed
    /// where the classic decision only waits (the node is full for the
    /// round), counted in `counts` (claims, and those of `walked`'s ranks,
    /// counted as the kept prefix's own for a claim of it later in the
    /// round), setting where it stopped and the last rank visited. Returns
    /// the rank and node of a free node with slots to spare where the
    /// entry only waits, for the caller to claim; None where the walk
    /// stops. `waits` tells where the entries only wait (read once:
    /// nothing of the service changes along the walk).
    #[allow(clippy::too_many_arguments)]
    fn claim_one_slot_nodes<I: Iterator<Item = (u32, NodeId)>>(
        &mut self,
        waits: &Waiting,
        walked: &Prefix,
        ranked_from: &impl Fn(u32) -> I,
        from: u32,
        most: usize,
        (one_by_one, in_walked): &mut (usize, usize),
        (stop, last): (&mut Option<u32>, &mut Option<u32>),
    ) -> Option<(u32, NodeId)> {
        let free = &mut self.free;
        let base = *one_by_one;
        for (rank, node) in ranked_from(from) {
            *last = Some(rank);
            if *one_by_one - base == most || free.is_empty() {
                *stop = Some(rank);
                return None;
            }
            if free.contains(node) {
                if waits.word(node.index() / 64) & (1 << (node.0 % 64)) == 0 {
                    if waits.waits_with_room(node) {
                        return Some((rank, node));
                    }
                    *stop = Some(rank);
                    return None;
                }
                free.remove(node);
                *one_by_one += 1;
                *in_walked += usize::from(rank < walked.len());
            }
        }
        None
    }

    /// For up to `most` entries alike `p` that a policy hands, one after
    /// the other, to the next node with a free slot in its own order
    /// (`openwhisk`'s probes, `consistent_hash`'s walk), when the nodes of
    /// `among` are the first of that order and none before the entries'
    /// own start has a free slot: if every node of `among` with a free
    /// slot only waits for the image and there are at most `most` of them,
    /// claims them all, as [`claim_waiting_along`](Self::claim_waiting_along)
    /// would one by one, and returns how many; else claims nothing (None),
    /// and the policy goes node by node.
    fn claim_waiting_among(
        &mut self,
        view: &View,
        p: &Pending,
        (among, kept): (&Prefix, &mut KeptPrefix),
        most: usize,
    ) -> Option<usize> {
        let state = view.state;
        // What is kept tells which nodes only wait while no idle container
        // or spare slot has a say; the round's free nodes are the
        // service's but those it took, so they are read against it.
        let live = !state.roomy_nodes.is_empty()
            || (state.idle_nodes.get(p.key)).is_some_and(|set| set.iter().next().is_some());
        let count = if live {
            let count = self.count_waiting_among(view, p, among, most)?;
            // Its nodes without a free slot are out of `free` already.
            among.words().for_each(|(i, bits)| self.free.remove_word(i, bits));
            count
        } else {
            let sets = &state.images[p.image.0 as usize];
            self.service_free.follow(&state.free_slot_nodes);
            kept.refresh(among, &self.service_free, p.image, sets);
            if !kept.all_wait(sets, &self.free) {
                return None;
            }
            let count = self.kept_free(kept);
            if count > most {
                return None;
            }
            self.take_kept(kept);
            count
        };
        self.claimed_in_run(count);
        Some(count)
    }

    /// How many of the nodes `kept` holds the round has free: all but
    /// those it claimed one at a time (`touched`, a few) and those a walk
    /// along the kept prefix took, unless the round took other nodes in
    /// runs; then read word by word.
    fn kept_free(&self, kept: &KeptPrefix) -> usize {
        if !self.took_listed_or_kept(kept) {
            return kept.count_in(&self.free);
        }
        let taken = (self.touched.iter()).filter(|node| kept.holds(**node) && !self.free.contains(**node));
        kept.count() - taken.count() - kept.taken_in_walk(self.round)
    }

    /// Takes the nodes `kept` holds out of `free`: in a plain pass when
    /// the round took only listed nodes and kept ones, else word by word.
    fn take_kept(&mut self, kept: &KeptPrefix) {
        if self.took_listed_or_kept(kept) {
            kept.take_from_listed(&mut self.free, &self.touched);
        } else {
            kept.take_from(&mut self.free);
        }
    }

    /// Whether every node the round took out of `free` is listed in
    /// `touched` or was taken by a walk along `kept`'s prefix.
    fn took_listed_or_kept(&self, kept: &KeptPrefix) -> bool {
        self.unlisted == kept.taken_in_walk(self.round)
    }

    /// [`claim_waiting_among`](Self::claim_waiting_among)'s check, word by
    /// word over the prefix: how many of its nodes the round has free, if
    /// they all only wait and are at most `most`.
    fn count_waiting_among(&mut self, view: &View, p: &Pending, among: &Prefix, most: usize) -> Option<usize> {
        let waits = self.waiting.of(view.state, p.image, p.key);
        let mut count = 0;
        for (i, bits) in among.words() {
            let free = bits & self.free.word(i);
            if free == 0 {
                continue;
            }
            count += members(free);
            if free & !waits.word(i) != 0 || count > most {
                return None;
            }
        }
        Some(count)
    }

    /// Counts `taken` slots claimed in a run, their nodes out of `free`
    /// and not listed in `touched`.
    fn claimed_in_run(&mut self, taken: usize) {
        self.total_free = self.total_free.saturating_sub(taken as u64);
        self.unlisted += taken;
    }

    /// A waiting pass (image loading, or copying) for entries in a row:
    /// each claims a slot at the first free node of `set`, or the node
    /// `decided` earlier in the round if it comes first. Claims such slots
    /// for up to `left` entries, at least one, and the round has slots:
    /// on `decided` or a node with slots to spare, as many as it has free
    /// (each entry after the first finds it first again, until it is
    /// full); else on the one-slot nodes in a row until either comes up.
    /// False when the pass finds no node.
    fn claim_run(&mut self, state: &ServiceState, set: &NodeSet, decided: Option<NodeId>, left: &mut usize) -> bool {
        let first = set.first_common(&self.free);
        let Some(node) = earliest(first, decided) else {
            return false;
        };
        // Before the round runs out of slots, unless prewarming
        // containers keep it going (a claim then takes none).
        let most = if state.unclaimed_prewarms == 0 {
            (*left).min(self.total_free as usize)
        } else {
            *left
        };
        if Some(node) == decided || state.roomy_nodes.contains(node) {
            let count = (self.free_slots(state, node) as usize).min(most.max(1));
            self.claim_slots(state, node, count as u32);
            *left -= count;
            return true;
        }
        let (taken, _) = self.free.take_lowest_common(set, decided, &state.roomy_nodes, most);
        self.claimed_in_run(taken);
        *left -= taken;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::super::waiting_words::tests::{NODES, draws, image_sets};
    use super::*;
    use crate::ir::function::ImageId;
    use crate::serverless::nodeset::watched::WatchedNodeSet;

    /// A kept prefix's count of the round's free nodes, and its claim,
    /// against the sets read word by word, whatever the round took before:
    /// nodes claimed one at a time (listed in `touched`), nodes a walk
    /// along the prefix took, and nodes a run took (neither listed nor the
    /// prefix's own: the count must then be read word by word).
    #[test]
    fn a_kept_claim_counts_and_takes_what_the_round_left_free() {
        let sets = image_sets();
        let mut service = NodeSet::new(NODES);
        (0..6_400).for_each(|n| service.insert(NodeId(n)));
        // The prefix strides over the crowd; some of its nodes not free.
        let mut prefix = Prefix::default();
        (0..3_000u32).for_each(|k| prefix.push(NodeId(k * 37 % 6_400)));
        (0..300u32).for_each(|k| service.remove(NodeId(k * 37 * 11 % 6_400)));
        let (mut followed, mut kept) = (WatchedNodeSet::default(), KeptPrefix::default());
        followed.follow(&service);
        kept.refresh(&prefix, &followed, ImageId(0), &sets);
        let mut overlay = Overlay::new(NODES);
        let mut draw = draws(0x2545_f491_4f6c_dd1d);
        let mut by_case = [0; 4];
        for round in 0..200 {
            overlay.free.copy_from(&service);
            for n in overlay.touched.drain(..) {
                overlay.claimed[n.index()] = 0;
            }
            (overlay.unlisted, overlay.round) = (0, round + 1);
            // What the round took before the claim: each case alone, or all.
            let case = round % 4;
            let pick = |draw: &mut dyn FnMut(u64) -> u64| NodeId(draw(6_400) as u32);
            if case == 1 || case == 3 {
                for _ in 0..draw(20) {
                    let node = pick(&mut draw);
                    if overlay.free.contains(node) {
                        overlay.free.remove(node);
                        overlay.touched.push(node);
                        overlay.claimed[node.index()] = 1;
                    }
                }
            }
            if case == 2 || case == 3 {
                // A walk along the prefix, some ranks from its start.
                let (first, len) = (draw(2_000) as usize, draw(300) as usize);
                let (mut taken, mut in_walked) = (0, 0);
                for k in first..first + len {
                    let node = NodeId(k as u32 * 37 % 6_400);
                    if overlay.free.contains(node) {
                        overlay.free.remove(node);
                        taken += 1;
                        in_walked += usize::from((k as u32) < prefix.len());
                    }
                }
                overlay.claimed_in_run(taken);
                kept.took_in_walk(overlay.round, in_walked);
            }
            if case == 0 || case == 3 {
                // A run over words: every node out of the prefix, and one
                // of it (the words then hold only kept nodes, which the
                // service's words did not).
                let first = draw(90) as usize;
                let mut taken = 0;
                for i in first..first + 1 + draw(8) as usize {
                    let (free, kept) = (overlay.free.word(i), prefix.nodes().word(i));
                    let bits = (free & !kept) | (free & kept & (free & kept).wrapping_neg());
                    taken += members(bits);
                    overlay.free.remove_word(i, bits);
                }
                overlay.claimed_in_run(taken);
            }
            by_case[case as usize] += usize::from(overlay.took_listed_or_kept(&kept));
            assert_eq!(overlay.kept_free(&kept), kept.count_in(&overlay.free), "round {round}");
            let mut by_word = overlay.free.clone();
            prefix.words().for_each(|(i, bits)| by_word.remove_word(i, bits));
            overlay.take_kept(&kept);
            assert_eq!(overlay.free, by_word, "round {round}");
        }
        // Runs took nodes neither listed nor the prefix's own in every round
        // they ran in; walks along the prefix took only its own.
        assert_eq!(by_case, [0, 50, 50, 0]);
    }
}

//! Ending a classic round early. A round over a long queue on a platform
//! out of RAM (or disk) would hand the service, for every entry, a cold
//! start on a full node, which the service drops at no effect. Once the
//! entry at hand is such a dispatch, and so is every entry after it
//! whatever the round claims meanwhile, the rest of the round would decide
//! nothing the service applies, and the round ends: its cost is what it
//! can decide, not the queue's length. When the queue outgrows the free
//! slots of the nodes with the image in RAM, the entries that fill them
//! are such dispatches, but the ones after them decide transfers to other
//! nodes: the round claims those slots at once and goes on after the
//! entries that would have claimed them. A prewarm request in a doomed
//! tail is a dispatch the service refuses (it evicts nothing for a
//! container started ahead), which takes it out of the list and puts it
//! back at the end: the round names the stretches it passed so
//! (`Decisions::refuse_prewarms`: up to its last free slot, where a full
//! round stops), and the service takes out the prewarm requests in them
//! as it would have. Every run is the same as with every entry decided
//! (`RunOptions::rounds_only` turns this off to check so; `tests/runs.rs`
//! has a case for each, `tests/rounds.rs` the prewarm requests').

use crate::serverless::ids::NodeId;

use super::{Decisions, Overlay, Pending, Queue, View};

/// What the rest of a round holds, from the entry at hand on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tail {
    /// Entries the round must decide.
    Decides,
    /// Only dispatches the service drops at no effect, or refuses if a
    /// prewarm request's: the round ends.
    Doomed,
    /// As many such dispatches as this, onto every free slot of the nodes
    /// with the entry's image in RAM; entries to decide after them.
    DoomedFor(usize),
}

/// What the entries of a run found alike share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlikeBy {
    /// One registration ([`DoomedTail::rest_alike`]).
    Registration,
    /// One image, of several registrations ([`DoomedTail::rest_alike_image`]).
    Image,
}

/// What a round has passed so far, per registration and per image.
#[derive(Debug, Default)]
pub struct DoomedTail {
    /// Per registration: the round that last passed one of its entries,
    /// and how many it passed.
    passed: Vec<(u32, u32)>,
    /// The same per image.
    passed_images: Vec<(u32, u32)>,
    /// The round passed a run of entries of several registrations as one
    /// ([`DoomedTail::pass_image_run`]): `passed` undercounts them, and
    /// what reads it answers as if nothing after the entry at hand were
    /// known.
    regs_unknown: bool,
    /// The round passed entries uncounted by registration or image
    /// ([`DoomedTail::pass_unknown`]): `passed` and `passed_images` both
    /// undercount them.
    unknown: bool,
    round: u32,
    /// Entries passed this round.
    scanned: usize,
    /// Entries to pass before another check: a check that fails costs
    /// about as much as passing that many entries.
    next_check: usize,
}

impl DoomedTail {
    /// Starts a round.
    pub fn begin(&mut self) {
        self.round = self.round.wrapping_add(1);
        if self.round == 0 {
            self.passed.iter_mut().for_each(|e| *e = (0, 0));
            self.passed_images.iter_mut().for_each(|e| *e = (0, 0));
            self.round = 1;
        }
        self.regs_unknown = false;
        self.unknown = false;
        self.scanned = 0;
        self.next_check = 0;
    }

    /// The round is done with `p`.
    pub fn pass(&mut self, p: &Pending) {
        self.pass_many(p, 1);
    }

    /// The round is done with `count` entries of the registration of `p`.
    pub fn pass_many(&mut self, p: &Pending, count: usize) {
        add_passed(&mut self.passed, p.reg.index(), self.round, count);
        add_passed(&mut self.passed_images, p.image.0 as usize, self.round, count);
        self.scanned += count;
    }

    /// The round is done with `count` entries alike `p`, from `p` on: a
    /// run [`rest_alike`](Self::rest_alike) or
    /// [`rest_alike_image`](Self::rest_alike_image) found.
    pub fn pass_run(&mut self, p: &Pending, count: usize, by: AlikeBy) {
        match by {
            AlikeBy::Registration => self.pass_many(p, count),
            AlikeBy::Image => {
                add_passed(&mut self.passed_images, p.image.0 as usize, self.round, count);
                self.regs_unknown = true;
                self.scanned += count;
            }
        }
    }

    /// The round is done with `count` entries it did not look at (prewarm
    /// requests it stepped over, which no node could take): what reads
    /// the counts per registration or image answers as if nothing after
    /// the entry at hand were known.
    pub fn pass_unknown(&mut self, count: usize) {
        self.unknown = true;
        self.scanned += count;
    }

    fn passed_of(&self, p: &Pending) -> u32 {
        passed_in(&self.passed, p.reg.index(), self.round)
    }

    /// Waiting entries the round has not passed yet.
    pub fn left(&self, queue: Queue) -> usize {
        queue.tally().total() - self.scanned
    }

    /// Entries of the registration of `p` the round has not passed yet.
    pub fn left_of(&self, queue: Queue, p: &Pending) -> usize {
        queue.tally().count(p.reg) - self.passed_of(p) as usize
    }

    /// Entries passed this round.
    pub fn scanned(&self) -> usize {
        self.scanned
    }

    /// An entry of each registration with entries the round has not
    /// passed yet.
    pub fn unpassed<'q>(&'q self, queue: Queue<'q>) -> impl Iterator<Item = &'q Pending> + 'q {
        let present = queue.tally().present();
        present
            .iter()
            .filter(|(sample, waiting)| self.passed_of(sample) < *waiting)
            .map(|(sample, _)| sample)
    }

    /// How many entries come after `p` in the round, when they are all of
    /// its registration; None when another one waits among them.
    pub fn rest_alike(&self, queue: Queue, p: &Pending) -> Option<usize> {
        let tally = queue.tally();
        let after = tally.total() - self.scanned - 1;
        let alike = tally.count(p.reg) - self.passed_of(p) as usize - 1;
        (!self.regs_unknown && !self.unknown && after == alike).then_some(after)
    }

    /// How many entries come after `p` in the round, when they are all
    /// alike it, though of other registrations: they need its image, no
    /// prewarming container waits to be claimed (`p` found none of its own
    /// key, not theirs), no prewarm request waits, and each key's
    /// containers run one image. An idle container of theirs is then
    /// where the image is in RAM (its layers pinned), so if `p` could not
    /// run at once, which its caller checks, none of them can: it found
    /// no such node free, and the round's claims only take free nodes
    /// away. None when another image is needed among them, or one of the
    /// conditions fails.
    pub fn rest_alike_image(&self, view: &View, queue: Queue, p: &Pending) -> Option<usize> {
        let (state, tally) = (view.state, queue.tally());
        if !state.keys_of_one_image || state.unclaimed_prewarms > 0 || tally.prewarms() > 0 || self.unknown {
            return None;
        }
        let after = tally.total() - self.scanned - 1;
        let passed = passed_in(&self.passed_images, p.image.0 as usize, self.round) as usize;
        let alike = tally.count_image(p.image) - passed - 1;
        (after == alike).then_some(after)
    }

    /// What the rest of the round holds once `p`, whose classic choice is
    /// a new container at `node` (image in RAM), is at hand.
    /// [`Tail::DoomedFor`] only when every entry left is of the
    /// registration of `p`. Once the round `dispatched` something, an
    /// entry of a registration whose containers take several invocations
    /// at once is never taken for a dropped dispatch: the service, as it
    /// applies the round, joins it to a container the round started, if
    /// one has room, where a round ended early leaves it to wait, and
    /// gives that room to entries after it.
    pub fn ahead(
        &mut self,
        view: &View,
        overlay: &Overlay,
        queue: Queue,
        p: &Pending,
        node: NodeId,
        dispatched: bool,
    ) -> Tail {
        let tally = queue.tally();
        if !view.skip_doomed
            || self.regs_unknown
            || self.unknown
            || self.scanned < self.next_check
            || !overlay.cold_start_fails_inertly(view, node, p)
        {
            return Tail::Decides;
        }
        let remaining = tally.total() - self.scanned;
        let budget = remaining.max(64);
        let mut cost = 0;
        let mut unpassed = 0;
        let mut claimable = None;
        for (sample, waiting) in tally.present() {
            cost += 1;
            if self.passed_of(sample) >= *waiting {
                continue;
            }
            unpassed += 1;
            let joinable = dispatched && view.registry.get(sample.reg).concurrency > 1;
            let outlook = if cost > budget || joinable {
                Outlook::Decides
            } else {
                outlook(view, overlay, sample, remaining, &mut cost)
            };
            match outlook {
                Outlook::Doomed => {}
                Outlook::DoomedFor(slots) => claimable = Some(slots),
                _ => {
                    self.next_check = self.scanned + cost;
                    return Tail::Decides;
                }
            }
        }
        match claimable {
            None => Tail::Doomed,
            Some(slots) if unpassed == 1 => Tail::DoomedFor(slots),
            Some(_) => {
                self.next_check = self.scanned + cost;
                Tail::Decides
            }
        }
    }
}

/// Adds `count` entries of `what` (a registration or an image) passed in
/// `round` to `passed`.
fn add_passed(passed: &mut Vec<(u32, u32)>, what: usize, round: u32, count: usize) {
    if what >= passed.len() {
        passed.resize(what + 1, (0, 0));
    }
    let entry = &mut passed[what];
    let count = count as u32;
    *entry = if entry.0 == round {
        (round, entry.1 + count)
    } else {
        (round, count)
    };
}

/// How many entries of `what` `passed` counts in `round`.
fn passed_in(passed: &[(u32, u32)], what: usize, round: u32) -> u32 {
    match passed.get(what) {
        Some(&(r, count)) if r == round => count,
        _ => 0,
    }
}

/// What the entries of a registration left in a round come to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outlook {
    /// Decisions the service may apply.
    Decides,
    /// Only dispatches dropped at no effect.
    Doomed,
    /// As many such dispatches (fewer than the entries left), then others.
    DoomedFor(usize),
}

/// What the `remaining` entries left in the round, of the registration of
/// `p` among them, come to. Each goes to a new container on a node where
/// it fails at no effect while there is no idle or prewarming container
/// of its key to take and, on every node with a free slot and its image in
/// RAM (where the classic choice goes), a refused cold start. So does
/// each of its prewarm requests, which would take no such container, and
/// whose container, which evicts nothing, is refused where an
/// invocation's would be; `p` may be either (judged as an invocation).
/// It is so to the end of the round if there are more free slots there
/// than entries left to claim them, or the image is in RAM on every node
/// with a free slot (once they are all claimed, the round ends for lack
/// of slots); else for as many entries as those free slots.
fn outlook(view: &View, overlay: &Overlay, p: &Pending, remaining: usize, cost: &mut usize) -> Outlook {
    let state = view.state;
    if overlay.has_container_for(state, p) {
        return Outlook::Decides;
    }
    let in_ram = &state.images[p.image.0 as usize].in_ram;
    let mut slots = 0u64;
    let mut everywhere = true;
    for node in overlay.free.iter() {
        *cost += 1;
        if !in_ram.contains(node) {
            everywhere = false;
            continue;
        }
        if !overlay.cold_start_fails_inertly(view, node, p) {
            return Outlook::Decides;
        }
        slots += u64::from(overlay.free_slots(state, node));
    }
    if everywhere || slots > remaining as u64 {
        Outlook::Doomed
    } else {
        Outlook::DoomedFor(slots as usize)
    }
}

/// A round passes `count` waiting entries from `index` on without
/// deciding them, each a new container the service would drop at no
/// effect, or refuse if a prewarm request's: those it refuses it takes out
/// of the list, as it would have (`Decisions::refuse_prewarms`).
pub fn refuse(queue: Queue, index: usize, count: usize, out: &mut Decisions) {
    if queue.tally().prewarms() > 0 && count > 0 {
        let end = queue.after_waiting(index, count);
        out.refuse_prewarms.push((index as u32, end as u32));
    }
}

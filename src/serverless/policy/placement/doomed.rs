//! Ending a classic round early. A round over a long queue on a platform
//! out of RAM (or disk) would hand the service, for every entry, a cold
//! start on a full node, which the service drops at no effect. Once the
//! entry at hand is such a dispatch, and so is every entry after it
//! whatever the round claims meanwhile, the rest of the round would decide
//! nothing the service applies, and the round ends: its cost is what it
//! can decide, not the queue's length. Every run is the same as with
//! every entry decided (`RunOptions::rounds_only` turns this off to check
//! so).

use crate::serverless::ids::NodeId;

use super::{Overlay, Pending, Queue, View};

/// What a round has passed so far, per registration.
#[derive(Debug, Default)]
pub struct DoomedTail {
    /// Per registration: the round that last passed one of its entries,
    /// and how many it passed.
    passed: Vec<(u32, u32)>,
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
            self.round = 1;
        }
        self.scanned = 0;
        self.next_check = 0;
    }

    /// The round is done with `p`.
    pub fn pass(&mut self, p: &Pending) {
        let reg = p.reg.index();
        if reg >= self.passed.len() {
            self.passed.resize(reg + 1, (0, 0));
        }
        let entry = &mut self.passed[reg];
        *entry = if entry.0 == self.round {
            (self.round, entry.1 + 1)
        } else {
            (self.round, 1)
        };
        self.scanned += 1;
    }

    fn passed_of(&self, p: &Pending) -> u32 {
        match self.passed.get(p.reg.index()) {
            Some(&(round, count)) if round == self.round => count,
            _ => 0,
        }
    }

    /// How many entries come after `p` in the round, when they are all of
    /// its registration; None when another one waits among them.
    pub fn rest_alike(&self, queue: Queue, p: &Pending) -> Option<usize> {
        let tally = queue.tally();
        let after = tally.total() - self.scanned - 1;
        let alike = tally.count(p.reg) - self.passed_of(p) as usize - 1;
        (after == alike).then_some(after)
    }

    /// Whether `p`, whose classic choice is a new container at `node`
    /// (image in RAM), and every entry after it would be dispatches the
    /// service drops at no effect.
    pub fn rest_is_doomed(&mut self, view: &View, overlay: &Overlay, queue: Queue, p: &Pending, node: NodeId) -> bool {
        if !view.skip_doomed || self.scanned < self.next_check || !overlay.cold_start_fails_inertly(view.state, node, p)
        {
            return false;
        }
        let tally = queue.tally();
        let remaining = tally.total() - self.scanned;
        let budget = remaining.max(64);
        let mut cost = 0;
        for (sample, waiting) in tally.present() {
            cost += 1;
            if self.passed_of(sample) >= *waiting {
                continue;
            }
            if cost > budget || !doomed(view, overlay, sample, remaining, &mut cost) {
                self.next_check = self.scanned + cost;
                return false;
            }
        }
        true
    }
}

/// Whether every one of `remaining` entries left in the round, of the
/// registration of `p` among them, would go to a new container on a node
/// where it fails at no effect: no idle or prewarming container of its
/// key to take, and on every node with a free slot and its image in RAM
/// (where the classic choice goes) a refused cold start; and the round
/// never reaches another pass: more free slots there than entries left to
/// claim them, or the image in RAM on every node with a free slot (once
/// they are all claimed, the round ends for lack of slots).
fn doomed(view: &View, overlay: &Overlay, p: &Pending, remaining: usize, cost: &mut usize) -> bool {
    let state = view.state;
    if overlay.takes_container(state, p) {
        return false;
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
        if !overlay.cold_start_fails_inertly(state, node, p) {
            return false;
        }
        slots += u64::from(overlay.free_slots(state, node));
    }
    everywhere || slots > remaining as u64
}

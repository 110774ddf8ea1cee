//! The rest of a classic round when every entry left is alike (one
//! registration: same key, image, RAM and disk) and the first of them
//! could not run at once. None of them can then: the round after it only
//! claims slots, and decides loads and copies, which bring no idle
//! container, prewarming one or image in RAM to a free node. Each entry
//! would wait for a transfer under way (a slot claimed on the node it
//! goes to) or decide one; so the round claims the nodes of waiting
//! entries by whole runs, word by word, and visits neither those entries
//! nor their nodes one by one. Requests waiting on image pulls cost a
//! round nothing each, whatever their number; decisions are the same as
//! entry by entry (`RunOptions::rounds_only` turns this off to check so).

use crate::serverless::ids::NodeId;
use crate::serverless::nodeset::NodeSet;
use crate::serverless::state::ServiceState;

use super::super::{Decisions, Pending, View};
use super::{Overlay, earliest};

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

    /// A waiting pass (image loading, or copying) for entries in a row:
    /// each claims a slot at the first free node of `set`, or the node
    /// `decided` earlier in the round if it comes first. Claims such slots
    /// for up to `left` entries, at least one, while neither `decided`
    /// nor a node with slots to spare comes up (taken one entry at a time)
    /// and the round has slots; false when the pass finds no node.
    fn claim_run(&mut self, state: &ServiceState, set: &NodeSet, decided: Option<NodeId>, left: &mut usize) -> bool {
        let first = set.first_common(&self.free);
        let Some(node) = earliest(first, decided) else {
            return false;
        };
        if Some(node) == decided || state.roomy_nodes.contains(node) {
            self.claim(state, node);
            *left -= 1;
            return true;
        }
        // Before the round runs out of slots, unless prewarming
        // containers keep it going (a claim then takes none).
        let most = if state.unclaimed_prewarms == 0 {
            (*left).min(self.total_free as usize)
        } else {
            *left
        };
        let (taken, _) =
            self.free
                .take_lowest_common(set, decided, &state.roomy_nodes, most, &mut self.claimed_in_runs);
        self.any_claimed_in_runs = true;
        self.total_free = self.total_free.saturating_sub(taken as u64);
        *left -= taken;
        true
    }
}

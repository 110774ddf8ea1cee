//! Runs of waits in a `greedy` round. Once an entry's pick only waits at
//! a node for its image on its way into a tier (no earlier stage offered
//! anything) and the node has no free slot left, the next entry of its
//! registration meets the same stages with fewer free nodes: still
//! nothing before that wait, so it waits at the next free node, in node
//! order, where the image is on its way into that tier. A wait changes
//! nothing but the node's slot (and protects the image's own layers
//! there, which no plan for the image evicts), so when every entry left
//! in the round is of that registration, the round claims those nodes
//! word by word (`Overlay::claim_waiting_run`), one entry each, and visits
//! neither the entries nor the nodes one by one. A node with slots to
//! spare takes an entry a slot (each entry after finds it first again,
//! as `Greedy::waiting_at` has it), so a crowd waiting on loads at nodes
//! of many slots costs a round its nodes, not a pick each. Where the
//! round committed something else the run stops and the next entry is
//! picked (`RunOptions::rounds_only` picks every entry, to check so).
//!
//! A run starts only once the node it follows has no free slot left:
//! until then the next entry waits there (`Greedy::waiting_at`) at no
//! scan. Starting it earlier decides the same: a wait decides nothing the
//! service sees, an entry gets anything but a wait only once no free node
//! offers one, and entries are taken in queue order either way, so only
//! which slots the waits claim would differ. That condition is a cost
//! choice, not an exactness guard: no run's output can tell it.

use crate::serverless::ids::NodeId;

use super::super::overlay::Room;
use super::super::{Pending, View};
use super::Greedy;
use super::tier::Tier;

impl Greedy {
    /// Decides up to `most` entries that come next in the round, all of
    /// the registration of `p`, after `p` only waited at `node` for its
    /// image on its way into `tier`: claims, in node order after `node`,
    /// the free nodes where the service state has the image on its way
    /// into `tier`, before the first node the round committed on that is
    /// free. Returns how many entries it decided. Called once `node` has
    /// no free slot left.
    pub(super) fn wait_run(&mut self, view: &View, p: &Pending, (node, tier): (NodeId, Tier), most: usize) -> usize {
        let state = view.state;
        let round = &mut self.round;
        // Before the round runs out of slots, unless prewarming containers
        // keep it going (a wait then claims none).
        let most = if state.unclaimed_prewarms == 0 {
            most.min(round.overlay.total_free as usize)
        } else {
            most
        };
        let after = node.index() + 1;
        let mut from = after;
        let end = loop {
            match round.committed.first_from(from) {
                Some(c) if !round.overlay.free.contains(c) => from = c.index() + 1,
                found => break found.map_or(state.nodes.len(), NodeId::index),
            }
        };
        let sets = &state.images[p.image.0 as usize];
        self.run_nodes.clear();
        for i in after / 64..end.div_ceil(64) {
            let mut bits = round.overlay.free.word(i)
                & tier.arriving_words(sets, i)
                & !tier.image_words(sets, i)
                & !round.committed.word(i);
            if i == after / 64 {
                bits &= u64::MAX << (after % 64);
            }
            if i == end / 64 {
                bits &= (1u64 << (end % 64)) - 1;
            }
            self.run_nodes.insert_word(i, bits);
        }
        round
            .overlay
            .claim_waiting_run(view, p, &mut self.run_nodes, most, Room::EachSlot)
    }
}

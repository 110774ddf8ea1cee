//! Crowds at the bound. While a service's nodes load an image, its
//! function's entries wait in the list, and a round walks each of them to
//! its node: under a small capacity (at the start, one busy slot a node)
//! the walk hands each entry the next node, which its slot claimed puts
//! over the bound, where it only waits for the load. A round of one
//! arrival then decided every waiting entry the long way (a node's
//! judgement, the classic decision); at 4,000 nodes the first second's
//! crowd made that quadratic. Once an entry is decided and every entry
//! left is of its registration, the rest go on from the round's cursor
//! as the round's loop would walk them (the same capacity from the same
//! busy slots), each claiming a slot where the classic decision only
//! waits (`Overlay::claim_waiting_each`), up to the first node where it
//! would do anything else: that entry and those after it are decided the
//! long way. A wait decides nothing but its claim, which is what the
//! loop's entry there does.

use super::{ConsistentHash, Cursor, capacity};
use crate::serverless::policy::placement::{Pending, View};

/// Claims over which the capacity is checked once for not changing.
const CAPACITY_STRIDE: usize = 64;

impl ConsistentHash {
    /// Decides for up to `count` entries alike `p` that come after it in
    /// the round, `p` decided at a node that kept a free slot, with
    /// `total` busy slots: each walks on from `cursor` to the first free
    /// node within the capacity and claims a slot there while it only
    /// waits for the image. Returns how many it claimed; `cursor` is
    /// where the next entry resumes.
    pub(super) fn run_within(
        &mut self,
        view: &View,
        p: &Pending,
        cursor: &mut Cursor,
        total: u64,
        count: usize,
    ) -> usize {
        let state = view.state;
        let (nodes, bound) = (state.nodes.len(), self.bound);
        let walk = &self.walks[p.reg.index()];
        // The capacity grows with the slots taken: read again once past
        // `until` claims, up to which it is known not to change (it never
        // falls, so equal 64 claims on, it is equal all the way).
        let (mut capacity_now, mut until) = (f64::NAN, 0);
        self.overlay.claim_waiting_each(view, p, count, |overlay, taken| {
            if overlay.free.is_empty() {
                return None;
            }
            if capacity_now.is_nan() || taken > until {
                capacity_now = capacity(bound, total + taken as u64, nodes);
                let ahead = taken + CAPACITY_STRIDE;
                until = if capacity(bound, total + ahead as u64, nodes) == capacity_now {
                    ahead
                } else {
                    taken
                };
            }
            let capacity = capacity_now;
            cursor.pass_full(walk, &overlay.free);
            cursor.pass_over(walk, overlay, state, capacity);
            walk.get(cursor.first_within).copied()
        })
    }
}

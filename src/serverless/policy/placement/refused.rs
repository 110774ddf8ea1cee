//! Ending the round of a policy that hands each entry to a node of its
//! choice and takes the classic decision there (`least_loaded`,
//! `round_robin`, `openwhisk`: [`Overlay::act_at`]). On a platform out of
//! RAM (or disk), such a round would give every waiting entry a cold start
//! on a node with its image in RAM, which the service refuses at no
//! effect. These policies choose among the nodes with a free slot, and a
//! refused dispatch only claims a slot: it takes nodes out of that set,
//! and brings no container, image or room to any. So once every
//! registration with entries left in the round finds, on every node with
//! a free slot, its image in RAM, no idle container of its key to take
//! and no room for a new one, every entry left is such a refusal whichever
//! node the policy gives it, and the round ends: it costs what it can
//! decide. What outlives the round is the policy's own state
//! (`round_robin`'s cursor), which it then moves as those entries would
//! have. Not once a dispatch of the round may start a container (its
//! room-making may unpin layers for later ones), nor after one took an
//! idle container while a registration left serves several invocations
//! at once (the service would start passed entries in it) or one whose
//! image is out of RAM (the service refuses the take, and the container
//! it leaves idle may make room for a later one). A prewarm request is
//! refused where an invocation of its registration is (it takes no
//! container that is there, and its own evicts nothing), and a refused
//! one leaves the list for its end: each of these policies' rounds
//! decides an entry per free slot until none is left (`openwhisk`'s
//! probes visit every node, so an entry finds a free slot while one is
//! left), so the round names those entries (`Decisions::refuse_prewarms`)
//! and the service takes out the prewarm requests among them as it would
//! have. Every run is the same as with every entry decided
//! (`RunOptions::rounds_only` turns this off to check so).

use crate::serverless::ids::NodeId;

use super::doomed::{DoomedTail, refuse};
use super::{Decisions, Dispatch, Overlay, Pending, Queue, View};

/// What a round of such a policy has passed so far.
#[derive(Debug, Default)]
pub struct RefusedRest {
    tail: DoomedTail,
    /// Entries to pass before another check: a check that fails costs
    /// about as much as passing that many entries.
    next_check: usize,
    /// A dispatch of the round may start a container.
    started: bool,
    /// A dispatch of the round took an idle or prewarming container.
    took: bool,
}

impl RefusedRest {
    /// Starts a round.
    pub fn begin(&mut self) {
        self.tail.begin();
        self.next_check = 0;
        self.started = false;
        self.took = false;
    }

    /// Waiting entries the round has not passed yet.
    pub fn left(&self, queue: Queue) -> usize {
        self.tail.left(queue)
    }

    /// The round decided for `p`; `dispatch`: the dispatch it made, if any.
    pub fn pass(&mut self, view: &View, overlay: &Overlay, p: &Pending, dispatch: Option<&Dispatch>) {
        self.tail.pass(p);
        if !view.skip_doomed {
            return;
        }
        match dispatch {
            Some(d) if d.container.is_some() => {
                self.took = true;
                // A take the service refuses (the image left RAM) leaves
                // an idle container this view counts as taken: a later new
                // container there may terminate it to make room, so no
                // later refusal is certain (as in `inert.rs`).
                self.started |= !view.state.images[p.image.0 as usize].in_ram.contains(d.node);
            }
            Some(d) if !self.started => self.started = !overlay.cold_start_fails_inertly(view, d.node, p),
            _ => {}
        }
    }

    /// The round decided for `count` entries of the registration of `p`,
    /// none of them a dispatch.
    pub fn pass_waiting(&mut self, p: &Pending, count: usize) {
        self.tail.pass_many(p, count);
    }

    /// How many entries come after `p` in the round, when they are all of
    /// its registration (see [`DoomedTail::rest_alike`]).
    pub fn rest_alike(&self, queue: Queue, p: &Pending) -> Option<usize> {
        self.tail.rest_alike(queue, p)
    }

    /// [`RefusedRest::ends`] for a policy whose entries may each go to
    /// any node with a free slot (`least_loaded`, `round_robin`).
    pub fn ends_per_free_slot(
        &mut self,
        view: &View,
        overlay: &Overlay,
        queue: Queue,
        (index, p, node): (usize, &Pending, NodeId),
        out: &mut Decisions,
    ) -> bool {
        self.ends(view, overlay, queue, (index, p, node), |_| overlay.free.iter(), out)
    }

    /// Whether `p`, at `index` and given `node`, and every entry after it
    /// in the round would be refused dispatches: then the round ends
    /// before `p`, and the prewarm requests among the entries it would
    /// have decided (one per free slot, then it stops) are named in `out`.
    /// `reach` gives the nodes with a free slot that the entries left of
    /// a registration (one of them given) may go to.
    pub fn ends<I: Iterator<Item = NodeId>>(
        &mut self,
        view: &View,
        overlay: &Overlay,
        queue: Queue,
        (index, p, node): (usize, &Pending, NodeId),
        reach: impl Fn(&Pending) -> I,
        out: &mut Decisions,
    ) -> bool {
        let scanned = self.tail.scanned();
        if !view.skip_doomed || self.started || scanned < self.next_check || !refused(view, overlay, p, node) {
            return false;
        }
        let mut cost = 0;
        for sample in self.tail.unpassed(queue) {
            cost += 1;
            // The full round's dispatch of such an entry joins the taken
            // container at once, ahead of entries passed before it without
            // a dispatch (a copy on their way elsewhere), which the service
            // would otherwise let join first (`JOIN_TAKEN` in tests/runs.rs).
            if self.took && view.registry.get(sample.reg).concurrency > 1 {
                self.next_check = scanned + cost;
                return false;
            }
            for node in reach(sample) {
                cost += 1;
                if !refused(view, overlay, sample, node) {
                    self.next_check = scanned + cost;
                    return false;
                }
            }
        }
        refuse(queue, index, overlay.total_free as usize, out);
        true
    }
}

/// Whether the classic decision for `p` at `node`, a node with a free
/// slot, is a cold start the service refuses at no effect.
pub(super) fn refused(view: &View, overlay: &Overlay, p: &Pending, node: NodeId) -> bool {
    let state = view.state;
    state
        .idle_container(node, p.key)
        .is_none_or(|c| overlay.container_claimed(c))
        && state.images[p.image.0 as usize].in_ram.contains(node)
        && overlay.cold_start_fails_inertly(view, node, p)
}

//! Nodes where a round can decide nothing. Policies that hand each entry
//! to a node of their choosing and take the classic decision there
//! (`Overlay::act_at`: `random`, `consistent_hash`) meet, on a platform
//! out of RAM, nodes where every entry gets a new container the service
//! refuses at no effect (`doomed.rs`), waits on a transfer under way, or
//! finds no slot: such a node is *inert* when that is so for every
//! registration waiting. A node without a free slot is inert when every
//! image waiting is in RAM or on its way (its classic decision is then
//! nothing, or a transfer already decided), told once per image however
//! many functions wait: a crowd of thousands on nodes all busy costs its
//! round the nodes, not the functions. What an entry does at an inert
//! node (claim a slot, a refused dispatch) keeps it inert, whatever else
//! the round claims; only a decision taken at the node itself can change it, and
//! those are taken only at nodes that are not inert. So an entry handed
//! to an inert node only claims its slot, and a round whose nodes are all
//! inert decides nothing: it ends at once, or only draws what it would
//! have drawn. Every run is the same as with every entry decided
//! (`RunOptions::rounds_only` turns this off to check so).

use crate::ir::function::ImageId;
use crate::serverless::ids::NodeId;

use super::refused::refused;
use super::{Decisions, Overlay, Pending, Queue, View};

/// Per round, which nodes are inert (judged when first asked).
#[derive(Debug, Default)]
pub struct InertNodes {
    /// Per node: the round that judged it (0: not judged), and the verdict.
    judged: Vec<(u32, bool)>,
    /// Per node: the last round that decided there a dispatch that may
    /// change what the service does with later ones (see `act_at`).
    unsettled: Vec<u32>,
    round: u32,
    /// Whether nodes may be judged inert this round.
    on: bool,
    /// Whether a node is judged for each registration waiting when its
    /// images alone do not show it inert (`at`): not when that costs more
    /// than deciding the round's entries one by one (a crowd of many
    /// functions), where such a node is decided on the long way.
    by_registration: bool,
    /// Whether a prewarm request waits: the round then ends early nowhere.
    prewarms_wait: bool,
}

impl InertNodes {
    /// Starts a round over `nodes` nodes. Judging is off when shortcuts
    /// are, and when judging a node for every image waiting would cost
    /// more than deciding the round's entries one by one. A node with a
    /// free slot is judged for every registration only where that costs
    /// no more either, and not with sandboxes (`View::skip_doomed`: the
    /// refusals it foresees do not cover forks); one without is judged
    /// by image, which reads no refusal. Judging stays on while prewarm
    /// requests wait (which turn the service's other shortcuts off): a prewarm
    /// request refused leaves the list (an effect), so each is decided
    /// the long way, inert node or not (`act_at`: a refusal there claims
    /// a slot and keeps the node inert, as an invocation's would), and
    /// a round ends early while one waits only where the policy knows
    /// what each left would decide (`random`: once no slot is left;
    /// `consistent_hash`: naming those the free slots refuse).
    pub fn begin(&mut self, view: &View, queue: Queue, nodes: usize) {
        self.round = self.round.wrapping_add(1);
        if self.round == 0 {
            self.judged.iter_mut().for_each(|j| *j = (0, false));
            self.unsettled.iter_mut().for_each(|s| *s = 0);
            self.round = 1;
        }
        self.judged.resize(nodes, (0, false));
        self.unsettled.resize(nodes, 0);
        let tally = queue.tally();
        let affordable = |kinds: usize| kinds * nodes.min(tally.total()) <= 4 * tally.total();
        self.by_registration = view.skip_doomed && affordable(tally.present().len());
        self.on = view.step_over && view.shortcuts_past_prewarms(tally) && affordable(tally.present_images().len());
        self.prewarms_wait = tally.prewarms() > 0;
    }

    /// Whether nodes may be judged inert this round, as far as it went.
    pub fn judging(&self) -> bool {
        self.on
    }

    /// Whether the policy may end the round once what is left is inert:
    /// nodes are judged, and no prewarm request waits (each is decided
    /// where it goes, `act_at`).
    pub fn may_end_round(&self) -> bool {
        self.on && !self.prewarms_wait
    }

    /// Whether `node` is inert for the rest of the round. Without a free
    /// slot it is when every image waiting is ([`image_inert_without_slot`]),
    /// whatever the round decided there: with no slot, the classic decision
    /// reads only the round's own transfers and the service's state as the
    /// round began, which no dispatch changes. With one, it is judged for
    /// each registration, unless a dispatch of the round there may have
    /// changed what the service grants (`act_at`).
    pub fn at(&mut self, view: &View, overlay: &Overlay, queue: Queue, node: NodeId) -> bool {
        if !self.on {
            return false;
        }
        let (round, verdict) = self.judged[node.index()];
        if round == self.round {
            return verdict;
        }
        let tally = queue.tally();
        let settled = self.unsettled[node.index()] != self.round;
        let verdict = (overlay.free_slots(view.state, node) == 0
            && (tally.present_images().iter()).all(|image| image_inert_without_slot(view, overlay, *image, node)))
            || (settled
                && self.by_registration
                && (tally.present().iter()).all(|(p, _)| inert_at(view, overlay, p, node)));
        self.judged[node.index()] = (self.round, verdict);
        verdict
    }

    /// Whether every node of `nodes` is inert for the rest of the round.
    pub fn all(
        &mut self,
        view: &View,
        overlay: &Overlay,
        queue: Queue,
        mut nodes: impl Iterator<Item = NodeId>,
    ) -> bool {
        self.on && nodes.all(|node| self.at(view, overlay, queue, node))
    }

    /// `Overlay::act_at` for the entry `p` at `index` given `node`: at an
    /// inert node, only the slot it claims (the dispatch would be refused
    /// at no effect), unless `p` is a prewarm request (a refused one
    /// leaves the list: `begin`); elsewhere the decision the long way, after which the
    /// node is judged again when next asked, on the round's view of it.
    /// That view is the service's as it applies the round only while the
    /// node's dispatches are refusals and takes of idle containers the
    /// service grants: a new container may make its room by terminating
    /// idle containers (and so unpin layers), and a take the service
    /// refuses (the image left RAM) leaves an idle container the view
    /// counts as taken, either of which lets a later new container there
    /// start. After such a dispatch the node stays not inert for the rest
    /// of the round. A dispatch of a registration whose containers take
    /// several invocations at once ends judging for the round: a dispatch
    /// refused after it may join its container.
    pub fn act_at(
        &mut self,
        view: &View,
        overlay: &mut Overlay,
        queue: Queue,
        entry: (u32, &Pending),
        node: NodeId,
        out: &mut Decisions,
    ) {
        let (index, p) = entry;
        if self.at(view, overlay, queue, node) {
            if !p.takes_existing() {
                // Refused there (it leaves the list) or waiting, it claims
                // a slot: the node stays inert.
                overlay.act_at(view, p, index, node, out);
            } else if overlay.free_slots(view.state, node) > 0 {
                overlay.claim(view.state, node);
            }
            return;
        }
        let dispatches = out.dispatch.len();
        overlay.act_at(view, p, index, node, out);
        self.judged[node.index()].0 = 0;
        let Some(dispatch) = out.dispatch.get(dispatches) else {
            return;
        };
        let unsettled = match dispatch.container {
            None => !overlay.cold_start_fails_inertly(view, node, p),
            Some(_) => !view.state.images[p.image.0 as usize].in_ram.contains(node),
        };
        if unsettled {
            self.unsettled[node.index()] = self.round;
        }
        if view.registry.get(p.reg).concurrency > 1 {
            self.on = false;
        }
    }
}

impl InertNodes {
    /// The nodes of the `i`th word (64 nodes) that the service's node
    /// sets alone show inert for every registration waiting, whatever the
    /// round claims ([`inert_by_sets`]); when judging each registration
    /// costs too much, those without a free slot where every image waiting
    /// is inert ([`inert_by_images`], fewer).
    pub fn by_sets(&self, view: &View, queue: Queue, i: usize) -> u64 {
        match self.by_registration {
            true => inert_by_sets(view, queue, i),
            false => inert_by_images(view, queue, i),
        }
    }
}

/// The nodes of the `i`th word (64 nodes) that the service's node sets
/// alone show inert for every registration waiting, whatever the round
/// claims: an idle container of its key or the image in RAM but no free
/// slot, else the image on its way to RAM, or to disk and not there. The
/// same rule as [`inert_at`], word by word, before the round claims
/// anything (a subset of what it finds: it reads no refusal and no claim).
fn inert_by_sets(view: &View, queue: Queue, i: usize) -> u64 {
    let state = view.state;
    let mut bits = u64::MAX;
    for (p, _) in queue.tally().present() {
        let sets = &state.images[p.image.0 as usize];
        let idle = state.idle_nodes.get(p.key).map_or(0, |set| set.word(i));
        let ready = sets.in_ram.word(i) | idle;
        bits &= (ready & !state.free_slot_nodes.word(i))
            | (!ready & (sets.ram_or_loading.word(i) | (sets.disk_or_copying.word(i) & !sets.on_disk.word(i))));
    }
    bits
}

/// The nodes of the `i`th word without a free slot where every image
/// waiting is in RAM, or on its way to RAM, or to disk and not there: as
/// [`image_inert_without_slot`] says, inert for every registration (a
/// subset of [`inert_by_sets`]', which also reads idle containers), read
/// once per image rather than per registration.
fn inert_by_images(view: &View, queue: Queue, i: usize) -> u64 {
    let state = view.state;
    let mut bits = !state.free_slot_nodes.word(i);
    for image in queue.tally().present_images() {
        let sets = &state.images[image.0 as usize];
        bits &=
            sets.in_ram.word(i) | sets.ram_or_loading.word(i) | (sets.disk_or_copying.word(i) & !sets.on_disk.word(i));
    }
    bits
}

/// Whether every entry needing `image` decides nothing at `node` where
/// the round left no free slot, whatever its registration: the image in
/// RAM, or on its way to RAM, or to disk and not there ([`inert_at`] with
/// no slot, but for an idle container of a key, which is one
/// registration's own).
fn image_inert_without_slot(view: &View, overlay: &Overlay, image: ImageId, node: NodeId) -> bool {
    let sets = &view.state.images[image.0 as usize];
    sets.in_ram.contains(node)
        || overlay.ram_or_loading(view, node, image)
        || (!sets.on_disk.contains(node) && overlay.disk_or_copying(view, node, image))
}

/// Whether `Overlay::act_at` for `p` at `node` decides nothing the service
/// applies, now and after any claims at the node: an idle container of
/// its key but no free slot; its image in RAM but no free slot or a new
/// container refused at no effect; its image on its way to RAM, or to
/// disk (a claimed slot at most). Image on disk (a load) and elsewhere (a
/// copy) decide transfers.
fn inert_at(view: &View, overlay: &Overlay, p: &Pending, node: NodeId) -> bool {
    let state = view.state;
    let sets = &state.images[p.image.0 as usize];
    let idle = state
        .idle_container(node, p.key)
        .is_some_and(|c| !overlay.container_claimed(c));
    if idle || sets.in_ram.contains(node) {
        return overlay.free_slots(state, node) == 0 || refused(view, overlay, p, node);
    }
    if overlay.ram_or_loading(view, node, p.image) {
        return true;
    }
    !sets.on_disk.contains(node) && overlay.disk_or_copying(view, node, p.image)
}

//! `fcfs`: WRENCH's classic first-come first-served scheduler. Invocations
//! in submission order; each goes to the first node (list order) found by
//! the classic passes, whose decision is then taken.

use super::super::Build;
use super::doomed::{AlikeBy, DoomedTail, Tail, refuse};
use super::overlay::Pass;
use super::{Decisions, Overlay, Pending, Placement, Queue, Site, View};

pub struct Fcfs {
    overlay: Overlay,
    tail: DoomedTail,
    /// Where the last walk stopped when it reached the list's end (or
    /// judged all the rest alike) having decided nothing: a
    /// [`Placement::resume`] goes on from there, with
    /// the walk's claims (`overlay`) and passed entries (`tail`) as they
    /// are. None after a walk that decided or stopped early.
    walked_to: Option<usize>,
}

pub fn make(build: &Build) -> Box<dyn Placement> {
    Box::new(Fcfs::new(build.nodes))
}

impl Fcfs {
    pub fn new(nodes: usize) -> Self {
        Fcfs {
            overlay: Overlay::new(nodes),
            tail: DoomedTail::default(),
            walked_to: None,
        }
    }
}

impl Placement for Fcfs {
    fn appends_are_inert(&self) -> bool {
        true
    }

    fn place_alone(&mut self, view: &View, p: &Pending) -> Option<Site> {
        // The classic choice's first pass, which places most requests of a
        // warm system: the first node with a free slot and an idle
        // container of the key, and its oldest idle container there. The
        // rest of the lone placement starts with the same pass (and finds
        // what this finds); it is asked when this finds nothing.
        let state = view.state;
        if let Some((node, c)) = state.first_idle_among(p.key, &state.free_slot_nodes, |_| true) {
            return Some(Site {
                node,
                container: Some(c),
            });
        }
        Overlay::lone_placement(view, p)
    }

    fn schedule(&mut self, view: &View, queue: Queue, out: &mut Decisions) {
        self.overlay.begin(view.state);
        self.tail.begin();
        self.walk(view, queue, 0, out);
    }

    fn resume(&mut self, view: &View, queue: Queue, out: &mut Decisions) {
        // The entries before `next` would be walked as the last round
        // walked them (same state, same entries: appends are inert) and
        // decided nothing: their claims and passes are kept, not redone.
        match self.walked_to {
            Some(next) => self.walk(view, queue, next, out),
            None => self.schedule(view, queue, out),
        }
    }
}

impl Fcfs {
    /// The round's walk over the list from position `next` on, with the
    /// round's claims and passed entries so far.
    fn walk(&mut self, view: &View, queue: Queue, mut next: usize, out: &mut Decisions) {
        self.walked_to = None;
        loop {
            let Some((index, p)) = queue.iter_from(next).next() else {
                // The list's end: a later round may go on from here if this
                // walk decided nothing (and nothing changed meanwhile).
                self.walked_to = (out.is_empty() && out.wake_at.is_none()).then_some(next);
                return;
            };
            next = index + 1;
            // Nothing can be placed without a free slot, unless a
            // prewarming container (which has its own) is still unclaimed.
            if self.overlay.total_free == 0 {
                if view.state.unclaimed_prewarms == 0 {
                    out.exhausted = true;
                    return;
                }
                if view.step_over && self.overlay.nothing_left(view.state) {
                    return;
                }
                // Only an invocation can claim it: the prewarm requests
                // up to the next one would each find no node, and are
                // stepped over (a crowd of them waiting for slots, each
                // arrival a round, costs the rounds nothing).
                if view.step_over && !p.takes_existing() {
                    let (invocation, passed) = queue.first_invocation_from(index);
                    self.tail.pass_unknown(passed);
                    next = invocation;
                    continue;
                }
            }
            if let Some(choice) = self.overlay.classic_choice(view, p) {
                if choice.pass == Pass::InRam {
                    // A container this round starts may take entries as
                    // they come, passed ones too.
                    let dispatched = !out.dispatch.is_empty();
                    match self.tail.ahead(view, &self.overlay, queue, p, choice.node, dispatched) {
                        Tail::Decides => {}
                        Tail::Doomed => {
                            // The walk would decide an entry per free slot
                            // from here on (a new container where the image
                            // is in RAM), then stop for lack of slots.
                            refuse(queue, index, self.overlay.total_free as usize, out);
                            return;
                        }
                        Tail::DoomedFor(entries) => {
                            self.overlay.claim_nodes_in_ram(view.state, p.image);
                            self.tail.pass_many(p, entries);
                            next = queue.after_waiting(index, entries);
                            refuse(queue, index, entries, out);
                            continue;
                        }
                    }
                }
                // Once an entry cannot run at once and all after it are
                // alike, none of them can: decide them as a whole. (None
                // after the last entry: the walk reaches the list's end,
                // where a later round may go on.) Prewarm requests among
                // them can run at once where an invocation can, no more;
                // and prewarm requests after one take no container that
                // is there (prewarming ones unclaimed, sandboxes), so a
                // run of them only is alike it whatever is about.
                let invocation = p.takes_existing() && view.skip_doomed;
                let prewarms = !p.takes_existing() && view.step_over && queue.only_prewarms_from(index + 1);
                let alike = ((view.shortcuts || invocation || prewarms) && !choice.pass.runs_at_once())
                    .then(|| {
                        let by_registration = self.tail.rest_alike(queue, p).map(|n| (n, AlikeBy::Registration));
                        by_registration
                            .or_else(|| self.tail.rest_alike_image(view, queue, p).map(|n| (n, AlikeBy::Image)))
                    })
                    .flatten()
                    .filter(|&(count, _)| count > 0);
                self.overlay.classic_act(view, p, index as u32, choice, out);
                if let Some((count, by)) = alike {
                    self.overlay.decide_alike(view, p, count, out);
                    // Every entry is passed: a later round may go on from
                    // the list's end, as after a walk that got there.
                    self.tail.pass_run(p, count + 1, by);
                    let quiet = out.is_empty() && out.wake_at.is_none() && !out.exhausted;
                    self.walked_to = quiet.then_some(queue.len());
                    return;
                }
            }
            self.tail.pass(p);
        }
    }
}

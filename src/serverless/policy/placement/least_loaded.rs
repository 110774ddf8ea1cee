//! `least_loaded`: each waiting invocation, in submission order, goes to
//! the node with the fewest busy slots (counting those claimed earlier in
//! the round; list order on ties), as dslab-faas's least-loaded scheduler
//! does with active invocations. The node is chosen for its load alone:
//! there the classic decision is taken (its idle container, the image in
//! RAM, else a load or a copy, the invocation waiting for a later round).
//! The node is one with a free slot, so the round ends once what is left
//! would be refused wherever it goes (`refused.rs`).

use super::super::Build;
use super::refused::RefusedRest;
use super::{Decisions, Overlay, Placement, Queue, View};

pub struct LeastLoaded {
    overlay: Overlay,
    rest: RefusedRest,
}

pub fn make(build: &Build) -> Box<dyn Placement> {
    Box::new(LeastLoaded {
        overlay: Overlay::new(build.nodes),
        rest: RefusedRest::default(),
    })
}

impl Placement for LeastLoaded {
    fn schedule(&mut self, view: &View, queue: Queue, out: &mut Decisions) {
        let state = view.state;
        self.overlay.begin(state);
        self.rest.begin();
        for (index, p) in queue.iter() {
            let least = self
                .overlay
                .free
                .iter()
                .min_by_key(|&node| (self.overlay.busy_slots(state, node), node));
            let Some(node) = least else {
                out.exhausted = true;
                break;
            };
            if self
                .rest
                .ends(view, &self.overlay, queue, (p, node), |_| self.overlay.free.iter())
            {
                break;
            }
            let before = out.dispatch.len();
            self.overlay.act_at(view, p, index as u32, node, out);
            self.rest.pass(view, &self.overlay, p, out.dispatch.get(before));
        }
    }
}

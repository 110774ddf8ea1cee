//! `least_loaded`: each waiting invocation, in submission order, goes to
//! the node with the fewest busy slots (counting those claimed earlier in
//! the round; list order on ties), as dslab-faas's least-loaded scheduler
//! does with active invocations. The node is chosen for its load alone:
//! there the classic decision is taken (its idle container, the image in
//! RAM, else a load or a copy, the invocation waiting for a later round).

use super::super::Build;
use super::{Decisions, Overlay, Placement, Queue, View};

pub struct LeastLoaded {
    overlay: Overlay,
}

pub fn make(build: &Build) -> Box<dyn Placement> {
    Box::new(LeastLoaded {
        overlay: Overlay::new(build.nodes),
    })
}

impl Placement for LeastLoaded {
    fn schedule(&mut self, view: &View, queue: Queue, out: &mut Decisions) {
        let state = view.state;
        self.overlay.begin(state);
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
            self.overlay.act_at(view, p, index as u32, node, out);
        }
    }
}

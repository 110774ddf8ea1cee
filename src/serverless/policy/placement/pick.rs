//! Placement by picking a node: the simplest way to write a placement
//! policy of one's own. A [`PickNode`] is asked, for each waiting
//! invocation in turn, which node it goes to; the service takes the
//! classic decision there, as the built-in placements do (an idle
//! container of the function, else a new one with the image loaded or
//! copied first; on a node without a free slot, the invocation waits for
//! a later round and only the image is brought closer, unless the node
//! has failed: see [`Choosing::up`]).

use super::super::{Build, Stopper};
use super::{Decisions, Overlay, Pending, Placement, Queue, View, Waiting};
use crate::serverless::ids::{NodeId, RegId};

/// A placement policy that picks a node for each waiting invocation
/// (register it with [`Policies::pick_node`](super::super::Policies::pick_node)).
///
/// ```
/// use sls::policy::{Choosing, PickNode};
///
/// /// The node with the most free slots, the first on ties.
/// struct Emptiest;
///
/// impl PickNode for Emptiest {
///     fn pick(&mut self, choosing: &Choosing) -> Option<usize> {
///         (0..choosing.nodes()).filter(|&n| choosing.free_slots(n) > 0).max_by_key(|&n| {
///             (choosing.free_slots(n), std::cmp::Reverse(n))
///         })
///     }
/// }
/// ```
pub trait PickNode {
    /// The node (its index in the service's `compute` list, from 0) where
    /// the invocation `choosing` describes goes; `None`: it waits for a
    /// later round (the service asks again after its next event).
    fn pick(&mut self, choosing: &Choosing) -> Option<usize>;
}

/// A waiting invocation (or a container prewarmed ahead of invocations)
/// and the service's nodes as a [`PickNode`] sees them, decisions taken
/// earlier in the round included.
pub struct Choosing<'a> {
    view: &'a View<'a>,
    pending: &'a Pending,
    overlay: &'a Overlay,
    stopper: &'a Stopper,
}

impl Choosing<'_> {
    /// The simulated date, in seconds.
    pub fn now(&self) -> f64 {
        self.view.now
    }

    /// The function invoked, by name (a trace's function: `app/function`).
    pub fn function(&self) -> &str {
        &self.view.registry.get(self.pending.reg).name
    }

    /// The function invoked, as an id (as [`Idle::reg`](super::super::keep_alive::Idle::reg)).
    pub fn reg(&self) -> RegId {
        self.pending.reg
    }

    /// The invocation's id (its `id` in the results), or `None` for a
    /// container prewarmed ahead of invocations.
    pub fn invocation(&self) -> Option<u64> {
        match self.pending.waiting {
            Waiting::Invocation(_) => Some(self.pending.id),
            Waiting::Prewarm(_) => None,
        }
    }

    /// When it was submitted, in seconds.
    pub fn submit(&self) -> f64 {
        self.pending.submit
    }

    /// Bytes of RAM a new container for it takes.
    pub fn ram(&self) -> f64 {
        self.pending.ram
    }

    /// The service's number of compute nodes.
    pub fn nodes(&self) -> usize {
        self.view.state.nodes.len()
    }

    /// Node `node`'s host name.
    ///
    /// # Panics
    /// If `node` is not below [`Choosing::nodes`] (as every `node` argument).
    pub fn node_name(&self, node: usize) -> &str {
        &self.view.state.nodes[node].name
    }

    /// Node `node`'s containers at most (its `slots`, or its cores).
    pub fn slots(&self, node: usize) -> u32 {
        self.view.state.nodes[node].slots
    }

    /// Node `node`'s slots free for this round's decisions.
    pub fn free_slots(&self, node: usize) -> u32 {
        self.overlay.free_slots(self.view.state, NodeId(node as u32))
    }

    /// Whether node `node` is up. A node whose host has failed, until it
    /// comes back, has no free slot, as a busy node, but nothing frees one:
    /// an invocation sent there waits for its recovery, and no image is
    /// brought to it meanwhile.
    pub fn up(&self, node: usize) -> bool {
        !self.view.state.down_nodes.contains(NodeId(node as u32))
    }

    /// Bytes of RAM free on node `node` as the round began (this round's
    /// earlier decisions do not count: the room is made when a container
    /// starts). Zero on a failed node: what ran there is gone, and its
    /// RAM is free only once it comes back.
    pub fn ram_free(&self, node: usize) -> f64 {
        match self.up(node) {
            true => self.view.state.nodes[node].ram_free,
            false => 0.0,
        }
    }

    /// Whether node `node` has an idle container that can serve this
    /// invocation (a warm start), unclaimed this round.
    pub fn warm(&self, node: usize) -> bool {
        self.view
            .state
            .idle_container(NodeId(node as u32), self.pending.key)
            .is_some_and(|c| !self.overlay.container_claimed(c))
    }

    /// Stops the run now, for `message` (the policy cannot decide): as
    /// [`Stopper::stop`] at this date. `pick` still returns (`None`).
    pub fn stop(&self, message: impl Into<String>) {
        self.stopper.stop(self.view.now, message);
    }
}

/// A [`PickNode`] as a placement policy.
struct ByPick<P> {
    pick: P,
    overlay: Overlay,
    stopper: Stopper,
}

/// The placement policy that asks `pick` for a node per waiting invocation.
pub fn by_pick<P: PickNode + 'static>(build: &Build, pick: P) -> Box<dyn Placement> {
    Box::new(ByPick {
        pick,
        overlay: Overlay::new(build.nodes),
        stopper: build.stopper(),
    })
}

impl<P: PickNode> Placement for ByPick<P> {
    /// Its dispatches take idle containers only (`Overlay::act_at`).
    fn claims_prewarming(&self) -> bool {
        false
    }

    /// A round that finds no free slot (and no unclaimed prewarming
    /// container) asks nothing: an invocation appended after it changes
    /// nothing until something frees a slot.
    fn appends_are_inert(&self) -> bool {
        true
    }

    fn schedule(&mut self, view: &View, queue: Queue, out: &mut Decisions) {
        self.overlay.begin(view.state);
        let nodes = view.state.nodes.len();
        for (asked, (index, pending)) in queue.iter().enumerate() {
            // Nothing can be placed without a free slot, unless a
            // prewarming container (which has its own) is still unclaimed.
            // Only a round that found none before asking anything says so
            // (`exhausted`: the service skips the next rounds while only
            // requests come). One whose picks used the slots up says
            // nothing of the next: a pick may answer otherwise next time
            // (it may read the date, keep its own state, draw at random),
            // and the slots it claimed for invocations left waiting (for
            // an image) are free again.
            if self.overlay.total_free == 0 && view.state.unclaimed_prewarms == 0 {
                out.exhausted = asked == 0;
                break;
            }
            let choosing = Choosing {
                view,
                pending,
                overlay: &self.overlay,
                stopper: &self.stopper,
            };
            match self.pick.pick(&choosing) {
                None => {}
                Some(node) if node < nodes => {
                    self.overlay
                        .act_at(view, pending, index as u32, NodeId(node as u32), out)
                }
                Some(node) => {
                    choosing.stop(format!(
                        "it chose node {node}, but the service has {nodes} (0 to {})",
                        nodes - 1
                    ));
                    return;
                }
            }
        }
    }
}

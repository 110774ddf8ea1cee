//! The outbox: how components reach each other. A component never calls
//! one that may call it back; it pushes an [`Effect`] instead, and the run
//! ([`super::run`]) routes it to its owner once the component returns.
//!
//! Effects are processed in the order they were pushed, each one with
//! everything it causes before the next (depth first): the order in which
//! the direct calls of a sequential program would have happened. That order
//! is what makes dates exact, since the engine breaks ties between events
//! due at the same date by the order they were scheduled. So a component
//! pushes its effects last, or pushes what it still has to do after them as
//! an effect of its own (a timer to set, a step to take), never acting on
//! the world after an effect whose consequences would come first in a
//! sequential program.

use crate::ir::service::ServiceId;

use super::ids::{FlowNode, InstanceId, NodeId, RegId, SourceId};
use super::invocation::{InvocationHandle, Origin};
use super::message::Message;
use super::tag::Tag;

/// Something a component asks of another.
#[derive(Debug, Clone, Copy)]
pub enum Effect {
    /// A message for a service: into its mailbox, handled at once when the
    /// service is idle.
    Deliver(ServiceId, Message),
    /// A service accepted a request from a client, which goes on.
    Accepted(Origin),
    /// A workflow node asks its instance's source for an invocation (the
    /// source gives it the seed of its draws).
    Request(NodeRequest),
    /// An invocation or workflow instance of `origin` ended at this date.
    OriginDone(Origin, f64),
    /// A workflow invocation's inputs are in: its body's steps run.
    RunSteps(InvocationHandle),
    /// A workflow node was skipped: its successors' edges resolve unfired.
    Skipped(InstanceId, FlowNode),
    /// A workflow instance whose nodes may all be resolved: it ends if so.
    FinishIfDone(InstanceId),
    /// A timer that must be set after the effects pushed before it.
    Timer(f64, Tag),
    /// An open stream sets the timer of its next arrival (after what its
    /// last arrival started).
    NextArrival(SourceId),
    /// A client goes on with its script (after what its last step started).
    ClientStep(SourceId),
    /// Work that failed (the tag of its transfer or step): its owner is told.
    Failed(Tag),
    /// A compute node's host failed: what runs there fails, then the node
    /// loses its containers and caches.
    NodeDown(ServiceId, NodeId),
    /// A compute node's host is back.
    NodeUp(ServiceId, NodeId),
}

/// A workflow node's request for an invocation.
#[derive(Debug, Clone, Copy)]
pub struct NodeRequest {
    /// The source that started the node's instance.
    pub source: SourceId,
    pub reg: RegId,
    pub service: ServiceId,
    pub origin: Origin,
    /// The node of the sandbox its trigger came to over a local bus.
    pub local: Option<NodeId>,
}

/// Effects waiting to be routed. One stack for the whole run: a handler's
/// effects are pushed above those still waiting, then reversed, so that
/// popping processes them first and in order without any allocation.
#[derive(Debug, Default)]
pub struct Outbox {
    effects: Vec<Effect>,
}

impl Outbox {
    #[inline]
    pub fn push(&mut self, effect: Effect) {
        self.effects.push(effect);
    }

    /// Where the effects of the next handler will start.
    #[inline]
    pub fn mark(&self) -> usize {
        self.effects.len()
    }

    /// Puts the effects pushed since `mark` in popping order.
    pub fn seal(&mut self, mark: usize) {
        self.effects[mark..].reverse();
    }

    /// The effect pushed since `mark` when it is the only one and a message
    /// for a service (what most handlers push: a body's end, an arrival),
    /// taken out so that the run delivers it without its routing loop.
    /// An invocation's end, the commonest, is rebuilt from its handle
    /// rather than copied whole (a message is as large as a request):
    /// what was just stored is read back as it was written.
    #[inline]
    pub fn take_lone_message(&mut self, mark: usize) -> Option<(ServiceId, Message)> {
        let taken = match self.effects[mark..] {
            [Effect::Deliver(s, Message::InvocationDone(handle))] => (s, Message::InvocationDone(handle)),
            [Effect::Deliver(s, message)] => (s, message),
            _ => return None,
        };
        self.effects.pop();
        Some(taken)
    }

    /// The next effect above `mark`, if any.
    pub fn next_above(&mut self, mark: usize) -> Option<Effect> {
        if self.effects.len() > mark {
            self.effects.pop()
        } else {
            None
        }
    }
}

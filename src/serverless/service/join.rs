//! Containers that serve more than one invocation at once (a function's
//! `limits { concurrency N }`, Knative's `containerConcurrency`, OpenWhisk's
//! intra-container concurrency): an invocation of such a function goes to
//! the oldest busy container of its function running fewer than N, before
//! any other choice (an idle container, a new one) and whatever the node's
//! free slots (a slot is a running container). It takes no RAM of its own:
//! the container's is reserved once for all it runs. It is a warm start
//! (no container was started for it: cold starts count containers
//! started); joining a container still starting, it waits for the rest of
//! the start-up, which its `startup` (`container`) and latency show. The
//! container idles when its last invocation ends (see `keep`).

use crate::ir::service::Granularity;
use crate::report::{StartKind, Startup};

use super::super::body;
use super::super::cx::Cx;
use super::super::ids::KeyId;
use super::super::invocation::{InvocationHandle, Moment};
use super::super::policy::placement::Waiting;
use super::Service;

impl Service {
    /// Starts invocation `handle` (reuse key `key`) in a busy container
    /// with room, if there is one; returns whether it did.
    // Always inlined: the test is all most callers pay (a call cost more).
    #[inline(always)]
    pub(super) fn join_if_room(&mut self, cx: &mut Cx, handle: InvocationHandle, key: KeyId) -> bool {
        // Most dispatches find no busy container with room: no call then.
        !self.state.with_room.is_empty() && self.join_busy(cx, handle, key)
    }

    /// [`Service::join_if_room`] once some busy container has room.
    fn join_busy(&mut self, cx: &mut Cx, handle: InvocationHandle, key: KeyId) -> bool {
        if self.sandbox.granularity != Granularity::PerFunction {
            return false;
        }
        let Some(c) = self.state.room_for(key) else {
            return false;
        };
        if cx.world.invocations.get(handle).is_none() {
            return false;
        }
        let now = cx.world.now();
        self.state.join(&cx.world.registry, c, now);
        let x = &self.state.containers[c.index()];
        let (node, wait) = (x.node, (x.ready_at - now).max(0.0));
        let startup = match wait > 0.0 {
            true => Startup::Container,
            false => Startup::None,
        };
        if let Some(inv) = cx.world.invocations.get_mut(handle) {
            inv.dispatch = Moment::at(now);
            inv.node = Some(node);
            inv.container = Some(c);
            inv.start_kind = Some(StartKind::Warm);
            inv.startup = Some(startup);
        }
        body::start_after(cx, handle, wait);
        true
    }

    /// Starts the waiting invocations that fit in busy containers with
    /// room, in list order; the rest is left to the scheduler.
    // Always inlined: each round of a saturated platform comes here twice,
    // and the test is all it pays (a call cost more).
    #[inline(always)]
    pub(super) fn join_waiting(&mut self, cx: &mut Cx) {
        // Most rounds find no busy container with room: no call then.
        if !self.state.with_room.is_empty() {
            self.join_listed(cx);
        }
    }

    fn join_listed(&mut self, cx: &mut Cx) {
        let candidates: Vec<(usize, InvocationHandle, KeyId)> = self
            .queues
            .queue()
            .iter()
            .filter_map(|(i, p)| match p.waiting {
                Waiting::Invocation(handle) => Some((i, handle, p.key)),
                Waiting::Prewarm(_) => None,
            })
            .collect();
        let mut joined = 0;
        for (i, handle, key) in candidates {
            if self.state.with_room.is_empty() {
                break;
            }
            if self.join_if_room(cx, handle, key) {
                self.queues.dispatched(i as u32);
                joined += 1;
            }
        }
        if joined > 0 {
            self.queues.forget_walk();
            self.queues.forget_dispatched(joined);
        }
    }
}

//! What becomes of a container when its work is over: an invocation ends
//! (its slot is freed, its container goes idle or is shut down), a
//! prewarmed container is ready (an invocation waiting for it starts, or it
//! idles), an idle container's time is up. How long it stays idle is the
//! service's keep-alive policy's answer ([`super::super::policy::keep_alive`]).

use crate::ir::service::Granularity;

use super::super::body;
use super::super::cx::Cx;
use super::super::ids::ContainerId;
use super::super::invocation::InvocationHandle;
use super::super::message::Message;
use super::super::policy::keep_alive::Idle;
use super::super::tag::Tag;
use super::Service;

impl Service {
    /// An invocation's body is over (in success or failure): its container
    /// goes idle and its slot is freed (the run then writes its record).
    pub(super) fn invocation_done(&mut self, cx: &mut Cx, handle: InvocationHandle) {
        let now = cx.world.now();
        let Some(invocation) = cx.world.invocations.get(handle) else {
            return;
        };
        let (node, container) = (invocation.node, invocation.container);
        let node_alive = node.is_none_or(|n| !cx.world.tracker.host_down(self.state.nodes[n.index()].host));
        if let (Some(node), Some(c), true) = (node, container, node_alive) {
            self.state.give_slot(node);
            let settings = &cx.world.settings[self.id.index()];
            let (instance_memory, granularity) = (settings.sandbox.instance_memory, settings.granularity);
            if self.state.containers[c.index()].shared {
                // An instance of a sandbox ends; the sandbox idles once empty.
                self.state.nodes[node.index()].ram_free += instance_memory;
                let x = &mut self.state.containers[c.index()];
                x.instances -= 1;
                if x.instances == 0 {
                    x.idle_since = now;
                    if self.keep_for(c, now) <= 0.0 {
                        let timer = self.state.shut_down(&cx.world.registry, c);
                        cx.world.cancel_timer(timer);
                    } else {
                        self.arm_idle_timer(cx, c);
                    }
                }
            } else {
                self.state.make_idle(c, now);
                if granularity == Granularity::PerInvocation || self.keep_for(c, now) <= 0.0 {
                    let timer = self.state.shut_down(&cx.world.registry, c);
                    cx.world.cancel_timer(timer);
                } else {
                    self.arm_idle_timer(cx, c);
                }
            }
        }
    }

    /// The idle timer of a container fired: the message to deliver when
    /// its idle time is up.
    pub fn idle_timer_fired(&mut self, cx: &mut Cx, c: ContainerId) -> Option<Message> {
        let now = cx.world.now();
        let container = self.state.containers.get_mut(c.index())?;
        container.idle_timer = None;
        if !container.evictable() {
            return None;
        }
        let due = container.idle_since + container.keep_for;
        // Reused since the timer was set, and idle again: wait for the rest
        // of its new idle period (with a margin for float rounding).
        if due > now + 1e-9 * now.max(1.0) {
            let timer = cx.world.timer(due - now, Tag::IdleTimeout(self.id, c));
            self.state.containers[c.index()].idle_timer = timer;
            return None;
        }
        Some(Message::IdleTimeout {
            container: c,
            created: container.created,
            idle_since: container.idle_since,
        })
    }

    /// An idle container's time is up, unless it was reused (or replaced)
    /// since its timer fired.
    pub(super) fn idle_timeout(&mut self, cx: &mut Cx, container: ContainerId, created: u64, idle_since: f64) {
        let c = &self.state.containers[container.index()];
        if c.evictable() && c.created == created && c.idle_since == idle_since {
            let timer = self.state.shut_down(&cx.world.registry, container);
            cx.world.cancel_timer(timer);
        }
    }

    /// Makes sure an idle container's timeout will be checked: a timer is
    /// set unless one is pending already (it then re-arms itself on firing).
    fn arm_idle_timer(&mut self, cx: &mut Cx, c: ContainerId) {
        if self.state.containers[c.index()].idle_timer.is_none() {
            let keep_for = self.state.containers[c.index()].keep_for;
            let timer = cx.world.timer(keep_for, Tag::IdleTimeout(self.id, c));
            self.state.containers[c.index()].idle_timer = timer;
        }
    }

    /// A prewarmed container is ready: an invocation waiting for it starts,
    /// otherwise it becomes idle.
    pub(super) fn prewarm_done(&mut self, cx: &mut Cx, c: ContainerId) {
        let now = cx.world.now();
        let node = self.state.containers[c.index()].node;
        if let Some(i) = self.prewarm_waiters.iter().position(|(wc, _)| *wc == c) {
            let (_, handle) = self.prewarm_waiters.remove(i);
            self.state.make_busy(&cx.world.registry, c, now);
            body::start(cx, handle);
            return;
        }
        self.state.give_slot(node);
        self.state.make_idle(c, now);
        if self.keep_for(c, now) <= 0.0 {
            let timer = self.state.shut_down(&cx.world.registry, c);
            cx.world.cancel_timer(timer);
        } else {
            self.arm_idle_timer(cx, c);
        }
    }

    /// Asks the keep-alive policy how long container `c`, idle from `now`,
    /// stays; the answer is kept with the container for its idle timer.
    fn keep_for(&mut self, c: ContainerId, now: f64) -> f64 {
        let x = &self.state.containers[c.index()];
        let idle = Idle {
            container: c,
            reg: x.reg,
            node: x.node,
            now,
        };
        let keep_for = self.keep_alive.keep_for(&idle);
        self.state.containers[c.index()].keep_for = keep_for;
        keep_for
    }
}

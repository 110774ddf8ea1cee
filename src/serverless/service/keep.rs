//! What becomes of a container when its work is over: an invocation ends
//! (its slot is freed, its container goes idle or is shut down), a
//! prewarmed container is ready (an invocation waiting for it starts, or it
//! idles), an idle container's time is up. How long it stays idle is the
//! service's keep-alive policy's answer ([`super::super::policy::keep_alive`]).

use crate::ir::service::Granularity;

use super::super::body;
use super::super::cx::Cx;
use super::super::ids::{ContainerId, RegId};
use super::super::invocation::InvocationHandle;
use super::super::message::Message;
use super::super::policy::keep_alive::Idle;
use super::super::registry::Registry;
use super::super::state::ServiceState;
use super::super::tag::Tag;
use super::Service;

impl Service {
    /// An invocation's body is over (in success or failure): its container
    /// goes idle and its slot is freed, unless other invocations still run
    /// in it (the run then writes its record).
    // Never inlined into `receive`, for the reason `handle` is not.
    #[inline(never)]
    pub(super) fn invocation_done(&mut self, cx: &mut Cx, handle: InvocationHandle) {
        let now = cx.world.now();
        let Some(invocation) = cx.world.invocations.get(handle) else {
            return;
        };
        let (node, container, reg) = (invocation.node, invocation.container, invocation.reg);
        self.load_changed(cx, reg, -1);
        // Only a run that injects failures has hosts down.
        let tracker = &cx.world.tracker;
        let node_alive = !tracker.enabled || node.is_none_or(|n| !tracker.host_down(self.state.nodes[n.index()].host));
        if let (Some(node), Some(c), true) = (node, container, node_alive) {
            let shared = self.state.containers[c.index()].shared;
            // Others still run in it: it stays busy, and keeps its slot.
            if !shared && !self.state.leave(c) {
                return;
            }
            self.state.give_slot(node);
            let (instance_memory, granularity) = (self.sandbox.instance_memory, self.sandbox.granularity);
            if shared {
                // An instance of a sandbox ends; the sandbox idles once empty.
                self.state.nodes[node.index()].ram_free += instance_memory;
                let x = &mut self.state.containers[c.index()];
                x.instances -= 1;
                if x.instances == 0 {
                    x.idle_since = now;
                    self.keep_or_shut(cx, c, now, false);
                }
            } else {
                self.state.make_idle(c, now);
                if granularity == Granularity::PerInvocation || self.prewarm_instead(cx, c, now) {
                    self.shut(cx, c);
                } else {
                    self.keep_or_shut(cx, c, now, false);
                }
            }
        }
    }

    /// The idle timer of a container fired: the message to deliver when
    /// its idle time is up.
    pub fn idle_timer_fired(&mut self, cx: &mut Cx, c: ContainerId) -> Option<Message> {
        let now = cx.world.now();
        let container = self.state.containers.get_mut(c.index())?;
        container.set_timer(None);
        if !container.evictable() {
            return None;
        }
        let (created, idle_since) = (container.created, container.idle_since);
        let due = idle_since + self.state.keep_for(c);
        // Reused since the timer was set, and idle again: wait for the rest
        // of its new idle period (with a margin for float rounding).
        if due > now + 1e-9 * now.max(1.0) {
            let timer = cx.world.timer(due - now, Tag::IdleTimeout(self.id, c));
            self.state.containers[c.index()].set_timer(timer);
            return None;
        }
        Some(Message::IdleTimeout {
            container: c,
            created,
            idle_since,
        })
    }

    /// An idle container's time is up, unless it was reused (or replaced)
    /// since its timer fired.
    pub(super) fn idle_timeout(&mut self, cx: &mut Cx, container: ContainerId, created: u64, idle_since: f64) {
        let c = &self.state.containers[container.index()];
        if c.evictable() && c.created == created && c.idle_since == idle_since {
            self.shut(cx, container);
        }
    }

    /// Container `c` went idle at `now`: it stays for what the keep-alive
    /// policy answers ([`Service::keep_for`]), or goes at once if that is
    /// nothing. Its timeout will be checked: a timer is set unless one is
    /// pending already (it then re-arms itself on firing).
    // Always inlined: nearly every invocation's end comes here, and a
    // pending timer (the usual case) leaves only tests to run.
    #[inline(always)]
    fn keep_or_shut(&mut self, cx: &mut Cx, c: ContainerId, now: f64, prewarmed: bool) {
        let keep_for = self.keep_for(cx, c, now, prewarmed);
        // Kept for the container's idle timer.
        self.state.set_keep_for(c, keep_for);
        let pending = self.state.containers[c.index()].timer_pending();
        if keep_for <= 0.0 {
            self.shut(cx, c);
            return;
        }
        // An autoscaled container stays until the autoscaler lets it go.
        if !pending && keep_for.is_finite() {
            let timer = cx.world.timer(keep_for, Tag::IdleTimeout(self.id, c));
            self.state.containers[c.index()].set_timer(timer);
        }
    }

    /// Shuts container `c` down now, and cancels its pending timer.
    pub(super) fn shut(&mut self, cx: &mut Cx, c: ContainerId) {
        let timer = self.state.shut_down(&cx.world.registry, c, cx.world.now());
        cx.world.cancel_timer(timer);
    }

    /// A prewarmed container is ready: an invocation waiting for it starts,
    /// otherwise it becomes idle.
    pub(super) fn prewarm_done(&mut self, cx: &mut Cx, c: ContainerId) {
        let now = cx.world.now();
        let container = &mut self.state.containers[c.index()];
        // The start-up's timer, which just fired.
        container.set_timer(None);
        let node = container.node;
        if let Some(handle) = self.prewarm_waiters.remove(&c) {
            self.state.make_busy(&cx.world.registry, c, now);
            body::start(cx, handle);
            return;
        }
        self.state.give_slot(node);
        self.state.make_idle(c, now);
        self.keep_or_shut(cx, c, now, true);
    }

    /// Asks the keep-alive policy how long container `c`, idle from `now`,
    /// stays. With an autoscaler, the autoscaler decides when it goes: it stays.
    // Always inlined: with a fixed window (most runs) the tests are all it
    // costs, where the call cost more (141,185 calls on the 30-minute cut).
    #[inline(always)]
    fn keep_for(&mut self, cx: &mut Cx, c: ContainerId, now: f64, prewarmed: bool) -> f64 {
        if self.autoscaled() {
            f64::INFINITY
        } else if let Some(window) = self.keep_alive.fixed_window() {
            window
        } else {
            self.ask_keep_for(cx, c, now, prewarmed)
        }
    }

    /// [`Service::keep_for`] from the container's own policy.
    fn ask_keep_for(&mut self, cx: &mut Cx, c: ContainerId, now: f64, prewarmed: bool) -> f64 {
        let idle = idle(&self.state, &cx.world.registry, c, now, prewarmed);
        let function = cx.world.registry.get(idle.reg).function;
        let policy = self.keep_alive.of(function);
        let keep_for = policy.keep_for(&idle);
        if let Some(fault) = policy.fault() {
            self.policy_fault(cx, fault);
        }
        keep_for
    }

    /// Asks the keep-alive policy, as an invocation in `c` ends, whether
    /// to unload `c` and prewarm one later; if so, sets the prewarm's timer
    /// (replacing one the function had) and says that `c` goes.
    fn prewarm_instead(&mut self, cx: &mut Cx, c: ContainerId, now: f64) -> bool {
        // A fixed window never prewarms.
        if self.autoscaled() || self.keep_alive.fixed_window().is_some() {
            return false;
        }
        let idle = idle(&self.state, &cx.world.registry, c, now, false);
        let function = cx.world.registry.get(idle.reg).function;
        let reg = idle.reg;
        let policy = self.keep_alive.of(function);
        let window = policy.prewarm_after(&idle);
        if let Some(fault) = policy.fault() {
            self.policy_fault(cx, fault);
        }
        let Some(window) = window else {
            return false;
        };
        let i = reg.index();
        if self.policy_prewarms.len() <= i {
            self.policy_prewarms.resize(i + 1, None);
        }
        if let Some(timer) = self.policy_prewarms[i].take() {
            cx.world.cancel_timer(Some(timer));
        }
        self.policy_prewarms[i] = cx.world.timer(window, Tag::PolicyPrewarm(self.id, reg));
        true
    }

    /// An invocation of `reg` arrived: its keep-alive policy learns of it,
    /// and a prewarm the policy asked for is moot (the arrival starts or
    /// finds its container).
    pub(super) fn arrived(&mut self, cx: &mut Cx, reg: RegId) {
        if self.keep_alive.hears_arrivals() {
            let function = cx.world.registry.get(reg).function;
            self.keep_alive.of(function).arrived(reg, cx.world.now());
        }
        if let Some(timer) = self.policy_prewarms.get_mut(reg.index()).and_then(Option::take) {
            cx.world.cancel_timer(Some(timer));
        }
        self.load_changed(cx, reg, 1);
    }

    /// The timer of a policy's prewarm of `reg` fired (its message follows).
    pub fn policy_prewarm_fired(&mut self, reg: RegId) {
        if let Some(timer) = self.policy_prewarms.get_mut(reg.index()) {
            *timer = None;
        }
    }
}

/// What the keep-alive policy sees of container `c` going idle.
fn idle<'a>(state: &'a ServiceState, registry: &'a Registry, c: ContainerId, now: f64, prewarmed: bool) -> Idle<'a> {
    let x = &state.containers[c.index()];
    Idle {
        container: c,
        reg: x.reg,
        function: &registry.get(x.reg).name,
        node: x.node,
        now,
        prewarmed,
        ram: &x.ram,
    }
}

//! Injected failures (`fail host ... at ...`, `fail link ... at ...`).
//! While a link is down, every transfer crossing it fails; while a host is
//! down, everything using it fails, and a compute node loses its running
//! invocations, its containers and its caches, and takes no work until it
//! is back. A failed image download fails the invocations waiting for it;
//! a failed copy is retried by the scheduler; a body or an input transfer
//! that fails fails its invocation (host failure, or network failure).
//! What is down and which activities use it is the world's tracker
//! ([`super::track`]); this file is what the run does about it.

use crate::engine::HostId;
use crate::ir::platform::FailureTarget;
use crate::ir::service::ServiceId;
use crate::report::Cause;

use super::ids::{FailureId, NodeId, TransferId};
use super::invocation::InvocationHandle;

use super::run::Run;
use super::service::{Message, Transfer};
use super::tag::Tag;

impl Run<'_> {
    /// Schedules the injected failures and recoveries.
    pub(crate) fn schedule_failures(&mut self) {
        for (i, f) in self.world.model.platform.failures.iter().enumerate() {
            self.world.timer(f.at, Tag::Fail(FailureId(i as u32)));
            if let Some(d) = f.duration {
                self.world.timer(f.at + d, Tag::Recover(FailureId(i as u32)));
            }
        }
    }

    /// An injected failure starts (`down`) or ends.
    pub(crate) fn inject(&mut self, failure: FailureId, down: bool) {
        let target = self.world.model.platform.failures[failure.index()].target;
        self.world.tracker.set(target, down);
        if down {
            for (id, tag) in self.world.tracker.take_broken() {
                self.world.engine.cancel(id);
                self.world.fail_later(tag);
            }
        }
        if let (FailureTarget::Link(_), false) = (target, down) {
            // Copies and downloads that failed over the link may succeed now.
            for s in (0..self.services.len() as u32).map(ServiceId) {
                self.deliver(s, Message::Wake);
            }
        }
        if let FailureTarget::Host(h) = target {
            for s in (0..self.services.len() as u32).map(ServiceId) {
                let nodes: Vec<NodeId> = (0..self.services[s.index()].state.nodes.len() as u32)
                    .map(NodeId)
                    .filter(|n| self.services[s.index()].state.nodes[n.index()].host == HostId(h.0))
                    .collect();
                for node in nodes {
                    if down {
                        self.node_down(s, node);
                    } else {
                        self.services[s.index()].state.node_up(node);
                        self.deliver(s, Message::Wake);
                    }
                }
            }
        }
    }

    /// A compute node fails: what runs there fails, its containers and
    /// caches are lost, and it takes no work.
    fn node_down(&mut self, s: ServiceId, node: NodeId) {
        let victims: Vec<InvocationHandle> = self
            .world
            .invocations
            .live()
            .filter(|(_, inv)| inv.service == s && inv.node == Some(node))
            .map(|(h, _)| h)
            .collect();
        for handle in victims {
            let mark = self.out.mark();
            self.bodies().kill(handle, Cause::HostFailure);
            self.process(mark);
        }
        self.prewarm_waiters
            .retain(|(ws, c, _)| !(*ws == s && self.services[s.index()].state.containers[c.index()].node == node));
        let timers = self.services[s.index()].state.node_down(&self.world.registry, node);
        for timer in timers {
            self.world.engine.cancel_timer(timer);
        }
    }

    /// Tells the owners of failed work, one after the other.
    pub(crate) fn failures_due(&mut self) {
        for tag in self.world.tracker.take_due() {
            match tag {
                Tag::Transfer(t) => self.transfer_failed(t),
                Tag::Step(handle) | Tag::Input(handle) | Tag::Payload(handle) => {
                    let mark = self.out.mark();
                    self.bodies().transfer_failed(handle);
                    self.process(mark);
                }
                _ => {}
            }
        }
    }

    /// A download, copy or load did not complete.
    fn transfer_failed(&mut self, t: TransferId) {
        let Some(transfer) = self.transfers.get_mut(t.index()).and_then(Option::take) else {
            return;
        };
        self.free_transfers.push(t);
        match transfer {
            Transfer::Download { service, layer } => self.download_failed(service, layer),
            Transfer::Copy { service, node, layer } => {
                self.deliver(service, Message::CopyDone { node, layer, ok: false });
                let head = self.world.settings[service.index()].head_host;
                self.retry_if_up(service, node, Some(head));
            }
            Transfer::Load { service, node, layer } => {
                self.deliver(service, Message::LoadDone { node, layer, ok: false });
                self.retry_if_up(service, node, None);
            }
        }
    }

    /// No round follows a failed copy or load (as in WRENCH: with its cause
    /// still down, a retry would fail again at once). When what it needed
    /// is up again by now (it recovered at this same date), nothing else
    /// would wake the service: a round retries it.
    fn retry_if_up(&mut self, s: ServiceId, node: NodeId, from: Option<HostId>) {
        let host = self.services[s.index()].state.nodes[node.index()].host;
        let tracker = &self.world.tracker;
        let up = !tracker.host_down(host)
            && from.is_none_or(|src| !tracker.host_down(src) && !tracker.route_down(src, host));
        if up {
            self.deliver(s, Message::Wake);
        }
    }
}

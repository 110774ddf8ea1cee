//! Injected failures (`fail host ... at ...`, `fail link ... at ...`).
//! While a link is down, every transfer crossing it fails; while a host is
//! down, everything using it fails, and a compute node loses its running
//! invocations, its containers and its caches, and takes no work until it
//! is back. A failed image download fails the invocations waiting for it;
//! a failed copy is retried by the scheduler; a body or an input transfer
//! that fails fails its invocation (host failure, or network failure).
//!
//! Activities are tracked (hosts and routes they use) only when the script
//! injects failures, so runs without any pay nothing.

use rustc_hash::FxHashMap;

use crate::engine::{Activity, ActivityId, HostId};
use crate::ir::platform::FailureTarget;
use crate::ir::service::ServiceId;
use crate::report::Cause;

use super::ids::{FailureId, NodeId, TransferId};
use super::invocation::InvocationHandle;

use super::invocation::Doing;
use super::run::Run;
use super::service::{Message, Transfer};
use super::tag::Tag;

/// What an activity in flight uses: the hosts it touches and the routes it crosses.
#[derive(Debug, Clone, Default)]
pub struct Footprint {
    hosts: Vec<HostId>,
    routes: Vec<(HostId, HostId)>,
}

/// Failure bookkeeping of a run.
#[derive(Debug, Default)]
pub struct Failures {
    /// Whether the script injects any failure (nothing is tracked otherwise).
    pub enabled: bool,
    pub host_down: Vec<bool>,
    pub link_down: Vec<bool>,
    /// Links of each declared route, both directions.
    routes: FxHashMap<(HostId, HostId), Vec<u32>>,
    /// Activities in flight and what they use, with their tag.
    pub in_flight: FxHashMap<ActivityId, (Tag, Footprint)>,
    /// Failed work whose owner is told at the next event, by its tag (an
    /// invocation's handle in it finds nothing if something else ended the
    /// invocation first).
    due: Vec<Tag>,
    armed: bool,
}

impl Failures {
    pub fn new(model: &crate::ir::Model) -> Self {
        let platform = &model.platform;
        let mut routes = FxHashMap::default();
        for r in &platform.routes {
            let links: Vec<u32> = r.links.iter().map(|l| l.0).collect();
            routes.insert((HostId(r.a.0), HostId(r.b.0)), links.clone());
            routes.insert((HostId(r.b.0), HostId(r.a.0)), links);
        }
        Failures {
            enabled: !platform.failures.is_empty(),
            host_down: vec![false; platform.hosts.len()],
            link_down: vec![false; platform.links.len()],
            routes,
            ..Failures::default()
        }
    }

    fn route_down(&self, a: HostId, b: HostId) -> bool {
        self.routes
            .get(&(a, b))
            .is_some_and(|links| links.iter().any(|l| self.link_down[*l as usize]))
    }

    /// Whether a footprint uses anything down now.
    fn broken(&self, fp: &Footprint) -> bool {
        fp.hosts.iter().any(|h| self.host_down[h.index()]) || fp.routes.iter().any(|(a, b)| self.route_down(*a, *b))
    }
}

impl Run<'_> {
    /// Schedules the injected failures and recoveries.
    pub(crate) fn schedule_failures(&mut self) {
        for (i, f) in self.model.platform.failures.iter().enumerate() {
            self.timer(f.at, Tag::Fail(FailureId(i as u32)));
            if let Some(d) = f.duration {
                self.timer(f.at + d, Tag::Recover(FailureId(i as u32)));
            }
        }
    }

    /// What an activity uses, from the platform's disks and its steps.
    fn footprint(&self, activity: &Activity, fp: &mut Footprint) {
        let disk_host = |d: crate::engine::DiskId| self.engine.platform().disks()[d.index()].host;
        match activity {
            Activity::Compute { host, .. } => fp.hosts.push(*host),
            Activity::Transfer { src, dst, .. } => {
                fp.hosts.extend([*src, *dst]);
                fp.routes.push((*src, *dst));
            }
            Activity::DiskRead { disk, .. } | Activity::DiskWrite { disk, .. } => fp.hosts.push(disk_host(*disk)),
            Activity::Sleep { .. } => {}
            Activity::Stream { src_disk, dst_host, .. } => {
                let src = disk_host(*src_disk);
                fp.hosts.extend([src, *dst_host]);
                fp.routes.push((src, *dst_host));
            }
            Activity::Sequence(steps) => steps.iter().for_each(|s| self.footprint(s, fp)),
        }
    }

    /// Starts an activity, unless something it needs is down (its owner
    /// then learns of the failure at once).
    pub(crate) fn start_tracked(&mut self, activity: Activity, tag: Tag) -> Option<ActivityId> {
        if !self.failures.enabled {
            return self.start_activity(activity, tag);
        }
        let mut fp = Footprint::default();
        self.footprint(&activity, &mut fp);
        if self.failures.broken(&fp) {
            self.fail_later(tag);
            return None;
        }
        let id = self.start_activity(activity, tag)?;
        self.failures.in_flight.insert(id, (tag, fp));
        Some(id)
    }

    /// Stops an activity started with [`Run::start_tracked`]: it is no
    /// longer watched for failures (a later failure must not reach its tag,
    /// whose invocation slot may hold another invocation by then).
    pub(crate) fn cancel_tracked(&mut self, id: ActivityId) {
        if self.failures.enabled {
            self.failures.in_flight.remove(&id);
        }
        self.engine.cancel(id);
    }

    fn fail_later(&mut self, tag: Tag) {
        self.failures.due.push(tag);
        if !self.failures.armed {
            self.failures.armed = true;
            self.timer(0.0, Tag::FailuresDue);
        }
    }

    /// An injected failure starts (`down`) or ends.
    pub(crate) fn inject(&mut self, failure: FailureId, down: bool) {
        let target = self.model.platform.failures[failure.index()].target;
        match target {
            FailureTarget::Link(l) => self.failures.link_down[l.0 as usize] = down,
            FailureTarget::Host(h) => self.failures.host_down[h.0 as usize] = down,
        }
        if down {
            // Activities using what just failed: in activity order, so the
            // outcome does not depend on the table's layout.
            let mut broken: Vec<(ActivityId, Tag)> = self
                .failures
                .in_flight
                .iter()
                .filter(|(_, (_, fp))| self.failures.broken(fp))
                .map(|(id, (tag, _))| (*id, *tag))
                .collect();
            broken.sort_by_key(|(id, _)| (id.index, id.generation));
            for (id, tag) in broken {
                self.failures.in_flight.remove(&id);
                self.engine.cancel(id);
                self.fail_later(tag);
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
            .invocations
            .live()
            .filter(|(_, inv)| inv.service == s && inv.node == Some(node))
            .map(|(h, _)| h)
            .collect();
        for handle in victims {
            self.kill(handle, Cause::HostFailure);
        }
        self.prewarm_waiters
            .retain(|(ws, c, _)| !(*ws == s && self.services[s.index()].state.containers[c.index()].node == node));
        let timers = self.services[s.index()].state.node_down(&self.registry, node);
        for timer in timers {
            self.engine.cancel_timer(timer);
        }
    }

    /// Ends an invocation in failure now: what it is doing stops, and the
    /// service is told.
    pub(crate) fn kill(&mut self, handle: InvocationHandle, cause: Cause) {
        let now = self.engine.now();
        self.abandon_fetch(handle);
        let Some(inv) = self.invocations.get_mut(handle) else {
            return;
        };
        if inv.cause.is_some() && inv.finish < now {
            return;
        }
        let doing = std::mem::replace(&mut inv.doing, Doing::Nothing);
        let timeout = inv.timeout.take();
        inv.cause = Some(cause);
        inv.finish = now;
        let s = inv.service;
        match doing {
            Doing::Sleeping(timer) => {
                self.engine.cancel_timer(timer);
            }
            Doing::Running(activity) => {
                self.cancel_tracked(activity);
            }
            Doing::Nothing => {}
        }
        if let Some(timer) = timeout {
            self.engine.cancel_timer(timer);
        }
        self.deliver(s, Message::InvocationDone(handle));
    }

    /// Tells the owners of failed work.
    pub(crate) fn failures_due(&mut self) {
        self.failures.armed = false;
        for tag in std::mem::take(&mut self.failures.due) {
            match tag {
                Tag::Transfer(t) => self.transfer_failed(t),
                Tag::Step(handle) | Tag::Input(handle) | Tag::Payload(handle)
                    if self.invocations.get(handle).is_some() =>
                {
                    let on_dead_node = self.invocations.get(handle).is_some_and(|inv| {
                        let node = inv
                            .node
                            .map(|n| self.services[inv.service.index()].state.nodes[n.index()].host);
                        node.is_some_and(|h| self.failures.host_down[h.index()])
                    });
                    let cause = if on_dead_node {
                        Cause::HostFailure
                    } else {
                        Cause::NetworkFailure
                    };
                    let now = self.engine.now();
                    if let Some(inv) = self.invocations.get_mut(handle) {
                        inv.doing = Doing::Nothing;
                        // A body whose transfer failed ends (it sees an
                        // error); one whose host failed just stops.
                        if cause == Cause::NetworkFailure && inv.start.is_some() {
                            inv.end = Some(now);
                        }
                    }
                    self.kill(handle, cause);
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
                let head = self.services[service.index()].settings.head_host;
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
        let up = !self.failures.host_down[host.index()]
            && from.is_none_or(|src| !self.failures.host_down[src.index()] && !self.failures.route_down(src, host));
        if up {
            self.deliver(s, Message::Wake);
        }
    }
}

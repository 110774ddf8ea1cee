//! One serverless service at run time: a single actor with a FIFO mailbox
//! (WRENCH's service), which pays the processing overhead of each request,
//! starts image downloads to the head, calls its scheduler after each
//! message and applies the decisions: evictions, dispatches, layer loads
//! and copies.
//!
//! A service owns its nodes, containers and queues. It is driven by the run,
//! which holds its mailbox loop ([`super::run`]): [`Service::receive`] takes
//! one message, [`Service::after_message`] admits and schedules. Bodies it
//! dispatches start through the body runner; what it tells others (a
//! request accepted, an invocation over) goes out through the outbox.
//!
//! Its work is split by concern: `admit` (requests, the waiting queues,
//! image downloads), `place` (scheduling rounds and dispatches), `room`
//! (layers on nodes, and making room), `join` (invocations that share a
//! busy container, `concurrency`), `keep` (what happens to a container
//! that goes idle, prewarming), `scale` (asking the autoscaler, applying
//! its counts).

mod admit;
mod join;
mod keep;
mod place;
mod queue;
mod room;
mod scale;
mod transfers;

use std::collections::VecDeque;

use indexmap::IndexMap;
use rustc_hash::FxHashMap;

use crate::engine::TimerId;
use crate::ir::platform::DiskRef;
use crate::ir::service::{Granularity, Sandbox, ServiceId};

use super::cx::Cx;
use super::ids::{ContainerId, KeyId, NodeId, RegId};
use super::invocation::InvocationHandle;
use super::message::{Message, Request};
use super::node::{Node, Residency};
use super::platform::{Lowered, host};
use super::policy::autoscaler::{self, Autoscaler};
use super::policy::eviction::{self, Eviction};
use super::policy::expr::Fault;
use super::policy::keep_alive::KeepAlives;
use super::policy::layer_eviction::{self, LayerEviction};
use super::policy::placement::{self, Decisions, Pending, Placement};
use super::policy::{Build, Failure, Policies};
use super::registry::Registry;
use super::settings::{NodePlace, Settings};
use super::state::ServiceState;
use super::tag::Tag;
use crate::report::AdmissionWait;

pub use queue::Queues;
pub use transfers::{Transfer, Transfers};

/// What the run does after a message, once what the message caused is routed.
#[derive(Debug)]
pub enum Next {
    /// The service waits for a request's processing overhead.
    Wait,
    /// Admit new invocations, then run a scheduling round if `true`.
    After(bool),
    /// An invocation is over and the service done with it: its record is
    /// written and its origin told, then the service admits and schedules.
    Finished(InvocationHandle),
    /// A new invocation the image of which is ready: offer it to the
    /// scheduler alone ([`Service::schedule_new`]), then admit.
    Schedule,
}

pub struct Service {
    pub id: ServiceId,
    pub state: ServiceState,
    /// Its policies (see [`super::policy`]).
    pub placement: Box<dyn Placement>,
    keep_alive: KeepAlives,
    eviction: Box<dyn Eviction>,
    layer_eviction: Box<dyn LayerEviction>,
    autoscaler: Box<dyn Autoscaler>,
    /// What autoscaling keeps, when the autoscaler decides anything.
    scaling: Option<Box<scale::Scaling>>,
    /// The messages that came while it was busy, each with its date.
    pub mailbox: VecDeque<(Message, f64)>,
    /// Processing a message, or paying a request's overhead.
    pub busy: bool,
    /// When the message being taken came, if it waited in the mailbox
    /// (else it came now).
    pub came: Option<f64>,
    /// The request whose overhead is being paid, and when it came.
    in_overhead: Option<(Request, f64)>,
    /// How long requests waited for the service before their submission.
    admission: AdmissionWait,
    /// The invocation just accepted, to offer to the scheduler once what
    /// its acceptance caused is routed.
    fresh: Option<Pending>,
    /// What waits for downloads or for the scheduler.
    queues: Queues,
    /// The decisions of the last round, kept for their buffers; boxed so
    /// that taking them out for a round moves a pointer, not the struct.
    decisions: Option<Box<Decisions>>,
    /// Reuse key of each registration (which containers can serve it).
    keys: Vec<KeyId>,
    wake_timer: Option<(f64, TimerId)>,
    /// Whether a request that finds nobody waiting may be placed without a
    /// round when the scheduler answers `place_alone`.
    shortcut: bool,
    /// Whether the placement may claim prewarming containers
    /// (`Placement::claims_prewarming`), asked once.
    claims_prewarming: bool,
    /// Layer downloads, copies and loads in flight.
    transfers: Transfers,
    /// Containers to start ahead of any invocation, by [`super::ids::PrewarmId`].
    prewarms: Vec<RegId>,
    /// The invocation waiting for each claimed prewarming container (one
    /// a container: a claim is one invocation's). Looked up by container
    /// when it is up, not searched: tens of thousands may wait at once.
    prewarm_waiters: FxHashMap<ContainerId, InvocationHandle>,
    /// Per registration, prewarms never started: its keep-alive policy
    /// keeps no container idle (see [`Service::queue_prewarm`]).
    prewarms_not_started: Vec<(RegId, u64)>,
    /// Per registration: the timer of the prewarm its keep-alive policy
    /// asked for, until it fires or an arrival makes it moot.
    policy_prewarms: Vec<Option<TimerId>>,
    /// Its granularity and SAND's costs, and its container start-up: fixed
    /// settings read on every dispatch and completion, kept here rather
    /// than looked up in the run's settings each time.
    sandbox: Sandbox,
    container_startup: f64,
    /// Seconds of processing each request pays before it is accepted.
    overhead: f64,
}

impl Service {
    fn new(
        id: ServiceId,
        mut state: ServiceState,
        build: &Build,
        functions: &[crate::ir::function::Function],
        shortcut: bool,
    ) -> Self {
        let placement = placement::make(build);
        let by_registration = placement.finds_entries_by_registration();
        if placement.watches_slots_given() {
            state.slots_given = Some(crate::serverless::nodeset::NodeSet::new(state.nodes.len()));
        }
        if placement.watches_left_empty() {
            state.left_empty = Some(crate::serverless::nodeset::NodeSet::new(state.nodes.len()));
        }
        Service {
            id,
            state,
            claims_prewarming: placement.claims_prewarming(),
            placement,
            keep_alive: KeepAlives::new(build, functions),
            eviction: eviction::make(&build.service.eviction, build),
            layer_eviction: layer_eviction::make(build),
            autoscaler: autoscaler::make(build),
            scaling: None,
            mailbox: VecDeque::new(),
            busy: false,
            came: None,
            in_overhead: None,
            admission: AdmissionWait::default(),
            fresh: None,
            queues: Queues::new(by_registration),
            decisions: None,
            keys: Vec::new(),
            wake_timer: None,
            shortcut,
            transfers: Transfers::default(),
            prewarms: Vec::new(),
            prewarm_waiters: FxHashMap::default(),
            prewarms_not_started: Vec::new(),
            policy_prewarms: Vec::new(),
            sandbox: build.service.sandbox.clone(),
            container_startup: build.service.container_startup,
            overhead: build.service.processing_overhead,
        }
    }

    /// Whether its containers are application sandboxes (SAND).
    fn sandboxes(&self) -> bool {
        self.sandbox.granularity == Granularity::PerApplication
    }

    /// The service a specification declares, and its fixed settings.
    pub fn build(
        id: ServiceId,
        spec: &crate::ir::service::Service,
        model: &crate::ir::Model,
        lowered: &Lowered,
        shortcut: bool,
        registered: &(Policies, Failure),
    ) -> (Service, Settings) {
        let nodes: Vec<Node> = spec
            .compute
            .iter()
            .map(|h| {
                let ir_host = model.platform.host(*h);
                let disk = &ir_host.disks[0];
                let slots = spec.slots.unwrap_or(ir_host.cores);
                Node {
                    host: host(*h),
                    disk_id: lowered.disk(DiskRef { host: *h, disk: 0 }),
                    name: ir_host.name.clone(),
                    cores: ir_host.cores,
                    slots,
                    free_slots: slots,
                    ram_capacity: ir_host.ram,
                    ram_free: ir_host.ram,
                    ram_peak: 0.0,
                    disk_capacity: disk.size,
                    disk_free: disk.size,
                    disk_read: disk.read,
                    layers: IndexMap::default(),
                    idle: Vec::new(),
                    prewarming: Vec::new(),
                }
            })
            .collect();
        let settings = Settings {
            container_startup: spec.container_startup,
            processing_overhead: spec.processing_overhead,
            image_downloads: spec.image_downloads,
            granularity: spec.sandbox.granularity,
            sandbox: spec.sandbox.clone(),
            bus: spec.bus.clone(),
            data: spec.data.clone(),
            request_payload: spec.request_payload,
            response_payload: spec.response_payload,
            head_host: host(spec.head.host),
            head_disk: lowered.disk(spec.head),
            nodes: nodes
                .iter()
                .map(|n| NodePlace {
                    host: n.host,
                    disk: n.disk_id,
                })
                .collect(),
        };
        let head_capacity = model.platform.disk(spec.head).size;
        let build = Build {
            service: spec,
            nodes: nodes.len(),
            policy: "",
            registered: &registered.0,
            failure: &registered.1,
        };
        let state = ServiceState::new(nodes, &model.images, model.layers.len(), head_capacity);
        (Service::new(id, state, &build, &model.functions, shortcut), settings)
    }

    /// Stops the run on a fault of a policy written in the script, saying
    /// when and for which function or node it was deciding.
    fn policy_fault(&self, cx: &mut Cx, fault: Fault) {
        let mut deciding = Vec::new();
        if let Some(reg) = fault.reg {
            deciding.push(format!("function `{}`", cx.world.registry.get(reg).name));
        }
        if let Some(node) = fault.node {
            deciding.push(format!("node `{}`", self.state.nodes[node.index()].name));
        }
        let message = format!(
            "this policy expression {} at {:.6} s of simulated time{}",
            fault.what,
            fault.now,
            match deciding.is_empty() {
                true => String::new(),
                false => format!(", deciding for {}", deciding.join(" on ")),
            }
        );
        cx.world.fail(super::RunError::Policy(super::policy::PolicyError {
            policy: fault.policy,
            at: fault.now,
            message,
            span: Some(fault.span),
        }));
    }

    /// Asks for one container of `reg` started before any invocation.
    pub fn prewarm(&mut self, reg: RegId) {
        self.prewarms.push(reg);
    }

    /// Which containers serve which registration: its own (per function),
    /// its application's (per application), or none (per invocation).
    /// A service's keys are all of one kind, so they are numbered from 0
    /// either way: the per-key tables are as long as there are keys (with
    /// 17,614 functions of 10,000 applications, 10,000 rows, not 27,614).
    pub fn assign_keys(&mut self, registry: &Registry, granularity: Granularity) {
        let count = registry.all.len() as u32;
        self.keys = (0..count)
            .map(|reg| match granularity {
                Granularity::PerApplication => KeyId(registry.get(RegId(reg)).app),
                _ => KeyId(reg),
            })
            .collect();
        let keys = self.keys.iter().copied().max().unwrap_or_default();
        self.state.ensure_key(keys);
        let mut image_of_key = vec![None; keys.index() + 1];
        self.state.keys_of_one_image = self.keys.iter().enumerate().all(|(reg, key)| {
            let image = registry.get(RegId(reg as u32)).image;
            *image_of_key[key.index()].get_or_insert(image) == image
        });
    }

    // What a coming invocation of a registration reads when it arrives and
    // finds an idle container, brought into the cache in three steps, each
    // reading what the one before brought (the run takes them a few
    // arrivals apart: `Run::prefetch_upcoming`). With thousands of
    // functions each was a cache miss the simulation waited on at the
    // arrival. Hints only: nothing changes, nothing is decided on them.

    /// Step 1: `reg`'s key.
    #[inline(always)]
    pub fn prefetch_key(&self, reg: RegId) {
        if let Some(key) = self.keys.get(reg.index()) {
            crate::cache_hint::prefetch(key);
        }
    }

    /// Step 2: the key's idle nodes, and its row of the idle index.
    #[inline(always)]
    pub fn prefetch_idle_nodes(&self, reg: RegId) {
        if let Some(&key) = self.keys.get(reg.index()) {
            self.state.idle_nodes.prefetch(key);
            self.state.idle_by_key.prefetch_key(key);
        }
    }

    /// Step 3: the first line of the key's lone idle container on its
    /// first node (in node order), if it has one there
    /// ([`super::idle::IdleIndex::first_idle_hint`]).
    #[inline(always)]
    pub fn prefetch_idle_container(&self, reg: RegId) {
        let state = &self.state;
        if let Some(&key) = self.keys.get(reg.index())
            && let Some(c) = state
                .idle_by_key
                .first_idle_hint(key, || state.idle_nodes.get(key)?.first())
            && let Some(container) = state.containers.get(c.index())
        {
            crate::cache_hint::prefetch(container);
        }
    }

    /// Takes one message from the mailbox (the run has marked the service
    /// busy); says what is left to do once what it caused is routed.
    #[inline]
    pub fn receive(&mut self, cx: &mut Cx, message: &Message) -> Next {
        match message {
            Message::Request(request) => {
                if self.overhead > 0.0 && request.local.is_none() {
                    let came = self.came.take().unwrap_or_else(|| cx.world.now());
                    self.in_overhead = Some((*request, came));
                    cx.world.timer(self.overhead, Tag::Overhead(self.id));
                    return Next::Wait;
                }
                self.accept(cx, request)
            }
            // Nearly one message in two: straight to its handler, without
            // the frame of the others'.
            &Message::InvocationDone(handle) => {
                self.queues.stir();
                self.invocation_done(cx, handle);
                Next::Finished(handle)
            }
            other => {
                self.queues.stir();
                self.handle(cx, other)
            }
        }
    }

    /// The overhead of the current request is paid: it is accepted now.
    pub fn overhead_done(&mut self, cx: &mut Cx) -> Option<Next> {
        let (request, came) = self.in_overhead.take()?;
        self.admission.add(cx.world.now() - came);
        Some(self.accept(cx, &request))
    }

    /// How long requests waited before their submission, if the service
    /// has a processing overhead.
    pub fn admission(&self) -> Option<AdmissionWait> {
        (self.overhead > 0.0).then(|| self.admission.summed())
    }

    /// After a message: new invocations go to the download queues, and a
    /// scheduling round runs when the message may have made room. Always
    /// inlined into the run's taking of a message (twice per invocation):
    /// as a call, its frame cost more than its two tests.
    #[inline(always)]
    pub fn after_message(&mut self, cx: &mut Cx, schedule: bool) {
        if !self.queues.new.is_empty() {
            self.admit(cx);
        }
        if schedule {
            self.round(cx);
        }
    }

    /// Handles a message other than a request or an invocation's end; a
    /// scheduling round follows (not after a failed copy or load, as in
    /// WRENCH).
    // Never inlined into `receive`: its frame would be pushed and popped
    // for every request and invocation end too, which `receive` passes on.
    #[inline(never)]
    fn handle(&mut self, cx: &mut Cx, message: &Message) -> Next {
        let now = cx.world.now();
        let registry = &cx.world.registry;
        let schedule = match *message {
            // Requests and invocation ends are taken by `receive`.
            Message::Request(_) | Message::InvocationDone(_) | Message::Wake => true,
            Message::DownloadDone(layer) => {
                self.download_done(cx, layer);
                true
            }
            Message::CopyDone { node, layer, ok } => {
                let n = &mut self.state.nodes[node.index()];
                let slot = n.layer_mut(layer, &mut self.state.next_created);
                if ok {
                    slot.disk = Residency::Present;
                    slot.disk_access = now;
                } else {
                    slot.disk = Residency::Absent;
                    n.disk_free += registry.layer_size[layer.0 as usize];
                    n.prune(layer);
                }
                self.state.refresh_images(registry, node, layer);
                ok
            }
            Message::LoadDone { node, layer, ok } => {
                let n = &mut self.state.nodes[node.index()];
                let slot = n.layer_mut(layer, &mut self.state.next_created);
                if ok {
                    slot.ram = Residency::Present;
                    slot.ram_access = now;
                } else {
                    slot.ram = Residency::Absent;
                    n.ram_free += registry.layer_ram[layer.0 as usize];
                }
                self.state.refresh_images(registry, node, layer);
                ok
            }
            Message::IdleTimeout {
                container,
                created,
                idle_since,
            } => {
                self.idle_timeout(cx, container, created, idle_since);
                true
            }
            Message::PrewarmDone(container) => {
                self.prewarm_done(cx, container);
                true
            }
            Message::Autoscale => {
                self.autoscale(cx);
                true
            }
            Message::PolicyPrewarm(reg) => {
                self.prewarm(reg);
                self.queue_prewarm(cx, self.prewarms.len() - 1, false);
                true
            }
        };
        Next::After(schedule)
    }

    /// The scheduler's wake-up timer fired.
    pub fn woken(&mut self) {
        self.wake_timer = None;
    }

    /// Nothing is left to happen: nothing can place what still waits, and
    /// no queue may keep handles of invocations about to end.
    pub fn forget_waiting(&mut self) {
        self.queues.clear();
    }

    /// The nodes of this service on `host`.
    pub fn nodes_on(&self, host: crate::engine::HostId) -> Vec<NodeId> {
        (0..self.state.nodes.len() as u32)
            .map(NodeId)
            .filter(|n| self.state.nodes[n.index()].host == host)
            .collect()
    }

    /// A compute node failed (what ran there is already over): its
    /// containers and caches are gone, and it takes no work. The next
    /// round walks the whole list: a round resumed from the last walk
    /// (`LastRound::Resumable`) would keep that walk's view of the node,
    /// made while it was up, and could place on it (a copy to the failed
    /// node, dropped, where a full round copied to another node). No
    /// message says the node is down, so none stirs the list.
    pub fn node_down(&mut self, cx: &mut Cx, node: NodeId) {
        self.queues.stir();
        let containers = &self.state.containers;
        self.prewarm_waiters.retain(|c, _| containers[c.index()].node != node);
        for timer in self.state.node_down(&cx.world.registry, node, cx.world.now()) {
            cx.world.engine.cancel_timer(timer);
        }
    }

    /// Per registration, the prewarms never started because its keep-alive
    /// policy keeps no container idle.
    pub fn prewarms_not_started(&self) -> &[(RegId, u64)] {
        &self.prewarms_not_started
    }

    /// A failed node is back, empty.
    pub fn node_up(&mut self, node: NodeId) {
        self.state.node_up(node);
    }
}

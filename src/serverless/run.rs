//! One simulation run: the engine, the services, the arrival sources and
//! the invocations in flight, and the pull loop that routes every engine
//! event to its handler until nothing is left to happen.

use std::collections::VecDeque;
use std::ops::ControlFlow;

use indexmap::IndexMap;

use crate::engine::Engine;
use crate::ir::Model;
use crate::ir::service::{Granularity, ServiceId};
use crate::report::Sink;
use crate::workload::StreamRng;

use super::RunError;
use super::body::Bodies;
use super::feed::Feeds;
use super::ids::{KeyId, PrewarmId, RegId, TransferId};
use super::invocation::{Body, Invocation, InvocationHandle, Origin};
use super::node::Node;
use super::outbox::{Effect, Outbox};
use super::platform::{host, lower};
use super::registry::Registry;
use super::scheduler::{self, Pending, Waiting};
use super::service::{Service, Transfer};
use super::settings::{NodePlace, Settings};
use super::state::ServiceState;
use super::tag::Tag;
use super::workflow::Workflows;
use super::world::World;

/// What a run needs besides the model.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Count and skip bad trace rows instead of stopping.
    pub lenient: bool,
    /// Show a progress line on the terminal.
    pub progress: bool,
    /// Decide every request in a scheduling round, never by the shortcut
    /// for a request placed at once (`Scheduler::place_alone`), which must
    /// give the same run: for tests that check so.
    pub rounds_only: bool,
}

pub struct Run<'m> {
    pub(crate) world: World<'m>,
    pub(crate) services: Vec<Service>,
    pub(crate) transfers: Vec<Option<Transfer>>,
    pub(crate) free_transfers: Vec<TransferId>,
    pub(crate) feeds: Feeds,
    pub(crate) flows: Workflows,
    /// Effects not routed yet.
    pub(crate) out: Outbox,
    /// Prewarm requests: registration and service.
    pub(crate) prewarms: Vec<(RegId, ServiceId)>,
    /// Invocations waiting for a prewarming container: (service, container, invocation).
    pub(crate) prewarm_waiters: Vec<(ServiceId, super::ids::ContainerId, InvocationHandle)>,
    /// Invocations still waiting when nothing was left to happen, per
    /// registration (recorded as `not_run`).
    never_ran: Vec<(RegId, u64)>,
}

impl<'m> Run<'m> {
    pub fn new(model: &'m Model, seed: u64, options: &RunOptions, sink: &'m mut dyn Sink) -> Result<Self, RunError> {
        let (platform, lowered) = lower(&model.platform).map_err(|e| RunError::Platform(e.to_string()))?;
        let engine = Engine::new(platform);
        let mut registry = Registry::new(model);
        let mut services = Vec::new();
        let mut settings = Vec::new();
        for spec in &model.services {
            let nodes: Vec<Node> = spec
                .compute
                .iter()
                .map(|h| {
                    let ir_host = model.platform.host(*h);
                    let disk = &ir_host.disks[0];
                    let slots = spec.slots.unwrap_or(ir_host.cores);
                    Node {
                        host: host(*h),
                        disk_id: lowered.disk(crate::ir::platform::DiskRef { host: *h, disk: 0 }),
                        name: ir_host.name.clone(),
                        cores: ir_host.cores,
                        slots,
                        free_slots: slots,
                        ram_capacity: ir_host.ram,
                        ram_free: ir_host.ram,
                        ram_peak: 0.0,
                        disk_capacity: disk.size,
                        disk_free: disk.size,
                        layers: IndexMap::default(),
                        idle: Vec::new(),
                    }
                })
                .collect();
            let head_capacity = model.platform.disk(spec.head).size;
            let n = nodes.len();
            settings.push(Settings {
                container_startup: spec.container_startup,
                idle_timeout: spec.idle_timeout,
                eviction: spec.eviction,
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
            });
            services.push(Service {
                state: ServiceState::new(nodes, model.images.len(), model.layers.len(), head_capacity),
                scheduler: scheduler::make(&spec.scheduler, n),
                mailbox: VecDeque::new(),
                busy: false,
                in_overhead: None,
                new: VecDeque::new(),
                admitted: IndexMap::new(),
                schedulable: Vec::new(),
                decisions: None,
                keys: Vec::new(),
                wake_timer: None,
                schedulable_start: 0,
                schedulable_dead: 0,
                quiet: false,
                shortcut: !options.rounds_only,
            });
        }
        let feeds = Feeds::new(model, seed, options.lenient, &mut registry)?;
        let mut prewarms = Vec::new();
        for (s, spec) in model.services.iter().enumerate() {
            for (f, count) in &spec.prewarm {
                let reg = registry.declared(model, *f, ServiceId(s as u32));
                for _ in 0..*count {
                    prewarms.push((reg, ServiceId(s as u32)));
                }
            }
        }
        let mut run = Run {
            world: World::new(model, seed, engine, lowered, registry, settings, sink),
            services,
            transfers: Vec::new(),
            free_transfers: Vec::new(),
            feeds,
            flows: Workflows::default(),
            out: Outbox::default(),
            prewarms,
            prewarm_waiters: Vec::new(),
            never_ran: Vec::new(),
        };
        run.assign_keys();
        let names = run.names();
        run.world.begin(&names);
        Ok(run)
    }

    /// Which containers serve which registration: its own (per function),
    /// its application's (per application), or none (per invocation).
    fn assign_keys(&mut self) {
        let count = self.world.registry.all.len() as u32;
        for (service, settings) in self.services.iter_mut().zip(&self.world.settings) {
            service.keys = (0..count)
                .map(|reg| match settings.granularity {
                    Granularity::PerApplication => KeyId(count + self.world.registry.get(RegId(reg)).app),
                    _ => KeyId(reg),
                })
                .collect();
            let keys = service.keys.iter().copied().max().unwrap_or_default();
            service.state.ensure_key(keys);
        }
    }

    /// Names for the records: registrations, services, hosts.
    pub fn names(&self) -> crate::report::Names {
        crate::report::Names {
            functions: self.world.registry.all.iter().map(|r| r.name.clone()).collect(),
            function_services: self.world.registry.all.iter().map(|r| r.service.0).collect(),
            services: self.world.model.services.iter().map(|s| s.name.clone()).collect(),
            hosts: self.world.model.platform.hosts.iter().map(|h| h.name.clone()).collect(),
            workflows: self.world.model.workflows.iter().map(|w| w.name.clone()).collect(),
        }
    }

    /// Runs to the end: until no event is left.
    pub fn run(&mut self) -> Result<(), RunError> {
        self.run_with_progress(&mut |_, _| ControlFlow::Continue(()))
    }

    /// Runs to the end, calling `progress` (simulated date, invocations
    /// submitted) every few tens of thousands of events; the run stops with
    /// [`RunError::Interrupted`] when it answers `Break`.
    pub fn run_with_progress(&mut self, progress: &mut dyn FnMut(f64, u64) -> ControlFlow<()>) -> Result<(), RunError> {
        const EVERY: u32 = 1 << 16;
        let mut countdown = EVERY;
        self.schedule_failures();
        self.start_prewarms();
        for f in self.feeds.ids() {
            self.feeds.start(&mut self.world, &mut self.flows, &mut self.out, f)?;
            self.process(0);
        }
        loop {
            countdown -= 1;
            if countdown == 0 {
                countdown = EVERY;
                if progress(self.world.now(), self.world.next_id).is_break() {
                    return Err(RunError::Interrupted);
                }
            }
            // A replay's arrival goes before the engine's events due at or
            // after it; the engine never moves its clock past it.
            let event = match self.feeds.next_replay_arrival() {
                Some((f, t)) => match self.world.engine.next_event_before(t) {
                    Some(event) => event,
                    None => {
                        self.feeds.replay_arrival(&mut self.world, &mut self.out, f);
                        self.process(0);
                        self.feeds.next_replay(f)?;
                        if let Some(error) = self.world.error.take() {
                            return Err(error);
                        }
                        continue;
                    }
                },
                None => match self.world.engine.next_event() {
                    Some(event) => event,
                    // Nothing is left to happen: what still waits never runs.
                    None if self.abandon_unfinished() => continue,
                    None => break,
                },
            };
            if let (true, crate::engine::EventKind::Completed(id)) = (self.world.tracker.enabled, event.kind) {
                self.world.tracker.forget(id);
            }
            match event.tag {
                Tag::Feed(f) => {
                    self.feeds.fired(&mut self.world, &mut self.flows, &mut self.out, f);
                    self.process(0);
                }
                Tag::Overhead(s) => self.overhead_done(s),
                Tag::SchedulerWake(s) => {
                    self.services[s.index()].wake_timer = None;
                    self.deliver(s, super::service::Message::Wake);
                }
                Tag::Transfer(t) => self.transfer_done(t),
                Tag::Startup(i) => self.bodies().start(i),
                Tag::Step(i) => self.bodies().step_done(i),
                Tag::Timeout(i) => self.bodies().timed_out(i),
                Tag::IdleTimeout(s, c) => self.idle_timer_fired(s, c),
                Tag::PrewarmDone(s, c) => self.deliver(s, super::service::Message::PrewarmDone(c)),
                Tag::Trigger(instance, node) => {
                    self.flows
                        .trigger_delivered(&mut self.world, &mut self.out, instance, node);
                    self.process(0);
                }
                Tag::Input(i) => {
                    self.flows.input_arrived(&mut self.world, &mut self.out, i);
                    self.process(0);
                }
                Tag::Payload(i) => self.bodies().payload_arrived(i),
                Tag::Fail(i) => self.inject(i, true),
                Tag::Recover(i) => self.inject(i, false),
                Tag::FailuresDue => self.failures_due(),
            }
            self.process(0);
            if let Some(error) = self.world.error.take() {
                return Err(error);
            }
        }
        Ok(())
    }

    /// Prewarm requests wait for their image and a node like invocations do.
    fn start_prewarms(&mut self) {
        for index in 0..self.prewarms.len() {
            let (reg, s) = self.prewarms[index];
            let handle = Waiting::Prewarm(PrewarmId(index as u32));
            let image = self.world.registry.get(reg).image;
            if self.services[s.index()]
                .state
                .image_on_head(&self.world.registry, image)
            {
                let pending = self.pending(handle);
                self.services[s.index()].schedulable.push(pending);
                continue;
            }
            let layers = self.world.registry.image_layers[image.0 as usize].clone();
            for layer in layers {
                if self.services[s.index()].state.head_layers[layer.0 as usize] == super::state::HeadLayer::Absent {
                    self.start_download(s, layer, image);
                }
            }
            self.services[s.index()]
                .admitted
                .entry(image)
                .or_default()
                .push_back(handle);
        }
        for s in 0..self.services.len() as u32 {
            self.round(ServiceId(s));
        }
    }

    /// The invocation table entry for an accepted request.
    /// A new invocation's entry; returns its handle and how schedulers see it.
    pub(crate) fn create_invocation(
        &mut self,
        s: ServiceId,
        request: super::service::Request,
    ) -> (InvocationHandle, Pending) {
        let now = self.world.now();
        let id = self.world.next_id;
        self.world.next_id += 1;
        let rng = self
            .world
            .registry
            .get(request.reg)
            .random_body
            .then(|| Box::new(StreamRng::new(request.seed, "body")));
        let handle = self.world.invocations.insert(Invocation {
            id,
            reg: request.reg,
            service: s,
            origin: request.origin,
            submit: now,
            dispatch: None,
            start: None,
            end: None,
            finish: now,
            node: None,
            container: None,
            start_kind: None,
            startup: None,
            cause: None,
            body: Body::new(request.trace_duration, request.trace_memory, rng),
        });
        (
            handle,
            self.pending_for(Waiting::Invocation(handle), id, now, request.reg, s),
        )
    }

    /// How the scheduler sees a waiting invocation or prewarm request.
    pub(crate) fn pending(&self, waiting: Waiting) -> Option<Pending> {
        let (id, submit, reg, service) = match waiting {
            Waiting::Prewarm(p) => {
                let (reg, s) = self.prewarms[p.index()];
                (0, 0.0, reg, s)
            }
            Waiting::Invocation(handle) => {
                let inv = self.world.invocations.get(handle)?;
                (inv.id, inv.submit, inv.reg, inv.service)
            }
        };
        Some(self.pending_for(waiting, id, submit, reg, service))
    }

    fn pending_for(&self, waiting: Waiting, id: u64, submit: f64, reg: RegId, service: ServiceId) -> Pending {
        let r = self.world.registry.get(reg);
        Pending {
            waiting,
            id,
            submit,
            reg,
            key: self.services[service.index()].keys[reg.index()],
            image: r.image,
            ram: r.ram,
            disk: r.disk,
            time_limit: r.time_limit,
        }
    }

    /// An invocation is over: write its record, free its entry, tell its
    /// origin. The entry is read in place (it is large, and most
    /// invocations end here).
    pub(crate) fn finished(&mut self, handle: InvocationHandle) {
        let Some(invocation) = self.world.invocations.get(handle) else {
            return;
        };
        let host = match invocation.node {
            Some(node) => {
                let h = self.services[invocation.service.index()].state.nodes[node.index()].host;
                h.index() as u32
            }
            None => 0,
        };
        let instance = match invocation.origin {
            Origin::Workflow { instance, .. } => self.flows.instance_id(instance),
            _ => None,
        };
        let record = invocation.record(host, instance);
        let (origin, finish) = (invocation.origin, invocation.finish);
        self.world.write(&record);
        match origin {
            Origin::Workflow { instance, node } => {
                if let Some(invocation) = self.world.invocations.remove(handle) {
                    let mark = self.out.mark();
                    self.flows
                        .node_done(&mut self.world, &mut self.out, instance, node, &invocation);
                    self.process(mark);
                }
            }
            origin => {
                self.world.invocations.free(handle);
                let mark = self.out.mark();
                self.feeds
                    .origin_done(&mut self.world, &mut self.flows, &mut self.out, origin, finish);
                self.process(mark);
            }
        }
    }

    /// Invocations still waiting when nothing is left to happen will never
    /// run: each ends as `not_run`, through the same path as any other end
    /// (its workflow instance resolves, its closed-loop user or client goes
    /// on). Returns whether that made anything new happen.
    fn abandon_unfinished(&mut self) -> bool {
        let now = self.world.now();
        let handles: Vec<InvocationHandle> = self.world.invocations.live().map(|(h, _)| h).collect();
        if handles.is_empty() {
            return false;
        }
        // Nothing can place them any more: no queue may keep their handles,
        // which new invocations would reuse.
        for service in &mut self.services {
            service.schedulable.clear();
            service.schedulable_start = 0;
            service.schedulable_dead = 0;
            service.admitted.clear();
            service.new.clear();
        }
        for &h in &handles {
            let Some(inv) = self.world.invocations.get_mut(h) else {
                continue;
            };
            inv.cause = Some(crate::report::Cause::NotRun);
            inv.finish = now;
            let (reg, s) = (inv.reg, inv.service);
            match self.never_ran.iter_mut().find(|(r, _)| *r == reg) {
                Some((_, count)) => *count += 1,
                None => self.never_ran.push((reg, 1)),
            }
            self.deliver(s, super::service::Message::InvocationDone(h));
        }
        self.world.engine.peek_time().is_some() || self.feeds.next_replay_arrival().is_some()
    }

    pub(crate) fn transfer(&mut self, transfer: Transfer) -> TransferId {
        match self.free_transfers.pop() {
            Some(t) => {
                self.transfers[t.index()] = Some(transfer);
                t
            }
            None => {
                self.transfers.push(Some(transfer));
                TransferId((self.transfers.len() - 1) as u32)
            }
        }
    }

    /// Invocations submitted so far.
    pub fn invocations_submitted(&self) -> u64 {
        self.world.next_id
    }

    /// Bus message counts, if any trigger travelled.
    pub fn bus_counts(&self) -> Option<crate::report::BusCounts> {
        let bus = self.flows.bus;
        (bus.local + bus.global > 0).then_some(bus)
    }

    /// A service accepted a request from `origin` (a client goes on).
    pub(crate) fn accepted(&mut self, origin: Origin) {
        let mark = self.out.mark();
        self.feeds
            .accepted(&mut self.world, &mut self.flows, &mut self.out, origin);
        self.process(mark);
    }

    /// The body runner over this run's world.
    pub(crate) fn bodies(&mut self) -> Bodies<'_, 'm> {
        Bodies {
            world: &mut self.world,
            flows: &mut self.flows,
            out: &mut self.out,
        }
    }

    /// Routes the effects pushed since `mark`, each with what it causes
    /// before the next (see [`super::outbox`]).
    pub(crate) fn process(&mut self, mark: usize) {
        self.out.seal(mark);
        while let Some(effect) = self.out.next_above(mark) {
            let inner = self.out.mark();
            self.route(effect);
            self.out.seal(inner);
        }
    }

    fn route(&mut self, effect: Effect) {
        let (world, flows, out) = (&mut self.world, &mut self.flows, &mut self.out);
        match effect {
            Effect::Deliver(s, message) => self.deliver(s, message),
            Effect::Request(request) => self.feeds.request(world, out, request),
            Effect::OriginDone(origin, finish) => self.feeds.origin_done(world, flows, out, origin, finish),
            Effect::NextArrival(f) => self.feeds.next_open(world, f),
            Effect::ClientStep(f) => self.feeds.client_step(world, flows, out, f),
            Effect::RunSteps(handle) => Bodies { world, flows, out }.run_steps(handle),
            Effect::Skipped(instance, node) => flows.skipped(world, out, instance, node),
            Effect::FinishIfDone(instance) => flows.finish_if_done(world, out, instance),
            Effect::Timer(delay, tag) => {
                world.timer(delay, tag);
            }
        }
    }

    /// What went wrong without stopping the run: bad trace rows skipped in
    /// lenient mode, trace functions that can never fit a node (WRENCH
    /// refuses to register them).
    pub fn warnings(&self) -> Vec<String> {
        let skipped = self.feeds.skipped_rows().iter().map(|(path, rows)| {
            let kinds: Vec<String> = rows
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(fault, n)| format!("{n} {}", fault.code()))
                .collect();
            let total = rows.total();
            let s = if total == 1 { "" } else { "s" };
            format!("trace `{path}`: {total} bad row{s} skipped ({})", kinds.join(", "))
        });
        let unfit = self.feeds.unfit()
            .iter()
            .map(|&(reg, count)| {
                let r = self.world.registry.get(reg);
                let service = &self.world.model.services[r.service.index()];
                let node = self.world.model.platform.host(service.compute[0]);
                let (disk, ram) = self.world.registry.image_footprint(r.image);
                format!(
                    "{count} invocations of `{}` failed with cannot_fit: it needs {:.0} MB of RAM and {:.0} MB of disk with its image, nodes of `{}` have {:.0} MB and {:.0} MB",
                    r.name,
                    (ram + r.ram) / 1e6,
                    (disk + r.disk) / 1e6,
                    service.name,
                    node.ram / 1e6,
                    node.disks[0].size / 1e6
                )
            });
        let never_ran = self.never_ran.iter().map(|&(reg, count)| {
            let r = self.world.registry.get(reg);
            let service = &self.world.model.services[r.service.index()].name;
            let s = if count == 1 { "" } else { "s" };
            format!(
                "{count} invocation{s} of `{}` never ran (recorded as not_run): still waiting for an image or a node of `{service}` when nothing else was left to happen",
                r.name
            )
        });
        skipped.chain(unfit).chain(never_ran).collect()
    }

    /// Compute hosts of every service (host index, cores, peak reserved
    /// memory), for the summary. A host in several services sums their peaks.
    pub fn compute_nodes(&self) -> Vec<(u32, u32, f64)> {
        let mut nodes: Vec<(u32, u32, f64)> = Vec::new();
        for service in &self.services {
            for n in &service.state.nodes {
                let h = n.host.index() as u32;
                match nodes.iter_mut().find(|(x, _, _)| *x == h) {
                    Some(entry) => entry.2 += n.ram_peak,
                    None => nodes.push((h, n.cores, n.ram_peak)),
                }
            }
        }
        nodes
    }
}

//! One simulation run: the engine, the services, the arrival sources and
//! the invocations in flight, and the pull loop that routes every engine
//! event to its handler until nothing is left to happen.

use std::collections::VecDeque;
use std::ops::ControlFlow;

use indexmap::IndexMap;

use crate::engine::{Activity, ActivityId, Engine, TimerId};
use crate::ir::Model;
use crate::ir::service::{Granularity, ServiceId};
use crate::ir::workload::Target;
use crate::report::{InvocationRecord, Sink};
use crate::workload::trace::{Prefetched, ReaderOptions, TraceReader};
use crate::workload::{ArrivalSource, StreamRng, random::fnv1a};

use super::RunError;
use super::feed::{Feed, Source};
use super::invocation::{Doing, Invocation, Invocations, Origin};
use super::node::Node;
use super::platform::{Lowered, host, lower};
use super::registry::{RegId, Registry};
use super::scheduler::{self, Pending};
use super::service::{PREWARM_BIT, Service, Settings, Transfer};
use super::state::ServiceState;
use super::tag::Tag;
use super::workflow::Instance;

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
    /// Solve activities sharing one bottleneck as a class from this many
    /// (`Engine::set_class_threshold`) instead of the engine's default:
    /// for tests that compare classes with the general solver.
    pub class_threshold: Option<usize>,
}

pub struct Run<'m> {
    pub(crate) model: &'m Model,
    pub(crate) seed: u64,
    pub(crate) engine: Engine,
    pub(crate) lowered: Lowered,
    pub(crate) registry: Registry,
    pub(crate) services: Vec<Service>,
    pub(crate) invocations: Invocations,
    pub(crate) transfers: Vec<Option<Transfer>>,
    pub(crate) free_transfers: Vec<u32>,
    pub(crate) sources: Vec<Source>,
    /// Indices of the replay sources.
    pub(crate) replays: Vec<u32>,
    pub(crate) instances: Vec<Option<Instance>>,
    /// Workflow instances started so far (their ids in `workflows.csv`).
    pub(crate) next_instance: u64,
    /// Workflow invocations fetching their inputs.
    pub(crate) fetches: rustc_hash::FxHashMap<u32, super::workflow::Fetch>,
    pub(crate) free_instances: Vec<u32>,
    /// Prewarm requests: registration and service.
    pub(crate) prewarms: Vec<(RegId, u32)>,
    /// Invocations waiting for a prewarming container: (service, container, invocation).
    pub(crate) prewarm_waiters: Vec<(u32, u32, u32)>,
    pub(crate) next_id: u64,
    /// Invocations refused, per registration, because it can never fit a node.
    pub(crate) unfit: Vec<(RegId, u64)>,
    /// Invocations still waiting when nothing was left to happen, per
    /// registration (recorded as `not_run`).
    never_ran: Vec<(RegId, u64)>,
    /// Bad rows each lenient replay skipped (its path as written, the counts).
    skipped_rows: Vec<(String, crate::workload::trace::SkippedRows)>,
    /// Workflow triggers sent over the buses.
    pub(crate) bus: crate::report::BusCounts,
    pub(crate) error: Option<RunError>,
    pub(crate) failures: super::failure::Failures,
    sink: &'m mut dyn Sink,
}

impl<'m> Run<'m> {
    pub fn new(model: &'m Model, seed: u64, options: &RunOptions, sink: &'m mut dyn Sink) -> Result<Self, RunError> {
        let (platform, lowered) = lower(&model.platform).map_err(|e| RunError::Platform(e.to_string()))?;
        let mut engine = Engine::new(platform);
        if let Some(activities) = options.class_threshold {
            engine.set_class_threshold(activities);
        }
        let mut registry = Registry::new(model);
        let mut services = Vec::new();
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
            services.push(Service {
                settings: Settings {
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
                },
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
        let mut sources = Vec::new();
        let mut skipped_rows = Vec::new();
        for stream in &model.streams {
            let rng = StreamRng::new(seed, &stream.key);
            let key = fnv1a(stream.key.as_bytes());
            let feed = match ArrivalSource::new(&stream.arrivals, &stream.window, rng) {
                ArrivalSource::Open(arrivals) => Feed::Open {
                    arrivals,
                    target: stream.target,
                    service: stream.service.0,
                    burst: stream.window.burst,
                },
                ArrivalSource::Closed(users) => Feed::Closed {
                    users,
                    target: stream.target,
                    service: stream.service.0,
                },
            };
            sources.push(Source { feed, key, issued: 0 });
        }
        for client in &model.clients {
            sources.push(Source {
                feed: Feed::Client {
                    steps: client.steps.clone(),
                    at: 0,
                    left: 0,
                    outstanding: 0,
                    waiting: false,
                },
                key: fnv1a(client.key.as_bytes()),
                issued: 0,
            });
        }
        for replay in &model.replays {
            let reader = TraceReader::open(
                &replay.format,
                &replay.path,
                &ReaderOptions {
                    seed,
                    stream: replay.key.clone(),
                    lenient: options.lenient,
                },
            )
            .map_err(|e| RunError::Trace(Box::new(e)))?;
            if reader.skipped().total() > 0 {
                skipped_rows.push((replay.path.display().to_string(), reader.skipped().clone()));
            }
            let service = replay.service;
            let spec = &model.services[service.0 as usize];
            let node = model.platform.host(spec.compute[0]);
            let mut regs = Vec::with_capacity(reader.functions().len());
            for info in reader.functions() {
                let name = match &info.app {
                    Some(app) => format!("{app}/{}", info.name),
                    None => info.name.clone(),
                };
                let reg = match replay.template {
                    Some(template) => {
                        let memory = info.memory.as_ref().map(|m| m.value_at(0.5));
                        registry.from_template(model, template, service, name, info.app.as_deref(), memory)
                    }
                    None => match model.functions.iter().position(|f| f.name == info.name && !f.template) {
                        Some(f) => registry.declared(model, crate::ir::function::FunctionId(f as u32), service),
                        None => {
                            // Both are echoed to the terminal: escaped and shortened.
                            return Err(RunError::UnknownTraceFunction {
                                trace: crate::diagnostic::text::quote_path(&replay.path.display().to_string()),
                                function: crate::diagnostic::text::quote(&info.name),
                            });
                        }
                    },
                };
                // A trace giving memory row by row (no per-application
                // curve) sets the RAM limit of the template's function at
                // its first arrival.
                let per_row = replay.template.is_some_and(|t| {
                    model.functions[t.0 as usize].limits.ram == crate::ir::function::Amount::TraceMemory
                }) && info.memory.is_none();
                let fit = if per_row {
                    Fit::Unknown
                } else if fits(&registry, reg, node) {
                    Fit::Yes
                } else {
                    Fit::No
                };
                regs.push((reg, fit));
            }
            sources.push(Source {
                feed: Feed::Replay {
                    reader: Prefetched::start(reader).map_err(RunError::Io)?,
                    regs,
                    service: service.0,
                    next: None,
                },
                key: fnv1a(replay.key.as_bytes()),
                issued: 0,
            });
        }
        // Every declared function that may run is registered before the run,
        // so that names and reuse keys are known.
        for stream in &model.streams {
            register_target(&mut registry, model, stream.target, stream.service);
        }
        for client in &model.clients {
            for step in &client.steps {
                if let crate::ir::workload::ClientStep::Invoke { target, service, .. } = step {
                    register_target(&mut registry, model, *target, *service);
                }
            }
        }
        let mut prewarms = Vec::new();
        for (s, spec) in model.services.iter().enumerate() {
            for (f, count) in &spec.prewarm {
                let reg = registry.declared(model, *f, ServiceId(s as u32));
                for _ in 0..*count {
                    prewarms.push((reg, s as u32));
                }
            }
        }
        let mut run = Run {
            model,
            seed,
            engine,
            lowered,
            registry,
            services,
            invocations: Invocations::default(),
            transfers: Vec::new(),
            free_transfers: Vec::new(),
            replays: (0..sources.len() as u32)
                .filter(|f| matches!(sources[*f as usize].feed, Feed::Replay { .. }))
                .collect(),
            sources,
            instances: Vec::new(),
            next_instance: 0,
            fetches: Default::default(),
            free_instances: Vec::new(),
            prewarms,
            prewarm_waiters: Vec::new(),
            next_id: 0,
            unfit: Vec::new(),
            never_ran: Vec::new(),
            skipped_rows,
            bus: Default::default(),
            error: None,
            failures: super::failure::Failures::new(model),
            sink,
        };
        run.assign_keys();
        let names = run.names();
        run.sink.begin(&names);
        Ok(run)
    }

    /// Which containers serve which registration: its own (per function),
    /// its application's (per application), or none (per invocation).
    fn assign_keys(&mut self) {
        let count = self.registry.all.len();
        for service in &mut self.services {
            service.keys = (0..count as u32)
                .map(|reg| match service.settings.granularity {
                    Granularity::PerApplication => count as u32 + self.registry.get(reg).app,
                    _ => reg,
                })
                .collect();
            let keys = service.keys.iter().copied().max().unwrap_or(0);
            service.state.ensure_key(keys);
        }
    }

    /// Bytes of RAM each registration's invocations are given (its limit;
    /// a trace function's: the memory of its first arrival), what they are
    /// billed for.
    pub fn billed_memory(&self) -> Vec<f64> {
        self.registry.all.iter().map(|r| r.ram).collect()
    }

    /// Names for the records: registrations, services, hosts.
    pub fn names(&self) -> crate::report::Names {
        crate::report::Names {
            functions: self.registry.all.iter().map(|r| r.name.clone()).collect(),
            function_services: self.registry.all.iter().map(|r| r.service.0).collect(),
            services: self.model.services.iter().map(|s| s.name.clone()).collect(),
            hosts: self.model.platform.hosts.iter().map(|h| h.name.clone()).collect(),
            workflows: self.model.workflows.iter().map(|w| w.name.clone()).collect(),
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
        self.start_feeds()?;
        loop {
            countdown -= 1;
            if countdown == 0 {
                countdown = EVERY;
                if progress(self.engine.now(), self.next_id).is_break() {
                    return Err(RunError::Interrupted);
                }
            }
            // A replay's arrival goes before the engine's events due at or
            // after it; the engine never moves its clock past it.
            let event = match self.next_replay_arrival() {
                Some((f, t)) => match self.engine.next_event_before(t) {
                    Some(event) => event,
                    None => {
                        self.replay_arrival(f)?;
                        if let Some(error) = self.error.take() {
                            return Err(error);
                        }
                        continue;
                    }
                },
                None => match self.engine.next_event() {
                    Some(event) => event,
                    // Nothing is left to happen: what still waits never runs.
                    None if self.abandon_unfinished() => continue,
                    None => break,
                },
            };
            if let (true, crate::engine::EventKind::Completed(id)) = (self.failures.enabled, event.kind) {
                self.failures.in_flight.remove(&id);
            }
            match Tag::decode(event.tag) {
                Tag::Feed(f) => self.feed_fired(f)?,
                Tag::Overhead(s) => self.overhead_done(s),
                Tag::SchedulerWake(s) => {
                    self.services[s as usize].wake_timer = None;
                    self.deliver(s, super::service::Message::Wake);
                }
                Tag::Transfer(t) => self.transfer_done(t),
                Tag::Startup(i) => self.start_body(i),
                Tag::Step(i) => self.step_done(i),
                Tag::Timeout(i) => self.timed_out(i),
                Tag::IdleTimeout(s, c) => self.idle_timer_fired(s, c),
                Tag::PrewarmDone(s, c) => self.deliver(s, super::service::Message::PrewarmDone(c)),
                Tag::Trigger(instance, node) => self.trigger_delivered(instance, node),
                Tag::Input(i) => self.input_arrived(i),
                Tag::Payload(i) => self.payload_arrived(i),
                Tag::Fail(i) => self.inject(i, true),
                Tag::Recover(i) => self.inject(i, false),
                Tag::FailuresDue => self.failures_due(),
            }
            if let Some(error) = self.error.take() {
                return Err(error);
            }
        }
        Ok(())
    }

    /// Prewarm requests wait for their image and a node like invocations do.
    fn start_prewarms(&mut self) {
        for index in 0..self.prewarms.len() {
            let (reg, s) = self.prewarms[index];
            let handle = index as u32 | PREWARM_BIT;
            let image = self.registry.get(reg).image;
            if self.services[s as usize].state.image_on_head(&self.registry, image) {
                let pending = self.pending(handle);
                self.services[s as usize].schedulable.push(pending);
                continue;
            }
            let layers = self.registry.image_layers[image.0 as usize].clone();
            for layer in layers {
                if self.services[s as usize].state.head_layers[layer.0 as usize] == super::state::HeadLayer::Absent {
                    self.start_download(s, layer, image);
                }
            }
            self.services[s as usize]
                .admitted
                .entry(image)
                .or_default()
                .push_back(handle);
        }
        for s in 0..self.services.len() as u32 {
            self.round(s);
        }
    }

    /// The invocation table entry for an accepted request.
    /// A new invocation's entry; returns its handle and how schedulers see it.
    pub(crate) fn create_invocation(&mut self, s: u32, request: super::service::Request) -> (u32, Pending) {
        let now = self.engine.now();
        let id = self.next_id;
        self.next_id += 1;
        let rng = self
            .registry
            .get(request.reg)
            .random_body
            .then(|| Box::new(StreamRng::new(request.seed, "body")));
        let handle = self.invocations.insert(Invocation {
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
            step: 0,
            doing: Doing::Nothing,
            timeout: None,
            deadline: None,
            timeout_deferred: false,
            trace_duration: request.trace_duration,
            trace_memory: request.trace_memory,
            rng,
            ingress: 0.0,
            egress: 0.0,
            output: 0.0,
            payload: super::invocation::Payload::None,
        });
        (handle, self.pending_for(handle, id, now, request.reg, s))
    }

    /// How the scheduler sees a waiting invocation or prewarm request.
    pub(crate) fn pending(&self, handle: u32) -> Pending {
        let (id, submit, reg, service) = if handle & PREWARM_BIT != 0 {
            let (reg, s) = self.prewarms[(handle & !PREWARM_BIT) as usize];
            (0, 0.0, reg, s)
        } else {
            match self.invocations.get(handle) {
                Some(inv) => (inv.id, inv.submit, inv.reg, inv.service),
                None => (0, 0.0, 0, 0),
            }
        };
        self.pending_for(handle, id, submit, reg, service)
    }

    fn pending_for(&self, handle: u32, id: u64, submit: f64, reg: RegId, service: u32) -> Pending {
        let r = self.registry.get(reg);
        Pending {
            handle,
            id,
            submit,
            reg,
            key: self.services[service as usize].keys[reg as usize],
            image: r.image,
            ram: r.ram,
            disk: r.disk,
            time_limit: r.time_limit,
        }
    }

    /// An invocation is over: write its record, free its entry, tell its
    /// origin. The entry is read in place (it is large, and most
    /// invocations end here).
    pub(crate) fn finished(&mut self, handle: u32) {
        let Some(invocation) = self.invocations.get(handle) else {
            return;
        };
        let host = match invocation.node {
            Some(node) => {
                let h = self.services[invocation.service as usize].state.nodes[node as usize].host;
                h.index() as u32
            }
            None => 0,
        };
        let record = invocation.record(host, self.instance_id(invocation.origin));
        let (origin, finish) = (invocation.origin, invocation.finish);
        self.write(&record);
        match origin {
            Origin::Workflow { instance, node } => {
                if let Some(invocation) = self.invocations.remove(handle) {
                    self.workflow_node_done(instance, node, &invocation);
                }
            }
            origin => {
                self.invocations.free(handle);
                self.origin_done(origin, finish);
            }
        }
    }

    /// The id (in `workflows.csv`) of the workflow instance an invocation
    /// belongs to, if it does.
    fn instance_id(&self, origin: Origin) -> Option<u64> {
        match origin {
            Origin::Workflow { instance, .. } => self.instances.get(instance as usize)?.as_ref().map(Instance::id),
            _ => None,
        }
    }

    pub(crate) fn sink_workflow(&mut self, record: crate::report::WorkflowRecord) -> std::io::Result<()> {
        self.sink.workflow(record)
    }

    pub(crate) fn sink_edge(&mut self, record: &crate::report::EdgeRecord) {
        if let Err(error) = self.sink.edge(record) {
            self.error.get_or_insert(RunError::Io(error));
        }
    }

    pub(crate) fn write(&mut self, record: &InvocationRecord) {
        if let Err(error) = self.sink.record(record)
            && self.error.is_none()
        {
            self.error = Some(RunError::Io(error));
        }
    }

    /// Invocations still waiting when nothing is left to happen will never
    /// run: each ends as `not_run`, through the same path as any other end
    /// (its workflow instance resolves, its closed-loop user or client goes
    /// on). Returns whether that made anything new happen.
    fn abandon_unfinished(&mut self) -> bool {
        let now = self.engine.now();
        let handles: Vec<u32> = self.invocations.live().map(|(h, _)| h).collect();
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
            let Some(inv) = self.invocations.get_mut(h) else {
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
        self.engine.peek_time().is_some() || self.next_replay_arrival().is_some()
    }

    /// A timer; `None` (with the run's error set) if the engine refuses
    /// the delay, which only a non-finite amount can cause.
    pub(crate) fn timer(&mut self, delay: f64, tag: Tag) -> Option<TimerId> {
        match self.engine.timer(delay.max(0.0), tag.encode()) {
            Ok(id) => Some(id),
            Err(error) => {
                self.error.get_or_insert(RunError::Engine(error.to_string()));
                None
            }
        }
    }

    pub(crate) fn start_activity(&mut self, activity: Activity, tag: Tag) -> Option<ActivityId> {
        match self.engine.start(activity, tag.encode()) {
            Ok(id) => Some(id),
            Err(error) => {
                self.error.get_or_insert(RunError::Engine(error.to_string()));
                None
            }
        }
    }

    pub(crate) fn transfer(&mut self, transfer: Transfer) -> u32 {
        match self.free_transfers.pop() {
            Some(t) => {
                self.transfers[t as usize] = Some(transfer);
                t
            }
            None => {
                self.transfers.push(Some(transfer));
                (self.transfers.len() - 1) as u32
            }
        }
    }

    /// Invocations submitted so far.
    pub fn invocations_submitted(&self) -> u64 {
        self.next_id
    }

    /// Bus message counts, if any trigger travelled.
    pub fn bus_counts(&self) -> Option<crate::report::BusCounts> {
        (self.bus.local + self.bus.global > 0).then_some(self.bus)
    }

    /// What went wrong without stopping the run: bad trace rows skipped in
    /// lenient mode, trace functions that can never fit a node (WRENCH
    /// refuses to register them).
    pub fn warnings(&self) -> Vec<String> {
        let skipped = self.skipped_rows.iter().map(|(path, rows)| {
            let kinds: Vec<String> = rows
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(fault, n)| format!("{n} {}", fault.code()))
                .collect();
            let total = rows.total();
            let s = if total == 1 { "" } else { "s" };
            format!("trace `{path}`: {total} bad row{s} skipped ({})", kinds.join(", "))
        });
        let unfit = self.unfit
            .iter()
            .map(|&(reg, count)| {
                let r = self.registry.get(reg);
                let service = &self.model.services[r.service.0 as usize];
                let node = self.model.platform.host(service.compute[0]);
                let (disk, ram) = self.registry.image_footprint(r.image);
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
            let r = self.registry.get(reg);
            let service = &self.model.services[r.service.0 as usize].name;
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

fn register_target(registry: &mut Registry, model: &Model, target: Target, service: ServiceId) {
    match target {
        Target::Function(f) => {
            registry.declared(model, f, service);
        }
        Target::Workflow(w) => {
            for f in model.workflows[w.0 as usize].graph.node_weights() {
                registry.declared(model, *f, service);
            }
        }
    }
}

/// Whether a trace function fits a node of its service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fit {
    Yes,
    No,
    /// Its RAM limit comes with its first arrival.
    Unknown,
}

/// Whether a registration's image and limits fit a node (WRENCH refuses it otherwise).
pub fn fits(registry: &Registry, reg: RegId, node: &crate::ir::platform::Host) -> bool {
    let r = registry.get(reg);
    let (image_disk, image_ram) = registry.image_footprint(r.image);
    image_disk + r.disk <= node.disks[0].size && image_ram + r.ram <= node.ram
}

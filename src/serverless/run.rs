//! One simulation run, and the one place its components meet: the run owns
//! the world, the services, the arrival feeds and the workflow instances;
//! its pull loop routes every engine event to its owner, routes the
//! effects components push ([`super::outbox`]), and holds each service's
//! mailbox loop. Nothing else calls across components.

use std::collections::HashMap;
use std::ops::ControlFlow;

use crate::engine::Engine;
use crate::ir::Model;
use crate::ir::service::ServiceId;
use crate::report::timeseries::OCCUPANCY_PER_FUNCTION;
use crate::report::{Cause, Sink};

use super::RunError;
use super::body;
use super::cx::Cx;
use super::failure;
use super::feed::Feeds;
use super::ids::{NodeId, SourceId};
use super::invocation::{InvocationHandle, Origin};
use super::message::Message;
use super::outbox::{Effect, Outbox};
use super::platform::lower;
use super::policy::{Failure, Policies};
use super::registry::Registry;
use super::series::{PER_NODE, PER_REG};
use super::service::{Next, Service};
use super::tag::Tag;
use super::workflow::Workflows;
use super::world::World;
use stall::StallWatch;

mod stall;

/// Functions from which a run prepares for arrivals: fewer keep their
/// records (a registration's line, a container's, a key's rows: some 400
/// bytes a function) in a core's cache, and the hints would only cost
/// their instructions (ungated, one interleaved series with 67 functions
/// took some 4 % more CPU).
const PREFETCH_FROM_FUNCTIONS: usize = 1024;

/// Functions a run's warnings name one by one for one kind of trouble
/// (invocations that could not fit, never ran; prewarms never started);
/// the others are counted in one more line.
const LISTED_FUNCTIONS: usize = 10;

// How many arrivals ahead of the pending one a replay's are prepared for,
// by step ([`Run::prefetch_upcoming`]): two arrivals apart (each some
// hundreds of nanoseconds of work), time for a cache miss to be served
// before the next step reads what it brought, and few enough that it is
// still in the cache when its arrival comes.
const KEY_AHEAD: usize = 6;
const IDLE_NODES_AHEAD: usize = 4;
const CONTAINER_AHEAD: usize = 2;

/// What a run needs besides the model.
#[derive(Debug, Clone)]
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
    /// Policies registered under names a script may choose (check the
    /// script with their [`Policies::names`]).
    pub policies: Policies,
    /// The most invocations in flight at once (`--max-in-flight`): past
    /// it the run stops with [`RunError::TooManyInFlight`] rather than
    /// hold a backlog the machine's memory cannot.
    pub max_in_flight: u64,
    /// Values the time series may hold ([`crate::engine::kept_intervals`]):
    /// [`crate::engine::SERIES_CELLS`] but for tests that make a
    /// small run keep few intervals.
    pub series_cells: u64,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            lenient: false,
            progress: false,
            rounds_only: false,
            class_threshold: None,
            policies: Policies::default(),
            max_in_flight: crate::ir::workload::MAX_IN_FLIGHT,
            series_cells: crate::engine::SERIES_CELLS,
        }
    }
}

pub struct Run<'m> {
    world: World<'m>,
    services: Vec<Service>,
    feeds: Feeds,
    flows: Workflows,
    /// Effects not routed yet.
    out: Outbox,
    /// Invocations still waiting when nothing was left to happen, per
    /// registration and whether the run had stalled (recorded as
    /// `not_run`).
    never_ran: Vec<(super::ids::RegId, bool, u64)>,
    /// What the run watches for a stall ([`Run::stalled`]).
    stall: StallWatch,
    /// Whether the run meters its state over time ([`Run::meter`]).
    metering: bool,
    /// Whether replays' coming arrivals are prepared for
    /// ([`Run::prefetch_upcoming`]): with thousands of functions.
    prefetching: bool,
    /// Bytes the bodies of each registration's finished invocations read
    /// and wrote over the network (what a bill counts as transferred).
    transferred: Vec<f64>,
    /// Where a registered policy that cannot decide says so.
    failure: Failure,
    /// Values the time series may hold ([`RunOptions::series_cells`]).
    series_cells: u64,
}

impl<'m> Run<'m> {
    pub fn new(model: &'m Model, seed: u64, options: &RunOptions, sink: &'m mut dyn Sink) -> Result<Self, RunError> {
        let (platform, lowered) = lower(&model.platform).map_err(|e| RunError::Platform(e.to_string()))?;
        let mut engine = Engine::new(platform);
        if let Some(activities) = options.class_threshold {
            engine.set_class_threshold(activities);
        }
        let mut registry = Registry::new(model);
        let registered = (options.policies.clone(), Failure::default());
        let (mut services, settings): (Vec<Service>, Vec<_>) = model
            .services
            .iter()
            .enumerate()
            .map(|(s, spec)| {
                Service::build(
                    ServiceId(s as u32),
                    spec,
                    model,
                    &lowered,
                    !options.rounds_only,
                    &registered,
                )
            })
            .unzip();
        // Registrations in a fixed order: trace functions, what streams and
        // clients invoke, then prewarmed functions.
        let feeds = Feeds::new(model, seed, options.lenient, &mut registry)?;
        for (service, spec) in services.iter_mut().zip(&model.services) {
            for (f, count) in &spec.prewarm {
                let reg = registry.declared(model, *f, service.id);
                for _ in 0..*count {
                    service.prewarm(reg);
                }
            }
        }
        for (service, settings) in services.iter_mut().zip(&settings) {
            service.assign_keys(&registry, settings.granularity);
        }
        let prefetching = registry.all.len() >= PREFETCH_FROM_FUNCTIONS;
        let mut run = Run {
            world: World::new(model, seed, engine, lowered, registry, settings, sink)
                .holding_at_most(options.max_in_flight),
            prefetching,
            services,
            feeds,
            flows: Workflows::default(),
            out: Outbox::default(),
            never_ran: Vec::new(),
            stall: StallWatch::default(),
            metering: false,
            transferred: Vec::new(),
            failure: registered.1,
            series_cells: options.series_cells,
        };
        let names = run.names();
        run.world.begin(&names);
        Ok(run)
    }

    /// Bytes of RAM each registration's invocations are given (its limit;
    /// a trace function's: the largest memory its rows give, or a drawn
    /// memory's first draw), what they are billed for.
    pub fn billed_memory(&self) -> Vec<f64> {
        self.world.registry.all.iter().map(|r| r.ram).collect()
    }

    /// Bytes each registration's bodies read from and wrote to storage
    /// services over the network (indexed like the registry).
    pub fn transferred(&self) -> Vec<f64> {
        let mut all = self.transferred.clone();
        all.resize(self.world.registry.all.len(), 0.0);
        all
    }

    /// Names for the records: registrations, services, hosts.
    pub fn names(&self) -> crate::report::Names {
        let world = &self.world;
        crate::report::Names {
            functions: world.registry.all.iter().map(|r| r.name.clone()).collect(),
            function_services: world.registry.all.iter().map(|r| r.service.0).collect(),
            services: world.model.services.iter().map(|s| s.name.clone()).collect(),
            hosts: world.model.platform.hosts.iter().map(|h| h.name.clone()).collect(),
            workflows: world.model.workflows.iter().map(|w| w.name.clone()).collect(),
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
        let ran = self.events(progress);
        // The records still batched go to the sink, whatever ended the run.
        self.world.flush_records();
        ran?;
        self.stopped()
    }

    /// The run's events, to the end or to what stops it.
    fn events(&mut self, progress: &mut dyn FnMut(f64, u64) -> ControlFlow<()>) -> Result<(), RunError> {
        const EVERY: u32 = 1 << 16;
        let mut countdown = EVERY;
        failure::schedule(&mut self.world);
        // Prewarm requests wait for their image and a node like invocations do.
        for s in 0..self.services.len() {
            let (service, mut cx) = self.service(ServiceId(s as u32));
            service.start_prewarms(&mut cx);
            service.start_autoscaler(&mut cx);
        }
        for s in 0..self.services.len() {
            let (service, mut cx) = self.service(ServiceId(s as u32));
            service.round(&mut cx);
            self.process(0);
        }
        for f in self.feeds.ids() {
            let mut cx = cx(&mut self.world, &mut self.flows, &mut self.out);
            self.feeds.start(&mut cx, f)?;
            self.process(0);
        }
        loop {
            if self.metering {
                self.meter_nodes();
            }
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
                        if let Some((s, message)) = self.feeds.replay_arrival(&mut self.world, f) {
                            self.deliver_inline(s, message);
                        }
                        self.feeds.next_replay(f)?;
                        if self.prefetching {
                            self.prefetch_upcoming(f);
                        }
                        self.stopped()?;
                        continue;
                    }
                },
                None => match self.world.engine.next_event() {
                    Some(event) => event,
                    // Nothing is left to happen: what still waits never runs.
                    None if self.abandon_unfinished(false) => continue,
                    None => {
                        if self.metering {
                            self.meter_nodes();
                        }
                        break;
                    }
                },
            };
            if let (true, crate::engine::EventKind::Completed(id)) = (self.world.tracker.enabled, event.kind) {
                self.world.tracker.forget(id);
            }
            let stalled = self.stalled(event.tag);
            self.event(event.tag);
            self.process(0);
            if stalled {
                // What waits is dropped (invocations end as `not_run`), as
                // when nothing is left to happen; the autoscalers, their
                // load gone, then settle.
                self.stall.reset();
                self.abandon_unfinished(true);
            }
            self.stopped()?;
        }
        Ok(())
    }

    /// Whether the run must stop after an event: an error of its own, or
    /// a registered policy that could not decide. Asked after every event:
    /// the usual answer is two tests, without moving either slot's (large)
    /// value out and back as a `take` does.
    #[inline]
    fn stopped(&mut self) -> Result<(), RunError> {
        if self.world.error.is_none() && !self.failure.is_set() {
            return Ok(());
        }
        self.stop()
    }

    /// What stops the run ([`Run::stopped`]), once something does.
    #[cold]
    #[inline(never)]
    fn stop(&mut self) -> Result<(), RunError> {
        if let Some(error) = self.world.error.take() {
            return Err(error);
        }
        match self.failure.take() {
            Some(failure) => Err(RunError::Policy(failure)),
            None => Ok(()),
        }
    }

    /// Routes an engine event to its owner.
    fn event(&mut self, tag: Tag) {
        let mut cx = cx(&mut self.world, &mut self.flows, &mut self.out);
        match tag {
            Tag::Feed(f) => self.feeds.fired(&mut cx, f),
            Tag::Overhead(s) => self.overhead_done(s),
            Tag::SchedulerWake(s) => {
                self.services[s.index()].woken();
                self.deliver(s, Message::Wake);
            }
            Tag::Transfer(s, t) => {
                let now = cx.world.now();
                if let Some(message) = self.services[s.index()].transfer_done(t, now) {
                    self.deliver(s, message);
                }
            }
            Tag::Startup(i) => body::start(&mut cx, i),
            Tag::Step(i) => body::step_done(&mut cx, i),
            Tag::LastSleep(i) => {
                // The outbox is empty between events (each one's effects
                // are routed before the next): the body's end, its only
                // effect, is delivered as routing would, without its cost.
                debug_assert_eq!(cx.out.mark(), 0);
                if let Some(s) = body::last_sleep_over(&mut cx, i) {
                    self.deliver_inline(s, Message::InvocationDone(i));
                }
            }
            Tag::Timeout(i) => body::timed_out(&mut cx, i),
            Tag::Payload(i) => body::payload_arrived(&mut cx, i),
            Tag::IdleTimeout(s, c) => {
                if let Some(message) = self.services[s.index()].idle_timer_fired(&mut cx, c) {
                    self.deliver(s, message);
                }
            }
            Tag::PrewarmDone(s, c) => self.deliver(s, Message::PrewarmDone(c)),
            Tag::Autoscale(s) => {
                self.services[s.index()].autoscale_fired();
                self.deliver(s, Message::Autoscale);
            }
            Tag::PolicyPrewarm(s, reg) => {
                self.services[s.index()].policy_prewarm_fired(reg);
                self.deliver(s, Message::PolicyPrewarm(reg));
            }
            Tag::Trigger(instance, node) => cx.flows.trigger_delivered(cx.world, cx.out, instance, node),
            Tag::Input(i) => cx.flows.input_arrived(cx.world, cx.out, i),
            Tag::Fail(i) => failure::inject(cx.world, &self.services, cx.out, i, true),
            Tag::Recover(i) => failure::inject(cx.world, &self.services, cx.out, i, false),
            Tag::FailuresDue => failure::due(cx.world, cx.out),
        }
    }

    /// One service, and the context its handlers need.
    fn service(&mut self, s: ServiceId) -> (&mut Service, Cx<'_, 'm>) {
        (
            &mut self.services[s.index()],
            cx(&mut self.world, &mut self.flows, &mut self.out),
        )
    }

    /// Puts a message in a service's mailbox and, unless the service is
    /// busy (it then takes the message in turn), processes it now. Events
    /// due at this same date that are not messages (a body's next step, a
    /// start-up ending) cannot depend on what the service decides, so
    /// handling the message at once orders things as SimGrid does.
    #[inline(never)]
    fn deliver(&mut self, s: ServiceId, message: Message) {
        self.deliver_inline(s, message);
    }

    /// Asks the processor for what replay `f`'s coming arrivals read
    /// first, a few arrivals before each comes: their registration and key
    /// ([`KEY_AHEAD`] arrivals ahead), their key's idle nodes
    /// ([`IDLE_NODES_AHEAD`]), then the idle container they will find
    /// ([`CONTAINER_AHEAD`]), each step reading what the one before brought.
    /// With thousands of functions each was a cache miss the simulation
    /// waited on at the arrival; asked ahead, the waits overlap the work of
    /// the arrivals in between. Hints only: nothing the run decides reads
    /// them.
    #[inline(always)]
    fn prefetch_upcoming(&self, f: SourceId) {
        let Some((s, coming)) = self.feeds.upcoming(f) else {
            return;
        };
        let Some(service) = self.services.get(s.0 as usize) else {
            return;
        };
        if let Some(reg) = coming(KEY_AHEAD) {
            self.world.registry.prefetch(reg);
            service.prefetch_key(reg);
        }
        if let Some(reg) = coming(IDLE_NODES_AHEAD) {
            service.prefetch_idle_nodes(reg);
        }
        if let Some(reg) = coming(CONTAINER_AHEAD) {
            service.prefetch_idle_container(reg);
        }
    }

    /// [`Run::deliver`], inlined where the run loop delivers the two
    /// messages of nearly every invocation (its request, its body's end):
    /// there the message's kind is known, the service's matching on it
    /// folds away, and no frame is pushed for the delivery.
    #[inline(always)]
    fn deliver_inline(&mut self, s: ServiceId, message: Message) {
        let service = &mut self.services[s.index()];
        if service.busy {
            service.mailbox.push_back((message, self.world.now()));
            return;
        }
        // An idle service has emptied its mailbox: the message is next,
        // handled where it lies (a request is large: no copy of it moves
        // through the loop).
        service.busy = true;
        if self.take(s, &message) {
            // Most messages leave the mailbox empty: the service is idle
            // again without entering the mailbox loop.
            let service = &mut self.services[s.index()];
            if service.mailbox.is_empty() {
                service.busy = false;
            } else {
                self.drain(s);
            }
        }
    }

    /// Processes the mailbox's messages until it is empty or a request's
    /// overhead makes the service wait; the service is marked busy. Out
    /// of line: most messages leave the mailbox empty.
    #[inline(never)]
    fn drain(&mut self, s: ServiceId) {
        while let Some((message, came)) = self.services[s.index()].mailbox.pop_front() {
            self.services[s.index()].came = Some(came);
            let taken = self.take(s, &message);
            // Only a request paying its overhead reads the date.
            self.services[s.index()].came = None;
            if !taken {
                return;
            }
        }
        self.services[s.index()].busy = false;
    }

    /// One message taken by its busy service. What it causes is routed
    /// before the service admits and schedules. Returns false when the
    /// service waits for a request's overhead.
    #[inline(always)]
    fn take(&mut self, s: ServiceId, message: &Message) -> bool {
        let mark = self.out.mark();
        let (service, mut cx) = self.service(s);
        let next = service.receive(&mut cx, message);
        if let Next::Wait = next {
            return false;
        }
        self.after(s, next, mark);
        true
    }

    /// The overhead of the current request is paid: accept it, go on.
    fn overhead_done(&mut self, s: ServiceId) {
        let mark = self.out.mark();
        let (service, mut cx) = self.service(s);
        if let Some(next) = service.overhead_done(&mut cx) {
            self.after(s, next, mark);
        }
        self.drain(s);
    }

    /// What follows a message, once what it caused (since `mark`) is routed.
    /// Inlined into each message's taking (twice per invocation): what is
    /// left of it is a few tests, its heavier arms are calls of their own.
    #[inline(always)]
    fn after(&mut self, s: ServiceId, next: Next, mark: usize) {
        self.process(mark);
        let schedule = match next {
            Next::Wait => return,
            Next::After(schedule) => schedule,
            Next::Finished(handle) => {
                self.finished(handle);
                true
            }
            Next::Schedule => self.schedule_new(s, mark),
        };
        let (service, mut cx) = self.service(s);
        service.after_message(&mut cx, schedule);
        self.process(mark);
    }

    /// Routes the effects pushed since `mark`, each with what it causes
    /// before the next (see [`super::outbox`]). Most calls find nothing to
    /// route: that check is all they cost. A lone message (a body's end,
    /// about one per invocation) goes straight to its service, then what
    /// its handling left is routed: the order the loop would give, without
    /// its cost.
    #[inline]
    fn process(&mut self, mark: usize) {
        while self.out.mark() > mark {
            match self.out.take_lone_message(mark) {
                Some((s, message)) => self.deliver(s, message),
                None => self.route_from(mark),
            }
        }
    }

    #[inline(never)]
    fn route_from(&mut self, mark: usize) {
        self.out.seal(mark);
        while let Some(effect) = self.out.next_above(mark) {
            let inner = self.out.mark();
            self.route(effect);
            self.out.seal(inner);
        }
    }

    fn route(&mut self, effect: Effect) {
        let mut cx = cx(&mut self.world, &mut self.flows, &mut self.out);
        match effect {
            Effect::Deliver(s, message) => self.deliver(s, message),
            Effect::Accepted(origin) => self.feeds.accepted(&mut cx, origin),
            Effect::Request(request) => self.feeds.request(cx.world, cx.out, request),
            Effect::OriginDone(origin, finish) => self.feeds.origin_done(&mut cx, origin, finish),
            Effect::NextArrival(f) => self.feeds.next_open(cx.world, f),
            Effect::ClientStep(f) => self.feeds.client_step(&mut cx, f),
            Effect::RunSteps(handle) => body::run_steps(&mut cx, handle),
            Effect::Skipped(instance, node) => cx.flows.skipped(cx.world, cx.out, instance, node),
            Effect::FinishIfDone(instance) => cx.flows.finish_if_done(cx.world, cx.out, instance),
            Effect::Timer(delay, tag) => {
                cx.world.timer(delay, tag);
            }
            Effect::Failed(Tag::Transfer(s, t)) => {
                let (service, mut cx) = self.service(s);
                service.transfer_failed(&mut cx, t);
            }
            Effect::Failed(Tag::Step(h) | Tag::Input(h) | Tag::Payload(h)) => body::transfer_failed(&mut cx, h),
            Effect::Failed(_) => {}
            Effect::NodeDown(s, node) => self.node_down(s, node),
            Effect::NodeUp(s, node) => self.services[s.index()].node_up(node),
        }
    }

    /// A compute node fails: its containers, slots and caches are lost,
    /// then what was placed there fails, one after the other.
    fn node_down(&mut self, s: ServiceId, node: NodeId) {
        let victims: Vec<InvocationHandle> = self
            .world
            .invocations
            .live()
            .filter(|(_, inv)| inv.service == s && inv.node == Some(node))
            .map(|(h, _)| h)
            .collect();
        // The node leaves the service first: each failure below may start
        // a scheduling round, which must not place anything on the node
        // (an invocation placed there would outlive its container, and end
        // into the container's record once reused).
        let (service, mut service_cx) = self.service(s);
        service.node_down(&mut service_cx, node);
        for handle in victims {
            let mark = self.out.mark();
            body::kill(
                &mut cx(&mut self.world, &mut self.flows, &mut self.out),
                handle,
                Cause::HostFailure,
            );
            self.process(mark);
        }
    }

    /// A new invocation whose image is ready is offered to the scheduler
    /// alone; whether a scheduling round follows.
    #[inline(never)]
    fn schedule_new(&mut self, s: ServiceId, mark: usize) -> bool {
        let (service, mut cx) = self.service(s);
        let schedule = service.schedule_new(&mut cx);
        self.process(mark);
        schedule
    }

    /// An invocation is over: write its record, free its entry, tell its
    /// origin. The entry is read in place (it is large, and most
    /// invocations end here), and its record built in place in the batch
    /// for the sink. Out of line: [`Run::after`] is inlined.
    #[inline(never)]
    fn finished(&mut self, handle: InvocationHandle) {
        let world = &mut self.world;
        // One look at the slot: the entry is read, then freed there.
        let Some(ending) = world.invocations.ending(handle) else {
            return;
        };
        let invocation = ending.invocation();
        let host = match invocation.node {
            Some(node) => world.settings[invocation.service.index()].nodes[node.index()]
                .host
                .index() as u32,
            None => 0,
        };
        let instance = match invocation.origin {
            Origin::Workflow { instance, .. } => self.flows.instance_id(instance),
            _ => None,
        };
        let cores = world.registry.get(invocation.reg).cores;
        world.records.push(invocation.record(host, instance, cores));
        let (origin, finish) = (invocation.origin, invocation.finish);
        let moved = invocation.body.moved.as_ref().map_or(0.0, |m| m.ingress + m.egress);
        if moved > 0.0 {
            let reg = invocation.reg.index();
            if self.transferred.len() <= reg {
                self.transferred.resize(reg + 1, 0.0);
            }
            self.transferred[reg] += moved;
        }
        // A workflow's node hands its invocation to its instance.
        let removed = match origin {
            Origin::Workflow { .. } => Some(ending.remove()),
            _ => {
                ending.free();
                None
            }
        };
        self.world.wrote();
        // Nobody waits for an open stream's or a replay's invocation.
        if origin == Origin::Open {
            return;
        }
        let mark = self.out.mark();
        let mut cx = cx(&mut self.world, &mut self.flows, &mut self.out);
        match origin {
            Origin::Workflow { instance, node } => {
                if let Some(invocation) = removed {
                    cx.flows.node_done(cx.world, cx.out, instance, node, &invocation);
                }
            }
            origin => self.feeds.origin_done(&mut cx, origin, finish),
        }
        self.process(mark);
    }

    /// Invocations still waiting when nothing is left to happen (or the run
    /// stalled) will never run: each ends as `not_run`, through the same
    /// path as any other end (its workflow instance resolves, its
    /// closed-loop user or client goes on); prewarm requests still waiting
    /// are dropped. Returns whether that made anything new happen.
    fn abandon_unfinished(&mut self, stalled: bool) -> bool {
        let now = self.world.now();
        // Nothing can place them any more: no queue may keep their handles,
        // which new invocations would reuse, nor prewarm requests (after a
        // stall, what waited is dropped).
        for service in &mut self.services {
            service.forget_waiting();
        }
        let handles: Vec<InvocationHandle> = self.world.invocations.live().map(|(h, _)| h).collect();
        if handles.is_empty() {
            return false;
        }
        for &h in &handles {
            let Some(inv) = self.world.invocations.get_mut(h) else {
                continue;
            };
            inv.cause = Some(Cause::NotRun);
            inv.finish = now;
            let (reg, s) = (inv.reg, inv.service);
            match self.never_ran.iter_mut().find(|(r, st, _)| (*r, *st) == (reg, stalled)) {
                Some((.., count)) => *count += 1,
                None => self.never_ran.push((reg, stalled, 1)),
            }
            self.deliver(s, Message::InvocationDone(h));
        }
        self.world.engine.peek_time().is_some() || self.feeds.next_replay_arrival().is_some()
    }

    /// Meters the run from now on over intervals of `interval` seconds
    /// (`--timeseries`): the load on every capacity, each service's
    /// containers and nodes, and its layer transfers; [`Run::series`]
    /// gives them once the run is over. Called before the run starts.
    /// Returns the intervals kept (`engine::kept_intervals`) for what is
    /// metered per interval: the capacities, each service's nodes and
    /// registrations, each registration's occupancy in the report.
    pub fn meter(&mut self, interval: f64) -> u64 {
        let registrations = self.world.registry.all.len();
        let per_service = |s: &Service| s.state.nodes.len() * PER_NODE + registrations * PER_REG;
        let quantities = self.world.engine.platform().capacities().len()
            + self.services.iter().map(per_service).sum::<usize>()
            + registrations * OCCUPANCY_PER_FUNCTION;
        let kept = crate::engine::kept_intervals(quantities as u64, self.series_cells);
        self.world.engine.meter(interval, kept);
        for service in &mut self.services {
            let nodes = service.state.nodes.len();
            service.state.series = Some(Box::new(super::series::ServiceSeries::new(interval, nodes, kept)));
        }
        self.world.keep_intervals(kept);
        self.metering = true;
        kept
    }

    /// The nodes' RAM and disk in use, from now on. Read at every event:
    /// they change in many places, nodes are few, and the state between
    /// two events holds until the later one, so the means stay exact.
    fn meter_nodes(&mut self) {
        let now = self.world.now();
        for service in &mut self.services {
            let state = &mut service.state;
            if let Some(series) = &mut state.series {
                series.nodes(now, &state.nodes);
            }
        }
    }

    /// What [`Run::meter`] measured, up to the end of the run.
    pub fn series(&mut self) -> Option<crate::report::series::RunSeries> {
        let end = self.world.now();
        let loads = self.world.engine.metered(end)?;
        let services = self
            .services
            .iter_mut()
            .map(|s| s.state.series.take().map(|series| series.finish(end)))
            .collect::<Option<Vec<_>>>()?;
        Some(super::series::run_series(&self.world, &loads, &services))
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

    /// What went wrong without stopping the run: bad trace rows skipped and
    /// what the readers said (functions without the curves their template
    /// needs left out in lenient mode, a selection of more applications
    /// than a trace has), trace functions that can never fit a node (WRENCH
    /// refuses to register them), invocations that never ran, prewarms a
    /// written or registered keep-alive policy made pointless; first, the
    /// checker's warnings of its model (services sharing compute hosts).
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
        let trace_warnings = self.feeds.trace_warnings().iter().cloned();
        let unfit = self.feeds.unfit().iter().map(|&(reg, count)| {
            let r = self.world.registry.get(reg);
            let service = &self.world.model.services[r.service.index()];
            let node = self.world.model.platform.host(service.compute[0]);
            let (disk, ram) = self.world.registry.image_footprint(r.image);
            let s = if count == 1 { "" } else { "s" };
            let line = format!(
                "{count} invocation{s} of `{}` failed with cannot_fit: it needs {:.0} MB of RAM and {:.0} MB of disk with its image, nodes of `{}` have {:.0} MB and {:.0} MB",
                r.name,
                (ram + r.ram) / 1e6,
                (disk + r.disk) / 1e6,
                service.name,
                node.ram / 1e6,
                node.disks[0].size / 1e6
            );
            (line, count)
        });
        let unfit = at_most_listed(unfit, |functions, count| {
            format!(
                "{count} invocations of {functions} more functions failed with cannot_fit, each needing more RAM or disk with its image than a node of its service has (summary.json counts each function's failures)"
            )
        });
        let never_ran = self.never_ran.iter().map(|&(reg, stalled, count)| {
            let r = self.world.registry.get(reg);
            let service = &self.world.model.services[r.service.index()].name;
            let s = if count == 1 { "" } else { "s" };
            let when = if stalled {
                "the run stalled (nothing but autoscalers' rounds or the same layer transfers over and over)"
            } else {
                "nothing else was left to happen"
            };
            let line = format!(
                "{count} invocation{s} of `{}` never ran (recorded as not_run): still waiting for an image or a node of `{service}` when {when}",
                r.name
            );
            (line, count)
        });
        let never_ran = at_most_listed(never_ran, |functions, count| {
            format!(
                "{count} invocations of {functions} more functions never ran (recorded as not_run): still waiting for an image or a node when the run ended or stalled (summary.json counts each function's)"
            )
        });
        let not_started = self
            .services
            .iter()
            .flat_map(|service| service.prewarms_not_started())
            .map(|&(reg, count)| {
                let r = self.world.registry.get(reg);
                let s = if count == 1 { "" } else { "s" };
                let line = format!(
                    "{count} prewarmed container{s} of `{}` never started: its keep-alive policy keeps no container idle, so each would be shut down as soon as it was ready",
                    r.name
                );
                (line, count)
            });
        let not_started = at_most_listed(not_started, |functions, count| {
            format!(
                "{count} prewarmed containers of {functions} more functions never started: their keep-alive policy keeps no container idle"
            )
        });
        self.world
            .model
            .warnings
            .iter()
            .cloned()
            .chain(skipped)
            .chain(trace_warnings)
            .chain(unfit)
            .chain(self.stall_warnings())
            .chain(never_ran)
            .chain(not_started)
            .collect()
    }

    /// Container time per registration (indexed like the registry), with
    /// the containers still up counted to the end of the run.
    pub fn container_use(&self) -> Vec<crate::report::ContainerUse> {
        let now = self.world.now();
        let mut all = vec![crate::report::ContainerUse::default(); self.world.registry.all.len()];
        for service in &self.services {
            for (total, usage) in all.iter_mut().zip(service.state.container_use(now)) {
                total.add(&usage);
            }
        }
        all
    }

    /// How long requests waited for each service before their submission
    /// (`None` for a service without processing overhead).
    pub fn admission(&self) -> Vec<Option<crate::report::AdmissionWait>> {
        self.services.iter().map(Service::admission).collect()
    }

    /// What the autoscalers did per registration (indexed like the
    /// registry; `None` for a service without one).
    pub fn autoscaling(&self) -> Vec<Option<crate::report::AutoscalerUse>> {
        let mut all = vec![None; self.world.registry.all.len()];
        for service in &self.services {
            service.autoscaling(&mut all);
        }
        all
    }

    /// Compute hosts of every service (host index, cores, peak reserved
    /// memory), for the summary. A host in several services sums their peaks.
    pub fn compute_nodes(&self) -> Vec<(u32, u32, f64)> {
        let mut nodes: Vec<(u32, u32, f64)> = Vec::new();
        // Each host's place in `nodes`: a host may be a node of several services.
        let mut place: HashMap<u32, usize> = HashMap::new();
        for service in &self.services {
            for n in &service.state.nodes {
                let h = n.host.index() as u32;
                match place.get(&h) {
                    Some(&at) => nodes[at].2 += n.ram_peak,
                    None => {
                        place.insert(h, nodes.len());
                        nodes.push((h, n.cores, n.ram_peak));
                    }
                }
            }
        }
        nodes
    }
}

/// A handler's context over the run's parts (a function, so that the
/// borrows stay on the fields, apart from the component being called).
fn cx<'a, 'm>(world: &'a mut World<'m>, flows: &'a mut Workflows, out: &'a mut Outbox) -> Cx<'a, 'm> {
    Cx { world, flows, out }
}

/// Warnings said per function, a function a line: at most
/// [`LISTED_FUNCTIONS`] of them, then one line for the others (`rest` of
/// how many functions, with how many invocations), so that a trace of
/// twenty thousand functions failing alike does not print twenty thousand
/// lines.
fn at_most_listed(lines: impl Iterator<Item = (String, u64)>, rest: impl FnOnce(usize, u64) -> String) -> Vec<String> {
    let mut listed = Vec::new();
    let (mut functions, mut count) = (0, 0);
    for (line, n) in lines {
        if listed.len() < LISTED_FUNCTIONS {
            listed.push(line);
        } else {
            functions += 1;
            count += n;
        }
    }
    if functions > 0 {
        listed.push(rest(functions, count));
    }
    listed
}

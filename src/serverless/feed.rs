//! Where invocations come from: open streams (arrival dates drawn ahead),
//! closed-loop users (the next arrival after the previous completion plus
//! a think time), trace replays (read as the simulation advances) and
//! scripted clients. Each source keeps one timer for its next arrival; a
//! replay keeps none (the run compares its next date with the engine's).
//!
//! The component owns its sources; it sends requests to services, starts
//! workflow instances, and goes on after what it sent through the outbox.

mod first_date;
mod names;
mod ready;
mod sizes;

use crate::ir::function::{Amount, FunctionId};
use crate::ir::service::ServiceId;
use crate::ir::workload::{Arguments, ClientStep, Target};
use crate::ir::{Distribution, Model};
use crate::report::{Cause, InvocationRecord};
use crate::workload::trace::{Needs, Opening, Prefetched, ReaderOptions, SkippedRows};
use crate::workload::{ArrivalSource, ClosedLoop, OpenArrivals, Payloads, StreamRng, random::fnv1a};

use super::RunError;
use super::cx::Cx;
use super::ids::{NodeId, RegId, SourceId};
use super::invocation::Origin;
use super::message::{Message, Request};
use super::outbox::{Effect, NodeRequest, Outbox};
use super::registry::Registry;
use super::tag::Tag;
use super::world::World;
use ready::{Admit, Fit, Maker, Need, ReadyArrival, Room};

/// An arrival source.
enum Feed {
    Open {
        arrivals: OpenArrivals,
        target: Target,
        service: ServiceId,
        burst: u64,
        /// What each invocation passes to its body (`with`).
        arguments: Arguments,
    },
    Closed {
        users: ClosedLoop,
        target: Target,
        service: ServiceId,
        arguments: Arguments,
    },
    Replay {
        /// Read ahead and made ready on its own thread; its current
        /// arrival is the pending one.
        reader: Prefetched<ReadyArrival>,
        service: ServiceId,
        /// Its index among the model's replays.
        replay: u32,
        /// The run's warning if the replay has no arrival at all.
        if_empty: Box<str>,
    },
    Client {
        steps: Vec<ClientStep>,
        /// Index of the current step, and requests of it left to send.
        at: usize,
        left: u64,
        /// Invocations (or workflow instances) not finished yet.
        outstanding: u64,
        /// Blocked on `wait` until `outstanding` is 0.
        waiting: bool,
    },
}

/// A source with the seed of its invocations' draws.
struct Source {
    feed: Feed,
    /// Hash of the source's stream key, mixed into per-invocation seeds.
    key: u64,
    /// Invocations issued so far (a replay's are counted where its
    /// arrivals are made ready, [`ready::Maker`]).
    issued: u64,
}

/// Every arrival source of a run.
pub struct Feeds {
    sources: Vec<Source>,
    /// The replay sources.
    replays: Vec<SourceId>,
    /// The replay with the earliest pending arrival, and its date: asked
    /// before every event, so found when a replay's next arrival changes
    /// ([`Feeds::find_soonest`]), not at every ask.
    soonest: Option<(SourceId, f64)>,
    /// Invocations refused, per registration, because it can never fit a node.
    unfit: Vec<(RegId, u64)>,
    /// Bad rows each lenient replay skipped (its path as written, the counts).
    skipped_rows: Vec<(String, SkippedRows)>,
    /// What the replays' readers said of them, each after its path as
    /// written (`trace `azure`: ...`).
    trace_warnings: Vec<String>,
}

impl Feeds {
    /// The sources of the model's streams, clients and replays, opening
    /// each trace and registering what the sources may invoke.
    pub fn new(model: &Model, seed: u64, lenient: bool, registry: &mut Registry) -> Result<Self, RunError> {
        let mut sources = Vec::new();
        let mut skipped_rows = Vec::new();
        let mut trace_warnings = Vec::new();
        for stream in &model.streams {
            let rng = StreamRng::new(seed, &stream.key);
            let key = fnv1a(stream.key.as_bytes());
            let feed = match ArrivalSource::new(&stream.arrivals, &stream.window, rng) {
                ArrivalSource::Open(arrivals) => Feed::Open {
                    arrivals,
                    target: stream.target,
                    service: stream.service,
                    burst: stream.window.burst,
                    arguments: stream.arguments.clone(),
                },
                ArrivalSource::Closed(users) => Feed::Closed {
                    users,
                    target: stream.target,
                    service: stream.service,
                    arguments: stream.arguments.clone(),
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
        // Every trace opens (its scan of every row) on its own reading
        // thread, all at once; each is then waited for in turn.
        let openings = model
            .replays
            .iter()
            .map(|replay| {
                let fields = replay.template.map(|t| model.functions[t.0 as usize].trace_fields());
                let uses = |field| fields.as_ref().is_some_and(|f| f.contains(&field));
                let options = ReaderOptions {
                    seed,
                    stream: replay.key.clone(),
                    lenient,
                    needs: Needs {
                        duration: uses("duration"),
                        memory: uses("memory"),
                    },
                };
                Opening::<Maker>::start(&replay.format, &replay.path, &options).map_err(RunError::Io)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut taken = names::TakenNames::new(model, model.invoked().map(|(t, s, _)| (t, s)));
        for (index, (replay, opening)) in model.replays.iter().zip(openings).enumerate() {
            let opened = opening.opened().map_err(|e| RunError::Trace(Box::new(e)))?;
            let if_empty = first_date::nothing_replayed(replay, &opened.skipped);
            if opened.skipped.total() > 0 {
                skipped_rows.push((replay.path.display().to_string(), opened.skipped));
            }
            let path = replay.path.display();
            trace_warnings.extend(opened.warnings.iter().map(|w| format!("trace `{path}`: {w}")));
            let service = replay.service;
            let spec = &model.services[service.index()];
            let room = Room::of(model.platform.host(spec.compute[0]));
            let mut regs = Vec::with_capacity(opened.functions.len());
            let mut needs = Vec::with_capacity(opened.functions.len());
            let mut renamed = Vec::new();
            let mut sized = Vec::new();
            // A template whose RAM limit is `trace.memory`, of a trace
            // giving memory row by row (no per-application curve).
            let reads_memory = replay
                .template
                .is_some_and(|t| model.functions[t.0 as usize].limits.ram == Amount::TraceMemory);
            for info in &opened.functions {
                let name = match &info.app {
                    Some(app) => format!("{app}/{}", info.name),
                    None => info.name.clone(),
                };
                let per_row = reads_memory && info.memory.is_none();
                let reg = match replay.template {
                    Some(template) => {
                        let unique = taken.take(service, name.clone(), index + 1);
                        let name = if unique == name {
                            name
                        } else {
                            renamed.push((name, unique.clone()));
                            unique
                        };
                        // Rows in several memories: containers of the
                        // largest (`RowMemory`), and the run says so.
                        let rows = info.row_memory.filter(|_| per_row);
                        if let Some(range) = rows.filter(|r| r.smallest < r.largest) {
                            sized.push((name.clone(), range));
                        }
                        let memory = match (&info.memory, rows) {
                            (Some(curve), _) => Some(curve.value_at(0.5)),
                            (None, rows) => rows.map(|r| r.largest),
                        };
                        registry.from_template(model, template, service, name, info.app.as_deref(), memory)
                    }
                    None => match model.functions.iter().position(|f| f.name == info.name && !f.template) {
                        Some(f) => registry.declared(model, FunctionId(f as u32), service),
                        None => {
                            // Both are echoed to the terminal: escaped and shortened.
                            return Err(RunError::UnknownTraceFunction {
                                trace: crate::diagnostic::text::quote_path(&replay.path.display().to_string()),
                                function: crate::diagnostic::text::quote(&info.name),
                            });
                        }
                    },
                };
                // WRENCH refuses the registration of one that does not fit.
                let (fit, need) = if per_row && info.row_memory.is_none() {
                    // Memories drawn, not read: the first arrival's sets
                    // the RAM limit.
                    (Fit::AtFirstArrival, Need::of(registry, reg))
                } else if fits(registry, reg, room) {
                    (Fit::Yes, Need::NOTHING)
                } else {
                    (Fit::No, Need::NOTHING)
                };
                regs.push((reg, fit));
                needs.push(need);
            }
            if !sized.is_empty() {
                let path = replay.path.display().to_string();
                trace_warnings.push(sizes::largest_memory_warning(&path, &sized));
            }
            if !renamed.is_empty() {
                let path = replay.path.display().to_string();
                trace_warnings.push(names::renamed_warning(&path, &spec.name, index + 1, &renamed));
            }
            let key = fnv1a(replay.key.as_bytes());
            // Each arrival's registration, fit and seed, made on the reading
            // thread: the replay's seeds are drawn by nothing else.
            sources.push(Source {
                feed: Feed::Replay {
                    reader: opening.read(Maker::new(regs, needs, room, seed ^ key)),
                    service,
                    replay: index as u32,
                    if_empty: if_empty.into(),
                },
                key,
                issued: 0,
            });
        }
        // Every declared function that may run is registered before the run,
        // so that names and reuse keys are known.
        for (target, service, memory) in model.invoked() {
            register_target(registry, model, target, service, memory);
        }
        let replays = (0..sources.len() as u32)
            .map(SourceId)
            .filter(|f| matches!(sources[f.index()].feed, Feed::Replay { .. }))
            .collect();
        Ok(Feeds {
            sources,
            replays,
            soonest: None,
            unfit: Vec::new(),
            skipped_rows,
            trace_warnings,
        })
    }

    /// Every source, in order.
    pub fn ids(&self) -> impl Iterator<Item = SourceId> + use<> {
        (0..self.sources.len() as u32).map(SourceId)
    }

    /// Sets a source going at time 0.
    pub fn start(&mut self, cx: &mut Cx, f: SourceId) -> Result<(), RunError> {
        match &mut self.sources[f.index()].feed {
            Feed::Open { .. } => self.next_open(cx.world, f),
            Feed::Closed { users, .. } => {
                let firsts: Vec<f64> = (0..users.users())
                    .filter_map(|_| users.first().map(|a| a.time))
                    .collect();
                for t in firsts {
                    cx.world.timer(t, Tag::Feed(f));
                }
            }
            Feed::Replay { .. } => {
                self.next_replay(f)?;
                if let Feed::Replay {
                    reader,
                    replay,
                    if_empty,
                    ..
                } = &self.sources[f.index()].feed
                {
                    match reader.current() {
                        None => self.trace_warnings.push(if_empty.to_string()),
                        Some(first) => {
                            let index = *replay as usize;
                            if let Some((message, help)) =
                                first_date::epoch_dates(&cx.world.model.replays[index], first.time)
                            {
                                return Err(RunError::EpochDates {
                                    replay: index,
                                    message,
                                    help,
                                });
                            }
                        }
                    }
                }
            }
            Feed::Client { .. } => self.client_step(cx, f),
        }
        Ok(())
    }

    /// A source's timer fired.
    pub fn fired(&mut self, cx: &mut Cx, f: SourceId) {
        match &mut self.sources[f.index()].feed {
            Feed::Open {
                target, service, burst, ..
            } => {
                let (target, service, burst) = (*target, *service, *burst);
                for _ in 0..burst {
                    let given = self.draw(cx.world, f);
                    self.submit(cx, f, target, service, Origin::Open, given);
                }
                // Its timer after what the burst started.
                cx.out.push(Effect::NextArrival(f));
            }
            Feed::Closed { target, service, .. } => {
                let (target, service) = (*target, *service);
                let given = self.draw(cx.world, f);
                self.submit(cx, f, target, service, Origin::Closed(f), given);
            }
            // Replays are fed by the run loop directly (`replay_arrival`).
            Feed::Replay { .. } => {}
            Feed::Client { .. } => self.client_step(cx, f),
        }
    }

    /// Sets an open stream's timer for its next arrival.
    pub fn next_open(&mut self, world: &mut World, f: SourceId) {
        let now = world.now();
        if let Feed::Open { arrivals, burst, .. } = &mut self.sources[f.index()].feed
            && let Some(a) = arrivals.next()
        {
            *burst = a.burst;
            world.timer((a.time - now).max(0.0), Tag::Feed(f));
        }
    }

    /// Reads a replay's next arrival. Replays use no timer: the run loop
    /// compares their next dates with the engine's (the highest-volume
    /// source saves an event per invocation).
    pub fn next_replay(&mut self, f: SourceId) -> Result<(), RunError> {
        if let Feed::Replay { reader, .. } = &mut self.sources[f.index()].feed {
            let trace = |error| RunError::Trace(Box::new(error));
            reader.advance().map_err(trace)?;
            let mut next = reader.current();
            // An arrival's payload sizes, if it has any, are the item after it.
            if next.is_some_and(ReadyArrival::is_payloads) {
                reader.advance().map_err(trace)?;
                next = reader.current();
            }
            // A lone replay (the usual case): its next arrival is the soonest.
            if self.replays.len() == 1 {
                self.soonest = next.map(|a| (f, a.time));
                return Ok(());
            }
        }
        self.find_soonest();
        Ok(())
    }

    /// Replay `f`'s service, and the functions of its pending arrival and
    /// of those after it already read (the run prepares the processor's
    /// caches for them); `None` for another source. An arrival's payload
    /// item is among them as an arrival of the same function.
    #[inline]
    pub fn upcoming(&self, f: SourceId) -> Option<(ServiceId, impl Fn(usize) -> Option<RegId>)> {
        match &self.sources[f.index()].feed {
            Feed::Replay { reader, service, .. } => {
                let coming = reader.coming();
                Some((*service, move |n: usize| coming.get(n).map(|a| a.reg)))
            }
            _ => None,
        }
    }

    /// The replay with the earliest pending arrival, and its date.
    #[inline]
    pub fn next_replay_arrival(&self) -> Option<(SourceId, f64)> {
        self.soonest
    }

    /// Finds the replay with the earliest pending arrival again, after one
    /// of several changed.
    fn find_soonest(&mut self) {
        self.soonest = self
            .replays
            .iter()
            .filter_map(|&f| match &self.sources[f.index()].feed {
                Feed::Replay { reader, .. } => reader.current().map(|a| (f, a.time)),
                _ => None,
            })
            .min_by(|a, b| a.1.total_cmp(&b.1));
    }

    /// Submits a replay's pending arrival (the clock is at its date): the
    /// request for its service, which the caller delivers (the commonest
    /// arrival goes straight to its service); the caller then moves to the
    /// next arrival ([`Feeds::next_replay`]), which also finds the soonest
    /// replay again: until then [`Feeds::next_replay_arrival`] still names
    /// this one (nothing asks in between).
    pub fn replay_arrival(&mut self, world: &mut World, f: SourceId) -> Option<(ServiceId, Message)> {
        let Feed::Replay { reader, service, .. } = &self.sources[f.index()].feed else {
            return None;
        };
        let (service, arrival) = (*service, *reader.current()?);
        let payloads = arrival.payloads(reader.following());
        if arrival.sets_ram() {
            let ram = arrival.memory().unwrap_or(0.0);
            world.registry.set_ram(world.model, arrival.reg, ram);
        }
        match arrival.admit() {
            Admit::CannotFit => {
                self.cannot_fit(world, service, arrival.reg);
                None
            }
            Admit::Run { seed } => {
                let given = Given {
                    seed,
                    duration: arrival.duration(),
                    memory: arrival.memory(),
                    payloads,
                };
                Some((service, message(arrival.reg, Origin::Open, given, None)))
            }
        }
    }

    /// What source `f`'s next invocation is given: its seed, and the
    /// values of its stream's `with`, drawn.
    fn draw(&mut self, world: &World, f: SourceId) -> Given {
        let seed = self.next_seed(world, f);
        match &self.sources[f.index()].feed {
            Feed::Open { arguments, .. } | Feed::Closed { arguments, .. } => Given::drawn(arguments, seed),
            _ => Given::only(seed),
        }
    }

    /// Sends one invocation of `target` (a function or a workflow) from
    /// source `f`, passing `given` to
    /// its body.
    fn submit(&mut self, cx: &mut Cx, f: SourceId, target: Target, service: ServiceId, origin: Origin, given: Given) {
        match target {
            Target::Function(function) => {
                let reg = cx
                    .world
                    .registry
                    .argued(cx.world.model, function, service, given.memory);
                // A RAM limit no node has fails at once, as a trace function's does.
                if given.memory.is_some() {
                    let node = cx
                        .world
                        .model
                        .platform
                        .host(cx.world.model.services[service.index()].compute[0]);
                    if !fits(&cx.world.registry, reg, Room::of(node)) {
                        self.cannot_fit(cx.world, service, reg);
                        // Its source goes on as after an answer: a client
                        // with its next step (on a timer, not by recursion),
                        // a closed-loop user after its think time.
                        match origin {
                            Origin::Client(c) => {
                                cx.world.timer(0.0, Tag::Feed(c));
                            }
                            _ => self.origin_done(cx, origin, cx.world.now()),
                        }
                        return;
                    }
                }
                let message = message(reg, origin, given, None);
                cx.out.push(Effect::Deliver(service, message));
            }
            Target::Workflow(w) => {
                cx.flows.start(cx.world, cx.out, f, given.seed, w, service, origin);
            }
        }
    }

    /// A workflow node's request, bound to a node when it came over a local bus.
    pub fn request(&mut self, world: &mut World, out: &mut Outbox, r: NodeRequest) {
        let given = Given::only(self.next_seed(world, r.source));
        let message = message(r.reg, r.origin, given, r.local);
        out.push(Effect::Deliver(r.service, message));
    }

    /// The seed of the next draws made for source `f`.
    fn next_seed(&mut self, world: &World, f: SourceId) -> u64 {
        let source = &mut self.sources[f.index()];
        source.issued += 1;
        mix(world.seed ^ source.key, source.issued)
    }

    /// A service accepted a request: a client sends its next one.
    pub fn accepted(&mut self, cx: &mut Cx, origin: Origin) {
        if let Origin::Client(f) = origin {
            if let Feed::Client { outstanding, .. } = &mut self.sources[f.index()].feed {
                *outstanding += 1;
            }
            self.client_step(cx, f);
        }
    }

    /// An invocation (or workflow instance) of `origin` ended at `finish`.
    pub fn origin_done(&mut self, cx: &mut Cx, origin: Origin, finish: f64) {
        match origin {
            Origin::Open => {}
            Origin::Closed(f) => {
                let now = cx.world.now();
                if let Feed::Closed { users, .. } = &mut self.sources[f.index()].feed
                    && let Some(a) = users.next_after(finish)
                {
                    cx.world.timer((a.time - now).max(0.0), Tag::Feed(f));
                }
            }
            Origin::Client(f) => {
                if let Feed::Client {
                    outstanding, waiting, ..
                } = &mut self.sources[f.index()].feed
                {
                    *outstanding = outstanding.saturating_sub(1);
                    if *waiting && *outstanding == 0 {
                        *waiting = false;
                        self.client_step(cx, f);
                    }
                }
            }
            // Workflow nodes report to their instance.
            Origin::Workflow { .. } => {}
        }
    }

    /// Runs a client's script until it blocks (on a sleep, a request's
    /// acceptance, or a wait), or has started a workflow instance (it goes
    /// on after what the instance started, by an effect).
    pub fn client_step(&mut self, cx: &mut Cx, f: SourceId) {
        loop {
            let Feed::Client {
                steps,
                at,
                left,
                outstanding,
                waiting,
            } = &mut self.sources[f.index()].feed
            else {
                return;
            };
            if *waiting {
                return;
            }
            let Some(step) = steps.get(*at).cloned() else {
                return;
            };
            match step {
                ClientStep::Invoke {
                    target,
                    service,
                    count,
                    arguments,
                } => {
                    if *left == 0 {
                        *left = count;
                    }
                    *left -= 1;
                    if *left == 0 {
                        *at += 1;
                    }
                    if let Target::Workflow(_) = target {
                        *outstanding += 1;
                    }
                    let given = Given::drawn(&arguments, self.next_seed(cx.world, f));
                    self.submit(cx, f, target, service, Origin::Client(f), given);
                    if let Target::Workflow(_) = target {
                        cx.out.push(Effect::ClientStep(f));
                    }
                    // A function's request: the client goes on once the
                    // service accepts it.
                    return;
                }
                ClientStep::Wait => {
                    *at += 1;
                    if *outstanding > 0 {
                        *waiting = true;
                        return;
                    }
                }
                ClientStep::Sleep(seconds) => {
                    *at += 1;
                    cx.world.timer(seconds, Tag::Feed(f));
                    return;
                }
            }
        }
    }

    /// A trace function too large for the service's nodes: its invocations
    /// fail at once (WRENCH refuses such a registration).
    fn cannot_fit(&mut self, world: &mut World, service: ServiceId, reg: RegId) {
        let now = world.now();
        match self.unfit.iter_mut().find(|(r, _)| *r == reg) {
            Some((_, n)) => *n += 1,
            None => self.unfit.push((reg, 1)),
        }
        let id = world.next_id;
        world.next_id += 1;
        let record = InvocationRecord {
            id,
            function: reg.0,
            service: service.0,
            submit: now,
            dispatch: None,
            start: None,
            end: None,
            finish: now,
            node: None,
            cause: Some(Cause::CannotFit),
            start_kind: None,
            instance: None,
            startup: None,
            cores: world.registry.get(reg).cores,
        };
        world.write(record);
    }

    /// Invocations refused because they can never fit, per registration.
    pub fn unfit(&self) -> &[(RegId, u64)] {
        &self.unfit
    }

    /// Bad rows each lenient replay skipped.
    pub fn skipped_rows(&self) -> &[(String, SkippedRows)] {
        &self.skipped_rows
    }

    /// What the replays' readers said of them, for the run's warnings.
    pub fn trace_warnings(&self) -> &[String] {
        &self.trace_warnings
    }
}

fn register_target(registry: &mut Registry, model: &Model, target: Target, service: ServiceId, memory: Option<f64>) {
    match target {
        Target::Function(f) => {
            registry.argued(model, f, service, memory);
        }
        Target::Workflow(w) => {
            for f in model.workflows[w.0 as usize].graph.node_weights() {
                registry.declared(model, *f, service);
            }
        }
    }
}

/// What one invocation is given: the seed of its draws, and, as its trace
/// row or its `with` says, its `trace.` fields and its payload sizes.
#[derive(Debug, Clone, Copy)]
struct Given {
    seed: u64,
    duration: Option<f64>,
    memory: Option<f64>,
    payloads: Payloads,
}

impl Given {
    /// Nothing but its seed.
    fn only(seed: u64) -> Given {
        Given {
            seed,
            duration: None,
            memory: None,
            payloads: Payloads::default(),
        }
    }

    /// The values of `arguments`, random ones drawn from the invocation's
    /// `seed` (its own stream, apart from its body's draws). Fixed values
    /// draw nothing, so that a script without random ones keeps its draws.
    fn drawn(arguments: &Arguments, seed: u64) -> Given {
        let mut rng: Option<StreamRng> = None;
        let mut value = |d: &Option<Distribution>| match d {
            None => None,
            Some(Distribution::Constant(v)) => Some(*v),
            Some(d) => Some(rng.get_or_insert_with(|| StreamRng::new(seed, "with")).sample(d)),
        };
        Given {
            seed,
            duration: value(&arguments.duration),
            memory: arguments.memory,
            payloads: Payloads {
                request: value(&arguments.request_payload),
                response: value(&arguments.response_payload),
            },
        }
    }
}

/// A request for a service's mailbox.
fn message(reg: RegId, origin: Origin, given: Given, local: Option<NodeId>) -> Message {
    Message::Request(Request {
        reg,
        origin,
        trace_duration: given.duration,
        trace_memory: given.memory,
        payloads: given.payloads,
        seed: given.seed,
        local,
    })
}

/// Whether a registration's image and limits fit a node (WRENCH refuses it otherwise).
fn fits(registry: &Registry, reg: RegId, room: Room) -> bool {
    Need::of(registry, reg).fits(registry.get(reg).ram, room)
}

/// SplitMix64 of `a` and `b`: independent seeds for each invocation.
pub fn mix(a: u64, b: u64) -> u64 {
    let mut z = a.wrapping_add(b.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

//! Where invocations come from: open streams (arrival dates drawn ahead),
//! closed-loop users (the next arrival after the previous completion plus
//! a think time), trace replays (read as the simulation advances) and
//! scripted clients. Each source keeps one timer for its next arrival.

use crate::ir::service::ServiceId;
use crate::ir::workload::{ClientStep, Target};
use crate::workload::trace::{Prefetched, TraceArrival};
use crate::workload::{ClosedLoop, OpenArrivals};

use super::ids::SourceId;

use super::invocation::Origin;
use super::registry::RegId;
use super::run::Fit;
use super::run::Run;
use super::service::{Message, Request};
use super::tag::Tag;

/// An arrival source.
pub enum Feed {
    Open {
        arrivals: OpenArrivals,
        target: Target,
        service: ServiceId,
        burst: u64,
    },
    Closed {
        users: ClosedLoop,
        target: Target,
        service: ServiceId,
    },
    Replay {
        /// Read ahead on its own thread.
        reader: Prefetched,
        /// Registration of each trace function, and whether it fits a node
        /// (WRENCH refuses the registration of one that does not).
        regs: Vec<(RegId, Fit)>,
        service: ServiceId,
        next: Option<TraceArrival>,
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
pub struct Source {
    pub feed: Feed,
    /// Hash of the source's stream key, mixed into per-invocation seeds.
    pub key: u64,
    /// Invocations issued so far.
    pub issued: u64,
}

impl Run<'_> {
    /// Sets every source going at time 0.
    pub(crate) fn start_feeds(&mut self) -> Result<(), super::RunError> {
        for f in (0..self.sources.len() as u32).map(SourceId) {
            match &mut self.sources[f.index()].feed {
                Feed::Open { .. } => self.next_open(f),
                Feed::Closed { users, .. } => {
                    let firsts: Vec<f64> = (0..users.users())
                        .filter_map(|_| users.first().map(|a| a.time))
                        .collect();
                    for t in firsts {
                        self.world.timer(t, Tag::Feed(f));
                    }
                }
                Feed::Replay { .. } => self.next_replay(f)?,
                Feed::Client { .. } => self.client_step(f),
            }
        }
        Ok(())
    }

    /// A source's timer fired.
    pub(crate) fn feed_fired(&mut self, f: SourceId) -> Result<(), super::RunError> {
        match &mut self.sources[f.index()].feed {
            Feed::Open {
                target, service, burst, ..
            } => {
                let (target, service, burst) = (*target, *service, *burst);
                for _ in 0..burst {
                    self.submit(f, target, service, Origin::Open, None, None);
                }
                self.next_open(f);
            }
            Feed::Closed { target, service, .. } => {
                let (target, service) = (*target, *service);
                self.submit(f, target, service, Origin::Closed(f), None, None);
            }
            // Replays are fed by the run loop directly (`replay_arrival`).
            Feed::Replay { .. } => {}
            Feed::Client { .. } => self.client_step(f),
        }
        Ok(())
    }

    fn next_open(&mut self, f: SourceId) {
        let now = self.world.now();
        if let Feed::Open { arrivals, .. } = &mut self.sources[f.index()].feed
            && let Some(a) = arrivals.next()
        {
            let burst = a.burst;
            if let Feed::Open { burst: b, .. } = &mut self.sources[f.index()].feed {
                *b = burst;
            }
            self.world.timer((a.time - now).max(0.0), Tag::Feed(f));
        }
    }

    /// Reads a replay's next arrival. Replays use no timer: the run loop
    /// compares their next dates with the engine's (the highest-volume
    /// source saves an event per invocation).
    fn next_replay(&mut self, f: SourceId) -> Result<(), super::RunError> {
        if let Feed::Replay { reader, next, .. } = &mut self.sources[f.index()].feed {
            *next = match reader.next() {
                None => None,
                Some(Err(error)) => return Err(super::RunError::Trace(Box::new(error))),
                Some(Ok(arrival)) => Some(arrival),
            };
        }
        Ok(())
    }

    /// The replay with the earliest pending arrival, and its date.
    pub(crate) fn next_replay_arrival(&self) -> Option<(SourceId, f64)> {
        self.replays
            .iter()
            .filter_map(|&f| match &self.sources[f.index()].feed {
                Feed::Replay { next: Some(a), .. } => Some((f, a.time)),
                _ => None,
            })
            .min_by(|a, b| a.1.total_cmp(&b.1))
    }

    /// Submits a replay's pending arrival (the clock is at its date) and reads the next.
    pub(crate) fn replay_arrival(&mut self, f: SourceId) -> Result<(), super::RunError> {
        let arrival = match &mut self.sources[f.index()].feed {
            Feed::Replay { next, service, .. } => next.take().map(|a| (*service, a)),
            _ => None,
        };
        if let Some((service, arrival)) = arrival {
            let entry = match &self.sources[f.index()].feed {
                Feed::Replay { regs, .. } => regs.get(arrival.function as usize).copied(),
                _ => None,
            };
            let fit = match entry {
                Some((reg, Fit::Unknown)) => {
                    // The first arrival fixes the registration's RAM limit.
                    self.world.registry.get_mut(reg).ram = arrival.memory.unwrap_or(0.0);
                    let spec = &self.world.model.services[service.index()];
                    let node = self.world.model.platform.host(spec.compute[0]);
                    let fit = if super::run::fits(&self.world.registry, reg, node) {
                        Fit::Yes
                    } else {
                        Fit::No
                    };
                    if let Feed::Replay { regs, .. } = &mut self.sources[f.index()].feed {
                        regs[arrival.function as usize].1 = fit;
                    }
                    Some((reg, fit))
                }
                other => other,
            };
            match fit {
                Some((reg, Fit::No)) => self.cannot_fit(service, reg),
                Some((reg, _)) => self.request(f, reg, service, Origin::Open, arrival.duration, arrival.memory),
                None => {}
            }
        }
        self.next_replay(f)
    }

    /// Sends one invocation of `target` (a function or a workflow) from source `f`.
    pub(crate) fn submit(
        &mut self,
        f: SourceId,
        target: Target,
        service: ServiceId,
        origin: Origin,
        duration: Option<f64>,
        memory: Option<f64>,
    ) {
        match target {
            Target::Function(function) => {
                let reg = self.world.registry.declared(self.world.model, function, service);
                self.request(f, reg, service, origin, duration, memory);
            }
            Target::Workflow(w) => {
                let source = &mut self.sources[f.index()];
                source.issued += 1;
                let seed = mix(self.world.seed ^ source.key, source.issued);
                let mark = self.out.mark();
                self.flows
                    .start(&mut self.world, &mut self.out, f, seed, w, service, origin);
                self.process(mark);
            }
        }
    }

    /// Puts a request in a service's mailbox.
    pub(crate) fn request(
        &mut self,
        f: SourceId,
        reg: RegId,
        service: ServiceId,
        origin: Origin,
        duration: Option<f64>,
        memory: Option<f64>,
    ) {
        self.send_request(f, reg, service, origin, duration, memory, None);
    }

    /// A workflow node's request, bound to a node when it came over a local bus.
    pub(crate) fn request_local(
        &mut self,
        f: SourceId,
        reg: RegId,
        service: ServiceId,
        origin: Origin,
        local: Option<super::ids::NodeId>,
    ) {
        self.send_request(f, reg, service, origin, None, None, local);
    }

    #[allow(clippy::too_many_arguments)]
    fn send_request(
        &mut self,
        f: SourceId,
        reg: RegId,
        service: ServiceId,
        origin: Origin,
        duration: Option<f64>,
        memory: Option<f64>,
        local: Option<super::ids::NodeId>,
    ) {
        let source = &mut self.sources[f.index()];
        source.issued += 1;
        let seed = mix(self.world.seed ^ source.key, source.issued);
        self.deliver(
            service,
            Message::Request(Request {
                reg,
                origin,
                trace_duration: duration,
                trace_memory: memory,
                seed,
                local,
            }),
        );
    }

    /// A service accepted a request: a client sends its next one.
    pub(crate) fn accepted(&mut self, origin: Origin) {
        if let Origin::Client(f) = origin {
            if let Feed::Client { outstanding, .. } = &mut self.sources[f.index()].feed {
                *outstanding += 1;
            }
            self.client_step(f);
        }
    }

    /// An invocation (or workflow instance) of `origin` ended at `finish`.
    pub(crate) fn origin_done(&mut self, origin: Origin, finish: f64) {
        match origin {
            Origin::Open => {}
            Origin::Closed(f) => {
                let now = self.world.now();
                if let Feed::Closed { users, .. } = &mut self.sources[f.index()].feed
                    && let Some(a) = users.next_after(finish)
                {
                    self.world.timer((a.time - now).max(0.0), Tag::Feed(f));
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
                        self.client_step(f);
                    }
                }
            }
            // Workflow nodes report through `workflow_node_done`.
            Origin::Workflow { .. } => {}
        }
    }

    /// Runs a client's script until it blocks (on a sleep, a request's
    /// acceptance, or a wait).
    fn client_step(&mut self, f: SourceId) {
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
                ClientStep::Invoke { target, service, count } => {
                    if *left == 0 {
                        *left = count;
                    }
                    *left -= 1;
                    if *left == 0 {
                        *at += 1;
                    }
                    let s = service;
                    match target {
                        // The client goes on once the service accepts the request.
                        Target::Function(_) => {
                            self.submit(f, target, s, Origin::Client(f), None, None);
                            return;
                        }
                        Target::Workflow(_) => {
                            *outstanding += 1;
                            self.submit(f, target, s, Origin::Client(f), None, None);
                        }
                    }
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
                    self.world.timer(seconds, Tag::Feed(f));
                    return;
                }
            }
        }
    }

    /// A trace function too large for the service's nodes: its invocations
    /// fail at once (WRENCH refuses such a registration).
    fn cannot_fit(&mut self, service: ServiceId, reg: RegId) {
        let now = self.world.now();
        match self.unfit.iter_mut().find(|(r, _)| *r == reg) {
            Some((_, n)) => *n += 1,
            None => self.unfit.push((reg, 1)),
        }
        let id = self.world.next_id;
        self.world.next_id += 1;
        let record = crate::report::InvocationRecord {
            id,
            function: reg.0,
            service: service.0,
            submit: now,
            dispatch: None,
            start: None,
            end: None,
            finish: now,
            node: None,
            cause: Some(crate::report::Cause::CannotFit),
            start_kind: None,
            startup: None,
        };
        self.world.write(&record);
    }
}

/// SplitMix64 of `a` and `b`: independent seeds for each invocation.
pub fn mix(a: u64, b: u64) -> u64 {
    let mut z = a.wrapping_add(b.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

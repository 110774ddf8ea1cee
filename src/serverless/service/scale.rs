//! Asking the service's autoscaler and applying its counts
//! ([`super::super::policy::autoscaler`]): the service keeps each
//! function's load (in-flight invocations and their integral, arrivals),
//! asks when the run starts, at the dates the autoscaler gives, and at an
//! arrival or end while it gives none; then starts containers ahead of
//! invocations (prewarm requests, waiting for a node like any) up to each
//! count, and shuts down idle ones beyond it, oldest idle first, after
//! cancelling starts not made yet. Busy and starting containers stay.

use crate::engine::TimerId;
use crate::report::AutoscalerUse;

use super::super::cx::Cx;
use super::super::ids::{ContainerId, PrewarmId, RegId};
use super::super::policy::autoscaler::{FunctionLoad, Load, Scale};
use super::super::state::ContainerState;
use super::super::tag::Tag;
use super::Service;

/// The autoscaling state of a service whose autoscaler decides.
#[derive(Debug, Default)]
pub struct Scaling {
    /// Per registration index: its position in `loads` (this service's).
    slot: Vec<Option<usize>>,
    loads: Vec<FunctionLoad>,
    /// When each load's `in_flight_seconds` was last brought up to date.
    counted_to: Vec<f64>,
    /// Per position: starts asked for and not made yet, and how many of
    /// them were cancelled since (dropped when their turn comes).
    requested: Vec<u32>,
    cancelled: Vec<u32>,
    /// Per position: what the autoscaler did.
    usage: Vec<AutoscalerUse>,
    /// Per prewarm request: whether the autoscaler made it.
    autoscaled: Vec<bool>,
    timer: Option<TimerId>,
    scale: Scale,
}

impl Scaling {
    fn position(&self, reg: RegId) -> Option<usize> {
        self.slot.get(reg.index()).copied().flatten()
    }

    /// `reg`'s in-flight invocations change by `delta` at `now`.
    fn in_flight(&mut self, reg: RegId, now: f64, delta: i32, arrival: bool) {
        let Some(i) = self.position(reg) else { return };
        self.count_to(i, now);
        let load = &mut self.loads[i];
        load.in_flight = load.in_flight.saturating_add_signed(delta);
        load.arrivals += u64::from(arrival);
        load.changed_at = now;
    }

    fn count_to(&mut self, i: usize, now: f64) {
        let load = &mut self.loads[i];
        load.in_flight_seconds += f64::from(load.in_flight) * (now - self.counted_to[i]);
        self.counted_to[i] = now;
    }

    /// Whether prewarm request `p` is the autoscaler's.
    fn is_autoscaled(&self, p: PrewarmId) -> bool {
        self.autoscaled.get(p.index()).copied().unwrap_or(false)
    }
}

impl Service {
    /// The run starts: an autoscaler that decides is asked a first time
    /// (its minimum counts start now).
    pub fn start_autoscaler(&mut self, cx: &mut Cx) {
        if !self.autoscaler.decides() {
            return;
        }
        let mut scaling = Scaling::default();
        for (i, r) in cx.world.registry.all.iter().enumerate() {
            if r.service != self.id {
                continue;
            }
            if scaling.slot.len() <= i {
                scaling.slot.resize(i + 1, None);
            }
            scaling.slot[i] = Some(scaling.loads.len());
            scaling.loads.push(FunctionLoad {
                reg: RegId(i as u32),
                in_flight: 0,
                in_flight_seconds: 0.0,
                arrivals: 0,
                // Nothing has changed yet: no load to average.
                changed_at: f64::NEG_INFINITY,
                ready: 0,
                containers: 0,
            });
        }
        let n = scaling.loads.len();
        scaling.counted_to = vec![0.0; n];
        scaling.requested = vec![0; n];
        scaling.cancelled = vec![0; n];
        scaling.usage = vec![AutoscalerUse::default(); n];
        self.scaling = Some(Box::new(scaling));
        self.autoscale(cx);
    }

    /// Whether an autoscaler decides how many containers stay (their idle
    /// time is then not the keep-alive policy's).
    pub(super) fn autoscaled(&self) -> bool {
        self.scaling.is_some()
    }

    /// An invocation of `reg` arrived (`delta` 1) or ended (-1): the load
    /// changes, and the autoscaler is asked if it is not waiting for a date.
    #[inline]
    pub(super) fn load_changed(&mut self, cx: &mut Cx, reg: RegId, delta: i32) {
        let Some(scaling) = self.scaling.as_mut() else { return };
        scaling.in_flight(reg, cx.world.now(), delta, delta > 0);
        if scaling.timer.is_none() {
            self.autoscale(cx);
        }
    }

    /// The date the autoscaler asked for came (its message follows).
    pub fn autoscale_fired(&mut self) {
        if let Some(scaling) = self.scaling.as_mut() {
            scaling.timer = None;
        }
    }

    /// Whether the autoscaler waits for a date it gave.
    pub fn autoscale_pending(&self) -> bool {
        self.scaling.as_ref().is_some_and(|s| s.timer.is_some())
    }

    /// How long the autoscaler's decisions may still change once nothing
    /// else changes ([`super::super::policy::autoscaler::Autoscaler::settles_within`]).
    pub fn autoscaler_settles_within(&self) -> f64 {
        match self.scaling {
            Some(_) => self.autoscaler.settles_within(),
            None => 0.0,
        }
    }

    /// Asks the autoscaler and applies its counts.
    pub(super) fn autoscale(&mut self, cx: &mut Cx) {
        let Some(mut scaling) = self.scaling.take() else { return };
        // Its prewarms and terminations change what rounds see.
        self.queues.forget_walk();
        let now = cx.world.now();
        if let Some(timer) = scaling.timer.take() {
            cx.world.cancel_timer(Some(timer));
        }
        for i in 0..scaling.loads.len() {
            scaling.count_to(i, now);
            let load = &mut scaling.loads[i];
            load.ready = 0;
            load.containers = scaling.requested[i] - scaling.cancelled[i];
        }
        for c in &self.state.containers {
            let Some(i) = scaling.position(c.reg).filter(|_| c.state != ContainerState::Gone) else {
                continue;
            };
            let load = &mut scaling.loads[i];
            load.containers += 1;
            load.ready += u32::from(matches!(c.state, ContainerState::Idle | ContainerState::Busy));
        }
        let mut scale = std::mem::take(&mut scaling.scale);
        scale.clear();
        self.autoscaler.scale(
            &Load {
                now,
                functions: &scaling.loads,
            },
            &mut scale,
        );
        if let Some(fault) = self.autoscaler.fault() {
            self.policy_fault(cx, fault);
        }
        for &reg in &scale.panics {
            if let Some(i) = scaling.position(reg) {
                scaling.usage[i].panics += 1;
            }
        }
        for &(reg, desired) in &scale.desired {
            let Some(i) = scaling.position(reg) else { continue };
            let current = scaling.loads[i].containers;
            if desired > current {
                self.scale_up(cx, &mut scaling, i, reg, desired - current);
            } else if desired < current {
                self.scale_down(cx, &mut scaling, i, reg, current - desired);
            }
        }
        if let Some(at) = scale.ask_at {
            scaling.timer = cx.world.timer(at - now, Tag::Autoscale(self.id));
        }
        scaling.scale = scale;
        self.scaling = Some(scaling);
    }

    /// Asks for `n` more containers of `reg`, started as prewarms are.
    fn scale_up(&mut self, cx: &mut Cx, scaling: &mut Scaling, i: usize, reg: RegId, n: u32) {
        scaling.usage[i].scale_ups += 1;
        for _ in 0..n {
            let p = self.prewarms.len();
            self.prewarm(reg);
            if scaling.autoscaled.len() <= p {
                scaling.autoscaled.resize(p + 1, false);
            }
            scaling.autoscaled[p] = true;
            scaling.requested[i] += 1;
            self.queue_prewarm(cx, p, true);
        }
    }

    /// `n` containers of `reg` too many: starts not made yet are cancelled,
    /// then idle containers shut down, oldest idle first.
    fn scale_down(&mut self, cx: &mut Cx, scaling: &mut Scaling, i: usize, reg: RegId, n: u32) {
        let pending = scaling.requested[i] - scaling.cancelled[i];
        let cancel = pending.min(n);
        scaling.cancelled[i] += cancel;
        let mut idle: Vec<(f64, u64, ContainerId)> = self
            .state
            .containers
            .iter()
            .enumerate()
            .filter(|(_, c)| c.reg == reg && c.evictable())
            .map(|(k, c)| (c.idle_since, c.created, ContainerId(k as u32)))
            .collect();
        idle.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let stop = ((n - cancel) as usize).min(idle.len());
        for &(_, _, c) in &idle[..stop] {
            self.shut(cx, c);
        }
        if cancel > 0 || stop > 0 {
            scaling.usage[i].scale_downs += 1;
            scaling.usage[i].stopped += stop as u64;
        }
    }

    /// Before a prewarm request is dispatched: whether it is the
    /// autoscaler's, and whether it was cancelled since (then it is dropped
    /// here, and counts as done).
    pub(super) fn autoscaled_prewarm(&mut self, prewarm: PrewarmId, reg: RegId) -> (bool, bool) {
        let Some(scaling) = self.scaling.as_mut().filter(|s| s.is_autoscaled(prewarm)) else {
            return (false, false);
        };
        let Some(i) = scaling.position(reg) else {
            return (true, false);
        };
        if scaling.cancelled[i] > 0 {
            scaling.cancelled[i] -= 1;
            scaling.requested[i] -= 1;
            return (true, true);
        }
        (true, false)
    }

    /// An autoscaler's prewarm request of `reg` started its container.
    pub(super) fn autoscaled_start(&mut self, reg: RegId) {
        let Some(scaling) = self.scaling.as_mut() else { return };
        if let Some(i) = scaling.position(reg) {
            scaling.requested[i] -= 1;
            scaling.usage[i].started += 1;
        }
    }

    /// What the autoscaler did, into `all` (indexed like the registry).
    pub fn autoscaling(&self, all: &mut [Option<AutoscalerUse>]) {
        let Some(scaling) = self.scaling.as_ref() else {
            return;
        };
        for (load, usage) in scaling.loads.iter().zip(&scaling.usage) {
            if let Some(slot) = all.get_mut(load.reg.index()) {
                *slot = Some(*usage);
            }
        }
    }
}

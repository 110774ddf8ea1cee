//! Autoscalers: how many containers each function should have, ahead of
//! what the placement starts for waiting invocations. `none` decides
//! nothing and is never asked. Any other is asked by its service
//! (`serverless::service`'s `scale` part) when the run starts, at
//! the dates it asks for ([`Scale::ask_at`]), and, while it does not ask
//! for a date, at the next arrival or end of an invocation. The service
//! applies each desired count: containers are started ahead of any
//! invocation (as `prewarm` starts them) up to the count, and idle ones
//! beyond it are shut down, oldest idle first; busy or starting ones are
//! never stopped. An autoscaled service's idle containers are not timed
//! out by its keep-alive policy: the autoscaler decides how many stay.
//!
//! A new autoscaler is one file implementing [`Autoscaler`] plus its
//! registry row (see [`crate::language::policies`]); its parameters are
//! `build.service.autoscaler`'s, in the row's order.

mod expr;
mod hpa;
mod kpa;
mod none;
mod series;

use crate::ir::service::AutoscalerSpec;
use crate::serverless::ids::RegId;

use super::{Build, Maker};

pub use series::Series;

/// What an autoscaler sees of one function (one registration) of its
/// service at the date it is asked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FunctionLoad {
    pub reg: RegId,
    /// Invocations accepted and not over: waiting or running (Knative's
    /// "concurrency" of a revision).
    pub in_flight: u32,
    /// The integral of `in_flight` over time since the run started
    /// (invocation-seconds): its difference over a window, divided by the
    /// window, is the window's average concurrency.
    pub in_flight_seconds: f64,
    /// Invocations accepted since the run started.
    pub arrivals: u64,
    /// The last date `in_flight` changed.
    pub changed_at: f64,
    /// Containers up: idle or serving.
    pub ready: u32,
    /// Containers up, starting, or asked for and not started yet.
    pub containers: u32,
}

/// What an autoscaler is shown.
#[derive(Debug, Clone, Copy)]
pub struct Load<'a> {
    pub now: f64,
    /// The service's functions, in registration order.
    pub functions: &'a [FunctionLoad],
}

/// What an autoscaler decided in one round.
#[derive(Debug, Default)]
pub struct Scale {
    /// Registrations with the container count they should have (those left
    /// out keep theirs).
    pub desired: Vec<(RegId, u32)>,
    /// Registrations whose autoscaler entered a panic mode this round (for
    /// the results; Knative's KPA).
    pub panics: Vec<RegId>,
    /// Ask again at this date even if nothing happens; `None`: the load
    /// is steady, ask at the next arrival or end of an invocation.
    pub ask_at: Option<f64>,
}

impl Scale {
    pub fn clear(&mut self) {
        self.desired.clear();
        self.panics.clear();
        self.ask_at = None;
    }
}

/// An autoscaling policy.
pub trait Autoscaler {
    /// Decides the desired counts, given the load of the service.
    fn scale(&mut self, load: &Load, out: &mut Scale);

    /// How long, at most, its decisions may still change once its load
    /// (and the containers) stopped changing: past that, asking it again
    /// at the dates it gives changes nothing (see the run's stall check).
    fn settles_within(&self) -> f64;

    /// Whether it decides anything (the service asks it only then).
    fn decides(&self) -> bool {
        true
    }

    /// Why the policy could not decide, once: the run stops with it (an
    /// autoscaler written in the script that divided by zero, say).
    fn fault(&mut self) -> Option<super::expr::Fault> {
        None
    }
}

/// The constructors, under the names of the registry's `AUTOSCALER` table.
pub const MAKERS: &[Maker<dyn Autoscaler>] = &[("none", none::make), ("kpa", kpa::make), ("hpa", hpa::make)];

/// The autoscaler of the service being built (`none` when it sets none).
pub fn make(build: &Build) -> Box<dyn Autoscaler> {
    if let Some(AutoscalerSpec::Written(written)) = &build.service.autoscaler {
        return expr::make(written, build.service.container_startup);
    }
    let name = build.service.autoscaler.as_ref().map_or("none", |a| a.name());
    super::make(MAKERS, name, build)
}

/// The parameters of the service's autoscaler, in its registry row's order
/// (defaults filled in by `check`).
fn params<'a>(build: &'a Build) -> &'a [f64] {
    match &build.service.autoscaler {
        Some(AutoscalerSpec::Row(spec)) => &spec.params,
        _ => &[],
    }
}

/// The containers that serve `load` at `target` each: the ceiling of the
/// ratio, forgiving float noise (50 / 10 is 5, not 6).
fn containers_for(load: f64, target: f64) -> u32 {
    let ratio = load / target;
    if ratio <= 0.0 {
        return 0;
    }
    (ratio - 1e-9 * ratio.max(1.0)).ceil().max(1.0).min(f64::from(u32::MAX)) as u32
}

/// `desired` within `[min, max]`, a `max` of 0 bounding nothing.
fn clamp(desired: u32, min: u32, max: u32) -> u32 {
    let desired = desired.max(min);
    if max > 0 { desired.min(max) } else { desired }
}

/// An autoscaler's state of function `reg`, made on first use.
fn state_of<T: Default>(states: &mut Vec<T>, reg: RegId) -> &mut T {
    let i = reg.index();
    if states.len() <= i {
        states.resize_with(i + 1, T::default);
    }
    &mut states[i]
}

/// A count parameter (checked to be a whole number).
fn count(value: f64) -> u32 {
    value.min(f64::from(u32::MAX)) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_for_is_a_ceiling_without_float_noise() {
        assert_eq!(containers_for(0.0, 10.0), 0);
        assert_eq!(containers_for(0.3, 10.0), 1);
        assert_eq!(containers_for(50.000000000001, 10.0), 5);
        assert_eq!(containers_for(51.0, 10.0), 6);
    }
}

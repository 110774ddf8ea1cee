//! Knative's pod autoscaler (KPA), after Knative Serving's
//! `pkg/autoscaler/scaling/autoscaler.go` and its documentation
//! ("Configuring the Autoscaler", `config-autoscaler`): every tick (2 s)
//! it averages each function's concurrency (in-flight invocations) over
//! the stable window (60 s) and over the panic window (10 % of it, 6 s);
//! the desired count is the stable average over the target, rounded up.
//! When the panic window's count is at least the panic threshold (200 %)
//! times the ready containers, it panics: it follows the panic window and
//! never scales down (below the containers there are, whoever started them), until no such burst has been seen for a stable
//! window. A function wanted at zero keeps one container for the
//! scale-to-zero grace period (30 s) first. Counts are held within
//! `[min, max]`. Not modelled: Knative's scale-up and scale-down rate
//! limits, the target utilization factor, and the activator's buffering
//! (here the placement cold-starts containers for waiting invocations).

use super::super::Build;
use super::{Autoscaler, Load, Scale, Series, clamp, containers_for, count, params, state_of};

pub struct Kpa {
    target: f64,
    stable_window: f64,
    panic_window: f64,
    panic_threshold: f64,
    grace: f64,
    min: u32,
    max: u32,
    tick: f64,
    /// Per registration index.
    functions: Vec<FunctionState>,
}

#[derive(Debug, Clone, Default)]
struct FunctionState {
    in_flight: Series,
    /// The last date a burst was over the threshold while panicking.
    panic_since: Option<f64>,
    /// The most containers asked for in this panic (no scale-down below).
    panic_count: u32,
    /// Since when the function has been wanted at zero, with containers left.
    zero_since: Option<f64>,
}

pub fn make(build: &Build) -> Box<dyn Autoscaler> {
    let [
        target,
        stable_window,
        panic_window,
        panic_threshold,
        grace,
        min,
        max,
        tick,
    ] = params(build)
    else {
        panic!("the kpa autoscaler's parameters are checked to be its row's");
    };
    Box::new(Kpa {
        target: *target,
        stable_window: *stable_window,
        panic_window: stable_window * panic_window,
        panic_threshold: *panic_threshold,
        grace: *grace,
        min: count(*min),
        max: count(*max),
        tick: *tick,
        functions: Vec::new(),
    })
}

impl Autoscaler for Kpa {
    fn scale(&mut self, load: &Load, out: &mut Scale) {
        let now = load.now;
        let mut steady = true;
        for f in load.functions {
            let state = state_of(&mut self.functions, f.reg);
            state.in_flight.record(now, f.in_flight_seconds, self.stable_window);
            let stable = containers_for(state.in_flight.per_second(now, self.stable_window), self.target);
            let panic = containers_for(state.in_flight.per_second(now, self.panic_window), self.target);
            let ready = f.ready.max(1);
            let bursting = f64::from(panic) >= self.panic_threshold * f64::from(ready);
            if bursting {
                if state.panic_since.is_none() {
                    out.panics.push(f.reg);
                    state.panic_count = f.ready;
                }
                state.panic_since = Some(now);
            } else if state.panic_since.is_some_and(|t| now >= t + self.stable_window) {
                state.panic_since = None;
                state.panic_count = 0;
            }
            let panicking = state.panic_since.is_some();
            // In panic it follows the panic window too (whichever is higher).
            let mut desired = clamp(if panicking { stable.max(panic) } else { stable }, self.min, self.max);
            if panicking {
                // No scale-down in panic, not even of the containers the
                // placement started for waiting invocations meanwhile.
                state.panic_count = state.panic_count.max(desired).max(f.containers);
                desired = state.panic_count;
            }
            if desired == 0 && f.containers > 0 {
                let since = *state.zero_since.get_or_insert(now);
                if now < since + self.grace {
                    desired = 1;
                }
            } else {
                state.zero_since = None;
            }
            out.desired.push((f.reg, desired));
            // Its averages cannot move while nothing arrives or ends once
            // the window holds one level only; a panic or grace ends with time.
            steady &=
                now - f.changed_at >= self.stable_window && state.panic_since.is_none() && state.zero_since.is_none();
        }
        out.ask_at = (!steady).then_some(now + self.tick);
    }

    /// Its averages hold one level a stable window after the load's last
    /// change; a panic then ends a stable window later at most, and a
    /// function wanted at zero keeps its container for the grace period.
    fn settles_within(&self) -> f64 {
        2.0 * (self.stable_window + self.tick) + self.grace
    }
}

#[cfg(test)]
mod tests {
    use super::super::FunctionLoad;
    use super::*;
    use crate::serverless::ids::RegId;

    fn kpa() -> Kpa {
        Kpa {
            target: 10.0,
            stable_window: 60.0,
            panic_window: 6.0,
            panic_threshold: 2.0,
            grace: 30.0,
            min: 0,
            max: 0,
            tick: 2.0,
            functions: Vec::new(),
        }
    }

    /// A run of the autoscaler over a load given as (date, in flight from
    /// then), asked every 2 s up to `until`, with the containers it asks
    /// for ready at once; the decisions at each date.
    fn run(kpa: &mut Kpa, steps: &[(f64, u32)], until: f64) -> Vec<(f64, u32, bool)> {
        let (mut t, mut seconds, mut containers) = (0.0, 0.0, 0u32);
        let mut decisions = Vec::new();
        while t <= until {
            let level = steps.iter().rev().find(|(at, _)| *at <= t).map_or(0, |s| s.1);
            let changed_at = steps.iter().rev().find(|(at, _)| *at <= t).map_or(0.0, |s| s.0);
            let load = [FunctionLoad {
                reg: RegId(0),
                in_flight: level,
                in_flight_seconds: seconds,
                arrivals: 0,
                changed_at,
                ready: containers,
                containers,
            }];
            let mut out = Scale::default();
            kpa.scale(
                &Load {
                    now: t,
                    functions: &load,
                },
                &mut out,
            );
            containers = out.desired[0].1;
            decisions.push((t, containers, !out.panics.is_empty()));
            seconds += f64::from(level) * 2.0;
            t += 2.0;
        }
        decisions
    }

    fn at(decisions: &[(f64, u32, bool)], t: f64) -> (u32, bool) {
        let d = decisions.iter().find(|d| d.0 == t).unwrap();
        (d.1, d.2)
    }

    #[test]
    fn a_steady_load_asks_for_concurrency_over_target() {
        // 50 in flight from the start, target 10: 5 containers. At 0 s
        // nothing has been averaged yet; at 2 s the panic window's count
        // (5) is 2x or more of the ready ones (none: 1), so it panics.
        let d = run(&mut kpa(), &[(0.0, 50)], 200.0);
        assert_eq!(at(&d, 0.0), (0, false));
        assert_eq!(at(&d, 2.0), (5, true));
        assert_eq!(at(&d, 200.0), (5, false));
        assert_eq!(d.iter().filter(|x| x.2).count(), 1);
    }

    #[test]
    fn a_step_from_5_to_50_panics_and_scales_to_5() {
        // 5 in flight until 120 s (1 container), then 50. At 122 s the
        // panic window (116..122 s) averages (4 x 5 + 2 x 50) / 6 = 20:
        // 2 containers, 2x the 1 ready: panic, following the panic window.
        // At 126 s it is 50 / 10 = 5 (the stable one (58 x 5 + ... ) is less).
        let d = run(&mut kpa(), &[(0.0, 5), (120.0, 50)], 300.0);
        assert_eq!(at(&d, 118.0), (1, false));
        assert_eq!(at(&d, 122.0), (2, true));
        assert_eq!(at(&d, 126.0), (5, false));
        // The stable window alone would ask for ceil((54 x 5 + 6 x 50) / 60 / 10) = 1
        // at 126 s; after 60 s of 50 it asks for 5 itself.
        assert_eq!(at(&d, 300.0), (5, false));
    }

    #[test]
    fn no_scale_down_while_panicking() {
        // A burst of 100 in flight for 10 s at 100 s, after 10 steady
        // (1 container): at 102 s the panic window (96..102 s) averages
        // (4 x 10 + 2 x 100) / 6 = 40, 4 containers, 2x or more of the 1
        // ready: panic. It climbs to 10 at 106 s; the burst is last over
        // the threshold at 102 s (later ticks find 2x the ready ones no
        // more), so the panic lasts to 162 s: the count stays at 10 while
        // the load is back at 10 from 110 s.
        let d = run(&mut kpa(), &[(0.0, 10), (100.0, 100), (110.0, 10)], 240.0);
        assert_eq!(at(&d, 98.0), (1, false));
        assert_eq!(at(&d, 102.0), (4, true));
        assert_eq!(at(&d, 106.0), (10, false));
        assert_eq!(at(&d, 120.0).0, 10);
        assert_eq!(at(&d, 160.0).0, 10);
        // Out of panic, the stable window (102..162 s: 8 s of 100, 52 s of
        // 10) averages 22: 3 containers.
        assert_eq!(at(&d, 162.0), (3, false));
    }

    #[test]
    fn scale_to_zero_after_the_grace_period() {
        // 10 in flight until 100 s, then none: the stable window holds
        // load until 160 s; wanted at zero from then, the last container
        // stays for the 30 s grace and goes at 190 s.
        let d = run(&mut kpa(), &[(0.0, 10), (100.0, 0)], 240.0);
        assert_eq!(at(&d, 158.0).0, 1);
        assert_eq!(at(&d, 160.0).0, 1);
        assert_eq!(at(&d, 188.0).0, 1);
        assert_eq!(at(&d, 190.0).0, 0);
        assert_eq!(at(&d, 240.0).0, 0);
    }

    #[test]
    fn min_and_max_bound_the_count() {
        let mut k = kpa();
        k.min = 2;
        k.max = 3;
        let d = run(&mut k, &[(0.0, 50), (100.0, 0)], 300.0);
        assert_eq!(at(&d, 90.0).0, 3);
        assert_eq!(at(&d, 300.0).0, 2);
    }
}

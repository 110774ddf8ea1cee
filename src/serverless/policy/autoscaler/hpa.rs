//! A horizontal autoscaler in the manner of Kubernetes' HPA (the
//! algorithm of its documentation, "Horizontal Pod Autoscaling"): every
//! period (15 s) it takes each function's metric averaged over the last
//! period, concurrency (in-flight invocations) per container against
//! `target`, or, with `target_rate`, arrivals per second per container;
//! the desired count is the metric's total over the target, rounded up,
//! unchanged while the metric per container is within the tolerance (10 %)
//! of the target. Scale-down is stabilized: the count is the highest
//! asked for over the stabilization window (300 s). Counts are held within
//! `[min, max]` (`min` 1: no scale to zero).

use std::collections::VecDeque;

use super::super::Build;
use super::{Autoscaler, Load, Scale, Series, clamp, containers_for, count, params, state_of};

pub struct Hpa {
    target: f64,
    target_rate: f64,
    period: f64,
    tolerance: f64,
    stabilization: f64,
    min: u32,
    max: u32,
    /// Per registration index.
    functions: Vec<FunctionState>,
}

#[derive(Debug, Clone, Default)]
struct FunctionState {
    metric: Series,
    /// The counts asked for over the stabilization window, with their dates.
    asked: VecDeque<(f64, u32)>,
}

pub fn make(build: &Build) -> Box<dyn Autoscaler> {
    let [target, target_rate, period, tolerance, stabilization, min, max] = params(build) else {
        panic!("the hpa autoscaler's parameters are checked to be its row's");
    };
    Box::new(Hpa {
        target: *target,
        target_rate: *target_rate,
        period: *period,
        tolerance: *tolerance,
        stabilization: *stabilization,
        min: count(*min),
        max: count(*max),
        functions: Vec::new(),
    })
}

impl Autoscaler for Hpa {
    fn scale(&mut self, load: &Load, out: &mut Scale) {
        let now = load.now;
        let mut steady = true;
        for f in load.functions {
            let state = state_of(&mut self.functions, f.reg);
            // The metric's total over the period, in containers' worth.
            let needed = if self.target_rate > 0.0 {
                state.metric.record(now, f.arrivals as f64, self.period);
                state.metric.per_second(now, self.period) / self.target_rate
            } else {
                state.metric.record(now, f.in_flight_seconds, self.period);
                state.metric.per_second(now, self.period) / self.target
            };
            let current = f.containers;
            let within = current > 0 && (needed / f64::from(current) - 1.0).abs() <= self.tolerance;
            let asked = if within { current } else { containers_for(needed, 1.0) };
            state.asked.push_back((now, asked));
            while state.asked.front().is_some_and(|(t, _)| *t <= now - self.stabilization) {
                state.asked.pop_front();
            }
            let highest = state.asked.iter().map(|(_, n)| *n).max().unwrap_or(asked);
            out.desired.push((f.reg, clamp(highest, self.min, self.max)));
            // Nothing moves once the period's metric and the window's
            // counts hold one level only.
            steady &= now - f.changed_at >= self.period && state.asked.iter().all(|(_, n)| *n == asked);
        }
        out.ask_at = (!steady).then_some(now + self.period);
    }

    /// Its metric holds one level a period after the load's last change,
    /// and the counts it asked for age out of the stabilization window.
    fn settles_within(&self) -> f64 {
        2.0 * self.period + self.stabilization
    }
}

#[cfg(test)]
mod tests {
    use super::super::FunctionLoad;
    use super::*;
    use crate::serverless::ids::RegId;

    fn hpa(target_rate: f64) -> Hpa {
        Hpa {
            target: 10.0,
            target_rate,
            period: 15.0,
            tolerance: 0.1,
            stabilization: 300.0,
            min: 1,
            max: 0,
            functions: Vec::new(),
        }
    }

    /// Asks every 15 s up to `until` with a load of (date, in flight from
    /// then) and `rate` arrivals per second, the containers asked for ready
    /// at once; the count at each date.
    fn run(hpa: &mut Hpa, steps: &[(f64, u32)], rate: f64, until: f64) -> Vec<(f64, u32)> {
        let (mut t, mut seconds, mut containers) = (0.0, 0.0, 0u32);
        let mut counts = Vec::new();
        while t <= until {
            let level = steps.iter().rev().find(|(at, _)| *at <= t).map_or(0, |s| s.1);
            let load = [FunctionLoad {
                reg: RegId(0),
                in_flight: level,
                in_flight_seconds: seconds,
                arrivals: (rate * t) as u64,
                changed_at: 0.0,
                ready: containers,
                containers,
            }];
            let mut out = Scale::default();
            hpa.scale(
                &Load {
                    now: t,
                    functions: &load,
                },
                &mut out,
            );
            containers = out.desired[0].1;
            counts.push((t, containers));
            seconds += f64::from(level) * 15.0;
            t += 15.0;
        }
        counts
    }

    fn at(counts: &[(f64, u32)], t: f64) -> u32 {
        counts.iter().find(|c| c.0 == t).unwrap().1
    }

    #[test]
    fn concurrency_over_target_and_a_stabilized_scale_down() {
        // 50 in flight until 300 s, then 20: 5 containers, then 2 only
        // once the window's 5s have aged out (the last asked at 300 s,
        // the period 285..300 s being all 50): at 600 s.
        let c = run(&mut hpa(0.0), &[(0.0, 50), (300.0, 20)], 0.0, 900.0);
        assert_eq!(at(&c, 15.0), 5);
        assert_eq!(at(&c, 585.0), 5);
        assert_eq!(at(&c, 600.0), 2);
    }

    #[test]
    fn within_tolerance_keeps_the_count() {
        // 5 containers; the load grows from 50 to 54 (10.8 per container,
        // within 10 % of 10): still 5; at 56 (11.2), 6.
        let c = run(&mut hpa(0.0), &[(0.0, 50), (300.0, 54), (600.0, 56)], 0.0, 700.0);
        assert_eq!(at(&c, 585.0), 5);
        assert_eq!(at(&c, 630.0), 6);
    }

    #[test]
    fn rate_based_on_arrivals_per_container() {
        // 12 arrivals per second, 4 per second per container: 3.
        let c = run(&mut hpa(4.0), &[], 12.0, 60.0);
        assert_eq!(at(&c, 30.0), 3);
    }

    #[test]
    fn min_keeps_one_container_without_load() {
        let c = run(&mut hpa(0.0), &[], 0.0, 60.0);
        assert_eq!(at(&c, 60.0), 1);
    }
}

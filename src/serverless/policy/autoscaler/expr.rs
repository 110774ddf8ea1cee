//! An autoscaler written in the script: `autoscaler NAME { desired EXPR;
//! every TIME }`. Each round, per function, `desired` (a whole number, 0
//! or more) is the container count it should have; it reads the
//! function's invocations in flight now (`in_flight`) and averaged over a
//! window (`concurrency(function, 60s)`, from the in-flight seconds as the
//! KPA averages them). It is asked again `every` while some function's load
//! changed within the longest window read (its averages still move), else
//! at the next arrival or end. A fault (division by zero, no number, a
//! negative or fractional count) is kept for the service, which stops the
//! run with it.

use std::sync::Arc;

use crate::ir::policy::AutoscalerExpr;
use crate::language::observables::Observable;
use crate::serverless::policy::expr::{Fault, Machine, Observe};

use super::{Autoscaler, FunctionLoad, Load, Scale, Series, state_of};

pub struct Written {
    policy: Arc<AutoscalerExpr>,
    machine: Machine,
    /// Per registration: its in-flight seconds over the longest window.
    in_flight: Vec<Series>,
    /// The longest window read.
    retention: f64,
    cold_start: f64,
    fault: Option<Fault>,
}

pub fn make(policy: &Arc<AutoscalerExpr>, cold_start: f64) -> Box<dyn Autoscaler> {
    Box::new(Written {
        machine: Machine::for_programs([&policy.desired]),
        retention: policy.desired.longest_window(),
        policy: Arc::clone(policy),
        in_flight: Vec::new(),
        cold_start,
        fault: None,
    })
}

/// What `desired` reads of one function.
struct Env<'a> {
    now: f64,
    load: &'a FunctionLoad,
    in_flight: &'a Series,
    cold_start: f64,
}

impl Observe for Env<'_> {
    fn observe(&mut self, observable: Observable) -> f64 {
        match observable {
            Observable::Clock => self.now,
            Observable::ColdStartCost => self.cold_start,
            Observable::InFlight => f64::from(self.load.in_flight),
            // The checker lets an autoscaler read no other.
            _ => f64::NAN,
        }
    }

    fn windowed(&mut self, _concurrency: Observable, window: f64) -> f64 {
        self.in_flight.per_second(self.now, window)
    }
}

impl Autoscaler for Written {
    fn scale(&mut self, load: &Load, out: &mut Scale) {
        let now = load.now;
        let mut steady = true;
        for f in load.functions {
            let series = state_of(&mut self.in_flight, f.reg);
            series.record(now, f.in_flight_seconds, self.retention);
            let mut env = Env {
                now,
                load: f,
                in_flight: series,
                cold_start: self.cold_start,
            };
            let program = &self.policy.desired;
            let desired = match self.machine.run(program, &mut env) {
                Ok(v) if v < 0.0 => Err((program.span, "gives a negative count")),
                Ok(v) if v.fract() != 0.0 => Err((program.span, "gives a count that is not a whole number")),
                Ok(v) if v > f64::from(u32::MAX) => Err((program.span, "gives a count too large")),
                other => other,
            };
            match desired {
                Ok(v) => out.desired.push((f.reg, v as u32)),
                Err(failed) => {
                    self.fault = Some(Fault::of(&self.policy.name, failed, now, Some(f.reg), None));
                    return;
                }
            }
            steady &= now - f.changed_at >= self.retention;
        }
        out.ask_at = (!steady).then_some(now + self.policy.every);
    }

    /// Its averages hold one level once the longest window it reads is
    /// past the load's last change.
    fn settles_within(&self) -> f64 {
        self.retention + 2.0 * self.policy.every
    }

    fn fault(&mut self) -> Option<Fault> {
        self.fault.take()
    }
}

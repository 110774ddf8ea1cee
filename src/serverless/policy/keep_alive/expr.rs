//! A keep-alive policy written in the script: `keep_alive NAME { idle
//! EXPR; prewarm EXPR }`. Per function (registration) it keeps what its
//! expressions read: arrival dates and idle times (from the end of an
//! invocation to the next arrival) over the longest window they use. After
//! an invocation ends, `prewarm` above 0 unloads the container and loads
//! one that much later, which then stays for what is left of `idle`
//! (counted from the end, as the hybrid histogram's windows are); else
//! the container stays `idle`. Each `histogram(...)` it reads is kept per
//! function as counts ([`super::histogram::Bins`], the hybrid histogram's).
//! A fault (division by zero, no number, a
//! negative time) is kept for the service, which stops the run with it.

use std::collections::VecDeque;
use std::sync::Arc;

use crate::ir::policy::{Binned, KeepAliveExpr, Program, Statistic};
use crate::language::observables::{Observable, Series};
use crate::serverless::ids::RegId;
use crate::serverless::policy::expr::{Fault, Machine, Observe};

use super::histogram::Bins;
use super::{Idle, KeepAlive};

pub struct Written {
    policy: Arc<KeepAliveExpr>,
    machine: Machine,
    /// How long samples are kept: the longest window read.
    retention: f64,
    /// The service's container start-up time.
    cold_start: f64,
    /// Whether a container may stay idle at all: false when `idle` is a
    /// constant of 0 or less (a container prewarmed ahead of any
    /// invocation is then refused, as `none` refuses it).
    keeps: bool,
    functions: Vec<History>,
    /// A scratch copy of a window's samples, for percentiles.
    scratch: Vec<f64>,
    fault: Option<Fault>,
}

struct History {
    arrivals: VecDeque<f64>,
    /// (date it ended, idle time).
    idle_times: VecDeque<(f64, f64)>,
    /// When its last invocation ended, until the next arrival (NaN: none).
    last_end: f64,
    /// What is left of `idle` for a container prewarmed after the last end.
    after_prewarm: f64,
    /// Per histogram of the policy, by index.
    histograms: Vec<Bins>,
}

pub fn make(policy: &Arc<KeepAliveExpr>, cold_start: f64) -> Box<dyn KeepAlive> {
    let mut machine = Machine::for_programs(std::iter::once(&policy.idle).chain(policy.prewarm.as_ref()));
    // A constant reads nothing; one that fails says so at its first
    // decision, so it keeps until then.
    let keeps = !policy.idle.is_constant() || !matches!(machine.run(&policy.idle, &mut Nothing), Ok(v) if v <= 0.0);
    Box::new(Written {
        machine,
        keeps,
        retention: policy.longest_window(),
        policy: Arc::clone(policy),
        cold_start,
        functions: Vec::new(),
        scratch: Vec::new(),
        fault: None,
    })
}

/// What a constant expression reads: nothing.
struct Nothing;

impl Observe for Nothing {
    fn observe(&mut self, _observable: Observable) -> f64 {
        f64::NAN
    }
}

/// What an expression of one function reads, at one date.
struct Env<'a> {
    history: &'a History,
    policy: &'a KeepAliveExpr,
    scratch: &'a mut Vec<f64>,
    now: f64,
    ram: f64,
    cold_start: f64,
}

impl Observe for Env<'_> {
    fn observe(&mut self, observable: Observable) -> f64 {
        match observable {
            Observable::Clock => self.now,
            Observable::ColdStartCost => self.cold_start,
            Observable::Memory => self.ram,
            // The checker lets a keep-alive policy read no other.
            _ => f64::NAN,
        }
    }

    fn windowed(&mut self, _arrivals: Observable, window: f64) -> f64 {
        let since = self.now - window;
        self.history.arrivals.iter().rev().take_while(|t| **t >= since).count() as f64
    }

    fn statistic(&mut self, series: Series, statistic: Statistic, window: f64, fraction: f64) -> f64 {
        let Series::IdleTimes = series;
        let since = self.now - window;
        let samples = self
            .history
            .idle_times
            .iter()
            .rev()
            .take_while(|(t, _)| *t >= since)
            .map(|(_, v)| *v);
        match statistic {
            Statistic::Count => samples.count() as f64,
            Statistic::Mean => {
                let (sum, n) = samples.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
                if n == 0 { f64::NAN } else { sum / n as f64 }
            }
            Statistic::Largest => samples.fold(f64::NAN, f64::max),
            Statistic::Percentile => {
                self.scratch.clear();
                self.scratch.extend(samples);
                percentile(self.scratch, fraction)
            }
        }
    }

    fn binned(&mut self, histogram: u16, statistic: Binned, fraction: f64) -> f64 {
        let index = usize::from(histogram);
        let (Some(bins), Some(spec)) = (self.history.histograms.get(index), self.policy.histograms.get(index)) else {
            return f64::NAN;
        };
        match statistic {
            Binned::Percentile if bins.in_range() == 0 => f64::NAN,
            Binned::Percentile => bins.percentile_bin(fraction) as f64 * spec.bin,
            Binned::Count => bins.in_range() as f64,
            Binned::Cv => bins.cv(spec.bins()),
            Binned::CountBeyond => bins.beyond() as f64,
            Binned::MeanBeyond => bins.beyond_mean(),
        }
    }
}

/// The nearest-rank percentile: the smallest sample that at least
/// `fraction` of the samples do not exceed (NaN without samples).
fn percentile(samples: &mut [f64], fraction: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    let rank = ((fraction * samples.len() as f64).ceil() as usize).clamp(1, samples.len());
    let (_, value, _) = samples.select_nth_unstable_by(rank - 1, f64::total_cmp);
    *value
}

impl Written {
    fn history(&mut self, reg: RegId) -> &mut History {
        let i = reg.index();
        if self.functions.len() <= i {
            self.functions.resize_with(i + 1, || History {
                arrivals: VecDeque::new(),
                idle_times: VecDeque::new(),
                last_end: f64::NAN,
                after_prewarm: 0.0,
                histograms: vec![Bins::default(); self.policy.histograms.len()],
            });
        }
        &mut self.functions[i]
    }

    /// Evaluates `program` for the function of `idle`; a fault (kept, the
    /// first one) decides 0: shut down at once, the run stopping anyway.
    fn eval(&mut self, program: &Program, idle: &Idle) -> f64 {
        self.history(idle.reg);
        let mut env = Env {
            history: &self.functions[idle.reg.index()],
            policy: &self.policy,
            scratch: &mut self.scratch,
            now: idle.now,
            ram: idle.ram(),
            cold_start: self.cold_start,
        };
        let result = match self.machine.run(program, &mut env) {
            Ok(v) if v < 0.0 => Err((program.span, "gives a negative time")),
            other => other,
        };
        match result {
            Ok(v) => v,
            Err(failed) => {
                let fault = Fault::of(&self.policy.name, failed, idle.now, Some(idle.reg), None);
                self.fault.get_or_insert(fault);
                0.0
            }
        }
    }
}

impl KeepAlive for Written {
    fn keep_for(&mut self, idle: &Idle) -> f64 {
        if idle.prewarmed {
            return self.history(idle.reg).after_prewarm;
        }
        self.history(idle.reg).last_end = idle.now;
        let policy = Arc::clone(&self.policy);
        self.eval(&policy.idle, idle)
    }

    fn keeps(&self, _reg: RegId) -> bool {
        self.keeps
    }

    fn arrived(&mut self, reg: RegId, now: f64) {
        let retention = self.retention;
        let policy = Arc::clone(&self.policy);
        let h = self.history(reg);
        let since = now - retention;
        h.arrivals.push_back(now);
        if !h.last_end.is_nan() {
            let idle_time = (now - h.last_end).max(0.0);
            h.idle_times.push_back((now, idle_time));
            h.last_end = f64::NAN;
            for (bins, spec) in h.histograms.iter_mut().zip(&policy.histograms) {
                bins.add(idle_time, spec.bin, spec.range, spec.bins());
            }
        }
        while h.arrivals.front().is_some_and(|t| *t < since) {
            h.arrivals.pop_front();
        }
        while h.idle_times.front().is_some_and(|(t, _)| *t < since) {
            h.idle_times.pop_front();
        }
    }

    fn prewarm_after(&mut self, idle: &Idle) -> Option<f64> {
        self.history(idle.reg).last_end = idle.now;
        let policy = Arc::clone(&self.policy);
        let window = self.eval(policy.prewarm.as_ref()?, idle);
        if window <= 0.0 {
            return None;
        }
        let keep = self.eval(&policy.idle, idle);
        self.history(idle.reg).after_prewarm = keep - window;
        Some(window)
    }

    fn fault(&mut self) -> Option<Fault> {
        self.fault.take()
    }
}

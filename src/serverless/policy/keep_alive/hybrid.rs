//! The hybrid histogram keep-alive of Shahrad et al., "Serverless in the
//! Wild", USENIX ATC'20 (section 4.2), per function (the paper's
//! application). The idle times of a function (from the end of an
//! invocation to the next arrival) go into a histogram of `bin`-wide bins
//! over `range` ([`super::histogram::Bins`]); longer ones are out of range
//! (OOB). `examples/policies/written/hybrid.sls` writes this policy in the
//! language (deciding the same). After each invocation:
//! - OOB share >= 1/2: the histogram says little; the next idle time is
//!   predicted (the paper fits ARIMA; ours is the mean of the out-of-range
//!   idle times, which cannot fail), prewarm window = prediction x 0.85,
//!   keep-alive window = prediction x 0.15 x 2;
//! - else the bin counts' coefficient of variation below `cv`: not
//!   representative, the fixed fallback: no prewarm, kept for `range`;
//! - else prewarm window = (bin of the `head` percentile) x `bin` x
//!   (1 - `margin`), and the container is kept until (bin of the `tail`
//!   percentile + 1) x `bin` x (1 + `margin`) after the end.
//!
//! With a prewarm window the container is unloaded at once and loaded again
//! when the window has passed; the keep-alive window is then counted from
//! the end of the invocation, so the prewarmed container stays for what is
//! left of it (the paper's keep-alive "since the pre-warm").

use crate::serverless::ids::RegId;

use super::histogram::Bins;
use super::{Idle, KeepAlive};

/// The share of out-of-range idle times from which the next idle time is
/// predicted instead of read from the histogram (the paper's 50 %).
const OOB_SHARE: f64 = 0.5;
/// The prediction's margin when out of range (the paper's 15 %).
const PREDICTION_MARGIN: f64 = 0.15;

pub struct Hybrid {
    range: f64,
    bin: f64,
    head: f64,
    tail: f64,
    margin: f64,
    cv: f64,
    bins: usize,
    /// Per registration, by its index; made at its first invocation's end.
    functions: Vec<History>,
}

/// `hybrid(range, bin, head, tail, margin, cv)`.
pub fn make(params: &[f64]) -> Box<dyn KeepAlive> {
    let [range, bin, head, tail, margin, cv] = params else {
        panic!("the hybrid keep-alive takes six parameters, given {}", params.len());
    };
    Box::new(Hybrid {
        range: *range,
        bin: *bin,
        head: *head,
        tail: *tail,
        margin: *margin,
        cv: *cv,
        bins: (range / bin).ceil().max(1.0) as usize,
        functions: Vec::new(),
    })
}

/// What the histogram of one function says after an invocation.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Windows {
    /// Seconds after the end before a container is loaded again (0: kept).
    prewarm: f64,
    /// Seconds after the end until which a container is kept.
    keep_until: f64,
}

#[derive(Default)]
struct History {
    idle_times: Bins,
    /// When its last invocation ended, until the next arrival (NaN: none).
    last_end: f64,
    /// The windows, recomputed after the histogram changes.
    windows: Option<Windows>,
}

impl Hybrid {
    fn history(&mut self, reg: RegId) -> &mut History {
        let i = reg.index();
        if self.functions.len() <= i {
            self.functions.resize_with(i + 1, || History {
                last_end: f64::NAN,
                ..History::default()
            });
        }
        &mut self.functions[i]
    }

    fn windows(&mut self, reg: RegId) -> Windows {
        let (range, bin, head, tail, margin, cv, bins) = (
            self.range,
            self.bin,
            self.head,
            self.tail,
            self.margin,
            self.cv,
            self.bins,
        );
        let h = self.history(reg);
        if let Some(w) = h.windows {
            return w;
        }
        let fallback = Windows {
            prewarm: 0.0,
            keep_until: range,
        };
        let idle_times = &h.idle_times;
        let seen = idle_times.in_range() + idle_times.beyond();
        let w = if seen == 0 {
            fallback
        } else if idle_times.beyond() as f64 >= OOB_SHARE * seen as f64 {
            let predicted = idle_times.beyond_mean();
            let prewarm = predicted * (1.0 - PREDICTION_MARGIN);
            Windows {
                prewarm,
                keep_until: prewarm + predicted * PREDICTION_MARGIN * 2.0,
            }
        } else if idle_times.cv(bins) < cv {
            fallback
        } else {
            let head_bin = idle_times.percentile_bin(head / 100.0);
            let tail_bin = idle_times.percentile_bin(tail / 100.0);
            Windows {
                prewarm: head_bin as f64 * bin * (1.0 - margin),
                keep_until: (tail_bin + 1) as f64 * bin * (1.0 + margin),
            }
        };
        h.windows = Some(w);
        w
    }
}

impl KeepAlive for Hybrid {
    fn keep_for(&mut self, idle: &Idle) -> f64 {
        if idle.prewarmed {
            let w = self.windows(idle.reg);
            // The window is counted from the end of the invocation.
            return (w.keep_until - w.prewarm).max(0.0);
        }
        // Sandboxes shared by invocations are not asked `prewarm_after`.
        self.history(idle.reg).last_end = idle.now;
        self.windows(idle.reg).keep_until
    }

    fn keeps(&self, _reg: RegId) -> bool {
        true
    }

    fn arrived(&mut self, reg: RegId, now: f64) {
        let (range, bin, bins) = (self.range, self.bin, self.bins);
        let h = self.history(reg);
        if h.last_end.is_nan() {
            return;
        }
        let idle_time = (now - h.last_end).max(0.0);
        h.last_end = f64::NAN;
        h.windows = None;
        h.idle_times.add(idle_time, bin, range, bins);
    }

    fn prewarm_after(&mut self, idle: &Idle) -> Option<f64> {
        self.history(idle.reg).last_end = idle.now;
        let w = self.windows(idle.reg);
        (w.prewarm > 0.0).then_some(w.prewarm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::policies::{KEEP_ALIVE, find};
    use crate::serverless::ids::{ContainerId, NodeId};

    fn defaults() -> Box<dyn KeepAlive> {
        let row = find(KEEP_ALIVE, "hybrid").expect("hybrid row");
        let params: Vec<f64> = row.params.iter().map(|p| p.default).collect();
        make(&params)
    }

    static NAME: String = String::new();

    fn end(at: f64, prewarmed: bool) -> Idle<'static> {
        Idle {
            container: ContainerId(0),
            reg: RegId(0),
            function: &NAME,
            node: NodeId(0),
            now: at,
            prewarmed,
            ram: &0.0,
        }
    }

    /// Invocations every `period` seconds lasting one second, `n` times:
    /// the policy's windows after the last one ends.
    fn periodic(policy: &mut dyn KeepAlive, periods: &[f64]) -> (Option<f64>, f64) {
        let mut t = 0.0;
        let mut decision = (None, 0.0);
        for period in periods {
            policy.arrived(RegId(0), t);
            let idle = end(t + 1.0, false);
            decision = (policy.prewarm_after(&idle), policy.keep_for(&idle));
            t += period;
        }
        decision
    }

    #[test]
    fn a_ten_minute_period_is_prewarmed_just_before_ten_minutes_and_warm_at_the_next_arrival() {
        let mut policy = defaults();
        let (prewarm, _) = periodic(policy.as_mut(), &[600.0; 30]);
        let prewarm = prewarm.expect("a periodic function is prewarmed");
        // Idle times are 599 s: bin 9 (9-10 min); prewarm = 9 min x 0.9.
        assert_eq!(prewarm, 9.0 * 60.0 * 0.9);
        assert!(prewarm < 599.0);
        let kept = policy.keep_for(&end(1.0 + prewarm, true));
        // Kept until (9 + 1) min x 1.1 after the end: past the next arrival.
        assert_eq!(prewarm + kept, 10.0 * 60.0 * 1.1);
        assert!(prewarm + kept > 599.0);
    }

    #[test]
    fn a_too_variable_function_falls_back_to_the_fixed_range() {
        let mut policy = defaults();
        // Idle times spread evenly over the range: every bin alike, CV 0.
        let periods: Vec<f64> = (0..240).map(|i| 60.0 * i as f64 + 31.0).collect();
        let (prewarm, keep) = periodic(policy.as_mut(), &periods);
        assert_eq!(prewarm, None);
        assert_eq!(keep, 4.0 * 3600.0);
    }

    #[test]
    fn mostly_out_of_range_idle_times_are_predicted() {
        let mut policy = defaults();
        let (prewarm, keep) = periodic(policy.as_mut(), &[6.0 * 3600.0; 5]);
        let predicted = 6.0 * 3600.0 - 1.0;
        assert_eq!(prewarm, Some(predicted * 0.85));
        assert!((keep - predicted * (0.85 + 0.3)).abs() < 1e-6);
    }

    #[test]
    fn a_function_never_idle_before_is_kept_for_the_range() {
        let mut policy = defaults();
        let idle = end(1.0, false);
        assert_eq!(policy.prewarm_after(&idle), None);
        assert_eq!(policy.keep_for(&idle), 4.0 * 3600.0);
    }
}

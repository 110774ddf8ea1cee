//! A cumulative quantity sampled over time (invocation-seconds in flight,
//! arrivals), and its average rate over a trailing window: what an
//! autoscaler's windows average. Between two samples the quantity is taken
//! to grow linearly, which is exact for in-flight seconds while nothing
//! arrives or ends (the service asks its autoscaler at each arrival and
//! end when it is not asking at dates), and within one tick otherwise
//! (Knative's buckets are as coarse).

use std::collections::VecDeque;

#[derive(Debug, Clone)]
pub struct Series {
    /// (date, value), dates increasing; the run starts at 0 with 0.
    samples: VecDeque<(f64, f64)>,
}

impl Default for Series {
    fn default() -> Self {
        Series {
            samples: VecDeque::from([(0.0, 0.0)]),
        }
    }
}

impl Series {
    /// Records the value at `now`, forgetting samples older than `keep`
    /// seconds before it (one before that bound stays, to interpolate).
    pub fn record(&mut self, now: f64, value: f64, keep: f64) {
        match self.samples.back_mut() {
            Some(last) if last.0 >= now => last.1 = value,
            _ => self.samples.push_back((now, value)),
        }
        while self.samples.len() > 2 && self.samples[1].0 <= now - keep {
            self.samples.pop_front();
        }
    }

    /// The average rate of growth over the `window` seconds before the last
    /// sample (`now`), or over the run so far when it is shorter.
    pub fn per_second(&self, now: f64, window: f64) -> f64 {
        let from = (now - window).max(0.0);
        let span = now - from;
        if span <= 0.0 {
            return 0.0;
        }
        (self.value_at(now) - self.value_at(from)) / span
    }

    fn value_at(&self, t: f64) -> f64 {
        let after = self.samples.iter().position(|s| s.0 >= t);
        match after {
            None => self.samples.back().map_or(0.0, |s| s.1),
            Some(0) => self.samples[0].1,
            Some(i) => {
                let (t0, v0) = self.samples[i - 1];
                let (t1, v1) = self.samples[i];
                v0 + (v1 - v0) * (t - t0) / (t1 - t0)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_step_of_load_averages_over_the_window() {
        // 5 in flight from 0 to 100 s, then 50 from 100 s.
        let mut s = Series::default();
        s.record(100.0, 500.0, 60.0);
        assert_eq!(s.per_second(100.0, 60.0), 5.0);
        s.record(106.0, 500.0 + 300.0, 60.0);
        // The last 6 s: 50; the last 60 s: (54 x 5 + 6 x 50) / 60 = 9.5.
        assert_eq!(s.per_second(106.0, 6.0), 50.0);
        assert!((s.per_second(106.0, 60.0) - 9.5).abs() < 1e-12);
    }
}

//! How long requests waited for their service before they were submitted,
//! per service with a processing overhead: WRENCH's service pays each
//! request's overhead in turn, and an invocation is submitted once its
//! overhead is paid, so the time from a request's arrival at the service
//! to its `submit` date (the overhead of the requests ahead of it, and its
//! own) is not in latency (`end - submit`). Counted here, beside it.

use serde::{Deserialize, Serialize};

use super::record::Names;
use super::summary::Summary;

#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct AdmissionWait {
    /// Requests that paid the service's processing overhead.
    pub requests: u64,
    /// Their mean wait from arrival to submission, in seconds (set by
    /// [`AdmissionWait::summed`]).
    pub mean: f64,
    /// The longest, in seconds.
    pub max: f64,
    /// The waits summed, for the mean.
    #[serde(skip)]
    total: f64,
}

impl AdmissionWait {
    /// One request submitted `wait` seconds after it arrived.
    pub fn add(&mut self, wait: f64) {
        self.requests += 1;
        self.total += wait;
        self.max = self.max.max(wait);
    }

    /// The waits counted so far, their mean set.
    pub fn summed(mut self) -> AdmissionWait {
        self.mean = if self.requests > 0 {
            self.total / self.requests as f64
        } else {
            0.0
        };
        self
    }
}

impl Summary {
    /// Adds each service's admission wait (indexed like `names.services`;
    /// `None` for a service without processing overhead) to its part.
    pub fn add_admission(&mut self, names: &Names, by_service: &[Option<AdmissionWait>]) {
        for part in &mut self.services {
            part.admission = names
                .services
                .iter()
                .position(|s| *s == part.name)
                .and_then(|s| by_service.get(s).copied().flatten());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mean_and_the_longest_wait_are_exact() {
        let mut wait = AdmissionWait::default();
        for w in [0.01, 0.015, 0.02] {
            wait.add(w);
        }
        let wait = wait.summed();
        assert_eq!(wait.requests, 3);
        assert!((wait.mean - 0.015).abs() < 1e-15);
        assert_eq!(wait.max, 0.02);
    }
}

//! The closed model: a fixed population of users, each invoking again after
//! a think time once its previous invocation completes. The service layer
//! drives it, since only it knows when invocations complete.
//!
//! Protocol: at the window's start, call [`ClosedLoop::first`] once per user
//! (`users()` times); whenever a user's invocation completes (all `burst`
//! copies of it, if the service layer waits for the whole burst), call
//! [`ClosedLoop::next_after`] with the completion date to get that user's next
//! arrival. `None` means that user stops: the window's duration is over or its
//! `count` of arrival instants (counted across all users) is used up.

use crate::ir::Distribution;
use crate::ir::workload::Window;

use super::arrivals::Arrival;
use super::random::StreamRng;

/// The state of a closed stream: users, think-time sampler and window.
#[derive(Debug, Clone)]
pub struct ClosedLoop {
    users: u64,
    think: Distribution,
    rng: StreamRng,
    start: f64,
    /// Date past which nothing arrives (`inf` when unbounded).
    end: f64,
    remaining: u64,
    burst: u64,
}

impl ClosedLoop {
    /// A closed stream of `users` users thinking `think` seconds between invocations.
    pub fn new(users: u64, think: Distribution, window: &Window, rng: StreamRng) -> Self {
        ClosedLoop {
            users,
            think,
            rng,
            start: window.start,
            end: window.start + window.duration.unwrap_or(f64::INFINITY),
            remaining: window.count.unwrap_or(u64::MAX),
            burst: window.burst,
        }
    }

    /// Number of users (call [`first`](Self::first) this many times).
    pub fn users(&self) -> u64 {
        self.users
    }

    /// One think time, in seconds (negative draws count as 0).
    pub fn think_time(&mut self) -> f64 {
        self.rng.sample(&self.think).max(0.0)
    }

    /// A user's first arrival, at the window's start.
    pub fn first(&mut self) -> Option<Arrival> {
        self.arrive(self.start)
    }

    /// The next arrival of a user whose invocation completed at `completed`:
    /// a think time later (never before the window's start).
    pub fn next_after(&mut self, completed: f64) -> Option<Arrival> {
        let time = completed.max(self.start) + self.think_time();
        self.arrive(time)
    }

    fn arrive(&mut self, time: f64) -> Option<Arrival> {
        // A NaN date compares as not `Less`, so it is refused too.
        if self.remaining == 0 || time.partial_cmp(&self.end) != Some(std::cmp::Ordering::Less) {
            return None;
        }
        self.remaining -= 1;
        Some(Arrival {
            time,
            burst: self.burst,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn closed(count: Option<u64>, duration: Option<f64>) -> ClosedLoop {
        let window = Window {
            start: 5.0,
            duration,
            count,
            burst: 2,
        };
        ClosedLoop::new(2, Distribution::Constant(1.5), &window, StreamRng::new(1, "c"))
    }

    #[test]
    fn users_start_together_and_think_between_invocations() {
        let mut c = closed(None, None);
        assert_eq!(c.users(), 2);
        assert_eq!(c.first(), Some(Arrival { time: 5.0, burst: 2 }));
        assert_eq!(c.first(), Some(Arrival { time: 5.0, burst: 2 }));
        assert_eq!(c.next_after(7.0), Some(Arrival { time: 8.5, burst: 2 }));
    }

    #[test]
    fn count_is_shared_by_all_users() {
        let mut c = closed(Some(3), None);
        assert!(c.first().is_some());
        assert!(c.first().is_some());
        assert!(c.next_after(6.0).is_some());
        assert_eq!(c.next_after(6.0), None);
    }

    #[test]
    fn nothing_arrives_after_the_window() {
        let mut c = closed(None, Some(3.0));
        assert!(c.next_after(6.0).is_some());
        assert_eq!(c.next_after(7.0), None);
    }
}

//! Open arrival generators: lazy iterators of arrival dates for `once`,
//! `every`, paced and Poisson streams, honouring the stream's window.
//!
//! Window semantics: arrivals fall in the half-open interval
//! `[start, start + duration)`, and at most `count` arrival instants are
//! produced; each instant carries `burst` invocations. Nothing is allocated
//! while iterating (the rate profile is copied once, at construction).

use crate::ir::Distribution;
use crate::ir::workload::{Arrivals, Window};

use super::closed::ClosedLoop;
use super::random::StreamRng;
use super::rate::RateClock;

/// One arrival instant of a stream.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Arrival {
    /// Absolute date, in seconds.
    pub time: f64,
    /// Invocations submitted together at this date.
    pub burst: u64,
}

/// What drives a stream: a precomputable sequence of dates, or a closed loop
/// of users that the service layer advances as invocations complete.
#[derive(Debug, Clone)]
pub enum ArrivalSource {
    /// `once`, `every`, paced and Poisson streams.
    Open(OpenArrivals),
    /// A closed model (see [`ClosedLoop`]).
    Closed(ClosedLoop),
}

impl ArrivalSource {
    /// The driver of a stream with these arrivals and window, drawing from `rng`
    /// (give each stream its own, e.g. `StreamRng::new(seed, "work#2")`).
    pub fn new(arrivals: &Arrivals, window: &Window, rng: StreamRng) -> Self {
        match arrivals {
            Arrivals::Closed { users, think } => {
                ArrivalSource::Closed(ClosedLoop::new(*users, think.clone(), window, rng))
            }
            _ => ArrivalSource::Open(OpenArrivals::new(arrivals, window, rng)),
        }
    }
}

/// How the next offset (since the window's start) is found.
#[derive(Debug, Clone)]
enum Spacing {
    Once,
    /// Constant period: the k-th arrival at `k * period`, free of accumulated rounding.
    Fixed {
        period: f64,
    },
    /// Random period: each gap drawn anew (negative draws count as 0).
    Random {
        period: Distribution,
        next: f64,
        rng: StreamRng,
    },
    /// k-th arrival (k = 0, 1, ...) where the rate integral reaches k: the
    /// first at the window's start, as with `every`, so that a window holds
    /// rate x duration arrivals.
    Paced {
        clock: RateClock,
    },
    /// Arrivals where the rate integral reaches a running sum of Exp(1) draws.
    Poisson {
        clock: RateClock,
        level: f64,
        rng: StreamRng,
    },
}

/// The dates of an open stream, in nondecreasing order.
#[derive(Debug, Clone)]
pub struct OpenArrivals {
    spacing: Spacing,
    start: f64,
    /// Offset past which nothing arrives (`inf` when unbounded).
    span: f64,
    /// Arrival instants produced so far.
    produced: u64,
    /// Arrival instants allowed (`u64::MAX` when unbounded).
    limit: u64,
    burst: u64,
    done: bool,
}

impl OpenArrivals {
    /// The generator of an open stream. A `Closed` description yields an empty
    /// stream: use [`ArrivalSource::new`] to get its [`ClosedLoop`] instead.
    pub fn new(arrivals: &Arrivals, window: &Window, rng: StreamRng) -> Self {
        let mut done = false;
        let mut limit = window.count.unwrap_or(u64::MAX);
        let spacing = match arrivals {
            Arrivals::Once => Spacing::Once,
            Arrivals::Every {
                period: Distribution::Constant(period),
            } => Spacing::Fixed {
                period: period.max(0.0),
            },
            Arrivals::Every { period } => Spacing::Random {
                period: period.clone(),
                next: 0.0,
                rng,
            },
            Arrivals::Paced { profile } => {
                let clock = RateClock::new(profile);
                // Levels 0, 1, ... strictly below the profile's total: a
                // profile integrating to n sends n arrivals, not one more at
                // the instant its rate reaches 0. The tolerance absorbs the
                // rounding of a total that is a whole number.
                let total = clock.total_level();
                if total.is_finite() {
                    limit = limit.min((total * (1.0 - 1e-12)).ceil().max(0.0) as u64);
                }
                Spacing::Paced { clock }
            }
            Arrivals::Poisson { profile } => Spacing::Poisson {
                clock: RateClock::new(profile),
                level: 0.0,
                rng,
            },
            Arrivals::Closed { .. } => {
                done = true;
                Spacing::Once
            }
        };
        OpenArrivals {
            spacing,
            start: window.start,
            span: window.duration.unwrap_or(f64::INFINITY),
            produced: 0,
            limit,
            burst: window.burst,
            done,
        }
    }

    /// Offset of the next arrival since the window's start, `None` when the
    /// spacing has no more arrivals.
    fn next_offset(&mut self) -> Option<f64> {
        let k = self.produced;
        match &mut self.spacing {
            Spacing::Once => (k == 0).then_some(0.0),
            Spacing::Fixed { period } => Some(k as f64 * *period),
            Spacing::Random { period, next, rng } => {
                let offset = *next;
                *next += rng.sample(period).max(0.0);
                Some(offset)
            }
            Spacing::Paced { clock } => clock.time_at(k as f64),
            Spacing::Poisson { clock, level, rng } => {
                *level += rng.exp1();
                clock.time_at(*level)
            }
        }
    }
}

impl Iterator for OpenArrivals {
    type Item = Arrival;

    fn next(&mut self) -> Option<Arrival> {
        if self.done || self.produced >= self.limit {
            self.done = true;
            return None;
        }
        match self.next_offset() {
            // `!(offset < span)` also stops on a NaN offset.
            Some(offset) if offset < self.span => {
                self.produced += 1;
                Some(Arrival {
                    time: self.start + offset,
                    burst: self.burst,
                })
            }
            _ => {
                self.done = true;
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::workload::{RateProfile, RateSegment};

    fn window(start: f64, duration: Option<f64>, count: Option<u64>) -> Window {
        Window {
            start,
            duration,
            count,
            burst: 1,
        }
    }

    fn times(arrivals: &Arrivals, window: &Window) -> Vec<f64> {
        OpenArrivals::new(arrivals, window, StreamRng::new(1, "t"))
            .map(|a| a.time)
            .collect()
    }

    #[test]
    fn once_arrives_at_the_start_with_its_burst() {
        let w = Window {
            burst: 100,
            ..window(30.0, None, None)
        };
        let all: Vec<Arrival> = OpenArrivals::new(&Arrivals::Once, &w, StreamRng::new(1, "o")).collect();
        assert_eq!(all, vec![Arrival { time: 30.0, burst: 100 }]);
    }

    #[test]
    fn every_honours_count_and_half_open_duration() {
        let every = Arrivals::Every {
            period: Distribution::Constant(1.0),
        };
        assert_eq!(times(&every, &window(2.0, None, Some(3))), vec![2.0, 3.0, 4.0]);
        assert_eq!(times(&every, &window(0.0, Some(3.0), None)).len(), 3);
    }

    #[test]
    fn random_every_draws_each_gap() {
        let every = Arrivals::Every {
            period: Distribution::Uniform { low: 1.0, high: 2.0 },
        };
        let t = times(&every, &window(0.0, None, Some(50)));
        assert_eq!(t[0], 0.0);
        for pair in t.windows(2) {
            let gap = pair[1] - pair[0];
            assert!((1.0..2.0).contains(&gap), "{gap}");
        }
    }

    #[test]
    fn paced_constant_rate_spaces_evenly() {
        let paced = Arrivals::Paced {
            profile: RateProfile::constant(2.0),
        };
        assert_eq!(
            times(&paced, &window(10.0, Some(2.0), None)),
            vec![10.0, 10.5, 11.0, 11.5]
        );
    }

    #[test]
    fn paced_profile_ending_at_zero_sends_its_integral() {
        // 2/s for 2 s, then 2/s -> 0 over 2 s: 4 + 2 = 6 arrivals, none at 4 s.
        let paced = Arrivals::Paced {
            profile: RateProfile {
                segments: vec![
                    RateSegment {
                        duration: 2.0,
                        from: 2.0,
                        to: 2.0,
                    },
                    RateSegment {
                        duration: 2.0,
                        from: 2.0,
                        to: 0.0,
                    },
                ],
            },
        };
        let got = times(&paced, &window(0.0, None, None));
        assert_eq!(got.len(), 6, "{got:?}");
        assert!(got.iter().all(|&t| t < 4.0), "{got:?}");
        let silent = Arrivals::Paced {
            profile: RateProfile {
                segments: vec![RateSegment {
                    duration: 5.0,
                    from: 0.0,
                    to: 0.0,
                }],
            },
        };
        assert!(times(&silent, &window(0.0, None, None)).is_empty());
    }

    #[test]
    fn zero_rate_streams_end_at_once() {
        let poisson = Arrivals::Poisson {
            profile: RateProfile::constant(0.0),
        };
        assert!(times(&poisson, &window(0.0, None, None)).is_empty());
    }

    #[test]
    fn closed_descriptions_are_not_open_streams() {
        let closed = Arrivals::Closed {
            users: 3,
            think: Distribution::Constant(1.0),
        };
        assert!(times(&closed, &window(0.0, None, None)).is_empty());
        let source = ArrivalSource::new(&closed, &window(0.0, None, None), StreamRng::new(1, "c"));
        assert!(matches!(source, ArrivalSource::Closed(_)));
    }
}

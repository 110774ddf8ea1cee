//! Inverting the cumulative arrival rate of a piecewise-linear [`RateProfile`]:
//! "at what date does the integral of the rate reach this level?".

use crate::ir::workload::RateProfile;

/// One sanitised piece of a profile: rate `from + slope * x` for `x` in `[0, duration]`.
#[derive(Debug, Clone, Copy)]
struct Piece {
    duration: f64,
    from: f64,
    slope: f64,
    /// Integral of the rate over the piece (`inf` for an endless positive piece).
    area: f64,
}

impl Piece {
    fn new(duration: f64, from: f64, to: f64) -> Self {
        // Negative and NaN rates mean "nothing arrives"; `max` maps NaN to 0.
        let (from, to) = (from.max(0.0), to.max(0.0));
        if duration.is_infinite() {
            let area = if from > 0.0 { f64::INFINITY } else { 0.0 };
            return Piece {
                duration,
                from,
                slope: 0.0,
                area,
            };
        }
        let duration = duration.max(0.0);
        let slope = if duration > 0.0 { (to - from) / duration } else { 0.0 };
        Piece {
            duration,
            from,
            slope,
            area: (from + to) / 2.0 * duration,
        }
    }

    /// Offset `x` in the piece where the integral from its start reaches `d > 0`
    /// (`d <= area`): the root of `from * x + slope * x^2 / 2 = d`, written as
    /// `2d / (from + sqrt(from^2 + 2 slope d))` to avoid cancellation when the
    /// slope is small or negative.
    fn offset_of(&self, d: f64) -> f64 {
        let x = if self.slope == 0.0 {
            d / self.from
        } else {
            let disc = (self.from * self.from + 2.0 * self.slope * d).max(0.0);
            2.0 * d / (self.from + disc.sqrt())
        };
        x.clamp(0.0, self.duration)
    }
}

/// Walks a rate profile forward in time; levels asked for must not decrease.
///
/// The profile is sanitised once: negative or NaN rates count as 0, an endless
/// piece (`duration = inf`) keeps its `from` rate, and an endless piece at the
/// profile's final rate is appended, as the IR specifies.
#[derive(Debug, Clone)]
pub(crate) struct RateClock {
    pieces: Vec<Piece>,
    index: usize,
    /// Date (since the stream's start) where the current piece begins.
    piece_start: f64,
    /// Integral of the rate from the stream's start to `piece_start`.
    piece_level: f64,
}

impl RateClock {
    pub(crate) fn new(profile: &RateProfile) -> Self {
        let mut pieces: Vec<Piece> = profile
            .segments
            .iter()
            .map(|s| Piece::new(s.duration, s.from, s.to))
            .collect();
        let last_finite = pieces.last().is_none_or(|p| p.duration.is_finite());
        if last_finite {
            let final_rate = profile.segments.last().map_or(0.0, |s| s.to);
            pieces.push(Piece::new(f64::INFINITY, final_rate, final_rate));
        }
        RateClock {
            pieces,
            index: 0,
            piece_start: 0.0,
            piece_level: 0.0,
        }
    }

    /// Integral of the rate over the whole profile: finite when the rate ends at 0.
    pub(crate) fn total_level(&self) -> f64 {
        self.pieces.iter().map(|p| p.area).sum()
    }

    /// The date where the integral of the rate reaches `level`, or `None` when
    /// the rate has dropped to zero for good before that.
    pub(crate) fn time_at(&mut self, level: f64) -> Option<f64> {
        loop {
            let piece = *self.pieces.get(self.index)?;
            let d = level - self.piece_level;
            if d <= 0.0 {
                return Some(self.piece_start);
            }
            if d <= piece.area {
                return Some(self.piece_start + piece.offset_of(d));
            }
            if piece.duration.is_infinite() {
                return None;
            }
            self.piece_level += piece.area;
            self.piece_start += piece.duration;
            self.index += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::workload::RateSegment;

    fn profile(segments: &[(f64, f64, f64)]) -> RateProfile {
        RateProfile {
            segments: segments
                .iter()
                .map(|&(duration, from, to)| RateSegment { duration, from, to })
                .collect(),
        }
    }

    #[test]
    fn constant_rate_inverts_linearly() {
        let mut clock = RateClock::new(&RateProfile::constant(4.0));
        assert_eq!(clock.time_at(1.0), Some(0.25));
        assert_eq!(clock.time_at(8.0), Some(2.0));
    }

    #[test]
    fn ramp_inverts_the_quadratic_exactly() {
        // Rate 0 -> 10 over 10 s: integral t^2 / 2, so level 2 at t = 2.
        let mut clock = RateClock::new(&profile(&[(10.0, 0.0, 10.0)]));
        let t = clock.time_at(2.0).unwrap();
        assert!((t - 2.0).abs() < 1e-12, "{t}");
        // Past the ramp the rate stays at 10: level 50 at t = 10, 60 at t = 11.
        let t = clock.time_at(60.0).unwrap();
        assert!((t - 11.0).abs() < 1e-12, "{t}");
    }

    #[test]
    fn decreasing_ramp_inverts_exactly() {
        // Rate 10 -> 0 over 10 s: integral 10t - t^2/2; level 32 at t = 4.
        let mut clock = RateClock::new(&profile(&[(10.0, 10.0, 0.0)]));
        let t = clock.time_at(32.0).unwrap();
        assert!((t - 4.0).abs() < 1e-12, "{t}");
        assert_eq!(clock.time_at(50.0), Some(10.0));
        assert_eq!(clock.time_at(50.5), None);
    }

    #[test]
    fn zero_rate_gaps_are_skipped() {
        let mut clock = RateClock::new(&profile(&[(5.0, 1.0, 1.0), (100.0, 0.0, 0.0), (5.0, 2.0, 2.0)]));
        assert_eq!(clock.time_at(5.0), Some(5.0));
        assert_eq!(clock.time_at(6.0), Some(105.5));
        assert_eq!(clock.time_at(16.0), Some(110.5));
    }

    #[test]
    fn empty_zero_and_negative_profiles_never_reach_a_level() {
        assert_eq!(RateClock::new(&profile(&[])).time_at(1.0), None);
        assert_eq!(RateClock::new(&RateProfile::constant(0.0)).time_at(1.0), None);
        assert_eq!(RateClock::new(&RateProfile::constant(-3.0)).time_at(1.0), None);
        assert_eq!(RateClock::new(&RateProfile::constant(f64::NAN)).time_at(1.0), None);
    }

    #[test]
    fn a_profile_falls_silent_exactly_when_its_integral_is_finite() {
        let cases: [&[(f64, f64, f64)]; 6] = [
            &[(10.0, 0.0, 2.0), (10.0, 2.0, 0.0)],
            &[(10.0, 2.0, 2.0), (f64::INFINITY, 0.0, 0.0)],
            &[(10.0, 2.0, 2.0)],
            &[(f64::INFINITY, 3.0, 3.0)],
            &[(f64::INFINITY, 3.0, 0.0)],
            &[],
        ];
        for segments in cases {
            let p = profile(segments);
            let finite = RateClock::new(&p).total_level().is_finite();
            assert_eq!(p.falls_silent(), finite, "{segments:?}");
        }
    }
}

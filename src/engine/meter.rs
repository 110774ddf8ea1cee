//! Exact means over intervals of simulated time for quantities that stay
//! constant between changes (a capacity's load, containers by state,
//! reserved memory): each quantity is integrated from change to change, so
//! every interval's mean is its time-weighted average, not a sample.
//!
//! Interval `k` spans `[k x interval, (k + 1) x interval)`. Changes come in
//! date order; a change first closes the intervals that ended before it.
//! The last interval is cut at the end date given to [`Meter::finish`].
//!
//! At most [`MAX_INTERVALS`] intervals are kept, fewer when a run meters
//! many quantities ([`kept_intervals`]): a run outlasting them (a 1 s
//! interval over a two-week trace, a trace's duration of 1e308 s) has its
//! intervals widened two by two, as often as it takes, every mean staying
//! exact, so that memory stays bounded and a jump of the clock costs the
//! intervals kept, not those it spans. Every meter of a run widens at the
//! same dates (when the clock reaches the intervals kept), so their rows
//! keep one grid.

/// Intervals kept at most (a day and a half at one second each).
pub const MAX_INTERVALS: u64 = 1 << 17;

/// Intervals kept at least, however many quantities are metered.
pub const MIN_INTERVALS: u64 = 1 << 6;

/// Values a run's time series may hold, over all its quantities and
/// intervals: a GiB of means (8 bytes each). Twenty thousand functions
/// (an Azure day's) metered each second would otherwise take some 150 GB
/// in a day.
pub const SERIES_CELLS: u64 = 1 << 27;

/// The intervals a run keeps when it meters `quantities` values per
/// interval and its series may hold `cells` ([`SERIES_CELLS`] unless a
/// test says otherwise): as many as that allows, within [`MIN_INTERVALS`]
/// and [`MAX_INTERVALS`].
pub fn kept_intervals(quantities: u64, cells: u64) -> u64 {
    (cells / quantities.max(1)).clamp(MIN_INTERVALS, MAX_INTERVALS)
}

/// Whether `date` lies `kept` intervals of `interval` or more from the
/// start, so that the intervals must widen to hold it: the one rule every
/// meter and `report::Occupancy` follow, with the run's one `kept`, so
/// that a run's tables keep one grid.
#[inline]
pub fn must_widen(date: f64, interval: f64, kept: u64) -> bool {
    date >= kept as f64 * interval && date.is_finite()
}

/// Quantities metered over fixed intervals.
#[derive(Debug, Clone)]
pub struct Meter {
    interval: f64,
    /// Intervals kept at most ([`must_widen`]).
    kept: u64,
    /// Index of the interval still open.
    open: u64,
    values: Vec<f64>,
    /// When each value was last integrated (within the open interval).
    since: Vec<f64>,
    /// Integral of each value over the open interval so far.
    sums: Vec<f64>,
    /// Means of the closed intervals, interval after interval (a row is
    /// as wide as the quantities were when it closed).
    closed: Vec<Vec<f64>>,
}

/// What a meter measured: one row of means per interval.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metered {
    /// Seconds per interval.
    pub interval: f64,
    /// Seconds the last interval covers (the run ended inside it).
    pub last: f64,
    /// Means, one row per interval; quantities added later than an
    /// interval are missing from its row (their mean there is 0).
    pub rows: Vec<Vec<f64>>,
}

impl Metered {
    /// Quantity `i`'s mean over interval `k`.
    pub fn mean(&self, k: usize, i: usize) -> f64 {
        self.rows[k].get(i).copied().unwrap_or(0.0)
    }

    /// How many intervals were measured.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Seconds interval `k` covers.
    pub fn seconds(&self, k: usize) -> f64 {
        if k + 1 == self.len() { self.last } else { self.interval }
    }
}

impl Meter {
    /// `quantities` quantities, all 0, over intervals of `interval` seconds.
    pub fn new(interval: f64, quantities: usize) -> Meter {
        Meter {
            interval,
            kept: MAX_INTERVALS,
            open: 0,
            values: vec![0.0; quantities],
            since: vec![0.0; quantities],
            sums: vec![0.0; quantities],
            closed: Vec::new(),
        }
    }

    /// The meter keeping at most `kept` intervals ([`kept_intervals`]).
    pub fn keeping(mut self, kept: u64) -> Meter {
        self.kept = kept;
        self
    }

    /// Makes room for `quantities` quantities; new ones are 0 until set.
    pub fn ensure(&mut self, quantities: usize) {
        if quantities > self.values.len() {
            let since = self.open as f64 * self.interval;
            self.values.resize(quantities, 0.0);
            self.since.resize(quantities, since);
            self.sums.resize(quantities, 0.0);
        }
    }

    /// How many quantities are metered.
    pub fn quantities(&self) -> usize {
        self.values.len()
    }

    /// Quantity `i` is `value` from `now` on.
    #[inline]
    pub fn set(&mut self, now: f64, i: usize, value: f64) {
        if value == self.values[i] {
            return;
        }
        self.advance(now);
        self.sums[i] += self.values[i] * (now - self.since[i]);
        self.since[i] = now;
        self.values[i] = value;
    }

    /// Quantity `i` changes by `delta` at `now`.
    #[inline]
    pub fn add(&mut self, now: f64, i: usize, delta: f64) {
        let value = self.values[i] + delta;
        self.set(now, i, value);
    }

    /// Closes the intervals that end at or before `now`, first widening
    /// them while `now` lies the intervals kept or more ahead.
    #[inline]
    pub fn advance(&mut self, now: f64) {
        while must_widen(now, self.interval, self.kept) {
            self.widen();
        }
        while now >= self.end_of_open() {
            self.close(self.end_of_open());
        }
    }

    /// Doubles the interval: closed intervals merge two by two (the mean
    /// of two of equal length is their average); the open one takes in
    /// the closed one before it when it started halfway through a new one.
    #[cold]
    fn widen(&mut self) {
        let width = self.interval;
        if self.open % 2 == 1 {
            let before = self.closed.pop().expect("the interval before the open one is closed");
            for (sum, mean) in self.sums.iter_mut().zip(before) {
                *sum += mean * width;
            }
        }
        let closed = std::mem::take(&mut self.closed);
        let mut pairs = closed.into_iter();
        while let (Some(first), Some(second)) = (pairs.next(), pairs.next()) {
            let wide = first.len().max(second.len());
            let at = |row: &Vec<f64>, i: usize| row.get(i).copied().unwrap_or(0.0);
            self.closed
                .push((0..wide).map(|i| (at(&first, i) + at(&second, i)) / 2.0).collect());
        }
        self.open /= 2;
        self.interval = 2.0 * width;
    }

    fn end_of_open(&self) -> f64 {
        (self.open + 1) as f64 * self.interval
    }

    /// Closes the open interval at `end`, its means over `end` less its start.
    fn close(&mut self, end: f64) {
        let seconds = end - self.open as f64 * self.interval;
        let mut row = Vec::with_capacity(self.values.len());
        for ((sum, since), value) in self.sums.iter_mut().zip(&mut self.since).zip(&self.values) {
            *sum += value * (end - *since);
            *since = end;
            row.push(if seconds > 0.0 { *sum / seconds } else { *value });
            *sum = 0.0;
        }
        self.closed.push(row);
        self.open += 1;
    }

    /// The means of every interval up to `end`, the last one cut there.
    pub fn finish(mut self, end: f64) -> Metered {
        self.advance(end);
        let last = end - self.open as f64 * self.interval;
        if last > 0.0 || self.open == 0 {
            self.close(end);
        }
        let last = if last > 0.0 {
            last
        } else {
            self.interval.min(end.max(0.0))
        };
        Metered {
            interval: self.interval,
            last,
            rows: self.closed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn means_are_time_weighted_within_each_interval() {
        let mut meter = Meter::new(1.0, 2);
        meter.set(0.25, 0, 4.0); // 4 from 0.25 to 2.5
        meter.add(1.5, 1, 1.0); // 1 from 1.5 on
        meter.set(2.5, 0, 0.0);
        let metered = meter.finish(3.0);
        assert_eq!(metered.rows, [[3.0, 0.0], [4.0, 0.5], [2.0, 1.0]]);
        assert_eq!((metered.len(), metered.seconds(2)), (3, 1.0));
    }

    #[test]
    fn a_quantity_added_late_counts_from_the_open_interval() {
        let mut meter = Meter::new(1.0, 1);
        meter.set(0.5, 0, 2.0);
        meter.advance(1.2);
        meter.ensure(2);
        meter.set(1.5, 1, 4.0);
        let metered = meter.finish(2.0);
        assert_eq!(
            (metered.mean(0, 1), metered.mean(1, 1), metered.mean(1, 0)),
            (0.0, 2.0, 2.0)
        );
    }

    /// A meter of `n` intervals of 1 s: quantity 0 is the interval's
    /// index, quantity 1 (added at 3 s) is 1.
    fn stairs(n: u64) -> Meter {
        let mut meter = Meter::new(1.0, 1);
        for k in 0..n {
            if k == 3 {
                meter.ensure(2);
                meter.set(3.0, 1, 1.0);
            }
            meter.set(k as f64, 0, k as f64);
        }
        meter
    }

    #[test]
    fn the_intervals_kept_follow_the_quantities_metered() {
        assert_eq!(kept_intervals(1, SERIES_CELLS), MAX_INTERVALS);
        assert_eq!(kept_intervals(1024, SERIES_CELLS), MAX_INTERVALS);
        assert_eq!(kept_intervals(1025, SERIES_CELLS), SERIES_CELLS / 1025);
        // Twenty thousand functions of one service: some 600.
        assert_eq!(kept_intervals(20_000 * 11, SERIES_CELLS), 610);
        assert_eq!(kept_intervals(u64::MAX, SERIES_CELLS), MIN_INTERVALS);
    }

    #[test]
    fn a_meter_keeping_fewer_intervals_widens_at_them() {
        let mut meter = Meter::new(1.0, 1).keeping(8);
        for k in 0..20 {
            meter.set(k as f64, 0, k as f64);
        }
        let metered = meter.finish(20.0);
        // 20 s outlast 8 intervals of 1 s and of 2 s: intervals of 4 s.
        assert_eq!(metered.interval, 4.0);
        assert_eq!(metered.rows, [[1.5], [5.5], [9.5], [13.5], [17.5]]);
    }

    #[test]
    fn a_run_outlasting_the_intervals_kept_widens_them_exactly() {
        let n = MAX_INTERVALS + 5;
        let metered = stairs(n).finish(n as f64);
        assert_eq!(metered.interval, 2.0);
        assert_eq!(metered.len() as u64, n.div_ceil(2));
        // [0, 2): 0 and 1; [2, 4): 2 and 3, the second quantity from 3 s.
        assert_eq!(metered.rows[0], [0.5]);
        assert_eq!(metered.rows[1], [2.5, 0.5]);
        assert_eq!(metered.rows[2], [4.5, 1.0]);
        // The last, cut at the end: [n - 1, n) alone.
        assert_eq!(metered.seconds(metered.len() - 1), 1.0);
        assert_eq!(metered.rows[metered.len() - 1], [(n - 1) as f64, 1.0]);
    }

    #[test]
    fn every_meter_of_a_run_keeps_one_grid_whenever_it_widens() {
        // One meter changes every second, one never until the end: the
        // first widens along the way, the second at the end, alike.
        let end = 3.0 * MAX_INTERVALS as f64 + 0.5;
        let busy = {
            let mut meter = stairs(3 * MAX_INTERVALS);
            meter.set(end - 0.25, 0, 1.0);
            meter.finish(end)
        };
        let quiet = Meter::new(1.0, 1).finish(end);
        assert_eq!((busy.interval, quiet.interval), (4.0, 4.0));
        assert_eq!(busy.len(), quiet.len());
        assert_eq!((busy.last, quiet.last), (0.5, 0.5));
    }

    #[test]
    fn a_clock_jumping_to_1e308_seconds_keeps_memory_and_time_bounded() {
        let mut meter = Meter::new(1.0, 3);
        meter.set(0.5, 0, 2.0);
        let metered = meter.finish(1e308);
        assert!(metered.len() as u64 <= MAX_INTERVALS, "{}", metered.len());
        assert!(metered.interval * MAX_INTERVALS as f64 > 1e308 / 2.0);
        // 2 from 0.5 s over the first interval, every later one wholly 2.
        let first = metered.mean(0, 0);
        assert!((first - 2.0).abs() < 1e-9, "{first}");
        assert_eq!(metered.mean(metered.len() - 1, 0), 2.0);
    }

    #[test]
    fn the_last_interval_is_cut_at_the_end() {
        let mut meter = Meter::new(2.0, 1);
        meter.set(0.0, 0, 1.0);
        meter.set(2.5, 0, 3.0);
        let metered = meter.finish(3.0);
        // [2, 3): 1 for 0.5 s and 3 for 0.5 s, over 1 s.
        assert_eq!(metered.rows, [[1.0], [2.0]]);
        assert_eq!(metered.seconds(1), 1.0);
    }
}

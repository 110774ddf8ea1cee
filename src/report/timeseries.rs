//! A run over time: per interval of simulated time, the invocations
//! submitted, started (cold among them), succeeded and failed, and how many
//! ran on average. Gathered record by record in bounded memory: when the
//! run outlasts [`MAX_BINS`] intervals, neighbouring intervals merge two by
//! two (every count and time stays exact; only the resolution halves).
//! [`Occupancy`] gives the same exact means per function, at a fixed
//! interval, of the invocations waiting and running, and their arrivals and
//! cold starts per interval (`--timeseries`).

use super::record::{InvocationRecord, StartKind};
use crate::engine::must_widen;

/// Intervals kept at most: a day at one second per interval.
pub const MAX_BINS: usize = 1 << 17;

/// What happened in one interval.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Bin {
    /// Invocations submitted in the interval.
    pub submitted: u64,
    /// Invocations whose function started in it.
    pub started: u64,
    /// Of those, the ones that started cold.
    pub cold_starts: u64,
    /// Outcomes known in it (by `finish`).
    pub succeeded: u64,
    pub failed: u64,
    /// Invocation-seconds run in it.
    running: Span,
}

/// Seconds spent in one interval by spans of time (an invocation running,
/// waiting), kept so that adding a span costs O(1) however long it is.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Span {
    /// Seconds in it, but for the whole intervals a span covers, which
    /// `spanning` counts until the series is read.
    partial: f64,
    /// Spans that cover the whole interval, as a difference: +1 at the
    /// first whole interval, -1 after the last.
    spanning: i64,
}

/// Adds the span `[start, end)` to the intervals of `interval` seconds it
/// meets, through `add(index, seconds, spanning)`.
fn spread(interval: f64, start: f64, end: f64, mut add: impl FnMut(usize, f64, i64)) {
    let index = |t: f64| (t.max(0.0) / interval) as usize;
    let (first, last) = (index(start), index(end));
    if first == last {
        add(first, end - start, 0);
    } else {
        add(first, (first + 1) as f64 * interval - start, 0);
        add(last, end - last as f64 * interval, 0);
        if last > first + 1 {
            add(first + 1, 0.0, 1);
            add(last, 0.0, -1);
        }
    }
}

/// The seconds each interval holds, from its spans.
fn seconds(interval: f64, spans: impl Iterator<Item = Span>) -> impl Iterator<Item = f64> {
    let mut spanning = 0;
    spans.map(move |s| {
        spanning += s.spanning;
        s.partial + spanning as f64 * interval
    })
}

/// The series of one run.
#[derive(Debug, Clone)]
pub struct TimeSeries {
    interval: f64,
    bins: Vec<Bin>,
}

impl TimeSeries {
    /// An empty series of `interval` seconds per bin (at least a nanosecond).
    pub fn new(interval: f64) -> TimeSeries {
        TimeSeries {
            interval: if interval.is_finite() { interval.max(1e-9) } else { 1.0 },
            bins: Vec::new(),
        }
    }

    /// The interval's length in seconds (longer than asked once merged).
    pub fn interval(&self) -> f64 {
        self.interval
    }

    pub fn add(&mut self, r: &InvocationRecord) {
        // The finish is the record's last date: once the series reaches it,
        // no date of the record merges intervals any more.
        let end = r.finish.max(r.start.unwrap_or(r.submit)).max(r.submit);
        self.reach(end);
        let submit = self.index(r.submit);
        self.bins[submit].submitted += 1;
        let finish = self.index(r.finish);
        if r.succeeded() {
            self.bins[finish].succeeded += 1;
        } else {
            self.bins[finish].failed += 1;
        }
        let Some(start) = r.start else { return };
        let first = self.index(start);
        self.bins[first].started += 1;
        if r.start_kind == Some(StartKind::Cold) {
            self.bins[first].cold_starts += 1;
        }
        let bins = &mut self.bins;
        spread(self.interval, start, end, |k, partial, spanning| {
            bins[k].running.partial += partial;
            bins[k].running.spanning += spanning;
        });
    }

    /// The bins, each with the mean number of invocations running in it.
    pub fn bins(&self) -> Vec<(Bin, f64)> {
        let busy = seconds(self.interval, self.bins.iter().map(|b| b.running));
        self.bins
            .iter()
            .zip(busy)
            .map(|(b, busy)| (*b, busy / self.interval))
            .collect()
    }

    /// Grows the series (merging intervals if need be) to hold `t`.
    fn reach(&mut self, t: f64) {
        while self.index(t) >= MAX_BINS {
            self.halve();
        }
        let index = self.index(t);
        if index >= self.bins.len() {
            self.bins.resize(index + 1, Bin::default());
        }
    }

    fn index(&self, t: f64) -> usize {
        (t.max(0.0) / self.interval) as usize
    }

    /// Merges bins two by two: the interval doubles. Time spanned by whole
    /// intervals is made explicit first, since a whole old interval may be
    /// half of a new one an invocation does not span.
    fn halve(&mut self) {
        let running = self.bins();
        let merged: Vec<Bin> = running
            .chunks(2)
            .map(|pair| {
                let mut bin = Bin::default();
                for (b, mean) in pair {
                    bin.submitted += b.submitted;
                    bin.started += b.started;
                    bin.cold_starts += b.cold_starts;
                    bin.succeeded += b.succeeded;
                    bin.failed += b.failed;
                    bin.running.partial += mean * self.interval;
                }
                bin
            })
            .collect();
        self.bins = merged;
        self.interval *= 2.0;
    }
}

/// Per function, the invocations waiting (from their submission to their
/// dispatch to a container, or to their end if never dispatched) and
/// running (from their start to their finish), as exact means per interval
/// of a fixed length; and the invocations that arrived (by submission) and
/// started cold (by start) in each interval. Memory grows with intervals x
/// functions, up to the intervals the run keeps (`engine::kept_intervals`,
/// told by [`Occupancy::keep`]): a later record widens them two by two, as
/// the run's meters do (`engine::Meter`), so that the tables share one grid.
#[derive(Debug, Clone)]
pub struct Occupancy {
    interval: f64,
    /// Intervals kept at most.
    kept: u64,
    /// Per function: per interval, what it held and counted.
    functions: Vec<Vec<Cell>>,
}

/// Values of 8 bytes an [`Occupancy`] holds per function and interval
/// (what `engine::kept_intervals` weighs it as).
pub const OCCUPANCY_PER_FUNCTION: usize = std::mem::size_of::<Cell>() / std::mem::size_of::<f64>();

/// One function's interval: its waiting and running spans, its arrivals
/// and cold starts.
#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    spans: [Span; 2],
    arrivals: u64,
    cold_starts: u64,
}

/// Means and counts per interval of one function (`Occupancy::means`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Occupied {
    pub waiting: Vec<f64>,
    pub running: Vec<f64>,
    pub arrivals: Vec<f64>,
    pub cold_starts: Vec<f64>,
}

impl Occupied {
    /// Adds the means and counts of another registration, interval by
    /// interval.
    fn add(&mut self, other: &Occupied) {
        for (total, part) in [
            (&mut self.waiting, &other.waiting),
            (&mut self.running, &other.running),
            (&mut self.arrivals, &other.arrivals),
            (&mut self.cold_starts, &other.cold_starts),
        ] {
            for (t, v) in total.iter_mut().zip(part) {
                *t += v;
            }
        }
    }
}

impl Occupancy {
    pub fn new(interval: f64) -> Self {
        Occupancy {
            interval,
            kept: crate::engine::MAX_INTERVALS,
            functions: Vec::new(),
        }
    }

    /// Keeps at most `kept` intervals, as the run's meters do: told before
    /// any record.
    pub fn keep(&mut self, kept: u64) {
        self.kept = kept;
    }

    pub fn add(&mut self, r: &InvocationRecord) {
        let f = r.function as usize;
        if self.functions.len() <= f {
            self.functions.resize(f + 1, Vec::new());
        }
        let end = r.finish.max(r.submit);
        while must_widen(end, self.interval, self.kept) {
            self.widen();
        }
        let bins = &mut self.functions[f];
        let interval = self.interval;
        let index = |t: f64| (t.max(0.0) / interval) as usize;
        let needed = index(end) + 1;
        if bins.len() < needed {
            bins.resize(needed, Cell::default());
        }
        bins[index(r.submit)].arrivals += 1;
        if r.start_kind == Some(StartKind::Cold)
            && let Some(start) = r.start
        {
            bins[index(start.min(end))].cold_starts += 1;
        }
        let waited = r.dispatch.unwrap_or(end).clamp(r.submit, end);
        let mut add = |which: usize, from: f64, to: f64| {
            spread(interval, from, to, |k, partial, spanning| {
                bins[k].spans[which].partial += partial;
                bins[k].spans[which].spanning += spanning;
            });
        };
        add(0, r.submit, waited);
        if let Some(start) = r.start {
            add(1, start.min(end), end);
        }
    }

    /// Doubles the interval: cells merge two by two, the seconds their
    /// spans held made explicit first (a whole old interval may be half of
    /// a new one a span does not cover).
    #[cold]
    fn widen(&mut self) {
        let width = self.interval;
        for bins in &mut self.functions {
            let held = [0, 1].map(|which| seconds(width, bins.iter().map(|b| b.spans[which])).collect::<Vec<f64>>());
            *bins = bins
                .chunks(2)
                .enumerate()
                .map(|(k, pair)| {
                    let mut cell = Cell::default();
                    for (j, c) in pair.iter().enumerate() {
                        cell.arrivals += c.arrivals;
                        cell.cold_starts += c.cold_starts;
                        for (span, held) in cell.spans.iter_mut().zip(&held) {
                            span.partial += held[2 * k + j];
                        }
                    }
                    cell
                })
                .collect();
        }
        self.interval = 2.0 * width;
    }

    /// The means and counts of a function registered as `registrations`:
    /// `Occupancy::means` of each summed.
    pub fn means_of(&self, registrations: &[usize], interval: f64, seconds_of: &[f64]) -> Occupied {
        super::parts::sum(registrations, |r| self.means(r, interval, seconds_of), Occupied::add).unwrap_or_default()
    }

    /// Registration `f`'s means and counts over `seconds.len()` intervals of
    /// `interval` seconds (the run's grid: this occupancy's, or that
    /// widened by its meters after the last record ended), interval `k`
    /// covering `seconds[k]` seconds. Counts at or after the end of the
    /// last interval (an arrival at the run's very end) are the last
    /// interval's, so that every arrival is counted once.
    fn means(&self, f: usize, interval: f64, seconds_of: &[f64]) -> Occupied {
        // 2^m of this occupancy's intervals to one of the grid's.
        let group = ((interval / self.interval).round() as usize).max(1);
        debug_assert!(interval >= self.interval, "the grid is never finer than the records'");
        let empty = Vec::new();
        let bins = self.functions.get(f).unwrap_or(&empty);
        let padded = |which: usize| {
            let spans = bins
                .iter()
                .map(|b| b.spans[which])
                .chain(std::iter::repeat(Span::default()));
            let mut fine = seconds(self.interval, spans);
            seconds_of
                .iter()
                .map(|covered| {
                    let held = fine.by_ref().take(group).reduce(|a, b| a + b).unwrap_or(0.0);
                    if *covered > 0.0 { held / covered } else { 0.0 }
                })
                .collect()
        };
        let counts = |count: fn(&Cell) -> u64| {
            let mut counts = vec![0.0; seconds_of.len()];
            if let Some(last) = seconds_of.len().checked_sub(1) {
                for (k, cell) in bins.iter().enumerate() {
                    counts[(k / group).min(last)] += count(cell) as f64;
                }
            }
            counts
        };
        Occupied {
            waiting: padded(0),
            running: padded(1),
            arrivals: counts(|c| c.arrivals),
            cold_starts: counts(|c| c.cold_starts),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::MAX_INTERVALS;
    use crate::report::Cause;

    fn record(submit: f64, start: Option<f64>, finish: f64, cold: bool, failed: bool) -> InvocationRecord {
        InvocationRecord {
            id: 0,
            function: 0,
            service: 0,
            submit,
            dispatch: start,
            start,
            end: if failed { None } else { Some(finish) },
            finish,
            node: start.map(|_| 0),
            cause: failed.then_some(Cause::Timeout),
            start_kind: start.map(|_| if cold { StartKind::Cold } else { StartKind::Warm }),
            startup: None,
            instance: None,
            cores: 1.0,
        }
    }

    #[test]
    fn counts_and_running_time_per_interval() {
        let mut series = TimeSeries::new(1.0);
        // Runs from 0.5 to 3.25: half of bin 0, bins 1 and 2 whole, a quarter of bin 3.
        series.add(&record(0.0, Some(0.5), 3.25, true, false));
        series.add(&record(1.5, Some(1.5), 1.75, false, true));
        series.add(&record(2.0, None, 2.5, false, true));
        let bins = series.bins();
        assert_eq!(bins.len(), 4);
        let running: Vec<f64> = bins.iter().map(|(_, r)| *r).collect();
        assert_eq!(running, [0.5, 1.25, 1.0, 0.25]);
        let submitted: Vec<u64> = bins.iter().map(|(b, _)| b.submitted).collect();
        assert_eq!(submitted, [1, 1, 1, 0]);
        assert_eq!(bins[0].0.started + bins[1].0.started, 2);
        assert_eq!(bins[0].0.cold_starts, 1);
        assert_eq!((bins[1].0.failed, bins[2].0.failed, bins[3].0.succeeded), (1, 1, 1));
    }

    #[test]
    fn occupancy_widens_past_the_intervals_kept_and_reads_on_a_wider_grid() {
        let mut occupancy = Occupancy::new(1.0);
        // Waits from 0.5 to 1, runs from 1 to 3.5.
        occupancy.add(&record(0.5, Some(1.0), 3.5, true, false));
        let late = MAX_INTERVALS as f64 + 0.5;
        occupancy.add(&record(late, Some(late), late + 1.0, false, false));
        assert_eq!(occupancy.interval, 2.0);
        // Read on a grid of 4 s (the run's meters widened once more).
        let seconds = vec![4.0; ((late + 1.0) / 4.0).ceil() as usize];
        let o = occupancy.means(0, 4.0, &seconds);
        assert_eq!((o.waiting[0], o.running[0]), (0.5 / 4.0, 2.5 / 4.0));
        assert_eq!((o.arrivals[0], o.cold_starts[0]), (1.0, 1.0));
        let k = (late / 4.0) as usize;
        assert_eq!((o.running[k], o.arrivals[k]), (1.0 / 4.0, 1.0));
        let total = |v: &[f64]| v.iter().sum::<f64>();
        assert_eq!((total(&o.arrivals), total(&o.cold_starts)), (2.0, 1.0));
        assert_eq!(total(&o.running) * 4.0, 3.5);
    }

    #[test]
    fn a_long_run_merges_intervals_keeping_every_count_and_second() {
        let mut series = TimeSeries::new(1.0);
        let mut expected_busy = 0.0;
        for k in 0..1000u32 {
            let t = f64::from(k) * 300.0;
            series.add(&record(t, Some(t + 0.5), t + 90.5, k % 3 == 0, false));
            expected_busy += 90.0;
        }
        assert!(series.bins.len() <= MAX_BINS);
        assert!(series.interval() > 1.0);
        let bins = series.bins();
        let total = |f: fn(&Bin) -> u64| bins.iter().map(|(b, _)| f(b)).sum::<u64>();
        assert_eq!(total(|b| b.submitted), 1000);
        assert_eq!(total(|b| b.started), 1000);
        assert_eq!(total(|b| b.cold_starts), 334);
        assert_eq!(total(|b| b.succeeded), 1000);
        let busy: f64 = bins.iter().map(|(_, r)| r * series.interval()).sum();
        assert!((busy - expected_busy).abs() < 1e-6, "{busy}");
    }
}

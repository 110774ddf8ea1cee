//! The Azure Functions 2019 trace: per-minute invocation counts per function,
//! expanded into individual arrivals, with durations and memory drawn from
//! the published percentiles.
//!
//! * Files: `invocations_per_function_md.anon.dNN.csv` (required for every
//!   replayed day), `function_durations_percentiles.anon.dNN.csv` (ms) and
//!   `app_memory_percentiles.anon.dNN.csv` (MB, taken as 10^6 bytes), both
//!   optional.
//! * Replay time: the replayed minutes of each day follow one another, days in
//!   the given order, with no gap: with minutes `a..=b`, minute `m` of the
//!   `k`-th replayed day starts at `(k * (b - a + 1) + m - a) * 60` s.
//! * Inside a minute, `n` arrivals of a function are placed at
//!   `(i + 0.5) * 60 / n` s (uniform spread) or at `n` independent uniform
//!   dates (Poisson spread, stream `"<key>/spread"`), on a grid of 2^40 ticks
//!   per minute (about 55 ps); a minute's arrivals of all functions are then
//!   sorted by date, ties by function index (by bucket: see `sort.rs`).
//! * Rescaling to a target rate multiplies every count by
//!   `target * replayed seconds / selected invocations`; each function carries
//!   its fractional remainder from minute to minute (starting at one half), so
//!   no randomness is involved and each function's total is off by less than
//!   one (see [`rescale`]).
//! * Each arrival draws its duration from its function's percentile curve
//!   (stream `"<key>/duration"`) and its memory from its app's curve (stream
//!   `"<key>/memory"`); without a curve it gets `None`.
//!
//! Memory and time: the scan keeps one entry per function and app, and
//! where each row of the selected functions is in its day's file, so that
//! loading a day reads those rows alone; the replay keeps one day of the
//! selected functions' arrival counts, by minute
//! and only where there are arrivals, and one minute of arrivals, so a
//! minute costs what its arrivals do, not what all the day's functions do;
//! an arrival's draws read one row of a flat table of curves ([`Draws`]).

mod counts;
mod day;
mod draws;
mod gaps;
mod percentiles;
mod rescale;
mod rows;
mod scan;
mod select;
mod sort;

use std::path::{Path, PathBuf};

use crate::ir::workload::{Azure2019Options, MinuteSpread};
use crate::workload::random::StreamRng;

use super::error::{SkippedRows, TraceError};
use super::{FunctionInfo, ReaderOptions, TraceArrival, shown};
use day::{Count, DayCounts};
use draws::Draws;
use gaps::Gaps;
use rescale::Rescale;
use sort::KeySorter;

const MINUTES_PER_DAY: u32 = 1440;
/// A minute's arrivals are sorted as `tick << FUNCTION_BITS | function` keys:
/// one `u64` compare per step is what makes the expansion fast.
const FUNCTION_BITS: u32 = 24;
const TICKS_PER_MINUTE: f64 = (1u64 << (64 - FUNCTION_BITS)) as f64;
/// How many arrivals ahead of its draw an arrival's row of curves is asked
/// for (see [`Draws::prefetch`]): enough draws to cover a miss to memory.
const DRAW_AHEAD: usize = 16;
/// Exactly `60 / 2^40`, so `ticks * SECONDS_PER_TICK` is exact.
const SECONDS_PER_TICK: f64 = 60.0 / TICKS_PER_MINUTE;

/// A streamed reader of an Azure Functions 2019 trace folder.
#[derive(Debug)]
pub struct Azure2019Reader {
    dir: PathBuf,
    days: Vec<u32>,
    minutes: (u32, u32),
    spread: MinuteSpread,
    /// The rows of the replayed functions in each replayed day's file,
    /// each with its function's index in `functions`.
    rows: Vec<Vec<scan::RowAt<u32>>>,
    functions: Vec<FunctionInfo>,
    /// The functions' curves, laid out for drawing (boxed: the reader is
    /// one variant of `TraceReader`, whose variants stay alike in size).
    draws: Box<Draws>,
    skipped: SkippedRows,
    /// What the run's warnings say of the replay: a selection of more
    /// applications than there are, functions left out (lenient mode).
    warnings: Vec<String>,
    /// Count multiplier and per-function remainders, when rescaling.
    rescale: Option<Rescale>,
    /// Position: index into `days` of the loaded day (none before the first),
    /// and next minute of it.
    day_index: Option<usize>,
    minute: u32,
    day: DayCounts,
    /// The current minute's arrivals as sort keys (see [`FUNCTION_BITS`]).
    buffer: Vec<u64>,
    sorter: KeySorter,
    next_in_buffer: usize,
    minute_start: f64,
    spread_rng: StreamRng,
    duration_rng: StreamRng,
    memory_rng: StreamRng,
    finished: bool,
}

impl Azure2019Reader {
    /// Scans the trace folder `dir` and prepares the replay described by `azure`.
    pub fn open(dir: &Path, azure: &Azure2019Options, options: &ReaderOptions) -> Result<Self, TraceError> {
        check_options(azure)?;
        let catalog = scan::scan(dir, &azure.days, azure.minutes, options.lenient)?;
        let first_file = shown(&dir.join(counts::file_name(azure.days[0])));
        let (chosen, short) = select::select(&catalog.apps, &catalog.app_ids, &azure.apps, &first_file)?;

        // The replay's index of each catalog function, if it is replayed.
        let mut table = vec![None; catalog.functions.len()];
        let mut functions = Vec::new();
        let mut several_rows = Vec::new();
        let mut selected_total: u64 = 0;
        let mut gaps = Gaps::new(options.needs);
        for (id, entry) in catalog.functions.iter().enumerate() {
            if !chosen[entry.app as usize] {
                continue;
            }
            let app = &catalog.apps[entry.app as usize];
            let function = FunctionInfo {
                name: entry.name.clone(),
                app: Some(app.name.clone()),
                durations: entry.durations.clone(),
                memory: app.memory.clone(),
                row_memory: None,
            };
            if !gaps.served(&function, entry.total) {
                continue;
            }
            table[id] = Some(functions.len() as u32);
            selected_total += entry.total;
            several_rows.push(entry.several_rows);
            functions.push(function);
        }
        let left_out = gaps.end(options.lenient, functions.len() as u64, &azure.days)?;
        let warnings = short.into_iter().chain(left_out).collect();

        if functions.len() > 1 << FUNCTION_BITS {
            return Err(TraceError::bad_option(
                format!("{} functions selected, more than a replay handles", functions.len()),
                format!(
                    "select applications with at most {} functions in all",
                    1u32 << FUNCTION_BITS
                ),
            ));
        }
        let span = azure.minutes.1 - azure.minutes.0 + 1;
        let seconds = azure.days.len() as f64 * f64::from(span) * 60.0;
        let rescale = match azure.target_rate {
            None => None,
            Some(_) if selected_total == 0 => {
                return Err(TraceError::bad_option(
                    "the selected applications have no invocations to rescale".into(),
                    "select other applications or minutes, or drop the target rate",
                ));
            }
            Some(rate) => match rate * seconds / selected_total as f64 {
                // A count times it is no number of arrivals a replay holds.
                factor if factor.is_infinite() => {
                    return Err(TraceError::bad_option(
                        format!("the target rate {rate}/s is too large to rescale to"),
                        "give a rate a replay can hold, like `100/s`",
                    ));
                }
                factor => Some(Rescale::new(factor, several_rows)),
            },
        };
        let rows = (catalog.rows.into_iter())
            .map(|day| {
                let replayed = |row: scan::RowAt<scan::CatalogId>| {
                    table[row.function.0 as usize].map(|function| scan::RowAt {
                        offset: row.offset,
                        length: row.length,
                        function,
                    })
                };
                day.into_iter().filter_map(replayed).collect()
            })
            .collect();
        let stream = &options.stream;
        Ok(Azure2019Reader {
            dir: dir.to_owned(),
            days: azure.days.clone(),
            minutes: azure.minutes,
            spread: azure.spread,
            rows,
            draws: Box::new(Draws::new(&functions)),
            functions,
            skipped: catalog.skipped,
            warnings,
            rescale,
            day_index: None,
            minute: 0,
            day: DayCounts::default(),
            buffer: Vec::new(),
            sorter: KeySorter::default(),
            next_in_buffer: 0,
            minute_start: 0.0,
            spread_rng: StreamRng::new(options.seed, &format!("{stream}/spread")),
            duration_rng: StreamRng::new(options.seed, &format!("{stream}/duration")),
            memory_rng: StreamRng::new(options.seed, &format!("{stream}/memory")),
            finished: false,
        })
    }

    /// The replayed functions (those of the selected apps), in order of first appearance.
    pub fn functions(&self) -> &[FunctionInfo] {
        &self.functions
    }

    /// Whether its curves' table outgrows a core's cache (so it hints its
    /// own rows ahead, `Draws::prefetch`).
    pub fn worth_hints(&self) -> bool {
        self.draws.read_ahead
    }

    /// The function of the arrival `ahead` arrivals after the next one,
    /// if it is in the minute being read.
    #[inline]
    pub fn upcoming(&self, ahead: usize) -> Option<u32> {
        self.buffer
            .get(self.next_in_buffer + ahead)
            .map(|&key| function_of(key))
    }

    /// Bad rows skipped (lenient mode).
    pub fn skipped(&self) -> &SkippedRows {
        &self.skipped
    }

    /// What the run's warnings say of the replay.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    fn span(&self) -> u32 {
        self.minutes.1 - self.minutes.0 + 1
    }

    /// Fills the buffer with the next minute's arrivals, loading the next day
    /// when needed; `false` when the replay is over.
    fn fill_minute(&mut self) -> Result<bool, TraceError> {
        let span = self.span();
        if self.day_index.is_none() || self.minute == span {
            let next = self.day_index.map_or(0, |index| index + 1);
            let Some(&day) = self.days.get(next) else {
                return Ok(false);
            };
            self.day.load(
                &self.dir,
                day,
                self.minutes,
                (&self.rows[next], &self.functions),
                self.rescale.as_mut(),
            )?;
            self.day_index = Some(next);
            self.minute = 0;
        }
        self.buffer.clear();
        self.next_in_buffer = 0;
        // Functions with no arrival this minute are not visited (a zero
        // count leaves a remainder as it is and draws nothing).
        for (function, count) in self.day.minute(self.minute as usize) {
            let count = match (count, self.rescale.as_mut()) {
                (Count::Arrivals(n), _) => n,
                (Count::ToRescale(n), Some(rescale)) => rescale.arrivals(function, n),
                (Count::ToRescale(n), None) => u64::from(n),
            };
            let function = u64::from(function);
            match self.spread {
                MinuteSpread::Uniform => {
                    let step = TICKS_PER_MINUTE / count as f64;
                    self.buffer
                        .extend((0..count).map(|i| ((((i as f64 + 0.5) * step) as u64) << FUNCTION_BITS) | function));
                }
                MinuteSpread::Poisson => {
                    let rng = &mut self.spread_rng;
                    let tick_mask = !((1u64 << FUNCTION_BITS) - 1);
                    self.buffer
                        .extend((0..count).map(|_| (rng.next_u64() & tick_mask) | function));
                }
            }
        }
        self.sorter.sort(&mut self.buffer);
        if self.draws.read_ahead {
            // The rest are asked for as the arrivals before them are drawn.
            for &key in self.buffer.iter().take(DRAW_AHEAD) {
                self.draws.prefetch(function_of(key));
            }
        }
        let day_index = self.day_index.unwrap_or(0) as f64;
        self.minute_start = (day_index * f64::from(span) + f64::from(self.minute)) * 60.0;
        self.minute += 1;
        Ok(true)
    }
}

impl Iterator for Azure2019Reader {
    type Item = Result<TraceArrival, TraceError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        while self.next_in_buffer == self.buffer.len() {
            if self.finished {
                return None;
            }
            match self.fill_minute() {
                Ok(true) => {}
                Ok(false) => {
                    self.finished = true;
                    return None;
                }
                Err(error) => {
                    self.finished = true;
                    self.buffer.clear();
                    self.next_in_buffer = 0;
                    return Some(Err(error));
                }
            }
        }
        if self.draws.read_ahead {
            // A minute's first arrivals are asked for as it is filled.
            if let Some(&later) = self.buffer.get(self.next_in_buffer + DRAW_AHEAD) {
                self.draws.prefetch(function_of(later));
            }
        }
        let key = self.buffer[self.next_in_buffer];
        self.next_in_buffer += 1;
        let function = function_of(key);
        let offset = (key >> FUNCTION_BITS) as f64 * SECONDS_PER_TICK;
        let (duration, memory) = self.draws.draw(function, &mut self.duration_rng, &mut self.memory_rng);
        Some(Ok(TraceArrival {
            time: self.minute_start + offset,
            function,
            duration,
            memory,
            payloads: Default::default(),
        }))
    }
}

/// The function of an arrival's sort key.
fn function_of(key: u64) -> u32 {
    (key & ((1 << FUNCTION_BITS) - 1)) as u32
}

/// Refuses options the reader cannot honour (the checker should have already).
fn check_options(azure: &Azure2019Options) -> Result<(), TraceError> {
    let (first, last) = azure.minutes;
    if first < 1 || first > last || last > MINUTES_PER_DAY {
        return Err(TraceError::bad_option(
            format!("minutes {first}..{last} are not within a day"),
            format!("give a range of minutes within 1..{MINUTES_PER_DAY}, like `1..60`"),
        ));
    }
    if azure.days.is_empty() {
        return Err(TraceError::bad_option(
            "no day to replay".into(),
            "name at least one day of the trace, like day 1 for the `d01` files",
        ));
    }
    if let Some(rate) = azure.target_rate
        && !(rate.is_finite() && rate > 0.0)
    {
        return Err(TraceError::bad_option(
            format!("the target rate {rate}/s is not a positive rate"),
            "give a rate above zero, like `100/s`",
        ));
    }
    Ok(())
}

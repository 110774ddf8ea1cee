//! A trace opened and read ahead on its own thread. The opening (the scan
//! that checks every row and builds the function table) runs there while
//! the simulation thread waits for its table, and every trace of a run
//! opens at once. Then each arrival is made into what the simulation takes
//! (by a [`Make`] the caller gives, run on that thread), and these travel
//! in batches over a bounded queue ([`handoff`](mod@crate::handoff)), so
//! parsing the next rows and making them ready overlaps the simulation of
//! the previous ones. Order is kept
//! (same arrivals, same errors, same place), so a run reads exactly what a
//! reader on the simulation's thread would.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use super::{FunctionInfo, ReaderOptions, SkippedRows, TraceArrival, TraceError, TraceReader};
use crate::handoff::{self, handoff};
use crate::ir::workload::TraceFormat;

/// Items per batch sent to the simulation (some 40 bytes each; one or two
/// an arrival: [`Make::make`]). The reader outruns the simulation, so
/// [`AHEAD`] + 2 batches are alive most of the run (in the queue, being
/// filled, being read): 1 MB of the run's peak memory for each trace it
/// replays (each has its reading thread). A batch is still a quarter of a
/// millisecond of the simulation's work at least (some 4 M arrivals a
/// second), far more than its trip through the queue.
const BATCH: usize = 1024;
/// Batches read ahead before the reading thread waits.
const AHEAD: usize = 24;
/// Batches left that wake the reading thread once it waits on a full
/// queue. It then reads sixteen batches at a go: one wake of it (a system
/// call on the simulation's thread) per sixteen batches, where a channel
/// woke it at each batch the simulation took (8,160 wakes a run at 100
/// requests/s; with the writer's, 7.9 % of the simulation thread's
/// samples). The eight batches still queued are some 2 ms of the
/// simulation's work: time for the reader to get a core it may share with
/// the report writer before the simulation runs dry.
const REFILL_AT: usize = 8;

/// How many items ahead of the current one [`Prefetched::advance`] asks
/// the processor to bring into its cache: far enough (five lines) that
/// the line has come from the reading thread's core when its item is
/// taken, and its reader can look a few items ahead within what came.
const PREFETCH_AHEAD: usize = 8;

/// How many arrivals ahead of the one being made [`Make::prefetch`] is
/// told of: enough to cover a miss to memory. Within a minute only: a
/// minute's first arrivals come without a hint.
const MAKE_AHEAD: usize = 8;

/// What a reading thread makes of each arrival, for the simulation.
pub trait Make: Send + 'static {
    type Ready: Send + 'static;

    /// Makes `arrival` ready onto the end of `items`: pushing nothing
    /// leaves it out, and what one arrival pushes stays in one batch (an
    /// item may carry the rare part of the item before it).
    fn make(&mut self, arrival: TraceArrival, items: &mut Vec<Self::Ready>);

    /// A cache hint: an arrival of trace function `function` is made soon
    /// (given only when the reader's per-function tables outgrow a core's
    /// cache: [`TraceReader::worth_hints`]).
    fn prefetch(&self, _function: u32) {}
}

/// What opening a trace found: its functions (arrivals refer to them by
/// index), the bad rows it skipped (always none in strict mode) and what
/// the run's warnings say of it.
#[derive(Debug)]
pub struct Opened {
    pub functions: Vec<FunctionInfo>,
    pub skipped: SkippedRows,
    pub warnings: Vec<String>,
}

/// A trace being opened on its reading thread, which then waits for what
/// to make of its arrivals ([`Opening::read`]).
pub struct Opening<M: Make> {
    opened: Receiver<Result<Opened, TraceError>>,
    makers: SyncSender<M>,
    batches: handoff::Receiver<Batch<M::Ready>>,
}

impl<M: Make> Opening<M> {
    /// Starts opening the trace at `path` (a folder for Azure 2019, a file
    /// otherwise) on a new thread, as [`TraceReader::open`] does. The
    /// thread ends at the trace's end, after its first error, or when this
    /// (or the [`Prefetched`] it becomes) is dropped. Fails only when the
    /// system refuses a new thread.
    pub fn start(format: &TraceFormat, path: &std::path::Path, options: &ReaderOptions) -> std::io::Result<Self> {
        let (answer, opened) = sync_channel(1);
        let (makers, maker) = sync_channel(1);
        let (sender, batches) = handoff(AHEAD, 1, REFILL_AT);
        let (format, path, options): (TraceFormat, PathBuf, ReaderOptions) =
            (format.clone(), path.to_path_buf(), options.clone());
        std::thread::Builder::new().name("sls-trace".into()).spawn(move || {
            let reader = match TraceReader::open(&format, &path, &options) {
                Ok(reader) => reader,
                Err(error) => {
                    let _ = answer.send(Err(error));
                    return;
                }
            };
            let table = Opened {
                functions: reader.functions().to_vec(),
                skipped: reader.skipped().clone(),
                warnings: reader.warnings().to_vec(),
            };
            // Either channel closed means the run stopped before reading.
            if answer.send(Ok(table)).is_err() {
                return;
            }
            if let Ok(make) = maker.recv() {
                read_ahead(reader, make, &sender);
            }
        })?;
        Ok(Opening {
            opened,
            makers,
            batches,
        })
    }

    /// The trace's functions and skipped rows, once its opening is over
    /// (waits for it), or why it failed.
    pub fn opened(&self) -> Result<Opened, TraceError> {
        self.opened
            .recv()
            .expect("a trace's reading thread answers once it has opened the trace")
    }

    /// Reads the opened trace ahead, making each arrival with `make`.
    pub fn read(self, make: M) -> Prefetched<M::Ready> {
        // The thread waits for it: it ends only after an answer that was
        // read, and an opening that failed is not read.
        self.makers
            .send(make)
            .expect("the reading thread of an opened trace waits for its maker");
        Prefetched {
            batches: self.batches,
            items: Vec::new(),
            at: 0,
            error: None,
        }
    }
}

/// Reads `reader` to its end or its first error, in batches of what
/// `make` makes; stops when the channel closes (the run stopped reading).
fn read_ahead<M: Make>(mut reader: TraceReader, mut make: M, sender: &handoff::Sender<Batch<M::Ready>>) {
    let hints = reader.worth_hints();
    loop {
        let mut batch = Batch {
            // One past: an arrival of two items may end the batch.
            items: Vec::with_capacity(BATCH + 1),
            error: None,
        };
        let mut last = false;
        while batch.items.len() < BATCH {
            if hints && let Some(function) = reader.upcoming(MAKE_AHEAD) {
                make.prefetch(function);
            }
            match reader.next() {
                Some(Ok(arrival)) => make.make(arrival, &mut batch.items),
                Some(Err(error)) => {
                    batch.error = Some(error);
                    last = true;
                    break;
                }
                None => {
                    last = true;
                    break;
                }
            }
        }
        let empty = batch.items.is_empty() && batch.error.is_none();
        if (!empty && sender.send(batch).is_err()) || last {
            return;
        }
    }
}

/// Items made in order, then the error that ended the reading, if one did.
struct Batch<T> {
    items: Vec<T>,
    error: Option<TraceError>,
}

/// A trace's arrivals, read and made ready on its reading thread, taken
/// one at a time: [`Prefetched::advance`] moves to the next,
/// [`Prefetched::current`] shows it in place (no copy out of the batch).
/// Memory stays bounded: at most `AHEAD + 2` batches exist at once.
pub struct Prefetched<T> {
    batches: handoff::Receiver<Batch<T>>,
    items: Vec<T>,
    /// Index of the current item in `items`; past the end before the first
    /// [`Prefetched::advance`] and after the last item.
    at: usize,
    /// What ends the current batch's items.
    error: Option<TraceError>,
}

impl<T> Prefetched<T> {
    /// The item moved to last, or `None` at the end of the trace (and
    /// before the first move).
    #[inline]
    pub fn current(&self) -> Option<&T> {
        self.items.get(self.at)
    }

    /// The item after the current one in its batch: the rest of an arrival
    /// that [`Make::make`] made of two items.
    #[inline]
    pub fn following(&self) -> Option<&T> {
        self.items.get(self.at + 1)
    }

    /// The current item and those after it in its batch: what is coming,
    /// for a caller that prepares for it (a hint's worth: the next batch's
    /// items are not in it).
    #[inline]
    pub fn coming(&self) -> &[T] {
        self.items.get(self.at..).unwrap_or_default()
    }

    /// Moves to the next item; fails with the trace's error when that is
    /// what comes next (then the reading is over).
    #[inline]
    pub fn advance(&mut self) -> Result<(), TraceError> {
        self.at += 1;
        if self.at < self.items.len() {
            // The reading thread wrote these items on its own core: ask for
            // a later one now, so it is here when its turn comes. A
            // replay's item (40 bytes) is under a line, so each line is
            // asked for at least once.
            if let Some(later) = self.items.get(self.at + PREFETCH_AHEAD) {
                crate::cache_hint::prefetch(later);
            }
            return Ok(());
        }
        self.next_batch()
    }

    /// Past the current batch's items: its error, else the next batch.
    #[cold]
    fn next_batch(&mut self) -> Result<(), TraceError> {
        loop {
            if let Some(error) = self.error.take() {
                self.items.clear();
                return Err(error);
            }
            // The sender is gone once the trace is over: no item is left.
            let Some(batch) = self.batches.recv() else {
                self.items.clear();
                return Ok(());
            };
            self.items = batch.items;
            self.at = 0;
            self.error = batch.error;
            if !self.items.is_empty() {
                return Ok(());
            }
        }
    }
}

impl<T> std::fmt::Debug for Prefetched<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Prefetched").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::workload::trace::Needs;

    /// Each arrival as it is.
    struct AsIs;

    impl Make for AsIs {
        type Ready = TraceArrival;

        fn make(&mut self, arrival: TraceArrival, items: &mut Vec<TraceArrival>) {
            items.push(arrival);
        }
    }

    fn options() -> ReaderOptions {
        ReaderOptions {
            seed: 7,
            stream: "test".into(),
            lenient: false,
            needs: Needs::default(),
        }
    }

    /// The arrivals of a reader opened and read on this thread.
    fn direct(path: &str) -> Vec<TraceArrival> {
        let reader =
            TraceReader::open(&TraceFormat::Csv, Path::new(path), &options()).expect("the test trace is valid");
        reader.map(|item| item.expect("the test trace is valid")).collect()
    }

    fn opening<M: Make>(path: &str) -> Opening<M> {
        Opening::start(&TraceFormat::Csv, Path::new(path), &options()).expect("a thread")
    }

    /// Every item up to the end or the first error, then that error.
    fn drain<T: Clone>(prefetched: &mut Prefetched<T>) -> (Vec<T>, Option<TraceError>) {
        let mut items = Vec::new();
        loop {
            if let Err(error) = prefetched.advance() {
                return (items, Some(error));
            }
            match prefetched.current() {
                Some(item) => items.push(item.clone()),
                None => return (items, None),
            }
        }
    }

    fn prefetched(path: &str) -> Vec<TraceArrival> {
        let opening = opening::<AsIs>(path);
        opening.opened().expect("the test trace is valid");
        let (items, error) = drain(&mut opening.read(AsIs));
        assert!(error.is_none(), "the test trace is valid");
        items
    }

    #[test]
    fn yields_what_the_reader_yields_in_order() {
        let direct = direct("tests/traces/plain.csv");
        assert!(!direct.is_empty());
        assert_eq!(direct, prefetched("tests/traces/plain.csv"));
    }

    #[test]
    fn opens_as_the_reader_opens() {
        let path = "tests/traces/plain.csv";
        let reader = TraceReader::open(&TraceFormat::Csv, Path::new(path), &options()).expect("valid");
        let opened = opening::<AsIs>(path).opened().expect("valid");
        assert!(!opened.functions.is_empty());
        assert_eq!(opened.functions, reader.functions());
        assert_eq!(&opened.skipped, reader.skipped());
        let missing = "tests/traces/no-such-trace.csv";
        let error = TraceReader::open(&TraceFormat::Csv, Path::new(missing), &options()).expect_err("missing");
        let failed = opening::<AsIs>(missing).opened().expect_err("missing");
        assert_eq!(failed.to_string(), error.to_string());
    }

    /// A long trace in a temporary folder: the folder, the trace's path.
    fn long_trace(rows: usize, name: &str) -> (std::path::PathBuf, String) {
        let dir = std::env::temp_dir().join(format!("sls-prefetch-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("long.csv");
        let rows: String = (0..rows).map(|i| format!("{i},f{},0.5\n", i % 3)).collect();
        std::fs::write(&path, format!("time,function,duration\n{rows}")).expect("trace");
        let path = path.to_str().expect("utf-8 path").to_string();
        (dir, path)
    }

    #[test]
    fn spans_many_batches() {
        let (dir, path) = long_trace(3 * BATCH + 5, "long");
        let direct = direct(&path);
        assert_eq!(direct.len(), 3 * BATCH + 5);
        assert_eq!(direct, prefetched(&path));
        let _ = std::fs::remove_dir_all(dir);
    }

    /// Keeps function 0 and every other batch's arrivals: leaves out whole
    /// batches, and parts of others.
    struct EveryOtherBatch;

    impl EveryOtherBatch {
        fn kept(a: &TraceArrival) -> bool {
            a.function == 0 || (a.time as usize / BATCH).is_multiple_of(2)
        }
    }

    impl Make for EveryOtherBatch {
        type Ready = (u32, f64);

        fn make(&mut self, a: TraceArrival, items: &mut Vec<(u32, f64)>) {
            if Self::kept(&a) {
                items.push((a.function, a.time));
            }
        }
    }

    #[test]
    fn makes_each_arrival_on_the_reading_thread_in_order() {
        let (dir, path) = long_trace(4 * BATCH, "made");
        let direct: Vec<(u32, f64)> = direct(&path)
            .into_iter()
            .filter(EveryOtherBatch::kept)
            .map(|a| (a.function, a.time))
            .collect();
        let opening = opening::<EveryOtherBatch>(&path);
        opening.opened().expect("valid");
        let (made, error) = drain(&mut opening.read(EveryOtherBatch));
        assert!(error.is_none());
        assert!(direct.len() > BATCH && direct.len() < 4 * BATCH);
        assert_eq!(direct, made);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn an_error_arrives_in_its_place_and_ends_the_reading() {
        let dir = std::env::temp_dir().join(format!("sls-prefetch-{}-changed", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("changed.csv");
        // More rows than the reader buffers (256 KB: these are some 370 KB),
        // so the change is read from the file; the error ends a batch that
        // has items before it.
        let good = 32 * 1024 + BATCH / 2;
        let rows = |last: &str| -> String {
            let rows: String = (0..good).map(|i| format!("{i},f,0.5\n")).collect();
            format!("time,function,duration\n{rows}{good},{last},0.5\n{},f,0.5\n", good + 1)
        };
        std::fs::write(&path, rows("f")).expect("trace");
        let opening = opening::<AsIs>(path.to_str().expect("utf-8 path"));
        opening.opened().expect("valid");
        // Between the scan and the replay, a function the scan never saw appears.
        std::fs::write(&path, rows("g")).expect("trace");
        let mut prefetched = opening.read(AsIs);
        let (items, error) = drain(&mut prefetched);
        assert_eq!(items.len(), good, "the good rows, then the error");
        let error = error.expect("the changed row fails");
        assert!(matches!(
            error.kind(),
            crate::workload::trace::TraceErrorKind::Changed { .. }
        ));
        assert!(
            prefetched.advance().is_ok() && prefetched.current().is_none(),
            "then nothing"
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}

//! A trace read ahead on its own thread: each arrival is made into what the
//! simulation takes (by a function the caller gives, run on that thread),
//! and these travel in batches over a bounded channel, so parsing the next
//! rows and making them ready overlaps the simulation of the previous ones.
//! Order is kept (same arrivals, same errors, same place), so a run reads
//! exactly what a reader on the simulation's thread would.

use std::sync::mpsc::{Receiver, sync_channel};

use super::{TraceArrival, TraceError, TraceReader};

/// Arrivals per batch sent to the simulation: some 90 bytes each. The
/// reader outruns the simulation, so [`AHEAD`] + 2 batches are alive most
/// of the run (in the channel, being filled, being read): at 4,096 that
/// was 2 MB of the run's peak memory. A batch is still a quarter of a
/// millisecond of the simulation's work at least (some 4 M arrivals a
/// second), far more than its trip through the channel.
const BATCH: usize = 1024;
/// Batches read ahead before the reading thread waits.
const AHEAD: usize = 4;

/// Items made in order, then the error that ended the reading, if one did.
struct Batch<T> {
    items: Vec<T>,
    error: Option<TraceError>,
}

/// A [`TraceReader`]'s arrivals, read and made into `T`s on another
/// thread, taken one at a time: [`Prefetched::advance`] moves to the next,
/// [`Prefetched::current`] shows it in place (no copy out of the batch).
/// Memory stays bounded: at most `AHEAD + 2` batches exist at once.
pub struct Prefetched<T> {
    batches: Receiver<Batch<T>>,
    items: Vec<T>,
    /// Index of the current item in `items`; past the end before the first
    /// [`Prefetched::advance`] and after the last item.
    at: usize,
    /// What ends the current batch's items.
    error: Option<TraceError>,
}

impl<T: Send + 'static> Prefetched<T> {
    /// Starts reading `reader` ahead, making each arrival into what `make`
    /// returns for it (an arrival it returns `None` for is left out). The
    /// thread ends at the trace's end, after its first error, or when this
    /// is dropped. Fails only when the system refuses a new thread.
    pub fn start(
        mut reader: TraceReader,
        mut make: impl FnMut(TraceArrival) -> Option<T> + Send + 'static,
    ) -> std::io::Result<Self> {
        let (sender, batches) = sync_channel(AHEAD);
        std::thread::Builder::new().name("sls-trace".into()).spawn(move || {
            loop {
                let mut batch = Batch {
                    items: Vec::with_capacity(BATCH),
                    error: None,
                };
                let mut last = false;
                while batch.items.len() < BATCH {
                    match reader.next() {
                        Some(Ok(arrival)) => batch.items.extend(make(arrival)),
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
                // A closed channel means the run stopped reading.
                if (!empty && sender.send(batch).is_err()) || last {
                    return;
                }
            }
        })?;
        Ok(Prefetched {
            batches,
            items: Vec::new(),
            at: 0,
            error: None,
        })
    }
}

impl<T> Prefetched<T> {
    /// The item moved to last, or `None` at the end of the trace (and
    /// before the first move).
    #[inline]
    pub fn current(&self) -> Option<&T> {
        self.items.get(self.at)
    }

    /// Moves to the next item; fails with the trace's error when that is
    /// what comes next (then the reading is over).
    #[inline]
    pub fn advance(&mut self) -> Result<(), TraceError> {
        self.at += 1;
        if self.at < self.items.len() {
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
            let Ok(batch) = self.batches.recv() else {
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
    use crate::ir::workload::TraceFormat;
    use crate::workload::trace::ReaderOptions;

    type Item = Result<TraceArrival, TraceError>;

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

    fn arrivals(items: impl Iterator<Item = Item>) -> Vec<TraceArrival> {
        items.map(|item| item.expect("the test trace is valid")).collect()
    }

    fn open(path: &str) -> TraceReader {
        let options = ReaderOptions {
            seed: 7,
            stream: "test".into(),
            lenient: false,
        };
        TraceReader::open(&TraceFormat::Csv, Path::new(path), &options).expect("the test trace is valid")
    }

    fn prefetched(path: &str) -> Vec<TraceArrival> {
        let (items, error) = drain(&mut Prefetched::start(open(path), Some).expect("a thread"));
        assert!(error.is_none(), "the test trace is valid");
        items
    }

    #[test]
    fn yields_what_the_reader_yields_in_order() {
        let direct = arrivals(open("tests/traces/plain.csv"));
        assert!(!direct.is_empty());
        assert_eq!(direct, prefetched("tests/traces/plain.csv"));
    }

    /// A long trace in a temporary folder: its rows, its path.
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
        let direct = arrivals(open(&path));
        assert_eq!(direct.len(), 3 * BATCH + 5);
        assert_eq!(direct, prefetched(&path));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn makes_each_arrival_on_the_reading_thread_in_order() {
        // Whole batches left out, and parts of others.
        let (dir, path) = long_trace(4 * BATCH, "made");
        let kept = |a: &TraceArrival| a.function == 0 || (a.time as usize / BATCH) % 2 == 0;
        let direct: Vec<(u32, f64)> = arrivals(open(&path))
            .into_iter()
            .filter(kept)
            .map(|a| (a.function, a.time))
            .collect();
        let make = move |a: TraceArrival| kept(&a).then_some((a.function, a.time));
        let (made, error) = drain(&mut Prefetched::start(open(&path), make).expect("a thread"));
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
        // so the change is read from the file.
        let good = 32 * 1024;
        let rows = |last: &str| -> String {
            let rows: String = (0..good).map(|i| format!("{i},f,0.5\n")).collect();
            format!("time,function,duration\n{rows}{good},{last},0.5\n{},f,0.5\n", good + 1)
        };
        std::fs::write(&path, rows("f")).expect("trace");
        let reader = open(path.to_str().expect("utf-8 path"));
        // Between the scan and the replay, a function the scan never saw appears.
        std::fs::write(&path, rows("g")).expect("trace");
        let mut prefetched = Prefetched::start(reader, Some).expect("a thread");
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

//! A trace read ahead on its own thread: arrivals travel in batches over a
//! bounded channel, so parsing the next rows overlaps the simulation of the
//! previous ones. Order is kept (same arrivals, same errors, same place), so
//! a run reads exactly what a reader on the simulation's thread would.

use std::sync::mpsc::{Receiver, sync_channel};

use super::{TraceArrival, TraceError, TraceReader};

/// Arrivals per batch sent to the simulation: some 80 bytes each. The
/// reader outruns the simulation, so [`AHEAD`] + 2 batches are alive most
/// of the run (in the channel, being filled, being read): at 4,096 that
/// was 2 MB of the run's peak memory. A batch is still a quarter of a
/// millisecond of the simulation's work at least (some 4 M arrivals a
/// second), far more than its trip through the channel.
const BATCH: usize = 1024;
/// Batches read ahead before the reading thread waits.
const AHEAD: usize = 4;

type Item = Result<TraceArrival, TraceError>;

/// An iterator over a [`TraceReader`]'s arrivals, read on another thread.
/// Memory stays bounded: at most `AHEAD + 2` batches exist at once.
pub struct Prefetched {
    batches: Receiver<Vec<Item>>,
    current: std::vec::IntoIter<Item>,
}

impl Prefetched {
    /// Starts reading `reader` ahead. The thread ends at the trace's end,
    /// after its first error, or when this iterator is dropped. Fails only
    /// when the system refuses a new thread.
    pub fn start(mut reader: TraceReader) -> std::io::Result<Self> {
        let (sender, batches) = sync_channel(AHEAD);
        std::thread::Builder::new().name("sls-trace".into()).spawn(move || {
            loop {
                let mut batch = Vec::with_capacity(BATCH);
                let mut last = false;
                while batch.len() < BATCH {
                    match reader.next() {
                        Some(item) => {
                            last = item.is_err();
                            batch.push(item);
                            if last {
                                break;
                            }
                        }
                        None => {
                            last = true;
                            break;
                        }
                    }
                }
                // A closed channel means the run stopped reading.
                if (!batch.is_empty() && sender.send(batch).is_err()) || last {
                    return;
                }
            }
        })?;
        Ok(Prefetched {
            batches,
            current: Vec::new().into_iter(),
        })
    }
}

impl Iterator for Prefetched {
    type Item = Item;

    #[inline]
    fn next(&mut self) -> Option<Item> {
        loop {
            if let Some(item) = self.current.next() {
                return Some(item);
            }
            // The sender is gone once the trace is over.
            self.current = self.batches.recv().ok()?.into_iter();
        }
    }
}

impl std::fmt::Debug for Prefetched {
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

    #[test]
    fn yields_what_the_reader_yields_in_order() {
        let direct = arrivals(open("tests/traces/plain.csv"));
        let prefetched = arrivals(Prefetched::start(open("tests/traces/plain.csv")).expect("a thread"));
        assert!(!direct.is_empty());
        assert_eq!(direct, prefetched);
    }

    #[test]
    fn spans_many_batches() {
        let dir = std::env::temp_dir().join(format!("sls-prefetch-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("long.csv");
        let rows: String = (0..3 * BATCH + 5).map(|i| format!("{i},f{},0.5\n", i % 3)).collect();
        std::fs::write(&path, format!("time,function,duration\n{rows}")).expect("trace");
        let path = path.to_str().expect("utf-8 path");
        let direct = arrivals(open(path));
        let prefetched = arrivals(Prefetched::start(open(path)).expect("a thread"));
        assert_eq!(direct.len(), 3 * BATCH + 5);
        assert_eq!(direct, prefetched);
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
        let items: Vec<Item> = Prefetched::start(reader).expect("a thread").collect();
        assert_eq!(items.len(), good + 1, "the good rows, then the error, then nothing");
        assert!(items[..good].iter().all(Result::is_ok));
        let error = items[good].as_ref().expect_err("the changed row fails");
        assert!(matches!(
            error.kind(),
            crate::workload::trace::TraceErrorKind::Changed { .. }
        ));
        let _ = std::fs::remove_dir_all(dir);
    }
}

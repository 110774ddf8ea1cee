//! The report written on a second thread: records travel in large batches
//! over a bounded channel to a thread that formats `invocations.csv` and
//! accumulates the summary, so the simulation does not wait for either.
//! Order is kept, so the bytes are those of a single-threaded run.

use std::io::{self, Write};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

use super::{Accumulator, CsvWriter, InvocationRecord, Names, Sink};

/// Records per batch sent to the writer thread.
const BATCH: usize = 8192;
/// Batches in flight before the simulation waits for the writer.
const IN_FLIGHT: usize = 4;

enum Message {
    Names(Names),
    Records(Vec<InvocationRecord>),
}

/// A [`Sink`] whose work happens on its own thread.
pub struct BackgroundReport {
    batch: Vec<InvocationRecord>,
    sender: Option<SyncSender<Message>>,
    worker: Option<JoinHandle<io::Result<Accumulator>>>,
}

impl BackgroundReport {
    /// Starts the writer thread over `out`; `hosts` sizes the utilisation table.
    pub fn start<W: Write + Send + 'static>(out: W, hosts: usize) -> Self {
        let (sender, receiver) = sync_channel(IN_FLIGHT);
        let worker = std::thread::spawn(move || write_all(receiver, CsvWriter::new(out), Accumulator::new(hosts)));
        BackgroundReport {
            batch: Vec::with_capacity(BATCH),
            sender: Some(sender),
            worker: Some(worker),
        }
    }

    fn send(&mut self, message: Message) -> io::Result<()> {
        match &self.sender {
            Some(sender) if sender.send(message).is_ok() => Ok(()),
            // The writer stopped: its error is reported by `finish`.
            _ => Err(io::Error::other("the report writer stopped")),
        }
    }

    /// Flushes everything and returns the summary accumulated.
    pub fn finish(mut self) -> io::Result<Accumulator> {
        let batch = std::mem::take(&mut self.batch);
        let sent = if batch.is_empty() {
            Ok(())
        } else {
            self.send(Message::Records(batch))
        };
        self.sender = None;
        let result = match self.worker.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            _ => Err(io::Error::other("the report writer panicked")),
        };
        sent.and(result)
    }
}

impl Sink for BackgroundReport {
    fn begin(&mut self, names: &Names) {
        // An error here resurfaces at the first record or at `finish`.
        let _ = self.send(Message::Names(names.clone()));
    }

    fn record(&mut self, record: &InvocationRecord) -> io::Result<()> {
        self.batch.push(*record);
        if self.batch.len() == BATCH {
            let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
            self.send(Message::Records(batch))?;
        }
        Ok(())
    }
}

fn write_all<W: Write>(
    receiver: Receiver<Message>,
    mut csv: CsvWriter<W>,
    mut summary: Accumulator,
) -> io::Result<Accumulator> {
    for message in receiver {
        match message {
            Message::Names(names) => csv.set_names(&names),
            Message::Records(records) => {
                for r in &records {
                    summary.add(r);
                    csv.write(r)?;
                }
            }
        }
    }
    csv.finish()?;
    Ok(summary)
}

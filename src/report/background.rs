//! The report written on a second thread: records travel in large batches
//! over a bounded queue ([`handoff`](mod@crate::handoff)) to a thread that writes the rows
//! (`invocations.csv`, `invocations.parquet` or nothing: [`Rows`]) and
//! accumulates the summary, so the simulation does not wait for either.
//! Order is kept, so the bytes
//! are those of a single-threaded run. The writer gives each batch back
//! emptied, to be filled again: no megabyte is allocated per batch, nor
//! freed on the other thread.

use std::io::{self, Write};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;

use crate::handoff::{self, handoff};

#[cfg(feature = "parquet")]
use super::INVOCATIONS_PARQUET;
#[cfg(feature = "parquet")]
use super::parquet::ParquetWriter;
use super::workflows::{EDGES, WORKFLOWS};
use super::{
    Accumulator, BATCH, CsvWriter, EdgeRecord, INVOCATIONS, InvocationRecord, Names, Sink, WorkflowRecord,
    WorkflowWriter,
};

/// Where the invocation rows go.
pub enum Rows<W: Write + Send> {
    /// `invocations.csv`.
    Csv(CsvWriter<W>),
    /// `invocations.parquet` (boxed: its writer holds columns and pages).
    #[cfg(feature = "parquet")]
    Parquet(Box<ParquetWriter<W>>),
    /// Nowhere: the summary alone (it counts every record all the same).
    Nowhere,
}

impl<W: Write + Send> Rows<W> {
    fn set_names(&mut self, names: &Names) {
        match self {
            Rows::Csv(csv) => csv.set_names(names),
            #[cfg(feature = "parquet")]
            Rows::Parquet(parquet) => parquet.set_names(names),
            Rows::Nowhere => {}
        }
    }

    /// Writes `records` and adds them to `summary`: for CSV in one pass,
    /// a record's row formatted as it is counted.
    fn write(&mut self, records: &[InvocationRecord], summary: &mut Accumulator) -> io::Result<()> {
        match self {
            Rows::Csv(csv) => summary
                .add_each(records, |r| csv.write(r))
                .map_err(in_file(INVOCATIONS)),
            #[cfg(feature = "parquet")]
            Rows::Parquet(parquet) => {
                summary.add_all(records);
                parquet.write_all(records).map_err(in_file(INVOCATIONS_PARQUET))
            }
            Rows::Nowhere => {
                summary.add_all(records);
                Ok(())
            }
        }
    }

    fn finish(self) -> io::Result<()> {
        match self {
            Rows::Csv(csv) => csv.finish().map(drop).map_err(in_file(INVOCATIONS)),
            #[cfg(feature = "parquet")]
            Rows::Parquet(parquet) => parquet.finish().map_err(in_file(INVOCATIONS_PARQUET)),
            Rows::Nowhere => Ok(()),
        }
    }
}

/// Batches in flight before the simulation waits for the writer (with the
/// one being written and the one being filled, [`BATCH`]'s fourteen).
const IN_FLIGHT: usize = 12;

/// Batches waiting that wake the writer once it has emptied the queue:
/// one system call (and one context switch of the writer) per six
/// batches, not per batch. The simulation still has six batches' room
/// (some 2 ms of its work) before it waits: time for the writer to get a
/// core it may share with a trace's reader. With four in flight and a
/// wake at two, the simulation waited for the writer hundreds of times a
/// run.
const WAKE_AT: usize = 6;

enum Message {
    Names(Names),
    KeptIntervals(u64),
    Records(Vec<InvocationRecord>),
    Workflows(Vec<WorkflowRecord>),
    Edges(Vec<EdgeRecord>),
}

/// A [`Sink`] whose work happens on its own thread.
pub struct BackgroundReport {
    /// Batches the writer is done with, emptied.
    spent: Receiver<Vec<InvocationRecord>>,
    workflows: Vec<WorkflowRecord>,
    edges: Vec<EdgeRecord>,
    sender: Option<handoff::Sender<Message>>,
    worker: Option<JoinHandle<io::Result<Accumulator>>>,
    /// The error the writer stopped on, once a send found it stopped.
    failure: Option<io::Error>,
}

impl BackgroundReport {
    /// Starts the writer thread over `rows` (and the workflow files, when
    /// the run has workflows), adding every record to `summary`. Fails
    /// only when the system refuses a new thread.
    pub fn start<W: Write + Send + 'static>(
        rows: Rows<W>,
        workflows: Option<WorkflowWriter<W>>,
        summary: Accumulator,
    ) -> io::Result<Self> {
        let (sender, receiver) = handoff(IN_FLIGHT, WAKE_AT, IN_FLIGHT - 1);
        let (give_back, spent) = channel();
        let worker = std::thread::Builder::new()
            .name("sls-report".into())
            .spawn(move || write_all(receiver, give_back, rows, workflows, summary))?;
        Ok(BackgroundReport {
            spent,
            workflows: Vec::new(),
            edges: Vec::new(),
            sender: Some(sender),
            worker: Some(worker),
            failure: None,
        })
    }

    fn send(&mut self, message: Message) -> io::Result<()> {
        if let Some(sender) = &self.sender
            && sender.send(message).is_ok()
        {
            return Ok(());
        }
        // The writer stopped on an error: that error is the one to report
        // (the system's own words, `No space left on device`), now and by
        // `finish`.
        self.sender = None;
        let failure = match self.failure.take() {
            Some(failure) => failure,
            None => match self.join() {
                Err(failure) => failure,
                Ok(_) => io::Error::other("the report writer ended early"),
            },
        };
        let copy = io::Error::new(failure.kind(), failure.to_string());
        self.failure = Some(failure);
        Err(copy)
    }

    fn join(&mut self) -> io::Result<Accumulator> {
        match self.worker.take().map(JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(io::Error::other("the report writer panicked")),
            None => Err(io::Error::other("the report writer was already joined")),
        }
    }

    /// Flushes everything and returns the summary accumulated, once the
    /// run has handed over its last records ([`Sink::records`]).
    pub fn finish(mut self) -> io::Result<Accumulator> {
        let workflows = std::mem::take(&mut self.workflows);
        let edges = std::mem::take(&mut self.edges);
        let sent = self
            .send(Message::Workflows(workflows))
            .and_then(|_| self.send(Message::Edges(edges)));
        self.sender = None;
        // The writer's own error comes first: a failed send only echoes it.
        let result = match self.failure.take() {
            Some(failure) => Err(failure),
            None => self.join(),
        };
        result.and_then(|summary| sent.map(|()| summary))
    }
}

impl Sink for BackgroundReport {
    fn begin(&mut self, names: &Names) {
        // An error here resurfaces at the first record or at `finish`.
        let _ = self.send(Message::Names(names.clone()));
    }

    fn keep_intervals(&mut self, kept: u64) {
        // As for `begin`: an error resurfaces later.
        let _ = self.send(Message::KeptIntervals(kept));
    }

    fn records(&mut self, records: &mut Vec<InvocationRecord>) -> io::Result<()> {
        // The batch travels as it is; the run fills one the writer is done with.
        let next = self.spent.try_recv().unwrap_or_else(|_| Vec::with_capacity(BATCH));
        let batch = std::mem::replace(records, next);
        self.send(Message::Records(batch))
    }

    fn workflow(&mut self, record: WorkflowRecord) -> io::Result<()> {
        self.workflows.push(record);
        if self.workflows.len() == BATCH {
            let batch = std::mem::take(&mut self.workflows);
            self.send(Message::Workflows(batch))?;
        }
        Ok(())
    }

    fn edge(&mut self, record: &EdgeRecord) -> io::Result<()> {
        self.edges.push(*record);
        if self.edges.len() == BATCH {
            let batch = std::mem::take(&mut self.edges);
            self.send(Message::Edges(batch))?;
        }
        Ok(())
    }
}

fn write_all<W: Write + Send>(
    receiver: handoff::Receiver<Message>,
    give_back: Sender<Vec<InvocationRecord>>,
    mut rows: Rows<W>,
    mut flows: Option<WorkflowWriter<W>>,
    mut summary: Accumulator,
) -> io::Result<Accumulator> {
    for message in receiver {
        match message {
            Message::Names(names) => {
                rows.set_names(&names);
                if let Some(w) = &mut flows {
                    w.workflow_names = names.workflows.clone();
                    w.function_names = names.functions.clone();
                    w.service_names = names.services.clone();
                }
            }
            Message::KeptIntervals(kept) => summary.keep_occupancy_intervals(kept),
            Message::Workflows(records) => {
                for r in &records {
                    summary.add_workflow(r);
                    if let Some(w) = &mut flows {
                        w.write_workflow(r).map_err(in_file(WORKFLOWS))?;
                    }
                }
            }
            Message::Edges(records) => {
                if let Some(w) = &mut flows {
                    for r in &records {
                        w.write_edge(r).map_err(in_file(EDGES))?;
                    }
                }
            }
            Message::Records(mut records) => {
                rows.write(&records, &mut summary)?;
                records.clear();
                // Once the simulation has ended nobody takes it back.
                let _ = give_back.send(records);
            }
        }
    }
    rows.finish()?;
    if let Some(w) = flows {
        w.finish()?;
    }
    Ok(summary)
}

/// An error with the file it happened in: `invocations.csv: No space left
/// on device (os error 28)`.
pub fn in_file(name: &'static str) -> impl Fn(io::Error) -> io::Error {
    move |error| io::Error::new(error.kind(), format!("{name}: {error}"))
}

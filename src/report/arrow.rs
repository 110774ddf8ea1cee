//! Results in memory, as Arrow record batches: a [`Sink`] that appends each
//! record to Arrow columns as it arrives (the summary and the time series
//! gathered on the way), for callers that analyse a run without files (the
//! Python package hands these batches to pyarrow without a copy).
//!
//! The columns are those of the CSV files, typed: dates are seconds as
//! `float64` (exact, where the CSV rounds to the nanosecond), empty cells
//! are nulls, and names (functions, services, nodes, causes, ...) are
//! dictionary-encoded, so they arrive as categories in pandas and polars.
//! Each date and size field says its unit in its metadata (`unit`: `s`, `B`).

use std::collections::HashMap;
use std::sync::Arc;

use arrow_array::builder::{Float64Builder, StringBuilder, UInt32Builder, UInt64Builder};
use arrow_array::types::UInt32Type;
use arrow_array::{ArrayRef, DictionaryArray, RecordBatch, StringArray, UInt32Array};
use arrow_schema::{ArrowError, DataType, Field, Schema, SchemaRef};

use super::record::{Cause, InvocationRecord, Names, StartKind, Startup};
use super::timeseries::TimeSeries;
use super::workflows::{Channel, EdgeRecord, WorkflowRecord};
use super::{Accumulator, Sink};

/// A run's results as record batches (a batch with no rows where the run
/// had none of a kind).
pub struct Tables {
    /// One row per invocation, in the order outcomes were recorded (the
    /// rows of `invocations.csv`).
    pub invocations: RecordBatch,
    /// One row per workflow instance (`workflows.csv`).
    pub workflows: RecordBatch,
    /// One row per edge of each workflow instance (`workflow_edges.csv`).
    pub edges: RecordBatch,
    /// Per interval of simulated time: invocations submitted, started, cold
    /// started, succeeded and failed, and the mean number running.
    pub timeseries: RecordBatch,
}

/// Collects a run's records into Arrow columns.
pub struct ArrowSink {
    names: Names,
    summary: Accumulator,
    series: TimeSeries,
    invocations: InvocationColumns,
    workflows: WorkflowColumns,
    edges: EdgeColumns,
}

impl ArrowSink {
    /// A sink for a platform of `hosts` hosts (the summary's utilisation
    /// table), with a time series of `interval` seconds per row (longer if
    /// the run outlasts [`super::timeseries::MAX_BINS`] of them).
    pub fn new(hosts: usize, interval: f64) -> ArrowSink {
        ArrowSink {
            names: Names::default(),
            summary: Accumulator::new(hosts),
            series: TimeSeries::new(interval),
            invocations: InvocationColumns::default(),
            workflows: WorkflowColumns::default(),
            edges: EdgeColumns::default(),
        }
    }

    /// The tables, and the accumulated summary to finish.
    pub fn finish(mut self) -> Result<(Accumulator, Tables), ArrowError> {
        let names = &self.names;
        let tables = Tables {
            invocations: self.invocations.take(names)?,
            workflows: self.workflows.finish(names)?,
            edges: self.edges.finish(names)?,
            timeseries: timeseries(&self.series)?,
        };
        Ok((self.summary, tables))
    }
}

impl Sink for ArrowSink {
    fn begin(&mut self, names: &Names) {
        self.names = names.clone();
    }

    fn records(&mut self, records: &mut Vec<InvocationRecord>) -> std::io::Result<()> {
        for record in records.drain(..) {
            self.summary.add(&record);
            self.series.add(&record);
            self.invocations.push(&record);
        }
        Ok(())
    }

    fn workflow(&mut self, record: WorkflowRecord) -> std::io::Result<()> {
        self.summary.add_workflow(&record);
        self.workflows.push(&record);
        Ok(())
    }

    fn edge(&mut self, record: &EdgeRecord) -> std::io::Result<()> {
        self.edges.push(record);
        Ok(())
    }
}

/// A field of `float64` in `unit`, said in its metadata.
fn measured(name: &str, unit: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Float64, nullable).with_metadata(HashMap::from([("unit".to_string(), unit.to_string())]))
}

/// A dictionary-encoded text field.
fn named(name: &str, nullable: bool) -> Field {
    Field::new_dictionary(name, DataType::UInt32, DataType::Utf8, nullable)
}

/// A dictionary column: `keys` index `values`.
fn dictionary<S: AsRef<str>>(keys: &mut UInt32Builder, values: &[S]) -> Result<ArrayRef, ArrowError> {
    let values = StringArray::from_iter_values(values.iter().map(AsRef::as_ref));
    let keys: UInt32Array = keys.finish();
    Ok(Arc::new(DictionaryArray::<UInt32Type>::try_new(
        keys,
        Arc::new(values),
    )?))
}

/// The names of the values of a small enumeration, in order of their keys.
fn enumeration<T: Copy>(all: &[T], name: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| name(*v)).collect()
}

/// Status names, by key (`status_key`).
pub(crate) const STATUSES: [&str; 2] = ["success", "failure"];
const START_KINDS: [StartKind; 3] = [StartKind::Cold, StartKind::Warm, StartKind::Prewarmed];
const STARTUPS: [Startup; 4] = [Startup::None, Startup::Container, Startup::Worker, Startup::Fork];
const CHANNELS: [Channel; 2] = [Channel::Local, Channel::Global];

fn status_key(succeeded: bool) -> u32 {
    u32::from(!succeeded)
}

/// The columns of `invocations.csv`, filled row by row.
#[derive(Default)]
pub(crate) struct InvocationColumns {
    id: UInt64Builder,
    function: UInt32Builder,
    service: UInt32Builder,
    submit: Float64Builder,
    dispatch: Float64Builder,
    start: Float64Builder,
    end: Float64Builder,
    finish: Float64Builder,
    node: UInt32Builder,
    status: UInt32Builder,
    cause: UInt32Builder,
    container: UInt32Builder,
    startup: UInt32Builder,
    instance: UInt64Builder,
}

impl InvocationColumns {
    pub(crate) fn push(&mut self, r: &InvocationRecord) {
        self.id.append_value(r.id);
        self.function.append_value(r.function);
        self.service.append_value(r.service);
        self.submit.append_value(r.submit);
        self.dispatch.append_option(r.dispatch);
        self.start.append_option(r.start);
        self.end.append_option(r.end);
        self.finish.append_value(r.finish);
        self.node.append_option(r.node);
        self.status.append_value(status_key(r.succeeded()));
        self.cause.append_option(r.cause.map(|c| c as u32));
        self.container.append_option(r.start_kind.map(|k| k as u32));
        self.startup.append_option(r.startup.map(|s| s as u32));
        self.instance.append_option(r.instance);
    }

    /// The table's schema: the CSV's columns, typed.
    pub(crate) fn schema() -> SchemaRef {
        Arc::new(Schema::new(vec![
            Field::new("id", DataType::UInt64, false),
            named("function", false),
            named("service", false),
            measured("submit", "s", false),
            measured("dispatch", "s", true),
            measured("start", "s", true),
            measured("end", "s", true),
            measured("finish", "s", false),
            named("node", true),
            named("status", false),
            named("cause", true),
            named("container", true),
            named("startup", true),
            Field::new("instance", DataType::UInt64, true),
        ]))
    }

    /// The rows pushed since the last call, as a batch (the columns are
    /// left empty).
    pub(crate) fn take(&mut self, names: &Names) -> Result<RecordBatch, ArrowError> {
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.id.finish()),
            dictionary(&mut self.function, &names.functions)?,
            dictionary(&mut self.service, &names.services)?,
            Arc::new(self.submit.finish()),
            Arc::new(self.dispatch.finish()),
            Arc::new(self.start.finish()),
            Arc::new(self.end.finish()),
            Arc::new(self.finish.finish()),
            dictionary(&mut self.node, &names.hosts)?,
            dictionary(&mut self.status, &STATUSES)?,
            dictionary(&mut self.cause, &enumeration(&Cause::ALL, Cause::name))?,
            dictionary(&mut self.container, &enumeration(&START_KINDS, StartKind::name))?,
            dictionary(&mut self.startup, &enumeration(&STARTUPS, Startup::name))?,
            Arc::new(self.instance.finish()),
        ];
        RecordBatch::try_new(Self::schema(), columns)
    }
}

#[derive(Default)]
struct WorkflowColumns {
    instance: UInt64Builder,
    workflow: UInt32Builder,
    service: UInt32Builder,
    start: Float64Builder,
    end: Float64Builder,
    latency: Float64Builder,
    status: UInt32Builder,
    ran: UInt32Builder,
    skipped: UInt32Builder,
    /// Function indices along each critical path, flattened, and where each
    /// path ends (names are resolved at the end).
    path_functions: Vec<u32>,
    path_ends: Vec<usize>,
}

impl WorkflowColumns {
    fn push(&mut self, r: &WorkflowRecord) {
        self.instance.append_value(r.instance);
        self.workflow.append_value(r.workflow);
        self.service.append_value(r.service);
        self.start.append_value(r.start);
        self.end.append_value(r.end);
        self.latency.append_value(r.end - r.start);
        self.status.append_value(status_key(r.succeeded));
        self.ran.append_value(r.ran);
        self.skipped.append_value(r.skipped);
        self.path_functions.extend_from_slice(&r.critical_path);
        self.path_ends.push(self.path_functions.len());
    }

    fn finish(mut self, names: &Names) -> Result<RecordBatch, ArrowError> {
        let schema = Schema::new(vec![
            Field::new("instance", DataType::UInt64, false),
            named("workflow", false),
            named("service", false),
            measured("start", "s", false),
            measured("end", "s", false),
            measured("latency", "s", false),
            named("status", false),
            Field::new("ran", DataType::UInt32, false),
            Field::new("skipped", DataType::UInt32, false),
            Field::new("critical_path", DataType::Utf8, false),
        ]);
        // The path as `workflows.csv` writes it: function names joined by `>`.
        let mut paths = StringBuilder::new();
        let mut from = 0;
        for &to in &self.path_ends {
            let path: Vec<&str> = self.path_functions[from..to]
                .iter()
                .map(|f| names.functions.get(*f as usize).map_or("", String::as_str))
                .collect();
            paths.append_value(path.join(">"));
            from = to;
        }
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.instance.finish()),
            dictionary(&mut self.workflow, &names.workflows)?,
            dictionary(&mut self.service, &names.services)?,
            Arc::new(self.start.finish()),
            Arc::new(self.end.finish()),
            Arc::new(self.latency.finish()),
            dictionary(&mut self.status, &STATUSES)?,
            Arc::new(self.ran.finish()),
            Arc::new(self.skipped.finish()),
            Arc::new(paths.finish()),
        ];
        RecordBatch::try_new(Arc::new(schema), columns)
    }
}

#[derive(Default)]
struct EdgeColumns {
    instance: UInt64Builder,
    workflow: UInt32Builder,
    from: UInt32Builder,
    to: UInt32Builder,
    bytes: Float64Builder,
    triggered: Float64Builder,
    delivered: Float64Builder,
    data_ready: Float64Builder,
    bus: UInt32Builder,
    data: UInt32Builder,
}

impl EdgeColumns {
    fn push(&mut self, r: &EdgeRecord) {
        self.instance.append_value(r.instance);
        self.workflow.append_value(r.workflow);
        self.from.append_value(r.from);
        self.to.append_value(r.to);
        self.bytes.append_value(r.bytes);
        self.triggered.append_value(r.triggered);
        self.delivered.append_value(r.delivered);
        self.data_ready.append_value(r.data_ready);
        self.bus.append_value(r.bus as u32);
        self.data.append_value(r.data as u32);
    }

    fn finish(mut self, names: &Names) -> Result<RecordBatch, ArrowError> {
        let schema = Schema::new(vec![
            Field::new("instance", DataType::UInt64, false),
            named("workflow", false),
            named("from", false),
            named("to", false),
            measured("bytes", "B", false),
            measured("triggered", "s", false),
            measured("delivered", "s", false),
            measured("data_ready", "s", false),
            named("bus", false),
            named("data", false),
        ]);
        let channels = enumeration(&CHANNELS, Channel::name);
        let columns: Vec<ArrayRef> = vec![
            Arc::new(self.instance.finish()),
            dictionary(&mut self.workflow, &names.workflows)?,
            dictionary(&mut self.from, &names.functions)?,
            dictionary(&mut self.to, &names.functions)?,
            Arc::new(self.bytes.finish()),
            Arc::new(self.triggered.finish()),
            Arc::new(self.delivered.finish()),
            Arc::new(self.data_ready.finish()),
            dictionary(&mut self.bus, &channels)?,
            dictionary(&mut self.data, &channels)?,
        ];
        RecordBatch::try_new(Arc::new(schema), columns)
    }
}

/// The time series: one row per interval, from time 0.
fn timeseries(series: &TimeSeries) -> Result<RecordBatch, ArrowError> {
    let schema = Schema::new(vec![
        measured("time", "s", false),
        Field::new("submitted", DataType::UInt64, false),
        Field::new("started", DataType::UInt64, false),
        Field::new("cold_starts", DataType::UInt64, false),
        Field::new("succeeded", DataType::UInt64, false),
        Field::new("failed", DataType::UInt64, false),
        Field::new("running", DataType::Float64, false),
    ]);
    let bins = series.bins();
    let count = |f: fn(&super::timeseries::Bin) -> u64| -> ArrayRef {
        Arc::new(bins.iter().map(|(b, _)| f(b)).collect::<arrow_array::UInt64Array>())
    };
    let columns: Vec<ArrayRef> = vec![
        Arc::new(
            (0..bins.len())
                .map(|i| i as f64 * series.interval())
                .collect::<arrow_array::Float64Array>(),
        ),
        count(|b| b.submitted),
        count(|b| b.started),
        count(|b| b.cold_starts),
        count(|b| b.succeeded),
        count(|b| b.failed),
        Arc::new(bins.iter().map(|(_, r)| *r).collect::<arrow_array::Float64Array>()),
    ];
    RecordBatch::try_new(Arc::new(schema), columns)
}

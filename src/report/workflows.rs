//! What happened to workflow instances: one `workflows.csv` row per
//! instance (latency, outcome, critical path) and one `workflow_edges.csv`
//! row per edge whose data moved (bytes, how, when), streamed like the
//! invocations.

use std::io::{self, Write};

/// One finished workflow instance.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkflowRecord {
    pub instance: u64,
    /// Index into the run's workflow names.
    pub workflow: u32,
    pub service: u32,
    pub start: f64,
    pub end: f64,
    pub succeeded: bool,
    pub ran: u32,
    pub skipped: u32,
    /// Function names along the critical path, first to last.
    pub critical_path: Vec<u32>,
}

/// How an edge's data (or its trigger) travelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    /// Same host: the host's local store (or memory).
    Local,
    /// Across hosts: the global store, over the network.
    Global,
}

impl Channel {
    pub fn name(self) -> &'static str {
        match self {
            Channel::Local => "local",
            Channel::Global => "global",
        }
    }
}

/// One edge of an instance: the trigger's bus and the data transfer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EdgeRecord {
    pub instance: u64,
    pub workflow: u32,
    /// Function indices (run names) of the edge's ends.
    pub from: u32,
    pub to: u32,
    pub bytes: f64,
    /// When the source finished, when the target's request left the bus,
    /// and when the target had its input data.
    pub triggered: f64,
    pub delivered: f64,
    pub data_ready: f64,
    pub bus: Channel,
    pub data: Channel,
}

/// The files' names in a run's folder.
pub const WORKFLOWS: &str = "workflows.csv";
pub const EDGES: &str = "workflow_edges.csv";

pub const WORKFLOWS_HEADER: &str = "instance,workflow,service,start,end,latency,status,ran,skipped,critical_path\n";
pub const EDGES_HEADER: &str = "instance,workflow,from,to,bytes,triggered,delivered,data_ready,bus,data\n";

/// Writes both files, names resolved.
pub struct WorkflowWriter<W: Write> {
    workflows: W,
    edges: W,
    pub workflow_names: Vec<String>,
    pub function_names: Vec<String>,
    pub service_names: Vec<String>,
    floats: ryu::Buffer,
}

impl<W: Write> WorkflowWriter<W> {
    pub fn new(mut workflows: W, mut edges: W) -> io::Result<Self> {
        workflows.write_all(WORKFLOWS_HEADER.as_bytes())?;
        edges.write_all(EDGES_HEADER.as_bytes())?;
        Ok(WorkflowWriter {
            workflows,
            edges,
            workflow_names: Vec::new(),
            function_names: Vec::new(),
            service_names: Vec::new(),
            floats: ryu::Buffer::new(),
        })
    }

    fn date(&mut self, t: f64) -> String {
        super::csv::date_text(&mut self.floats, t)
    }

    pub fn write_workflow(&mut self, r: &WorkflowRecord) -> io::Result<()> {
        let name = |names: &[String], i: u32| names.get(i as usize).cloned().unwrap_or_default();
        let path: Vec<String> = r.critical_path.iter().map(|f| name(&self.function_names, *f)).collect();
        let (start, end, latency) = (self.date(r.start), self.date(r.end), self.date(r.end - r.start));
        writeln!(
            self.workflows,
            "{},{},{},{start},{end},{latency},{},{},{},{}",
            r.instance,
            name(&self.workflow_names, r.workflow),
            name(&self.service_names, r.service),
            if r.succeeded { "success" } else { "failure" },
            r.ran,
            r.skipped,
            path.join(">")
        )
    }

    pub fn write_edge(&mut self, r: &EdgeRecord) -> io::Result<()> {
        let name = |names: &[String], i: u32| names.get(i as usize).cloned().unwrap_or_default();
        let (triggered, delivered, ready) = (self.date(r.triggered), self.date(r.delivered), self.date(r.data_ready));
        writeln!(
            self.edges,
            "{},{},{},{},{},{triggered},{delivered},{ready},{},{}",
            r.instance,
            name(&self.workflow_names, r.workflow),
            name(&self.function_names, r.from),
            name(&self.function_names, r.to),
            super::csv::format_float(&mut self.floats, r.bytes),
            r.bus.name(),
            r.data.name()
        )
    }

    pub fn finish(mut self) -> io::Result<()> {
        self.workflows.flush().map_err(super::background::in_file(WORKFLOWS))?;
        self.edges.flush().map_err(super::background::in_file(EDGES))
    }
}

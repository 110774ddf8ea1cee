//! What happened to one invocation: the row the service model emits when an
//! invocation ends (in success or failure) and the report writes out.

use serde::Serialize;

/// Why an invocation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Cause {
    /// The body ran past the function's time limit (counted from function start).
    Timeout,
    /// The body read more bytes from the network than its ingress limit.
    IngressExceeded,
    /// The body wrote more bytes to the network than its egress limit.
    EgressExceeded,
    /// The body wrote more bytes to its scratch disk than its disk limit.
    DiskExceeded,
    /// The image could not be downloaded to the head.
    ImageDownloadFailure,
    /// The node running the invocation failed.
    HostFailure,
    /// A transfer the body (or its input or payload) needed crossed a failed link.
    NetworkFailure,
    /// The body's own error (`fail` step).
    BodyError,
    /// The invocation can never fit a node of the service (refused at submission).
    CannotFit,
    /// A workflow node whose predecessors did not all run.
    Skipped,
    /// The run ended with the invocation still waiting (it could never be placed).
    NotRun,
}

impl Cause {
    /// Every cause, in the order summaries list them.
    pub const ALL: [Cause; 11] = [
        Cause::Timeout,
        Cause::IngressExceeded,
        Cause::EgressExceeded,
        Cause::DiskExceeded,
        Cause::ImageDownloadFailure,
        Cause::HostFailure,
        Cause::NetworkFailure,
        Cause::BodyError,
        Cause::CannotFit,
        Cause::Skipped,
        Cause::NotRun,
    ];

    /// The name written in CSV and JSON.
    pub fn name(self) -> &'static str {
        match self {
            Cause::Timeout => "timeout",
            Cause::IngressExceeded => "ingress_exceeded",
            Cause::EgressExceeded => "egress_exceeded",
            Cause::DiskExceeded => "disk_exceeded",
            Cause::ImageDownloadFailure => "image_download_failure",
            Cause::HostFailure => "host_failure",
            Cause::NetworkFailure => "network_failure",
            Cause::BodyError => "body_error",
            Cause::CannotFit => "cannot_fit",
            Cause::Skipped => "skipped",
            Cause::NotRun => "not_run",
        }
    }
}

/// How the invocation got its container.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum StartKind {
    /// Its container was not up when it was dispatched: a new one was
    /// started for it, or (SAND) it joined a sandbox still starting.
    Cold,
    /// It reused an idle container, or (`concurrency`) joined a busy one
    /// with room, waiting for the rest of its start-up if it was starting.
    Warm,
    /// It took a prewarmed container still starting (paying what was left
    /// of its startup); one that was ready gives a warm start.
    Prewarmed,
}

impl StartKind {
    /// Every kind, in declaration order (`kind as usize` indexes it).
    pub const ALL: [StartKind; 3] = [StartKind::Cold, StartKind::Warm, StartKind::Prewarmed];

    pub fn name(self) -> &'static str {
        match self {
            StartKind::Cold => "cold",
            StartKind::Warm => "warm",
            StartKind::Prewarmed => "prewarmed",
        }
    }
}

/// The start-up an invocation waited for between its dispatch and its start
/// (`start - dispatch` says how long).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Startup {
    /// Nothing: its container was up and idle.
    None,
    /// Its container or sandbox starting: a new one, or what was left of
    /// one still starting (a prewarm, or a sandbox another instance began).
    Container,
    /// SAND: its sandbox was up, its function's grain worker was not (the
    /// worker's start and library load, or what was left of them).
    Worker,
    /// SAND: only the fork of an instance from a worker that was up.
    Fork,
}

impl Startup {
    /// Every start-up, in declaration order (`startup as usize` indexes it).
    pub const ALL: [Startup; 4] = [Startup::None, Startup::Container, Startup::Worker, Startup::Fork];

    pub fn name(self) -> &'static str {
        match self {
            Startup::None => "none",
            Startup::Container => "container",
            Startup::Worker => "worker",
            Startup::Fork => "fork",
        }
    }
}

/// One finished invocation. Dates are simulated seconds; `None` when the
/// invocation never reached that point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InvocationRecord {
    /// Sequence number in submission order, from 0.
    pub id: u64,
    /// Index into the run's function names.
    pub function: u32,
    /// Index into the run's service names.
    pub service: u32,
    pub submit: f64,
    pub dispatch: Option<f64>,
    pub start: Option<f64>,
    pub end: Option<f64>,
    /// When the outcome was known: `end` for a success, the failure date
    /// otherwise (a timeout fails at start + limit, with no end).
    pub finish: f64,
    /// Index into the platform's host names.
    pub node: Option<u32>,
    /// `None` for a success.
    pub cause: Option<Cause>,
    pub start_kind: Option<StartKind>,
    /// What it waited for before its start, once dispatched.
    pub startup: Option<Startup>,
    /// The workflow instance it is a node of (its id in `workflows.csv`).
    pub instance: Option<u64>,
    /// The cores its body held while it ran: its `cpu` limit (or what
    /// `cpu_follows_memory` gives), 1 without one. Not written out: the
    /// summary weighs each node's busy time with it.
    pub cores: f64,
}

impl InvocationRecord {
    pub fn succeeded(&self) -> bool {
        self.cause.is_none()
    }
}

/// Names the numeric fields of records refer to.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub functions: Vec<String>,
    /// The service of each function (a function may run in several
    /// services: one registration, so one entry, per service).
    pub function_services: Vec<u32>,
    pub services: Vec<String>,
    pub hosts: Vec<String>,
    pub workflows: Vec<String>,
}

impl Names {
    /// The registrations of each function of each service, as the results
    /// show functions ([`super::parts::by_function`]).
    pub fn function_parts(&self) -> Vec<Vec<usize>> {
        super::parts::by_function(
            self.function_services
                .iter()
                .zip(&self.functions)
                .map(|(service, name)| (*service, name.as_str())),
        )
    }
}

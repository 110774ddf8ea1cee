//! The serverless service model (WRENCH and SAND) interpreted on the engine:
//! each service is an actor with a mailbox that downloads images to its
//! head, calls its scheduler after every message and applies the decisions
//! (copies, loads, evictions, dispatches); bodies run on the nodes; arrival
//! sources feed requests in; every finished invocation becomes a record.

mod body;
pub mod cover;
mod cx;
mod failure;
mod feed;
mod idle;
pub mod ids;
mod invocation;
mod message;
pub mod node;
pub mod nodeset;
mod nodesets;
mod outbox;
pub mod platform;
pub mod policy;
mod quota;
pub mod registry;
mod run;
pub mod series;
mod service;
mod settings;
pub mod state;
mod tag;
mod track;
mod workflow;
mod world;

pub use run::{Run, RunOptions};

/// Why a run stopped before its end.
#[derive(Debug)]
pub enum RunError {
    /// A trace could not be read.
    Trace(Box<crate::workload::trace::TraceError>),
    /// A trace names a function the script does not declare.
    UnknownTraceFunction { trace: String, function: String },
    /// A service's head storage is too small for the images it downloads.
    HeadFull { service: String, layer: String },
    /// The replay of index `replay` in the model dates its first arrival
    /// as Unix time would (`sls::trace::epoch_dates`): what to say, and
    /// what to write for its format.
    EpochDates {
        replay: usize,
        message: String,
        help: String,
    },
    /// More invocations were in flight at once than the run may hold
    /// (`--max-in-flight`): arrivals outpaced the platform. `service`
    /// held `here` of them, the most of any service.
    TooManyInFlight {
        bound: u64,
        date: f64,
        service: String,
        here: u64,
    },
    /// Writing results failed.
    Io(std::io::Error),
    /// The caller asked the run to stop (a signal).
    Interrupted,
    /// The platform could not be built (only an inconsistent IR can cause it).
    Platform(String),
    /// The engine refused an activity (only a non-finite amount can cause it).
    Engine(String),
    /// A policy could not decide: a registered one ([`policy::Stopper`]),
    /// or one written in the script (division by zero, no number), with
    /// the expression's span.
    Policy(policy::PolicyError),
}

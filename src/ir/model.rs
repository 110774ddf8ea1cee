//! A whole checked experiment: one [`Model`] per sweep point.

use serde::Serialize;

use super::function::{Function, Image, Layer};
use super::platform::Platform;
use super::service::{Service, ServiceId, Storage};
use super::workflow::Workflow;
use super::workload::{Client, ClientStep, Replay, Stream, Target};

/// One runnable configuration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Model {
    /// Seed of every random draw of the run (`--seed`, else `param seed`, else 0).
    pub seed: u64,
    pub platform: Platform,
    pub storages: Vec<Storage>,
    pub services: Vec<Service>,
    pub layers: Vec<Layer>,
    pub images: Vec<Image>,
    pub functions: Vec<Function>,
    pub workflows: Vec<Workflow>,
    pub streams: Vec<Stream>,
    pub replays: Vec<Replay>,
    pub clients: Vec<Client>,
    /// The prices of its `cost` block, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<super::cost::Prices>,
    /// What the checker warned of (allowed, likely not meant), in words:
    /// the run's summary keeps them beside its own warnings.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Why a script whose models declare no work is not run (after "`script`
/// declares nothing to run: "), in the command line's and Python's words.
pub const NOTHING_TO_RUN: &str = "it has no `workload { ... }` (nor prewarmed containers); \
     a file of shared parts is run through a script that includes it";

impl Model {
    /// Whether running the model does anything: it invokes, replays, runs
    /// clients or prewarms containers. A file meant to be included has none.
    pub fn declares_work(&self) -> bool {
        !(self.streams.is_empty()
            && self.replays.is_empty()
            && self.clients.is_empty()
            && self.services.iter().all(|s| s.prewarm.is_empty()))
    }

    /// Every declared function or workflow a stream or a client invokes,
    /// with its service and its `with { memory }` argument, streams first.
    pub fn invoked(&self) -> impl Iterator<Item = (Target, ServiceId, Option<f64>)> + '_ {
        let streams = self
            .streams
            .iter()
            .map(|stream| (stream.target, stream.service, stream.arguments.memory));
        let clients = self
            .clients
            .iter()
            .flat_map(|client| &client.steps)
            .filter_map(|step| match step {
                ClientStep::Invoke {
                    target,
                    service,
                    arguments,
                    ..
                } => Some((*target, *service, arguments.memory)),
                _ => None,
            });
        streams.chain(clients)
    }
}

/// A point of a sweep: the parameter values it sets and its model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Point {
    /// `(param, value as written)` in sweep order; empty without a sweep.
    pub assignments: Vec<(String, String)>,
    /// Every parameter's value in effect at this point, in declaration
    /// order. Results show them (`runs.csv`, `summary.json`); the model's
    /// dump does not repeat them.
    #[serde(skip)]
    pub parameters: Vec<Setting>,
    /// What the script's families made, for `sls check` to say.
    #[serde(skip)]
    pub generated: crate::check::Generated,
    pub model: Model,
}

impl Point {
    /// Its values as the sweep table names the point (`nodes=4
    /// policy=random(3)`); empty without a sweep.
    pub fn label(&self) -> String {
        let words: Vec<String> = self.assignments.iter().map(|(n, v)| format!("{n}={v}")).collect();
        words.join(" ")
    }
}

/// A parameter's value at a sweep point: as written, and as a number in SI
/// units when it is a quantity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Setting {
    pub name: String,
    /// The value as a user would write it (`500ms`, `fcfs`, `random(3)`).
    pub text: String,
    /// The value in SI units with the unit's symbol (`0.5`, `"s"`); the
    /// symbol is empty for a plain number or a percentage (a fraction).
    pub quantity: Option<(f64, &'static str)>,
}

/// Everything `sls run` executes: each point `repeat` times, the i-th
/// repetition with seed `model.seed + i`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Program {
    pub points: Vec<Point>,
    pub repeat: u32,
}

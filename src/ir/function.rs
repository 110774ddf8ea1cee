//! Image layers, images and functions as the IR carries them.

use serde::Serialize;

use super::Distribution;
use super::service::StorageId;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct LayerId(pub u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ImageId(pub u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct FunctionId(pub u32);

/// A file of an image; images that share a layer share its transfers and
/// its cache entries. An image declared with a plain size is one layer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Layer {
    pub name: String,
    /// Bytes on disk.
    pub size: f64,
    /// Bytes in RAM once loaded.
    pub ram: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Image {
    pub name: String,
    pub layers: Vec<LayerId>,
    /// Storage the image is downloaded from; `None`: already on the head.
    pub origin: Option<StorageId>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Function {
    pub name: String,
    pub image: ImageId,
    /// The application the function belongs to (SAND's sandbox unit).
    pub app: String,
    pub limits: Limits,
    pub body: Vec<Step>,
    /// A template for functions created from a trace (`replay ... as`).
    pub template: bool,
    /// Its own keep-alive policy, overriding its service's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keep_alive: Option<super::service::PolicySpec>,
}

impl Function {
    /// The `trace.` fields the function uses: `duration`, `memory`, in that order.
    pub fn trace_fields(&self) -> Vec<&'static str> {
        let mut amounts: Vec<&Amount> = vec![&self.limits.ram];
        for step in &self.body {
            match step {
                Step::Sleep(a) | Step::Compute(a) | Step::Output(a) => amounts.push(a),
                Step::Read { bytes, .. } | Step::Write { bytes, .. } => amounts.push(bytes),
                Step::Fail(_) => {}
            }
        }
        [(Amount::TraceDuration, "duration"), (Amount::TraceMemory, "memory")]
            .into_iter()
            .filter(|(field, _)| amounts.contains(&field))
            .map(|(_, name)| name)
            .collect()
    }
}

/// Limits fixed at registration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Limits {
    /// Seconds from function start; `None`: no limit.
    pub time: Option<f64>,
    /// Bytes of scratch disk reserved per container, and the most a body
    /// may write there; 0: none reserved, writes not counted.
    pub disk: f64,
    /// Bytes of RAM reserved per container (a trace's memory for templates).
    pub ram: Amount,
    /// Bytes the body may read from the network; `None`: unlimited.
    pub ingress: Option<f64>,
    /// Bytes the body may write to the network; `None`: unlimited.
    pub egress: Option<f64>,
    /// Cores the body's computations may use (`cpu 0.5`, `cpu 2`), which
    /// also weigh their share of a busy node; `None`: one core, or what
    /// the service's `cpu_follows_memory` gives.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu: Option<f64>,
    /// Invocations one container serves at once (Knative's
    /// `containerConcurrency`); 1, the default, is left out of the IR.
    #[serde(skip_serializing_if = "is_one")]
    pub concurrency: u32,
}

fn is_one(n: &u32) -> bool {
    *n == 1
}

/// An amount a step or limit uses: fixed, random, or taken from the trace
/// row that created the invocation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Amount {
    Drawn(Distribution),
    /// `trace.duration`: the seconds the trace gives for the invocation.
    TraceDuration,
    /// `trace.memory` (bytes).
    TraceMemory,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Step {
    /// Seconds.
    Sleep(Amount),
    /// Flops at one core's speed.
    Compute(Amount),
    /// Bytes from the scratch disk, or from a storage over the network.
    Read { bytes: Amount, from: Option<StorageId> },
    /// Bytes to the scratch disk, or to a storage over the network.
    Write { bytes: Amount, to: Option<StorageId> },
    /// Bytes passed to successors in a workflow.
    Output(Amount),
    /// Fails the invocation with the body's own error, with this probability.
    Fail(f64),
}

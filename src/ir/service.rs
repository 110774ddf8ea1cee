//! Storage services and serverless services as the IR carries them.

use serde::Serialize;

use super::function::FunctionId;
use super::platform::{DiskRef, HostId};

/// Index of a storage service in [`super::Model::storages`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct StorageId(pub u32);

/// Index of a serverless service in [`super::Model::services`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct ServiceId(pub u32);

impl ServiceId {
    /// The position of the service in [`super::Model::services`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A storage service on one disk: where images come from, or what bodies
/// read from and write to over the network.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Storage {
    pub name: String,
    pub disk: DiskRef,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Service {
    pub name: String,
    /// Where it is declared, for errors found while it runs.
    #[serde(skip)]
    pub span: crate::syntax::source::Span,
    /// Disk of the head host, where images are stored before copies to nodes.
    pub head: DiskRef,
    /// Homogeneous compute hosts, in declaration order.
    pub compute: Vec<HostId>,
    pub scheduler: SchedulerSpec,
    /// Seconds to start a container on a cold start.
    pub container_startup: f64,
    /// Seconds an idle container is kept; <= 0 shuts it down at once (the
    /// `fixed` keep-alive's window, when `keep_alive` is not set).
    pub idle_timeout: f64,
    /// The keep-alive policy chosen with `keep_alive`; `None`:
    /// `fixed(idle_timeout)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub keep_alive: Option<PolicySpec>,
    pub eviction: Eviction,
    /// The autoscaler chosen with `autoscaler`; `None`: `none`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub autoscaler: Option<AutoscalerSpec>,
    /// Seconds the service spends on each request before it counts as submitted.
    pub processing_overhead: f64,
    /// Whether images are downloaded from their origin storage to the head
    /// (false: they are on the head at time 0).
    pub image_downloads: bool,
    /// Containers per compute node; `None` means one per core.
    pub slots: Option<u32>,
    /// Containers started at time 0, before any invocation.
    pub prewarm: Vec<(FunctionId, u32)>,
    /// Bytes of each request and each response message.
    pub request_payload: f64,
    pub response_payload: f64,
    /// Bytes of a function's RAM limit per core its body may use, for
    /// functions without `cpu` (AWS Lambda: 1769MB); `None`: one core each.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cpu_follows_memory: Option<f64>,
    pub sandbox: Sandbox,
    pub bus: Bus,
    pub data: DataLayers,
}

/// A policy chosen by its registry row, with its parameters in the row's
/// order, in base units (defaults filled in).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicySpec {
    pub name: String,
    pub params: Vec<f64>,
    /// A policy written in the script (`name` is its name, no parameters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub written: Option<std::sync::Arc<super::policy::KeepAliveExpr>>,
}

/// The autoscaler of a service: a registry row, or one written in the
/// script.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum AutoscalerSpec {
    Row(PolicySpec),
    Written(std::sync::Arc<super::policy::AutoscalerExpr>),
}

impl AutoscalerSpec {
    /// Its row's name, or the name it is declared under.
    pub fn name(&self) -> &str {
        match self {
            AutoscalerSpec::Row(spec) => &spec.name,
            AutoscalerSpec::Written(written) => &written.name,
        }
    }
}

/// The scheduler of a service.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum SchedulerSpec {
    /// Submit order; first node by passes (idle container, image in RAM, ...).
    Fcfs,
    /// Shuffled invocations, random node, seeded.
    Random { seed: u64 },
    /// Cores split across functions by summed time limits.
    Balanced,
    /// WRENCH's greedy scheduler made of four policies.
    Greedy(GreedyPolicies),
    /// The node with the fewest busy slots.
    LeastLoaded,
    /// Nodes in turn.
    RoundRobin,
    /// OpenWhisk's home node by hash and co-prime steps.
    OpenWhisk,
    /// Consistent hashing with loads bounded by `bound` x the average.
    ConsistentHash { bound: f64 },
    /// A placement written in the script.
    Written(std::sync::Arc<super::policy::PlacementExpr>),
    /// A policy the running program registered under this name
    /// ([`crate::language::registered`]).
    Registered(String),
}

impl SchedulerSpec {
    /// Its row in the policy registry's `PLACEMENT` table, or the name
    /// it is declared or registered under.
    pub fn name(&self) -> &str {
        match self {
            SchedulerSpec::Fcfs => "fcfs",
            SchedulerSpec::Random { .. } => "random",
            SchedulerSpec::Balanced => "balanced",
            SchedulerSpec::Greedy(_) => "greedy",
            SchedulerSpec::LeastLoaded => "least_loaded",
            SchedulerSpec::RoundRobin => "round_robin",
            SchedulerSpec::OpenWhisk => "openwhisk",
            SchedulerSpec::ConsistentHash { .. } => "consistent_hash",
            SchedulerSpec::Written(written) => &written.name,
            SchedulerSpec::Registered(name) => name,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GreedyPolicies {
    pub order: Ordering,
    pub node: NodeSelection,
    pub eviction: EvictionSelection,
    pub plan: PlanSelection,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Ordering {
    Fcfs,
    Random { seed: u64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum NodeSelection {
    /// Every node with a free slot, in compute-list order (WRENCH's only policy).
    All,
    /// Nodes with a free slot, most free slots first (list order on ties).
    LeastLoaded,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum EvictionSelection {
    Lru,
    FewestEvictions,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PlanSelection {
    /// Fewest disk evictions, then RAM evictions, terminations, copies, loads;
    /// ties to the smallest host name.
    EvictionAverse,
    /// A uniformly random feasible plan, seeded.
    Random { seed: u64 },
}

/// Which idle containers go first when space is needed: a row of the
/// policy registry's `EVICTION` table (none takes parameters), or a policy
/// written in the script.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Eviction {
    /// Longest idle first, until the need is covered.
    Lru,
    /// The smallest single container that covers the need, else the largest, repeatedly.
    Ram,
    /// FaasCache's greedy-dual: lowest clock + frequency x cost / size first.
    GreedyDual,
    /// FaasCache's SIZE: lowest clock + frequency / size first.
    Size,
    /// FaasCache's FREQ: lowest clock + frequency x cost first.
    Freq,
    /// An eviction policy written in the script.
    Written(std::sync::Arc<super::policy::EvictionExpr>),
}

impl Eviction {
    const ALL: [Eviction; 5] = [
        Eviction::Lru,
        Eviction::Ram,
        Eviction::GreedyDual,
        Eviction::Size,
        Eviction::Freq,
    ];

    /// Its row in the policy registry's `EVICTION` table, or the name it
    /// is declared under.
    pub fn name(&self) -> &str {
        match self {
            Eviction::Lru => "lru",
            Eviction::Ram => "ram",
            Eviction::GreedyDual => "greedy_dual",
            Eviction::Size => "size",
            Eviction::Freq => "freq",
            Eviction::Written(written) => &written.name,
        }
    }

    /// The policy of the registry row `name` (every row has one: the
    /// registry test `policy::tests::every_row_has_a_constructor`).
    pub fn named(name: &str) -> Option<Eviction> {
        Eviction::ALL.into_iter().find(|e| e.name() == name)
    }
}

/// Isolation granularity and its costs (SAND.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sandbox {
    pub granularity: Granularity,
    /// Seconds to start a grain worker in an application sandbox.
    pub worker_start: f64,
    /// Seconds to load a function's libraries (once per worker).
    pub library_load: f64,
    /// Seconds to fork an instance per invocation.
    pub fork: f64,
    /// Bytes of a grain worker (per application granularity).
    pub base_memory: f64,
    /// Bytes of each running instance on top of its worker.
    pub instance_memory: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Granularity {
    /// A new container for every invocation.
    PerInvocation,
    /// Containers serve one function and are reused warm (WRENCH).
    PerFunction,
    /// One container per application per host; a worker per function; a fork per invocation (SAND).
    PerApplication,
}

/// How events between functions travel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bus {
    pub kind: BusKind,
    /// Latency and per-message cost of the global bus, seconds.
    pub global_latency: f64,
    pub global_per_message: f64,
    /// Latency and per-message cost of a host's local bus, seconds.
    pub local_latency: f64,
    pub local_per_message: f64,
    /// The host agent's cost to forward an event, seconds.
    pub agent_forward: f64,
    /// Whether local events are also copied to the global bus (SAND's backup).
    pub backup: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BusKind {
    Global,
    Hierarchical,
}

/// Where outputs passed along workflow edges are kept.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataLayers {
    /// A store on each host: latency (s) and bandwidth (bytes/s).
    pub local: Option<DataLayer>,
    /// A store across hosts, reached over the platform's network.
    pub global: Option<DataLayer>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DataLayer {
    pub latency: f64,
    pub bandwidth: f64,
}

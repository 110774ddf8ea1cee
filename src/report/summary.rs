//! The run summary: counts by outcome and cause, makespan, latency
//! percentiles, cold versus warm starts and per-node utilisation, gathered
//! record by record in constant memory, printed for people and written as
//! `summary.json`.

use std::fmt::Write;

use serde::Serialize;

use super::histogram::Histogram;
use super::record::{Cause, InvocationRecord, Names, StartKind};
use super::workflows::WorkflowRecord;

/// Accumulates records into a [`Summary`].
#[derive(Debug, Clone)]
pub struct Accumulator {
    invocations: u64,
    succeeded: u64,
    failed: [u64; Cause::ALL.len()],
    starts: [u64; 3],
    makespan: f64,
    latency: Histogram,
    /// Busy core-seconds per host (indexed like the platform's hosts).
    busy: Vec<f64>,
    workflow_instances: u64,
    workflow_succeeded: u64,
    workflow_latency: Histogram,
}

impl Accumulator {
    pub fn new(hosts: usize) -> Self {
        Accumulator {
            invocations: 0,
            succeeded: 0,
            failed: [0; Cause::ALL.len()],
            starts: [0; 3],
            makespan: 0.0,
            latency: Histogram::new(),
            busy: vec![0.0; hosts],
            workflow_instances: 0,
            workflow_succeeded: 0,
            workflow_latency: Histogram::new(),
        }
    }

    pub fn add_workflow(&mut self, r: &WorkflowRecord) {
        self.workflow_instances += 1;
        if r.succeeded {
            self.workflow_succeeded += 1;
            self.workflow_latency.add(r.end - r.start);
        }
        self.makespan = self.makespan.max(r.end);
    }

    pub fn add(&mut self, r: &InvocationRecord) {
        self.invocations += 1;
        match r.cause {
            None => {
                self.succeeded += 1;
                if let Some(end) = r.end {
                    self.latency.add(end - r.submit);
                }
            }
            Some(cause) => self.failed[cause as usize] += 1,
        }
        if let Some(kind) = r.start_kind {
            self.starts[kind as usize] += 1;
        }
        self.makespan = self.makespan.max(r.finish);
        if let (Some(node), Some(start)) = (r.node, r.start)
            && let Some(busy) = self.busy.get_mut(node as usize)
        {
            *busy += (r.finish - start).max(0.0);
        }
    }

    /// The summary, with utilisation over the makespan for the compute
    /// hosts `nodes` (host index, cores, peak reserved memory in bytes).
    pub fn finish(&self, names: &Names, nodes: &[(u32, u32, f64)]) -> Summary {
        let percentile = |p| self.latency.percentile(p);
        let latency = |h: &Histogram| Latency {
            mean: h.mean(),
            p50: h.percentile(50.0),
            p95: h.percentile(95.0),
            p99: h.percentile(99.0),
            max: h.max(),
        };
        Summary {
            run: None,
            invocations: self.invocations,
            succeeded: self.succeeded,
            failed: self.invocations - self.succeeded,
            failures: Cause::ALL
                .iter()
                .filter(|c| self.failed[**c as usize] > 0)
                .map(|c| CauseCount {
                    cause: c.name(),
                    count: self.failed[*c as usize],
                })
                .collect(),
            cold_starts: self.starts[StartKind::Cold as usize],
            warm_starts: self.starts[StartKind::Warm as usize],
            prewarmed_starts: self.starts[StartKind::Prewarmed as usize],
            makespan: self.makespan,
            latency: Latency {
                mean: self.latency.mean(),
                p50: percentile(50.0),
                p95: percentile(95.0),
                p99: percentile(99.0),
                max: self.latency.max(),
            },
            workflows: (self.workflow_instances > 0).then(|| WorkflowSummary {
                instances: self.workflow_instances,
                succeeded: self.workflow_succeeded,
                failed: self.workflow_instances - self.workflow_succeeded,
                latency: latency(&self.workflow_latency),
            }),
            bus: None,
            warnings: Vec::new(),
            nodes: nodes
                .iter()
                .map(|&(host, cores, peak_memory)| {
                    let busy = self.busy.get(host as usize).copied().unwrap_or(0.0);
                    let capacity = cores as f64 * self.makespan;
                    NodeUse {
                        node: names.hosts.get(host as usize).cloned().unwrap_or_default(),
                        busy_core_seconds: busy,
                        utilisation: if capacity > 0.0 { busy / capacity } else { 0.0 },
                        peak_memory,
                    }
                })
                .collect(),
        }
    }
}

/// Which experiment a summary is of: enough to run it again.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provenance {
    pub sls_version: String,
    pub script: String,
    /// SHA-256 of the script and the files it includes.
    pub script_sha256: String,
    /// `-p` overrides, as given.
    pub overrides: Vec<String>,
    pub point: usize,
    pub repetition: u32,
    /// The run's seed (the point's seed plus the repetition).
    pub seed: u64,
    /// Every parameter's value in effect, as written.
    pub parameters: indexmap::IndexMap<String, String>,
}

/// What `summary.json` holds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// The experiment and run this is the summary of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<Provenance>,
    pub invocations: u64,
    pub succeeded: u64,
    pub failed: u64,
    /// Failures by cause, only causes that occurred.
    pub failures: Vec<CauseCount>,
    pub cold_starts: u64,
    pub warm_starts: u64,
    pub prewarmed_starts: u64,
    /// Date of the last outcome, in seconds.
    pub makespan: f64,
    /// End minus submit of successful invocations, in seconds.
    pub latency: Latency,
    /// Workflow instances, when the run has any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflows: Option<WorkflowSummary>,
    /// Workflow triggers sent over message buses, when any were.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bus: Option<BusCounts>,
    pub nodes: Vec<NodeUse>,
    /// What went wrong at run time without stopping the run.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
}

/// Messages that carried workflow triggers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
pub struct BusCounts {
    /// Over a host's local bus.
    pub local: u64,
    /// Over the global bus.
    pub global: u64,
    /// Copies of local messages to the global bus (SAND's backup), asynchronous.
    pub backup: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkflowSummary {
    pub instances: u64,
    pub succeeded: u64,
    pub failed: u64,
    /// End minus start of successful instances, in seconds.
    pub latency: Latency,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CauseCount {
    pub cause: &'static str,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Latency {
    pub mean: Option<f64>,
    pub p50: Option<f64>,
    pub p95: Option<f64>,
    pub p99: Option<f64>,
    pub max: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeUse {
    pub node: String,
    /// Seconds of core time spent by invocations (from start to outcome).
    pub busy_core_seconds: f64,
    /// Busy core-seconds over cores x makespan.
    pub utilisation: f64,
    /// The most RAM reserved at once on the node (bytes): images, containers,
    /// workers and instances.
    pub peak_memory: f64,
}

fn seconds(value: Option<f64>) -> String {
    match value {
        Some(v) if v >= 1.0 => format!("{v:.3} s"),
        Some(v) => format!("{:.3} ms", v * 1e3),
        None => "-".to_string(),
    }
}

impl Summary {
    /// The summary as `sls run` prints it.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "invocations  {:>12}", self.invocations);
        let _ = writeln!(out, "  succeeded  {:>12}", self.succeeded);
        let _ = writeln!(out, "  failed     {:>12}", self.failed);
        for f in &self.failures {
            let _ = writeln!(out, "    {:<22} {:>10}", f.cause, f.count);
        }
        let _ = writeln!(
            out,
            "starts       cold {}  warm {}  prewarmed {}",
            self.cold_starts, self.warm_starts, self.prewarmed_starts
        );
        let _ = writeln!(out, "makespan     {}", seconds(Some(self.makespan)));
        let _ = writeln!(
            out,
            "latency      p50 {}  p95 {}  p99 {}  mean {}  max {}",
            seconds(self.latency.p50),
            seconds(self.latency.p95),
            seconds(self.latency.p99),
            seconds(self.latency.mean),
            seconds(self.latency.max)
        );
        if let Some(w) = &self.workflows {
            let _ = writeln!(
                out,
                "workflows    {} instances, {} succeeded, {} failed; latency p50 {}  p95 {}  p99 {}",
                w.instances,
                w.succeeded,
                w.failed,
                seconds(w.latency.p50),
                seconds(w.latency.p95),
                seconds(w.latency.p99)
            );
        }
        if let Some(b) = &self.bus {
            let _ = writeln!(
                out,
                "bus          local {}  global {}  backup copies {}",
                b.local, b.global, b.backup
            );
        }
        if !self.nodes.is_empty() {
            let _ = writeln!(out, "nodes        utilisation   peak memory");
            for n in &self.nodes {
                let _ = writeln!(
                    out,
                    "  {:<20} {:>6.1}%   {:>10.1} MB",
                    n.node,
                    n.utilisation * 100.0,
                    n.peak_memory / 1e6
                );
            }
        }
        out
    }
}

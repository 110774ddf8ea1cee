//! A summary as a flat list of named metrics with their units: the columns
//! of a sweep's `runs.csv` and the quantities its table and charts average
//! over repetitions. A new summary field is a new entry here.

use super::containers::ContainerUse;
use super::record::Cause;
use super::summary::{Latency, Summary};

/// One metric of one run.
#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    /// The column name, unit apart: `latency_p99`, `utilisation:node[1]`.
    pub name: String,
    /// SI symbol, empty for counts and fractions.
    pub unit: &'static str,
    /// `None` when the run has no such value (no successful invocation).
    pub value: Option<f64>,
}

impl Metric {
    fn new(name: impl Into<String>, unit: &'static str, value: Option<f64>) -> Metric {
        Metric {
            name: name.into(),
            unit,
            value,
        }
    }

    /// The column header: `latency_p99 [s]`, `invocations`.
    pub fn header(&self) -> String {
        header(&self.name, self.unit)
    }
}

/// `name [unit]`, or the name alone for a unitless quantity.
pub fn header(name: &str, unit: &str) -> String {
    if unit.is_empty() {
        name.to_string()
    } else {
        format!("{name} [{unit}]")
    }
}

/// The metrics a sweep's table shows, by name, with how to show them.
pub const KEY_METRICS: [(&str, &str); 6] = [
    ("invocations", "invocations"),
    ("failed_ratio", "failed %"),
    ("cold_start_ratio", "cold %"),
    ("latency_p50", "latency p50"),
    ("latency_p99", "latency p99"),
    ("makespan", "makespan"),
];

impl Summary {
    /// Every metric of the run, in a fixed order (per-cause failures for
    /// every cause, so that runs have the same columns).
    pub fn metrics(&self) -> Vec<Metric> {
        let count = |name: &str, n: u64| Metric::new(name, "", Some(n as f64));
        let ratio =
            |name: &str, part: u64, whole: u64| Metric::new(name, "", (whole > 0).then(|| part as f64 / whole as f64));
        let mut metrics = vec![
            count("invocations", self.totals.invocations),
            count("succeeded", self.totals.succeeded),
            count("failed", self.totals.failed),
            ratio("failed_ratio", self.totals.failed, self.totals.invocations),
        ];
        for cause in Cause::ALL {
            let n = self
                .totals
                .failures
                .iter()
                .find(|f| f.cause == cause.name())
                .map_or(0, |f| f.count);
            metrics.push(count(&format!("failed_{}", cause.name()), n));
        }
        let starts = self.totals.cold_starts + self.totals.warm_starts + self.totals.prewarmed_starts;
        metrics.extend([
            count("cold_starts", self.totals.cold_starts),
            count("warm_starts", self.totals.warm_starts),
            count("prewarmed_starts", self.totals.prewarmed_starts),
            ratio("cold_start_ratio", self.totals.cold_starts, starts),
            Metric::new("makespan", "s", Some(self.makespan)),
        ]);
        latency_metrics(&mut metrics, "latency", &self.totals.latency);
        if let Some(w) = &self.workflows {
            metrics.extend([
                count("workflow_instances", w.instances),
                count("workflow_succeeded", w.succeeded),
                count("workflow_failed", w.failed),
            ]);
            latency_metrics(&mut metrics, "workflow_latency", &w.latency);
        }
        if let Some(b) = &self.bus {
            metrics.extend([
                count("bus_local", b.local),
                count("bus_global", b.global),
                count("bus_backup", b.backup),
            ]);
        }
        if let Some(c) = &self.cost {
            metrics.extend([
                count("billed_requests", c.requests),
                Metric::new("gb_seconds", "", Some(c.gb_seconds)),
                Metric::new("billed_idle_gb_seconds", "", Some(c.idle_gb_seconds)),
                Metric::new("billed_transferred_gb", "", Some(c.transferred_gb)),
                Metric::new("cost", "", Some(c.total)),
            ]);
            // The bill per service and per function, in the price list's currency.
            for s in &c.services {
                metrics.push(Metric::new(format!("cost:{}", s.name), "", Some(s.cost)));
            }
            // A function billed at two memories (two registrations) is one
            // column, their bills summed.
            let mut functions: indexmap::IndexMap<String, f64> = indexmap::IndexMap::new();
            for f in &c.functions {
                match functions.entry(format!("cost:{}@{}", f.name, f.service)) {
                    indexmap::map::Entry::Occupied(mut sum) => *sum.get_mut() += f.cost,
                    indexmap::map::Entry::Vacant(first) => {
                        first.insert(f.cost);
                    }
                }
            }
            for (name, cost) in functions {
                metrics.push(Metric::new(name, "", Some(cost)));
            }
        }
        for n in &self.nodes {
            metrics.push(Metric::new(format!("utilisation:{}", n.node), "", Some(n.utilisation)));
            metrics.push(Metric::new(format!("peak_memory:{}", n.node), "B", Some(n.peak_memory)));
        }
        // The wait for the services' processing overhead, per service
        // (`report::admission`).
        for s in &self.services {
            if let Some(a) = &s.admission {
                metrics.push(Metric::new(
                    format!("admission_wait_mean:{}", s.name),
                    "s",
                    Some(a.mean),
                ));
                metrics.push(Metric::new(format!("admission_wait_max:{}", s.name), "s", Some(a.max)));
            }
        }
        // Keep-alive's cost over every service (`report::containers`).
        let mut containers = ContainerUse::default();
        let mut counted = false;
        for k in self.services.iter().filter_map(|s| s.keep_alive.as_ref()) {
            containers.add(&k.containers);
            counted = true;
        }
        if counted {
            metrics.extend([
                Metric::new("idle_container_seconds", "s", Some(containers.idle_seconds)),
                Metric::new("reserved_gb_seconds", "GB s", Some(containers.reserved_gb_seconds)),
                Metric::new("idle_gb_seconds", "GB s", Some(containers.idle_gb_seconds)),
                count("prewarms", containers.prewarms),
                count("prewarms_used", containers.prewarms_used),
                count("prewarms_wasted", containers.prewarms_wasted),
            ]);
        }
        metrics
    }
}

fn latency_metrics(metrics: &mut Vec<Metric>, prefix: &str, latency: &Latency) {
    for (name, value) in [
        ("mean", latency.mean),
        ("p50", latency.p50),
        ("p95", latency.p95),
        ("p99", latency.p99),
        ("max", latency.max),
    ] {
        metrics.push(Metric::new(format!("{prefix}_{name}"), "s", value));
    }
}

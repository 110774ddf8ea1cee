//! The run summary: counts by outcome and cause, makespan, latency
//! percentiles, cold versus warm starts and per-node utilisation, gathered
//! record by record in constant memory, printed for people and written as
//! `summary.json`.

use std::convert::Infallible;

use serde::{Deserialize, Serialize};

use super::cost::{Cost, Usage};
use super::histogram::{Buckets, Histogram, Moments, Pending};
use super::record::{Cause, InvocationRecord, Names, StartKind};
use super::workflows::WorkflowRecord;

/// What happened to one set of invocations (a run, a service, a function).
/// In the order a record touches its fields (`repr(C)` keeps it): with
/// thousands of functions each tally is a cache miss per line it spans,
/// so the counts every record adds to and the list of latencies not yet in
/// the histogram come first, in two cache lines (the alignment keeps them
/// two), then the histogram's tables, and the failures' counts, rarely
/// touched, last.
#[derive(Debug, Clone, Default)]
#[repr(C, align(64))]
struct Tally {
    invocations: u64,
    succeeded: u64,
    starts: [u64; 3],
    /// What the invocations that started would be billed for.
    usage: Usage,
    /// Count, sum and largest of the successes' latencies, summed in record
    /// order (a mean's last bits depend on the order of its sum).
    latency: Moments,
    /// The latest successes' latencies, counted in `buckets` a thousand at
    /// a time (when full, and when the tally is read).
    pending: Pending,
    /// The other successes' latencies to 12 bits.
    buckets: Buckets,
    failed: [u64; Cause::ALL.len()],
}

// The fields every success touches fill the first two cache lines.
const _: () = assert!(std::mem::offset_of!(Tally, pending) + std::mem::size_of::<Pending>() <= 128);

impl Tally {
    /// Counts `r`; returns its latency when it succeeded. Inlined into
    /// [`Accumulator::add`], its one caller.
    #[inline(always)]
    fn count(&mut self, r: &InvocationRecord) -> Option<f64> {
        self.invocations += 1;
        if let Some(kind) = r.start_kind {
            self.starts[kind as usize] += 1;
        }
        if let Some(start) = r.start {
            self.usage.add(start, r.end.unwrap_or(r.finish));
        }
        match r.cause {
            None => {
                self.succeeded += 1;
                let latency = r.end? - r.submit;
                self.latency.add(latency);
                if self.pending.push(latency) {
                    self.buckets.add_pending(&mut self.pending);
                }
                Some(latency)
            }
            Some(cause) => {
                self.failed[cause as usize] += 1;
                None
            }
        }
    }

    /// Reads the lines [`Tally::count`] writes: its counts and the end of
    /// its pending latencies.
    #[inline]
    fn touch(&self) -> u64 {
        self.invocations ^ u64::from(self.pending.last())
    }

    /// A tally of a larger set whose latency moments are `latency`.
    fn with_moments(latency: Moments) -> Tally {
        Tally {
            latency,
            ..Tally::default()
        }
    }

    /// Adds the counts and buckets of `part`, a subset of this set (its
    /// moments are this set's own, summed record by record).
    fn absorb(&mut self, part: &Tally) {
        self.invocations += part.invocations;
        self.succeeded += part.succeeded;
        for (total, n) in self.failed.iter_mut().zip(part.failed) {
            *total += n;
        }
        for (total, n) in self.starts.iter_mut().zip(part.starts) {
            *total += n;
        }
        self.buckets.merge(&part.buckets);
        self.buckets.count_pending(&part.pending);
    }

    /// Adds `other`, a disjoint set (another registration of the same
    /// function): its counts, buckets and latency moments.
    fn merge(&mut self, other: &Tally) {
        self.absorb(other);
        self.latency.merge(&other.latency);
    }

    fn outcomes(&self) -> Outcomes {
        Outcomes {
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
            latency: Latency::of(&self.latency, &self.buckets, &self.pending),
        }
    }
}

/// The element at `index`, growing the list as needed.
fn at<T: Default>(list: &mut Vec<T>, index: u32) -> &mut T {
    let index = index as usize;
    if list.len() <= index {
        list.resize_with(index + 1, T::default);
    }
    &mut list[index]
}

/// The parts with invocations of the services, in the order of `names`.
fn service_parts(tallies: &[Tally], names: &[String]) -> Vec<Part> {
    tallies
        .iter()
        .zip(names)
        .filter(|(t, _)| t.invocations > 0)
        .map(|(t, name)| Part {
            name: name.clone(),
            service: None,
            outcomes: t.outcomes(),
            keep_alive: None,
            autoscaler: None,
            admission: None,
            registrations: Vec::new(),
        })
        .collect()
}

/// The parts with invocations of the functions, one per function of each
/// service (its registrations' tallies summed), in the order of their
/// first registration.
fn function_parts(tallies: &[Tally], names: &Names) -> Vec<Part> {
    names
        .function_parts()
        .into_iter()
        .filter_map(|registrations| {
            let merged;
            let tally = match registrations[..] {
                // Nearly always: one registration, its tally as it is.
                [one] => tallies.get(one)?,
                _ => {
                    let empty = Tally::default();
                    merged = super::parts::sum(
                        &registrations,
                        |r| tallies.get(r).unwrap_or(&empty).clone(),
                        Tally::merge,
                    )?;
                    &merged
                }
            };
            let first = registrations[0];
            (tally.invocations > 0).then(|| Part {
                name: names.functions[first].clone(),
                service: names
                    .function_services
                    .get(first)
                    .and_then(|s| names.services.get(*s as usize))
                    .cloned(),
                outcomes: tally.outcomes(),
                keep_alive: None,
                autoscaler: None,
                admission: None,
                registrations,
            })
        })
        .collect()
}

/// Accumulates records into a [`Summary`]. A record costs one tally, its
/// function's (counts, latency moments and buckets: list indexings, no
/// hashing), and the latency moments of the run and of its service; the
/// run's and services' counts and buckets are their functions' summed at
/// the end.
#[derive(Debug, Clone)]
pub struct Accumulator {
    functions: Vec<Tally>,
    latency: Moments,
    service_latencies: Vec<Moments>,
    makespan: f64,
    /// Busy core-seconds per host (indexed like the platform's hosts): each
    /// invocation's time from start to finish times the cores it held.
    busy: Vec<f64>,
    workflow_instances: u64,
    workflow_succeeded: u64,
    workflow_latency: Histogram,
    /// Invocations waiting and running per function over time, when the
    /// run writes time series.
    occupancy: Option<Box<super::timeseries::Occupancy>>,
}

impl Accumulator {
    /// Also gathers the invocations waiting and running per function over
    /// intervals of `interval` seconds (`--timeseries`).
    pub fn with_occupancy(mut self, interval: f64) -> Self {
        self.occupancy = Some(Box::new(super::timeseries::Occupancy::new(interval)));
        self
    }

    /// Keeps at most `kept` intervals of the occupancy, as the run's
    /// meters do.
    pub fn keep_occupancy_intervals(&mut self, kept: u64) {
        if let Some(occupancy) = &mut self.occupancy {
            occupancy.keep(kept);
        }
    }

    /// What [`Accumulator::with_occupancy`] gathered.
    pub fn occupancy(&self) -> Option<&super::timeseries::Occupancy> {
        self.occupancy.as_deref()
    }

    pub fn new(hosts: usize) -> Self {
        Accumulator {
            functions: Vec::new(),
            latency: Moments::default(),
            service_latencies: Vec::new(),
            makespan: 0.0,
            busy: vec![0.0; hosts],
            workflow_instances: 0,
            workflow_succeeded: 0,
            workflow_latency: Histogram::new(),
            occupancy: None,
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

    /// Adds every record of a batch, as [`Accumulator::add`] does one.
    pub fn add_all(&mut self, records: &[InvocationRecord]) {
        let Ok(()) = self.add_each(records, |_| Ok::<(), Infallible>(()));
    }

    /// Adds every record of a batch, as [`Accumulator::add`] does one,
    /// and hands each to `each` after it (a row to format): the record is
    /// read once, for both. With thousands of functions each record's
    /// tally is a cache miss: the tallies of a few dozen records are read
    /// first in a loop that does nothing else, so the processor waits for
    /// their misses at once, not one record after another (not when the
    /// tallies fit in a cache). Stops at the first error of `each`.
    pub fn add_each<E>(
        &mut self,
        records: &[InvocationRecord],
        mut each: impl FnMut(&InvocationRecord) -> Result<(), E>,
    ) -> Result<(), E> {
        let read_ahead = std::mem::size_of_val(self.functions.as_slice()) > super::histogram::CACHED;
        for chunk in records.chunks(32) {
            if read_ahead {
                let touched = chunk
                    .iter()
                    .filter_map(|r| self.functions.get(r.function as usize))
                    .fold(0, |seen, tally| seen ^ tally.touch());
                std::hint::black_box(touched);
            }
            for r in chunk {
                self.add(r);
                each(r)?;
            }
        }
        Ok(())
    }

    /// Inlined into the loop over a batch's records ([`Accumulator::add_each`]).
    #[inline(always)]
    pub fn add(&mut self, r: &InvocationRecord) {
        if let Some(latency) = at(&mut self.functions, r.function).count(r) {
            self.latency.add(latency);
            at(&mut self.service_latencies, r.service).add(latency);
        }
        self.makespan = self.makespan.max(r.finish);
        if let (Some(node), Some(start)) = (r.node, r.start)
            && let Some(busy) = self.busy.get_mut(node as usize)
        {
            *busy += (r.finish - start).max(0.0) * r.cores;
        }
        if let Some(occupancy) = &mut self.occupancy {
            occupancy.add(r);
        }
    }

    /// What the invocations so far of registration `f` are billed for.
    pub fn usage(&self, f: usize) -> Usage {
        self.functions.get(f).map(|t| t.usage).unwrap_or_default()
    }

    /// The summary, with utilisation over the makespan for the compute
    /// hosts `nodes` (host index, cores, peak reserved memory in bytes).
    pub fn finish(&self, names: &Names, nodes: &[(u32, u32, f64)]) -> Summary {
        let mut all = Tally::with_moments(self.latency);
        for function in &self.functions {
            all.absorb(function);
        }
        let services = if names.services.len() == 1 {
            // Its invocations are all of them.
            vec![all.clone()]
        } else {
            let mut services: Vec<Tally> = self.service_latencies.iter().map(|m| Tally::with_moments(*m)).collect();
            for (function, tally) in self.functions.iter().enumerate() {
                if let Some(&service) = names.function_services.get(function) {
                    at(&mut services, service).absorb(tally);
                }
            }
            services
        };
        Summary {
            run: None,
            totals: all.outcomes(),
            makespan: self.makespan,
            workflows: (self.workflow_instances > 0).then(|| WorkflowSummary {
                instances: self.workflow_instances,
                succeeded: self.workflow_succeeded,
                failed: self.workflow_instances - self.workflow_succeeded,
                latency: Latency::of(
                    &self.workflow_latency.moments,
                    &self.workflow_latency.buckets,
                    &Pending::default(),
                ),
            }),
            bus: None,
            cost: None,
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
            services: service_parts(&services, &names.services),
            functions: function_parts(&self.functions, names),
        }
    }
}

/// Which experiment a summary is of: enough to run it again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The experiment and run this is the summary of.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run: Option<Provenance>,
    /// Every invocation of the run.
    #[serde(flatten)]
    pub totals: Outcomes,
    /// Date of the last outcome, in seconds.
    pub makespan: f64,
    /// Workflow instances, when the run has any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workflows: Option<WorkflowSummary>,
    /// Workflow triggers sent over message buses, when any were.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bus: Option<BusCounts>,
    pub nodes: Vec<NodeUse>,
    /// The bill, when the script's `cost` block or `sls run --cost` gave
    /// prices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Cost>,
    /// What went wrong at run time without stopping the run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// The same counts per service and per function (trace functions by
    /// their trace name), those with invocations, in declaration order.
    pub services: Vec<Part>,
    pub functions: Vec<Part>,
}

/// What happened to a set of invocations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outcomes {
    pub invocations: u64,
    pub succeeded: u64,
    pub failed: u64,
    /// Failures by cause, only causes that occurred.
    pub failures: Vec<CauseCount>,
    pub cold_starts: u64,
    pub warm_starts: u64,
    pub prewarmed_starts: u64,
    /// End minus submit of successful invocations, in seconds.
    pub latency: Latency,
}

/// The outcomes of one service or function.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    pub name: String,
    /// A function's service.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service: Option<String>,
    #[serde(flatten)]
    pub outcomes: Outcomes,
    /// What keep-alive cost and bought (`report::containers`), when the
    /// run's containers were counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_alive: Option<super::containers::KeepAliveUse>,
    /// What its autoscaler did (`report::autoscaling`), when its service
    /// has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub autoscaler: Option<super::autoscaling::AutoscalerUse>,
    /// How long requests waited before they were submitted
    /// (`report::admission`), when its service has a processing overhead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admission: Option<super::admission::AdmissionWait>,
    /// The registrations a function's part sums (a function invoked with
    /// two memories is registered twice: `report::parts`); not written.
    #[serde(skip)]
    pub registrations: Vec<usize>,
}

/// Messages that carried workflow triggers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct BusCounts {
    /// Over a host's local bus.
    pub local: u64,
    /// Over the global bus.
    pub global: u64,
    /// Copies of local messages to the global bus (SAND's backup), asynchronous.
    pub backup: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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

/// A [`CauseCount`] as read back from `summary.json`, its cause still a
/// string.
#[derive(Deserialize)]
struct CauseCountRead {
    cause: String,
    count: u64,
}

impl<'de> Deserialize<'de> for CauseCount {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let read = CauseCountRead::deserialize(deserializer)?;
        let cause = Cause::ALL
            .iter()
            .map(|c| c.name())
            .find(|n| *n == read.cause)
            .ok_or_else(|| serde::de::Error::custom(format!("no failure cause is named `{}`", read.cause)))?;
        Ok(CauseCount {
            cause,
            count: read.count,
        })
    }
}

/// Latency statistics: mean and max exact; percentiles by nearest rank,
/// at most `histogram::RELATIVE_ERROR` (1/4096) below the exact value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    pub mean: Option<f64>,
    pub p50: Option<f64>,
    pub p95: Option<f64>,
    pub p99: Option<f64>,
    pub max: Option<f64>,
}

impl Latency {
    fn of(moments: &Moments, buckets: &Buckets, pending: &Pending) -> Latency {
        let [p50, p95, p99] = buckets.percentiles_with(pending, &[50.0, 95.0, 99.0])[..] else {
            unreachable!("three percentiles asked")
        };
        Latency {
            mean: moments.mean(),
            p50,
            p95,
            p99,
            max: moments.max(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeUse {
    pub node: String,
    /// Core-seconds held by invocations: each one's time from start to
    /// outcome times the cores its body may use (its `cpu`, or what
    /// `cpu_follows_memory` gives; one without), whether it computes, sleeps
    /// or waits for I/O then, and whatever share a full node gave it.
    pub busy_core_seconds: f64,
    /// Busy core-seconds over cores x makespan.
    pub utilisation: f64,
    /// The most RAM reserved at once on the node (bytes): images, containers,
    /// workers and instances.
    pub peak_memory: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A success of function `function` with latency `latency`.
    fn success(id: u64, function: u32, latency: f64) -> InvocationRecord {
        InvocationRecord {
            id,
            function,
            service: 0,
            submit: id as f64,
            dispatch: Some(id as f64),
            start: Some(id as f64),
            end: Some(id as f64 + latency),
            finish: id as f64 + latency,
            node: Some(0),
            cause: None,
            start_kind: Some(StartKind::Warm),
            startup: None,
            instance: None,
            cores: 1.0,
        }
    }

    fn latency_of(histogram: &Histogram) -> Latency {
        Latency::of(&histogram.moments, &histogram.buckets, &Pending::default())
    }

    /// Every latency counts in its function's percentiles and the run's,
    /// whether it was counted in the buckets during the run (a function
    /// past a thousand) or was still pending at the end (the rest, and a
    /// function with fewer): the same as histograms filled value by value.
    #[test]
    fn percentiles_count_pending_latencies_once() {
        let names = Names {
            functions: vec!["many".into(), "few".into()],
            function_services: vec![0, 0],
            services: vec!["s".into()],
            hosts: vec!["h".into()],
            ..Names::default()
        };
        let mut accumulator = Accumulator::new(1);
        let (mut run, mut per_function) = (Histogram::new(), [Histogram::new(), Histogram::new()]);
        for id in 0..3_000u64 {
            // Function 0 gets 2,500 (two thousands counted, 500 pending);
            // function 1 gets 500, all pending; latencies spread over
            // several octaves so percentiles differ by where they fall.
            let function = u32::from(id % 6 == 5);
            let record = success(id, function, 0.001 * (1 + (id * 7_919) % 5_000) as f64);
            accumulator.add(&record);
            // The latency as the summary reads it back from the dates.
            let latency = record.end.unwrap() - record.submit;
            run.add(latency);
            per_function[function as usize].add(latency);
        }
        let summary = accumulator.finish(&names, &[(0, 1, 0.0)]);
        assert_eq!(summary.totals.latency, latency_of(&run));
        assert_eq!(summary.services[0].outcomes.latency, latency_of(&run));
        for (part, expected) in summary.functions.iter().zip(&per_function) {
            assert_eq!(part.outcomes.latency, latency_of(expected), "{}", part.name);
        }
        assert_eq!(summary.functions.len(), 2);
    }
}

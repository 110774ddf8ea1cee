//! The summary as `sls run` prints it: totals, then per service and per
//! function when there are several.

use std::fmt::Write;

use super::cost::FunctionCost;
use super::summary::{Part, Summary};

/// Parts listed at most; the rest are in `summary.json`.
const MAX_PARTS: usize = 20;

fn seconds(value: Option<f64>) -> String {
    match value {
        Some(v) if v >= 1.0 => format!("{} s", figure(v, 3)),
        Some(v) => format!("{:.3} ms", v * 1e3),
        None => "-".to_string(),
    }
}

/// `value` with `decimals` places, or in scientific notation from a
/// trillion up: a huge figure (a trace's duration of 1e308 s, its
/// gigabyte-seconds) keeps to its column instead of printing its 300
/// digits. `summary.json` keeps every figure whole.
pub fn figure(value: f64, decimals: usize) -> String {
    if value.is_finite() && value.abs() >= 1e12 {
        format!("{value:.3e}")
    } else {
        format!("{value:.decimals$}")
    }
}

impl Summary {
    /// The summary as `sls run` prints it.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "invocations  {:>12}", self.totals.invocations);
        let _ = writeln!(out, "  succeeded  {:>12}", self.totals.succeeded);
        let _ = writeln!(out, "  failed     {:>12}", self.totals.failed);
        for f in &self.totals.failures {
            let _ = writeln!(out, "    {:<22} {:>10}", f.cause, f.count);
        }
        let _ = writeln!(
            out,
            "starts       cold {}  warm {}  prewarmed {}",
            self.totals.cold_starts, self.totals.warm_starts, self.totals.prewarmed_starts
        );
        let _ = writeln!(out, "makespan     {}", seconds(Some(self.makespan)));
        let _ = writeln!(
            out,
            "latency      p50 {}  p95 {}  p99 {}  mean {}  max {}  (percentiles at most 0.025 % low)",
            seconds(self.totals.latency.p50),
            seconds(self.totals.latency.p95),
            seconds(self.totals.latency.p99),
            seconds(self.totals.latency.mean),
            seconds(self.totals.latency.max)
        );
        admission(&mut out, &self.services);
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
                    "  {:<20} {:>6}%   {:>10} MB",
                    n.node,
                    figure(n.utilisation * 100.0, 1),
                    figure(n.peak_memory / 1e6, 1)
                );
            }
        }
        if let Some(c) = &self.cost {
            cost(&mut out, c);
        }
        if self.services.len() > 1 {
            parts(&mut out, "service", &self.services);
        }
        if self.functions.len() > 1 {
            parts(&mut out, "function", &self.functions);
        }
        keep_alive(&mut out, "service", &self.services);
        keep_alive(&mut out, "function", &self.functions);
        autoscaling(&mut out, "service", &self.services);
        autoscaling(&mut out, "function", &self.functions);
        out
    }
}

/// The bill: its total as prices times quantities (transfer and idle
/// memory when they have a price), where the prices come from, then per
/// service and per function when there are several.
fn cost(out: &mut String, c: &super::cost::Cost) {
    let p = &c.prices;
    let _ = write!(
        out,
        "cost         {} = {} GB-s x {} + {} requests x {}",
        figure(c.total, 6),
        figure(c.gb_seconds, 3),
        p.per_gb_second,
        c.requests,
        p.per_request
    );
    if p.per_gb_transferred > 0.0 {
        let _ = write!(
            out,
            " + {} GB transferred x {}",
            figure(c.transferred_gb, 3),
            p.per_gb_transferred
        );
    }
    if p.per_idle_gb_second > 0.0 {
        let _ = write!(
            out,
            " + {} idle GB-s x {}",
            figure(c.idle_gb_seconds, 3),
            p.per_idle_gb_second
        );
    }
    let _ = writeln!(out, "\n             prices from {}", c.prices_from.describe());
    let lines = c
        .services
        .iter()
        .filter(|_| c.services.len() > 1)
        .take(MAX_PARTS)
        .map(|s| (s.name.clone(), s.cost, s.gb_seconds, s.requests))
        .chain(
            c.functions
                .iter()
                .filter(|_| c.functions.len() > 1)
                .take(MAX_PARTS)
                .map(|f| (cost_label(f, &c.functions), f.cost, f.gb_seconds, f.requests)),
        );
    for (name, cost, gb_seconds, requests) in lines {
        let _ = writeln!(
            out,
            "  {name:<20} {:>12}   {:>12} GB-s   {requests:>10} requests",
            figure(cost, 6),
            figure(gb_seconds, 3)
        );
    }
}

/// A function's bill line: `name@service`, and its memory when the function
/// is billed at several (a line per memory: its registrations).
fn cost_label(f: &FunctionCost, all: &[FunctionCost]) -> String {
    let label = format!("{}@{}", f.name, f.service);
    if all
        .iter()
        .filter(|g| g.name == f.name && g.service == f.service)
        .nth(1)
        .is_some()
    {
        format!("{label} ({} MB)", figure(f.memory / 1e6, 0))
    } else {
        label
    }
}

/// One line per service or function: outcomes, starts, latency percentiles.
fn parts(out: &mut String, kind: &str, parts: &[Part]) {
    let width = parts
        .iter()
        .take(MAX_PARTS)
        .map(|p| label(p).chars().count())
        .max()
        .unwrap_or(0)
        .max(kind.len() + 4);
    let _ = writeln!(
        out,
        "{:<width$}  {:>11}  {:>8}  {:>8}  {:>8}  {:>9}  {:>10}  {:>10}  {:>10}",
        format!("per {kind}"),
        "invocations",
        "failed",
        "cold",
        "warm",
        "prewarmed",
        "p50",
        "p95",
        "p99"
    );
    for p in parts.iter().take(MAX_PARTS) {
        let o = &p.outcomes;
        let _ = writeln!(
            out,
            "{:<width$}  {:>11}  {:>8}  {:>8}  {:>8}  {:>9}  {:>10}  {:>10}  {:>10}",
            label(p),
            o.invocations,
            o.failed,
            o.cold_starts,
            o.warm_starts,
            o.prewarmed_starts,
            seconds(o.latency.p50),
            seconds(o.latency.p95),
            seconds(o.latency.p99)
        );
    }
    if parts.len() > MAX_PARTS {
        let _ = writeln!(
            out,
            "  ... and {} more {kind}s in summary.json",
            parts.len() - MAX_PARTS
        );
    }
}

/// One line per service or function: what keep-alive cost and bought
/// (`report::containers`), when its containers were counted.
fn keep_alive(out: &mut String, kind: &str, parts: &[Part]) {
    let (shown, width) = table(parts, kind, |p| p.keep_alive.as_ref());
    if shown.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "{:<width$}  {:>6}  {:>10}  {:>10}  {:>12}  {:>12}  {:>8}  {:>6}  {:>6}",
        format!("keep-alive per {kind}"),
        "cold %",
        "containers",
        "idle s",
        "reserved GBs",
        "idle GBs",
        "prewarms",
        "used",
        "wasted"
    );
    for (p, k) in &shown {
        let c = &k.containers;
        let cold = k.cold_start_ratio.map_or("-".to_string(), |r| figure(r * 100.0, 1));
        let _ = writeln!(
            out,
            "{:<width$}  {:>6}  {:>10}  {:>10}  {:>12}  {:>12}  {:>8}  {:>6}  {:>6}",
            label(p),
            cold,
            c.containers,
            figure(c.idle_seconds, 1),
            figure(c.reserved_gb_seconds, 3),
            figure(c.idle_gb_seconds, 3),
            c.prewarms,
            c.prewarms_used,
            c.prewarms_wasted
        );
    }
    if parts.len() > MAX_PARTS {
        let _ = writeln!(
            out,
            "  ... and {} more {kind}s in summary.json",
            parts.len() - MAX_PARTS
        );
    }
}

/// One line per service with a processing overhead: how long its requests
/// waited from their arrival to their submission (`report::admission`),
/// which latency (from submission) leaves out.
fn admission(out: &mut String, services: &[Part]) {
    let (shown, width) = table(services, "service", |p| p.admission.as_ref());
    if shown.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "{:<width$}  {:>9}  {:>11}  {:>11}  (arrival to submit: the processing overhead, not in latency)",
        "admission per service", "requests", "mean wait", "max wait"
    );
    for (p, a) in &shown {
        let _ = writeln!(
            out,
            "{:<width$}  {:>9}  {:>11}  {:>11}",
            label(p),
            a.requests,
            seconds(Some(a.mean)),
            seconds(Some(a.max))
        );
    }
}

/// One line per autoscaled service or function: what its autoscaler did
/// (`report::autoscaling`).
fn autoscaling(out: &mut String, kind: &str, parts: &[Part]) {
    let (shown, width) = table(parts, kind, |p| p.autoscaler.as_ref());
    if shown.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "{:<width$}  {:>9}  {:>11}  {:>6}  {:>7}  {:>7}",
        format!("autoscaler per {kind}"),
        "scale-ups",
        "scale-downs",
        "panics",
        "started",
        "stopped"
    );
    for (p, a) in &shown {
        let _ = writeln!(
            out,
            "{:<width$}  {:>9}  {:>11}  {:>6}  {:>7}  {:>7}",
            label(p),
            a.scale_ups,
            a.scale_downs,
            a.panics,
            a.started,
            a.stopped
        );
    }
}

/// The parts a table shows (those with `what`, at most [`MAX_PARTS`]) and
/// the width of its first column.
fn table<'p, T>(
    parts: &'p [Part],
    kind: &str,
    what: impl Fn(&'p Part) -> Option<&'p T>,
) -> (Vec<(&'p Part, &'p T)>, usize) {
    let shown: Vec<(&Part, &T)> = parts
        .iter()
        .filter_map(|p| Some((p, what(p)?)))
        .take(MAX_PARTS)
        .collect();
    let width = shown
        .iter()
        .map(|(p, _)| label(p).chars().count())
        .max()
        .unwrap_or(0)
        .max(kind.len() + 15);
    (shown, width)
}

/// A part's name, with its service when the function runs in several.
fn label(part: &Part) -> String {
    match &part.service {
        Some(service) => format!("{}@{service}", part.name),
        None => part.name.clone(),
    }
}

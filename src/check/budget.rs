//! The work a script declares, held against caps its user can raise: sweep
//! runs, hosts, invocations, bytes of results, invocations at once. A
//! script over a cap is refused before anything is built for it, with a
//! diagnostic naming the cap and the flag (or Python key) that raises it,
//! so a slip of a digit
//! (`count 1e12`, `sweep a in 1..1000 x b in 1..1000`) costs nothing.

use super::caps::{Cap, RaisedWith};
use super::files::size_words;
use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::Model;
use crate::ir::function::{Amount, FunctionId, Step};
use crate::ir::service::StorageId;
use crate::ir::workload::{Arrivals, ClientStep, MAX_IN_FLIGHT, RateProfile, Stream, Target, TraceFormat};
use crate::syntax::source::Span;

/// Caps on the work of a program (the command line's `--max-...` flags,
/// the Python package's `limits=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Runs: sweep points times repetitions (`--max-runs`).
    pub runs: u64,
    /// Hosts, and links, of one sweep point's platform; routes may be ten
    /// times as many (`--max-hosts`).
    pub hosts: u64,
    /// Invocations the workload declares, over all runs (`--max-invocations`).
    pub invocations: u64,
    /// Bytes of result files, as estimated from the declared invocations,
    /// over all runs (`--max-output`).
    pub output: u64,
    /// Invocations in flight at once in a run (`--max-in-flight`): what a
    /// script sends at one instant is held to it here, a backlog by the run.
    pub in_flight: u64,
    /// How whoever checks the script raises a cap, as helps name it.
    pub raised_with: RaisedWith,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            runs: 1_000,
            hosts: 100_000,
            invocations: 100_000_000,
            output: 20_000_000_000,
            in_flight: MAX_IN_FLIGHT,
            raised_with: RaisedWith::Flags,
        }
    }
}

impl Limits {
    /// The value of `cap`.
    pub fn get(&self, cap: Cap) -> u64 {
        match cap {
            Cap::Runs => self.runs,
            Cap::Hosts => self.hosts,
            Cap::Invocations => self.invocations,
            Cap::Output => self.output,
            Cap::InFlight => self.in_flight,
        }
    }

    /// Sets `cap` to `value`.
    pub fn set(&mut self, cap: Cap, value: u64) {
        *match cap {
            Cap::Runs => &mut self.runs,
            Cap::Hosts => &mut self.hosts,
            Cap::Invocations => &mut self.invocations,
            Cap::Output => &mut self.output,
            Cap::InFlight => &mut self.in_flight,
        } = value;
    }

    /// A help's ending: ``or raise the limit with `--max-runs 5000` ``,
    /// the least value that accepts `needed` (`N` if none does).
    pub(crate) fn raise(&self, cap: Cap, needed: f64) -> String {
        format!(
            "raise the limit with {}",
            self.raised_with.set(cap, &flag_value(needed))
        )
    }
}

/// Routes a platform may have per allowed host.
pub(crate) const ROUTES_PER_HOST: u64 = 10;

/// Checking a sweep checks every point anew: each run `--max-runs` allows
/// may check this many bytes of script, so that checking any script takes
/// about a second at most under the default limits (8 MiB in all: a
/// few-kilobyte script can still be swept over a thousand points).
pub(crate) const CHECKED_BYTES_PER_RUN: u64 = 8 << 10;

/// A diagnostic if a sweep of `points` points repeated `repeat` times, over
/// a script of `script_bytes`, exceeds `--max-runs`: in runs, or in the
/// script it checks.
pub(crate) fn check_runs(
    points: f64,
    repeat: u32,
    script_bytes: u64,
    limits: &Limits,
    span: Span,
) -> Option<Diagnostic> {
    let runs = points * repeat as f64;
    let checked = points * script_bytes as f64;
    let allowed = limits.runs as f64 * CHECKED_BYTES_PER_RUN as f64;
    if runs > limits.runs as f64 {
        Some(over_limit(
            span,
            format!(
                "this sweep makes {} runs, more than the {} `sls` accepts",
                amount(runs),
                limits.runs
            ),
            "points times repetitions".to_string(),
            format!("sweep fewer values, or {}", limits.raise(Cap::Runs, runs)),
        ))
    } else if checked > allowed {
        let needed = checked / CHECKED_BYTES_PER_RUN as f64;
        Some(over_limit(
            span,
            format!(
                "this sweep checks its {} of script at each of its {} points, more than the {} {} allows",
                size_words(script_bytes),
                amount(points),
                size_words(allowed as u64),
                limits.raised_with.set(Cap::Runs, &limits.runs.to_string())
            ),
            "too many points for a script this size".to_string(),
            format!(
                "sweep fewer values, or {} (each run allowed checks {} of script)",
                limits.raise(Cap::Runs, needed),
                size_words(CHECKED_BYTES_PER_RUN)
            ),
        ))
    } else {
        None
    }
}

/// Bytes of `invocations.csv` per invocation, besides its function's and
/// service's names: an id, five dates to the nanosecond, a node, a status,
/// a cause and a start kind.
const ROW_BYTES: f64 = 120.0;
/// Bytes of `workflows.csv` per instance and of `workflow_edges.csv` per edge.
const WORKFLOW_ROW_BYTES: f64 = 120.0;
const EDGE_ROW_BYTES: f64 = 160.0;

/// The work one sweep point declares, per run.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct PointWork {
    pub invocations: f64,
    pub output: f64,
    /// The statement declaring the most invocations, and how many.
    pub largest: Option<(Span, f64)>,
    /// The statement sending the most invocations at one instant (a
    /// burst, a closed loop's users, a service's prewarmed containers;
    /// each instance of a workflow its roots), and how many.
    pub at_once: Option<(Span, f64)>,
}

/// The work `model` declares: `spans` are the statements of its streams and
/// clients, in the order of `model.streams` then `model.clients`, then its
/// `prewarm` statements in the order of the services' `prewarm` lists. A
/// prewarmed container counts as an invocation: a run starts it up front.
/// A trace replay declares no count (its rows are read as the run
/// advances) unless it is rescaled to a `rate`: then its invocations are
/// that rate over the days and minutes it replays.
pub(crate) fn point_work(model: &Model, spans: &[Span]) -> PointWork {
    let mut work = PointWork::default();
    let mut count = |span: Span, (invocations, output): (f64, f64)| {
        work.invocations += invocations;
        work.output += output;
        if work.largest.is_none_or(|(_, most)| invocations > most) {
            work.largest = Some((span, invocations));
        }
    };
    let mut add = |span: Span, target: Target, service: u32, instances: f64| {
        count(span, target_work(model, target, service, instances));
    };
    let mut at_once = None;
    let mut sent_together = |span: Span, invocations: f64| {
        if at_once.is_none_or(|(_, most)| invocations > most) {
            at_once = Some((span, invocations));
        }
    };
    for (stream, span) in model.streams.iter().zip(spans) {
        add(*span, stream.target, stream.service.0, instances(model, stream));
        let instances = match stream.arrivals {
            Arrivals::Closed { users, .. } => users,
            _ => stream.window.burst,
        };
        sent_together(*span, instances as f64 * started_together(model, stream.target));
    }
    let mut spans = spans.iter().skip(model.streams.len());
    for (client, span) in model.clients.iter().zip(spans.by_ref()) {
        for step in &client.steps {
            if let ClientStep::Invoke {
                target, service, count, ..
            } = step
            {
                add(*span, *target, service.0, *count as f64);
            }
        }
    }
    let prewarms = model
        .services
        .iter()
        .enumerate()
        .flat_map(|(s, spec)| spec.prewarm.iter().map(move |(f, count)| (s, *f, *count)));
    for ((service, function, count), span) in prewarms.zip(spans) {
        add(*span, Target::Function(function), service as u32, count as f64);
        sent_together(*span, count as f64);
    }
    for replay in &model.replays {
        if let Some(invocations) = rescaled_invocations(&replay.format) {
            let row = row_bytes(model, replay.template, replay.service.0);
            count(replay.span, (invocations, invocations * row));
        }
    }
    work.at_once = at_once;
    work
}

/// The invocations one instance of `target` sends when it starts: one, or
/// a workflow's roots (its later stages start as earlier ones end, which
/// the run's own bound holds).
fn started_together(model: &Model, target: Target) -> f64 {
    match target {
        Target::Function(_) => 1.0,
        Target::Workflow(w) => model.workflows[w.0 as usize].roots().count() as f64,
    }
}

/// Bytes of `invocations.csv` per invocation of `function` on `service`
/// (a trace's own function names, with no template, left out).
fn row_bytes(model: &Model, function: Option<FunctionId>, service: u32) -> f64 {
    let service_name = model.services.get(service as usize).map_or(0, |s| s.name.len());
    let function_name = function.map_or(0, |f| model.functions[f.0 as usize].name.len());
    ROW_BYTES + (function_name + service_name) as f64
}

/// The invocations of a replay rescaled to a rate (an Azure 2019 day's
/// `rate`): the rate times the seconds of the minutes it replays, each day.
fn rescaled_invocations(format: &TraceFormat) -> Option<f64> {
    let TraceFormat::Azure2019(azure) = format else {
        return None;
    };
    let (first, last) = azure.minutes;
    let minutes = f64::from(last.saturating_sub(first) + 1) * azure.days.len() as f64;
    azure.target_rate.map(|rate| rate * minutes * 60.0)
}

/// The invocations and bytes of results of `instances` invocations of
/// `target` on `service`.
fn target_work(model: &Model, target: Target, service: u32, instances: f64) -> (f64, f64) {
    let row = |f: FunctionId| row_bytes(model, Some(f), service);
    match target {
        Target::Function(f) => (instances, instances * row(f)),
        Target::Workflow(w) => {
            let graph = &model.workflows[w.0 as usize].graph;
            let rows: f64 = graph.node_weights().map(|f| row(*f)).sum();
            let nodes = graph.node_count() as f64;
            let per_instance = rows + WORKFLOW_ROW_BYTES + graph.edge_count() as f64 * EDGE_ROW_BYTES;
            (instances * nodes, instances * per_instance)
        }
    }
}

/// How many times a stream invokes its target: arrival instants (its count,
/// or what its pattern gives over its duration) times its burst. A closed
/// loop counts one invocation per user per cycle (at least one each): its
/// mean think time plus the mean time its target sleeps and computes. A
/// loop whose cycle may take no time at all (no think time, a body that
/// neither sleeps nor computes) never lets time pass: without a count, its
/// invocations are endless.
fn instances(model: &Model, stream: &Stream) -> f64 {
    let window = &stream.window;
    let duration = window.duration.unwrap_or(f64::INFINITY);
    let instants = match &stream.arrivals {
        Arrivals::Once => 1.0,
        Arrivals::Every { period } => (duration / period.mean()).ceil(),
        Arrivals::Paced { profile } | Arrivals::Poisson { profile } => integral(profile, duration),
        Arrivals::Closed { users, think } => {
            let cycle = think.mean() + busy_time(model, stream.target, stream.service.0);
            *users as f64 * (duration / cycle).max(1.0)
        }
    };
    let instants = window.count.map_or(instants, |c| instants.min(c as f64));
    instants * window.burst as f64
}

/// The mean seconds an invocation of `target` on `service` at least takes:
/// its sleeps, its computations at one core of the service's hosts, its
/// reads and writes at the rate of the disk they touch; a workflow's, the
/// longest of its functions'. Networks, sharing and start-ups are left out:
/// this is a floor, for a closed loop's cycle.
fn busy_time(model: &Model, target: Target, service: u32) -> f64 {
    let node = model
        .services
        .get(service as usize)
        .and_then(|s| s.compute.first())
        .map(|h| model.platform.host(*h));
    let speed = node.map_or(f64::INFINITY, |n| n.speed);
    let scratch = node.and_then(|n| n.disks.first());
    let disk = |storage: Option<StorageId>| match storage {
        None => scratch,
        Some(s) => {
            let at = model.storages[s.0 as usize].disk;
            model.platform.host(at.host).disks.get(at.disk as usize)
        }
    };
    let seconds = |amount: &Amount, rate: Option<f64>| match amount {
        Amount::Drawn(d) => d.mean() / rate.unwrap_or(f64::INFINITY),
        _ => 0.0,
    };
    let function_time = |f: FunctionId| -> f64 {
        model.functions[f.0 as usize]
            .body
            .iter()
            .map(|step| match step {
                Step::Sleep(amount) => seconds(amount, Some(1.0)),
                Step::Compute(flops) => seconds(flops, Some(speed)),
                Step::Read { bytes, from } => seconds(bytes, disk(*from).map(|d| d.read)),
                Step::Write { bytes, to } => seconds(bytes, disk(*to).map(|d| d.write)),
                Step::Output(_) | Step::Fail(_) => 0.0,
            })
            .sum()
    };
    match target {
        Target::Function(f) => function_time(f),
        Target::Workflow(w) => model.workflows[w.0 as usize]
            .graph
            .node_weights()
            .map(|f| function_time(*f))
            .fold(0.0, f64::max),
    }
}

/// Arrivals a rate profile gives over its first `duration` seconds.
fn integral(profile: &RateProfile, duration: f64) -> f64 {
    let mut left = duration;
    let mut total = 0.0;
    for segment in &profile.segments {
        if left <= 0.0 {
            break;
        }
        let span = segment.duration.min(left);
        let rate_at_end = if segment.duration.is_finite() && segment.duration > 0.0 {
            segment.from + (segment.to - segment.from) * span / segment.duration
        } else {
            segment.from
        };
        // A zero rate over an unbounded time sends nothing.
        if segment.from > 0.0 || rate_at_end > 0.0 {
            total += (segment.from + rate_at_end) / 2.0 * span;
        }
        left -= span;
    }
    // After its last segment a profile holds its final rate.
    if left > 0.0
        && let Some(last) = profile.segments.last()
        && last.duration.is_finite()
        && last.to > 0.0
    {
        total += last.to * left;
    }
    total
}

/// The work of a whole program against its limits, point by point.
#[derive(Debug, Default)]
pub(crate) struct Budget {
    invocations: f64,
    output: f64,
    largest: Option<(Span, f64)>,
    /// The most any run sends at one instant (not summed: runs apart).
    at_once: Option<(Span, f64)>,
}

impl Budget {
    /// Adds a point run `repeat` times.
    pub fn add(&mut self, point: &PointWork, repeat: u32) {
        let repeat = repeat as f64;
        self.invocations += point.invocations * repeat;
        self.output += point.output * repeat;
        if let Some((span, most)) = point.largest
            && self.largest.is_none_or(|(_, m)| most > m)
        {
            self.largest = Some((span, most));
        }
        if let Some((span, most)) = point.at_once
            && self.at_once.is_none_or(|(_, m)| most > m)
        {
            self.at_once = Some((span, most));
        }
    }

    /// Whether the work so far exceeds a limit: checking more points would
    /// only add to it.
    pub fn exceeded(&self, limits: &Limits) -> bool {
        self.invocations > limits.invocations as f64
            || self.output > limits.output as f64
            || self.at_once.is_some_and(|(_, most)| most > limits.in_flight as f64)
    }

    /// Diagnostics for every limit the program's work exceeds, at its
    /// largest stream.
    pub fn check(&self, limits: &Limits) -> Vec<Diagnostic> {
        let mut found = Vec::new();
        if let Some((span, together)) = self.at_once
            && together > limits.in_flight as f64
        {
            found.push(over_limit(
                span,
                format!(
                    "this statement may put {} invocations in flight at once, more than the {} a run holds",
                    amount(together),
                    limits.in_flight
                ),
                format!("{} at once", amount(together)),
                format!(
                    "send them in smaller bursts (fewer users, fewer prewarmed containers), or {}",
                    limits.raise(Cap::InFlight, together)
                ),
            ));
        }
        let Some((span, most)) = self.largest else {
            return found;
        };
        if self.invocations > limits.invocations as f64 {
            found.push(over_limit(
                span,
                format!(
                    "the script declares {} invocations, more than the {} a run accepts",
                    amount(self.invocations),
                    limits.invocations
                ),
                format!("{} from this statement", amount(most)),
                if self.invocations.is_finite() {
                    format!(
                        "shorten or slow the streams (a rescaled replay: its `rate` or minutes), or {}",
                        limits.raise(Cap::Invocations, self.invocations)
                    )
                } else {
                    "as written this stream never lets time pass: give a closed loop's users a think time, or bound the stream with `count`".to_string()
                },
            ));
        }
        // Results follow from invocations: too many of those is the mistake.
        if found.is_empty() && self.output > limits.output as f64 {
            found.push(over_limit(
                span,
                format!(
                    "the results would take about {}, more than the {} bytes ({}) a run may write",
                    size_words(self.output.min(u64::MAX as f64) as u64),
                    limits.output,
                    size_words(limits.output)
                ),
                format!("{} invocations from this statement", amount(most)),
                format!(
                    "declare fewer invocations, or {}",
                    limits.raise(Cap::Output, self.output)
                ),
            ));
        }
        found
    }
}

/// The diagnostic of declared work over a limit.
pub(crate) fn over_limit(span: Span, message: String, label: String, help: String) -> Diagnostic {
    Diagnostic::new(Code::OverLimit, message, span, label).with_help(help)
}

/// A declared amount in words: exact below a trillion, else in powers of ten.
pub(crate) fn amount(v: f64) -> String {
    if !v.is_finite() {
        "endlessly many".to_string()
    } else if v < 1e12 {
        format!("{}", v.round() as u64)
    } else {
        format!("{v:.1e}")
    }
}

/// The value a flag must be given to accept `v`.
fn flag_value(v: f64) -> String {
    if v.is_finite() && v < u64::MAX as f64 {
        format!("{}", v.ceil() as u64)
    } else {
        "N".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::workload::RateSegment;

    #[test]
    fn integrals_of_profiles() {
        let constant = RateProfile::constant(10.0);
        assert_eq!(integral(&constant, 60.0), 600.0);
        assert!(integral(&constant, f64::INFINITY).is_infinite());
        let ramp = RateProfile {
            segments: vec![RateSegment {
                duration: 10.0,
                from: 0.0,
                to: 10.0,
            }],
        };
        assert_eq!(integral(&ramp, 10.0), 50.0);
        assert_eq!(integral(&ramp, 5.0), 12.5);
        // After the ramp, the rate holds at 10/s.
        assert_eq!(integral(&ramp, 20.0), 150.0);
        let stages = RateProfile {
            segments: vec![
                RateSegment {
                    duration: 10.0,
                    from: 5.0,
                    to: 5.0,
                },
                RateSegment {
                    duration: f64::INFINITY,
                    from: 0.0,
                    to: 0.0,
                },
            ],
        };
        assert_eq!(integral(&stages, f64::INFINITY), 50.0);
    }

    #[test]
    fn amounts_read_as_words() {
        assert_eq!(amount(1234.4), "1234");
        assert_eq!(amount(2e15), "2.0e15");
        assert_eq!(amount(f64::INFINITY), "endlessly many");
    }
}

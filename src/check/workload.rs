//! Checking `workload` blocks: invocation streams (targets, services,
//! arrival patterns, windows, the values `with` passes: `arguments.rs`) and
//! trace replays (format, built in or declared by mapping: `mapping.rs`;
//! files, options).

use crate::code::Code;
use crate::language::choices::Choices;
use crate::language::properties::Owner;
use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use crate::ir::function::{Function, FunctionId};
use crate::ir::service::ServiceId;
use crate::ir::workflow::WorkflowId;
use crate::ir::workload::*;
use crate::syntax::ast::{self, ClauseKind, Expr, ExprKind, Ident};
use crate::syntax::source::Span;
use crate::workload::trace::compressed::compressed_file;

use super::context::{Ctx, Names};
use crate::language::units::Dim;

/// Names a workload refers to.
pub(crate) struct WorkloadNames<'n> {
    pub formats: &'n super::mapping::Formats<'n>,
    pub functions: &'n Names<FunctionId>,
    pub declared: &'n [Function],
    pub workflows: &'n Names<WorkflowId>,
    pub services: &'n Names<ServiceId>,
}

impl WorkloadNames<'_> {
    /// The service an `invoke` or `replay` uses: the one named, else the only one.
    fn service(&self, ctx: &mut Ctx, named: Option<&Ident>, statement: Span) -> Option<ServiceId> {
        if let Some(name) = named {
            return self.services.resolve(ctx, name);
        }
        match self.services.entries.len() {
            1 => self.services.entries.values().next().and_then(|(id, _)| *id),
            0 => {
                ctx.error(
                    Diagnostic::new(
                        Code::NoService,
                        "nothing can run this: no serverless service is declared",
                        statement,
                        "no service",
                    )
                    .with_help("declare one: `serverless faas { head gateway:\"/\"; compute node[*] }`"),
                );
                None
            }
            _ => {
                ctx.error(
                    Diagnostic::new(
                        Code::MissingService,
                        "which service runs this? several are declared",
                        statement,
                        "no `on service`",
                    )
                    .with_help(format!(
                        "add `on` and one of {}",
                        crate::syntax::words::list_names(self.services.entries.keys().map(String::as_str))
                    )),
                );
                None
            }
        }
    }

    /// What `invoke` names, and whether the values `with` gives (and where)
    /// fit what it uses.
    fn target(&self, ctx: &mut Ctx, name: &Ident, given: Option<(&Arguments, Span)>) -> Option<Target> {
        if self.functions.contains(&name.name) && self.functions.get(&name.name).is_none()
            || self.workflows.contains(&name.name) && self.workflows.get(&name.name).is_none()
        {
            return None;
        }
        if let Some(f) = self.functions.get(&name.name) {
            let function = &self.declared[f.0 as usize];
            if let Some((arguments, span)) = given {
                return super::arguments::check_use(ctx, function, name, arguments, span)
                    .then_some(Target::Function(f));
            }
            if function.template {
                ctx.error(
                    Diagnostic::new(
                        Code::TemplateInvoked,
                        format!("`{}` uses `trace.*`, which only a trace replay or `with` gives", name.name),
                        name.span,
                        "trace template",
                    )
                    .with_help(format!(
                        "give its values: `invoke {} with {{ duration 40s }}`, or replay a trace with it: `replay csv \"trace.csv\" as {}`",
                        name.name, name.name
                    )),
                );
                return None;
            }
            return Some(Target::Function(f));
        }
        if let Some(w) = self.workflows.get(&name.name) {
            if let Some((_, span)) = given {
                ctx.error(
                    Diagnostic::new(
                        Code::UnusedArgument,
                        format!(
                            "`{}` is a workflow: its functions take no values from `with`",
                            name.name
                        ),
                        span,
                        "`with` on a workflow",
                    )
                    .with_help("remove `with`; invoke a function that uses `trace.` fields with it"),
                );
                return None;
            }
            return Some(Target::Workflow(w));
        }
        if ctx.counted_only() {
            return None;
        }
        let candidates = self
            .functions
            .entries
            .keys()
            .chain(self.workflows.entries.keys())
            .map(String::as_str);
        let help = match crate::diagnostic::did_you_mean(&name.name, candidates) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "invoke a declared function or workflow".to_string(),
        };
        ctx.error(
            Diagnostic::new(
                Code::UnknownFunction,
                format!("no function or workflow named `{}`", name.name),
                name.span,
                "unknown target",
            )
            .with_help(help),
        );
        None
    }
}

/// The values of an `invoke`'s `with` (the first, if given twice), with its
/// span; `Err` after a diagnostic.
fn arguments(ctx: &mut Ctx, invoke: &ast::Invoke) -> Result<Option<(Arguments, Span)>, ()> {
    match invoke.clauses.iter().find_map(|c| match &c.kind {
        ClauseKind::With(properties) => Some((properties, c.span)),
        _ => None,
    }) {
        None => Ok(None),
        Some((properties, span)) => super::arguments::check_with(ctx, properties, span)
            .map(|a| Some((a, span)))
            .ok_or(()),
    }
}

pub(crate) fn check_invoke(ctx: &mut Ctx, invoke: &ast::Invoke, names: &WorkloadNames, key: String) -> Option<Stream> {
    let given = arguments(ctx, invoke);
    let target = match &given {
        Ok(given) => names.target(ctx, &invoke.target, given.as_ref().map(|(a, s)| (a, *s))),
        Err(()) => None,
    };
    let arguments = given.ok().flatten().map(|(a, _)| a).unwrap_or_default();
    let mut seen: Vec<(&'static str, Span)> = Vec::new();
    let mut arrivals: Option<(Arrivals, Span)> = None;
    let mut window = Window {
        start: 0.0,
        duration: None,
        count: None,
        burst: 1,
    };
    let mut service_name = None;
    let mut ok = true;
    for clause in &invoke.clauses {
        let word = clause_word(&clause.kind);
        if let Some((_, first)) = seen.iter().find(|(w, _)| *w == word) {
            ctx.error(
                Diagnostic::new(
                    Code::DuplicateClause,
                    format!("`{word}` is given twice"),
                    clause.span,
                    "given again",
                )
                .with_label(*first, "first given here")
                .with_help(format!("keep one `{word}`")),
            );
            ok = false;
            continue;
        }
        seen.push((word, clause.span));
        let pattern = match &clause.kind {
            ClauseKind::On(name) => {
                service_name = Some(name);
                continue;
            }
            ClauseKind::With(_) => continue,
            ClauseKind::At(e) => {
                window.start = ctx.non_negative(e, Dim::Time).unwrap_or_else(|| {
                    ok = false;
                    0.0
                });
                continue;
            }
            ClauseKind::Count(e) => {
                window.count = ctx.count(e, 1).or_else(|| {
                    ok = false;
                    None
                });
                continue;
            }
            ClauseKind::For(e) => {
                window.duration = ctx.positive(e, Dim::Time).or_else(|| {
                    ok = false;
                    None
                });
                continue;
            }
            ClauseKind::Burst(e) => {
                window.burst = ctx.count(e, 1).unwrap_or_else(|| {
                    ok = false;
                    1
                });
                continue;
            }
            ClauseKind::Every(e) => {
                let period = ctx.distribution(e, Dim::Time);
                if let Some(p) = &period
                    && p.mean() <= 0.0
                {
                    ctx.out_of_range(
                        e,
                        "must be a period greater than zero".to_string(),
                        "write a period such as `1s`",
                    );
                    ok = false;
                    continue;
                }
                period.map(|period| Arrivals::Every { period })
            }
            ClauseKind::Poisson(p) => profile(ctx, p).map(|profile| Arrivals::Poisson { profile }),
            ClauseKind::Paced(p) => profile(ctx, p).map(|profile| Arrivals::Paced { profile }),
            ClauseKind::Closed { users, think } => {
                let users = ctx.count(users, 1);
                let think = match think {
                    None => Some(crate::ir::Distribution::Constant(0.0)),
                    Some(t) => ctx.distribution(t, Dim::Time),
                };
                match (users, think) {
                    (Some(users), Some(think)) => Some(Arrivals::Closed { users, think }),
                    _ => None,
                }
            }
        };
        let Some(pattern) = pattern else {
            ok = false;
            continue;
        };
        if let Some((_, first)) = &arrivals {
            ctx.error(
                Diagnostic::new(
                    Code::ConflictingClauses,
                    "a stream has one arrival pattern",
                    clause.span,
                    "a second pattern",
                )
                .with_label(*first, "the first pattern")
                .with_help("write a second `invoke` line for a second pattern; streams run side by side"),
            );
            ok = false;
            continue;
        }
        arrivals = Some((pattern, clause.span));
    }
    let service = names.service(ctx, service_name, invoke.span);
    if !ok {
        return None;
    }
    let arrivals = match arrivals {
        Some((arrivals, _)) => arrivals,
        None => {
            if window.count.is_some_and(|c| c > 1) || window.duration.is_some() {
                let at = seen
                    .iter()
                    .find(|(w, _)| *w == "count" || *w == "for")
                    .map_or(invoke.span, |(_, s)| *s);
                ctx.error(
                    Diagnostic::new(Code::MissingPattern, "`count` and `for` bound a pattern, but this stream has none", at, "nothing to bound")
                        .with_help(format!("add a pattern (`every 1s`, `poisson 10/s`), or use `burst` for several at once: `invoke {} burst 5`", invoke.target.name)),
                );
                return None;
            }
            Arrivals::Once
        }
    };
    let ends_by_itself = match &arrivals {
        Arrivals::Once => true,
        Arrivals::Poisson { profile } | Arrivals::Paced { profile } => profile.falls_silent(),
        _ => false,
    };
    if !ends_by_itself && window.count.is_none() && window.duration.is_none() {
        ctx.error(
            Diagnostic::new(
                Code::UnboundedStream,
                "this stream never ends",
                invoke.span,
                "no `count` and no `for`",
            )
            .with_help("bound it with `count 100` or `for 10min`"),
        );
        return None;
    }
    if !ok {
        return None;
    }
    Some(Stream {
        key,
        target: target?,
        service: service?,
        arrivals,
        window,
        arguments,
    })
}

/// A scripted client: invocations with at most `on` and `count`, waits and sleeps.
pub(crate) fn check_client(ctx: &mut Ctx, client: &ast::Client, names: &WorkloadNames, key: String) -> Option<Client> {
    let mut steps = Vec::new();
    let mut ok = true;
    for step in &client.steps {
        match step {
            ast::ClientStep::Wait(_) => steps.push(ClientStep::Wait),
            ast::ClientStep::Sleep(amount, _) => match ctx.non_negative(amount, Dim::Time) {
                Some(seconds) => steps.push(ClientStep::Sleep(seconds)),
                None => ok = false,
            },
            ast::ClientStep::Invoke(invoke) => {
                let given = arguments(ctx, invoke);
                let target = match &given {
                    Ok(given) => names.target(ctx, &invoke.target, given.as_ref().map(|(a, s)| (a, *s))),
                    Err(()) => None,
                };
                let arguments = given.ok().flatten().map(|(a, _)| a).unwrap_or_default();
                let mut service_name = None;
                let mut count = Some(1);
                for clause in &invoke.clauses {
                    match &clause.kind {
                        ClauseKind::On(name) => service_name = Some(name),
                        ClauseKind::Count(e) => count = ctx.count(e, 1),
                        ClauseKind::With(_) => {}
                        other => {
                            ctx.error(
                                Diagnostic::new(
                                    Code::ClauseInClient,
                                    format!("a client sends its requests one at a time: `{}` has no meaning here", clause_word(other)),
                                    clause.span,
                                    "not a client clause",
                                )
                                .with_help("write `invoke f count 5` for five requests in a row, `sleep 10s` to wait; arrival patterns belong to `invoke` lines outside a client"),
                            );
                            ok = false;
                        }
                    }
                }
                let service = names.service(ctx, service_name, invoke.span);
                match (target, service, count) {
                    (Some(target), Some(service), Some(count)) => steps.push(ClientStep::Invoke {
                        target,
                        service,
                        count,
                        arguments,
                    }),
                    _ => ok = false,
                }
            }
        }
    }
    ok.then_some(Client { key, steps })
}

fn clause_word(kind: &ClauseKind) -> &'static str {
    match kind {
        ClauseKind::On(_) => "on",
        ClauseKind::At(_) => "at",
        ClauseKind::Every(_) => "every",
        ClauseKind::Poisson(_) => "poisson",
        ClauseKind::Paced(_) => "rate",
        ClauseKind::Closed { .. } => "closed",
        ClauseKind::Count(_) => "count",
        ClauseKind::For(_) => "for",
        ClauseKind::Burst(_) => "burst",
        ClauseKind::With(_) => "with",
    }
}

fn rate(ctx: &mut Ctx, e: &Expr) -> Option<f64> {
    ctx.non_negative(e, Dim::Frequency)
}

fn ramp(ctx: &mut Ctx, r: &ast::Ramp) -> Option<RateSegment> {
    let (from, to, over) = (rate(ctx, &r.from), rate(ctx, &r.to), ctx.positive(&r.over, Dim::Time));
    Some(RateSegment {
        duration: over?,
        from: from?,
        to: to?,
    })
}

fn profile(ctx: &mut Ctx, profile: &ast::Profile) -> Option<RateProfile> {
    let checked = rates(ctx, profile)?;
    // `poisson 0/s` is refused below; a ramp or stages whose every rate is
    // zero are the same stream, which would invoke nothing without a word.
    if checked.segments.iter().all(|s| s.from == 0.0 && s.to == 0.0) {
        let span = match profile {
            ast::Profile::Constant(e) => e.span,
            ast::Profile::Ramp(r) => r.span,
            ast::Profile::Stages(_, span) => *span,
        };
        ctx.error(
            Diagnostic::new(
                Code::OutOfRange,
                "every rate of this stream is zero: it would invoke nothing",
                span,
                "all zero",
            )
            .with_help("give a rate above zero somewhere (`ramp(0/s -> 10/s) over 1min`), or leave the stream out"),
        );
        return None;
    }
    Some(checked)
}

fn rates(ctx: &mut Ctx, profile: &ast::Profile) -> Option<RateProfile> {
    match profile {
        ast::Profile::Constant(e) => {
            let r = rate(ctx, e)?;
            if r <= 0.0 {
                ctx.out_of_range(
                    e,
                    "must be a rate greater than zero".to_string(),
                    "write a rate such as `10/s`",
                );
                return None;
            }
            Some(RateProfile::constant(r))
        }
        ast::Profile::Ramp(r) => Some(RateProfile {
            segments: vec![ramp(ctx, r)?],
        }),
        ast::Profile::Stages(stages, span) => {
            if stages.is_empty() {
                ctx.error(
                    Diagnostic::new(Code::EmptyStages, "`stages` has no stage", *span, "empty")
                        .with_help("list the stages: `stages { 10/s for 1min; ramp(10/s -> 50/s) over 2min }`"),
                );
                return None;
            }
            let segments: Vec<Option<RateSegment>> = stages
                .iter()
                .map(|stage| match stage {
                    ast::Stage::Ramp(r) => ramp(ctx, r),
                    ast::Stage::Hold { rate: r, duration, .. } => {
                        let (r, d) = (rate(ctx, r), ctx.positive(duration, Dim::Time));
                        Some(RateSegment {
                            duration: d?,
                            from: r?,
                            to: r?,
                        })
                    }
                })
                .collect();
            let mut segments: Vec<RateSegment> = segments.into_iter().collect::<Option<_>>()?;
            // After its last stage a profile stops: a zero-rate tail.
            segments.push(RateSegment {
                duration: f64::INFINITY,
                from: 0.0,
                to: 0.0,
            });
            Some(RateProfile { segments })
        }
    }
}

/// File names of the Azure 2019 layout for one day.
pub fn azure2019_files(day: u32) -> [String; 3] {
    [
        format!("invocations_per_function_md.anon.d{day:02}.csv"),
        format!("function_durations_percentiles.anon.d{day:02}.csv"),
        format!("app_memory_percentiles.anon.d{day:02}.csv"),
    ]
}

const AZURE2019_FOLDER_HELP: &str = "name the folder that holds `invocations_per_function_md.anon.dNN.csv` and its two sibling files; `bench/gen_azure2019.py DIR` writes a synthetic one";

/// The days whose three files an Azure 2019 folder holds, in order.
fn azure2019_days_held(folder: &std::path::Path) -> Vec<u32> {
    (1..=MAX_DAY as u32)
        .filter(|day| azure2019_files(*day).iter().all(|f| folder.join(f).is_file()))
        .collect()
}

pub(crate) fn check_replay(ctx: &mut Ctx, replay: &ast::Replay, names: &WorkloadNames, key: String) -> Option<Replay> {
    let formats: Vec<&str> = Choices::TraceFormat.words().collect();
    let format_name = replay.format.name.as_str();
    let declared = names.formats.get(format_name);
    if !formats.contains(&format_name) && declared.is_none() {
        let candidates = formats.iter().copied().chain(names.formats.keys().map(String::as_str));
        let help = match crate::diagnostic::did_you_mean(format_name, candidates) {
            Some(best) => format!("did you mean `{best}`?"),
            None => "write `azure2019` (a folder), `azure2021` or `csv` (a file), or declare the format: `format NAME { time column(\"ts\", 1s); function column(\"func\") }`".to_string(),
        };
        ctx.error(
            Diagnostic::new(
                Code::UnknownTraceFormat,
                format!("no trace format named `{format_name}`"),
                replay.format.span,
                "unknown format",
            )
            .with_help(help),
        );
        return None;
    }
    // A declared format, or a `csv` replay with a block: a mapping, the
    // replay's properties overriding the format's.
    let mapped = match declared {
        Some(None) => return None,
        Some(Some(decl)) => {
            let mut properties: Vec<ast::Property> = decl
                .properties
                .iter()
                .filter(|p| !replay.properties.iter().any(|r| r.name.name == p.name.name))
                .cloned()
                .collect();
            properties.extend(replay.properties.iter().cloned());
            Some(super::mapping::check_mapping(
                ctx,
                format_name,
                &properties,
                replay.format.span,
            ))
        }
        None if format_name == "csv" && !replay.properties.is_empty() => Some(super::mapping::check_mapping(
            ctx,
            format_name,
            &replay.properties,
            replay.format.span,
        )),
        None => None,
    };
    let props = super::context::Props::new(
        ctx,
        if mapped.is_some() { &[] } else { &replay.properties },
        &Owner::Replay.names(format_name),
        format!("a `{format_name}` replay"),
        replay.format.span,
    );
    let service = names.service(ctx, replay.service.as_ref(), replay.span);
    let template = match &replay.template {
        None => Some(None),
        Some(name) => names.functions.resolve(ctx, name).map(Some),
    };
    let written = ctx.string(&replay.path, "\"traces/azure\"")?;
    let path_span = ctx.resolve(&replay.path).map_or(replay.path.span, |e| e.span);
    // Relative to the folder of the file the path is written in: the
    // script's, a parameter's, or the current folder for a `-p` override.
    let path = ctx.folder(path_span.file).join(&written);
    let format = match (format_name, &mapped) {
        (_, Some(checked)) => TraceFormat::Mapped(Box::new(checked.as_ref()?.mapping.clone())),
        ("azure2019", _) => TraceFormat::Azure2019(azure2019_options(ctx, &props)?),
        ("azure2021", _) => TraceFormat::Azure2021,
        _ => TraceFormat::Csv,
    };
    // The files the replay reads: the day files of an Azure 2019 folder,
    // or the one file.
    let files: Vec<PathBuf> = match &format {
        TraceFormat::Azure2019(options) => options
            .days
            .iter()
            .flat_map(|day| azure2019_files(*day))
            .map(|f| path.join(f))
            .collect(),
        _ => vec![path.clone()],
    };
    let missing: Vec<&PathBuf> = files.iter().filter(|p| !p.is_file()).collect();
    if let Some(first) = missing.first() {
        let shown = path.strip_prefix(".").unwrap_or(&path).display();
        let folder = matches!(format, TraceFormat::Azure2019(_));
        // A path that names something, but not what the format reads, is
        // told as such: a folder for a file, a device or pipe for either.
        let (what, label) = match (folder, path.is_dir(), path.exists()) {
            (true, true, _) => (
                format!(
                    "`{}` is missing from the trace folder",
                    first
                        .file_name()
                        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
                ),
                "not found",
            ),
            (true, false, true) => (format!("`{shown}` is not a folder"), "not a folder"),
            (false, true, _) => (format!("`{shown}` is a folder, not a trace file"), "a folder"),
            (false, false, true) => (format!("`{shown}` is not a regular file"), "not a regular file"),
            (_, _, false) => (format!("no trace at `{shown}`"), "not found"),
        };
        let mut diagnostic = Diagnostic::new(Code::TraceMissingFile, what, path_span, label);
        let help = match format {
            // A folder of other days: the days asked for are the slip.
            TraceFormat::Azure2019(_) if path.is_dir() => match azure2019_days_held(&path).as_slice() {
                [] => AZURE2019_FOLDER_HELP.to_string(),
                held => {
                    if let Some(days) = props.get("days") {
                        diagnostic = diagnostic.with_label(days.span, "the days asked for");
                    }
                    let days: Vec<String> = held.iter().map(u32::to_string).collect();
                    format!(
                        "the folder holds the files of day{} {}: ask for {} (`days {}`), or add the missing day's three files",
                        if held.len() == 1 { "" } else { "s" },
                        crate::syntax::words::list_first(days.iter().cloned(), 8),
                        if held.len() == 1 { "it" } else { "those" },
                        days[0],
                    )
                }
            },
            TraceFormat::Azure2019(_) => AZURE2019_FOLDER_HELP.to_string(),
            _ => "paths are relative to the folder of the script that writes them (to the current folder in `-p`)"
                .to_string(),
        };
        ctx.error(diagnostic.with_help(help));
        return None;
    }
    // A compressed file (as a dataset is downloaded) is told at its path in
    // the script, before a reader fails on its bytes.
    for file in &files {
        if let Some(compressor) = compressed_file(file) {
            let shown = file.strip_prefix(".").unwrap_or(file).display().to_string();
            ctx.error(
                Diagnostic::new(
                    Code::TraceCompressed,
                    format!(
                        "`{shown}` is compressed ({}): traces are read as plain text",
                        compressor.name
                    ),
                    path_span,
                    format!("{}-compressed", compressor.name),
                )
                .with_help(format!(
                    "decompress it first, in its folder (`{}`), and replay the file it gives",
                    compressor.command(&shown)
                )),
            );
            return None;
        }
    }
    let header_ok = match &mapped {
        Some(Some(checked)) => super::mapping::check_header(ctx, checked, &path, &written),
        _ => true,
    };
    let fields_ok = match (&template, &replay.template) {
        (Some(Some(t)), Some(name)) => {
            super::trace_fields::check(ctx, &format, &path, &written, &names.declared[t.0 as usize], name)
        }
        _ => true,
    };
    if !header_ok || !fields_ok {
        return None;
    }
    Some(Replay {
        key,
        span: replay.span,
        format,
        path,
        service: service?,
        template: template?,
    })
}

/// The last day an Azure 2019 file name can hold (`d01` .. `d99`).
const MAX_DAY: u64 = 99;

fn azure2019_options(ctx: &mut Ctx, props: &super::context::Props) -> Option<Azure2019Options> {
    let days = match props.get("days") {
        None => Some(vec![1]),
        Some(e) => match &ctx.resolve(e)?.kind {
            ExprKind::List(items) => items
                .iter()
                .map(|i| ctx.count_in(i, 1, MAX_DAY).map(|d| d as u32))
                .collect::<Vec<_>>()
                .into_iter()
                .collect(),
            // `days 1..3`, as `minutes 1..60` is written.
            ExprKind::Range(..) => ctx.int_range(e).and_then(|(first, last)| {
                if first < 1 || last > MAX_DAY {
                    ctx.out_of_range(
                        e,
                        format!("is not within the days a trace's files are named by, 1..{MAX_DAY}"),
                        "write days from 1: `1..3`",
                    );
                    None
                } else {
                    Some((first as u32..=last as u32).collect())
                }
            }),
            _ => ctx.count_in(e, 1, MAX_DAY).map(|d| vec![d as u32]),
        },
    };
    let minutes = match props.get("minutes") {
        None => Some((1, 1440)),
        Some(e) => ctx.int_range(e).and_then(|(low, high)| {
            if low < 1 || high > 1440 {
                ctx.out_of_range(
                    e,
                    "is not within the minutes of a day, 1..1440".to_string(),
                    "write minutes between 1 and 1440: `1..60`",
                );
                None
            } else {
                Some((low as u32, high as u32))
            }
        }),
    };
    let apps = match props.get("apps") {
        None => Some(AppSelection::All),
        Some(e) => app_selection(ctx, e),
    };
    let spread = match props.get("spread") {
        None => Some(MinuteSpread::Uniform),
        Some(e) => ctx.word(e, Choices::Spread).map(|(w, _)| {
            if w == "uniform" {
                MinuteSpread::Uniform
            } else {
                MinuteSpread::Poisson
            }
        }),
    };
    let target_rate = match props.get("rate") {
        None => Some(None),
        Some(e) => ctx.positive(e, Dim::Frequency).map(Some),
    };
    Some(Azure2019Options {
        days: days?,
        minutes: minutes?,
        apps: apps?,
        spread: spread?,
        target_rate: target_rate?,
    })
}

fn app_selection(ctx: &mut Ctx, e: &Expr) -> Option<AppSelection> {
    let value = ctx.resolve(e)?;
    if let ExprKind::List(items) = &value.kind {
        let names: Vec<Option<String>> = items.iter().map(|i| ctx.string(i, "\"app\"")).collect();
        return names.into_iter().collect::<Option<Vec<_>>>().map(AppSelection::Named);
    }
    let (word, args) = ctx.word(e, Choices::Apps)?;
    match word.as_str() {
        "all" => Some(AppSelection::All),
        "top" => {
            let a = ctx.arity(value, "top", args, &["count"])?;
            ctx.count(&a[0], 1).map(AppSelection::Top)
        }
        _ => {
            let (band, count) = match args {
                [band] => (band, None),
                [band, count] => (band, Some(count)),
                _ => {
                    ctx.arity(value, "quantile", args, &["low..high", "count"])?;
                    return None;
                }
            };
            let band_value = ctx.resolve(band)?;
            let ExprKind::Range(low, high) = &band_value.kind else {
                ctx.error(
                    Diagnostic::new(
                        Code::TypeMismatch,
                        "expected a band of popularity such as `0.4..0.6`",
                        band.span,
                        "not a range",
                    )
                    .with_help(
                        "write `quantile(0.4..0.6, 30)`: 30 apps between the 40th and 60th percentile of popularity",
                    ),
                );
                return None;
            };
            let (low, high) = (ctx.quantity(low, Dim::Number), ctx.quantity(high, Dim::Number));
            let (low, high) = (low?, high?);
            if !(0.0..=1.0).contains(&low) || !(0.0..=1.0).contains(&high) || low >= high {
                ctx.out_of_range(
                    band,
                    "must be a band `low..high` with 0 <= low < high <= 1".to_string(),
                    "write `quantile(0.4..0.6, 30)`",
                );
                return None;
            }
            let count = match count {
                None => None,
                Some(c) => Some(ctx.count(c, 1)?),
            };
            Some(AppSelection::Quantile { low, high, count })
        }
    }
}

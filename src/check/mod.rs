//! Name resolution, unit and type checking of the AST, lowered into the IR.
//! Every user mistake becomes a diagnostic here, all of them collected,
//! before anything runs.

mod arguments;
mod arithmetic;
mod autoscaler;
pub mod budget;
pub mod caps;
mod column;
mod context;
mod cost;
mod cross;
mod empirical;
mod eval;
mod families;
pub mod files;
mod functions;
mod keep_alive;
mod load;
mod mapping;
mod model;
mod parameters;
mod platform;
mod policy;
mod prewarm;
mod recovery;
mod services;
mod shared_hosts;
mod templates;
mod trace_fields;
mod unread;
mod workflow;
mod workload;
mod written;

use crate::code::Code;
use std::path::Path;

use indexmap::IndexMap;

use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::ir::{Point, Program};
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, Item, Sweep, SweepAxis};
use crate::syntax::source::{FileId, Sources, Span};
use crate::syntax::tree::parse_override;

use budget::Budget;
pub use budget::Limits;
pub use caps::{Cap, RaisedWith};
use context::{Ctx, ParamValue};
pub use families::Generated;
use load::Loaded;
pub use workload::azure2019_files;

/// What the command line adds to a script.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// `-p name=value` overrides, in order.
    pub params: Vec<String>,
    /// `--seed`: the run seed, over `param seed`.
    pub seed: Option<u64>,
    /// Caps on the work the script declares (`--max-...`).
    pub limits: Limits,
    /// Policies the program running the script registers (none from the
    /// command line): names a script may choose besides the built-ins'.
    pub registered: crate::language::registered::Registered,
}

/// The result of checking: the sources read (to render diagnostics), the
/// program or every error found, and the warnings of every sweep point.
pub struct Checked {
    pub sources: Sources,
    pub program: Result<Program, Diagnostics>,
    pub warnings: Diagnostics,
}

/// Checks the script at `path` (already read into `text`).
pub fn check(path: &Path, text: String, options: &Options) -> Checked {
    let mut sources = Sources::new();
    let (loaded, read) = load::load(&mut sources, path, text);
    if read.is_empty() {
        let (program, warnings) = check_loaded(&mut sources, &loaded, options);
        return Checked {
            sources,
            program,
            warnings,
        };
    }
    // The rest of a script with syntax errors is still checked, keeping
    // only what the broken statements cannot have caused; a missing include
    // leaves too much unknown to say more.
    let mut all = read;
    let mut warnings = Diagnostics::default();
    if !loaded.include_unread
        && let (Err(found), warned) = check_loaded(&mut sources, &loaded, options)
    {
        let broken = recovery::Broken::new(&sources, &loaded.broken);
        for diagnostic in found.0 {
            if broken.keeps(&diagnostic, &sources) {
                all.push(diagnostic);
            }
        }
        for warning in warned.0 {
            if broken.keeps(&warning, &sources) {
                warnings.push(warning);
            }
        }
    }
    Checked {
        sources,
        program: Err(all.sorted()),
        warnings,
    }
}

/// Checks a script read without mistakes: the program of every sweep
/// point, or every error found; and the warnings of every point.
fn check_loaded(
    sources: &mut Sources,
    loaded: &Loaded,
    options: &Options,
) -> (Result<Program, Diagnostics>, Diagnostics) {
    let items = loaded.items();
    let mut diagnostics = Diagnostics::default();
    let mut params: IndexMap<String, ParamValue> = IndexMap::new();
    for (_, item) in &items {
        if let Item::Param(p) = item {
            if let Some(first) = params.get(&p.name.name) {
                diagnostics.push(
                    Diagnostic::new(
                        Code::DuplicateName,
                        format!("parameter `{}` is declared twice", p.name.name),
                        p.name.span,
                        "declared again here",
                    )
                    .with_label(first.declared, "first declared here")
                    .with_help("declare each parameter once; change its value with `-p name=value`"),
                );
                continue;
            }
            params.insert(
                p.name.name.clone(),
                ParamValue {
                    value: p.value.clone(),
                    declared: p.name.span,
                },
            );
        }
    }
    let overridden = apply_overrides(sources, &mut params, &options.params, &mut diagnostics);
    let sweeps: Vec<&Sweep> = items
        .iter()
        .filter_map(|(_, i)| match i {
            Item::Sweep(s) => Some(s),
            _ => None,
        })
        .collect();
    let script_bytes = loaded
        .files
        .iter()
        .map(|(id, _)| sources.get(*id).text.len() as u64)
        .sum();
    let (points, repeat) = sweep_points(
        &params,
        loaded,
        &sweeps,
        &overridden,
        options,
        script_bytes,
        &mut diagnostics,
    );
    if !diagnostics.is_empty() {
        return (Err(diagnostics.sorted()), Diagnostics::default());
    }
    let mut program = Program {
        points: Vec::new(),
        repeat,
    };
    let mut all = Diagnostics::default();
    let mut warnings = Diagnostics::default();
    // The script's own warnings, the same at every point.
    let unread = unread::unread_params(sources, loaded, &params, sweeps.first().copied());
    let unread_in_words: Vec<String> = unread.iter().map(Diagnostic::in_words).collect();
    for warning in unread {
        warnings.push(warning);
    }
    let mut budget = Budget::default();
    for assignments in points {
        // Past the limits or the cap on diagnostics, further points would
        // add nothing to show.
        if all.is_full() || budget.exceeded(&options.limits) {
            break;
        }
        let mut point_params = params.clone();
        let mut shown = Vec::new();
        for (name, value, text) in &assignments {
            if let Some(p) = point_params.get_mut(name) {
                p.value = value.clone();
            }
            shown.push((name.clone(), text.clone()));
        }
        let mut ctx = Ctx::new(&point_params, loaded, options.limits).with_registered(&options.registered);
        let seed = match options.seed {
            Some(seed) => Some(seed),
            None => match point_params.get(crate::language::SEED_PARAM) {
                Some(p) => ctx.count(&p.value.clone(), 0),
                None => Some(0),
            },
        };
        let (expanded, generated) = families::expand(&mut ctx, &items);
        let expanded: Vec<(FileId, &Item)> = expanded.iter().map(|(file, item)| (*file, item.as_ref())).collect();
        let model = seed.and_then(|seed| model::build_model(&mut ctx, &expanded, seed));
        let parameters = parameters::settings(&point_params, loaded);
        let found = ctx.diagnostics;
        if found.is_empty() {
            if let Some((mut model, work)) = model {
                budget.add(&work, repeat);
                // The point's run keeps its warnings in its summary.
                model.warnings = unread_in_words.clone();
                model.warnings.extend(ctx.warnings.0.iter().map(Diagnostic::in_words));
                program.points.push(Point {
                    generated,
                    assignments: shown.clone(),
                    parameters,
                    model,
                });
            }
        } else {
            add_point(&mut all, found, &shown);
        }
        add_point(&mut warnings, ctx.warnings, &shown);
    }
    if all.is_empty() {
        for over in budget.check(&options.limits) {
            all.push(over);
        }
    }
    let warnings = warnings.sorted();
    if all.is_empty() {
        (Ok(program), warnings)
    } else {
        (Err(all.sorted()), warnings)
    }
}

/// Adds the diagnostics `found` at one sweep point to those of all points:
/// each once, the first naming its point when the script sweeps.
fn add_point(all: &mut Diagnostics, found: Diagnostics, shown: &[(String, String)]) {
    all.suppress(found.suppressed());
    let seen = |all: &Diagnostics, d: &Diagnostic| all.0.iter().any(|a| a.code == d.code && a.primary == d.primary);
    for mut d in found.0 {
        if seen(all, &d) {
            continue;
        }
        if !shown.is_empty() {
            let point: Vec<String> = shown.iter().map(|(n, v)| format!("{n} = {v}")).collect();
            let note = format!("found in the sweep point {}", point.join(", "));
            let help = match d.help.take() {
                Some(h) => format!("{h}\n{note}"),
                None => note,
            };
            d = d.with_help(help);
        }
        all.push(d);
    }
}

/// Applies `-p name=value` overrides; returns the names overridden.
fn apply_overrides(
    sources: &mut Sources,
    params: &mut IndexMap<String, ParamValue>,
    overrides: &[String],
    diagnostics: &mut Diagnostics,
) -> Vec<String> {
    let mut names = Vec::new();
    for text in overrides {
        let file: FileId = sources.add(format!("-p {text}"), text.clone());
        if let Some(name) = text_override(file, text, params) {
            names.push(name);
            continue;
        }
        match parse_override(file, text) {
            Err(found) => diagnostics.extend(found),
            Ok((name, value)) => match params.get_mut(&name.name) {
                Some(param) => {
                    param.value = value;
                    names.push(name.name);
                }
                None => {
                    let help = match did_you_mean(&name.name, params.keys().map(String::as_str)) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None if params.is_empty() => {
                            "the script declares no parameters; add `param name = value` to it".to_string()
                        }
                        None => format!(
                            "the script's parameters are {}",
                            crate::syntax::words::list_names(params.keys().map(String::as_str))
                        ),
                    };
                    diagnostics.push(
                        Diagnostic::new(
                            Code::UnknownParam,
                            format!("the script has no parameter `{}`", name.name),
                            name.span,
                            "unknown parameter",
                        )
                        .with_help(help),
                    );
                }
            },
        }
    }
    names
}

/// A string parameter takes the text after `=` as it is (`-p trace=/data/azure`):
/// a shell strips the quotes a script would need, and a path is no
/// expression. Returns the name when the override was applied so.
fn text_override(file: FileId, text: &str, params: &mut IndexMap<String, ParamValue>) -> Option<String> {
    let (name, value) = text.split_once('=')?;
    let param = params.get_mut(name.trim())?;
    if !matches!(param.value.kind, ExprKind::Str(_)) || value.trim_start().starts_with('"') {
        return None;
    }
    param.value = Expr {
        kind: ExprKind::Str(value.to_string()),
        span: Span::new(file, text.len() - value.len(), text.len()),
    };
    Some(name.trim().to_string())
}

/// One assignment of a sweep point: parameter, value, value as written.
type Assignment = (String, Expr, String);

/// The points of the sweep (one empty point without a sweep) and the
/// number of repetitions. Their number is checked against the limits
/// before any point is made: `script_bytes` is the size of the script, which
/// every point checks anew.
fn sweep_points(
    params: &IndexMap<String, ParamValue>,
    loaded: &load::Loaded,
    sweeps: &[&Sweep],
    overridden: &[String],
    options: &Options,
    script_bytes: u64,
    diagnostics: &mut Diagnostics,
) -> (Vec<Vec<Assignment>>, u32) {
    let Some(sweep) = sweeps.first() else {
        return (vec![Vec::new()], 1);
    };
    for extra in &sweeps[1..] {
        diagnostics.push(
            Diagnostic::new(
                Code::DuplicateSweep,
                "a script has one sweep",
                extra.span,
                "second sweep",
            )
            .with_label(sweep.span, "first sweep")
            .with_help("combine the axes in one sweep: `sweep a in [..] x b in [..]`"),
        );
    }
    let mut ctx = Ctx::new(params, loaded, options.limits);
    let repeat = match &sweep.repeat {
        None => Some(1),
        Some(e) => ctx.count_in(e, 1, u32::MAX as u64).map(|r| r as u32),
    };
    let axes = swept_axes(&mut ctx, sweep, params, overridden);
    let Some(repeat) = repeat else {
        diagnostics.extend(ctx.diagnostics);
        return (Vec::new(), 1);
    };
    let points = axes.iter().fold(1.0, |product, (_, values)| product * *values as f64);
    if let Some(over) = budget::check_runs(points, repeat, script_bytes, &options.limits, sweep.span) {
        ctx.error(over);
    }
    let mut points: Vec<Vec<Assignment>> = vec![Vec::new()];
    if ctx.diagnostics.is_empty() {
        for (axis, _) in axes {
            let Some(values) = axis_values(&mut ctx, &axis.values) else {
                continue;
            };
            let name = axis.param.name.as_str();
            points = points
                .into_iter()
                .flat_map(|point| {
                    values.iter().map(move |(value, text)| {
                        let mut next = point.clone();
                        next.push((name.to_string(), value.clone(), text.clone()));
                        next
                    })
                })
                .collect();
        }
    }
    diagnostics.extend(ctx.diagnostics);
    (points, repeat)
}

/// The axes of a sweep that take part, each with its number of values:
/// not a parameter swept twice, unknown, or fixed by the command line.
fn swept_axes<'s>(
    ctx: &mut Ctx,
    sweep: &'s Sweep,
    params: &IndexMap<String, ParamValue>,
    overridden: &[String],
) -> Vec<(&'s SweepAxis, u64)> {
    let mut axes = Vec::new();
    let mut seen: Vec<(&str, Span)> = Vec::new();
    for axis in &sweep.axes {
        let name = axis.param.name.as_str();
        if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
            ctx.error(
                Diagnostic::new(
                    Code::DuplicateSweep,
                    format!("`{name}` is swept twice"),
                    axis.param.span,
                    "swept again",
                )
                .with_label(*first, "first swept here")
                .with_help("sweep each parameter once, with all its values in one list"),
            );
            continue;
        }
        seen.push((name, axis.param.span));
        if !params.contains_key(name) {
            if ctx.counted_only() {
                continue;
            }
            let help = match did_you_mean(name, params.keys().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("declare it first: `param {name} = ...`"),
            };
            ctx.error(
                Diagnostic::new(
                    Code::UnknownParam,
                    format!("no parameter named `{name}` to sweep"),
                    axis.param.span,
                    "unknown parameter",
                )
                .with_help(help),
            );
            continue;
        }
        if overridden.iter().any(|o| o == name) {
            // The command line fixes this parameter for every point.
            continue;
        }
        if let Some(values) = axis_length(ctx, &axis.values) {
            axes.push((axis, values));
        }
    }
    axes
}

/// How many values a sweep axis has, without making them.
fn axis_length(ctx: &mut Ctx, values: &Expr) -> Option<u64> {
    match &values.kind {
        ExprKind::List(items) if !items.is_empty() => Some(items.len() as u64),
        ExprKind::Range(..) => ctx.int_range(values).map(|(low, high)| high - low + 1),
        _ => {
            ctx.error(
                Diagnostic::new(
                    Code::TypeMismatch,
                    "a sweep axis takes a list or a range of values",
                    values.span,
                    "not a list or range",
                )
                .with_help("write `nodes in [2, 4, 8]` or `nodes in 1..8`"),
            );
            None
        }
    }
}

/// The values of a sweep axis (a list, or an integer range, of a length
/// [`axis_length`] has checked).
fn axis_values(ctx: &mut Ctx, values: &Expr) -> Option<Vec<(Expr, String)>> {
    match &values.kind {
        ExprKind::Range(..) => {
            let (low, high) = ctx.int_range(values)?;
            Some(
                (low..=high)
                    .map(|i| {
                        let expr = Expr {
                            kind: ExprKind::Quantity(crate::syntax::ast::Quantity {
                                value: i as f64,
                                digits: i.to_string(),
                                unit: None,
                                per: None,
                                percent: false,
                            }),
                            span: values.span,
                        };
                        (expr, i.to_string())
                    })
                    .collect(),
            )
        }
        ExprKind::List(items) => Some(items.iter().map(|e| (e.clone(), expr_text(e))).collect()),
        _ => None,
    }
}

/// A value as a user would write it, for sweep point names.
pub(crate) fn expr_text(expr: &Expr) -> String {
    match &expr.kind {
        ExprKind::Quantity(q) => {
            let mut t = q.digits.clone();
            if let Some(u) = &q.unit {
                t.push_str(&u.name);
            }
            if let Some(p) = &q.per {
                t.push('/');
                t.push_str(&p.name);
            }
            if q.percent {
                t.push('%');
            }
            t
        }
        ExprKind::Str(s) => format!("{s:?}"),
        ExprKind::Name(n) => n.name.clone(),
        ExprKind::Path(parts) => parts.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join("."),
        ExprKind::Call { name, args } => format!(
            "{}({})",
            name.name,
            args.iter().map(expr_text).collect::<Vec<_>>().join(", ")
        ),
        ExprKind::List(items) => format!("[{}]", items.iter().map(expr_text).collect::<Vec<_>>().join(", ")),
        ExprKind::Range(a, b) => format!("{}..{}", expr_text(a), expr_text(b)),
        ExprKind::Indexed { base, .. } => format!("{}[..]", base.name),
        ExprKind::Binary { op, left, right } => {
            let operand = |e: &Expr| match e.kind {
                ExprKind::Binary { .. } => format!("({})", expr_text(e)),
                _ => expr_text(e),
            };
            match op {
                BinaryOp::Power => format!("{}^{}", operand(left), operand(right)),
                _ => format!("{} {} {}", operand(left), op.symbol(), operand(right)),
            }
        }
        ExprKind::Negative(operand) => format!("-({})", expr_text(operand)),
    }
}

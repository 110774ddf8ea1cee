//! Policies written in the script: `keep_alive NAME { idle EXPR; prewarm
//! EXPR }`, `placement NAME { score node = EXPR; pick max|min }`,
//! `eviction NAME { priority container = EXPR }` and `autoscaler NAME {
//! desired EXPR; every TIME }`. Each is checked and compiled once per
//! sweep point (parameters are constants of the point) and then chosen by
//! its name where a built-in would be (`keep_alive adaptive`, `scheduler
//! packed`, `eviction cheapest`, `autoscaler simple`).

mod compile;

use std::sync::Arc;

use indexmap::IndexMap;

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::policy::{AutoscalerExpr, EvictionExpr, KeepAliveExpr, Pick, PlacementExpr, Program};
use crate::language::observables::Reader;
use crate::language::policies::{AUTOSCALER, EVICTION, KEEP_ALIVE, PLACEMENT, Policy};
use crate::language::units::Dim;
use crate::syntax::ast::{ExprKind, Item, PolicyDecl, PolicyKind, Rule};
use crate::syntax::source::{FileId, Span};

use super::context::Ctx;
use compile::{Compiler, Typed, Unit};

/// A policy the script declares, compiled (`None`: it has mistakes,
/// already reported).
#[derive(Debug, Clone)]
pub(crate) enum Compiled {
    KeepAlive(Option<Arc<KeepAliveExpr>>),
    Placement(Option<Arc<PlacementExpr>>),
    Eviction(Option<Arc<EvictionExpr>>),
    Autoscaler(Option<Arc<AutoscalerExpr>>),
}

impl Compiled {
    fn kind(&self) -> PolicyKind {
        match self {
            Compiled::KeepAlive(_) => PolicyKind::KeepAlive,
            Compiled::Placement(_) => PolicyKind::Placement,
            Compiled::Eviction(_) => PolicyKind::Eviction,
            Compiled::Autoscaler(_) => PolicyKind::Autoscaler,
        }
    }

    /// Whether it has mistakes (already reported).
    fn failed(&self) -> bool {
        match self {
            Compiled::KeepAlive(p) => p.is_none(),
            Compiled::Placement(p) => p.is_none(),
            Compiled::Eviction(p) => p.is_none(),
            Compiled::Autoscaler(p) => p.is_none(),
        }
    }
}

/// The built-in policies of a kind, and the names the running program
/// registered for it.
fn taken_names<'c>(ctx: &'c Ctx, kind: PolicyKind) -> (&'static [Policy], &'c [String]) {
    match kind {
        PolicyKind::KeepAlive => (KEEP_ALIVE, &ctx.registered.keep_alive),
        PolicyKind::Placement => (PLACEMENT, &ctx.registered.placement),
        PolicyKind::Eviction => (EVICTION, &[]),
        PolicyKind::Autoscaler => (AUTOSCALER, &[]),
    }
}

/// The service statement that chooses a policy of `kind`.
fn chosen_with(kind: PolicyKind) -> &'static str {
    match kind {
        PolicyKind::KeepAlive => "keep_alive",
        PolicyKind::Placement => "scheduler",
        PolicyKind::Eviction => "eviction",
        PolicyKind::Autoscaler => "autoscaler",
    }
}

/// The policies a script declares, by name.
pub(crate) type Declared = IndexMap<String, (Compiled, Span)>;

/// Checks and compiles every policy `items` declare.
pub(crate) fn declare(ctx: &mut Ctx, items: &[(FileId, &Item)]) -> Declared {
    let mut declared = Declared::new();
    for (_, item) in items {
        let Item::Policy(decl) = item else { continue };
        let (table, registered) = taken_names(ctx, decl.kind);
        let taken = if builtin(table, &decl.name.name) {
            Some("built-in")
        } else if registered.contains(&decl.name.name) {
            Some("registered")
        } else {
            None
        };
        if let Some(taken) = taken {
            ctx.error(
                Diagnostic::new(
                    Code::DuplicateName,
                    format!(
                        "`{}` is the name of a {taken} {} policy",
                        decl.name.name,
                        decl.kind.keyword()
                    ),
                    decl.name.span,
                    "declared here",
                )
                .with_help("give the policy a name of its own"),
            );
            continue;
        }
        if let Some((_, first)) = declared.get(&decl.name.name) {
            let first = *first;
            ctx.error(
                Diagnostic::new(
                    Code::DuplicateName,
                    format!("policy `{}` is declared twice", decl.name.name),
                    decl.name.span,
                    "declared again here",
                )
                .with_label(first, "first declared here")
                .with_help("give each policy a name of its own"),
            );
            continue;
        }
        let compiled = match decl.kind {
            PolicyKind::KeepAlive => Compiled::KeepAlive(keep_alive(ctx, decl).map(Arc::new)),
            PolicyKind::Placement => Compiled::Placement(placement(ctx, decl).map(Arc::new)),
            PolicyKind::Eviction => Compiled::Eviction(eviction(ctx, decl).map(Arc::new)),
            PolicyKind::Autoscaler => Compiled::Autoscaler(autoscaler(ctx, decl).map(Arc::new)),
        };
        declared.insert(decl.name.name.clone(), (compiled, decl.name.span));
    }
    declared
}

fn builtin(table: &[Policy], name: &str) -> bool {
    table.iter().any(|p| p.choice.word == name)
}

/// The rules a kind of policy has: name, whether required, what it is.
fn rules(kind: PolicyKind) -> &'static [(&'static str, bool, &'static str)] {
    match kind {
        PolicyKind::KeepAlive => &[
            ("idle", true, "idle EXPR: how long an idle container stays (a time)"),
            (
                "prewarm",
                false,
                "prewarm EXPR: after an invocation, unload its container and load one when this time has passed (0: keep it)",
            ),
        ],
        PolicyKind::Placement => &[
            ("score", true, "score node = EXPR: each free node's score"),
            (
                "pick",
                false,
                "pick max | min: the node of highest or lowest score (max by default)",
            ),
        ],
        PolicyKind::Eviction => &[(
            "priority",
            true,
            "priority container = EXPR: each idle container's priority, the lowest leaving first",
        )],
        PolicyKind::Autoscaler => &[
            (
                "desired",
                true,
                "desired EXPR: the function's desired container count (a whole number, 0 or more)",
            ),
            (
                "every",
                false,
                "every TIME: how often it is asked while the load moves (2s by default)",
            ),
        ],
    }
}

/// The rules of `decl` by name, each once, each known, the required ones
/// there.
fn rule_table<'d>(ctx: &mut Ctx, decl: &'d PolicyDecl) -> Option<IndexMap<&'static str, &'d Rule>> {
    let known = rules(decl.kind);
    let mut found: IndexMap<&'static str, &Rule> = IndexMap::new();
    let mut ok = true;
    for rule in &decl.rules {
        let Some((name, _, _)) = known.iter().find(|(n, _, _)| *n == rule.name.name) else {
            let names: Vec<&str> = known.iter().map(|(n, _, _)| *n).collect();
            let help = match crate::diagnostic::did_you_mean(&rule.name.name, names.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!(
                    "a {} policy has {}",
                    decl.kind.keyword(),
                    crate::syntax::words::list_names(names.into_iter())
                ),
            };
            ctx.error(
                Diagnostic::new(
                    Code::PolicyRule,
                    format!("a {} policy has no rule `{}`", decl.kind.keyword(), rule.name.name),
                    rule.name.span,
                    "unknown rule",
                )
                .with_help(help),
            );
            ok = false;
            continue;
        };
        if let Some(first) = found.get(name) {
            let first = first.span;
            ctx.error(
                Diagnostic::new(
                    Code::PolicyRule,
                    format!("the rule `{name}` is written twice"),
                    rule.span,
                    "written again here",
                )
                .with_label(first, "first written here")
                .with_help("write each rule once"),
            );
            ok = false;
            continue;
        }
        found.insert(name, rule);
    }
    for (name, required, doc) in known {
        if *required && !found.contains_key(name) && ok {
            ctx.error(
                Diagnostic::new(
                    Code::PolicyRule,
                    format!(
                        "the {} policy `{}` has no rule `{name}`",
                        decl.kind.keyword(),
                        decl.name.name
                    ),
                    decl.name.span,
                    "rule missing",
                )
                .with_help(format!("add `{doc}`")),
            );
            ok = false;
        }
    }
    ok.then_some(found)
}

/// A rule's expression as a program of `dim`.
fn rule_program(compiler: &mut Compiler, rule: &Rule, dim: Dim) -> Option<Program> {
    if let Some(bound) = &rule.bound {
        compiler.ctx.error(
            Diagnostic::new(
                Code::PolicyRule,
                format!("the rule `{}` names nothing before `=`", rule.name.name),
                bound.span,
                "not expected here",
            )
            .with_help(format!("write `{} EXPR`", rule.name.name)),
        );
        return None;
    }
    let (program, typed) = compiler.program(&rule.value)?;
    result_is(compiler.ctx, rule, typed, Some(dim))?;
    Some(program)
}

/// The rule's result is a value (of `dim`, when given).
fn result_is(ctx: &mut Ctx, rule: &Rule, typed: Typed, dim: Option<Dim>) -> Option<()> {
    let found = match typed {
        Typed::Value(unit) if dim.is_none_or(|d| Unit::of(d) == unit) => return Some(()),
        Typed::Value(unit) => unit.describe(),
        Typed::Condition => "a condition".to_string(),
        Typed::Series(..) => "a series".to_string(),
        Typed::Histogram(_) => "a histogram".to_string(),
    };
    let wanted = dim.map_or("a number or a quantity".to_string(), |d| d.describe().to_string());
    let help = match dim {
        Some(Dim::Time) if typed == Typed::Value(Unit::NUMBER) => {
            format!("multiply it by a unit: `({}) * 1min`", super::expr_text(&rule.value))
        }
        _ => format!("write an expression that gives {wanted}"),
    };
    ctx.error(
        Diagnostic::new(
            Code::PolicyResult,
            format!("the rule `{}` must give {wanted}, this gives {found}", rule.name.name),
            rule.value.span,
            format!("this is {found}"),
        )
        .with_help(help),
    );
    None
}

fn keep_alive(ctx: &mut Ctx, decl: &PolicyDecl) -> Option<KeepAliveExpr> {
    let rules = rule_table(ctx, decl)?;
    let mut compiler = Compiler::new(ctx, Reader::KeepAlive);
    compiler.histograms = Some(Vec::new());
    let idle = rule_program(&mut compiler, rules["idle"], Dim::Time);
    let prewarm = match rules.get("prewarm") {
        Some(rule) => Some(rule_program(&mut compiler, rule, Dim::Time)?),
        None => None,
    };
    Some(KeepAliveExpr {
        name: decl.name.name.clone(),
        idle: idle?,
        prewarm,
        histograms: compiler.histograms.unwrap_or_default(),
    })
}

fn placement(ctx: &mut Ctx, decl: &PolicyDecl) -> Option<PlacementExpr> {
    let rules = rule_table(ctx, decl)?;
    let score = rules["score"];
    let pick = match rules.get("pick") {
        None => Some(Pick::Max),
        Some(rule) => pick(ctx, rule),
    };
    let node = bound_name(ctx, score, "a score", "node", "scores")?;
    let mut compiler = Compiler::new(ctx, Reader::Placement);
    compiler.bound = Some(node);
    let (program, typed) = compiler.program(&score.value)?;
    result_is(ctx, score, typed, None)?;
    Some(PlacementExpr {
        name: decl.name.name.clone(),
        score: program,
        pick: pick?,
    })
}

/// The name `rule` gives what it is of (`node` in `score node = ...`).
fn bound_name(ctx: &mut Ctx, rule: &Rule, what: &str, of: &str, verb: &str) -> Option<String> {
    let Some(bound) = &rule.bound else {
        ctx.error(
            Diagnostic::new(
                Code::PolicyRule,
                format!("{what} names the {of} it {verb}"),
                rule.span,
                format!("no {of} named"),
            )
            .with_help(format!(
                "write `{} {of} = {}`",
                rule.name.name,
                super::expr_text(&rule.value)
            )),
        );
        return None;
    };
    let ExprKind::Name(name) = &bound.kind else {
        ctx.error(
            Diagnostic::new(
                Code::PolicyRule,
                format!("{what} names the {of} it {verb} with a name"),
                bound.span,
                "not a name",
            )
            .with_help(format!("write `{} {of} = EXPR`", rule.name.name)),
        );
        return None;
    };
    Some(name.name.clone())
}

fn eviction(ctx: &mut Ctx, decl: &PolicyDecl) -> Option<EvictionExpr> {
    let rules = rule_table(ctx, decl)?;
    let priority = rules["priority"];
    let container = bound_name(ctx, priority, "a priority", "container", "ranks")?;
    let mut compiler = Compiler::new(ctx, Reader::Eviction);
    compiler.bound = Some(container);
    let (program, typed) = compiler.program(&priority.value)?;
    result_is(ctx, priority, typed, None)?;
    Some(EvictionExpr {
        name: decl.name.name.clone(),
        priority: program,
    })
}

fn autoscaler(ctx: &mut Ctx, decl: &PolicyDecl) -> Option<AutoscalerExpr> {
    let rules = rule_table(ctx, decl)?;
    let every = match rules.get("every") {
        None => Some(DEFAULT_EVERY),
        Some(rule) => ctx.positive(&rule.value, Dim::Time),
    };
    let mut compiler = Compiler::new(ctx, Reader::Autoscaler);
    let desired = rule_program(&mut compiler, rules["desired"], Dim::Number)?;
    Some(AutoscalerExpr {
        name: decl.name.name.clone(),
        desired,
        every: every?,
    })
}

/// How often a written autoscaler is asked by default while the load
/// moves (Knative's KPA tick).
const DEFAULT_EVERY: f64 = 2.0;

fn pick(ctx: &mut Ctx, rule: &Rule) -> Option<Pick> {
    match &rule.value.kind {
        ExprKind::Name(n) if n.name == "max" && rule.bound.is_none() => Some(Pick::Max),
        ExprKind::Name(n) if n.name == "min" && rule.bound.is_none() => Some(Pick::Min),
        _ => {
            ctx.error(
                Diagnostic::new(
                    Code::PolicyRule,
                    "`pick` is `max` or `min`".to_string(),
                    rule.value.span,
                    "not `max` or `min`",
                )
                .with_help("write `pick max` (the highest score wins) or `pick min`"),
            );
            None
        }
    }
}

/// The names a choice of `kind` may take besides the built-ins': those
/// the running program registered, then those the script declares.
pub(crate) fn names(ctx: &Ctx, kind: PolicyKind) -> Vec<String> {
    let (_, registered) = taken_names(ctx, kind);
    let declared = ctx.policies.iter().filter(|(_, (compiled, _))| compiled.kind() == kind);
    registered
        .iter()
        .cloned()
        .chain(declared.map(|(name, _)| name.clone()))
        .collect()
}

/// What a policy choice (`keep_alive NAME`, `scheduler NAME`) names
/// among the script's own policies.
pub(crate) enum Chosen {
    /// None of the script's: a built-in, or a mistake the caller reports.
    NotDeclared,
    /// One of the script's, of the kind wanted.
    Policy(Compiled),
    /// One of the script's with mistakes, or of another kind (reported).
    Failed,
}

/// The script's policy `expr` names, if it names one, of `kind`.
pub(crate) fn chosen(ctx: &mut Ctx, expr: &crate::syntax::ast::Expr, kind: PolicyKind) -> Chosen {
    let Some(value) = ctx.resolve(expr) else {
        return Chosen::Failed;
    };
    let ExprKind::Name(name) = &value.kind else {
        return Chosen::NotDeclared;
    };
    let Some((compiled, declared)) = ctx.policies.get(&name.name).cloned() else {
        return Chosen::NotDeclared;
    };
    let found = compiled.kind();
    if found != kind {
        let wanted = chosen_with(kind);
        ctx.error(
            Diagnostic::new(
                Code::PolicyKind,
                format!(
                    "`{}` is a {} policy, chosen here with `{wanted}`",
                    name.name,
                    found.keyword()
                ),
                value.span,
                format!("a {} policy", found.keyword()),
            )
            .with_label(declared, "declared here")
            .with_help(format!(
                "choose it with `{}`, or declare `{} NAME {{ ... }}` for `{wanted}`",
                chosen_with(found),
                kind.keyword()
            )),
        );
        return Chosen::Failed;
    }
    match compiled {
        failed if failed.failed() => Chosen::Failed,
        other => Chosen::Policy(other),
    }
}

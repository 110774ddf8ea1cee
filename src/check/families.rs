//! Families and templates, written out before the blocks are checked:
//! `function f extends base` takes what it does not write from `base`;
//! `function f[k in 1..50]`, `image img[k in 1..50]` and
//! `invoke f[k in 1..50]` stand for one declaration or stream per index,
//! with `k` replaced by its value everywhere in the body and `img[k]`
//! naming a member. Members keep the family's spans, so diagnostics point
//! at the family; each carries its [`Member`] so that they name it.

use std::borrow::Cow;

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{
    ClauseKind, ClientStep, DEFAULT_INDEX, DeclName, Expr, ExprKind, Function, Ident, Index, Invoke, Item, Member,
    Profile, Property, Quantity, Stage, Workload,
};
use crate::syntax::source::FileId;

use super::context::Ctx;
use super::templates;

/// How many declarations and streams families made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Generated {
    pub families: usize,
    pub functions: usize,
    pub images: usize,
    pub streams: usize,
}

/// The items with templates applied and families written out, and what the
/// families made. Items that need neither are borrowed.
pub(crate) fn expand<'i>(ctx: &mut Ctx, items: &[(FileId, &'i Item)]) -> (Vec<(FileId, Cow<'i, Item>)>, Generated) {
    let items = templates::apply(ctx, items);
    let mut generated = Generated::default();
    // The ranges of function families, for `invoke f[*]` (none for a
    // family whose range is wrong, and said so).
    let mut function_families: Vec<(String, Option<(u64, u64)>)> = Vec::new();
    let mut out = Vec::with_capacity(items.len());
    for (file, item) in items {
        match item.as_ref() {
            Item::Function(f) if f.family.is_some() => {
                let family = f.family.as_ref().expect("a family");
                let range = family.range.as_ref().and_then(|r| ctx.int_range(r));
                function_families.push((f.name.name.clone(), range));
                let Some(range) = range else {
                    continue;
                };
                generated.families += 1;
                for (index, member) in members(family, range) {
                    let mut function = f.clone();
                    function.family = None;
                    function.name.name = member.name.clone();
                    for_function(&mut function, &mut |e| substitute(e, family.index_name(), index));
                    function.member = Some(member);
                    generated.functions += 1;
                    out.push((file, Cow::Owned(Item::Function(function))));
                }
            }
            Item::Image(i) if i.family.is_some() => {
                let family = i.family.as_ref().expect("a family");
                let Some(range) = family.range.as_ref().and_then(|r| ctx.int_range(r)) else {
                    continue;
                };
                generated.families += 1;
                for (index, member) in members(family, range) {
                    let mut image = i.clone();
                    image.family = None;
                    image.name.name = member.name.clone();
                    for_properties(&mut image.properties, &mut |e| {
                        substitute(e, family.index_name(), index)
                    });
                    image.member = Some(member);
                    generated.images += 1;
                    out.push((file, Cow::Owned(Item::Image(image))));
                }
            }
            // `image runtime[3]`: a member named outside a family.
            Item::Function(f) if names_member(&f.properties) => {
                let mut function = f.clone();
                for_properties(&mut function.properties, &mut |e| substitute(e, "", 0));
                out.push((file, Cow::Owned(Item::Function(function))));
            }
            _ => out.push((file, item)),
        }
    }
    for (_, item) in &mut out {
        let Item::Workload(workload) = item.as_ref() else {
            continue;
        };
        let streams = workload.invokes.iter().any(|i| i.index.is_some())
            || workload.clients.iter().any(|c| {
                c.steps
                    .iter()
                    .any(|s| matches!(s, ClientStep::Invoke(i) if i.index.is_some()))
            });
        if streams {
            let expanded = expand_workload(ctx, workload, &function_families, &mut generated);
            *item = Cow::Owned(Item::Workload(expanded));
        }
    }
    (out, generated)
}

/// Each index of a family's range and the member it makes.
fn members(family: &DeclName, (low, high): (u64, u64)) -> impl Iterator<Item = (u64, Member)> + '_ {
    (low..=high).map(move |index| {
        (
            index,
            Member {
                name: format!("{}[{index}]", family.name.name),
                note: format!(
                    "the member `{}[{index}]` ({} = {index})",
                    family.name.name,
                    family.index_name()
                ),
            },
        )
    })
}

/// The workload with indexed streams written out: `f[3]` names a member,
/// `f[k in 1..n]` (or `f[1..n]`, or `f[*]` over the family's range) is a
/// stream per index.
fn expand_workload(
    ctx: &mut Ctx,
    workload: &Workload,
    families: &[(String, Option<(u64, u64)>)],
    generated: &mut Generated,
) -> Workload {
    let mut out = workload.clone();
    out.invokes = workload
        .invokes
        .iter()
        .flat_map(|i| expand_invoke(ctx, i, families, generated))
        .collect();
    for client in &mut out.clients {
        client.steps = std::mem::take(&mut client.steps)
            .into_iter()
            .flat_map(|step| match step {
                ClientStep::Invoke(invoke) => expand_invoke(ctx, &invoke, families, generated)
                    .into_iter()
                    .map(ClientStep::Invoke)
                    .collect(),
                other => vec![other],
            })
            .collect();
    }
    out
}

fn expand_invoke(
    ctx: &mut Ctx,
    invoke: &Invoke,
    families: &[(String, Option<(u64, u64)>)],
    generated: &mut Generated,
) -> Vec<Invoke> {
    let Some(index) = &invoke.index else {
        return vec![invoke.clone()];
    };
    let name = &invoke.target.name;
    let family = families.iter().find(|(n, _)| n == name).map(|(_, range)| *range);
    if family == Some(None) {
        // The family's range is wrong, and its diagnostic says so.
        return Vec::new();
    }
    let range = match index {
        Index::All(span) => match family.flatten() {
            Some(range) => range,
            None => {
                ctx.error(
                    Diagnostic::new(
                        Code::NotAnArray,
                        format!("`{name}` is not a family: `[*]` has no members to stand for"),
                        *span,
                        "no family of this name",
                    )
                    .with_help(format!(
                        "declare it as a family (`function {name}[k in 1..n] {{ ... }}`), or drop `[*]`"
                    )),
                );
                return Vec::new();
            }
        },
        Index::Expr(e) => match &ctx.resolve(e).map(|r| &r.kind) {
            Some(ExprKind::Range(..)) => match ctx.int_range(e) {
                Some(range) => range,
                None => return Vec::new(),
            },
            Some(_) if invoke.variable.is_none() => {
                // One member, by its index.
                let Some(at) = ctx.count(e, 0) else {
                    return Vec::new();
                };
                if let Some((low, high)) = family.flatten()
                    && !(low..=high).contains(&at)
                {
                    ctx.error(
                        Diagnostic::new(
                            Code::IndexOutOfRange,
                            format!("the family `{name}` has no member {at}: its members are {low} to {high}"),
                            e.span,
                            "outside the family",
                        )
                        .with_help(format!("write an index from {low} to {high}: `{name}[{low}]`")),
                    );
                    return Vec::new();
                }
                let mut one = invoke.clone();
                one.index = None;
                one.target.name = format!("{name}[{at}]");
                return vec![one];
            }
            _ => match ctx.int_range(e) {
                Some(range) => range,
                None => return Vec::new(),
            },
        },
    };
    let variable = invoke.variable.as_ref().map_or(DEFAULT_INDEX, |v| v.name.as_str());
    generated.families += 1;
    (range.0..=range.1)
        .map(|at| {
            let mut one = invoke.clone();
            one.index = None;
            one.variable = None;
            one.target.name = format!("{name}[{at}]");
            for_invoke(&mut one, &mut |e| substitute(e, variable, at));
            one.member = Some(Member {
                name: format!("{name}[{at}]"),
                note: format!("the stream of `{name}[{at}]` ({variable} = {at})"),
            });
            generated.streams += 1;
            one
        })
        .collect()
}

/// Replaces the index `variable` by `value` in `expr`; `name[index]` whose
/// index is then a whole number becomes the member's name (with no
/// variable of that name, only that).
fn substitute(expr: &mut Expr, variable: &str, value: u64) {
    match &mut expr.kind {
        ExprKind::Name(name) if name.name == variable => {
            expr.kind = ExprKind::Quantity(Quantity {
                value: value as f64,
                digits: value.to_string(),
                unit: None,
                per: None,
                percent: false,
            });
        }
        ExprKind::Call { args, .. } => args.iter_mut().for_each(|a| substitute(a, variable, value)),
        ExprKind::List(items) => items.iter_mut().for_each(|a| substitute(a, variable, value)),
        ExprKind::Range(low, high)
        | ExprKind::Binary {
            left: low, right: high, ..
        } => {
            substitute(low, variable, value);
            substitute(high, variable, value);
        }
        ExprKind::Negative(operand) => substitute(operand, variable, value),
        ExprKind::Indexed { base, index } => {
            if let Index::Expr(at) = index.as_mut() {
                substitute(at, variable, value);
                if let Some(at) = constant(at).filter(|v| v.fract() == 0.0 && *v >= 0.0) {
                    expr.kind = ExprKind::Name(Ident {
                        name: format!("{}[{at}]", base.name),
                        span: expr.span,
                    });
                }
            }
        }
        _ => {}
    }
}

/// The value of a calculation on plain numbers only (an index).
fn constant(expr: &Expr) -> Option<f64> {
    use crate::syntax::ast::BinaryOp::*;
    match &expr.kind {
        ExprKind::Quantity(q) if q.unit.is_none() && q.per.is_none() && !q.percent => Some(q.value),
        ExprKind::Negative(operand) => constant(operand).map(|v| -v),
        ExprKind::Binary { op, left, right } => {
            let (left, right) = (constant(left)?, constant(right)?);
            Some(match op {
                Add => left + right,
                Subtract => left - right,
                Multiply => left * right,
                Divide => left / right,
                Power => left.powf(right),
            })
        }
        _ => None,
    }
}

/// Whether a property's value names a member of a family: `runtime[3]`.
fn names_member(properties: &[Property]) -> bool {
    properties
        .iter()
        .any(|p| matches!(p.value.kind, ExprKind::Indexed { .. }))
}

fn for_properties(properties: &mut [Property], visit: &mut impl FnMut(&mut Expr)) {
    properties.iter_mut().for_each(|p| visit(&mut p.value));
}

fn for_function(function: &mut Function, visit: &mut impl FnMut(&mut Expr)) {
    for_properties(&mut function.properties, visit);
    for (limits, _) in &mut function.limits {
        for_properties(limits, visit);
    }
    for (steps, _) in &mut function.bodies {
        steps.iter_mut().for_each(|s| visit(&mut s.amount));
    }
}

fn for_invoke(invoke: &mut Invoke, visit: &mut impl FnMut(&mut Expr)) {
    for clause in &mut invoke.clauses {
        match &mut clause.kind {
            ClauseKind::On(_) => {}
            ClauseKind::At(e)
            | ClauseKind::Every(e)
            | ClauseKind::Count(e)
            | ClauseKind::For(e)
            | ClauseKind::Burst(e) => visit(e),
            ClauseKind::Poisson(profile) | ClauseKind::Paced(profile) => match profile {
                Profile::Constant(e) => visit(e),
                Profile::Ramp(ramp) => [&mut ramp.from, &mut ramp.to, &mut ramp.over]
                    .into_iter()
                    .for_each(&mut *visit),
                Profile::Stages(stages, _) => {
                    for stage in stages {
                        match stage {
                            Stage::Ramp(ramp) => [&mut ramp.from, &mut ramp.to, &mut ramp.over]
                                .into_iter()
                                .for_each(&mut *visit),
                            Stage::Hold { rate, duration, .. } => {
                                visit(rate);
                                visit(duration);
                            }
                        }
                    }
                }
            },
            ClauseKind::Closed { users, think } => {
                visit(users);
                think.iter_mut().for_each(&mut *visit);
            }
        }
    }
}

//! Checking a `keep_alive` choice (in a `serverless` service or a
//! function): a row of the registry's `KEEP_ALIVE` table, possibly through
//! a parameter, with its arguments in the row's order and units (those left
//! out take the row's defaults), and the hybrid histogram's own bounds.

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::service::PolicySpec;
use crate::language::choices::Choices;
use crate::language::policies::{KEEP_ALIVE, find};
use crate::syntax::ast::Expr;

use super::context::Ctx;

/// The most bins a hybrid histogram may have (each function of a run
/// keeps one).
const MAX_BINS: f64 = 100_000.0;

/// The keep-alive policy `expr` chooses.
pub(crate) fn keep_alive(ctx: &mut Ctx, expr: &Expr) -> Option<PolicySpec> {
    let registered = ctx.registered;
    let (name, args) = ctx.word_among(expr, Choices::KeepAlive, &registered.keep_alive)?;
    let Some(row) = find(KEEP_ALIVE, &name) else {
        // A policy the running program registered under this name.
        return super::services::no_arguments(ctx, expr, &name, args, super::services::REGISTERED).map(|()| {
            PolicySpec {
                name,
                params: Vec::new(),
            }
        });
    };
    if args.len() > row.params.len() {
        let names: Vec<&str> = row.params.iter().map(|p| p.name).collect();
        let help = match row.choice.call {
            Some(call) => format!("write `{call}`: `{name}({})`, each optional", names.join(", ")),
            None => format!("write `{name}` alone"),
        };
        ctx.error(
            Diagnostic::new(
                Code::WrongArguments,
                match names.len() {
                    0 => format!("`{name}` takes no arguments, found {}", args.len()),
                    n => format!("`{name}` takes at most {n} arguments, found {}", args.len()),
                },
                expr.span,
                "too many arguments",
            )
            .with_help(help),
        );
        return None;
    }
    let mut params = Vec::with_capacity(row.params.len());
    let mut ok = true;
    for (i, param) in row.params.iter().enumerate() {
        match args.get(i) {
            None => params.push(param.default),
            Some(arg) => match ctx.non_negative(arg, param.dim) {
                Some(v) => params.push(v),
                None => ok = false,
            },
        }
    }
    if !ok {
        return None;
    }
    if name == "hybrid" && !hybrid_bounds(ctx, expr, args, &params) {
        return None;
    }
    Some(PolicySpec { name, params })
}

/// The hybrid histogram's arguments agree: a bin of some width within the
/// range, at most [`MAX_BINS`] bins, percentiles in order up to 100, a
/// margin below 1.
fn hybrid_bounds(ctx: &mut Ctx, call: &Expr, args: &[Expr], params: &[f64]) -> bool {
    let [range, bin, head, tail, margin, _cv] = params else {
        return false;
    };
    let at = |i: usize| args.get(i).unwrap_or(call);
    let problem = if *bin <= 0.0 || bin > range {
        Some((
            1,
            "must be above zero and at most the range",
            "write a bin such as `1min`",
        ))
    } else if range / bin > MAX_BINS {
        Some((0, "makes more than 100000 bins", "write a wider bin or a shorter range"))
    } else if tail > &100.0 || head >= tail {
        Some((
            3,
            "must be above the head percentile and at most 100",
            "write percentiles such as `5, 99`",
        ))
    } else if *margin >= 1.0 {
        Some((4, "must be below 1", "write a fraction such as `0.1`"))
    } else {
        None
    };
    match problem {
        None => true,
        Some((i, why, help)) => {
            ctx.out_of_range(at(i), why.to_string(), help);
            false
        }
    }
}

//! Checking a `keep_alive` choice (in a `serverless` service or a
//! function): a row of the registry's `KEEP_ALIVE` table
//! ([`super::policy::policy`]), and the hybrid histogram's own bounds.

use crate::ir::service::PolicySpec;
use crate::language::choices::Choices;
use crate::language::policies::KEEP_ALIVE;
use crate::syntax::ast::Expr;

use super::context::Ctx;

/// The most bins a hybrid histogram may have (each function of a run
/// keeps one).
const MAX_BINS: f64 = 100_000.0;

/// The keep-alive policy `expr` chooses.
pub(crate) fn keep_alive(ctx: &mut Ctx, expr: &Expr) -> Option<PolicySpec> {
    let registered = ctx.registered;
    let (spec, args) = super::policy::policy(ctx, expr, Choices::KeepAlive, KEEP_ALIVE, &registered.keep_alive)?;
    if spec.name == "hybrid" && !hybrid_bounds(ctx, expr, args, &spec.params) {
        return None;
    }
    Some(spec)
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

//! Checking an `autoscaler` statement (in a `serverless` service): a row
//! of the registry's `AUTOSCALER` table, possibly through a parameter, its
//! block's properties being the row's parameters in their units (those
//! left out take the row's defaults); counts are whole, a target above
//! zero, `min` at most `max`; an autoscaler needs containers per function.
//! An autoscaler written in the script (`autoscaler NAME { desired ... }`)
//! is chosen by its name, with no block.

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::service::{AutoscalerSpec, Granularity, PolicySpec};
use crate::language::choices::Choices;
use crate::language::policies::{AUTOSCALER, find};
use crate::language::properties::Owner;
use crate::syntax::ast;
use crate::syntax::source::Span;

use super::context::{Ctx, Props};

/// The autoscaler `decl` chooses; `None` (with a diagnostic) when it is
/// wrong. `granularity` is the service's sandbox's, `sandbox` where it is
/// set.
pub(crate) fn autoscaler(
    ctx: &mut Ctx,
    decl: &ast::Scheduler,
    granularity: Option<(Granularity, Span)>,
) -> Option<AutoscalerSpec> {
    use super::written::{Chosen, Compiled};
    match super::written::chosen(ctx, &decl.policy, ast::PolicyKind::Autoscaler) {
        Chosen::NotDeclared => {}
        Chosen::Policy(Compiled::Autoscaler(Some(written))) => {
            // Its expressions are all it has: any property is unknown.
            Props::new(
                ctx,
                &decl.properties,
                &[],
                format!("autoscaler `{}`", written.name),
                decl.policy.span,
            );
            per_function(ctx, decl, &written.name, granularity)?;
            return Some(AutoscalerSpec::Written(written));
        }
        Chosen::Policy(_) | Chosen::Failed => return None,
    }
    let others = super::written::names(ctx, ast::PolicyKind::Autoscaler);
    let (name, args) = ctx.word_among(&decl.policy, Choices::Autoscaler, &others)?;
    let row = find(AUTOSCALER, &name)?;
    let props = Props::new(
        ctx,
        &decl.properties,
        &Owner::Autoscaler.names(&name),
        format!("autoscaler `{name}`"),
        decl.policy.span,
    );
    if !args.is_empty() {
        ctx.error(
            Diagnostic::new(
                Code::WrongArguments,
                format!("`{name}` takes no arguments, found {}", args.len()),
                decl.policy.span,
                "arguments here",
            )
            .with_help(format!(
                "set its parameters in its block: `autoscaler {name} {{ target 10 }}`"
            )),
        );
        return None;
    }
    let mut params = Vec::with_capacity(row.params.len());
    let mut ok = true;
    for param in row.params {
        let value = match props.get(param.name) {
            None => Some(param.default),
            Some(e) if matches!(param.name, "min" | "max") => ctx.count_in(e, 0, u64::from(u32::MAX)).map(|n| n as f64),
            Some(e) => ctx.non_negative(e, param.dim),
        };
        match value {
            Some(v) => params.push(v),
            None => ok = false,
        }
    }
    if !ok {
        return None;
    }
    let at = |name: &str| props.get(name);
    let value = |name: &str| row.params.iter().position(|p| p.name == name).map(|i| params[i]);
    for positive in ["target", "stable_window", "panic_window", "period", "tick"] {
        if let (Some(e), Some(v)) = (at(positive), value(positive))
            && v <= 0.0
        {
            ctx.out_of_range(e, "must be above zero".to_string(), "write a positive value");
            return None;
        }
    }
    if let (Some(e), Some(v)) = (at("panic_window"), value("panic_window"))
        && v > 1.0
    {
        ctx.out_of_range(
            e,
            "is longer than the stable window".to_string(),
            "write a fraction of the stable window such as `10%`",
        );
        return None;
    }
    if let (Some(min), Some(max)) = (value("min"), value("max"))
        && max > 0.0
        && min > max
    {
        let e = at("min").or(at("max")).unwrap_or(&decl.policy);
        ctx.out_of_range(
            e,
            format!("is above `max` ({max})"),
            "write a `min` at most `max` (`max 0` bounds nothing)",
        );
        return None;
    }
    per_function(ctx, decl, &name, granularity)?;
    Some(AutoscalerSpec::Row(PolicySpec {
        name,
        params,
        written: None,
    }))
}

/// An autoscaler other than `none` counts containers per function: the
/// service's sandbox must make them.
fn per_function(
    ctx: &mut Ctx,
    decl: &ast::Scheduler,
    name: &str,
    granularity: Option<(Granularity, Span)>,
) -> Option<()> {
    if let Some((g, span)) = granularity.filter(|(g, _)| *g != Granularity::PerFunction && name != "none") {
        let what = match g {
            Granularity::PerInvocation => "a container per invocation",
            _ => "an application sandbox",
        };
        ctx.error(
            Diagnostic::new(
                Code::ConflictingProperties,
                format!("autoscaler `{name}` counts containers per function, but this service's sandbox is {what}"),
                decl.policy.span,
                "an autoscaler",
            )
            .with_label(span, "the sandbox")
            .with_help("drop the `sandbox` statement (a container per function) or the autoscaler"),
        );
        return None;
    }
    Some(())
}

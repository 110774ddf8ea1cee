//! `with { duration 40s; memory 128MB }` on an `invoke`: the values each
//! invocation passes to its function's `trace.` fields, as a trace row does,
//! so that a hand-written list of invocations and a replayed trace are the
//! same thing. A function that uses `trace.` fields needs every one of them
//! given; a value no field uses is a mistake. Payload sizes are the
//! invocation's own, whatever its body uses.

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::function::Function;
use crate::ir::workload::Arguments;
use crate::language::properties::Owner;
use crate::language::units::Dim;
use crate::syntax::ast::{Ident, Property};
use crate::syntax::source::Span;

use super::context::{Ctx, Props};

/// The values of a `with` block. A duration or payload may be random,
/// drawn for each invocation; the memory is the RAM limit of the
/// invocation's registration, so a fixed size.
pub(crate) fn check_with(ctx: &mut Ctx, properties: &[Property], span: Span) -> Option<Arguments> {
    let props = Props::new(ctx, properties, &Owner::Arguments.names(""), "`with`".into(), span);
    let drawn = |ctx: &mut Ctx, name: &str, dim: Dim| match props.get(name) {
        None => Some(None),
        Some(e) => ctx.distribution(e, dim).map(Some),
    };
    let duration = drawn(ctx, "duration", Dim::Time);
    let request_payload = drawn(ctx, "request_payload", Dim::Size);
    let response_payload = drawn(ctx, "response_payload", Dim::Size);
    let memory = match props.get("memory") {
        None => Some(None),
        Some(e) if is_call(ctx, e) => {
            ctx.error(
                Diagnostic::new(
                    Code::TypeMismatch,
                    "an invocation's memory cannot be random",
                    e.span,
                    "a distribution",
                )
                .with_help("`memory` is the RAM limit its container is made with: write one size, like `memory 256MB`"),
            );
            None
        }
        Some(e) => ctx.non_negative(e, Dim::Size).map(Some),
    };
    Some(Arguments {
        duration: duration?,
        memory: memory?,
        request_payload: request_payload?,
        response_payload: response_payload?,
    })
}

/// Whether `e` is (through parameters) a call, such as a distribution.
fn is_call(ctx: &mut Ctx, e: &crate::syntax::ast::Expr) -> bool {
    ctx.resolve(e)
        .is_some_and(|e| matches!(e.kind, crate::syntax::ast::ExprKind::Call { .. }))
}

/// Whether `given` (with the span of its `with`) fits what `function`
/// (invoked as `name`) uses; a diagnostic for each field missing or unused.
pub(crate) fn check_use(ctx: &mut Ctx, function: &Function, name: &Ident, given: &Arguments, span: Span) -> bool {
    let used = function.trace_fields();
    let mut ok = true;
    for field in ["duration", "memory"] {
        let passed = match field {
            "duration" => given.duration.is_some(),
            _ => given.memory.is_some(),
        };
        if used.contains(&field) && !passed {
            ctx.error(
                Diagnostic::new(
                    Code::MissingArgument,
                    format!(
                        "`{}` uses `trace.{field}`, which this invocation does not give",
                        name.name
                    ),
                    span,
                    format!("no `{field}`"),
                )
                .with_label(name.span, "invoked here")
                .with_help(format!("give it in `with`: `with {{ {} }}`", example(&used))),
            );
            ok = false;
        } else if passed && !used.contains(&field) {
            ctx.error(
                Diagnostic::new(
                    Code::UnusedArgument,
                    format!("`{}` does not use `trace.{field}`", name.name),
                    span,
                    format!("`{field}` is given here"),
                )
                .with_label(name.span, "invoked here")
                .with_help(format!(
                    "remove `{field}` from `with`, or use `trace.{field}` in `{}`'s body or limits",
                    name.name
                )),
            );
            ok = false;
        }
    }
    ok
}

/// `with` values for the fields a function uses, for help.
fn example(used: &[&str]) -> String {
    used.iter()
        .map(|f| match *f {
            "duration" => "duration 40s",
            _ => "memory 128MB",
        })
        .collect::<Vec<_>>()
        .join("; ")
}

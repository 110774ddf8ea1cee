//! `with { duration 40s; memory 128MB }` on an `invoke`: the values each
//! invocation passes to its function's `trace.` fields, as a trace row does,
//! so that a hand-written list of invocations and a replayed trace are the
//! same thing. A function that uses `trace.` fields needs every one of them
//! given; a value no field uses is a mistake.

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::function::Function;
use crate::ir::workload::Arguments;
use crate::language::properties::Owner;
use crate::language::units::Dim;
use crate::syntax::ast::{Ident, Property};
use crate::syntax::source::Span;

use super::context::{Ctx, Props};

/// The values of a `with` block.
pub(crate) fn check_with(ctx: &mut Ctx, properties: &[Property], span: Span) -> Option<Arguments> {
    let props = Props::new(ctx, properties, &Owner::Arguments.names(""), "`with`".into(), span);
    let duration = props.get("duration").map(|e| ctx.non_negative(e, Dim::Time));
    let memory = props.get("memory").map(|e| ctx.non_negative(e, Dim::Size));
    Some(Arguments {
        duration: duration.map_or(Some(None), |d| d.map(Some))?,
        memory: memory.map_or(Some(None), |m| m.map(Some))?,
    })
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

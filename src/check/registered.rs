//! Checking the choice of a policy the running program registered
//! ([`crate::language::registered`]): it takes no arguments in the script,
//! its settings being given where it is registered.

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::Expr;

use super::context::Ctx;

/// A registered policy `name`, written at `call` with `args`: none allowed.
pub(crate) fn no_arguments(ctx: &mut Ctx, call: &Expr, name: &str, args: &[Expr]) -> Option<()> {
    if args.is_empty() {
        return Some(());
    }
    ctx.error(
        Diagnostic::new(
            Code::WrongArguments,
            format!("`{name}` takes no arguments, found {}", args.len()),
            call.span,
            "a registered policy takes no arguments",
        )
        .with_help(format!(
            "write `{name}` alone: a registered policy's settings are given where it is registered"
        )),
    );
    None
}

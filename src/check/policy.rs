//! Checking a policy choice against its row of the policy registry
//! (`crate::language::policies`): the word (possibly through a parameter,
//! with did-you-mean), then its arguments in the row's order and units,
//! those left out taking the row's defaults. Shared by every kind chosen
//! this way (`keep_alive`, `eviction`).

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::service::PolicySpec;
use crate::language::choices::Choices;
use crate::language::policies::{Policy, find};
use crate::syntax::ast::Expr;

use super::context::Ctx;

/// The policy of `table` (or of the names the running program registered,
/// `registered`) that `expr` chooses, with its parameters in base units,
/// and its arguments as written (for checks of the row's own bounds).
pub(crate) fn policy<'a, 'e>(
    ctx: &mut Ctx<'a>,
    expr: &'e Expr,
    set: Choices,
    table: &'static [Policy],
    registered: &[String],
) -> Option<(PolicySpec, &'e [Expr])>
where
    'a: 'e,
{
    let (name, args) = ctx.word_among(expr, set, registered)?;
    let Some(row) = find(table, &name) else {
        // A policy the running program registered under this name.
        super::services::no_arguments(ctx, expr, &name, args, super::services::REGISTERED)?;
        let spec = PolicySpec {
            name,
            params: Vec::new(),
        };
        return Some((spec, args));
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
    ok.then_some((PolicySpec { name, params }, args))
}

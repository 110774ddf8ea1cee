//! A `prewarm` statement asks for containers started ahead of any
//! invocation, to wait idle for one. A function whose keep-alive policy
//! never keeps a container idle (`idle_timeout 0s`, the default, or
//! `keep_alive none`) would have each of them shut down as soon as it is
//! ready: the service never starts them, and the script is refused here.
//! Policies written in the script or registered by a program decide at
//! run time; the run's warnings count the prewarms they refused. A
//! prewarm no invocation could use (a function sized by each invocation, a
//! template only a replay runs) is refused too.

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::Model;
use crate::ir::function::Amount;
use crate::ir::service::PolicySpec;
use crate::ir::workload::Target;
use crate::language::policies::{FIXED, FIXED_WINDOW, KEEP_ALIVE, Policy, find};

use super::context::Ctx;
use super::model::Declared;

/// Every `prewarm` of every service names a function whose prewarmed
/// containers some invocation may use: one of a known size (a RAM limit of
/// `trace.memory` has none: each memory an invocation gives is a
/// registration of its own), and, for a trace template, one a stream or a
/// client invokes (a replay `as` it runs each trace function in containers
/// of its own). Such containers were started, kept idle and counted as
/// wasted.
pub(crate) fn check_prewarms_serve(ctx: &mut Ctx, model: &Model, declared: &Declared) {
    for (s, (service, decl)) in model.services.iter().zip(&declared.services).enumerate() {
        for ((function, _), statement) in service.prewarm.iter().zip(&decl.prewarms) {
            let f = &model.functions[function.0 as usize];
            let invoked = || {
                model.invoked().any(|(target, on, memory)| {
                    target == Target::Function(*function) && on.index() == s && memory.is_none()
                })
            };
            let (message, label, help) = if f.limits.ram == Amount::TraceMemory {
                (
                    format!(
                        "`{}` has no size to prewarm: its RAM limit is `trace.memory`, which each invocation gives",
                        f.name
                    ),
                    "a container of no known size",
                    format!(
                        "give `{}` a RAM limit of its own (`limits {{ ram 512MB }}`; its invocations then give no `memory`), or drop the prewarm",
                        f.name
                    ),
                )
            } else if f.template && !invoked() {
                (
                    format!(
                        "prewarmed containers of `{}` would serve no invocation: no stream or client of `{}` invokes it",
                        f.name, service.name
                    ),
                    "containers no invocation uses",
                    format!(
                        "a replay `as {}` runs each trace function in containers of its own: drop the prewarm, or warm them with a keep-alive policy that prewarms",
                        f.name
                    ),
                )
            } else {
                continue;
            };
            ctx.error(Diagnostic::new(Code::PrewarmServesNothing, message, statement.span, label).with_help(help));
        }
    }
}

/// Every `prewarm` of every service names a function whose containers
/// may stay idle.
pub(crate) fn check_prewarms_kept(ctx: &mut Ctx, model: &Model, declared: &Declared) {
    for (service, decl) in model.services.iter().zip(&declared.services) {
        // The service's own policy: `keep_alive`, else `idle_timeout`.
        let (own, own_property) = match &service.keep_alive {
            Some(spec) => (never_keeps(spec), "keep_alive"),
            None => (
                (FIXED.never_keeps)(&[service.idle_timeout])
                    .then(|| format!("an idle timeout of {}s", service.idle_timeout)),
                FIXED_WINDOW.name,
            ),
        };
        for ((function, _), statement) in service.prewarm.iter().zip(&decl.prewarms) {
            let f = &model.functions[function.0 as usize];
            let why = match &f.keep_alive {
                Some(spec) => never_keeps(spec),
                None => own.clone(),
            };
            let Some(why) = why else {
                continue;
            };
            let mut diagnostic = Diagnostic::new(
                Code::PrewarmNeverKept,
                format!(
                    "prewarmed containers of `{}` would be shut down as soon as they are ready",
                    f.name
                ),
                statement.span,
                format!("`{}` keeps no idle container: {why}", f.name),
            );
            let help = if f.keep_alive.is_some() {
                let decl = declared.function_decls[function.0 as usize];
                if let Some(property) = decl.properties.iter().find(|p| p.name.name == "keep_alive") {
                    diagnostic = diagnostic.with_label(property.span, "keeps no container idle");
                }
                format!(
                    "give `{}` a keep-alive that keeps containers, such as `keep_alive fixed(10min)`, or drop the prewarm",
                    f.name
                )
            } else {
                if let Some(property) = decl.properties.iter().find(|p| p.name.name == own_property) {
                    diagnostic = diagnostic.with_label(property.span, "shuts idle containers down at once");
                }
                format!(
                    "keep `{}`'s idle containers for a while, such as `{} 10min` (the default is 0s), or drop the prewarm",
                    service.name, FIXED_WINDOW.name
                )
            };
            ctx.error(diagnostic.with_help(help));
        }
    }
}

/// Why a built-in keep-alive policy never keeps a container idle, if it
/// never does (its registry row says with which parameters). Written and
/// registered policies are not judged here.
fn never_keeps(policy: &PolicySpec) -> Option<String> {
    if policy.written.is_some() {
        return None;
    }
    let row = find(KEEP_ALIVE, &policy.name)?;
    (row.never_keeps)(&policy.params).then(|| format!("its keep-alive is `{}`", written_as(row, &policy.params)))
}

/// A keep-alive row with its parameters, as a script writes it:
/// `fixed(0s)`, `none`.
fn written_as(row: &Policy, params: &[f64]) -> String {
    if params.is_empty() {
        return row.choice.word.to_owned();
    }
    let args: Vec<String> = row
        .params
        .iter()
        .zip(params)
        .map(|(param, value)| format!("{value}{}", param.dim.symbol()))
        .collect();
    format!("{}({})", row.choice.word, args.join(", "))
}

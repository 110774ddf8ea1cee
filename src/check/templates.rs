//! Templates: `function resize extends base { ... }` (and images and
//! services) is the base with what the declaration writes over it: a
//! property written replaces the base's of that name, a body or a list of
//! statements (compute hosts, schedulers, ...) replaces the base's. A base
//! may extend another; an unknown base or a cycle is a diagnostic.

use std::borrow::Cow;

use indexmap::IndexMap;

use crate::code::Code;
use crate::diagnostic::{Diagnostic, did_you_mean};
use crate::syntax::ast::{Function, Ident, Item, Member, Property, PropertyDecl, Service};
use crate::syntax::source::FileId;

use super::context::Ctx;

/// The items with every `extends` applied; the others borrowed. A
/// declaration whose `extends` could not be applied keeps it: the checker
/// takes it as broken, without a second diagnostic for its uses.
pub(super) fn apply<'i>(ctx: &mut Ctx, items: &[(FileId, &'i Item)]) -> Vec<(FileId, Cow<'i, Item>)> {
    let mut functions: IndexMap<&str, &Function> = IndexMap::new();
    let mut images: IndexMap<&str, &PropertyDecl> = IndexMap::new();
    let mut services: IndexMap<&str, &Service> = IndexMap::new();
    for (_, item) in items {
        match item {
            Item::Function(f) => {
                functions.entry(&f.name.name).or_insert(f);
            }
            Item::Image(i) => {
                images.entry(&i.name.name).or_insert(i);
            }
            Item::Serverless(s) => {
                services.entry(&s.name.name).or_insert(s);
            }
            _ => {}
        }
    }
    items
        .iter()
        .map(|&(file, item)| {
            let extended = match item {
                Item::Function(f) if f.extends.is_some() => extended(
                    ctx,
                    &f.name,
                    &functions,
                    |f| f.extends.as_ref(),
                    "function",
                    merge_function,
                )
                .map(|mut merged| {
                    merged.member = merged.extends.take().map(|base| extends_note(&merged.name, &base));
                    Item::Function(merged)
                }),
                Item::Image(i) if i.extends.is_some() => {
                    extended(ctx, &i.name, &images, |i| i.extends.as_ref(), "image", merge_image).map(|mut merged| {
                        merged.member = merged.extends.take().map(|base| extends_note(&merged.name, &base));
                        Item::Image(merged)
                    })
                }
                Item::Serverless(s) if s.extends.is_some() => extended(
                    ctx,
                    &s.name,
                    &services,
                    |s| s.extends.as_ref(),
                    "service",
                    merge_service,
                )
                .map(|mut merged| {
                    merged.extends = None;
                    Item::Serverless(merged)
                }),
                _ => None,
            };
            (file, extended.map_or(Cow::Borrowed(item), Cow::Owned))
        })
        .collect()
}

/// The declaration `name` with its bases applied, each written over the
/// one it extends; its `extends` is still the nearest base's name.
fn extended<T: Clone>(
    ctx: &mut Ctx,
    name: &Ident,
    declared: &IndexMap<&str, &T>,
    extends: impl Fn(&T) -> Option<&Ident>,
    kind: &str,
    merge: impl Fn(T, &T) -> T,
) -> Option<T> {
    let chain = chain(ctx, name, declared, extends, kind)?;
    let root = (*chain.last()?).clone();
    Some(chain.iter().rev().skip(1).fold(root, |base, next| merge(base, next)))
}

/// What diagnostics found through a template add.
fn extends_note(name: &Ident, base: &Ident) -> Member {
    Member {
        name: name.name.clone(),
        note: format!("`{}`, which extends `{}`", name.name, base.name),
    }
}

/// The declaration and its bases, nearest first; `None` after a diagnostic
/// (an unknown base or a cycle).
fn chain<'d, T>(
    ctx: &mut Ctx,
    name: &Ident,
    declared: &IndexMap<&str, &'d T>,
    extends: impl Fn(&T) -> Option<&Ident>,
    kind: &str,
) -> Option<Vec<&'d T>> {
    let mut chain: Vec<&'d T> = vec![declared.get(name.name.as_str())?];
    let mut seen = vec![name.name.as_str()];
    while let Some(base) = extends(chain.last()?) {
        if seen.contains(&base.name.as_str()) {
            // The cycle is reported once, at the first of its members.
            let mut members = seen.clone();
            members.sort_unstable();
            let message = format!("the {kind}s `{}` extend each other in a cycle", members.join("`, `"));
            if !ctx.diagnostics.0.iter().any(|d| d.message == message) {
                ctx.error(
                    Diagnostic::new(Code::ExtendsCycle, message, base.span, "this closes the cycle").with_help(
                        format!("let one {kind} stand on its own: write its properties instead of `extends`"),
                    ),
                );
            }
            return None;
        }
        let Some(found) = declared.get(base.name.as_str()) else {
            let code = match kind {
                "function" => Code::UnknownFunction,
                "image" => Code::UnknownImage,
                _ => Code::UnknownService,
            };
            let help = match did_you_mean(&base.name, declared.keys().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("declare the {kind} `{}` to extend, or drop `extends`", base.name),
            };
            ctx.error(
                Diagnostic::new(
                    code,
                    format!("no {kind} named `{}` to extend", base.name),
                    base.span,
                    format!("unknown {kind}"),
                )
                .with_help(help),
            );
            return None;
        };
        seen.push(&base.name);
        chain.push(found);
    }
    Some(chain)
}

/// The base's properties, those of `over` replacing them name by name.
fn merge_properties(base: &[Property], over: &[Property]) -> Vec<Property> {
    base.iter()
        .filter(|p| !over.iter().any(|o| o.name.name == p.name.name))
        .chain(over)
        .cloned()
        .collect()
}

fn merge_function(base: Function, over: &Function) -> Function {
    let limits = match (base.limits.is_empty(), over.limits.is_empty()) {
        (_, true) => base.limits,
        (true, false) => over.limits.clone(),
        (false, false) => {
            let inherited: Vec<Property> = base.limits.iter().flat_map(|(p, _)| p.clone()).collect();
            over.limits
                .iter()
                .enumerate()
                .map(|(n, (written, span))| {
                    // The base's limits join the first block written.
                    let properties = if n == 0 {
                        merge_properties(&inherited, written)
                    } else {
                        written.clone()
                    };
                    (properties, *span)
                })
                .collect()
        }
    };
    Function {
        properties: merge_properties(&base.properties, &over.properties),
        limits,
        bodies: if over.bodies.is_empty() {
            base.bodies
        } else {
            over.bodies.clone()
        },
        ..over.clone()
    }
}

fn merge_image(base: PropertyDecl, over: &PropertyDecl) -> PropertyDecl {
    PropertyDecl {
        properties: merge_properties(&base.properties, &over.properties),
        ..over.clone()
    }
}

fn merge_service(base: Service, over: &Service) -> Service {
    fn pick<T: Clone>(base: Vec<T>, over: &[T]) -> Vec<T> {
        if over.is_empty() { base } else { over.to_vec() }
    }
    Service {
        heads: pick(base.heads, &over.heads),
        compute: pick(base.compute, &over.compute),
        schedulers: pick(base.schedulers, &over.schedulers),
        autoscalers: pick(base.autoscalers, &over.autoscalers),
        sandboxes: pick(base.sandboxes, &over.sandboxes),
        buses: pick(base.buses, &over.buses),
        data_layers: pick(base.data_layers, &over.data_layers),
        prewarms: pick(base.prewarms, &over.prewarms),
        properties: merge_properties(&base.properties, &over.properties),
        ..over.clone()
    }
}

//! Checking layers, images and functions: sizes, limits and body steps,
//! including the `trace.*` amounts that make a function a trace template.

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::function::*;
use crate::ir::service::StorageId;
use crate::language::properties::Owner;
use crate::syntax::ast::{self, Expr, ExprKind, Ident, StepKind};

use super::context::{Ctx, Names, Props};
use super::eval::describe_expr;
use crate::language::units::Dim;

/// The name a property's value designates (`image runtime`).
pub(crate) fn name_value<'e>(ctx: &mut Ctx, expr: &'e Expr, what: &str) -> Option<&'e Ident> {
    match &expr.kind {
        ExprKind::Name(name) => Some(name),
        _ => {
            ctx.error(
                Diagnostic::new(
                    Code::TypeMismatch,
                    format!("expected the name of {what}, found {}", describe_expr(expr)),
                    expr.span,
                    format!("not {what}"),
                )
                .with_help(format!("write the name of {what} as declared, without quotes")),
            );
            None
        }
    }
}

pub(crate) fn check_layer(ctx: &mut Ctx, decl: &ast::PropertyDecl, layers: &mut Names<LayerId>, out: &mut Vec<Layer>) {
    let props = Props::new(
        ctx,
        &decl.properties,
        &Owner::Layer.names(""),
        format!("layer `{}`", decl.name.name),
        decl.name.span,
    );
    let size = props
        .required(ctx, "size", "100MB")
        .and_then(|e| ctx.non_negative(e, Dim::Size));
    let ram = props.get("ram").map(|e| ctx.non_negative(e, Dim::Size));
    let (Some(size), Some(ram)) = (size, ram.unwrap_or(size)) else {
        layers.declare_broken(&decl.name);
        return;
    };
    if layers.declare(ctx, &decl.name, LayerId(out.len() as u32)) {
        out.push(Layer {
            name: decl.name.name.clone(),
            size,
            ram,
        });
    }
}

pub(crate) fn check_image(
    ctx: &mut Ctx,
    decl: &ast::PropertyDecl,
    layer_names: &mut Names<LayerId>,
    layers: &mut Vec<Layer>,
    storages: &Names<StorageId>,
    images: &mut Names<ImageId>,
    out: &mut Vec<Image>,
) {
    let owner = format!("image `{}`", decl.name.name);
    let props = Props::new(
        ctx,
        &decl.properties,
        &Owner::Image.names(""),
        owner.clone(),
        decl.name.span,
    );
    let origin = match props.get("from") {
        None => Some(None),
        Some(e) => name_value(ctx, e, "a storage")
            .and_then(|n| storages.resolve(ctx, n))
            .map(Some),
    };
    let image_layers = match (props.get("layers"), props.get("size")) {
        (Some(list), size) => {
            if let Some(size) = size.or(props.get("ram")) {
                ctx.error(
                    Diagnostic::new(
                        Code::ConflictingProperties,
                        format!("{owner} has both `layers` and a size of its own"),
                        size.span,
                        "remove this",
                    )
                    .with_label(list.span, "the image's size is the sum of its layers")
                    .with_help("give sizes to the layers, or drop `layers` and give the image a `size`"),
                );
                None
            } else {
                image_layer_list(ctx, list, layer_names)
            }
        }
        (None, _) => {
            let size = props
                .required(ctx, "size", "250MB")
                .and_then(|e| ctx.non_negative(e, Dim::Size));
            let ram = props.get("ram").map(|e| ctx.non_negative(e, Dim::Size));
            match (size, ram.unwrap_or(size)) {
                (Some(size), Some(ram)) => {
                    // A single-file image is one layer of its own, named after it.
                    let id = LayerId(layers.len() as u32);
                    layers.push(Layer {
                        name: decl.name.name.clone(),
                        size,
                        ram,
                    });
                    Some(vec![id])
                }
                _ => None,
            }
        }
    };
    let (Some(origin), Some(image_layers)) = (origin, image_layers) else {
        images.declare_broken(&decl.name);
        return;
    };
    if images.declare(ctx, &decl.name, ImageId(out.len() as u32)) {
        out.push(Image {
            name: decl.name.name.clone(),
            layers: image_layers,
            origin,
        });
    }
}

fn image_layer_list(ctx: &mut Ctx, list: &Expr, layers: &Names<LayerId>) -> Option<Vec<LayerId>> {
    let ExprKind::List(items) = &list.kind else {
        ctx.error(
            Diagnostic::new(
                Code::TypeMismatch,
                format!("expected a list of layers, found {}", describe_expr(list)),
                list.span,
                "not a list",
            )
            .with_help("write `layers [base, numpy]`"),
        );
        return None;
    };
    if items.is_empty() {
        ctx.error(
            Diagnostic::new(
                Code::OutOfRange,
                "an image needs at least one layer",
                list.span,
                "empty list",
            )
            .with_help("write `layers [base]`, or give the image a `size`"),
        );
        return None;
    }
    let mut ids = Vec::new();
    let mut listed = std::collections::HashSet::new();
    let mut ok = true;
    for item in items {
        match name_value(ctx, item, "a layer").and_then(|n| layers.resolve(ctx, n)) {
            Some(id) if !listed.insert(id) => {
                ctx.error(
                    Diagnostic::new(
                        Code::DuplicateLayer,
                        "this layer is listed twice",
                        item.span,
                        "listed again",
                    )
                    .with_help("list each layer of an image once"),
                );
                ok = false;
            }
            Some(id) => ids.push(id),
            None => ok = false,
        }
    }
    ok.then_some(ids)
}

/// Function properties and limits that are checked here.
pub(crate) fn check_function(
    ctx: &mut Ctx,
    decl: &ast::Function,
    images: &Names<ImageId>,
    storages: &Names<StorageId>,
) -> Option<Function> {
    let owner = format!("function `{}`", decl.name.name);
    let props = Props::new(
        ctx,
        &decl.properties,
        &Owner::Function.names(""),
        owner.clone(),
        decl.name.span,
    );
    let image = props
        .required(ctx, "image", "runtime")
        .and_then(|e| name_value(ctx, e, "an image"))
        .and_then(|n| images.resolve(ctx, n));
    let app = match props.get("app") {
        None => Some(decl.name.name.clone()),
        Some(e) => match &e.kind {
            ExprKind::Name(n) => Some(n.name.clone()),
            _ => ctx.string(e, "\"photos\""),
        },
    };
    let keep_alive = match props.get("keep_alive") {
        None => Some(None),
        Some(e) => super::keep_alive::keep_alive(ctx, e).map(Some),
    };
    let mut template = false;
    let limits = match decl.limits.as_slice() {
        [] => Some(Limits {
            time: None,
            disk: 0.0,
            ram: Amount::Drawn(crate::ir::Distribution::Constant(0.0)),
            ingress: None,
            egress: None,
            concurrency: 1,
            cpu: None,
        }),
        [(properties, span), rest @ ..] => {
            for (_, extra) in rest {
                ctx.error(
                    Diagnostic::new(
                        Code::DuplicateProperty,
                        format!("{owner} has two `limits` blocks"),
                        *extra,
                        "second block",
                    )
                    .with_label(*span, "first block")
                    .with_help("put all limits in one `limits { ... }`"),
                );
            }
            limits(ctx, properties, &owner, *span, &mut template)
        }
    };
    let mut body = Vec::new();
    let mut body_ok = true;
    for (i, (steps, span)) in decl.bodies.iter().enumerate() {
        if i > 0 {
            ctx.error(
                Diagnostic::new(
                    Code::DuplicateProperty,
                    format!("{owner} has two bodies"),
                    *span,
                    "second body",
                )
                .with_help("put all steps in one `body { ... }`, in the order they run"),
            );
            body_ok = false;
            continue;
        }
        for step in steps {
            match check_step(ctx, step, storages, &mut template) {
                Some(s) => body.push(s),
                None => body_ok = false,
            }
        }
    }
    Some(Function {
        name: decl.name.name.clone(),
        image: image?,
        app: app?,
        limits: limits?,
        body: body_ok.then_some(body)?,
        template,
        keep_alive: keep_alive?,
    })
}

fn limits(
    ctx: &mut Ctx,
    properties: &[ast::Property],
    owner: &str,
    span: crate::syntax::source::Span,
    template: &mut bool,
) -> Option<Limits> {
    let props = Props::new(
        ctx,
        properties,
        &Owner::Limits.names(""),
        format!("the limits of {owner}"),
        span,
    );
    let time = match props.get("time") {
        None => Some(None),
        // WRENCH: a time limit of 0 means none. A negative one, which
        // WRENCH also takes for none, is refused: it is a slip (a swept
        // expression gone below zero), not a way to write "no limit".
        Some(e) => ctx.non_negative(e, Dim::Time).map(|t| (t > 0.0).then_some(t)),
    };
    let disk = props.get("disk").map_or(Some(0.0), |e| ctx.non_negative(e, Dim::Size));
    let ram = match props.get("ram") {
        None => Some(Amount::Drawn(crate::ir::Distribution::Constant(0.0))),
        Some(e) => match trace_amount(ctx, e, Dim::Size) {
            Some(Some(amount)) => {
                *template = true;
                Some(amount)
            }
            Some(None) => ctx
                .non_negative(e, Dim::Size)
                .map(|v| Amount::Drawn(crate::ir::Distribution::Constant(v))),
            None => None,
        },
    };
    let optional = |ctx: &mut Ctx, name: &str| match props.get(name) {
        None => Some(None),
        Some(e) => ctx.non_negative(e, Dim::Size).map(Some),
    };
    let ingress = optional(ctx, "ingress");
    let egress = optional(ctx, "egress");
    let concurrency = props
        .get("concurrency")
        .map_or(Some(1), |e| ctx.count_in(e, 1, u32::MAX as u64).map(|n| n as u32));
    let cpu = match props.get("cpu") {
        None => Some(None),
        Some(e) => cores(ctx, e).map(Some),
    };
    Some(Limits {
        time: time?,
        disk: disk?,
        ram: ram?,
        ingress: ingress?,
        egress: egress?,
        concurrency: concurrency?,
        cpu: cpu?,
    })
}

/// A `cpu` limit: cores as a plain number (`0.5`, `2`) or a percentage of
/// one (`50%`), above zero. Kubernetes' millicores (`500m`) get their own help.
fn cores(ctx: &mut Ctx, expr: &Expr) -> Option<f64> {
    if let Some(Expr {
        kind: ExprKind::Quantity(q),
        ..
    }) = ctx.resolve(expr)
        && let (Some(unit), None) = (&q.unit, &q.per)
        && unit.name == "m"
    {
        ctx.error(
            Diagnostic::new(Code::UnknownUnit, "cores take no unit `m`", unit.span, "millicores?").with_help(format!(
                "write cores as a plain number: Kubernetes' `{}m` is `cpu {}`",
                q.digits,
                super::eval::render(q.value / 1000.0)
            )),
        );
        return None;
    }
    ctx.positive(expr, Dim::Number)
}

/// `trace.duration` / `trace.memory`: `Some(Some(..))` when the expression
/// is one of them (and fits `dim`), `Some(None)` when it is something else,
/// `None` after a diagnostic.
fn trace_amount(ctx: &mut Ctx, expr: &Expr, dim: Dim) -> Option<Option<Amount>> {
    let ExprKind::Path(parts) = &expr.kind else {
        return Some(None);
    };
    let names: Vec<&str> = parts.iter().map(|p| p.name.as_str()).collect();
    let (amount, amount_dim) = match names.as_slice() {
        ["trace", "duration"] => (Amount::TraceDuration, Dim::Time),
        ["trace", "memory"] => (Amount::TraceMemory, Dim::Size),
        _ => {
            ctx.error(
                Diagnostic::new(
                    Code::UnknownTraceField,
                    format!("`{}` is not a trace field", names.join(".")),
                    expr.span,
                    "unknown field",
                )
                .with_help("a template may use `trace.duration` (seconds) and `trace.memory` (bytes)"),
            );
            return None;
        }
    };
    if amount_dim != dim {
        ctx.error(
            Diagnostic::new(
                Code::UnitMismatch,
                format!("expected {dim}, found `{}`, which is {amount_dim}", names.join(".")),
                expr.span,
                "wrong dimension",
            )
            .with_help(match dim {
                Dim::Time => "use `trace.duration` for times",
                Dim::Size => "use `trace.memory` for sizes",
                _ => "trace fields are a time (`trace.duration`) and a size (`trace.memory`)",
            }),
        );
        return None;
    }
    Some(Some(amount))
}

fn amount(ctx: &mut Ctx, expr: &Expr, dim: Dim, template: &mut bool) -> Option<Amount> {
    match trace_amount(ctx, expr, dim)? {
        Some(amount) => {
            *template = true;
            Some(amount)
        }
        None => ctx.distribution(expr, dim).map(Amount::Drawn),
    }
}

fn check_step(ctx: &mut Ctx, step: &ast::Step, storages: &Names<StorageId>, template: &mut bool) -> Option<Step> {
    let storage = match &step.storage {
        None => Some(None),
        Some(name) => storages.resolve(ctx, name).map(Some),
    };
    Some(match step.kind {
        StepKind::Sleep => Step::Sleep(amount(ctx, &step.amount, Dim::Time, template)?),
        StepKind::Compute => Step::Compute(amount(ctx, &step.amount, Dim::Flops, template)?),
        StepKind::Read => Step::Read {
            bytes: amount(ctx, &step.amount, Dim::Size, template)?,
            from: storage?,
        },
        StepKind::Write => Step::Write {
            bytes: amount(ctx, &step.amount, Dim::Size, template)?,
            to: storage?,
        },
        StepKind::Output => Step::Output(amount(ctx, &step.amount, Dim::Size, template)?),
        StepKind::Fail => {
            let p = ctx.quantity(&step.amount, Dim::Number)?;
            if !(0.0..=1.0).contains(&p) {
                ctx.out_of_range(
                    &step.amount,
                    "is not a probability between 0% and 100%".to_string(),
                    "write a percentage such as `2%`",
                );
                return None;
            }
            Step::Fail(p)
        }
    })
}

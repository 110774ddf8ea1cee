//! The `cost` block: the prices the run is billed at (`ir::cost::Prices`).
//! One block at most (an included price list is one); each price a plain
//! number of the currency, at least zero, its unit being its name; a price
//! left out is 0.

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::cost::Prices;
use crate::language::properties::Owner;
use crate::language::units::{Dim, MAX_AMOUNT};
use crate::syntax::ast::{CostDecl, Expr, ExprKind, Item};
use crate::syntax::source::{FileId, Span};

use super::context::{Ctx, Props};

/// The prices of the script's `cost` block, if it has one (and it is right).
pub(crate) fn check_cost(ctx: &mut Ctx, items: &[(FileId, &Item)]) -> Option<Prices> {
    let mut blocks = items.iter().filter_map(|(_, item)| match item {
        Item::Cost(c) => Some(c),
        _ => None,
    });
    let first: &CostDecl = blocks.next()?;
    // The keyword: a block's span is all its lines.
    let keyword = |c: &CostDecl| Span {
        end: c.span.start + "cost".len() as u32,
        ..c.span
    };
    for again in blocks {
        ctx.error(
            Diagnostic::new(
                Code::DuplicateCost,
                "the script has two `cost` blocks",
                keyword(again),
                "second `cost` block",
            )
            .with_label(keyword(first), "first `cost` block")
            .with_help("keep one `cost` block; `sls run --cost PRICES` overrides it for one run"),
        );
    }
    let props = Props::new(
        ctx,
        &first.properties,
        &Owner::Cost.names(""),
        "`cost`".to_string(),
        first.span,
    );
    let mut prices = Prices::default();
    let mut right = true;
    for (name, price) in [
        ("per_gb_second", &mut prices.per_gb_second),
        ("per_request", &mut prices.per_request),
        ("per_gb_transferred", &mut prices.per_gb_transferred),
        ("per_idle_gb_second", &mut prices.per_idle_gb_second),
    ] {
        let Some(expr) = props.get(name) else {
            continue;
        };
        match price_of(ctx, name, expr) {
            Some(value) => *price = value,
            None => right = false,
        }
    }
    right.then_some(prices)
}

/// The price `name` is set to by `expr`: a plain number, at least zero.
fn price_of(ctx: &mut Ctx, name: &str, expr: &Expr) -> Option<f64> {
    let value = ctx.resolve(expr)?;
    if let ExprKind::Quantity(q) = &value.kind
        && let Some(unit) = q.unit.as_ref().or(q.per.as_ref())
    {
        let written = if q.unit.is_some() {
            unit.name.clone()
        } else {
            format!("/{}", unit.name)
        };
        let mut diagnostic = Diagnostic::new(
            Code::PriceWithUnit,
            format!("a price is a plain number, but `{name}` is written with `{written}`"),
            value.span,
            "a price has no unit",
        )
        .with_help(format!(
            "the unit is in the name: `{name}` is the currency {}; write `{name} {}`",
            per(name),
            q.digits
        ));
        if value.span != expr.span {
            diagnostic = diagnostic.with_label(expr.span, "used here");
        }
        ctx.error(diagnostic);
        return None;
    }
    let price = ctx.quantity(expr, Dim::Number)?;
    if price < 0.0 || !price.is_finite() {
        let written = ctx.written(expr);
        ctx.error(
            Diagnostic::new(
                Code::NegativePrice,
                format!("`{name}` is negative (`{written}`): a price is zero or more"),
                expr.span,
                "a negative price",
            )
            .with_help("write zero or more; a price left out is 0"),
        );
        return None;
    }
    // Bounded as amounts are: a price of 1e308 made every bill infinite
    // (`null` in `summary.json`).
    if price > MAX_AMOUNT {
        let written = ctx.written(expr);
        ctx.out_of_range(
            expr,
            format!("must be at most 1e18, not `{written}`"),
            "write a price from 0 to 1e18, such as 0.0000166667",
        );
        return None;
    }
    Some(price)
}

/// What a price is per, for help.
fn per(name: &str) -> &'static str {
    match name {
        "per_gb_second" => "per GB-second of memory of running invocations",
        "per_request" => "per request",
        "per_gb_transferred" => "per GB read or written over the network",
        _ => "per GB-second of memory of idle containers",
    }
}

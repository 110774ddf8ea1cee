//! Every parameter's value at a sweep point, for results: as written, and
//! in SI units with its unit's symbol when it is a quantity (so that
//! `runs.csv` has one numeric column per parameter, its unit in the header).

use indexmap::IndexMap;

use crate::ir::Setting;
use crate::syntax::ast::ExprKind;

use super::budget::Limits;
use super::context::{Ctx, ParamValue};
use super::expr_text;
use super::load::Loaded;
use crate::language::units::{Dim, lookup, per_time};

/// The settings of `params`, in declaration order. A value that is no
/// quantity (a word, a string, a call) has only its text.
pub(crate) fn settings(params: &IndexMap<String, ParamValue>, loaded: &Loaded) -> Vec<Setting> {
    // Values are converted by the checker's own rules; a value that does
    // not convert has been (or will be) reported where it is used.
    let mut ctx = Ctx::new(params, loaded, Limits::default());
    params
        .iter()
        .map(|(name, param)| {
            let value = ctx.resolve(&param.value).cloned();
            let quantity = value.as_ref().and_then(|value| {
                let dim = dimension(&value.kind)?;
                Some((ctx.quantity(value, dim)?, dim.symbol()))
            });
            Setting {
                name: name.clone(),
                text: value.as_ref().map_or_else(|| expr_text(&param.value), expr_text),
                quantity,
            }
        })
        .collect()
}

/// The dimension a quantity is written in, from its units.
fn dimension(kind: &ExprKind) -> Option<Dim> {
    let ExprKind::Quantity(q) = kind else { return None };
    let base = match &q.unit {
        None => Dim::Number,
        Some(unit) => lookup(&unit.name)?.dim,
    };
    match &q.per {
        None => Some(base),
        Some(_) => per_time(base),
    }
}

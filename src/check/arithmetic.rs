//! Arithmetic in values: `+ - * / ^` and a sign, on plain numbers and
//! quantities, with dimensions checked as a physicist would: terms of a sum
//! are alike, a quantity is scaled by plain numbers, a power is a plain
//! number (`300^((k - 1) / 49) * 1/min` is a rate).

use crate::code::Code;
use crate::language::units::{Dim, MAX_AMOUNT, lookup, per_time};
use crate::syntax::ast::{BinaryOp, Expr, ExprKind};

use super::context::Ctx;
use super::eval::render;

/// How deep parameters may refer to parameters while a dimension is read.
const MAX_DEPTH: usize = 16;

impl Ctx<'_> {
    /// The value of an arithmetic expression `expr` (written at `use_site`,
    /// maybe through parameters) as an amount of `dim`, in SI units.
    pub(super) fn arithmetic(&mut self, expr: &Expr, use_site: &Expr, dim: Dim) -> Option<f64> {
        if dim != Dim::Number && self.dimension(expr, 0) == Some(Dim::Number) {
            let help = format!(
                "multiply it by a unit: `({}) * {}`",
                super::expr_text(expr),
                dim.example("1")
            );
            self.value_error(
                Code::MissingUnit,
                format!("this calculation gives a plain number where {dim} is needed"),
                expr,
                use_site,
                help,
            );
            return None;
        }
        let value = match &expr.kind {
            ExprKind::Negative(operand) => -self.quantity(operand, dim)?,
            ExprKind::Binary { op, left, right } => match op {
                BinaryOp::Add | BinaryOp::Subtract => {
                    let (left, right) = (self.quantity(left, dim), self.quantity(right, dim));
                    let (left, right) = (left?, right?);
                    if *op == BinaryOp::Add {
                        left + right
                    } else {
                        left - right
                    }
                }
                BinaryOp::Multiply => {
                    // The plain number scales the quantity, on either side.
                    let (left_dim, right_dim) = if self.dimension(left, 0) == Some(Dim::Number) {
                        (Dim::Number, dim)
                    } else {
                        (dim, Dim::Number)
                    };
                    let (left, right) = (self.quantity(left, left_dim), self.quantity(right, right_dim));
                    left? * right?
                }
                BinaryOp::Divide => {
                    // A ratio of like quantities is a plain number.
                    let below = match self.dimension(right, 0) {
                        Some(found) if dim == Dim::Number => found,
                        _ => Dim::Number,
                    };
                    let above = if dim == Dim::Number { below } else { dim };
                    let (left, divisor) = (self.quantity(left, above), self.quantity(right, below));
                    let (left, divisor) = (left?, divisor?);
                    if divisor == 0.0 {
                        self.value_error(
                            Code::OutOfRange,
                            "this calculation divides by zero".to_string(),
                            right,
                            use_site,
                            "divide by a value other than zero".to_string(),
                        );
                        return None;
                    }
                    left / divisor
                }
                BinaryOp::Power => {
                    let (base, exponent) = (self.quantity(left, Dim::Number), self.quantity(right, Dim::Number));
                    base?.powf(exponent?)
                }
            },
            _ => return self.quantity(expr, dim),
        };
        if value.is_finite() && (dim == Dim::Number || value.abs() <= MAX_AMOUNT) {
            return Some(value);
        }
        let value_text = if value.is_finite() {
            render(value)
        } else {
            "no number".to_string()
        };
        self.value_error(
            Code::OutOfRange,
            format!("this calculation comes to {value_text}, beyond what a value may be"),
            expr,
            use_site,
            "write a calculation whose result is a finite amount of at most 1e18 in SI units".to_string(),
        );
        None
    }

    /// The dimension `expr` has as written, without diagnostics (`None`
    /// when it cannot tell: evaluating it then says what is wrong).
    fn dimension(&self, expr: &Expr, depth: usize) -> Option<Dim> {
        if depth > MAX_DEPTH {
            return None;
        }
        match &expr.kind {
            ExprKind::Quantity(q) => {
                if q.percent {
                    return Some(Dim::Number);
                }
                let unit = match &q.unit {
                    Some(unit) => lookup(&unit.name)?.dim,
                    None => Dim::Number,
                };
                match &q.per {
                    Some(_) => per_time(unit),
                    None => Some(unit),
                }
            }
            ExprKind::Name(name) => self.dimension(&self.params.get(&name.name)?.value, depth + 1),
            ExprKind::Negative(operand) => self.dimension(operand, depth + 1),
            ExprKind::Binary { op, left, right } => {
                let (left, right) = (self.dimension(left, depth + 1), self.dimension(right, depth + 1));
                match op {
                    BinaryOp::Add | BinaryOp::Subtract => left.or(right),
                    BinaryOp::Multiply => match (left?, right?) {
                        (Dim::Number, other) | (other, Dim::Number) => Some(other),
                        _ => None,
                    },
                    BinaryOp::Divide => match (left?, right?) {
                        (above, Dim::Number) => Some(above),
                        (above, below) if above == below => Some(Dim::Number),
                        _ => None,
                    },
                    BinaryOp::Power => Some(Dim::Number),
                }
            }
            _ => None,
        }
    }
}

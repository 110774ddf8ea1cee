//! Values: quantities, strings, names, calls, lists, ranges and indexed names.

use pest::iterators::Pair;

use super::Walker;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{DiskRef, ElementRef, Expr, ExprKind, Index, Quantity};
use crate::syntax::grammar::Rule;

impl Walker<'_> {
    /// An `expr` pair, or any of the rules an expression is made of.
    pub(crate) fn expr(&mut self, pair: Pair<Rule>) -> Expr {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::expr => {
                let inner = pair.into_inner().next();
                return match inner {
                    Some(inner) => self.expr(inner),
                    None => Expr {
                        kind: ExprKind::List(Vec::new()),
                        span,
                    },
                };
            }
            Rule::range => {
                let mut parts = pair.into_inner().filter(|p| p.as_rule() != Rule::range_op);
                let low = parts.next().map(|p| self.expr(p));
                let high = parts.next().map(|p| self.expr(p));
                match (low, high) {
                    (Some(low), Some(high)) => ExprKind::Range(Box::new(low), Box::new(high)),
                    _ => ExprKind::List(Vec::new()),
                }
            }
            Rule::quantity => ExprKind::Quantity(self.quantity(pair)),
            Rule::string => ExprKind::Str(self.string(pair).value),
            Rule::ident => ExprKind::Name(self.ident(pair)),
            Rule::path => ExprKind::Path(pair.into_inner().map(|p| self.ident(p)).collect()),
            Rule::call => {
                let mut inner = pair.into_inner();
                let name = match inner.next() {
                    Some(p) => self.ident(p),
                    None => return self.empty(span),
                };
                let args = inner.map(|p| self.expr(p)).collect();
                ExprKind::Call { name, args }
            }
            Rule::list => ExprKind::List(pair.into_inner().map(|p| self.expr(p)).collect()),
            Rule::indexed => {
                let r = self.element_ref(pair);
                match r.index {
                    Some(index) => ExprKind::Indexed {
                        base: r.name,
                        index: Box::new(index),
                    },
                    None => ExprKind::Name(r.name),
                }
            }
            _ => return self.empty(span),
        };
        Expr { kind, span }
    }

    fn empty(&self, span: crate::syntax::source::Span) -> Expr {
        Expr {
            kind: ExprKind::List(Vec::new()),
            span,
        }
    }

    fn quantity(&mut self, pair: Pair<Rule>) -> Quantity {
        let mut quantity = Quantity {
            value: 0.0,
            digits: String::new(),
            unit: None,
            per: None,
            percent: false,
        };
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::number => {
                    quantity.digits = part.as_str().to_string();
                    quantity.value = match part.as_str().parse::<f64>() {
                        Ok(v) if v.is_finite() => v,
                        _ => {
                            self.diagnostics.push(
                                Diagnostic::new(
                                    "sls::parse::number_out_of_range",
                                    format!("`{}` is too large to be a number", part.as_str()),
                                    self.span(&part),
                                    "out of range",
                                )
                                .with_help("write a smaller number, or use a larger unit"),
                            );
                            0.0
                        }
                    };
                }
                Rule::unit => quantity.unit = Some(self.ident(part)),
                Rule::per => {
                    if let Some(unit) = part.into_inner().next() {
                        quantity.per = Some(self.ident(unit));
                    }
                }
                Rule::percent_sign => quantity.percent = true,
                _ => {}
            }
        }
        quantity
    }

    /// `host_ref`, `link_ref` or `indexed`: a name with an optional index.
    pub(crate) fn element_ref(&mut self, pair: Pair<Rule>) -> ElementRef {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let name = match inner.next() {
            Some(p) => self.ident(p),
            None => crate::syntax::ast::Ident {
                name: String::new(),
                span,
            },
        };
        let index = inner.next().and_then(|index| {
            let index_span = self.span(&index);
            let value = index.into_inner().next()?;
            Some(match value.as_rule() {
                Rule::all_index => Index::All(index_span),
                _ => Index::Expr(self.expr(value)),
            })
        });
        ElementRef { name, index, span }
    }

    pub(crate) fn disk_ref(&mut self, pair: Pair<Rule>) -> Option<DiskRef> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let host = self.element_ref(inner.next()?);
        let mount = self.string(inner.next()?);
        Some(DiskRef { host, mount, span })
    }
}

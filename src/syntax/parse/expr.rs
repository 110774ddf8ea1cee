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
                let mut terms = pair.into_inner().filter(|p| p.as_rule() != Rule::range_op);
                let first = terms.next().map(|p| self.expr(p));
                let second = terms.next().map(|p| self.expr(p));
                return match (first, second) {
                    (Some(low), Some(high)) => Expr {
                        kind: ExprKind::Range(Box::new(low), Box::new(high)),
                        span,
                    },
                    (Some(single), None) => single,
                    _ => self.empty(span),
                };
            }
            Rule::quantity => ExprKind::Quantity(self.quantity(pair)),
            Rule::string => ExprKind::Str(self.string(pair).value),
            Rule::list => ExprKind::List(pair.into_inner().map(|p| self.expr(p)).collect()),
            Rule::named => {
                let mut inner = pair.into_inner();
                let Some(name) = inner.next().map(|p| self.ident(p)) else {
                    return self.empty(span);
                };
                match inner.next() {
                    None => ExprKind::Name(name),
                    Some(tail) => match tail.as_rule() {
                        Rule::call_args => ExprKind::Call {
                            name,
                            args: tail.into_inner().map(|p| self.expr(p)).collect(),
                        },
                        Rule::path_rest => {
                            let mut parts = vec![name];
                            parts.extend(tail.into_inner().map(|p| self.ident(p)));
                            ExprKind::Path(parts)
                        }
                        _ => match tail.into_inner().next().and_then(|index| self.index(index)) {
                            Some(index) => ExprKind::Indexed {
                                base: name,
                                index: Box::new(index),
                            },
                            None => ExprKind::Name(name),
                        },
                    },
                }
            }
            _ => return self.empty(span),
        };
        Expr { kind, span }
    }

    /// An empty list: what a pair the walk cannot read stands for. The
    /// grammar makes this unreachable for valid parses.
    fn empty(&self, span: crate::syntax::source::Span) -> Expr {
        Expr {
            kind: ExprKind::List(Vec::new()),
            span,
        }
    }

    /// An `index` pair: `*` or an expression.
    fn index(&mut self, index: Pair<Rule>) -> Option<Index> {
        let index_span = self.span(&index);
        let value = index.into_inner().next()?;
        Some(match value.as_rule() {
            Rule::all_index => Index::All(index_span),
            _ => Index::Expr(self.expr(value)),
        })
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

    /// `host_ref` or `link_ref`: a name with an optional index.
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
        let index = inner.next().and_then(|index| self.index(index));
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

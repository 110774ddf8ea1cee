//! `serverless name { ... }` blocks.

use pest::iterators::Pair;

use super::Walker;
use super::recover::Context;
use crate::syntax::ast::{Prewarm, Scheduler, Section, Service};
use crate::syntax::grammar::Rule;

impl Walker<'_> {
    pub(crate) fn service(&mut self, pair: Pair<Rule>) -> Option<Service> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let name = self.ident(inner.next()?);
        let mut service = Service {
            name,
            heads: Vec::new(),
            compute: Vec::new(),
            schedulers: Vec::new(),
            sandboxes: Vec::new(),
            buses: Vec::new(),
            data_layers: Vec::new(),
            prewarms: Vec::new(),
            properties: Vec::new(),
            span,
        };
        for stmt in inner {
            let stmt_span = self.span(&stmt);
            match stmt.as_rule() {
                Rule::head_decl => {
                    if let Some(disk) = stmt.into_inner().nth(1).and_then(|p| self.disk_ref(p)) {
                        service.heads.push(disk);
                    }
                }
                Rule::compute_decl => {
                    let hosts = stmt
                        .into_inner()
                        .filter(|p| p.as_rule() == Rule::host_ref)
                        .map(|p| self.element_ref(p))
                        .collect();
                    service.compute.push(hosts);
                }
                Rule::scheduler_decl => {
                    let mut parts = stmt.into_inner().skip(1);
                    let Some(policy) = parts.next().map(|p| self.expr(p)) else {
                        continue;
                    };
                    let properties = parts.next().map(|p| self.prop_block(p)).unwrap_or_default();
                    service.schedulers.push(Scheduler {
                        policy,
                        properties,
                        span: stmt_span,
                    });
                }
                Rule::sandbox_decl | Rule::bus_decl | Rule::data_decl => {
                    let rule = stmt.as_rule();
                    let mut parts = stmt.into_inner().skip(1);
                    let Some(kind) = parts.next().map(|p| self.ident(p)) else {
                        continue;
                    };
                    let properties = parts.next().map(|p| self.prop_block(p)).unwrap_or_default();
                    let section = Section {
                        kind,
                        properties,
                        span: stmt_span,
                    };
                    match rule {
                        Rule::sandbox_decl => service.sandboxes.push(section),
                        Rule::bus_decl => service.buses.push(section),
                        _ => service.data_layers.push(section),
                    }
                }
                Rule::prewarm_decl => {
                    let mut parts = stmt.into_inner().skip(1);
                    let Some(function) = parts.next().map(|p| self.ident(p)) else {
                        continue;
                    };
                    let count = parts.next().map(|p| self.expr(p));
                    service.prewarms.push(Prewarm {
                        function,
                        count,
                        span: stmt_span,
                    });
                }
                Rule::property => service.properties.extend(self.property(stmt)),
                Rule::bad_stmt => self.bad_statement(stmt, Context::Service),
                _ => {}
            }
        }
        Some(service)
    }
}

//! Top-level items and the blocks that are mostly properties: platform,
//! storage, layers, images, functions, workflows and sweeps.

use pest::iterators::Pair;

use super::Walker;
use super::recover::Context;
use crate::syntax::ast::*;
use crate::syntax::grammar::Rule;

impl Walker<'_> {
    pub(crate) fn file(&mut self, root: Pair<Rule>) -> File {
        let mut items = Vec::new();
        for pair in root.into_inner() {
            match pair.as_rule() {
                Rule::bad_item => self.bad_statement(pair, Context::Item),
                Rule::EOI => {}
                _ => {
                    if let Some(item) = self.item(pair) {
                        items.push(item);
                    }
                }
            }
        }
        File { items }
    }

    fn item(&mut self, pair: Pair<Rule>) -> Option<Item> {
        let span = self.span(&pair);
        Some(match pair.as_rule() {
            Rule::include_decl => Item::Include(self.string(pair.into_inner().nth(1)?)),
            Rule::param_decl => {
                let mut inner = pair.into_inner().skip(1);
                let name = self.ident(inner.next()?);
                let value = self.expr(inner.nth(1)?);
                Item::Param(Param { name, value, span })
            }
            Rule::platform_block => Item::Platform(self.platform(pair)),
            Rule::storage_decl => {
                let mut inner = pair.into_inner().skip(1);
                let name = self.ident(inner.next()?);
                let disk = self.disk_ref(inner.nth(1)?)?;
                let properties = inner.next().map(|p| self.prop_block(p)).unwrap_or_default();
                Item::Storage(Storage {
                    name,
                    disk,
                    properties,
                    span,
                })
            }
            Rule::serverless_block => Item::Serverless(self.service(pair)?),
            Rule::layer_decl => Item::Layer(self.property_decl(pair)?),
            Rule::image_decl => Item::Image(self.property_decl(pair)?),
            Rule::function_decl => Item::Function(self.function(pair)?),
            Rule::workload_block => Item::Workload(self.workload(pair)),
            Rule::workflow_decl => Item::Workflow(self.workflow(pair)?),
            Rule::sweep_decl => Item::Sweep(self.sweep(pair)),
            _ => return None,
        })
    }

    /// The properties of a `{ ... }` block; skipped lines become diagnostics.
    pub(crate) fn prop_block(&mut self, pair: Pair<Rule>) -> Vec<Property> {
        let mut properties = Vec::new();
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::property => properties.extend(self.property(p)),
                Rule::bad_stmt => self.bad_statement(p, Context::Properties),
                _ => {}
            }
        }
        properties
    }

    pub(crate) fn property(&mut self, pair: Pair<Rule>) -> Option<Property> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let name = self.ident(inner.next()?);
        let value = self.expr(inner.next()?);
        Some(Property { name, value, span })
    }

    fn decl_name(&mut self, pair: Pair<Rule>) -> Option<DeclName> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let name = self.ident(inner.next()?);
        let range = inner.next().map(|p| self.expr(p));
        Some(DeclName { name, range, span })
    }

    fn property_decl(&mut self, pair: Pair<Rule>) -> Option<PropertyDecl> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let name = self.ident(inner.next()?);
        let properties = self.prop_block(inner.next()?);
        Some(PropertyDecl { name, properties, span })
    }

    fn platform(&mut self, pair: Pair<Rule>) -> Platform {
        let mut platform = Platform {
            hosts: Vec::new(),
            links: Vec::new(),
            routes: Vec::new(),
            network: Vec::new(),
            failures: Vec::new(),
            span: self.span(&pair),
        };
        for stmt in pair.into_inner() {
            let span = self.span(&stmt);
            match stmt.as_rule() {
                Rule::host_decl => {
                    let mut inner = stmt.into_inner().skip(1);
                    let Some(name) = inner.next().and_then(|p| self.decl_name(p)) else {
                        continue;
                    };
                    let mut host = HostDecl {
                        name,
                        properties: Vec::new(),
                        disks: Vec::new(),
                        span,
                    };
                    for p in inner {
                        match p.as_rule() {
                            Rule::property => host.properties.extend(self.property(p)),
                            Rule::disk_decl => host.disks.extend(self.disk(p)),
                            Rule::bad_stmt => self.bad_statement(p, Context::Host),
                            _ => {}
                        }
                    }
                    platform.hosts.push(host);
                }
                Rule::link_decl => {
                    let mut inner = stmt.into_inner().skip(1);
                    let (Some(name), Some(block)) = (inner.next().and_then(|p| self.decl_name(p)), inner.next()) else {
                        continue;
                    };
                    let properties = self.prop_block(block);
                    platform.links.push(LinkDecl { name, properties, span });
                }
                Rule::route_decl => {
                    let refs: Vec<ElementRef> = stmt
                        .into_inner()
                        .filter(|p| matches!(p.as_rule(), Rule::host_ref | Rule::link_ref))
                        .map(|p| self.element_ref(p))
                        .collect();
                    let mut refs = refs.into_iter();
                    if let (Some(from), Some(to)) = (refs.next(), refs.next()) {
                        platform.routes.push(RouteDecl {
                            from,
                            to,
                            links: refs.collect(),
                            span,
                        });
                    }
                }
                Rule::network_decl => {
                    if let Some(model) = stmt.into_inner().nth(1) {
                        platform.network.push(self.ident(model));
                    }
                }
                Rule::failure_decl => {
                    let host = stmt
                        .clone()
                        .into_inner()
                        .nth(1)
                        .is_some_and(|p| p.as_rule() == Rule::kw_host);
                    let mut target = None;
                    let mut exprs = Vec::new();
                    for p in stmt.into_inner() {
                        match p.as_rule() {
                            Rule::host_ref | Rule::link_ref => target = Some(self.element_ref(p)),
                            Rule::expr => exprs.push(self.expr(p)),
                            _ => {}
                        }
                    }
                    let mut exprs = exprs.into_iter();
                    if let (Some(target), Some(at)) = (target, exprs.next()) {
                        platform.failures.push(FailureDecl {
                            host,
                            target,
                            at,
                            duration: exprs.next(),
                            span,
                        });
                    }
                }
                Rule::bad_stmt => self.bad_statement(stmt, Context::Platform),
                _ => {}
            }
        }
        platform
    }

    fn disk(&mut self, pair: Pair<Rule>) -> Option<DiskDecl> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let mount = self.string(inner.next()?);
        let properties = self.prop_block(inner.next()?);
        Some(DiskDecl {
            mount,
            properties,
            span,
        })
    }

    fn function(&mut self, pair: Pair<Rule>) -> Option<Function> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let name = self.ident(inner.next()?);
        let mut function = Function {
            name,
            properties: Vec::new(),
            limits: Vec::new(),
            bodies: Vec::new(),
            span,
        };
        for stmt in inner {
            let stmt_span = self.span(&stmt);
            match stmt.as_rule() {
                Rule::property => function.properties.extend(self.property(stmt)),
                Rule::limits_decl => {
                    if let Some(block) = stmt.into_inner().nth(1) {
                        let properties = self.prop_block(block);
                        function.limits.push((properties, stmt_span));
                    }
                }
                Rule::body_decl => {
                    let steps = stmt.into_inner().skip(1).filter_map(|p| self.step(p)).collect();
                    function.bodies.push((steps, stmt_span));
                }
                Rule::bad_stmt => self.bad_statement(stmt, Context::Function),
                _ => {}
            }
        }
        Some(function)
    }

    fn step(&mut self, pair: Pair<Rule>) -> Option<Step> {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::sleep_step => StepKind::Sleep,
            Rule::compute_step => StepKind::Compute,
            Rule::read_step => StepKind::Read,
            Rule::write_step => StepKind::Write,
            Rule::output_step => StepKind::Output,
            Rule::fail_step => StepKind::Fail,
            Rule::bad_stmt => {
                self.bad_statement(pair, Context::Body);
                return None;
            }
            _ => return None,
        };
        let mut inner = pair.into_inner().skip(1);
        let amount = self.expr(inner.next()?);
        let storage = inner.nth(1).map(|p| self.ident(p));
        Some(Step {
            kind,
            amount,
            storage,
            span,
        })
    }

    fn workflow(&mut self, pair: Pair<Rule>) -> Option<Workflow> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner().skip(1);
        let name = self.ident(inner.next()?);
        let mut chains = Vec::new();
        for stmt in inner {
            match stmt.as_rule() {
                Rule::edge_chain => {
                    let chain_span = self.span(&stmt);
                    let groups = stmt
                        .into_inner()
                        .filter(|p| p.as_rule() == Rule::node_group)
                        .filter_map(|p| self.node_group(p))
                        .collect();
                    chains.push(EdgeChain {
                        groups,
                        span: chain_span,
                    });
                }
                Rule::bad_stmt => self.bad_statement(stmt, Context::Workflow),
                _ => {}
            }
        }
        Some(Workflow { name, chains, span })
    }

    fn node_group(&mut self, pair: Pair<Rule>) -> Option<NodeGroup> {
        let span = self.span(&pair);
        let group = pair.into_inner().next()?;
        let either = group.as_rule() == Rule::either_group;
        let nodes = if group.as_rule() == Rule::flow_node {
            vec![self.flow_node(group)?]
        } else {
            group
                .into_inner()
                .filter(|p| p.as_rule() == Rule::flow_node)
                .filter_map(|p| self.flow_node(p))
                .collect()
        };
        Some(NodeGroup { either, nodes, span })
    }

    fn flow_node(&mut self, pair: Pair<Rule>) -> Option<FlowNode> {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let function = self.ident(inner.next()?);
        let percent = inner.next().and_then(|p| {
            let p_span = self.span(&p);
            let number = p.into_inner().next()?;
            Some((number.as_str().parse::<f64>().unwrap_or(f64::NAN), p_span))
        });
        Some(FlowNode {
            function,
            percent,
            span,
        })
    }

    fn sweep(&mut self, pair: Pair<Rule>) -> Sweep {
        let span = self.span(&pair);
        let mut sweep = Sweep {
            axes: Vec::new(),
            repeat: None,
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::sweep_axis => {
                    let axis_span = self.span(&p);
                    let mut inner = p.into_inner();
                    if let (Some(param), Some(values)) = (inner.next(), inner.nth(1)) {
                        let param = self.ident(param);
                        let values = self.expr(values);
                        sweep.axes.push(SweepAxis {
                            param,
                            values,
                            span: axis_span,
                        });
                    }
                }
                Rule::expr => sweep.repeat = Some(self.expr(p)),
                _ => {}
            }
        }
        sweep
    }
}

//! From the lossless tree to the AST the checker reads. A statement with an
//! error node of its own is left out (its diagnostic was made by the
//! parser); what the AST needs beyond the tree (numbers, unescaped strings)
//! is read here, with diagnostics for numbers too large and unknown escapes.

use super::kind::{Kind, NodeKind, SyntaxNode, SyntaxToken, TokenKind};
use super::parser::percent;
use crate::code::Code;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::language::grammar::{Construct as C, Role};
use crate::syntax::ast::*;
use crate::syntax::source::{FileId, Span};

/// Lowers a file's tree.
pub fn lower_file(file: FileId, root: &SyntaxNode) -> (File, Diagnostics) {
    let mut lower = Lower {
        file,
        diagnostics: Diagnostics::default(),
    };
    let items = statements(root).filter_map(|(c, n)| lower.item(c, &n)).collect();
    (File { items }, lower.diagnostics)
}

/// Lowers a `name=value` override.
pub fn lower_assignment(file: FileId, root: &SyntaxNode) -> (Option<(Ident, Expr)>, Diagnostics) {
    let mut lower = Lower {
        file,
        diagnostics: Diagnostics::default(),
    };
    let name = names(root).next().map(|n| lower.ident(&n));
    let value = first_value(root).map(|v| lower.expr(&v));
    (name.zip(value), lower.diagnostics)
}

/// The construct a node is, if it is one.
pub fn construct(node: &SyntaxNode) -> Option<C> {
    match node.kind() {
        Kind::Construct(c) => Some(c),
        _ => None,
    }
}

/// Whether the statement has an error of its own (not in a nested block).
pub fn is_broken(node: &SyntaxNode) -> bool {
    // Read on the green tree: no node is made to answer.
    let error: rowan::SyntaxKind = Kind::Node(NodeKind::Error).into();
    node.green().children().any(|c| c.kind() == error)
}

/// The well-formed statements directly in `node`, or in its block.
pub fn statements(node: &SyntaxNode) -> impl Iterator<Item = (C, SyntaxNode)> {
    let block = node
        .children()
        .find(|c| c.kind() == Kind::Node(NodeKind::Block))
        .unwrap_or_else(|| node.clone());
    block
        .children()
        .filter_map(|c| construct(&c).map(|k| (k, c)))
        .filter(|(_, c)| !is_broken(c))
}

fn is_value(kind: Kind) -> bool {
    matches!(
        kind,
        Kind::Node(
            NodeKind::Quantity
                | NodeKind::Text
                | NodeKind::Word
                | NodeKind::Call
                | NodeKind::Path
                | NodeKind::Indexed
                | NodeKind::List
                | NodeKind::Range
                | NodeKind::Paren
                | NodeKind::Binary
                | NodeKind::Negative
        )
    )
}

/// The value nodes directly in `node`.
pub fn values(node: &SyntaxNode) -> impl Iterator<Item = SyntaxNode> {
    node.children().filter(|c| is_value(c.kind()))
}

fn first_value(node: &SyntaxNode) -> Option<SyntaxNode> {
    values(node).next()
}

/// The name nodes directly in `node`.
pub fn names(node: &SyntaxNode) -> impl Iterator<Item = SyntaxNode> {
    node.children().filter(|c| matches!(c.kind(), Kind::Name(_)))
}

fn child(node: &SyntaxNode, kind: NodeKind) -> Option<SyntaxNode> {
    node.children().find(|c| c.kind() == Kind::Node(kind))
}

fn children(node: &SyntaxNode, kind: NodeKind) -> impl Iterator<Item = SyntaxNode> {
    node.children().filter(move |c| c.kind() == Kind::Node(kind))
}

fn constructs(node: &SyntaxNode, wanted: C) -> impl Iterator<Item = SyntaxNode> {
    node.children().filter(move |c| c.kind() == Kind::Construct(wanted))
}

/// The first token of a kind directly in `node`.
fn token(node: &SyntaxNode, kind: TokenKind) -> Option<SyntaxToken> {
    node.children_with_tokens()
        .filter_map(|e| e.into_token())
        .find(|t| t.kind() == Kind::Token(kind))
}

struct Lower {
    file: FileId,
    diagnostics: Diagnostics,
}

impl Lower {
    fn span(&self, node: &SyntaxNode) -> Span {
        let range = node.text_range();
        Span::new(self.file, range.start().into(), range.end().into())
    }

    fn token_span(&self, token: &SyntaxToken) -> Span {
        let range = token.text_range();
        Span::new(self.file, range.start().into(), range.end().into())
    }

    /// A name node (or a value that is a bare name): its one token.
    fn ident(&self, node: &SyntaxNode) -> Ident {
        Ident {
            name: text_of(node),
            span: self.span(node),
        }
    }

    fn first_name(&self, node: &SyntaxNode) -> Option<Ident> {
        names(node).next().map(|n| self.ident(&n))
    }

    /// The name of this role directly in `node`.
    fn named(&self, node: &SyntaxNode, role: Role) -> Option<Ident> {
        names(node)
            .find(|n| n.kind() == Kind::Name(role))
            .map(|n| self.ident(&n))
    }

    /// The index name of `[k in ...]` in `node`, if one is written.
    fn variable(&self, node: &SyntaxNode) -> Option<Ident> {
        child(node, NodeKind::Variable).and_then(|v| self.first_name(&v))
    }

    /// The declared name of `node` and, for `name[range]`, its array.
    fn declared(&mut self, node: &SyntaxNode) -> Option<(Ident, Option<DeclName>)> {
        let declared = self.decl_name(&child(node, NodeKind::Declared)?)?;
        let name = declared.name.clone();
        Some((name, declared.range.is_some().then_some(declared)))
    }

    fn item(&mut self, construct: C, node: &SyntaxNode) -> Option<Item> {
        let span = self.span(node);
        Some(match construct {
            C::Include => Item::Include(self.string(&child(node, NodeKind::Text)?)),
            C::Param => Item::Param(Param {
                name: self.first_name(node)?,
                value: self.expr(&first_value(node)?),
                span,
            }),
            C::Platform => Item::Platform(self.platform(node, span)),
            C::Storage => Item::Storage(Storage {
                name: self.first_name(node)?,
                disk: self.disk_ref(&child(node, NodeKind::DiskRef)?)?,
                properties: self.properties(node),
                span,
            }),
            C::Serverless => Item::Serverless(self.service(node, span)?),
            C::Layer => Item::Layer(self.property_decl(node, span)?),
            C::Image => Item::Image(self.property_decl(node, span)?),
            C::Format => Item::Format(self.property_decl(node, span)?),
            C::Function => Item::Function(self.function(node, span)?),
            C::Workload => Item::Workload(self.workload(node, span)),
            C::Workflow => Item::Workflow(self.workflow(node, span)?),
            C::Sweep => Item::Sweep(self.sweep(node, span)),
            C::KeepAlivePolicy => Item::Policy(self.policy(node, PolicyKind::KeepAlive, span)?),
            C::PlacementPolicy => Item::Policy(self.policy(node, PolicyKind::Placement, span)?),
            C::EvictionPolicy => Item::Policy(self.policy(node, PolicyKind::Eviction, span)?),
            C::AutoscalerPolicy => Item::Policy(self.policy(node, PolicyKind::Autoscaler, span)?),
            C::Cost => Item::Cost(CostDecl {
                properties: self.properties(node),
                span,
            }),
            _ => return None,
        })
    }

    fn policy(&mut self, node: &SyntaxNode, kind: PolicyKind, span: Span) -> Option<PolicyDecl> {
        let rules = statements(node)
            .filter(|(c, _)| *c == C::Rule)
            .filter_map(|(_, rule)| {
                let mut exprs: Vec<Expr> = values(&rule).map(|v| self.expr(&v)).collect();
                let value = exprs.pop()?;
                Some(Rule {
                    name: self.first_name(&rule)?,
                    bound: exprs.pop(),
                    value,
                    span: self.span(&rule),
                })
            })
            .collect();
        Some(PolicyDecl {
            kind,
            name: self.named(node, Role::DeclarePolicy)?,
            rules,
            span,
        })
    }

    /// The properties of the block in `node` (none without a block).
    fn properties(&mut self, node: &SyntaxNode) -> Vec<Property> {
        if child(node, NodeKind::Block).is_none() {
            return Vec::new();
        }
        statements(node)
            .filter(|(c, _)| *c == C::Property)
            .filter_map(|(_, p)| self.property(&p))
            .collect()
    }

    fn property(&mut self, node: &SyntaxNode) -> Option<Property> {
        Some(Property {
            name: self.first_name(node)?,
            value: self.expr(&first_value(node)?),
            span: self.span(node),
        })
    }

    fn decl_name(&mut self, node: &SyntaxNode) -> Option<DeclName> {
        Some(DeclName {
            name: self.first_name(node)?,
            range: first_value(node).map(|v| self.expr(&v)),
            variable: self.variable(node),
            span: self.span(node),
        })
    }

    fn property_decl(&mut self, node: &SyntaxNode, span: Span) -> Option<PropertyDecl> {
        let (name, family) = match self.declared(node) {
            Some(declared) => declared,
            None => (self.first_name(node)?, None),
        };
        Some(PropertyDecl {
            name,
            family,
            extends: self.named(node, Role::UseImage),
            member: None,
            properties: self.properties(node),
            span,
        })
    }

    fn platform(&mut self, node: &SyntaxNode, span: Span) -> Platform {
        let mut platform = Platform {
            hosts: Vec::new(),
            links: Vec::new(),
            routes: Vec::new(),
            network: Vec::new(),
            failures: Vec::new(),
            span,
        };
        for (construct, stmt) in statements(node) {
            let span = self.span(&stmt);
            match construct {
                C::Host => {
                    let Some(name) = child(&stmt, NodeKind::Declared).and_then(|d| self.decl_name(&d)) else {
                        continue;
                    };
                    let mut host = HostDecl {
                        name,
                        properties: Vec::new(),
                        disks: Vec::new(),
                        span,
                    };
                    for (inner, p) in statements(&stmt) {
                        match inner {
                            C::Property => host.properties.extend(self.property(&p)),
                            C::Disk => host.disks.extend(self.disk(&p)),
                            _ => {}
                        }
                    }
                    platform.hosts.push(host);
                }
                C::Link => {
                    if let Some(name) = child(&stmt, NodeKind::Declared).and_then(|d| self.decl_name(&d)) {
                        let properties = self.properties(&stmt);
                        platform.links.push(LinkDecl { name, properties, span });
                    }
                }
                C::Route => {
                    let mut refs = children(&stmt, NodeKind::Element).map(|e| self.element_ref(&e));
                    if let (Some(from), Some(to)) = (refs.next(), refs.next()) {
                        let links = refs.collect();
                        platform.routes.push(RouteDecl { from, to, links, span });
                    }
                }
                C::Network => platform.network.extend(self.first_name(&stmt)),
                C::Failure => {
                    let host = stmt
                        .children_with_tokens()
                        .filter_map(|e| e.into_token())
                        .filter(|t| t.kind() == Kind::Token(TokenKind::Keyword))
                        .nth(1)
                        .is_some_and(|t| t.text() == "host");
                    let target = child(&stmt, NodeKind::Element).map(|e| self.element_ref(&e));
                    let mut exprs = values(&stmt).map(|v| self.expr(&v)).collect::<Vec<_>>().into_iter();
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
                _ => {}
            }
        }
        platform
    }

    fn disk(&mut self, node: &SyntaxNode) -> Option<DiskDecl> {
        Some(DiskDecl {
            mount: self.string(&child(node, NodeKind::Text)?),
            properties: self.properties(node),
            span: self.span(node),
        })
    }

    fn service(&mut self, node: &SyntaxNode, span: Span) -> Option<Service> {
        let mut service = Service {
            name: self.named(node, Role::DeclareService)?,
            extends: self.named(node, Role::UseService),
            heads: Vec::new(),
            compute: Vec::new(),
            schedulers: Vec::new(),
            autoscalers: Vec::new(),
            sandboxes: Vec::new(),
            buses: Vec::new(),
            data_layers: Vec::new(),
            prewarms: Vec::new(),
            properties: Vec::new(),
            span,
        };
        for (construct, stmt) in statements(node) {
            let span = self.span(&stmt);
            match construct {
                C::Head => service
                    .heads
                    .extend(child(&stmt, NodeKind::DiskRef).and_then(|d| self.disk_ref(&d))),
                C::ComputeHosts => service.compute.push(
                    children(&stmt, NodeKind::Element)
                        .map(|e| self.element_ref(&e))
                        .collect(),
                ),
                C::Scheduler | C::Autoscaler => {
                    if let Some(policy) = first_value(&stmt).map(|v| self.expr(&v)) {
                        let properties = self.properties(&stmt);
                        let chosen = Scheduler {
                            policy,
                            properties,
                            span,
                        };
                        match construct {
                            C::Scheduler => service.schedulers.push(chosen),
                            _ => service.autoscalers.push(chosen),
                        }
                    }
                }
                C::Sandbox | C::Bus | C::Data => {
                    let Some(kind) = self.first_name(&stmt) else {
                        continue;
                    };
                    let properties = self.properties(&stmt);
                    let section = Section { kind, properties, span };
                    match construct {
                        C::Sandbox => service.sandboxes.push(section),
                        C::Bus => service.buses.push(section),
                        _ => service.data_layers.push(section),
                    }
                }
                C::Prewarm => {
                    if let Some(function) = self.first_name(&stmt) {
                        let count = first_value(&stmt).map(|v| self.expr(&v));
                        service.prewarms.push(Prewarm { function, count, span });
                    }
                }
                C::Property => service.properties.extend(self.property(&stmt)),
                _ => {}
            }
        }
        Some(service)
    }

    fn function(&mut self, node: &SyntaxNode, span: Span) -> Option<Function> {
        let (name, family) = self.declared(node)?;
        let mut function = Function {
            name,
            family,
            extends: self.named(node, Role::UseFunction),
            member: None,
            properties: Vec::new(),
            limits: Vec::new(),
            bodies: Vec::new(),
            span,
        };
        for (construct, stmt) in statements(node) {
            let span = self.span(&stmt);
            match construct {
                C::Property => function.properties.extend(self.property(&stmt)),
                C::Limits => {
                    let properties = self.properties(&stmt);
                    function.limits.push((properties, span));
                }
                C::Body => {
                    let steps = statements(&stmt).filter_map(|(c, s)| self.step(c, &s)).collect();
                    function.bodies.push((steps, span));
                }
                _ => {}
            }
        }
        Some(function)
    }

    fn step(&mut self, construct: C, node: &SyntaxNode) -> Option<Step> {
        let kind = match construct {
            C::Sleep => StepKind::Sleep,
            C::Compute => StepKind::Compute,
            C::Read => StepKind::Read,
            C::Write => StepKind::Write,
            C::Output => StepKind::Output,
            C::Fail => StepKind::Fail,
            _ => return None,
        };
        Some(Step {
            kind,
            amount: self.expr(&first_value(node)?),
            storage: self.first_name(node),
            span: self.span(node),
        })
    }

    fn workload(&mut self, node: &SyntaxNode, span: Span) -> Workload {
        let mut workload = Workload {
            invokes: Vec::new(),
            replays: Vec::new(),
            clients: Vec::new(),
            span,
        };
        for (construct, stmt) in statements(node) {
            match construct {
                C::Invoke => workload.invokes.extend(self.invoke(&stmt)),
                C::Replay => workload.replays.extend(self.replay(&stmt)),
                C::Client => {
                    let mut steps = Vec::new();
                    for (inner, step) in statements(&stmt) {
                        let span = self.span(&step);
                        match inner {
                            C::Invoke => steps.extend(self.invoke(&step).map(ClientStep::Invoke)),
                            C::Wait => steps.push(ClientStep::Wait(span)),
                            C::Sleep => {
                                if let Some(amount) = first_value(&step) {
                                    steps.push(ClientStep::Sleep(self.expr(&amount), span));
                                }
                            }
                            _ => {}
                        }
                    }
                    workload.clients.push(Client {
                        steps,
                        span: self.span(&stmt),
                    });
                }
                _ => {}
            }
        }
        workload
    }

    fn invoke(&mut self, node: &SyntaxNode) -> Option<Invoke> {
        let element = self.element_ref(&child(node, NodeKind::Element)?);
        let clauses = node
            .children()
            .filter_map(|c| construct(&c).map(|k| (k, c)))
            .filter_map(|(k, c)| self.clause(k, &c))
            .collect();
        Some(Invoke {
            target: element.name,
            index: element.index,
            variable: element.variable,
            member: None,
            clauses,
            span: self.span(node),
        })
    }

    fn clause(&mut self, construct: C, node: &SyntaxNode) -> Option<Clause> {
        let span = self.span(node);
        let value = |lower: &mut Self| first_value(node).map(|v| lower.expr(&v));
        let kind = match construct {
            C::On => ClauseKind::On(self.first_name(node)?),
            C::At => ClauseKind::At(value(self)?),
            C::Every => ClauseKind::Every(value(self)?),
            C::Count => ClauseKind::Count(value(self)?),
            C::For => ClauseKind::For(value(self)?),
            C::Burst => ClauseKind::Burst(value(self)?),
            C::With => ClauseKind::With(self.properties(node)),
            C::Poisson => ClauseKind::Poisson(self.rate(node)?),
            C::Rate => ClauseKind::Paced(self.rate(node)?),
            C::Ramp | C::Stages => ClauseKind::Paced(self.profile(construct, node)?),
            C::Closed => {
                let mut exprs = values(node);
                let users = self.expr(&exprs.next()?);
                let think = exprs.next().map(|v| self.expr(&v));
                ClauseKind::Closed { users, think }
            }
            _ => return None,
        };
        Some(Clause { kind, span })
    }

    /// The rate of `poisson` or `rate`: a ramp, stages or a value.
    fn rate(&mut self, node: &SyntaxNode) -> Option<Profile> {
        if let Some((c, profile)) = node.children().find_map(|c| construct(&c).map(|k| (k, c))) {
            return self.profile(c, &profile);
        }
        Some(Profile::Constant(self.expr(&first_value(node)?)))
    }

    fn profile(&mut self, construct: C, node: &SyntaxNode) -> Option<Profile> {
        Some(match construct {
            C::Ramp => Profile::Ramp(Box::new(self.ramp(node)?)),
            _ => {
                let mut stages = Vec::new();
                for (inner, stage) in statements(node) {
                    let span = self.span(&stage);
                    match inner {
                        C::Ramp => stages.extend(self.ramp(&stage).map(Stage::Ramp)),
                        C::Hold => {
                            let mut exprs = values(&stage);
                            if let (Some(rate), Some(duration)) = (exprs.next(), exprs.next()) {
                                stages.push(Stage::Hold {
                                    rate: self.expr(&rate),
                                    duration: self.expr(&duration),
                                    span,
                                });
                            }
                        }
                        _ => {}
                    }
                }
                Profile::Stages(stages, self.span(node))
            }
        })
    }

    fn ramp(&mut self, node: &SyntaxNode) -> Option<Ramp> {
        let mut exprs = values(node);
        let (from, to, over) = (exprs.next()?, exprs.next()?, exprs.next()?);
        Some(Ramp {
            from: self.expr(&from),
            to: self.expr(&to),
            over: self.expr(&over),
            span: self.span(node),
        })
    }

    fn replay(&mut self, node: &SyntaxNode) -> Option<Replay> {
        let mut replay = Replay {
            format: self.first_name(node)?,
            path: self.expr(&first_value(node)?),
            service: None,
            template: None,
            properties: self.properties(node),
            span: self.span(node),
        };
        for on in constructs(node, C::On) {
            replay.service = self.first_name(&on);
        }
        for template in constructs(node, C::As) {
            replay.template = self.first_name(&template);
        }
        Some(replay)
    }

    fn workflow(&mut self, node: &SyntaxNode, span: Span) -> Option<Workflow> {
        let name = self.first_name(node)?;
        let chains = statements(node)
            .filter(|(c, _)| *c == C::Chain)
            .map(|(_, chain)| EdgeChain {
                groups: children(&chain, NodeKind::Group).map(|g| self.node_group(&g)).collect(),
                span: self.span(&chain),
            })
            .collect();
        Some(Workflow { name, chains, span })
    }

    fn node_group(&mut self, node: &SyntaxNode) -> NodeGroup {
        NodeGroup {
            either: token(node, TokenKind::Keyword).is_some(),
            nodes: children(node, NodeKind::Flow)
                .filter_map(|f| self.flow_node(&f))
                .collect(),
            span: self.span(node),
        }
    }

    fn flow_node(&mut self, node: &SyntaxNode) -> Option<FlowNode> {
        let percent =
            token(node, TokenKind::Number).map(|t| (percent(t.text()).unwrap_or(f64::NAN), self.token_span(&t)));
        Some(FlowNode {
            function: self.first_name(node)?,
            percent,
            span: self.span(node),
        })
    }

    fn sweep(&mut self, node: &SyntaxNode, span: Span) -> Sweep {
        let axes = constructs(node, C::SweepAxis)
            .filter_map(|axis| {
                Some(SweepAxis {
                    param: self.first_name(&axis)?,
                    values: self.expr(&first_value(&axis)?),
                    span: self.span(&axis),
                })
            })
            .collect();
        let repeat = first_value(node).map(|v| self.expr(&v));
        Sweep { axes, repeat, span }
    }

    // ------------------------------------------------------------ values

    fn element_ref(&mut self, node: &SyntaxNode) -> ElementRef {
        let span = self.span(node);
        let name = self.first_name(node).unwrap_or(Ident {
            name: String::new(),
            span,
        });
        let index_node = child(node, NodeKind::Index);
        let index = index_node.as_ref().and_then(|i| self.index(i));
        let variable = index_node.as_ref().and_then(|i| self.variable(i));
        ElementRef {
            name,
            index,
            variable,
            span,
        }
    }

    fn disk_ref(&mut self, node: &SyntaxNode) -> Option<DiskRef> {
        Some(DiskRef {
            host: self.element_ref(&child(node, NodeKind::Element)?),
            mount: self.string(&child(node, NodeKind::Text)?),
            span: self.span(node),
        })
    }

    /// `[*]` or `[value]`.
    fn index(&mut self, node: &SyntaxNode) -> Option<Index> {
        if let Some(star) = token(node, TokenKind::Star) {
            return Some(Index::All(self.token_span(&star)));
        }
        Some(Index::Expr(self.expr(&first_value(node)?)))
    }

    /// A value node.
    pub(crate) fn expr(&mut self, node: &SyntaxNode) -> Expr {
        let span = self.span(node);
        let kind = match node.kind() {
            Kind::Node(NodeKind::Paren) => {
                return match first_value(node) {
                    Some(inner) => self.expr(&inner),
                    None => empty(span),
                };
            }
            Kind::Node(NodeKind::Binary) => {
                let mut operands = values(node);
                let op = node
                    .children_with_tokens()
                    .filter_map(|e| e.into_token())
                    .find_map(|t| binary_op(t.kind().token()?));
                match (operands.next(), op, operands.next()) {
                    (Some(left), Some(op), Some(right)) => ExprKind::Binary {
                        op,
                        left: Box::new(self.expr(&left)),
                        right: Box::new(self.expr(&right)),
                    },
                    _ => return empty(span),
                }
            }
            Kind::Node(NodeKind::Negative) => {
                let Some(operand) = first_value(node) else {
                    return empty(span);
                };
                match self.expr(&operand).kind {
                    // A negative number is a quantity, as messages quote it.
                    ExprKind::Quantity(mut q) if !q.digits.starts_with('-') => {
                        q.value = -q.value;
                        q.digits.insert(0, '-');
                        ExprKind::Quantity(q)
                    }
                    other => ExprKind::Negative(Box::new(Expr {
                        kind: other,
                        span: self.span(&operand),
                    })),
                }
            }
            Kind::Node(NodeKind::Range) => {
                let mut bounds = values(node);
                match (bounds.next(), bounds.next()) {
                    (Some(low), Some(high)) => ExprKind::Range(Box::new(self.expr(&low)), Box::new(self.expr(&high))),
                    _ => return empty(span),
                }
            }
            Kind::Node(NodeKind::Quantity) => match token(node, TokenKind::Number) {
                Some(number) => ExprKind::Quantity(self.quantity(&number)),
                None => return empty(span),
            },
            Kind::Node(NodeKind::Text) => ExprKind::Str(self.string(node).value),
            Kind::Node(NodeKind::List) => ExprKind::List(values(node).map(|v| self.expr(&v)).collect()),
            Kind::Node(NodeKind::Word) => ExprKind::Name(self.ident(node)),
            Kind::Node(NodeKind::Path) => ExprKind::Path(
                node.children_with_tokens()
                    .filter_map(|e| e.into_token())
                    .filter(|t| t.kind() == Kind::Token(TokenKind::Ident))
                    .map(|t| Ident {
                        name: t.text().to_string(),
                        span: self.token_span(&t),
                    })
                    .collect(),
            ),
            Kind::Node(NodeKind::Call) => {
                let Some(name) = token(node, TokenKind::Ident) else {
                    return empty(span);
                };
                ExprKind::Call {
                    name: Ident {
                        name: name.text().to_string(),
                        span: self.token_span(&name),
                    },
                    args: child(node, NodeKind::Args)
                        .map(|a| values(&a).map(|v| self.expr(&v)).collect())
                        .unwrap_or_default(),
                }
            }
            Kind::Node(NodeKind::Indexed) => {
                let (Some(base), Some(index)) = (
                    token(node, TokenKind::Ident),
                    child(node, NodeKind::Index).and_then(|i| self.index(&i)),
                ) else {
                    return empty(span);
                };
                ExprKind::Indexed {
                    base: Ident {
                        name: base.text().to_string(),
                        span: self.token_span(&base),
                    },
                    index: Box::new(index),
                }
            }
            _ => return empty(span),
        };
        Expr { kind, span }
    }

    /// `250MB` split into its number, unit, per-unit and percent sign.
    fn quantity(&mut self, token: &SyntaxToken) -> Quantity {
        let text = token.text();
        let start = usize::from(token.text_range().start());
        let parts = split_quantity(text);
        let digits = &text[..parts.digits];
        let value = match digits.parse::<f64>() {
            Ok(v) if v.is_finite() => v,
            _ => {
                self.diagnostics.push(
                    Diagnostic::new(
                        Code::ParseNumberOutOfRange,
                        format!("`{digits}` is too large to be a number"),
                        Span::new(self.file, start, start + digits.len()),
                        "out of range",
                    )
                    .with_help("write a smaller number, or use a larger unit"),
                );
                0.0
            }
        };
        let ident = |range: std::ops::Range<usize>| Ident {
            name: text[range.clone()].to_string(),
            span: Span::new(self.file, start + range.start, start + range.end),
        };
        Quantity {
            value,
            digits: digits.to_string(),
            unit: (parts.unit.start < parts.unit.end).then(|| ident(parts.unit.clone())),
            per: parts.per.clone().map(ident),
            percent: parts.percent,
        }
    }

    /// A string node, unescaped.
    fn string(&mut self, node: &SyntaxNode) -> StrLit {
        let span = self.span(node);
        let text = text_of(node);
        let raw = text
            .strip_prefix('"')
            .and_then(|t| t.strip_suffix('"'))
            .unwrap_or(&text);
        StrLit {
            value: self.unescape(raw, span),
            span,
        }
    }

    /// Resolves `\"`, `\\`, `\n`, `\t`; an unknown escape is a diagnostic.
    fn unescape(&mut self, raw: &str, span: Span) -> String {
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.char_indices();
        while let Some((at, c)) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, '"')) => out.push('"'),
                Some((_, '\\')) => out.push('\\'),
                Some((_, other)) => {
                    let start = span.start as usize + 1 + at;
                    let escape = Span::new(self.file, start, start + 1 + other.len_utf8());
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::ParseUnknownEscape,
                            format!("unknown escape `\\{other}` in a string"),
                            escape,
                            "not an escape",
                        )
                        .with_help("the escapes are `\\\"`, `\\\\`, `\\n` and `\\t`; write `\\\\` for a backslash"),
                    );
                }
                None => out.push('\\'),
            }
        }
        out
    }
}

/// The operator a token is, if it is one.
fn binary_op(kind: TokenKind) -> Option<BinaryOp> {
    Some(match kind {
        TokenKind::Plus => BinaryOp::Add,
        TokenKind::Minus => BinaryOp::Subtract,
        TokenKind::Star => BinaryOp::Multiply,
        TokenKind::Slash => BinaryOp::Divide,
        TokenKind::Caret => BinaryOp::Power,
        _ => return None,
    })
}

/// The text of a node of one token (a name, a string) without walking the
/// tree; of any other node, all of it.
fn text_of(node: &SyntaxNode) -> String {
    let green = node.green();
    let mut children = green.children();
    match (children.next(), children.next()) {
        (Some(rowan::NodeOrToken::Token(token)), None) => token.text().to_string(),
        _ => node.text().to_string(),
    }
}

/// An empty list: what a node the lowering cannot read stands for (the
/// parser reported it).
fn empty(span: Span) -> Expr {
    Expr {
        kind: ExprKind::List(Vec::new()),
        span,
    }
}

/// Where the parts of a number token are.
pub struct QuantityParts {
    /// Length of the number itself.
    pub digits: usize,
    /// The unit (empty when none).
    pub unit: std::ops::Range<usize>,
    /// The unit after `/`.
    pub per: Option<std::ops::Range<usize>>,
    pub percent: bool,
}

/// Splits a number token: `-2.5e3`, then letters, then `/letters`, then `%`.
pub fn split_quantity(text: &str) -> QuantityParts {
    let bytes = text.as_bytes();
    let mut i = usize::from(bytes.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        while *i < bytes.len() && bytes[*i].is_ascii_digit() {
            *i += 1;
        }
    };
    digits(&mut i);
    if i + 1 < bytes.len() && bytes[i] == b'.' && bytes[i + 1].is_ascii_digit() {
        i += 1;
        digits(&mut i);
    }
    if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
        let mut j = i + 1;
        if j < bytes.len() && (bytes[j] == b'+' || bytes[j] == b'-') {
            j += 1;
        }
        if j < bytes.len() && bytes[j].is_ascii_digit() {
            i = j;
            digits(&mut i);
        }
    }
    let number = i;
    let letters = |from: usize| {
        text[from..]
            .char_indices()
            .find(|(_, c)| !(c.is_ascii_alphabetic() || *c == 'µ'))
            .map_or(text.len(), |(k, _)| from + k)
    };
    let unit_end = letters(number);
    let mut per = None;
    let mut end = unit_end;
    if text[end..].starts_with('/') {
        let per_end = letters(end + 1);
        per = Some(end + 1..per_end);
        end = per_end;
    }
    QuantityParts {
        digits: number,
        unit: number..unit_end,
        per,
        percent: text[end..].starts_with('%'),
    }
}

//! The abstract syntax tree of one `.sls` file: what the user wrote, with a
//! span on every node and no meaning attached yet (names are unresolved,
//! quantities keep the unit text they were written with).

use serde::Serialize;

use super::source::Span;

/// A name as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A value expression.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ExprKind {
    /// A number, possibly with a unit (`250MB`), a per-unit (`50/s`,
    /// `10MB/s`) or a percent sign (`percent` is then set, value unscaled).
    Quantity(Quantity),
    Str(String),
    /// A bare name: a parameter or a word such as `fcfs` or `lv08`.
    Name(Ident),
    /// `trace.duration`
    Path(Vec<Ident>),
    /// `uniform(10s, 90s)`
    Call {
        name: Ident,
        args: Vec<Expr>,
    },
    List(Vec<Expr>),
    /// `1..nodes`
    Range(Box<Expr>, Box<Expr>),
    /// `node[3]`, `node[i]`, `node[*]`
    Indexed {
        base: Ident,
        index: Box<Index>,
    },
    /// `a + b`, `(k - 1) / 49`, `300^x`: arithmetic on numbers and quantities.
    Binary {
        op: BinaryOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// `-a`, when `a` is not a number (a negative number is a quantity).
    Negative(Box<Expr>),
}

/// An arithmetic operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum BinaryOp {
    Add,
    Subtract,
    Multiply,
    Divide,
    Power,
}

impl BinaryOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Add => "+",
            BinaryOp::Subtract => "-",
            BinaryOp::Multiply => "*",
            BinaryOp::Divide => "/",
            BinaryOp::Power => "^",
        }
    }
}

/// A number with whatever was written after it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quantity {
    pub value: f64,
    /// The number as written, for messages that quote it.
    pub digits: String,
    pub unit: Option<Ident>,
    pub per: Option<Ident>,
    pub percent: bool,
}

/// What goes between brackets after a host or link name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Index {
    /// `[*]`: every element.
    All(Span),
    Expr(Expr),
}

/// A reference to a host or link, maybe indexed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ElementRef {
    pub name: Ident,
    pub index: Option<Index>,
    /// `k` in `f[k in 1..50]`: the name the index goes by.
    pub variable: Option<Ident>,
    pub span: Span,
}

/// `gateway:"/"`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiskRef {
    pub host: ElementRef,
    pub mount: StrLit,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StrLit {
    pub value: String,
    pub span: Span,
}

/// `name value` inside a block.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Property {
    pub name: Ident,
    pub value: Expr,
    pub span: Span,
}

/// `name` or `name[range]` in a declaration.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeclName {
    pub name: Ident,
    pub range: Option<Expr>,
    /// `k` in `name[k in 1..n]`: the name the index goes by.
    pub variable: Option<Ident>,
    pub span: Span,
}

/// The index a family's members go by when none is named: `f[1..n]`.
pub const DEFAULT_INDEX: &str = "i";

impl DeclName {
    /// The name of the index of an array: as written, or `i`.
    pub fn index_name(&self) -> &str {
        self.variable.as_ref().map_or(DEFAULT_INDEX, |v| v.name.as_str())
    }
}

/// Which member of a family a declaration or stream is, once the family is
/// expanded: diagnostics about it point at the family and name the member.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    /// The member's name: `f[3]`.
    pub name: String,
    /// What diagnostics about it add: "the member `f[3]` (k = 3)".
    pub note: String,
}

/// One parsed file.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct File {
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Item {
    Include(StrLit),
    Param(Param),
    Platform(Platform),
    Storage(Storage),
    Serverless(Service),
    Layer(PropertyDecl),
    Image(PropertyDecl),
    Function(Function),
    /// `format name { time column("ts", 1ms); ... }`: a trace format by mapping.
    Format(PropertyDecl),
    Workload(Workload),
    Workflow(Workflow),
    Sweep(Sweep),
    /// `keep_alive adaptive { ... }`, `placement packed { ... }`.
    Policy(PolicyDecl),
    /// `cost { per_gb_second 0.0000166667; ... }`: the prices of the bill.
    Cost(CostDecl),
}

/// A `cost` block: its prices as written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostDecl {
    pub properties: Vec<Property>,
    pub span: Span,
}

/// A policy written as expressions, chosen by its name like a built-in.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyDecl {
    pub kind: PolicyKind,
    pub name: Ident,
    pub rules: Vec<Rule>,
    pub span: Span,
}

/// The kinds of policy a script may write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum PolicyKind {
    KeepAlive,
    Placement,
    Eviction,
    Autoscaler,
}

impl PolicyKind {
    /// The keyword that declares one.
    pub fn keyword(self) -> &'static str {
        match self {
            PolicyKind::KeepAlive => "keep_alive",
            PolicyKind::Placement => "placement",
            PolicyKind::Eviction => "eviction",
            PolicyKind::Autoscaler => "autoscaler",
        }
    }
}

/// `idle EXPR`, `score node = EXPR`, `pick max`: a rule of a policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rule {
    pub name: Ident,
    /// `node` in `score node = ...`: the name the expression is of.
    pub bound: Option<Expr>,
    pub value: Expr,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Param {
    pub name: Ident,
    pub value: Expr,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Platform {
    pub hosts: Vec<HostDecl>,
    pub links: Vec<LinkDecl>,
    pub routes: Vec<RouteDecl>,
    pub network: Vec<Ident>,
    pub failures: Vec<FailureDecl>,
    pub span: Span,
}

/// `fail host node[2] at 10min for 1min`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FailureDecl {
    /// A host (true) or a link.
    pub host: bool,
    pub target: ElementRef,
    pub at: Expr,
    pub duration: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HostDecl {
    pub name: DeclName,
    pub properties: Vec<Property>,
    pub disks: Vec<DiskDecl>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DiskDecl {
    pub mount: StrLit,
    pub properties: Vec<Property>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LinkDecl {
    pub name: DeclName,
    pub properties: Vec<Property>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteDecl {
    pub from: ElementRef,
    pub to: ElementRef,
    pub links: Vec<ElementRef>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Storage {
    pub name: Ident,
    pub disk: DiskRef,
    pub properties: Vec<Property>,
    pub span: Span,
}

/// A block of properties only: layers and images.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PropertyDecl {
    pub name: Ident,
    /// `[k in 1..n]`: a family of images.
    pub family: Option<DeclName>,
    /// `extends base`: the properties not written here are the base's.
    pub extends: Option<Ident>,
    pub member: Option<Member>,
    pub properties: Vec<Property>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Service {
    pub name: Ident,
    /// `extends base`: what is not written here is the base's.
    pub extends: Option<Ident>,
    pub heads: Vec<DiskRef>,
    pub compute: Vec<Vec<ElementRef>>,
    pub schedulers: Vec<Scheduler>,
    /// `autoscaler` statements: a policy and its block, as a scheduler's.
    pub autoscalers: Vec<Scheduler>,
    /// `sandbox`, `bus` and `data` statements: a kind and its properties.
    pub sandboxes: Vec<Section>,
    pub buses: Vec<Section>,
    pub data_layers: Vec<Section>,
    pub prewarms: Vec<Prewarm>,
    pub properties: Vec<Property>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scheduler {
    pub policy: Expr,
    pub properties: Vec<Property>,
    pub span: Span,
}

/// `kind { properties }` inside a service.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Section {
    pub kind: Ident,
    pub properties: Vec<Property>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prewarm {
    pub function: Ident,
    pub count: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Function {
    pub name: Ident,
    /// `[k in 1..n]`: a family of functions.
    pub family: Option<DeclName>,
    /// `extends base`: what is not written here is the base's.
    pub extends: Option<Ident>,
    pub member: Option<Member>,
    pub properties: Vec<Property>,
    pub limits: Vec<(Vec<Property>, Span)>,
    pub bodies: Vec<(Vec<Step>, Span)>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    pub kind: StepKind,
    pub amount: Expr,
    /// `from repo` / `to repo`: remote storage instead of the scratch disk.
    pub storage: Option<Ident>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum StepKind {
    Sleep,
    Compute,
    Read,
    Write,
    Output,
    Fail,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Workload {
    pub invokes: Vec<Invoke>,
    pub replays: Vec<Replay>,
    pub clients: Vec<Client>,
    pub span: Span,
}

/// `client { invoke f; wait; sleep 10s }`
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Client {
    pub steps: Vec<ClientStep>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ClientStep {
    Invoke(Invoke),
    Wait(Span),
    Sleep(Expr, Span),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Invoke {
    pub target: Ident,
    /// `f[3]`, `f[k in 1..50]`, `f[*]`: a member, or a stream per member.
    pub index: Option<Index>,
    /// `k` in `f[k in 1..50]`.
    pub variable: Option<Ident>,
    pub member: Option<Member>,
    pub clauses: Vec<Clause>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Clause {
    pub kind: ClauseKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ClauseKind {
    On(Ident),
    At(Expr),
    Every(Expr),
    /// `poisson 50/s` or `poisson ramp(..)`
    Poisson(Profile),
    /// `rate 50/s` or a bare profile: evenly paced arrivals.
    Paced(Profile),
    Closed {
        users: Expr,
        think: Option<Expr>,
    },
    Count(Expr),
    For(Expr),
    Burst(Expr),
    /// `with { duration 40s }`: what each invocation passes to `trace.` fields.
    With(Vec<Property>),
}

/// A rate over time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Profile {
    Constant(Expr),
    Ramp(Box<Ramp>),
    Stages(Vec<Stage>, Span),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ramp {
    pub from: Expr,
    pub to: Expr,
    pub over: Expr,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Stage {
    Ramp(Ramp),
    Hold { rate: Expr, duration: Expr, span: Span },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Replay {
    pub format: Ident,
    pub path: Expr,
    pub service: Option<Ident>,
    pub template: Option<Ident>,
    pub properties: Vec<Property>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Workflow {
    pub name: Ident,
    pub chains: Vec<EdgeChain>,
    pub span: Span,
}

/// `a -> [b, c] -> d`: groups joined by arrows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EdgeChain {
    pub groups: Vec<NodeGroup>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeGroup {
    /// `either [..]`: exactly one member runs, chosen by the percentages.
    pub either: bool,
    pub nodes: Vec<FlowNode>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlowNode {
    pub function: Ident,
    /// `30%`: probability of this edge (of the choice, for `either`).
    pub percent: Option<(f64, Span)>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sweep {
    pub axes: Vec<SweepAxis>,
    pub repeat: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SweepAxis {
    pub param: Ident,
    pub values: Expr,
    pub span: Span,
}

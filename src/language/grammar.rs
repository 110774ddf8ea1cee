//! The grammar of record: every construct of the language with the word
//! that starts it, the blocks it may stand in, its shape and its meaning.
//! The parser (`syntax::tree`) interprets the shapes, the tree-sitter
//! grammar is generated from them, the formatter and the language server
//! read them; a construct added here is known to all of them.
//!
//! Statements end at a new line or `;`; new lines are free inside brackets
//! and parentheses, after `,` and after `->`.
//!
//! A new construct is a variant of [`Construct`] and its row in
//! [`Construct::row`]: its keyword, the blocks it stands in and its shape.
//! From that row the parser reads it into a node of its own kind, the
//! formatter lays it out, the language server completes and explains its
//! keywords, and `tests/editors.rs` regenerates the editors' grammars. What
//! it means is then the AST's (`syntax::tree::lower`) and the checker's.

use std::sync::OnceLock;

use super::choices::Choices;
use super::listed_enum;
use super::properties::Owner;
use super::units::Dim;

listed_enum! {
    /// The blocks statements stand in.
    pub enum Context {
        File,
        Platform,
        Host,
        Service,
        Function,
        Body,
        Workload,
        Client,
        Stages,
        Workflow,
        /// A `{ ... }` of properties only (disks, links, limits, ...).
        Properties,
        /// A policy written as expressions: `keep_alive NAME { ... }`.
        Policy,
    }
}

impl Context {
    /// Where a statement stands, for messages: "in `platform`".
    pub fn describe(self) -> &'static str {
        match self {
            Context::File => "at the top level",
            Context::Platform => "in `platform`",
            Context::Host => "in a `host`",
            Context::Properties => "in this block",
            Context::Service => "in `serverless`",
            Context::Function => "in `function`",
            Context::Body => "in a `body`",
            Context::Workload => "in `workload`",
            Context::Client => "in a `client`",
            Context::Stages => "in `stages`",
            Context::Workflow => "in `workflow`",
            Context::Policy => "in a policy",
        }
    }

    /// The block as written, for "belongs inside" help.
    pub fn written(self) -> &'static str {
        match self {
            Context::File => "the top level",
            Context::Platform => "platform { ... }",
            Context::Host => "host name { ... }",
            Context::Properties => "a block of properties",
            Context::Service => "serverless name { ... }",
            Context::Function => "function name { ... }",
            Context::Body => "a function's body { ... }",
            Context::Workload => "workload { ... }",
            Context::Client => "client { ... }",
            Context::Stages => "stages { ... }",
            Context::Workflow => "workflow name { ... }",
            Context::Policy => "keep_alive name { ... } or placement name { ... }",
        }
    }

    /// The constructs started by a keyword in this block, in table order.
    pub fn statements(self) -> impl Iterator<Item = Construct> {
        Construct::ALL
            .iter()
            .copied()
            .filter(move |c| c.row().keyword.is_some() && c.row().contexts.contains(&self))
    }

    /// The statement keyword of this block that `word` is, if any.
    pub fn statement(self, word: &str) -> Option<Construct> {
        // Looked up for every statement read: the keywords of each block
        // are gathered once.
        static KEYWORDS: OnceLock<Vec<Vec<(&'static str, Construct)>>> = OnceLock::new();
        let keywords = KEYWORDS.get_or_init(|| {
            Context::ALL
                .iter()
                .map(|c| c.statements().filter_map(|s| Some((s.row().keyword?, s))).collect())
                .collect()
        });
        keywords[self.index()].iter().find(|(k, _)| *k == word).map(|(_, c)| *c)
    }

    /// What a line that starts with no keyword of the block is read as.
    pub fn fallback(self) -> Option<Construct> {
        match self {
            Context::Host | Context::Service | Context::Function | Context::Properties => Some(Construct::Property),
            Context::Workflow => Some(Construct::Chain),
            Context::Stages => Some(Construct::Hold),
            Context::Policy => Some(Construct::Rule),
            _ => None,
        }
    }
}

impl Construct {
    /// The owner of the properties in the construct's block, if it holds some.
    pub fn owner(self) -> Option<Owner> {
        fn find(parts: &[Part]) -> Option<Owner> {
            parts.iter().find_map(|part| match part {
                Part::Properties(owner) => Some(*owner),
                Part::Block(context) => context.owner(),
                Part::Optional(parts) => find(parts),
                _ => None,
            })
        }
        find(self.row().shape)
    }
}

impl Context {
    /// The owner of the properties a block of this context holds among its
    /// statements.
    pub fn owner(self) -> Option<Owner> {
        Some(match self {
            Context::Host => Owner::Host,
            Context::Service => Owner::Service,
            Context::Function => Owner::Function,
            _ => return None,
        })
    }
}

listed_enum! {
    /// The kinds of declared names.
    pub enum Space {
        Param,
        Host,
        Link,
        Storage,
        Service,
        Layer,
        Image,
        Function,
        Workflow,
        Format,
        Policy,
    }
}

impl Space {
    /// "host", "function": how messages name one.
    pub fn noun(self) -> &'static str {
        match self {
            Space::Param => "parameter",
            Space::Host => "host",
            Space::Link => "link",
            Space::Storage => "storage",
            Space::Service => "service",
            Space::Layer => "layer",
            Space::Image => "image",
            Space::Function => "function",
            Space::Workflow => "workflow",
            Space::Format => "trace format",
            Space::Policy => "policy",
        }
    }
}

listed_enum! {
    /// What a name written in a statement is: a declaration, a reference,
    /// a property name, or a word of a fixed set.
    pub enum Role {
        DeclareParam,
        DeclareHost,
        DeclareLink,
        DeclareStorage,
        DeclareService,
        DeclareLayer,
        DeclareImage,
        DeclareFunction,
        DeclareWorkflow,
        DeclareFormat,
        /// A policy written in the script: `keep_alive adaptive { ... }`.
        DeclarePolicy,
        UseParam,
        UseHost,
        UseLink,
        UseStorage,
        UseService,
        UseFunction,
        UseImage,
        /// The index of a family, named before its range: `k` in `f[k in 1..50]`.
        DeclareIndex,
        /// A function or a workflow (what `invoke` starts).
        UseInvocable,
        /// A property name: what it means depends on the block.
        Property,
        Network,
        Sandbox,
        Bus,
        DataLayer,
        TraceFormat,
    }
}

impl Role {
    /// The kind of name this declares.
    pub fn declares(self) -> Option<Space> {
        Some(match self {
            Role::DeclareParam => Space::Param,
            Role::DeclareHost => Space::Host,
            Role::DeclareLink => Space::Link,
            Role::DeclareStorage => Space::Storage,
            Role::DeclareService => Space::Service,
            Role::DeclareLayer => Space::Layer,
            Role::DeclareImage => Space::Image,
            Role::DeclareFunction => Space::Function,
            Role::DeclareWorkflow => Space::Workflow,
            Role::DeclareFormat => Space::Format,
            Role::DeclarePolicy => Space::Policy,
            _ => return None,
        })
    }

    /// The kinds of declared names this may refer to.
    pub fn refers(self) -> &'static [Space] {
        match self {
            Role::UseParam => &[Space::Param],
            Role::UseHost => &[Space::Host],
            Role::UseLink => &[Space::Link],
            Role::UseStorage => &[Space::Storage],
            Role::UseService => &[Space::Service],
            Role::UseFunction => &[Space::Function],
            Role::UseImage => &[Space::Image],
            Role::UseInvocable => &[Space::Function, Space::Workflow],
            // A built-in format's word, or a declared `format`.
            Role::TraceFormat => &[Space::Format],
            _ => &[],
        }
    }

    /// The fixed words this name is one of.
    pub fn choices(self) -> Option<Choices> {
        Some(match self {
            Role::Network => Choices::Network,
            Role::Sandbox => Choices::Sandbox,
            Role::Bus => Choices::Bus,
            Role::DataLayer => Choices::DataLayer,
            Role::TraceFormat => Choices::TraceFormat,
            _ => return None,
        })
    }
}

/// One part of a construct's shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// A keyword.
    Word(&'static str),
    /// Punctuation: `=`, `<->`, `->`, `(`, `)`.
    Punct(&'static str),
    /// A name.
    Name(Role),
    /// `name` or `name[range]`: one declaration or an array of them.
    Declared(Role),
    /// `name` or `name[index]`: an element, maybe of an array.
    Element(Role),
    /// `host:"mount"`: a disk of a host.
    Disk,
    /// A string.
    Text,
    /// Any value: a quantity, a string, a name, a call, a list, a range.
    Value,
    /// A value that measures this (a time, a size, ...), maybe random.
    Measure(Dim),
    /// A value that is one of a set of words, maybe called: `random(42)`.
    Choice(Choices),
    /// `{ ... }` holding statements of a block.
    Block(Context),
    /// `{ ... }` holding properties of an owner.
    Properties(Owner),
    Optional(&'static [Part]),
    /// Zero or more times.
    Repeated(&'static [Part]),
    /// One or more times.
    Repeated1(&'static [Part]),
    /// One or more, separated by `,`.
    Separated(&'static [Part]),
    /// The first alternative that can start with what is there.
    Either(&'static [&'static [Part]]),
    /// A construct as a node of its own.
    Child(Construct),
    /// Any of these constructs, in any order, any number of times.
    Clauses(&'static [Construct]),
    /// A workflow's group: `f`, `f 30%`, `[f, g]` or `either [f 90%, g 10%]`.
    Group,
}

/// A construct of the grammar.
#[derive(Debug, Clone, Copy)]
pub struct Row {
    /// The word that starts it; `None` for lines that start with a name or
    /// a value (a property, an edge chain, a stage).
    pub keyword: Option<&'static str>,
    /// The blocks it may stand in as a statement (none for clauses).
    pub contexts: &'static [Context],
    /// What follows the keyword.
    pub shape: &'static [Part],
    /// What it means, one sentence, for hover and completion.
    pub doc: &'static str,
    /// How it is written.
    pub example: &'static str,
}

impl Row {
    /// Every keyword of the construct: the leading one and those in its shape.
    pub fn words(&self) -> Vec<&'static str> {
        fn walk(parts: &[Part], out: &mut Vec<&'static str>) {
            for part in parts {
                match part {
                    Part::Word(w) => out.push(w),
                    Part::Optional(p) | Part::Repeated(p) | Part::Repeated1(p) | Part::Separated(p) => walk(p, out),
                    Part::Either(alternatives) => alternatives.iter().for_each(|p| walk(p, out)),
                    Part::Group => out.push(EITHER),
                    _ => {}
                }
            }
        }
        let mut out: Vec<&'static str> = self.keyword.into_iter().collect();
        walk(self.shape, &mut out);
        out
    }
}

/// The word that makes a workflow group a choice.
pub const EITHER: &str = "either";

/// The word between a family's index name and its range: `f[k in 1..50]`.
pub const FAMILY_IN: &str = "in";

listed_enum! {
    /// Every construct: each is a node kind of the syntax tree.
    pub enum Construct {
        Include,
        Param,
        Platform,
        Storage,
        Serverless,
        Layer,
        Image,
        Function,
        Workload,
        Workflow,
        Sweep,
        SweepAxis,
        Format,
        Cost,
        Host,
        Disk,
        Link,
        Route,
        Network,
        Failure,
        Property,
        Head,
        ComputeHosts,
        Scheduler,
        Autoscaler,
        Sandbox,
        Bus,
        Data,
        Prewarm,
        Limits,
        Body,
        Sleep,
        Compute,
        Read,
        Write,
        Output,
        Fail,
        Invoke,
        Replay,
        Client,
        Wait,
        On,
        As,
        At,
        Every,
        Poisson,
        Rate,
        Closed,
        Count,
        For,
        Burst,
        Ramp,
        Stages,
        Hold,
        Chain,
        With,
        KeepAlivePolicy,
        PlacementPolicy,
        EvictionPolicy,
        AutoscalerPolicy,
        Rule,
    }
}

use Construct as C;
use Context as X;
use Part::*;

/// A rate: a ramp, stages, or a value.
const RATE: &[&[Part]] = &[&[Child(C::Ramp)], &[Child(C::Stages)], &[Measure(Dim::Frequency)]];
const INVOKE_CLAUSES: &[Construct] = &[
    C::On,
    C::At,
    C::Every,
    C::Poisson,
    C::Rate,
    C::Closed,
    C::Count,
    C::For,
    C::Burst,
    C::Ramp,
    C::Stages,
    C::With,
];

impl Construct {
    /// The construct's row of the grammar.
    pub fn row(self) -> Row {
        let (keyword, contexts, shape, doc, example): (_, &'static [Context], &'static [Part], _, _) = match self {
            C::Include => (
                Some("include"),
                &[X::File],
                &[Text],
                "reads another script, relative to this one",
                "include \"common/cluster.sls\"",
            ),
            C::Param => (
                Some("param"),
                &[X::File],
                &[Name(Role::DeclareParam), Punct("="), Value],
                "a parameter: a value the command line may change with `-p name=value`",
                "param nodes = 4",
            ),
            C::Platform => (
                Some("platform"),
                &[X::File],
                &[Block(X::Platform)],
                "the hosts, links and routes the simulation runs on",
                "platform { host node { speed 1Gf/s } }",
            ),
            C::Storage => (
                Some("storage"),
                &[X::File],
                &[
                    Name(Role::DeclareStorage),
                    Word("on"),
                    Disk,
                    Optional(&[Properties(Owner::Storage)]),
                ],
                "a storage service on a host's disk, where images and data are read from",
                "storage repo on gateway:\"/\"",
            ),
            C::Serverless => (
                Some("serverless"),
                &[X::File],
                &[
                    Name(Role::DeclareService),
                    Optional(&[Word("extends"), Name(Role::UseService)]),
                    Block(X::Service),
                ],
                "a serverless service: a head host, compute hosts and their policies; `extends` starts from another's",
                "serverless faas { head gateway:\"/\"; compute node[*] }",
            ),
            C::Layer => (
                Some("layer"),
                &[X::File],
                &[Name(Role::DeclareLayer), Properties(Owner::Layer)],
                "a layer that images may share",
                "layer python { size 300MB; ram 120MB }",
            ),
            C::Image => (
                Some("image"),
                &[X::File],
                &[
                    Declared(Role::DeclareImage),
                    Optional(&[Word("extends"), Name(Role::UseImage)]),
                    Properties(Owner::Image),
                ],
                "a container image: one file or a list of layers; `name[k in 1..n]` declares a family, `extends` starts from another image",
                "image runtime { size 250MB; ram 250MB; from repo }",
            ),
            C::Function => (
                Some("function"),
                &[X::File],
                &[
                    Declared(Role::DeclareFunction),
                    Optional(&[Word("extends"), Name(Role::UseFunction)]),
                    Block(X::Function),
                ],
                "a function: its image, limits and body; `name[k in 1..n]` declares a family, `extends` starts from another function",
                "function work { image runtime; body { sleep 1s } }",
            ),
            C::Workload => (
                Some("workload"),
                &[X::File],
                &[Block(X::Workload)],
                "how functions are invoked: streams, replays and clients, side by side",
                "workload { invoke work every 1s count 10 }",
            ),
            C::Workflow => (
                Some("workflow"),
                &[X::File],
                &[Name(Role::DeclareWorkflow), Block(X::Workflow)],
                "functions run one after another, in parallel or by chance",
                "workflow pipeline { extract -> [resize, classify] -> store }",
            ),
            C::Sweep => (
                Some("sweep"),
                &[X::File],
                &[Either(&[
                    &[Word("repeat"), Value],
                    &[
                        Child(C::SweepAxis),
                        Repeated(&[Word("x"), Child(C::SweepAxis)]),
                        Optional(&[Word("repeat"), Value]),
                    ],
                ])],
                "runs the script for every combination of parameter values, each repeated",
                "sweep nodes in [2, 4, 8] x scheduler in [fcfs, balanced] repeat 5",
            ),
            C::Format => (
                Some("format"),
                &[X::File],
                &[Name(Role::DeclareFormat), Properties(Owner::Mapping)],
                "a trace format declared by mapping its columns to what they mean, for `replay NAME \"file.csv\"`",
                "format requests { time column(\"ts\", 1ms); function column(\"func\"); duration column(\"runtime\", 1s) }",
            ),
            C::Cost => (
                Some("cost"),
                &[X::File],
                &[Properties(Owner::Cost)],
                "the prices the run is billed at, in the summary: per GB-second, request, GB transferred and idle GB-second",
                "cost { per_gb_second 0.0000166667; per_request 0.0000002 }",
            ),
            C::SweepAxis => (
                None,
                &[],
                &[Name(Role::UseParam), Word("in"), Value],
                "a parameter and the values it takes",
                "nodes in [2, 4, 8]",
            ),
            C::Host => (
                Some("host"),
                &[X::Platform],
                &[Declared(Role::DeclareHost), Block(X::Host)],
                "a host, or an array of hosts `name[1..n]`",
                "host node[1..4] { speed 1Gf/s; cores 8; ram 16GB }",
            ),
            C::Disk => (
                Some("disk"),
                &[X::Host],
                &[Text, Properties(Owner::Disk)],
                "a disk of the host, by its mount point",
                "disk \"/\" { size 1TB; read 100MBps; write 100MBps }",
            ),
            C::Link => (
                Some("link"),
                &[X::Platform],
                &[Declared(Role::DeclareLink), Properties(Owner::Link)],
                "a network link, or an array of links",
                "link lan[1..4] { bandwidth 10Gbps; latency 50us }",
            ),
            C::Route => (
                Some("route"),
                &[X::Platform],
                &[
                    Element(Role::UseHost),
                    Punct("<->"),
                    Element(Role::UseHost),
                    Word("via"),
                    Separated(&[Element(Role::UseLink)]),
                ],
                "the links between two hosts, both ways; `host[i]` pairs arrays element by element",
                "route gateway <-> node[i] via lan[i]",
            ),
            C::Network => (
                Some("network"),
                &[X::Platform],
                &[Name(Role::Network)],
                "the network model: `lv08` (SimGrid's default) or `raw`",
                "network lv08",
            ),
            C::Failure => (
                Some("fail"),
                &[X::Platform],
                &[
                    Either(&[
                        &[Word("host"), Element(Role::UseHost)],
                        &[Word("link"), Element(Role::UseLink)],
                    ]),
                    Word("at"),
                    Measure(Dim::Time),
                    Optional(&[Word("for"), Measure(Dim::Time)]),
                ],
                "a host or link failure at a date, for good or for a while",
                "fail host node[2] at 10min for 1min",
            ),
            C::Property => (
                None,
                &[X::Host, X::Service, X::Function, X::Properties],
                &[Name(Role::Property), Value],
                "a property and its value",
                "cores 4",
            ),
            C::Head => (
                Some("head"),
                &[X::Service],
                &[Disk],
                "the head host and disk of the service, where images are stored",
                "head gateway:\"/\"",
            ),
            C::ComputeHosts => (
                Some("compute"),
                &[X::Service],
                &[Separated(&[Element(Role::UseHost)])],
                "the compute hosts of the service",
                "compute node[*]",
            ),
            C::Scheduler => (
                Some("scheduler"),
                &[X::Service],
                &[Choice(Choices::Scheduler), Optional(&[Properties(Owner::Scheduler)])],
                "the policy that places invocations on compute hosts",
                "scheduler greedy { nodes least_loaded }",
            ),
            C::Autoscaler => (
                Some("autoscaler"),
                &[X::Service],
                &[Choice(Choices::Autoscaler), Optional(&[Properties(Owner::Autoscaler)])],
                "how many containers each function should have over time, ahead of its invocations",
                "autoscaler kpa { target 10; stable_window 60s }",
            ),
            C::Sandbox => (
                Some("sandbox"),
                &[X::Service],
                &[Name(Role::Sandbox), Optional(&[Properties(Owner::Sandbox)])],
                "what a container holds: one invocation, one function or one application (SAND)",
                "sandbox per_application { fork 2ms }",
            ),
            C::Bus => (
                Some("bus"),
                &[X::Service],
                &[Name(Role::Bus), Optional(&[Properties(Owner::Bus)])],
                "how a workflow's triggers travel: through the controller, or SAND's hierarchical bus",
                "bus hierarchical { local_latency 30us }",
            ),
            C::Data => (
                Some("data"),
                &[X::Service],
                &[Name(Role::DataLayer), Optional(&[Properties(Owner::Data)])],
                "where a workflow's outputs are stored: the host's local store or the global one",
                "data local { latency 20us; bandwidth 5GBps }",
            ),
            C::Prewarm => (
                Some("prewarm"),
                &[X::Service],
                &[Name(Role::UseFunction), Optional(&[Value])],
                "containers of a function started before any invocation",
                "prewarm work 2",
            ),
            C::Limits => (
                Some("limits"),
                &[X::Function],
                &[Properties(Owner::Limits)],
                "what one invocation may use",
                "limits { time 60s; ram 512MB }",
            ),
            C::Body => (
                Some("body"),
                &[X::Function],
                &[Block(X::Body)],
                "what one invocation does, step by step",
                "body { read 20MB from repo; compute 5Gf }",
            ),
            C::Sleep => (
                Some("sleep"),
                &[X::Body, X::Client],
                &[Measure(Dim::Time)],
                "waits for a time",
                "sleep uniform(10s, 90s)",
            ),
            C::Compute => (
                Some("compute"),
                &[X::Body],
                &[Measure(Dim::Flops)],
                "computes an amount of flops at one core's speed",
                "compute 5Gf",
            ),
            C::Read => (
                Some("read"),
                &[X::Body],
                &[Measure(Dim::Size), Optional(&[Word("from"), Name(Role::UseStorage)])],
                "reads from the scratch disk, or from a storage over the network",
                "read 20MB from repo",
            ),
            C::Write => (
                Some("write"),
                &[X::Body],
                &[Measure(Dim::Size), Optional(&[Word("to"), Name(Role::UseStorage)])],
                "writes to the scratch disk, or to a storage over the network",
                "write 2MB",
            ),
            C::Output => (
                Some("output"),
                &[X::Body],
                &[Measure(Dim::Size)],
                "the output passed to the workflow's next functions",
                "output 1MB",
            ),
            C::Fail => (
                Some("fail"),
                &[X::Body],
                &[Measure(Dim::Number)],
                "the body's own error, with this probability per run",
                "fail 1%",
            ),
            C::Invoke => (
                Some("invoke"),
                &[X::Workload, X::Client],
                &[Element(Role::UseInvocable), Clauses(INVOKE_CLAUSES)],
                "a stream of invocations of a function or workflow; `f[k in 1..n]` is a stream per member of a family",
                "invoke work poisson 50/s for 10min",
            ),
            C::Replay => (
                Some("replay"),
                &[X::Workload],
                &[
                    Name(Role::TraceFormat),
                    Value,
                    Clauses(&[C::On, C::As]),
                    Optional(&[Properties(Owner::Replay)]),
                ],
                "invocations read from a trace",
                "replay azure2019 \"traces/azure\" as template { minutes 1..60 }",
            ),
            C::Client => (
                Some("client"),
                &[X::Workload],
                &[Block(X::Client)],
                "a scripted client: requests one after another, waits and sleeps",
                "client { invoke work; wait; sleep 70s }",
            ),
            C::Wait => (
                Some("wait"),
                &[X::Client],
                &[],
                "waits until everything the client invoked has finished",
                "wait",
            ),
            C::On => (
                Some("on"),
                &[],
                &[Name(Role::UseService)],
                "the service that runs it (may be left out with one service)",
                "on faas",
            ),
            C::As => (
                Some("as"),
                &[],
                &[Name(Role::UseFunction)],
                "the function every trace function is made from",
                "as template",
            ),
            C::At => (
                Some("at"),
                &[],
                &[Measure(Dim::Time)],
                "the date of the first invocation",
                "at 30s",
            ),
            C::Every => (
                Some("every"),
                &[],
                &[Measure(Dim::Time)],
                "invocations at a fixed interval",
                "every 1s",
            ),
            C::Poisson => (
                Some("poisson"),
                &[],
                &[Either(RATE)],
                "invocations at random dates, at this mean rate",
                "poisson 50/s",
            ),
            C::Rate => (
                Some("rate"),
                &[],
                &[Either(RATE)],
                "evenly paced invocations at this rate",
                "rate 20/s",
            ),
            C::Closed => (
                Some("closed"),
                &[],
                &[Value, Word("users"), Optional(&[Word("think"), Measure(Dim::Time)])],
                "a closed loop: each user invokes, waits for the answer, thinks, and again",
                "closed 25 users think exponential(3s)",
            ),
            C::Count => (Some("count"), &[], &[Value], "how many invocations", "count 200"),
            C::For => (
                Some("for"),
                &[],
                &[Measure(Dim::Time)],
                "how long the stream lasts",
                "for 10min",
            ),
            C::Burst => (
                Some("burst"),
                &[],
                &[Value],
                "this many invocations at once",
                "burst 100",
            ),
            C::Ramp => (
                Some("ramp"),
                &[X::Stages],
                &[
                    Punct("("),
                    Measure(Dim::Frequency),
                    Punct("->"),
                    Measure(Dim::Frequency),
                    Punct(")"),
                    Word("over"),
                    Measure(Dim::Time),
                ],
                "a rate that grows or shrinks steadily",
                "ramp(1/s -> 100/s) over 5min",
            ),
            C::Stages => (
                Some("stages"),
                &[],
                &[Block(X::Stages)],
                "rates one after another",
                "stages { 10/s for 1min; ramp(10/s -> 50/s) over 2min }",
            ),
            C::Hold => (
                None,
                &[X::Stages],
                &[Measure(Dim::Frequency), Word("for"), Measure(Dim::Time)],
                "a rate held for a time",
                "10/s for 1min",
            ),
            C::Chain => (
                None,
                &[X::Workflow],
                &[Group, Repeated1(&[Punct("->"), Group])],
                "functions joined by arrows: a join waits for all, `either` runs one",
                "extract -> [resize, classify] -> store",
            ),
            C::With => (
                Some("with"),
                &[],
                &[Properties(Owner::Arguments)],
                "the values each invocation passes to the body's `trace.` fields",
                "with { duration 40s }",
            ),
            C::KeepAlivePolicy => (
                Some("keep_alive"),
                &[X::File],
                &[Name(Role::DeclarePolicy), Block(X::Policy)],
                "a keep-alive policy written as expressions, chosen by its name like a built-in (`keep_alive NAME`)",
                "keep_alive adaptive { idle clamp(percentile(idle_times(function, 4h), 99%), 1min, 2h) }",
            ),
            C::PlacementPolicy => (
                Some("placement"),
                &[X::File],
                &[Name(Role::DeclarePolicy), Block(X::Policy)],
                "a placement policy written as expressions: each invocation goes to the node of best score (`scheduler NAME`)",
                "placement packed { score node = free_ram(node) - 2GB * busy(node); pick max }",
            ),
            C::EvictionPolicy => (
                Some("eviction"),
                &[X::File],
                &[Name(Role::DeclarePolicy), Block(X::Policy)],
                "an eviction policy written as expressions: the idle containers of lowest priority leave first (`eviction NAME`)",
                "eviction cheapest { priority c = idle_since(c) }",
            ),
            C::AutoscalerPolicy => (
                Some("autoscaler"),
                &[X::File],
                &[Name(Role::DeclarePolicy), Block(X::Policy)],
                "an autoscaler written as expressions: each function's desired container count (`autoscaler NAME`)",
                "autoscaler simple { desired ceil(concurrency(function, 60s) / 10) }",
            ),
            C::Rule => (
                None,
                &[X::Policy],
                &[Name(Role::Property), Value, Optional(&[Punct("="), Value])],
                "a rule of a policy: what it decides and the expression that decides it",
                "idle 10min",
            ),
        };
        Row {
            keyword,
            contexts,
            shape,
            doc,
            example,
        }
    }
}

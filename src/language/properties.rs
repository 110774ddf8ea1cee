//! The properties each block accepts: their names, what their values are
//! (a dimension, a count, a word of a set, a name) and what they mean.

use super::choices::Choices;
use super::grammar::Space;
use super::listed_enum;
use super::policies::{AUTOSCALER, FIXED_WINDOW};
use super::units::Dim;

listed_enum! {
    /// A block that holds properties.
    pub enum Owner {
        Host,
        Disk,
        Link,
        Storage,
        Service,
        Layer,
        Image,
        Function,
        Limits,
        Scheduler,
        Autoscaler,
        Sandbox,
        Bus,
        Data,
        Replay,
        Mapping,
        Arguments,
        Cost,
    }
}

/// What a property's value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value {
    /// A quantity of this dimension (a plain number for `Dim::Number`).
    Measure(Dim),
    /// A whole number.
    Count,
    /// One of a set of words.
    Choice(Choices),
    /// The name of something declared.
    Name(Space),
    /// A list of names of something declared.
    Names(Space),
    /// Something else, described.
    Other(&'static str),
}

/// One property.
#[derive(Debug, Clone, Copy)]
pub struct Property {
    pub name: &'static str,
    pub value: Value,
    pub doc: &'static str,
    /// The kinds of the block it applies to (`greedy` for a scheduler's
    /// properties); empty for every kind.
    pub kinds: &'static [&'static str],
}

const fn p(name: &'static str, value: Value, doc: &'static str) -> Property {
    Property {
        name,
        value,
        doc,
        kinds: &[],
    }
}

const fn of(kinds: &'static [&'static str], name: &'static str, value: Value, doc: &'static str) -> Property {
    Property {
        name,
        value,
        doc,
        kinds,
    }
}

use Dim::*;
use Value::*;

const PER_APPLICATION: &[&str] = &["per_application"];
const GLOBAL: &[&str] = &["global"];
const HIERARCHICAL: &[&str] = &["hierarchical"];
const GREEDY: &[&str] = &["greedy"];
const AZURE2019: &[&str] = &["azure2019"];
const CSV: &[&str] = &["csv"];

/// The properties of an `autoscaler` block: its policies' parameters
/// from the policy registry, gathered once.
static AUTOSCALER_PROPERTIES: std::sync::OnceLock<Vec<Property>> = std::sync::OnceLock::new();

/// Each parameter of the registry's autoscalers once, for the autoscalers
/// that take it (`target` for `kpa` and `hpa`).
fn autoscaler_properties() -> Vec<Property> {
    let mut params: Vec<(&'static super::policies::Param, Vec<&'static str>)> = Vec::new();
    for row in AUTOSCALER {
        for param in row.params {
            match params.iter_mut().find(|(p, _)| p.name == param.name) {
                Some((_, kinds)) => kinds.push(row.choice.word),
                None => params.push((param, vec![row.choice.word])),
            }
        }
    }
    params
        .into_iter()
        .map(|(param, kinds)| {
            of(
                Box::leak(kinds.into_boxed_slice()),
                param.name,
                Measure(param.dim),
                param.doc,
            )
        })
        .collect()
}

/// The properties of a replay, gathered once.
static REPLAY: std::sync::OnceLock<Vec<Property>> = std::sync::OnceLock::new();

/// What the columns of a trace mean: a `format` declaration, or a `csv`
/// replay's own mapping.
const MAPPING: &[Property] = &[
    p(
        "time",
        Other("`column(\"name\", 1s)` (any time unit), or `column(\"name\", timestamp(\"%Y-%m-%d %H:%M:%S\"))`"),
        "the column of each row's arrival date, and its unit or timestamp layout",
    ),
    p(
        "function",
        Other("`column(\"name\")`, or `header`"),
        "the column naming each row's function; `header`: every other column is a function, its cells count invocations",
    ),
    p(
        "app",
        Other("`column(\"name\")`"),
        "the column naming each row's application",
    ),
    p(
        "duration",
        Other("`column(\"name\", 1ms)`, or a time, maybe random"),
        "what `trace.duration` is: a column and its unit, or a value for a trace without one",
    ),
    p(
        "memory",
        Other("`column(\"name\", 1MB)`, or a size, maybe random"),
        "what `trace.memory` is: a column and its unit, or a value for a trace without one",
    ),
    p(
        "request_payload",
        Other("`column(\"name\", 1B)`, or a size, maybe random"),
        "the bytes sent with each request (instead of the service's `request_payload`): a column and its unit, or a value",
    ),
    p(
        "response_payload",
        Other("`column(\"name\", 1B)`, or a size, maybe random"),
        "the bytes sent back with each answer (instead of the service's `response_payload`): a column and its unit, or a value",
    ),
    p(
        "period",
        Measure(Time),
        "with `function header`: the time each row counts invocations over",
    ),
    p(
        "spread",
        Choice(Choices::Spread),
        "with `function header`: how a row's invocations are placed in its period",
    ),
    p(
        "ignore",
        Other("a list of column names"),
        "with `function header`: columns that are not functions",
    ),
];

impl Owner {
    /// The block as messages name it: "a host".
    pub fn noun(self) -> &'static str {
        match self {
            Owner::Host => "a host",
            Owner::Disk => "a disk",
            Owner::Link => "a link",
            Owner::Storage => "a storage",
            Owner::Service => "a `serverless` service",
            Owner::Layer => "a layer",
            Owner::Image => "an image",
            Owner::Function => "a function",
            Owner::Limits => "a function's `limits`",
            Owner::Scheduler => "a scheduler",
            Owner::Autoscaler => "an autoscaler",
            Owner::Sandbox => "a sandbox",
            Owner::Bus => "a bus",
            Owner::Data => "a data layer",
            Owner::Replay => "a replay",
            Owner::Mapping => "a trace format",
            Owner::Arguments => "`with`",
            Owner::Cost => "`cost`",
        }
    }

    /// Every property of the block, whatever its kind.
    pub fn properties(self) -> &'static [Property] {
        match self {
            Owner::Host => {
                const {
                    &[
                        p("speed", Measure(FlopRate), "the speed of one core"),
                        p("cores", Count, "how many cores (1 if left out)"),
                        p("ram", Measure(Size), "the host's RAM; a compute host needs it"),
                        p(
                            "named",
                            Other("a string"),
                            "the names results give an array's hosts, `{i}` standing for the index: `\"ServerlessComputeNode{i}\"`",
                        ),
                    ]
                }
            }
            Owner::Disk => {
                const {
                    &[
                        p("size", Measure(Size), "the disk's capacity"),
                        p("read", Measure(ByteRate), "the read bandwidth"),
                        p("write", Measure(ByteRate), "the write bandwidth"),
                    ]
                }
            }
            Owner::Link => {
                const {
                    &[
                        p("bandwidth", Measure(ByteRate), "the link's bandwidth"),
                        p("latency", Measure(Time), "the link's latency"),
                        p(
                            "sharing",
                            Choice(Choices::Sharing),
                            "how the two directions share the bandwidth",
                        ),
                    ]
                }
            }
            Owner::Storage => &[],
            Owner::Service => {
                const {
                    &[
                        p(
                            "container_startup",
                            Measure(Time),
                            "how long a cold container takes to start",
                        ),
                        // The `fixed` keep-alive's parameter, from the policy registry.
                        p(FIXED_WINDOW.name, Measure(FIXED_WINDOW.dim), FIXED_WINDOW.doc),
                        p(
                            "keep_alive",
                            Choice(Choices::KeepAlive),
                            "how long idle containers stay, and when they are prewarmed",
                        ),
                        p(
                            "eviction",
                            Choice(Choices::Eviction),
                            "which idle containers leave first",
                        ),
                        p(
                            "processing_overhead",
                            Measure(Time),
                            "the time the service spends on each request",
                        ),
                        p(
                            "image_downloads",
                            Choice(Choices::OnOff),
                            "whether missing image layers are downloaded (on) or already there (off)",
                        ),
                        p(
                            "slots",
                            Count,
                            "containers per node; more than the cores shares the CPU",
                        ),
                        p("request_payload", Measure(Size), "the data sent with each request"),
                        p("response_payload", Measure(Size), "the data sent back with each answer"),
                        p(
                            "cpu_follows_memory",
                            Measure(Size),
                            "the RAM limit that buys one core, for functions without `cpu` (AWS Lambda: `1769MB`)",
                        ),
                    ]
                }
            }
            Owner::Layer => {
                const {
                    &[
                        p("size", Measure(Size), "the layer's size on disk"),
                        p(
                            "ram",
                            Measure(Size),
                            "the layer's footprint in RAM (its size if left out)",
                        ),
                    ]
                }
            }
            Owner::Image => {
                const {
                    &[
                        p("size", Measure(Size), "the image's size, for a one-file image"),
                        p(
                            "ram",
                            Measure(Size),
                            "the image's footprint in RAM (its size if left out)",
                        ),
                        p("from", Name(Space::Storage), "the storage the image is downloaded from"),
                        p(
                            "layers",
                            Names(Space::Layer),
                            "the image's layers, which images may share",
                        ),
                    ]
                }
            }
            Owner::Function => {
                const {
                    &[
                        p("image", Name(Space::Image), "the container image the function runs in"),
                        p(
                            "app",
                            Other("a name"),
                            "the application the function belongs to (SAND); its own name if left out",
                        ),
                        p(
                            "keep_alive",
                            Choice(Choices::KeepAlive),
                            "the function's keep-alive policy, instead of its service's",
                        ),
                    ]
                }
            }
            Owner::Cost => {
                const {
                    &[
                        p(
                            "per_gb_second",
                            Measure(Number),
                            "the price of a GB-second (1024 MB for a second) of the memory given to a running invocation, billed per millisecond",
                        ),
                        p(
                            "per_request",
                            Measure(Number),
                            "the price of one request: an invocation that started",
                        ),
                        p(
                            "per_gb_transferred",
                            Measure(Number),
                            "the price of a GB (2^30 bytes) a body reads from or writes to a storage over the network",
                        ),
                        p(
                            "per_idle_gb_second",
                            Measure(Number),
                            "the price of a GB-second (1024 MB for a second) of memory held by idle containers (keep-alive, provisioned concurrency)",
                        ),
                    ]
                }
            }
            Owner::Limits => {
                const {
                    &[
                        p(
                            "time",
                            Measure(Time),
                            "the longest an invocation may run before it times out",
                        ),
                        p("disk", Measure(Size), "the scratch disk each container reserves"),
                        p("ram", Measure(Size), "the RAM each container reserves"),
                        p(
                            "ingress",
                            Measure(Size),
                            "the most an invocation may read over the network",
                        ),
                        p(
                            "egress",
                            Measure(Size),
                            "the most an invocation may write over the network",
                        ),
                        p(
                            "concurrency",
                            Count,
                            "how many invocations one container serves at once (1 if left out)",
                        ),
                        p(
                            "cpu",
                            Measure(Number),
                            "the cores the body's computations may use (`0.5`, `2`), which also weigh their share of a busy node; one if left out",
                        ),
                    ]
                }
            }
            Owner::Scheduler => {
                const {
                    &[
                        of(
                            GREEDY,
                            "order",
                            Choice(Choices::Ordering),
                            "the order requests are considered in",
                        ),
                        of(
                            GREEDY,
                            "nodes",
                            Choice(Choices::NodeSelection),
                            "which nodes a request may go to",
                        ),
                        of(
                            GREEDY,
                            "eviction",
                            Choice(Choices::EvictionSelection),
                            "which node to evict on when none has room",
                        ),
                        of(GREEDY, "plan", Choice(Choices::Plan), "which eviction plan to follow"),
                    ]
                }
            }
            Owner::Sandbox => {
                const {
                    &[
                        of(
                            PER_APPLICATION,
                            "worker_start",
                            Measure(Time),
                            "how long a grain worker takes to start",
                        ),
                        of(
                            PER_APPLICATION,
                            "library_load",
                            Measure(Time),
                            "how long a worker takes to load its libraries",
                        ),
                        of(
                            PER_APPLICATION,
                            "fork",
                            Measure(Time),
                            "how long forking an instance takes",
                        ),
                        p("base_memory", Measure(Size), "the memory of a sandbox itself"),
                        of(
                            PER_APPLICATION,
                            "instance_memory",
                            Measure(Size),
                            "the memory of each forked instance",
                        ),
                    ]
                }
            }
            Owner::Bus => {
                const {
                    &[
                        of(
                            GLOBAL,
                            "latency",
                            Measure(Time),
                            "the time a trigger takes through the controller",
                        ),
                        of(
                            GLOBAL,
                            "per_message",
                            Measure(Time),
                            "the time the controller spends on each message",
                        ),
                        of(
                            HIERARCHICAL,
                            "global_latency",
                            Measure(Time),
                            "the time a trigger takes between hosts",
                        ),
                        of(
                            HIERARCHICAL,
                            "global_per_message",
                            Measure(Time),
                            "the time the global bus spends on each message",
                        ),
                        of(
                            HIERARCHICAL,
                            "local_latency",
                            Measure(Time),
                            "the time a trigger takes within a host",
                        ),
                        of(
                            HIERARCHICAL,
                            "local_per_message",
                            Measure(Time),
                            "the time a local bus spends on each message",
                        ),
                        of(
                            HIERARCHICAL,
                            "agent_forward",
                            Measure(Time),
                            "the time a host's agent takes to forward",
                        ),
                        of(
                            HIERARCHICAL,
                            "backup",
                            Choice(Choices::OnOff),
                            "whether local triggers are also sent to the global bus",
                        ),
                    ]
                }
            }
            Owner::Data => {
                const {
                    &[
                        p("latency", Measure(Time), "the time to reach the store"),
                        p("bandwidth", Measure(ByteRate), "the store's bandwidth"),
                    ]
                }
            }
            Owner::Autoscaler => AUTOSCALER_PROPERTIES.get_or_init(autoscaler_properties),
            Owner::Replay => REPLAY.get_or_init(|| {
                let azure2019 = [
                    of(
                        AZURE2019,
                        "days",
                        Other("a day, a list of days or a range of them (`1..3`), 1 to 14"),
                        "the days of the trace to replay",
                    ),
                    of(
                        AZURE2019,
                        "minutes",
                        Other("a range of minutes, 1..1440"),
                        "the minutes of each day to replay",
                    ),
                    of(
                        AZURE2019,
                        "apps",
                        Choice(Choices::Apps),
                        "which apps of the trace to replay",
                    ),
                    of(
                        AZURE2019,
                        "spread",
                        Choice(Choices::Spread),
                        "how a minute's invocations are spread",
                    ),
                    of(
                        AZURE2019,
                        "rate",
                        Measure(Frequency),
                        "scales the trace to this mean rate",
                    ),
                ];
                // A `csv` replay may map its columns as a `format` does.
                let mapping = Owner::Mapping
                    .properties()
                    .iter()
                    .map(|p| Property { kinds: CSV, ..*p });
                azure2019.into_iter().chain(mapping).collect()
            }),
            Owner::Mapping => MAPPING,
            Owner::Arguments => {
                const {
                    &[
                        p(
                            "duration",
                            Other("a time, maybe random (`uniform(1s, 3s)`), drawn per invocation"),
                            "the invocation's `trace.duration`, as a trace row gives it",
                        ),
                        p(
                            "memory",
                            Measure(Size),
                            "the invocation's `trace.memory`, as a trace row gives it (its RAM limit, so a fixed size)",
                        ),
                        p(
                            "request_payload",
                            Other("a size, maybe random (`exponential(1MB)`), drawn per invocation"),
                            "the bytes sent with the request, instead of its service's `request_payload`",
                        ),
                        p(
                            "response_payload",
                            Other("a size, maybe random (`exponential(1MB)`), drawn per invocation"),
                            "the bytes sent back with the answer, instead of its service's `response_payload`",
                        ),
                    ]
                }
            }
        }
    }

    /// The properties accepted for a kind of the block (`greedy`, `global`).
    pub fn accepted(self, kind: &str) -> impl Iterator<Item = &'static Property> {
        self.properties()
            .iter()
            .filter(move |p| p.kinds.is_empty() || p.kinds.contains(&kind))
    }

    /// The names of [`Owner::accepted`].
    pub fn names(self, kind: &str) -> Vec<&'static str> {
        self.accepted(kind).map(|p| p.name).collect()
    }

    /// A property of the block by name, whatever its kind.
    pub fn property(self, name: &str) -> Option<&'static Property> {
        self.properties().iter().find(|p| p.name == name)
    }
}

/// Every property name of every block, sorted, without repeats.
pub fn all_names() -> Vec<&'static str> {
    let mut names: Vec<&'static str> = Owner::ALL
        .iter()
        .flat_map(|o| o.properties().iter().map(|p| p.name))
        .collect();
    names.sort_unstable();
    names.dedup();
    names
}

//! The properties each block accepts: their names, what their values are
//! (a dimension, a count, a word of a set, a name) and what they mean.

use super::choices::Choices;
use super::grammar::Space;
use super::listed_enum;
use super::policies::FIXED_WINDOW;
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
        Sandbox,
        Bus,
        Data,
        Replay,
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
            Owner::Sandbox => "a sandbox",
            Owner::Bus => "a bus",
            Owner::Data => "a data layer",
            Owner::Replay => "a replay",
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
            Owner::Replay => {
                const {
                    &[
                        of(
                            AZURE2019,
                            "days",
                            Other("a day or a list of days, 1 to 14"),
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

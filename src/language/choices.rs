//! The fixed words a value may be: scheduler policies, network models,
//! sandbox granularities, and the other choices a script makes by name.

use super::listed_enum;
use super::policies::{self, AUTOSCALER, EVICTION, KEEP_ALIVE, PLACEMENT};

/// The placement policies (`scheduler`) and eviction policies, from the
/// policy registry.
const PLACEMENT_WORDS: [Choice; PLACEMENT.len()] = policies::words(PLACEMENT);
const EVICTION_WORDS: [Choice; EVICTION.len()] = policies::words(EVICTION);
const KEEP_ALIVE_WORDS: [Choice; KEEP_ALIVE.len()] = policies::words(KEEP_ALIVE);
const AUTOSCALER_WORDS: [Choice; AUTOSCALER.len()] = policies::words(AUTOSCALER);

listed_enum! {
    /// A set of words a value is chosen from.
    pub enum Choices {
        Scheduler,
        Ordering,
        NodeSelection,
        EvictionSelection,
        Plan,
        Network,
        Sharing,
        Eviction,
        KeepAlive,
        Autoscaler,
        OnOff,
        Sandbox,
        Bus,
        DataLayer,
        TraceFormat,
        Spread,
        Apps,
        Distribution,
    }
}

/// One word of a set, with what it means.
#[derive(Debug, Clone, Copy)]
pub struct Choice {
    pub word: &'static str,
    /// How it is written when it takes arguments: `random(42)`.
    pub call: Option<&'static str>,
    pub doc: &'static str,
}

const fn word(word: &'static str, doc: &'static str) -> Choice {
    Choice { word, call: None, doc }
}

const fn call(word: &'static str, call: &'static str, doc: &'static str) -> Choice {
    Choice {
        word,
        call: Some(call),
        doc,
    }
}

impl Choices {
    /// What a value of the set is, for messages: "a scheduler".
    pub fn what(self) -> &'static str {
        match self {
            Choices::Scheduler => "a scheduler",
            Choices::Ordering => "an ordering policy",
            Choices::NodeSelection => "a node selection policy",
            Choices::EvictionSelection => "an eviction selection policy",
            Choices::Plan => "a plan selection policy",
            Choices::Network => "a network model",
            Choices::Sharing => "a sharing mode",
            Choices::Eviction => "an eviction policy",
            Choices::KeepAlive => "a keep-alive policy",
            Choices::Autoscaler => "an autoscaler",
            Choices::OnOff => "`on` or `off`",
            Choices::Sandbox => "a sandbox granularity",
            Choices::Bus => "a bus model",
            Choices::DataLayer => "a data layer",
            Choices::TraceFormat => "a trace format",
            Choices::Spread => "a spread within minutes",
            Choices::Apps => "an app selection",
            Choices::Distribution => "a distribution",
        }
    }

    /// The words of the set.
    pub fn choices(self) -> &'static [Choice] {
        match self {
            Choices::Scheduler => &PLACEMENT_WORDS,
            Choices::Ordering => {
                const {
                    &[
                        word("fcfs", "requests in arrival order"),
                        call("random", "random(42)", "requests in random order, from this seed"),
                    ]
                }
            }
            Choices::NodeSelection => {
                const {
                    &[
                        word("all", "every node with room"),
                        word("least_loaded", "the least loaded node"),
                    ]
                }
            }
            Choices::EvictionSelection => {
                const {
                    &[
                        word("lru", "the least recently used containers first"),
                        word("fewest_evictions", "the node needing the fewest evictions"),
                    ]
                }
            }
            Choices::Plan => {
                const {
                    &[
                        word("eviction_averse", "the plan that evicts least"),
                        call("random", "random(42)", "a random plan, from this seed"),
                    ]
                }
            }
            Choices::Network => {
                const {
                    &[
                        word("lv08", "SimGrid's default model, with its TCP corrections"),
                        word("raw", "bandwidth and latency as written"),
                    ]
                }
            }
            Choices::Sharing => {
                const {
                    &[
                        word("shared", "both directions share the bandwidth"),
                        word("split_duplex", "each direction has the full bandwidth"),
                    ]
                }
            }
            Choices::Eviction => &EVICTION_WORDS,
            Choices::KeepAlive => &KEEP_ALIVE_WORDS,
            Choices::Autoscaler => &AUTOSCALER_WORDS,
            Choices::OnOff => {
                const {
                    &[
                        word("on", "enabled"),
                        word("off", "disabled"),
                        word("true", "enabled, as `on`"),
                        word("false", "disabled, as `off`"),
                    ]
                }
            }
            Choices::Sandbox => {
                const {
                    &[
                        word("per_invocation", "a container per invocation"),
                        word("per_function", "a container per function (the default)"),
                        word(
                            "per_application",
                            "SAND: a sandbox per application per host, a grain worker per function, a fork per invocation",
                        ),
                    ]
                }
            }
            Choices::Bus => {
                const {
                    &[
                        word("global", "every trigger through the controller"),
                        word(
                            "hierarchical",
                            "SAND: a local bus per host, the global bus between hosts",
                        ),
                    ]
                }
            }
            Choices::DataLayer => {
                const {
                    &[
                        word("local", "the host's in-memory store"),
                        word("global", "the store on the head host, over the network"),
                    ]
                }
            }
            Choices::TraceFormat => {
                const {
                    &[
                        word("azure2019", "the Azure Functions 2019 dataset (a folder of day files)"),
                        word("azure2021", "the Azure Functions 2021 invocation trace (one file)"),
                        word("csv", "a CSV file: time,function[,duration][,memory]"),
                    ]
                }
            }
            Choices::Spread => {
                const {
                    &[
                        word("uniform", "evenly within each minute"),
                        word("poisson", "at random within each minute"),
                    ]
                }
            }
            Choices::Apps => {
                const {
                    &[
                        word("all", "every app of the trace"),
                        call("top", "top(10)", "the most invoked apps"),
                        call("quantile", "quantile(0.4..0.6, 30)", "apps within a band of popularity"),
                    ]
                }
            }
            Choices::Distribution => {
                const {
                    &[
                        call("uniform", "uniform(10s, 90s)", "uniform between two bounds"),
                        call("normal", "normal(1s, 100ms)", "normal, by mean and standard deviation"),
                        call("lognormal", "lognormal(200ms, 0.5)", "log-normal, by median and sigma"),
                        call("exponential", "exponential(3s)", "exponential, by mean"),
                        call(
                            "empirical",
                            "empirical([1s, 2s, 5s])",
                            "drawn from a list, or from a CSV column: `empirical(\"file.csv\", \"column\", 1ms)`",
                        ),
                    ]
                }
            }
        }
    }

    /// The words of the set, in order.
    pub fn words(self) -> impl Iterator<Item = &'static str> {
        self.choices().iter().map(|c| c.word)
    }
}

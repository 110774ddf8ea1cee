//! The policy registry: one table per policy kind (keep-alive, eviction,
//! placement, autoscaler), each row a policy's name, how it is written,
//! what it does and its parameters with their units and defaults. `check`
//! reads the tables (the words a script may choose, did-you-mean, the unit
//! of each parameter); `serverless::policy` builds the policy a row names
//! (its `make` for the kind finds the row's constructor by name, and a test
//! there fails when a row has none). The tables are plain data, so that
//! the language's description imports nothing of the simulation.
//!
//! # Adding a policy
//! 1. Write one file under `src/serverless/policy/<kind>/` (say
//!    `keep_alive/hybrid.rs`) with a type implementing the kind's trait
//!    (`KeepAlive`, `Eviction`, `Placement`, `Autoscaler`) and a
//!    constructor `fn make(args: &[f64], nodes: usize) -> Box<dyn Trait>`
//!    taking the row's parameters in the row's order, in base units
//!    (seconds, bytes).
//! 2. Add its row below (name, doc, parameters; a keep-alive also says
//!    with which parameters it never keeps a container), and its
//!    constructor to the kind's `MAKERS` in
//!    `src/serverless/policy/<kind>/mod.rs` under the same name (with its
//!    `mod` line).
//!
//! `check` then accepts the name and suggests it for near misses, and the
//! registry test (`policy::tests`) proves every row is constructible.

use super::choices::Choice;
use super::units::Dim;

/// A policy of some kind, as a script names it.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Its name, how it is written when it takes arguments, what it does.
    pub choice: Choice,
    /// Its numeric parameters, in the order its constructor takes them.
    pub params: &'static [Param],
    /// For a keep-alive: whether, with these parameters (in base units),
    /// it never keeps a container idle. `check` refuses a `prewarm` beside
    /// it; the policy's `keeps` answers the same at run time (a test of
    /// `serverless::policy` holds them equal for every row). Other kinds:
    /// never.
    pub never_keeps: fn(&[f64]) -> bool,
}

/// A numeric parameter of a policy.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// The property (or argument) that sets it.
    pub name: &'static str,
    /// Its unit; a value is given to the constructor in the unit's base
    /// (seconds, bytes, a plain number).
    pub dim: Dim,
    /// Its value when the script does not set it, in base units.
    pub default: f64,
    pub doc: &'static str,
}

const fn policy(word: &'static str, call: Option<&'static str>, doc: &'static str, params: &'static [Param]) -> Policy {
    Policy {
        choice: Choice { word, call, doc },
        params,
        never_keeps: keeps_some,
    }
}

/// A keep-alive row: [`policy`], and when it never keeps a container.
const fn keep_alive(
    word: &'static str,
    call: Option<&'static str>,
    doc: &'static str,
    params: &'static [Param],
    never_keeps: fn(&[f64]) -> bool,
) -> Policy {
    Policy {
        never_keeps,
        ..policy(word, call, doc, params)
    }
}

fn keeps_some(_params: &[f64]) -> bool {
    false
}

fn keeps_none(_params: &[f64]) -> bool {
    true
}

/// `fixed`: a window of 0 or less keeps nothing.
fn window_of_zero(params: &[f64]) -> bool {
    params.first().is_some_and(|window| *window <= 0.0)
}

/// How long an idle container stays, and when one is started ahead of its
/// invocations. Chosen per service and per function (`keep_alive`); a
/// service's `idle_timeout` is the shorthand of `fixed(idle_timeout)`.
/// Arguments are positional, in the row's order; those left out take
/// their defaults.
pub const KEEP_ALIVE: &[Policy] = &[
    FIXED,
    keep_alive("none", None, "idle containers are shut down at once", &[], keeps_none),
    keep_alive(
        "hybrid",
        Some("hybrid(4h, 1min)"),
        "Serverless in the Wild's hybrid histogram: per function, idle times in bins; prewarm at the head percentile, keep to the tail",
        HYBRID,
        keeps_some,
    ),
];

/// The fixed window, whose parameter a service's `idle_timeout` sets
/// when it names no `keep_alive`.
pub const FIXED: Policy = keep_alive(
    "fixed",
    Some("fixed(10min)"),
    "idle containers stay for a fixed window, then are shut down (none at all when it is 0)",
    &[FIXED_WINDOW],
    window_of_zero,
);

/// The `fixed` keep-alive's window: the service's `idle_timeout`.
pub const FIXED_WINDOW: Param = Param {
    name: "idle_timeout",
    dim: Dim::Time,
    default: 0.0,
    doc: "how long an idle container stays warm; 0s: shut down when idle",
};

/// The hybrid histogram's parameters (Shahrad et al., ATC'20, section 4.2).
const HYBRID: &[Param] = &[
    Param {
        name: "range",
        dim: Dim::Time,
        default: 4.0 * 3600.0,
        doc: "the idle times the histogram holds; longer ones are out of range; also the fallback window",
    },
    Param {
        name: "bin",
        dim: Dim::Time,
        default: 60.0,
        doc: "the width of a histogram bin",
    },
    Param {
        name: "head",
        dim: Dim::Number,
        default: 5.0,
        doc: "the percentile of idle times before which the container is unloaded (prewarm window)",
    },
    Param {
        name: "tail",
        dim: Dim::Number,
        default: 99.0,
        doc: "the percentile of idle times up to which the container is kept",
    },
    Param {
        name: "margin",
        dim: Dim::Number,
        default: 0.1,
        doc: "the prewarm window shrinks and the keep-alive window grows by this fraction",
    },
    Param {
        name: "cv",
        dim: Dim::Number,
        default: 2.0,
        doc: "the bin counts' coefficient of variation below which the histogram is not representative (fixed fallback)",
    },
];

/// Which idle containers are shut down when a new container needs room
/// (the service's `eviction`).
pub const EVICTION: &[Policy] = &[
    policy("lru", None, "idle containers leave in least recently used order", &[]),
    policy("ram", None, "idle containers leave when RAM is needed", &[]),
    policy(
        "greedy_dual",
        None,
        "FaasCache's greedy-dual: the lowest clock + frequency x cold-start cost / memory leaves first",
        &[],
    ),
    policy(
        "size",
        None,
        "FaasCache's SIZE: the lowest clock + frequency / memory leaves first (cost left out)",
        &[],
    ),
    policy(
        "freq",
        None,
        "FaasCache's FREQ: the lowest clock + frequency x cold-start cost leaves first (memory left out)",
        &[],
    ),
];

/// Where and when waiting invocations run: the service's `scheduler`.
/// `greedy`'s tuning words are its block's properties
/// (`language::properties`, `Owner::Scheduler`).
pub const PLACEMENT: &[Policy] = &[
    policy(
        "fcfs",
        None,
        "first come, first served: the oldest request goes to the first node with room",
        &[],
    ),
    policy(
        "random",
        Some("random(42)"),
        "a random node with room, from this seed",
        &[Param {
            name: "seed",
            dim: Dim::Number,
            default: 0.0,
            doc: "the seed of the node draws",
        }],
    ),
    policy(
        "balanced",
        None,
        "WRENCH's workload balancing: the least loaded node",
        &[],
    ),
    policy(
        "greedy",
        None,
        "WRENCH's greedy scheduler with eviction plans, tuned by its properties",
        &[],
    ),
    policy(
        "least_loaded",
        None,
        "each request goes to the node with the fewest busy slots",
        &[],
    ),
    policy(
        "round_robin",
        None,
        "the nodes take requests in turn, skipping full ones",
        &[],
    ),
    policy(
        "openwhisk",
        None,
        "OpenWhisk's sharding: a function's home node by hash, then co-prime steps past full nodes",
        &[],
    ),
    policy(
        "consistent_hash",
        Some("consistent_hash(1.25)"),
        "consistent hashing with bounded loads: a function's node on a hash ring, unless above the bound",
        &[CONSISTENT_HASH_BOUND],
    ),
];

/// `consistent_hash`'s bound: how far above the average load a node may go.
pub const CONSISTENT_HASH_BOUND: Param = Param {
    name: "bound",
    dim: Dim::Number,
    default: 1.25,
    doc: "the most busy slots a node takes, as a factor (1 or more) of the average with the new request",
};

/// How many containers each function should have over time, ahead of
/// what the placement starts for waiting invocations.
/// Parameters are the properties of the `autoscaler` block
/// (`autoscaler kpa { target 10; max 20 }`), those left out taking their
/// defaults.
pub const AUTOSCALER: &[Policy] = &[
    policy(
        "none",
        None,
        "no autoscaling: containers start for waiting invocations only",
        &[],
    ),
    policy(
        "kpa",
        None,
        "Knative's pod autoscaler: concurrency averaged over a stable window, a panic mode on bursts, scale to zero after a grace period",
        KPA,
    ),
    policy(
        "hpa",
        None,
        "a horizontal autoscaler (Kubernetes HPA): concurrency or request rate per container over a period, scale-down stabilized",
        HPA,
    ),
];

/// The in-flight invocations (waiting or running) a container should serve.
const TARGET: Param = Param {
    name: "target",
    dim: Dim::Number,
    default: 1.0,
    doc: "the in-flight invocations (waiting or running) each container should have on average",
};

/// The fewest containers a function keeps.
const fn min_containers(default: f64) -> Param {
    Param {
        name: "min",
        dim: Dim::Number,
        default,
        doc: "the fewest containers each function keeps",
    }
}

/// The most containers a function is scaled to.
const MAX_CONTAINERS: Param = Param {
    name: "max",
    dim: Dim::Number,
    default: 0.0,
    doc: "the most containers the autoscaler asks for, per function; 0: no bound",
};

/// Knative's KPA, with Knative's defaults (`config-autoscaler`).
const KPA: &[Param] = &[
    TARGET,
    Param {
        name: "stable_window",
        dim: Dim::Time,
        default: 60.0,
        doc: "the window concurrency is averaged over in stable mode",
    },
    Param {
        name: "panic_window",
        dim: Dim::Number,
        default: 0.1,
        doc: "the panic window, as a fraction of the stable window",
    },
    Param {
        name: "panic_threshold",
        dim: Dim::Number,
        default: 2.0,
        doc: "panic when the panic window's desired count is at least this factor of the ready containers",
    },
    Param {
        name: "scale_to_zero_grace",
        dim: Dim::Time,
        default: 30.0,
        doc: "how long a function wanted at zero keeps its last container",
    },
    min_containers(0.0),
    MAX_CONTAINERS,
    TICK,
];

/// How often an autoscaler decides while there is load.
const TICK: Param = Param {
    name: "tick",
    dim: Dim::Time,
    default: 2.0,
    doc: "how often the autoscaler decides while load changes",
};

/// A horizontal autoscaler in the manner of Kubernetes' HPA.
const HPA: &[Param] = &[
    TARGET,
    Param {
        name: "target_rate",
        dim: Dim::Frequency,
        default: 0.0,
        doc: "rate-based: the arrivals per second each container should take (0: concurrency-based, on `target`)",
    },
    Param {
        name: "period",
        dim: Dim::Time,
        default: 15.0,
        doc: "how often it decides, on the metric averaged over the last period",
    },
    Param {
        name: "tolerance",
        dim: Dim::Number,
        default: 0.1,
        doc: "no change while the metric is within this fraction of the target",
    },
    Param {
        name: "stabilization",
        dim: Dim::Time,
        default: 300.0,
        doc: "scale-down follows the highest count asked for over this window",
    },
    min_containers(1.0),
    MAX_CONTAINERS,
];

/// The words of a table, as the language's choices list them.
pub const fn words<const N: usize>(table: &[Policy]) -> [Choice; N] {
    let mut words = [Choice {
        word: "",
        call: None,
        doc: "",
    }; N];
    let mut i = 0;
    while i < N {
        words[i] = table[i].choice;
        i += 1;
    }
    words
}

/// The row of `table` named `name`.
pub fn find(table: &'static [Policy], name: &str) -> Option<&'static Policy> {
    table.iter().find(|p| p.choice.word == name)
}

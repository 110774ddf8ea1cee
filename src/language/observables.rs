//! What a policy written in the script (`keep_alive NAME { ... }`,
//! `placement NAME { ... }`, `eviction NAME { ... }`, `autoscaler NAME {
//! ... }`) may observe and compute: a finite, documented set of
//! observables (per function, per node, per container, global), each with
//! the kinds of policy that may read it, and of functions, each with its
//! arguments and the dimension of its result. The checker
//! reads the table (names, arity, did-you-mean, units), `docs/policies.md`
//! lists it, and the run evaluates each [`Observable`] from its state.

use super::listed_enum;
use super::units::Dim;

listed_enum! {
    /// A quantity of the simulated system a policy may read.
    pub enum Observable {
        /// Seconds since the start of the run.
        Clock,
        /// The service's container start-up time (a cold start's cost).
        ColdStartCost,
        /// The RAM a container of the function reserves.
        Memory,
        /// The function's arrivals within the window before now.
        Arrivals,
        /// The slots of the node not taken (this round's choices counted).
        FreeSlots,
        /// The slots of the node taken (this round's choices counted).
        BusySlots,
        /// The node's cores.
        Cores,
        /// The node's RAM not reserved.
        FreeRam,
        /// The node's disk not reserved.
        FreeDisk,
        /// The node's idle containers.
        Containers,
        /// 1 when the image of the function placed is in the node's RAM or on its disk, else 0.
        HasImage,
        /// The invocations placed on the node waiting for their container.
        Queued,
        /// The invocations started by the function's containers alive on the node.
        Invocations,
        /// The RAM the container reserves.
        Ram,
        /// The time loading the container's image into RAM from its node's disk takes.
        LoadTime,
        /// When the container last became idle.
        IdleSince,
        /// Greedy-dual's clock on the container's node.
        Inflation,
        /// The function's invocations in flight, averaged over the window before now.
        Concurrency,
        /// The function's invocations in flight now.
        InFlight,
    }
}

listed_enum! {
    /// The kinds of policy written in the script, as readers of observables.
    pub enum Reader {
        KeepAlive,
        Placement,
        Eviction,
        Autoscaler,
    }
}

impl Reader {
    /// What it is, for messages: "keep-alive policy".
    pub fn describe(self) -> &'static str {
        match self {
            Reader::KeepAlive => "keep-alive policy",
            Reader::Placement => "placement policy",
            Reader::Eviction => "eviction policy",
            Reader::Autoscaler => "autoscaler",
        }
    }
}

listed_enum! {
    /// A series of samples of one function over a time window, which only a
    /// statistic (`percentile`, `mean`, `count`, `max`) reads.
    pub enum Series {
        /// Idle times: from the end of an invocation to the function's next arrival.
        IdleTimes,
    }
}

/// What an observable's arguments are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Args {
    /// None: written as a bare name (`clock`).
    Bare,
    /// `(function)`.
    Function,
    /// `(function, WINDOW)`: the window a constant time.
    FunctionWindow,
    /// `(node)`: the node being scored.
    Node,
    /// `(node, function)`.
    NodeFunction,
    /// `(container)`: the container being ranked.
    Container,
}

impl Args {
    /// How the arguments are written, for help texts.
    pub fn written(self) -> &'static str {
        match self {
            Args::Bare => "",
            Args::Function => "(function)",
            Args::FunctionWindow => "(function, 1h)",
            Args::Node => "(node)",
            Args::NodeFunction => "(node, function)",
            Args::Container => "(container)",
        }
    }

    /// The number of arguments.
    pub fn count(self) -> usize {
        match self {
            Args::Bare => 0,
            Args::Function | Args::Node | Args::Container => 1,
            Args::FunctionWindow | Args::NodeFunction => 2,
        }
    }
}

/// A row of the table of observables.
#[derive(Debug, Clone, Copy)]
pub struct ObservableRow {
    pub name: &'static str,
    pub args: Args,
    pub dim: Dim,
    pub doc: &'static str,
}

impl Observable {
    /// Its row: how it is written, its unit and meaning.
    pub fn row(self) -> ObservableRow {
        let (name, args, dim, doc) = match self {
            Observable::Clock => (
                "clock",
                Args::Bare,
                Dim::Time,
                "the simulated time since the start of the run",
            ),
            Observable::ColdStartCost => (
                "cold_start_cost",
                Args::Function,
                Dim::Time,
                "the container start-up time of the service (what a cold start costs)",
            ),
            Observable::Memory => (
                "memory",
                Args::Function,
                Dim::Size,
                "the RAM a container of the function reserves",
            ),
            Observable::Arrivals => (
                "arrivals",
                Args::FunctionWindow,
                Dim::Number,
                "the function's invocations that arrived within the window before now",
            ),
            Observable::FreeSlots => (
                "free_slots",
                Args::Node,
                Dim::Number,
                "the node's slots not taken (those chosen earlier in the round count as taken)",
            ),
            Observable::BusySlots => (
                "busy",
                Args::Node,
                Dim::Number,
                "the node's slots taken (those chosen earlier in the round count)",
            ),
            Observable::Cores => ("cores", Args::Node, Dim::Number, "the node's cores"),
            Observable::FreeRam => ("free_ram", Args::Node, Dim::Size, "the node's RAM not reserved"),
            Observable::FreeDisk => ("free_disk", Args::Node, Dim::Size, "the node's disk space not reserved"),
            Observable::Containers => ("containers", Args::Node, Dim::Number, "the node's idle containers"),
            Observable::HasImage => (
                "has_image",
                Args::NodeFunction,
                Dim::Number,
                "1 when the function's image is in the node's RAM or on its disk, else 0",
            ),
            Observable::Queued => (
                "queued",
                Args::Node,
                Dim::Number,
                "the invocations placed on the node that wait for their container: its start-up, a prewarm under way, an application sandbox's start (as the round began)",
            ),
            Observable::Invocations => (
                "invocations",
                Args::Function,
                Dim::Number,
                "the invocations started by the function's containers alive on the container's node (greedy-dual's frequency)",
            ),
            Observable::Ram => (
                "ram",
                Args::Container,
                Dim::Size,
                "the RAM the container reserves (with a sandbox's worker memory)",
            ),
            Observable::LoadTime => (
                "load_time",
                Args::Container,
                Dim::Time,
                "the time loading the container's image into RAM from its node's disk takes (a cold start's cost beyond the start-up)",
            ),
            Observable::IdleSince => (
                "idle_since",
                Args::Container,
                Dim::Time,
                "when the container last became idle",
            ),
            Observable::Inflation => (
                "inflation",
                Args::Container,
                Dim::Number,
                "greedy-dual's clock on the container's node as of its function's last use there: the highest priority evicted there until then (0 before any eviction)",
            ),
            Observable::Concurrency => (
                "concurrency",
                Args::FunctionWindow,
                Dim::Number,
                "the function's invocations in flight (waiting or running), averaged over the window before now",
            ),
            Observable::InFlight => (
                "in_flight",
                Args::Function,
                Dim::Number,
                "the function's invocations in flight (waiting or running) now",
            ),
        };
        ObservableRow { name, args, dim, doc }
    }

    /// The kinds of policy that may read it.
    pub fn readers(self) -> &'static [Reader] {
        use Reader::*;
        match self {
            Observable::Clock => &[KeepAlive, Placement, Autoscaler],
            Observable::ColdStartCost => &[KeepAlive, Placement, Eviction, Autoscaler],
            Observable::Memory => &[KeepAlive, Placement, Eviction],
            Observable::Arrivals => &[KeepAlive],
            Observable::FreeSlots
            | Observable::BusySlots
            | Observable::Cores
            | Observable::FreeRam
            | Observable::FreeDisk
            | Observable::Containers
            | Observable::HasImage
            | Observable::Queued => &[Placement],
            Observable::Invocations
            | Observable::Ram
            | Observable::LoadTime
            | Observable::IdleSince
            | Observable::Inflation => &[Eviction],
            Observable::Concurrency | Observable::InFlight => &[Autoscaler],
        }
    }

    /// The observable written `name`.
    pub fn named(name: &str) -> Option<Observable> {
        Observable::ALL.iter().copied().find(|o| o.row().name == name)
    }
}

impl Series {
    /// How it is written (always `(function, WINDOW)`), its unit and meaning.
    pub fn row(self) -> ObservableRow {
        match self {
            Series::IdleTimes => ObservableRow {
                name: "idle_times",
                args: Args::FunctionWindow,
                dim: Dim::Time,
                doc: "the function's idle times (end of an invocation to its next arrival) that ended within the window before now",
            },
        }
    }

    pub fn named(name: &str) -> Option<Series> {
        Series::ALL.iter().copied().find(|s| s.row().name == name)
    }
}

listed_enum! {
    /// The functions of policy expressions.
    pub enum Function {
        Min,
        Max,
        Clamp,
        Ceil,
        Floor,
        /// `if(CONDITION, THEN, ELSE)`: only the branch taken is computed.
        If,
        Below,
        Above,
        Percentile,
        Mean,
        Count,
        Largest,
        /// `histogram(idle_times(function), BIN, RANGE)`: all the run's samples in bins.
        Histogram,
        /// The coefficient of variation of a histogram's bin counts.
        Cv,
        /// A histogram's samples beyond its range.
        CountBeyond,
        MeanBeyond,
    }
}

impl Function {
    /// Its name, how it is called and what it does.
    pub fn row(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Function::Min => ("min", "min(a, b)", "the smaller of two values of one unit"),
            Function::Max => ("max", "max(a, b)", "the larger of two values of one unit"),
            Function::Clamp => (
                "clamp",
                "clamp(x, low, high)",
                "x, brought within low and high (one unit)",
            ),
            Function::Ceil => ("ceil", "ceil(x / 1min)", "the plain number rounded up"),
            Function::Floor => ("floor", "floor(x / 1min)", "the plain number rounded down"),
            Function::If => ("if", "if(below(a, b), x, y)", "x when the condition holds, else y"),
            Function::Below => ("below", "below(a, b)", "the condition a < b (one unit)"),
            Function::Above => ("above", "above(a, b)", "the condition a > b (one unit)"),
            Function::Percentile => (
                "percentile",
                "percentile(idle_times(function, 4h), 99%)",
                "the nearest-rank percentile of a series (no number when it is empty)",
            ),
            Function::Mean => (
                "mean",
                "mean(idle_times(function, 1h))",
                "the mean of a series (no number when it is empty)",
            ),
            Function::Count => (
                "count",
                "count(idle_times(function, 1h))",
                "the number of samples of a series",
            ),
            Function::Largest => (
                "largest",
                "largest(idle_times(function, 1h))",
                "the largest sample of a series (no number when it is empty)",
            ),
            Function::Histogram => (
                "histogram",
                "histogram(idle_times(function), 1min, 4h)",
                "every sample of the run so far in bins of the width given over the range given (longer ones are beyond it); read by `percentile` (the lower edge of the bin the percentile falls in, no number without a sample in range), `count` (samples in range), `cv`, `count_beyond`, `mean_beyond`",
            ),
            Function::Cv => (
                "cv",
                "cv(histogram(idle_times(function), 1min, 4h))",
                "the coefficient of variation (standard deviation over mean) of a histogram's bin counts (0 without a sample in range)",
            ),
            Function::CountBeyond => (
                "count_beyond",
                "count_beyond(histogram(idle_times(function), 1min, 4h))",
                "the number of a histogram's samples beyond its range",
            ),
            Function::MeanBeyond => (
                "mean_beyond",
                "mean_beyond(histogram(idle_times(function), 1min, 4h))",
                "the mean of a histogram's samples beyond its range (no number without one)",
            ),
        }
    }

    /// The number of arguments it takes.
    pub fn arity(self) -> usize {
        match self {
            Function::Ceil
            | Function::Floor
            | Function::Mean
            | Function::Count
            | Function::Largest
            | Function::Cv
            | Function::CountBeyond
            | Function::MeanBeyond => 1,
            Function::Min | Function::Max | Function::Below | Function::Above | Function::Percentile => 2,
            Function::Clamp | Function::If | Function::Histogram => 3,
        }
    }

    pub fn named(name: &str) -> Option<Function> {
        Function::ALL.iter().copied().find(|f| f.row().0 == name)
    }
}

/// Every name a policy expression may call or write, for did-you-mean.
pub fn every_name() -> impl Iterator<Item = &'static str> {
    Observable::ALL
        .iter()
        .map(|o| o.row().name)
        .chain(Series::ALL.iter().map(|s| s.row().name))
        .chain(Function::ALL.iter().map(|f| f.row().0))
}

//! Policies written in the script, checked and compiled: each rule's
//! expression is postfix code over `f64` (a fixed stack whose depth the
//! compiler knows), so a decision evaluates it without allocating.
//! `serverless::policy::expr` runs it; the run's observables fill in
//! [`Op::Observe`].

use serde::Serialize;

use crate::language::observables::{Observable, Series};
use crate::syntax::source::Span;

/// A statistic of a series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statistic {
    /// Pops the fraction (0..=1): the nearest-rank percentile.
    Percentile,
    Mean,
    Count,
    Largest,
}

/// A statistic of a histogram ([`Histogram`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binned {
    /// Pops the fraction (0..=1): the lower edge of the first bin where
    /// the cumulative count reaches that fraction of the samples in range.
    Percentile,
    /// The samples in range.
    Count,
    /// The coefficient of variation of the bin counts.
    Cv,
    /// The samples beyond the range, and their mean.
    CountBeyond,
    MeanBeyond,
}

/// `histogram(SERIES(function), BIN, RANGE)`: every sample of the run so
/// far, per function, counted in `bin`-wide bins over `range` (those of
/// `range` or more beyond it): kept as counts, not samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Histogram {
    pub series: Series,
    pub bin: f64,
    pub range: f64,
}

impl Histogram {
    /// Its number of bins.
    pub fn bins(&self) -> usize {
        (self.range / self.bin).ceil().max(1.0) as usize
    }
}

/// One instruction.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Op {
    Const(f64),
    Observe(Observable),
    /// A windowed observable (`arrivals`, `concurrency`) over the window
    /// (seconds) before now.
    Windowed(Observable, f64),
    /// A statistic of a series over the window (seconds) before now.
    Statistic {
        series: Series,
        statistic: Statistic,
        window: f64,
    },
    /// A statistic of the policy's histogram of this index.
    Binned {
        statistic: Binned,
        histogram: u16,
    },
    Add,
    Subtract,
    Multiply,
    /// Division by zero is a run-time error at this op's span.
    Divide,
    /// `a ^ b` of plain numbers.
    Power,
    Negate,
    Min,
    Max,
    /// Pops high, low, x.
    Clamp,
    Ceil,
    Floor,
    /// 1 when a < b, else 0.
    Below,
    Above,
    /// Pops the condition; jumps to the op at this index when it is 0.
    JumpUnless(u32),
    Jump(u32),
}

/// A compiled expression: its code, the span of each op (for run-time
/// errors) and the deepest its stack goes.
#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    pub code: Vec<Op>,
    pub spans: Vec<Span>,
    /// The whole expression, for errors about its result.
    pub span: Span,
    pub depth: usize,
}

impl Program {
    /// The longest window any statistic of it reads (0: none): how long
    /// the run must keep samples.
    pub fn longest_window(&self) -> f64 {
        self.code
            .iter()
            .map(|op| match op {
                Op::Statistic { window, .. } | Op::Windowed(_, window) => *window,
                _ => 0.0,
            })
            .fold(0.0, f64::max)
    }

    /// Whether it reads nothing of the run: its value is the same at every
    /// decision.
    pub fn is_constant(&self) -> bool {
        !self.code.iter().any(|op| {
            matches!(
                op,
                Op::Observe(_) | Op::Windowed(..) | Op::Statistic { .. } | Op::Binned { .. }
            )
        })
    }

    /// Whether it reads `observable` anywhere.
    pub fn observes(&self, observable: Observable) -> bool {
        self.code.contains(&Op::Observe(observable))
    }
}

/// `keep_alive NAME { idle EXPR; prewarm EXPR }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeepAliveExpr {
    pub name: String,
    /// How long an idle container stays (a time; 0 shuts it down at once).
    #[serde(skip)]
    pub idle: Program,
    /// When given: the window after an invocation ends when its container
    /// is unloaded and a new one loaded (0: kept, not unloaded).
    #[serde(skip)]
    pub prewarm: Option<Program>,
    /// The histograms its programs read ([`Op::Binned`] indexes them).
    #[serde(skip)]
    pub histograms: Vec<Histogram>,
}

impl KeepAliveExpr {
    /// The longest window its statistics read.
    pub fn longest_window(&self) -> f64 {
        self.prewarm
            .iter()
            .map(Program::longest_window)
            .fold(self.idle.longest_window(), f64::max)
    }
}

/// `eviction NAME { priority container = EXPR }`: the idle containers of
/// lowest priority leave first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvictionExpr {
    pub name: String,
    #[serde(skip)]
    pub priority: Program,
}

/// `autoscaler NAME { desired EXPR; every TIME }`: each function's desired
/// container count, asked every `every` while the load moves.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AutoscalerExpr {
    pub name: String,
    #[serde(skip)]
    pub desired: Program,
    pub every: f64,
}

/// Which score wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Pick {
    Max,
    Min,
}

/// `placement NAME { score node = EXPR; pick max|min }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlacementExpr {
    pub name: String,
    #[serde(skip)]
    pub score: Program,
    pub pick: Pick,
}

//! Invocation streams and trace replays as the IR carries them (SI units:
//! seconds, invocations per second).

use serde::Serialize;

use super::Distribution;

/// The most invocations a run holds in flight at once unless told
/// otherwise (`--max-in-flight`): some 300 bytes each (the run's table
/// entry, the scheduler's queue, the arrival's draws), so a run's memory
/// stays within 5 GB at this bound (a burst of as many at once included),
/// where a backlog growing without end would take the machine's. The checker holds what a script sends at
/// one instant (a burst, a closed loop's users, prewarmed containers) to
/// it too.
pub const MAX_IN_FLIGHT: u64 = 10_000_000;

/// How arrivals of one stream are spaced in time.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Arrivals {
    /// A single arrival at the stream's start (with `burst` copies).
    Once,
    /// One arrival every `period` (drawn anew for each gap when random).
    Every { period: Distribution },
    /// Arrivals spaced evenly at an instantaneous rate that follows `profile`.
    Paced { profile: RateProfile },
    /// A (possibly non-homogeneous) Poisson process whose rate follows `profile`.
    Poisson { profile: RateProfile },
    /// Closed model: `users` users, each invoking again `think` after its
    /// previous invocation completes.
    Closed { users: u64, think: Distribution },
}

/// An arrival rate over time since the stream's start: consecutive segments,
/// each linear from `from` to `to` (invocations/s) over `duration` seconds.
/// After the last segment the rate stays at its final value.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateProfile {
    pub segments: Vec<RateSegment>,
}

/// One piece of a [`RateProfile`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RateSegment {
    pub duration: f64,
    pub from: f64,
    pub to: f64,
}

impl RateProfile {
    /// Whether the rate is 0 for good after the profile: what a stream
    /// following it sends is then finite (its integral), and the stream ends
    /// by itself. After a last segment of finite duration the rate holds its
    /// `to`; a segment of infinite duration holds its `from`.
    pub fn falls_silent(&self) -> bool {
        self.segments
            .last()
            .is_none_or(|s| s.to == 0.0 && (s.duration.is_finite() || s.from == 0.0))
    }

    /// A rate that never changes.
    pub fn constant(rate: f64) -> Self {
        RateProfile {
            segments: vec![RateSegment {
                duration: f64::INFINITY,
                from: rate,
                to: rate,
            }],
        }
    }
}

/// When a stream starts and what ends it (whichever comes first).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Window {
    /// Date of the first possible arrival.
    pub start: f64,
    /// Duration after `start` past which nothing arrives (`None`: unbounded).
    pub duration: Option<f64>,
    /// Number of arrival instants after which the stream stops (`None`: unbounded).
    pub count: Option<u64>,
    /// Invocations submitted together at each arrival instant.
    pub burst: u64,
}

/// Which trace layout a replay reads, and the layout's own options.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TraceFormat {
    /// Azure Functions 2019: per-minute counts per function, duration and
    /// memory percentiles, in a folder.
    Azure2019(Azure2019Options),
    /// Azure Functions 2021: one row per invocation (`app,func,end_timestamp,duration`).
    Azure2021,
    /// A plain CSV: `time,function[,duration][,memory]` with a header row.
    Csv,
    /// Any CSV, read by a declared mapping of its columns.
    Mapped(Box<super::mapping::Mapping>),
}

/// Options of an Azure 2019 replay.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Azure2019Options {
    /// Day files to read (the `dNN` suffix), in order.
    pub days: Vec<u32>,
    /// First and last minute of each day to replay (1-based, inclusive).
    pub minutes: (u32, u32),
    /// Which applications take part.
    pub apps: AppSelection,
    /// How arrivals are placed inside each minute.
    pub spread: MinuteSpread,
    /// Rescale counts so that the whole replay averages this many invocations/s.
    pub target_rate: Option<f64>,
}

/// A subset of a trace's applications.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum AppSelection {
    All,
    /// The `n` applications with the most invocations.
    Top(u64),
    /// Applications ranked by invocations, most popular first, from quantile
    /// `low` to `high` (0 = most popular, 1 = least); `count` of them evenly
    /// spread across that band when given.
    Quantile {
        low: f64,
        high: f64,
        count: Option<u64>,
    },
    /// Applications named by their hash.
    Named(Vec<String>),
}

/// Placement of a minute's arrivals inside that minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MinuteSpread {
    /// Evenly spaced.
    Uniform,
    /// Independent uniform dates (a Poisson process conditioned on the count).
    Poisson,
}

/// What an invocation stream invokes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Target {
    Function(super::function::FunctionId),
    Workflow(super::workflow::WorkflowId),
}

/// One `invoke` statement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stream {
    /// Stable key of the stream's random generator (`function#n`), so adding
    /// a stream does not change the draws of the others.
    pub key: String,
    pub target: Target,
    pub service: super::service::ServiceId,
    pub arrivals: Arrivals,
    pub window: Window,
    /// What each invocation passes to its body (`with { ... }`).
    #[serde(skip_serializing_if = "Arguments::is_empty")]
    pub arguments: Arguments,
}

/// The values an invocation passes to the `trace.` fields of its function,
/// as a trace row does (`invoke work with { duration 40s }`), and the sizes
/// of its payloads. A random value is drawn for each invocation.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Arguments {
    /// `trace.duration`, seconds.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "plain")]
    pub duration: Option<Distribution>,
    /// `trace.memory`, bytes: the RAM limit of the invocation's
    /// registration, so a fixed size.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<f64>,
    /// Bytes sent with the request, instead of its service's `request_payload`.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "plain")]
    pub request_payload: Option<Distribution>,
    /// Bytes sent back with the answer, instead of its service's `response_payload`.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "plain")]
    pub response_payload: Option<Distribution>,
}

impl Arguments {
    /// Whether no value is given.
    pub fn is_empty(&self) -> bool {
        self.duration.is_none()
            && self.memory.is_none()
            && self.request_payload.is_none()
            && self.response_payload.is_none()
    }
}

/// A fixed value as its number (as the IR wrote it before values could be
/// random), a random one as its distribution.
fn plain<S: serde::Serializer>(value: &Option<Distribution>, serializer: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(Distribution::Constant(v)) => serializer.serialize_some(v),
        other => other.serialize(serializer),
    }
}

/// One `replay` statement.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Replay {
    pub key: String,
    /// Where it is written, for errors found while it runs.
    #[serde(skip)]
    pub span: crate::syntax::source::Span,
    pub format: TraceFormat,
    /// File or folder, resolved against the script's folder.
    pub path: std::path::PathBuf,
    pub service: super::service::ServiceId,
    /// Function every trace function is made from; `None`: trace functions
    /// are matched to declared functions by name.
    pub template: Option<super::function::FunctionId>,
}

/// A scripted client (`client { ... }`): its steps run one after another.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Client {
    pub key: String,
    pub steps: Vec<ClientStep>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum ClientStep {
    /// `count` requests, each sent once the previous one was accepted.
    Invoke {
        target: Target,
        service: super::service::ServiceId,
        count: u64,
        #[serde(skip_serializing_if = "Arguments::is_empty")]
        arguments: Arguments,
    },
    /// Until every invocation the client made has finished.
    Wait,
    /// Seconds.
    Sleep(f64),
}

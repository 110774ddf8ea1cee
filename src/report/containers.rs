//! What keep-alive cost and bought, per function and per service: the
//! cold-start ratio, how long containers were reserved and how long they
//! sat idle (in seconds and in GB-seconds of reserved memory, the "wasted
//! memory time" of keep-alive studies), and what became of prewarmed
//! containers. The service model counts container time as containers live
//! ([`ContainerUse`] per registration); the summary adds it to its parts.
//!
//! Definitions (GB = 1e9 bytes; a container's memory is what it reserves:
//! its function's RAM limit, plus a sandbox's worker memory):
//! - `cold_start_ratio`: cold starts over all starts (cold, warm,
//!   prewarmed); none when nothing started.
//! - `containers`: containers started (cold starts and prewarms).
//! - `reserved_seconds`, `reserved_gb_seconds`: from a container's start
//!   to its shutdown (or the end of the run), times its memory.
//! - `idle_seconds`, `idle_gb_seconds`: the part of that time it was idle
//!   (ready, serving nothing), the memory that keep-alive holds for nothing
//!   unless an invocation comes. An application sandbox (SAND) shared by
//!   instances is counted as reserved, not idle.
//! - `prewarms`: containers started ahead of any invocation (`prewarm`, or
//!   the keep-alive policy's prewarm); `prewarms_used`: those that served an
//!   invocation; `prewarms_wasted`: those shut down (or left at the end of
//!   the run) without serving one.

use serde::{Deserialize, Serialize};

use super::record::Names;
use super::summary::{Part, Summary};

/// Container time of one registration, one function or one service.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ContainerUse {
    pub containers: u64,
    pub reserved_seconds: f64,
    pub idle_seconds: f64,
    pub reserved_gb_seconds: f64,
    pub idle_gb_seconds: f64,
    pub prewarms: u64,
    pub prewarms_used: u64,
    pub prewarms_wasted: u64,
}

/// Bytes in a GB.
const GB: f64 = 1e9;

impl ContainerUse {
    /// A container of `memory` bytes lived `reserved` seconds, `idle` of
    /// them idle.
    pub fn lived(&mut self, memory: f64, reserved: f64, idle: f64) {
        self.reserved_seconds += reserved;
        self.idle_seconds += idle;
        self.reserved_gb_seconds += memory / GB * reserved;
        self.idle_gb_seconds += memory / GB * idle;
    }

    pub fn add(&mut self, other: &ContainerUse) {
        self.containers += other.containers;
        self.reserved_seconds += other.reserved_seconds;
        self.idle_seconds += other.idle_seconds;
        self.reserved_gb_seconds += other.reserved_gb_seconds;
        self.idle_gb_seconds += other.idle_gb_seconds;
        self.prewarms += other.prewarms;
        self.prewarms_used += other.prewarms_used;
        self.prewarms_wasted += other.prewarms_wasted;
    }
}

/// What a summary part shows of keep-alive.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeepAliveUse {
    pub cold_start_ratio: Option<f64>,
    #[serde(flatten)]
    pub containers: ContainerUse,
}

impl Summary {
    /// Adds the container time of every registration (indexed like
    /// `names.functions`) to the parts of its function and its service.
    pub fn add_container_use(&mut self, names: &Names, by_function: &[ContainerUse]) {
        let mut services = vec![ContainerUse::default(); names.services.len()];
        for (i, usage) in by_function.iter().enumerate() {
            let Some(&s) = names.function_services.get(i) else {
                continue;
            };
            if let Some(total) = services.get_mut(s as usize) {
                total.add(usage);
            }
        }
        for part in &mut self.functions {
            // A function registered with two memories sums both.
            let usage = super::parts::sum(
                &part.registrations,
                |r| by_function.get(r).copied().unwrap_or_default(),
                ContainerUse::add,
            )
            .unwrap_or_default();
            set(part, usage);
        }
        for part in &mut self.services {
            let usage = names
                .services
                .iter()
                .position(|s| *s == part.name)
                .map_or_else(ContainerUse::default, |s| services[s]);
            set(part, usage);
        }
    }
}

fn set(part: &mut Part, containers: ContainerUse) {
    let o = &part.outcomes;
    let starts = o.cold_starts + o.warm_starts + o.prewarmed_starts;
    part.keep_alive = Some(KeepAliveUse {
        cold_start_ratio: (starts > 0).then(|| o.cold_starts as f64 / starts as f64),
        containers,
    });
}

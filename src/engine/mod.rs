//! The discrete-event engine: simulated time, events and the fluid (max-min fair) resource model.
//!
//! Build a [`Platform`] with a [`PlatformBuilder`] (hosts, disks, links,
//! routes, network model), wrap it in an [`Engine`], then drive it in a pull
//! loop: start [`Activity`]s and set timers, call [`Engine::next_event`] to
//! advance to the next timer or completion, react, repeat. Tags (`u64`) are
//! opaque to the engine and come back in each [`Event`]. Ties in time are
//! resolved by scheduling order, so the same calls give the same events.
//!
//! Sharing follows SimGrid 4.1 (see `docs/ENGINE.md` and the oracle tests):
//! weighted max-min fairness over CPU, disk and link capacities, re-solved
//! only on the component a change touches, with the `raw` and `lv08`
//! network models ([`NetworkModel`]).

mod activity;
mod error;
mod event;
mod ids;
mod network;
mod platform;
mod queue;
mod simulation;
mod solver;
mod tasks;
mod waits;

pub use activity::Activity;
pub use error::{EngineError, PlatformError};
pub use event::{Event, EventKind};
pub use ids::{ActivityId, DiskId, HostId, LinkId, TimerId};
pub use network::NetworkModel;
pub use platform::{Disk, Host, Link, Platform, PlatformBuilder, Route, Sharing};
pub use simulation::Engine;
pub use solver::Violation;

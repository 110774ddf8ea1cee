//! The discrete-event engine: simulated time, events and the fluid (max-min fair) resource model.
//!
//! Build a [`Platform`] with a [`PlatformBuilder`] (hosts, disks, links,
//! routes, network model), wrap it in an [`Engine`], then drive it in a pull
//! loop: start [`Activity`]s and set timers, call [`Engine::next_event`] to
//! advance to the next timer or completion, react, repeat. Tags (any `Copy`
//! type the caller chooses, `u64` by default) are opaque to the engine and
//! come back in each [`Event`]. Ties in time are
//! resolved by scheduling order, so the same calls give the same events.
//!
//! ```
//! use sls::engine::{Activity, Engine, EventKind, NetworkModel, PlatformBuilder, Sharing};
//!
//! let mut b = PlatformBuilder::new();
//! b.network_model(NetworkModel::RAW);
//! let a = b.host("A", 1e9, 4).unwrap();
//! let h = b.host("B", 1e9, 4).unwrap();
//! let l = b.link("L", 1.25e8, 1e-3, Sharing::Shared).unwrap();
//! b.route(a, h, &[l]).unwrap();
//! let mut engine = Engine::new(b.build());
//! engine.start(Activity::Transfer { src: a, dst: h, bytes: 1e8 }, 7).unwrap();
//! engine.timer(0.5, 8).unwrap();
//! let first = engine.next_event().unwrap();
//! assert!(matches!(first.kind, EventKind::Timer(_)) && first.tag == 8);
//! let done = engine.next_event().unwrap();
//! assert_eq!((done.tag, done.time), (7, 0.801));
//! ```
//!
//! Caller mistakes (unknown ids, missing routes, negative amounts) come back
//! as [`EngineError`] / [`PlatformError`]; the engine never prints and
//! never panics on them. Stale ids (completed or cancelled) answer `None`.
//!
//! Sharing follows SimGrid 4.1, checked against its results by the oracle
//! tests in `tests/oracle/`: weighted max-min fairness over CPU, disk and
//! link capacities, re-solved only on the connected component a change
//! touches, with the `raw` and `lv08` network models ([`NetworkModel`]).
//! Many activities behind one shared bottleneck (image pulls through a core
//! link, computations on a crowded host) are shared as one class with one
//! virtual clock, so a start or an end costs O(log n) however many share
//! ([`Engine::set_class_threshold`]).

mod activity;
mod error;
mod event;
mod ids;
mod meter;
mod network;
mod platform;
mod pools;
mod queue;
mod simulation;
mod solver;
mod tasks;
mod waits;

pub use activity::Activity;
pub use error::{EngineError, PlatformError};
pub use event::{Event, EventKind};
pub use ids::{ActivityId, DiskId, HostId, LinkId, TimerId};
pub use meter::{MAX_INTERVALS, MIN_INTERVALS, Meter, Metered, SERIES_CELLS, kept_intervals, must_widen};
pub use network::{LOOPBACK_BANDWIDTH, NetworkModel};
pub use platform::{Disk, Host, Link, Platform, PlatformBuilder, Route, Sharing};
pub use simulation::Engine;
pub use solver::Violation;

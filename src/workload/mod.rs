//! Workloads at run time: random amounts, arrival patterns and streamed trace readers.
//!
//! Pure library code with no engine dependency. The service layer:
//! * gives every stream its own [`StreamRng`] (`StreamRng::new(seed, "work#2")`)
//!   and draws amounts with [`StreamRng::sample`];
//! * turns each `invoke` stream into an [`ArrivalSource`]: an [`OpenArrivals`]
//!   iterator of [`Arrival`]s, or a [`ClosedLoop`] it advances as invocations
//!   complete;
//! * replays traces through a [`trace::TraceReader`], which yields
//!   [`trace::TraceArrival`]s referring to its function table.

pub mod arrivals;
pub mod closed;
mod payloads;
pub mod random;
mod rate;
mod sample;
pub mod trace;

pub use arrivals::{Arrival, ArrivalSource, OpenArrivals};
pub use closed::ClosedLoop;
pub use payloads::Payloads;
pub use random::StreamRng;

//! Workloads at run time: random amounts, arrival patterns and streamed trace readers.
//!
//! Pure library code with no engine dependency: the service layer asks an
//! [`ArrivalSource`] (or a [`trace::TraceReader`]) for dates and a
//! [`StreamRng`] for amounts.

pub mod arrivals;
pub mod closed;
pub mod random;
mod rate;
mod sample;
pub mod trace;

pub use arrivals::{Arrival, ArrivalSource, OpenArrivals};
pub use closed::ClosedLoop;
pub use random::StreamRng;

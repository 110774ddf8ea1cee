//! Autoscalers: how many containers each function should have, ahead of
//! what the placement starts for waiting invocations. The only one today
//! is `none` (containers start for waiting invocations and `prewarm` only),
//! which no service needs to ask; the first autoscaler that decides
//! something also makes the service ask it at each scheduling round and
//! apply the counts (prewarm requests up to the count, idle containers
//! shut down beyond it).

mod none;

use crate::serverless::ids::RegId;

use super::placement::View;
use super::{Build, Maker};

/// What an autoscaler decided in one round.
#[derive(Debug, Default)]
pub struct Scale {
    /// Registrations whose container count should change, with the count
    /// they should have.
    pub desired: Vec<(RegId, u32)>,
    /// Ask again at this date even if nothing happens.
    pub ask_at: Option<f64>,
}

/// An autoscaling policy.
pub trait Autoscaler {
    /// Decides the desired counts, given the service as it is.
    fn scale(&mut self, view: &View, out: &mut Scale);
}

/// The constructors, under the names of the registry's `AUTOSCALER` table.
pub const MAKERS: &[Maker<dyn Autoscaler>] = &[("none", none::make)];

/// The autoscaler of the registry row `name`.
pub fn make(name: &str, build: &Build) -> Box<dyn Autoscaler> {
    super::make(MAKERS, name, build)
}

//! What the engine reports to its caller at each step.

use super::ids::{ActivityId, TimerId};

/// What happened at an [`Event`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// A timer set with [`super::Engine::timer`] fired.
    Timer(TimerId),
    /// An activity (all steps of a sequence) completed.
    Completed(ActivityId),
}

/// One step of the simulation, returned by [`super::Engine::next_event`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Event<T = u64> {
    /// Simulated date in seconds.
    pub time: f64,
    /// The tag given when the timer or activity was created.
    pub tag: T,
    /// What happened.
    pub kind: EventKind,
}

//! What each engine timer or activity is for. The engine carries a [`Tag`]
//! as it is and gives it back with the event, so the pull loop routes every
//! event by matching on it: no codec, no lookup table.

/// The engine tag of the serverless model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// An arrival source's next arrival is due.
    Feed(u32),
    /// A service finished the processing overhead of a request.
    Overhead(u32),
    /// A service's scheduler asked to be woken.
    SchedulerWake(u32),
    /// A layer download, copy or load finished (index into the transfer table).
    Transfer(u32),
    /// A container's start-up ended; the invocation's body begins.
    Startup(u32),
    /// The current body step of an invocation ended.
    Step(u32),
    /// An invocation reached its time limit.
    Timeout(u32),
    /// An idle container's timeout (service, container).
    IdleTimeout(u32, u32),
    /// A prewarming container finished starting (service, container).
    PrewarmDone(u32, u32),
    /// A workflow node's trigger came off the bus (instance, node).
    Trigger(u32, u32),
    /// One input of an invocation arrived (invocation).
    Input(u32),
    /// An invocation's request or response payload arrived (invocation).
    Payload(u32),
    /// An injected failure starts, or ends (failure index).
    Fail(u32),
    Recover(u32),
    /// Owners of failed work are told.
    FailuresDue,
}

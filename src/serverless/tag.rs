//! What each engine timer or activity is for. The engine carries a [`Tag`]
//! as it is and gives it back with the event, so the pull loop routes every
//! event by matching on it: no codec, no lookup table.

use crate::ir::service::ServiceId;

use super::ids::{ContainerId, FailureId, FlowNode, InstanceId, RegId, SourceId, TransferId};
use super::invocation::InvocationHandle;

/// The engine tag of the serverless model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// An arrival source's next arrival is due.
    Feed(SourceId),
    /// A service finished the processing overhead of a request.
    Overhead(ServiceId),
    /// A service's scheduler asked to be woken.
    SchedulerWake(ServiceId),
    /// A layer download, copy or load of a service finished.
    Transfer(ServiceId, TransferId),
    /// A container's start-up ended; the invocation's body begins.
    Startup(InvocationHandle),
    /// The current body step of an invocation ended.
    Step(InvocationHandle),
    /// The sleep that is the last step of an invocation's body ended: the
    /// body returns, with no step left to look up.
    LastSleep(InvocationHandle),
    /// An invocation reached its time limit.
    Timeout(InvocationHandle),
    /// An idle container's timeout.
    IdleTimeout(ServiceId, ContainerId),
    /// A prewarming container finished starting.
    PrewarmDone(ServiceId, ContainerId),
    /// A keep-alive policy's prewarm window of a registration passed.
    PolicyPrewarm(ServiceId, RegId),
    /// A service's autoscaler asked to be asked again.
    Autoscale(ServiceId),
    /// A workflow node's trigger came off the bus.
    Trigger(InstanceId, FlowNode),
    /// One input of an invocation arrived.
    Input(InvocationHandle),
    /// An invocation's request or response payload arrived.
    Payload(InvocationHandle),
    /// An injected failure starts, or ends.
    Fail(FailureId),
    Recover(FailureId),
    /// Owners of failed work are told.
    FailuresDue,
}

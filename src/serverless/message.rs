//! What reaches a service's mailbox: requests for invocations, and the
//! news the service waits for (transfers done, invocations over, timers).

use crate::ir::function::LayerId;

use super::ids::{ContainerId, NodeId, RegId};
use super::invocation::{InvocationHandle, Origin};

/// A request for an invocation, as it waits in the mailbox.
#[derive(Debug, Clone, Copy)]
pub struct Request {
    pub reg: RegId,
    pub origin: Origin,
    pub trace_duration: Option<f64>,
    pub trace_memory: Option<f64>,
    /// Its own payload sizes, if its trace row or `with` gives them.
    pub payloads: crate::workload::Payloads,
    /// Seed of the body's random draws.
    pub seed: u64,
    /// A request that came over a host's local bus: it goes to the
    /// application sandbox on this node (through the host agent, without
    /// the service's processing overhead) when a slot is free there.
    pub local: Option<NodeId>,
}

/// What reaches a service's mailbox.
#[derive(Debug, Clone, Copy)]
pub enum Message {
    Request(Request),
    DownloadDone(LayerId),
    CopyDone {
        node: NodeId,
        layer: LayerId,
        ok: bool,
    },
    LoadDone {
        node: NodeId,
        layer: LayerId,
        ok: bool,
    },
    InvocationDone(InvocationHandle),
    /// The container and the idle period (its creation id and idle date)
    /// the timer was set for: a stale timer is ignored.
    IdleTimeout {
        container: ContainerId,
        created: u64,
        idle_since: f64,
    },
    PrewarmDone(ContainerId),
    /// The keep-alive policy's prewarm window of a function has passed:
    /// a container of it is to be started.
    PolicyPrewarm(RegId),
    /// The date the service's autoscaler asked to be asked at.
    Autoscale,
    Wake,
}

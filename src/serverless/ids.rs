//! Typed indices of the serverless model: each table's index is its own
//! type, so a node index cannot be passed where a container is meant. They
//! are plain positions (`u32`) in tables whose entries are never reused
//! while referenced, or whose users check the entry (containers carry their
//! creation order). Invocations, whose table slots are reused while stale
//! references may still be around, get generation-checked handles instead
//! (`invocation::InvocationHandle`).

macro_rules! index_type {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(pub u32);

        impl $name {
            /// The position in its table.
            #[inline]
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

index_type! {
    /// A function as registered with a service ([`super::registry::Registry::all`]).
    RegId;
    /// A compute node of one service, in its `compute` list order.
    NodeId;
    /// A container of one service ([`super::state::ServiceState::containers`]).
    ContainerId;
    /// A reuse key: which containers can serve a registration (its own, or
    /// its application's sandboxes).
    KeyId;
    /// An arrival source (stream, client or replay) of the run.
    SourceId;
    /// A workflow instance in flight.
    InstanceId;
    /// A node of a workflow's graph (its petgraph index).
    FlowNode;
    /// A layer download, copy or load in flight.
    TransferId;
    /// A request to start a container ahead of any invocation.
    PrewarmId;
    /// An injected failure (`fail host ...`, `fail link ...`), in script order.
    FailureId;
}

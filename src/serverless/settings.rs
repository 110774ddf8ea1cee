//! The fixed settings of a serverless service, from the IR: what every
//! component may need to know about a service without reaching into it.

use crate::engine::{DiskId, HostId};
use crate::ir::service::Granularity;

/// The fixed settings of a service, from the IR.
#[derive(Debug, Clone)]
pub struct Settings {
    pub container_startup: f64,
    pub processing_overhead: f64,
    pub image_downloads: bool,
    pub granularity: Granularity,
    /// SAND's costs, for application sandboxes.
    pub sandbox: crate::ir::service::Sandbox,
    pub bus: crate::ir::service::Bus,
    pub data: crate::ir::service::DataLayers,
    /// Bytes sent from the head to the node before a body starts, and back after it ends.
    pub request_payload: f64,
    pub response_payload: f64,
    pub head_host: HostId,
    pub head_disk: DiskId,
    /// Where each compute node is, in the service's node order.
    pub nodes: Vec<NodePlace>,
}

/// The host of a compute node and the disk its containers use.
#[derive(Debug, Clone, Copy)]
pub struct NodePlace {
    pub host: HostId,
    pub disk: DiskId,
}

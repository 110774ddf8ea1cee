//! The platform as the IR carries it: hosts with their disks, links, routes
//! and the network model, all in SI units, indexed by small ids.

use serde::Serialize;

/// Index of a host in [`Platform::hosts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct HostId(pub u32);

/// Index of a link in [`Platform::links`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct LinkId(pub u32);

/// A disk: its host and its index among that host's disks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct DiskRef {
    pub host: HostId,
    pub disk: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Platform {
    pub hosts: Vec<Host>,
    pub links: Vec<Link>,
    pub routes: Vec<Route>,
    pub network: NetworkModel,
    /// Failures injected by the script, in declaration order.
    pub failures: Vec<Failure>,
}

/// A host or link that fails at a date, for good or for a while.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failure {
    pub target: FailureTarget,
    /// Seconds.
    pub at: f64,
    /// Seconds until it is back; `None`: for good.
    pub duration: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FailureTarget {
    Host(HostId),
    Link(LinkId),
}

impl Platform {
    pub fn host(&self, id: HostId) -> &Host {
        &self.hosts[id.0 as usize]
    }

    pub fn disk(&self, disk: DiskRef) -> &Disk {
        &self.host(disk.host).disks[disk.disk as usize]
    }

    /// The route between two hosts in either direction (routes are symmetric).
    pub fn route(&self, a: HostId, b: HostId) -> Option<&Route> {
        self.routes
            .iter()
            .find(|r| (r.a == a && r.b == b) || (r.a == b && r.b == a))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Host {
    pub name: String,
    /// Flop/s of one core.
    pub speed: f64,
    pub cores: u32,
    /// Bytes of RAM.
    pub ram: f64,
    pub disks: Vec<Disk>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disk {
    pub mount: String,
    /// Bytes.
    pub size: f64,
    /// Bytes/s.
    pub read: f64,
    /// Bytes/s.
    pub write: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    pub name: String,
    /// Bytes/s.
    pub bandwidth: f64,
    /// Seconds.
    pub latency: f64,
    pub sharing: Sharing,
}

/// How the two directions of a link share its bandwidth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Sharing {
    /// One capacity for both directions.
    Shared,
    /// A capacity of `bandwidth` in each direction.
    SplitDuplex,
}

/// A symmetric route: `links` in order from `a` to `b`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Route {
    pub a: HostId,
    pub b: HostId,
    pub links: Vec<LinkId>,
}

/// The flow-level network model (ENGINE.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum NetworkModel {
    /// No correction factors.
    Raw,
    /// SimGrid's default LV08 model, what WRENCH users get.
    Lv08,
}

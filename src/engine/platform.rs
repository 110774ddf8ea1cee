//! The platform: hosts (CPU), disks, links and the routes between hosts.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use super::error::PlatformError;
use super::ids::{DiskId, HostId, LinkId};
use super::network::NetworkModel;

/// How the two directions of a link share its bandwidth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sharing {
    /// Both directions share one capacity.
    Shared,
    /// Each direction has its own capacity of the full bandwidth.
    SplitDuplex,
}

/// A host: its CPU has `cores` cores of `speed` flops/s each.
#[derive(Debug, Clone)]
pub struct Host {
    /// Name, unique among hosts.
    pub name: String,
    /// Flops per second of one core.
    pub speed: f64,
    /// Number of cores.
    pub cores: u32,
    pub(crate) cpu: u32,
    /// The implicit loopback: unlimited in total, each flow bounded alone.
    pub(crate) loopback: u32,
}

/// A disk with separate read and write bandwidths; reads and writes
/// together are capped at the larger of the two.
#[derive(Debug, Clone)]
pub struct Disk {
    /// Name, unique among the disks of its host.
    pub name: String,
    /// The host the disk is attached to.
    pub host: HostId,
    /// Read bandwidth in bytes/s.
    pub read_bw: f64,
    /// Write bandwidth in bytes/s.
    pub write_bw: f64,
    pub(crate) shared: u32,
    pub(crate) read: u32,
    pub(crate) write: u32,
}

/// A network link.
#[derive(Debug, Clone)]
pub struct Link {
    /// Name, unique among links.
    pub name: String,
    /// Bandwidth in bytes/s (per direction for split-duplex links).
    pub bandwidth: f64,
    /// Latency in seconds.
    pub latency: f64,
    /// How the two directions share the bandwidth.
    pub sharing: Sharing,
    /// Capacity used by traffic in the declared direction of a route.
    pub(crate) up: u32,
    /// Capacity used by traffic in the reverse direction (== `up` when shared).
    pub(crate) down: u32,
}

/// A declared route: the links from `src` to `dst`, in order.
#[derive(Debug, Clone)]
pub struct Route {
    /// Host the route was declared from.
    pub src: HostId,
    /// Host the route was declared to.
    pub dst: HostId,
    /// Links from `src` to `dst`.
    pub links: Vec<LinkId>,
}

/// Hashes a host pair packed in a `u64` with one multiply: route lookups are
/// on the activity start path, and the keys are not attacker-chosen.
#[derive(Default)]
pub(crate) struct PairHasher(u64);

impl Hasher for PairHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }

    fn finish(&self) -> u64 {
        // A pair keyed from its second host (`dst << 32 | 0`, the way back
        // of a route from host 0) multiplies to zeros in its low half, the
        // bits the table picks a bucket with: fold the high half in, or
        // every such key lands in one bucket (quadratic set-up).
        self.0 ^ (self.0 >> 32)
    }
}

/// Which declared route serves a host pair, and in which direction.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RouteRef {
    pub route: u32,
    pub reversed: bool,
}

type PairMap<V> = HashMap<u64, V, BuildHasherDefault<PairHasher>>;

fn pair_key(src: HostId, dst: HostId) -> u64 {
    (u64::from(src.0) << 32) | u64::from(dst.0)
}

/// Collects hosts, disks, links and routes, then builds a [`Platform`].
#[derive(Debug, Default)]
pub struct PlatformBuilder {
    hosts: Vec<Host>,
    disks: Vec<Disk>,
    links: Vec<Link>,
    routes: Vec<Route>,
    route_index: PairMap<RouteRef>,
    host_names: HashMap<String, HostId>,
    /// Disk names per host, to refuse a duplicate without a scan.
    disk_names: HashSet<(HostId, String)>,
    link_names: HashMap<String, LinkId>,
    model: NetworkModel,
}

/// A finished platform, ready for [`super::Engine::new`].
#[derive(Debug)]
pub struct Platform {
    hosts: Vec<Host>,
    disks: Vec<Disk>,
    links: Vec<Link>,
    routes: Vec<Route>,
    route_index: PairMap<RouteRef>,
    host_names: HashMap<String, HostId>,
    link_names: HashMap<String, LinkId>,
    model: NetworkModel,
    capacities: Vec<f64>,
}

fn positive(what: &'static str, value: f64) -> Result<f64, PlatformError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(PlatformError::InvalidValue { what, value })
    }
}

impl PlatformBuilder {
    /// An empty platform using SimGrid's default network model, LV08.
    pub fn new() -> Self {
        Self::default()
    }

    /// Selects the network model (see [`NetworkModel::RAW`] and [`NetworkModel::LV08`]).
    pub fn network_model(&mut self, model: NetworkModel) -> &mut Self {
        self.model = model;
        self
    }

    /// Adds a host with `cores` cores of `speed` flops/s each.
    pub fn host(&mut self, name: impl Into<String>, speed: f64, cores: u32) -> Result<HostId, PlatformError> {
        let name = name.into();
        positive("host speed", speed)?;
        positive("host core count", f64::from(cores))?;
        if self.host_names.contains_key(&name) {
            return Err(PlatformError::DuplicateName { what: "host", name });
        }
        let id = HostId(self.hosts.len() as u32);
        self.host_names.insert(name.clone(), id);
        self.hosts.push(Host {
            name,
            speed,
            cores,
            cpu: 0,
            loopback: 0,
        });
        Ok(id)
    }

    /// Adds a disk to `host` with read and write bandwidths in bytes/s.
    pub fn disk(
        &mut self,
        host: HostId,
        name: impl Into<String>,
        read_bw: f64,
        write_bw: f64,
    ) -> Result<DiskId, PlatformError> {
        let name = name.into();
        if host.index() >= self.hosts.len() {
            return Err(PlatformError::UnknownHost(host));
        }
        positive("disk read bandwidth", read_bw)?;
        positive("disk write bandwidth", write_bw)?;
        if !self.disk_names.insert((host, name.clone())) {
            return Err(PlatformError::DuplicateName { what: "disk", name });
        }
        let id = DiskId(self.disks.len() as u32);
        self.disks.push(Disk {
            name,
            host,
            read_bw,
            write_bw,
            shared: 0,
            read: 0,
            write: 0,
        });
        Ok(id)
    }

    /// Adds a link of `bandwidth` bytes/s and `latency` seconds.
    pub fn link(
        &mut self,
        name: impl Into<String>,
        bandwidth: f64,
        latency: f64,
        sharing: Sharing,
    ) -> Result<LinkId, PlatformError> {
        let name = name.into();
        positive("link bandwidth", bandwidth)?;
        if !(latency.is_finite() && latency >= 0.0) {
            return Err(PlatformError::InvalidValue {
                what: "link latency",
                value: latency,
            });
        }
        if self.link_names.contains_key(&name) {
            return Err(PlatformError::DuplicateName { what: "link", name });
        }
        let id = LinkId(self.links.len() as u32);
        self.link_names.insert(name.clone(), id);
        self.links.push(Link {
            name,
            bandwidth,
            latency,
            sharing,
            up: 0,
            down: 0,
        });
        Ok(id)
    }

    /// Declares the route `src` -> `dst` over `links` (in order). Routes are
    /// symmetric: `dst` -> `src` uses the same links in reverse order, and
    /// the other half of split-duplex links. Each host pair takes one
    /// declaration (in either direction); `src == dst` declares a loopback
    /// route, replacing the implicit one (see [`super::Activity::Transfer`]). Routes are stored
    /// sparsely, so only the pairs that talk need one.
    pub fn route(&mut self, src: HostId, dst: HostId, links: &[LinkId]) -> Result<(), PlatformError> {
        for h in [src, dst] {
            if h.index() >= self.hosts.len() {
                return Err(PlatformError::UnknownHost(h));
            }
        }
        if let Some(&l) = links.iter().find(|l| l.index() >= self.links.len()) {
            return Err(PlatformError::UnknownLink(l));
        }
        let forward = pair_key(src, dst);
        let backward = pair_key(dst, src);
        if self.route_index.contains_key(&forward) || self.route_index.contains_key(&backward) {
            return Err(PlatformError::DuplicateRoute { src, dst });
        }
        let route = self.routes.len() as u32;
        self.route_index.insert(forward, RouteRef { route, reversed: false });
        if src != dst {
            self.route_index.insert(backward, RouteRef { route, reversed: true });
        }
        self.routes.push(Route {
            src,
            dst,
            links: links.to_vec(),
        });
        Ok(())
    }

    /// Finishes the platform, numbering two capacities per host (CPU and
    /// loopback), three per disk (shared, read, write) and one or two per link.
    pub fn build(mut self) -> Platform {
        let mut capacities = Vec::new();
        let mut next = |capacity: f64| {
            capacities.push(capacity);
            (capacities.len() - 1) as u32
        };
        for h in &mut self.hosts {
            h.cpu = next(h.speed * f64::from(h.cores));
            h.loopback = next(f64::INFINITY);
        }
        for d in &mut self.disks {
            d.shared = next(d.read_bw.max(d.write_bw));
            d.read = next(d.read_bw);
            d.write = next(d.write_bw);
        }
        for l in &mut self.links {
            l.up = next(l.bandwidth);
            l.down = match l.sharing {
                Sharing::Shared => l.up,
                Sharing::SplitDuplex => next(l.bandwidth),
            };
        }
        Platform {
            hosts: self.hosts,
            disks: self.disks,
            links: self.links,
            routes: self.routes,
            route_index: self.route_index,
            host_names: self.host_names,
            link_names: self.link_names,
            model: self.model,
            capacities,
        }
    }
}

impl Platform {
    /// All hosts, indexed by [`HostId::index`].
    pub fn hosts(&self) -> &[Host] {
        &self.hosts
    }

    /// All disks, indexed by [`DiskId::index`].
    pub fn disks(&self) -> &[Disk] {
        &self.disks
    }

    /// All links, indexed by [`LinkId::index`].
    pub fn links(&self) -> &[Link] {
        &self.links
    }

    /// All declared routes, in declaration order.
    pub fn routes(&self) -> &[Route] {
        &self.routes
    }

    /// The host of that name.
    pub fn host_by_name(&self, name: &str) -> Option<HostId> {
        self.host_names.get(name).copied()
    }

    /// The link of that name.
    pub fn link_by_name(&self, name: &str) -> Option<LinkId> {
        self.link_names.get(name).copied()
    }

    /// The disk of that name on `host`.
    pub fn disk_by_name(&self, host: HostId, name: &str) -> Option<DiskId> {
        self.disks
            .iter()
            .position(|d| d.host == host && d.name == name)
            .map(|i| DiskId(i as u32))
    }

    /// The network model transfers and streams use.
    pub fn network_model(&self) -> NetworkModel {
        self.model
    }

    /// Whether data can go from `src` to `dst`: a route was declared
    /// between them (in either direction), or they are the same host.
    pub fn route_exists(&self, src: HostId, dst: HostId) -> bool {
        src == dst || self.route_index.contains_key(&pair_key(src, dst))
    }

    pub(crate) fn route_ref(&self, src: HostId, dst: HostId) -> Option<RouteRef> {
        self.route_index.get(&pair_key(src, dst)).copied()
    }

    pub(crate) fn capacities(&self) -> &[f64] {
        &self.capacities
    }
}

//! The checked platform handed to the engine: the same hosts and links in
//! the same order (so IR host ids are engine host ids), each disk given its
//! engine id, and the network model's factors.

use crate::engine::{self, DiskId, HostId, LinkId, PlatformBuilder, PlatformError};
use crate::ir::platform::{self as ir, DiskRef};

/// The engine id of every IR disk.
pub struct Lowered {
    /// `disks[host][i]` is the engine id of disk `i` of `host`.
    disks: Vec<Vec<DiskId>>,
}

impl Lowered {
    pub fn disk(&self, disk: DiskRef) -> DiskId {
        self.disks[disk.host.0 as usize][disk.disk as usize]
    }
}

/// The engine host of an IR host.
pub fn host(id: ir::HostId) -> HostId {
    HostId(id.0)
}

/// The engine platform, and where its disks are.
pub fn lower(platform: &ir::Platform) -> Result<(engine::Platform, Lowered), PlatformError> {
    let mut builder = PlatformBuilder::new();
    builder.network_model(match platform.network {
        ir::NetworkModel::Raw => engine::NetworkModel::RAW,
        ir::NetworkModel::Lv08 => engine::NetworkModel::LV08,
    });
    let mut disks = Vec::with_capacity(platform.hosts.len());
    for h in &platform.hosts {
        let id = builder.host(h.name.clone(), h.speed, h.cores)?;
        let mut ids = Vec::with_capacity(h.disks.len());
        for d in &h.disks {
            ids.push(builder.disk(id, d.mount.clone(), d.read, d.write)?);
        }
        disks.push(ids);
    }
    let mut links: Vec<LinkId> = Vec::with_capacity(platform.links.len());
    for l in &platform.links {
        let sharing = match l.sharing {
            ir::Sharing::Shared => engine::Sharing::Shared,
            ir::Sharing::SplitDuplex => engine::Sharing::SplitDuplex,
        };
        links.push(builder.link(l.name.clone(), l.bandwidth, l.latency, sharing)?);
    }
    for r in &platform.routes {
        let route: Vec<LinkId> = r.links.iter().map(|l| links[l.0 as usize]).collect();
        builder.route(host(r.a), host(r.b), &route)?;
    }
    Ok((builder.build(), Lowered { disks }))
}

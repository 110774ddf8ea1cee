//! One compute node as the service books it: slots, RAM and disk space,
//! and the layers resident on its disk and in its RAM, with their LRU
//! access dates and the containers that pin them.

use indexmap::IndexMap;
use rustc_hash::FxBuildHasher;

use crate::engine::{DiskId, HostId};
use crate::ir::function::LayerId;

use super::ids::ContainerId;

/// Where a copy of a layer stands on one medium (disk or RAM).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Residency {
    Absent,
    /// Being copied (disk) or loaded (RAM); its space is already reserved.
    InTransit,
    Present,
}

/// A layer on a node.
#[derive(Debug, Clone, Copy)]
pub struct LayerSlot {
    pub disk: Residency,
    pub ram: Residency,
    /// Last access dates, for LRU eviction.
    pub disk_access: f64,
    pub ram_access: f64,
    /// Global creation order, to break LRU ties.
    pub created: u64,
    /// Containers (busy, idle or prewarming) whose image holds this layer.
    pub pins: u32,
}

impl LayerSlot {
    /// Whether making room may evict this layer's copy on the medium being
    /// freed: its RAM copy while RAM is short (`freeing_ram`), else its
    /// file, unless it is being loaded from it. Pinned layers stay.
    pub fn evictable(&self, freeing_ram: bool) -> bool {
        self.pins == 0 && self.evictable_once_unpinned(freeing_ram)
    }

    /// [`LayerSlot::evictable`] once no container pins it.
    pub fn evictable_once_unpinned(&self, freeing_ram: bool) -> bool {
        if freeing_ram {
            self.ram == Residency::Present
        } else {
            self.disk == Residency::Present && self.ram != Residency::InTransit
        }
    }
}

/// A node's record, laid out by hand: every dispatch and completion takes
/// or gives a slot and RAM, so the counts are in the first cache line
/// (with the rest of the bookkeeping a cold start reads); the layers, the
/// idle list and the name after.
#[derive(Debug)]
#[repr(C, align(64))]
pub struct Node {
    pub slots: u32,
    pub free_slots: u32,
    pub host: HostId,
    pub disk_id: DiskId,
    pub ram_capacity: f64,
    pub ram_free: f64,
    /// The most RAM reserved at once so far.
    pub ram_peak: f64,
    pub disk_capacity: f64,
    pub disk_free: f64,
    /// Bytes per second its disk reads (how long an image load takes).
    pub disk_read: f64,
    pub cores: u32,
    /// Layers on this node (a fast deterministic hash: looked up on every pass).
    pub layers: IndexMap<LayerId, LayerSlot, FxBuildHasher>,
    /// Idle containers on this node (any order).
    pub idle: Vec<ContainerId>,
    /// Unclaimed prewarming containers on this node, oldest first: what a
    /// search for one to claim looks through, not every container of the
    /// service.
    pub prewarming: Vec<ContainerId>,
    pub name: String,
}

// Slots and RAM in the first line.
const _: () = assert!(std::mem::offset_of!(Node, disk_read) + 8 <= 64);

impl Node {
    /// Reserves RAM (the caller has checked it fits) and notes the peak.
    pub fn take_ram(&mut self, bytes: f64) {
        self.ram_free -= bytes;
        self.ram_peak = self.ram_peak.max(self.ram_capacity - self.ram_free);
    }

    pub fn layer(&self, layer: LayerId) -> Option<&LayerSlot> {
        self.layers.get(&layer)
    }

    pub fn disk_state(&self, layer: LayerId) -> Residency {
        self.layers.get(&layer).map_or(Residency::Absent, |l| l.disk)
    }

    pub fn ram_state(&self, layer: LayerId) -> Residency {
        self.layers.get(&layer).map_or(Residency::Absent, |l| l.ram)
    }

    /// The slot of a layer, created absent (with the next creation id) if new.
    pub fn layer_mut(&mut self, layer: LayerId, next_created: &mut u64) -> &mut LayerSlot {
        self.layers.entry(layer).or_insert_with(|| {
            *next_created += 1;
            LayerSlot {
                disk: Residency::Absent,
                ram: Residency::Absent,
                disk_access: 0.0,
                ram_access: 0.0,
                created: *next_created,
                pins: 0,
            }
        })
    }

    /// Forgets a layer that is on neither medium.
    pub fn prune(&mut self, layer: LayerId) {
        if let Some(slot) = self.layers.get(&layer)
            && slot.disk == Residency::Absent
            && slot.ram == Residency::Absent
            && slot.pins == 0
        {
            self.layers.shift_remove(&layer);
        }
    }
}

//! Least recently used: the layer whose copy on the medium being freed was
//! accessed the longest ago goes first (the oldest created on a tie), as
//! the classic storage caches of WRENCH's service do.

use crate::ir::function::LayerId;
use crate::serverless::node::{LayerSlot, Node};

use super::super::Build;
use super::LayerEviction;

pub struct Lru;

pub fn make(_build: &Build) -> Box<dyn LayerEviction> {
    Box::new(Lru)
}

impl LayerEviction for Lru {
    fn victim(&mut self, node: &Node, freeing_ram: bool) -> Option<LayerId> {
        let access = |l: &LayerSlot| if freeing_ram { l.ram_access } else { l.disk_access };
        node.layers
            .iter()
            .filter(|(_, l)| l.evictable(freeing_ram))
            .min_by(|a, b| access(a.1).total_cmp(&access(b.1)).then(a.1.created.cmp(&b.1.created)))
            .map(|(layer, _)| *layer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{DiskId, HostId};
    use crate::serverless::node::Residency;

    /// Three layers on disk and in RAM: `1` accessed at 5 s (RAM) and 1 s
    /// (disk), `2` at 3 s and 4 s, `3` at 1 s and 2 s but pinned. RAM's
    /// victim is `2` (3 s, before 5 s), disk's `1` (1 s, before 4 s); the
    /// pinned layer never goes, and with it alone nothing does.
    #[test]
    fn the_least_recently_used_unpinned_copy_goes() {
        let mut node = Node {
            host: HostId(0),
            disk_id: DiskId(0),
            name: "node".into(),
            cores: 1,
            slots: 1,
            free_slots: 1,
            ram_capacity: 1e9,
            ram_free: 1e9,
            ram_peak: 0.0,
            disk_capacity: 1e9,
            disk_free: 1e9,
            disk_read: 1e8,
            layers: Default::default(),
            idle: Vec::new(),
            prewarming: Vec::new(),
        };
        let mut created = 0;
        for (layer, ram_access, disk_access, pins) in [(1, 5.0, 1.0, 0), (2, 3.0, 4.0, 0), (3, 1.0, 2.0, 1)] {
            let slot = node.layer_mut(LayerId(layer), &mut created);
            (slot.disk, slot.ram) = (Residency::Present, Residency::Present);
            (slot.ram_access, slot.disk_access, slot.pins) = (ram_access, disk_access, pins);
        }
        assert_eq!(Lru.victim(&node, true), Some(LayerId(2)));
        assert_eq!(Lru.victim(&node, false), Some(LayerId(1)));
        node.layers.shift_remove(&LayerId(1));
        node.layers.shift_remove(&LayerId(2));
        assert_eq!(Lru.victim(&node, true), None);
    }
}

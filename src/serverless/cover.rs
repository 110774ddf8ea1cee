//! What shutting idle containers down frees on a node, counted against
//! what a new container (or a layer to copy or load) lacks there. The
//! eviction policies take victims until the need is covered; the service
//! applies their choice only if it is; a scheduling round judges with the
//! same count whether a cold start would be refused
//! ([`ServiceState::cold_start_fails_inertly`]), so the three stay in step.
//!
//! Two counts. WRENCH's counts a victim's own reservations only (its RAM
//! and disk limits). When they cannot cover the need, the second also
//! counts the cached layers the victims leave pinned by nothing, which
//! room-making then evicts: an idle container holds its image in RAM, and
//! without it a request whose container would fit once both go waited for
//! the whole keep-alive.

use smallvec::SmallVec;

use crate::ir::function::LayerId;

use super::ids::{ContainerId, NodeId};
use super::node::{LayerSlot, Node};
use super::registry::Registry;
use super::state::{Container, ServiceState};

/// What is still missing on a node while victims are taken.
pub struct Cover<'a> {
    /// Bytes of RAM and of disk still missing (0 or less: covered).
    ram: f64,
    disk: f64,
    /// What was missing at first: the scale of the rounding margin.
    missing_ram: f64,
    missing_disk: f64,
    /// Set when the layers victims alone pin count too.
    layers: Option<Layers<'a>>,
}

/// The node's layers as victims release them.
struct Layers<'a> {
    registry: &'a Registry,
    node: &'a Node,
    /// Per layer, the victims taken so far whose image holds it: a layer
    /// is freed when they are all its pins.
    released: SmallVec<[(LayerId, u32); 8]>,
}

impl<'a> Cover<'a> {
    /// WRENCH's count: `ram` and `disk` bytes missing, each victim covering
    /// its own reservations.
    pub fn reservations(ram: f64, disk: f64) -> Self {
        Cover {
            ram,
            disk,
            missing_ram: ram,
            missing_disk: disk,
            layers: None,
        }
    }

    /// The count with layers, on `node`: what is missing less the files
    /// room-making may evict now (layers no container pins), each victim
    /// covering its reservations and the layers it leaves unpinned.
    pub fn with_layers(registry: &'a Registry, node: &'a Node, ram: f64, disk: f64) -> Self {
        let mut cover = Cover {
            layers: Some(Layers {
                registry,
                node,
                released: SmallVec::new(),
            }),
            ..Cover::reservations(ram, disk)
        };
        // Unpinned RAM copies count for nothing: room-making has evicted
        // them before idle containers are counted (RAM first), so when RAM
        // is short none is left. Unpinned files are left when RAM was short
        // too: they count while disk is.
        if cover.disk > 0.0 {
            for (layer, slot) in &node.layers {
                if slot.pins == 0 {
                    cover.disk -= frees(registry, *layer, slot).1;
                }
            }
        }
        cover
    }

    /// Whether nothing is missing any more.
    pub fn covered(&self) -> bool {
        self.ram <= 0.0 && self.disk <= 0.0
    }

    /// Whether RAM is still missing (sizes are then RAM, else disk).
    pub fn lacks_ram(&self) -> bool {
        self.ram > 0.0
    }

    /// Whether taking `victim` now would cover what is missing.
    pub fn covered_with(&self, victim: &Container) -> bool {
        let (ram, disk) = self.freed_by(victim);
        self.ram - ram <= 0.0 && self.disk - disk <= 0.0
    }

    /// Takes `victim`: what it frees is no longer missing.
    pub fn take(&mut self, victim: &Container) {
        let (ram, disk) = self.freed_by(victim);
        self.ram -= ram;
        self.disk -= disk;
        if let Some(layers) = &mut self.layers {
            layers.release(victim);
        }
    }

    /// Whether what is missing exceeds a rounding margin: sums rounded in
    /// another order than the service's leave boundary cases on the side
    /// of "may fit".
    pub fn short_beyond_rounding(&self) -> bool {
        let margin = |missing: f64| 1e-9 * missing.abs().max(1.0);
        self.ram > margin(self.missing_ram) || self.disk > margin(self.missing_disk)
    }

    /// The RAM and disk `victim` frees after the victims taken so far: its
    /// reservations (a sandbox's worker memory too), and with layers, the
    /// layers whose last pin it is.
    fn freed_by(&self, victim: &Container) -> (f64, f64) {
        let (mut ram, mut disk) = (victim.ram + victim.extra_ram, victim.disk);
        if let Some(layers) = &self.layers {
            for (layer, slot) in layers.held(victim) {
                // The usual case, a layer only this victim pins, needs no count.
                if slot.pins == 1 || layers.released(layer) + 1 == slot.pins {
                    let (r, d) = frees(layers.registry, layer, slot);
                    ram += r;
                    disk += d;
                }
            }
        }
        (ram, disk)
    }
}

impl Layers<'_> {
    /// The layers of `victim`'s image the node holds.
    fn held(&self, victim: &Container) -> impl Iterator<Item = (LayerId, &LayerSlot)> + '_ {
        let image = self.registry.get(victim.reg).image;
        self.registry.image_layers[image.0 as usize]
            .iter()
            .filter_map(|&layer| self.node.layer(layer).map(|slot| (layer, slot)))
    }

    /// How many victims taken so far pin `layer`.
    fn released(&self, layer: LayerId) -> u32 {
        self.released.iter().find(|(l, _)| *l == layer).map_or(0, |(_, n)| *n)
    }

    /// `victim` is taken: it no longer pins its layers (counted for the
    /// layers others pin too).
    fn release(&mut self, victim: &Container) {
        let image = self.registry.get(victim.reg).image;
        for &layer in &self.registry.image_layers[image.0 as usize] {
            if self.node.layer(layer).is_none_or(|slot| slot.pins <= 1) {
                continue;
            }
            match self.released.iter_mut().find(|(l, _)| *l == layer) {
                Some(entry) => entry.1 += 1,
                None => self.released.push((layer, 1)),
            }
        }
    }
}

/// The RAM and disk room-making frees by evicting a layer once unpinned:
/// its RAM copy if loaded, its file if present and not being read for a
/// load ([`LayerSlot::evictable_once_unpinned`]).
fn frees(registry: &Registry, layer: LayerId, slot: &LayerSlot) -> (f64, f64) {
    let ram = if slot.evictable_once_unpinned(true) {
        registry.layer_ram[layer.0 as usize]
    } else {
        0.0
    };
    let disk = if slot.evictable_once_unpinned(false) {
        registry.layer_size[layer.0 as usize]
    } else {
        0.0
    };
    (ram, disk)
}

impl ServiceState {
    /// Whether a new container of `ram` and `disk` on `node` is refused
    /// without changing anything: the service's room-making
    /// (`Service::ensure_room`) would find it short, no cached layer to
    /// evict for the resource it lacks, and the evictable idle containers
    /// together, with the layers only they pin, too small for the eviction
    /// policy (all or nothing) to cover the need. Such a dispatch is
    /// dropped at no effect, which lets a round skip it. Containers in
    /// `taken` are not counted: a round dispatched invocations into them,
    /// which the service applies first. A margin keeps boundary cases on
    /// the side of "may fit", as does counting the layers of the
    /// container's own image among those to evict
    /// (`Service::ensure_room_for` keeps them).
    pub fn cold_start_fails_inertly(
        &self,
        registry: &Registry,
        node: NodeId,
        ram: f64,
        disk: f64,
        taken: &[ContainerId],
    ) -> bool {
        let n = &self.nodes[node.index()];
        let ram_short = ram > n.ram_free;
        let disk_short = disk > n.disk_free;
        if !ram_short && !disk_short {
            return false;
        }
        // `make_room` frees RAM first, then disk.
        if n.layers.values().any(|l| l.evictable(ram_short)) {
            return false;
        }
        let candidates = || {
            n.idle.iter().filter(|c| !taken.contains(c)).filter_map(|c| {
                let x = &self.containers[c.index()];
                x.evictable().then_some(x)
            })
        };
        // The service tries WRENCH's count, then the count with layers,
        // which covers at least as much: the first, cheaper, settles
        // whether the room may be made when it covers.
        let (ram_missing, disk_missing) = (ram - n.ram_free, disk - n.disk_free);
        let mut reservations = Cover::reservations(ram_missing, disk_missing);
        candidates().for_each(|x| reservations.take(x));
        if !reservations.short_beyond_rounding() {
            return false;
        }
        let mut cover = Cover::with_layers(registry, n, ram_missing, disk_missing);
        candidates().for_each(|x| cover.take(x));
        cover.short_beyond_rounding()
    }
}

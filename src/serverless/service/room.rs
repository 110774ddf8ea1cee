//! Layers on a service's nodes and the room they take: copies to a node's
//! disk, loads into its RAM, evictions of cached layers (the layer
//! eviction policy: least recently used first, the classic storage caches)
//! and of idle containers (the eviction policy), done when a copy, a load
//! or a new container needs the space.

use crate::engine::Activity;
use crate::ir::function::{ImageId, LayerId};

use super::super::cover::Cover;
use super::super::cx::Cx;
use super::super::ids::{ContainerId, NodeId};
use super::super::node::Residency;
use super::super::policy::eviction::Containers;
use super::super::state::ContainerState;
use super::super::tag::Tag;
use super::Service;
use super::transfers::Transfer;

/// The layers room is made around: an image's, or those of every image
/// that holds a layer.
#[derive(Clone, Copy)]
enum Kept {
    Image(ImageId),
    ImagesOf(LayerId),
}

impl Service {
    /// Shuts an idle container down (a decision that may be stale: only an
    /// idle one goes).
    pub(super) fn terminate(&mut self, cx: &mut Cx, c: ContainerId) {
        if self
            .state
            .containers
            .get(c.index())
            .is_some_and(|x| x.state == ContainerState::Idle)
        {
            self.shut(cx, c);
        }
    }

    pub(super) fn evict_ram(&mut self, cx: &mut Cx, node: NodeId, layer: LayerId) {
        let registry = &cx.world.registry;
        let n = &mut self.state.nodes[node.index()];
        if n.ram_state(layer) == Residency::Present {
            if let Some(slot) = n.layers.get_mut(&layer) {
                slot.ram = Residency::Absent;
            }
            n.ram_free += registry.layer_ram[layer.0 as usize];
            n.prune(layer);
            self.state.refresh_images(registry, node, layer);
        }
    }

    pub(super) fn evict_disk(&mut self, cx: &mut Cx, node: NodeId, layer: LayerId) {
        // A layer cannot stay in RAM without its file.
        self.evict_ram(cx, node, layer);
        let registry = &cx.world.registry;
        let n = &mut self.state.nodes[node.index()];
        if n.disk_state(layer) == Residency::Present {
            if let Some(slot) = n.layers.get_mut(&layer) {
                slot.disk = Residency::Absent;
            }
            n.disk_free += registry.layer_size[layer.0 as usize];
            n.prune(layer);
            self.state.refresh_images(registry, node, layer);
        }
    }

    /// Frees `ram` and `disk` bytes on a node by evicting unpinned layers,
    /// the layer eviction policy's victims (least recently used first, the
    /// classic storage caches): RAM first, then disk. Returns whether there
    /// is room.
    ///
    /// Each pass evicts a copy of the medium that is short, so every pass
    /// removes a resident copy and the loop ends; a victim that may not go
    /// there ends it too. (A victim chosen among both media's copies while
    /// RAM is short could be a layer only on disk, whose RAM eviction frees
    /// nothing: the loop then never ended.)
    pub(super) fn make_room(&mut self, cx: &mut Cx, node: NodeId, ram: f64, disk: f64) -> bool {
        loop {
            let n = &self.state.nodes[node.index()];
            let ram_short = ram > n.ram_free;
            if !ram_short && disk <= n.disk_free {
                return true;
            }
            let victim = self.layer_eviction.victim(n, ram_short);
            let Some(layer) = victim.filter(|l| n.layers.get(l).is_some_and(|slot| slot.evictable(ram_short))) else {
                return false;
            };
            if ram_short {
                self.evict_ram(cx, node, layer);
            } else {
                self.evict_disk(cx, node, layer);
            }
        }
    }

    /// Whether `ram` and `disk` (a new container, or a layer to load or
    /// copy) fit on a node, making room as WRENCH's classic service does:
    /// unpinned cached layers first (the storage caches), then idle
    /// containers (the eviction policy). A layer needs the second step too
    /// when idle containers pin every cached layer: it would otherwise wait
    /// for their keep-alive to end. `ServiceState::cold_start_fails_inertly`
    /// predicts when this fails without changing anything: keep the two in
    /// step.
    pub(super) fn ensure_room(&mut self, cx: &mut Cx, node: NodeId, ram: f64, disk: f64) -> bool {
        let fits = |service: &Service| {
            let n = &service.state.nodes[node.index()];
            n.ram_free >= ram && n.disk_free >= disk
        };
        fits(self) || (self.make_room(cx, node, ram, disk) && fits(self)) || self.evict_idle(cx, node, ram, disk)
    }

    /// [`Service::ensure_room`] for a new container of `image` on `node`,
    /// never by evicting a layer of `image` from RAM or disk: the
    /// container runs it (its layers are pinned while room is made, as the
    /// container pins them once started). Evicting it would start the
    /// container on an image no longer loaded, its RAM counted free.
    pub(super) fn ensure_room_for(&mut self, cx: &mut Cx, node: NodeId, image: ImageId, ram: f64, disk: f64) -> bool {
        self.ensure_room_keeping(cx, node, Kept::Image(image), ram, disk)
    }

    /// [`Service::ensure_room`] for a copy of `layer` (on disk, or in RAM),
    /// never by evicting another layer of an image that holds it: on a
    /// node short of room, two layers of one image would evict each other
    /// in turn, the image never whole, where evicting idle containers
    /// makes it whole.
    fn ensure_room_for_layer(&mut self, cx: &mut Cx, node: NodeId, layer: LayerId, ram: f64, disk: f64) -> bool {
        self.ensure_room_keeping(cx, node, Kept::ImagesOf(layer), ram, disk)
    }

    /// [`Service::ensure_room`] with the layers `kept` names pinned.
    fn ensure_room_keeping(&mut self, cx: &mut Cx, node: NodeId, kept: Kept, ram: f64, disk: f64) -> bool {
        let n = &self.state.nodes[node.index()];
        if n.ram_free >= ram && n.disk_free >= disk {
            return true;
        }
        self.pin_kept(cx, node, kept, 1);
        let room = self.ensure_room(cx, node, ram, disk);
        self.pin_kept(cx, node, kept, -1);
        room
    }

    /// Adds `delta` to the pins of the layers `kept` names that `node` holds.
    fn pin_kept(&mut self, cx: &Cx, node: NodeId, kept: Kept, delta: i32) {
        let registry = &cx.world.registry;
        match kept {
            Kept::Image(image) => self.state.pin_held(registry, node, image, delta),
            Kept::ImagesOf(layer) => {
                for &image in &registry.images_of_layer[layer.0 as usize] {
                    self.state.pin_held(registry, node, image, delta);
                }
            }
        }
    }

    /// Shuts idle containers down by the service's eviction policy until
    /// `ram` and `disk` fit; all or nothing. The policy chooses counting
    /// the victims' reservations (WRENCH's count); when they cannot cover
    /// the need, it chooses again counting the layers only the victims pin
    /// too, which room-making then evicts. On the path of every cold start
    /// on a full node, so nothing here allocates for a usual node.
    fn evict_idle(&mut self, cx: &mut Cx, node: NodeId, ram: f64, disk: f64) -> bool {
        let candidates: Containers = self.state.nodes[node.index()]
            .idle
            .iter()
            .copied()
            .filter(|c| self.state.containers[c.index()].evictable())
            .collect();
        // None: nothing can cover the need, by either count (room-making
        // has evicted every cached layer it could for what is short).
        if candidates.is_empty() {
            return false;
        }
        let mut victims = Containers::new();
        let mut with_layers = false;
        loop {
            let covered = self.choose_victims(cx, node, (ram, disk), with_layers, candidates.clone(), &mut victims);
            if let Some(mut fault) = self.eviction.fault() {
                fault.now = cx.world.now();
                self.policy_fault(cx, fault);
                return false;
            }
            if covered {
                break;
            }
            if with_layers {
                return false;
            }
            with_layers = true;
        }
        self.eviction.evicted(cx.world.now());
        for c in victims {
            self.terminate(cx, c);
        }
        !with_layers || self.make_room(cx, node, ram, disk)
    }

    /// Asks the eviction policy for victims among `candidates` on `node`
    /// (into `victims`) that make room for `room` (RAM and disk), counting
    /// the layers only they pin if `with_layers`; returns whether they
    /// cover the need, counted here again: a choice is applied only if it
    /// does.
    fn choose_victims(
        &mut self,
        cx: &Cx,
        node: NodeId,
        (ram, disk): (f64, f64),
        with_layers: bool,
        mut candidates: Containers,
        victims: &mut Containers,
    ) -> bool {
        let state = &self.state;
        let n = &state.nodes[node.index()];
        let (ram_missing, disk_missing) = (ram - n.ram_free, disk - n.disk_free);
        let cover = || match with_layers {
            false => Cover::reservations(ram_missing, disk_missing),
            true => Cover::with_layers(&cx.world.registry, n, ram_missing, disk_missing),
        };
        victims.clear();
        self.eviction.victims(state, &mut candidates, &mut cover(), victims);
        let mut check = cover();
        for c in victims.iter() {
            check.take(&state.containers[c.index()]);
        }
        check.covered()
    }

    /// Whether `node` is down: a transfer to it is dropped, not started. It
    /// would fail at once, and a failed transfer to a failed node starts a
    /// round (`retry_if_up`): a placement deciding it again would loop.
    pub(super) fn is_down(&self, node: NodeId) -> bool {
        self.state.down_nodes.contains(node)
    }

    /// Loads a layer from a node's disk into its RAM.
    pub(super) fn load(&mut self, cx: &mut Cx, node: NodeId, layer: LayerId) {
        let ram = cx.world.registry.layer_ram[layer.0 as usize];
        let n = &self.state.nodes[node.index()];
        if n.disk_state(layer) != Residency::Present || n.ram_state(layer) != Residency::Absent || self.is_down(node) {
            return;
        }
        if ram > n.ram_free && !self.ensure_room_for_layer(cx, node, layer, ram, 0.0) {
            return;
        }
        let n = &mut self.state.nodes[node.index()];
        let disk = n.disk_id;
        n.take_ram(ram);
        let slot = n.layer_mut(layer, &mut self.state.next_created);
        slot.ram = Residency::InTransit;
        slot.disk_access = cx.world.now();
        self.state.refresh_images(&cx.world.registry, node, layer);
        let t = self.transfers.insert(Transfer::Load { node, layer }, cx.world.now());
        cx.world
            .start_tracked(Activity::DiskRead { disk, bytes: ram }, Tag::Transfer(self.id, t));
    }

    /// Copies a layer from the head's disk to a node's.
    pub(super) fn copy(&mut self, cx: &mut Cx, node: NodeId, layer: LayerId) {
        let size = cx.world.registry.layer_size[layer.0 as usize];
        let n = &self.state.nodes[node.index()];
        if n.disk_state(layer) != Residency::Absent || self.is_down(node) {
            return;
        }
        if size > n.disk_free && !self.ensure_room_for_layer(cx, node, layer, 0.0, size) {
            return;
        }
        let settings = &cx.world.settings[self.id.index()];
        let (head_disk, head_host) = (settings.head_disk, settings.head_host);
        let n = &mut self.state.nodes[node.index()];
        n.disk_free -= size;
        let (host, disk) = (n.host, n.disk_id);
        let slot = n.layer_mut(layer, &mut self.state.next_created);
        slot.disk = Residency::InTransit;
        self.state.refresh_images(&cx.world.registry, node, layer);
        let activity = if host == head_host {
            Activity::Sequence(vec![
                Activity::DiskRead {
                    disk: head_disk,
                    bytes: size,
                },
                Activity::DiskWrite { disk, bytes: size },
            ])
        } else {
            Activity::Stream {
                src_disk: head_disk,
                dst_host: host,
                dst_disk: Some(disk),
                bytes: size,
            }
        };
        let t = self.transfers.insert(Transfer::Copy { node, layer }, cx.world.now());
        cx.world.start_tracked(activity, Tag::Transfer(self.id, t));
    }
}

//! The state of one serverless service that schedulers see and the service
//! changes: its nodes, which images are where (as node sets, for fast
//! passes), its containers, and the head's layers.

use crate::engine::TimerId;
use crate::ir::function::{Image, ImageId, LayerId};
use crate::report::ContainerUse;

use super::idle::{IdleIndex, SearchTheSet};

use super::ids::{KeyId, NodeId, RegId};
use super::node::{Node, Residency};
use super::nodeset::NodeSet;
use super::nodeset::watched::WatchedNodeSet;
use super::nodesets::NodeSetsByKey;
use super::registry::Registry;
use super::series::ServiceSeries;

pub use super::ids::ContainerId;

pub use super::idle::IdleContainers;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContainerState {
    /// Running an invocation.
    Busy,
    Idle,
    /// Starting ahead of any invocation (prewarm).
    Prewarming,
    /// Shut down; the slot in the table is free.
    Gone,
}

/// A container (or SAND sandbox) record, 192 bytes in three cache lines,
/// laid out by hand. A record is touched once per dispatch and once per
/// completion, far apart in time, so each line touched is a cache miss.
/// The first line holds all that a fork into an idle sandbox and the
/// instance's end read and write (the sandbox's state, instance and use
/// counts, dates, its first grain workers and its idle date: on the Azure
/// day an invocation then misses it once, where it missed two lines); the
/// second what a container's own dispatch and end and the scans by node
/// and key read (key, node, claim, creation order, the timer); the third
/// the rest. How long it stays once idle is in a table apart
/// ([`ServiceState::keep_for`]): every end writes it.
#[derive(Debug, Clone)]
#[repr(C, align(64))]
pub struct Container {
    pub state: ContainerState,
    /// An application sandbox (SAND): it serves many invocations at once and
    /// stays reusable while they run; `instances` counts them.
    pub shared: bool,
    /// Whether `timer` holds a timer: read on every container going
    /// idle, here rather than on the timer's line.
    timer_pending: bool,
    /// How many of `worker_regs` are set (0 to [`INLINE_WORKERS`]).
    inline_worker_count: u8,
    pub instances: u32,
    /// Invocations started in it, and when it last started one (or was
    /// started, before its first): what FaasCache's eviction ranks by.
    pub uses: u32,
    /// Registrations with a grain worker in this sandbox, the first two
    /// (an application has few functions, and reading them must not cost a
    /// trip elsewhere on every dispatch); more are listed in
    /// [`ServiceState`]'s spill table (`workers_spilled` says whether).
    worker_regs: [RegId; INLINE_WORKERS],
    workers_spilled: bool,
    /// When its start-up ends: an instance dispatched to a sandbox before
    /// then waits for it.
    pub ready_at: f64,
    pub used_at: f64,
    /// The date each of `worker_regs`' workers is up (started and its
    /// libraries loaded).
    worker_up: [f64; INLINE_WORKERS],
    /// When it last became idle (LRU of idle containers).
    pub idle_since: f64,
    /// What the container can serve: its registration's reuse key.
    pub key: KeyId,
    pub node: NodeId,
    pub reg: RegId,
    /// Invocations running in it (a container, not a sandbox): 1 while
    /// busy, up to `capacity`, its function's `concurrency`; it idles when
    /// the last ends.
    pub in_flight: u32,
    /// A prewarming container already promised to an invocation.
    pub claimed: bool,
    /// When it was started, whether ahead of any invocation, whether it
    /// served one, and its idle seconds before its current idle period
    /// (its container time, [`crate::report::ContainerUse`]).
    pub prewarmed: bool,
    pub served: bool,
    /// Position in its node's idle list while idle.
    pub idle_pos: u32,
    /// Global creation order (ties in LRU, and which idle container is reused).
    pub created: u64,
    /// Its pending timer, if any (`timer_pending` says whether): its
    /// start-up's while it prewarms, its idle timer once idle. Whatever
    /// shuts it down cancels it, so that a timer never fires for a
    /// container gone (its record may be another's by then).
    timer: Option<TimerId>,
    pub capacity: u32,
    pub ram: f64,
    /// RAM held besides the container's limit: workers' base memory.
    pub extra_ram: f64,
    pub disk: f64,
    pub born: f64,
    pub idle_before: f64,
    /// Seconds its image takes to load into RAM from its node's disk: the
    /// part of a cold start that depends on the function (FaasCache's cost,
    /// with the service's container start-up).
    pub image_load: f64,
}

// A fork into an idle sandbox and its instance's end read and write the
// first line only; a container's own dispatch and end, and the scans by
// node and key, the second; three lines in all.
const _: () = assert!(std::mem::offset_of!(Container, idle_since) + 8 <= 64);
const _: () = assert!(std::mem::offset_of!(Container, key) == 64);
const _: () = assert!(std::mem::offset_of!(Container, capacity) + 4 <= 128);
const _: () = assert!(std::mem::size_of::<Container>() == 192);

/// Grain workers kept in a sandbox's record; more (an application of more
/// functions) are listed in [`ServiceState`]'s spill table. Two, so that
/// the first line holds them with the rest of a fork's and an end's fields
/// (on the Azure day 99 % of the invocations are of an application's first
/// two functions to be invoked).
const INLINE_WORKERS: usize = 2;

impl Container {
    /// The inline grain workers: registrations and dates.
    fn inline_workers(&self) -> impl Iterator<Item = (RegId, f64)> + '_ {
        let n = usize::from(self.inline_worker_count);
        self.worker_regs[..n]
            .iter()
            .copied()
            .zip(self.worker_up[..n].iter().copied())
    }

    /// Whether it can be shut down now: idle, and no instance running in it.
    pub fn evictable(&self) -> bool {
        self.state == ContainerState::Idle && self.instances == 0
    }

    /// Whether a timer is pending (one read of the first line).
    #[inline]
    pub fn timer_pending(&self) -> bool {
        self.timer_pending
    }

    /// Takes its pending timer, if any.
    pub fn take_timer(&mut self) -> Option<TimerId> {
        self.timer_pending = false;
        self.timer.take()
    }

    /// Its pending timer from now on.
    pub fn set_timer(&mut self, timer: Option<TimerId>) {
        self.timer_pending = timer.is_some();
        self.timer = timer;
    }
}

/// Where each image is complete, per node.
#[derive(Debug, Clone)]
pub struct ImageSets {
    /// Every layer on disk and in RAM.
    pub in_ram: WatchedNodeSet,
    /// Every layer in RAM or being loaded.
    pub ram_or_loading: WatchedNodeSet,
    /// Every layer on disk.
    pub on_disk: WatchedNodeSet,
    /// Every layer on disk or being copied.
    pub disk_or_copying: WatchedNodeSet,
}

/// A layer's state on the head storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeadLayer {
    Absent,
    Downloading,
    Present,
}

/// The state of an image's layers on the head as a whole: `Present` when
/// all are (an image without layers too), `Absent` when one is, else
/// `Downloading` (none missing, some on their way).
fn head_state(layers: &[LayerId], head_layers: &[HeadLayer]) -> HeadLayer {
    let mut whole = HeadLayer::Present;
    for l in layers {
        match head_layers[l.0 as usize] {
            HeadLayer::Absent => return HeadLayer::Absent,
            HeadLayer::Downloading => whole = HeadLayer::Downloading,
            HeadLayer::Present => {}
        }
    }
    whole
}

#[derive(Debug)]
pub struct ServiceState {
    pub nodes: Vec<Node>,
    /// Node indices sorted by host name (WRENCH breaks plan ties by name).
    pub by_name: Vec<NodeId>,
    pub free_slot_nodes: NodeSet,
    /// Nodes with two free slots or more: a round may claim a free node
    /// outside this set once, then it is full (see `Overlay::claim_run`).
    pub roomy_nodes: NodeSet,
    /// Nodes with every slot free (at least one): nothing runs there, so
    /// `least_loaded` finds its next node here first.
    pub empty_nodes: NodeSet,
    /// Nodes given a slot back since the placement's last round, kept
    /// only for a placement that reads them
    /// (`Placement::watches_slots_given`; the service empties it after
    /// each round).
    pub slots_given: Option<NodeSet>,
    /// Nodes that took a slot while empty since the placement's last
    /// round, kept only for a placement that reads them
    /// (`Placement::watches_left_empty`; the service empties it after
    /// each round).
    pub left_empty: Option<NodeSet>,
    /// Nodes whose host has failed and not come back: they hold nothing
    /// and take no work (no free slot), and a transfer to them is not
    /// started. Placements that pick a node without a free slot, to bring
    /// its image closer for a later round, tell a down node from a busy
    /// one here.
    pub down_nodes: NodeSet,
    /// Free slots over all nodes.
    pub total_free_slots: u64,
    pub images: Vec<ImageSets>,
    pub containers: Vec<Container>,
    /// Per container: seconds it stays once idle, as its keep-alive policy
    /// decided when it last went idle. Apart from the records, in a table
    /// eight times denser: every invocation's end writes it, and in the
    /// record it would be one more line to miss.
    keep_for: Vec<f64>,
    free_containers: Vec<ContainerId>,
    /// Per reuse key: nodes holding an idle container of that key.
    pub idle_nodes: NodeSetsByKey,
    /// Idle containers by node and reuse key, in any order
    /// (reuse takes the oldest created). One table for the service, lists
    /// inline: the scheduler looks here for every invocation.
    pub idle_by_key: IdleIndex,
    /// Per reuse key: nodes holding an unclaimed prewarming container of that key.
    pub prewarming_nodes: NodeSetsByKey,
    /// Per layer, its state on the head storage (changed only through
    /// [`ServiceState::set_head_layer`], which keeps `head_images` in step).
    head_layers: Vec<HeadLayer>,
    /// Per image, its layers' state on the head as a whole (see
    /// `head_state`): every request reads it, and it changes only with a
    /// layer's state, so it is kept rather than read off the layers.
    pub head_images: Vec<HeadLayer>,
    pub head_free: f64,
    /// Prewarming containers no invocation has claimed yet.
    pub unclaimed_prewarms: u32,
    /// Every reuse key's containers run one image (keys per function, or
    /// per application whose functions share an image): an idle
    /// container of a key is then where that image is in RAM (its layers
    /// pinned), which lets a round judge entries needing one image alike.
    pub keys_of_one_image: bool,
    /// Busy containers running fewer invocations than their capacity (of
    /// functions with `concurrency` above 1): where a new invocation of
    /// their key joins before any other choice.
    pub with_room: Vec<ContainerId>,
    /// Creation counter shared by layers and containers.
    pub next_created: u64,
    /// Workers of sandboxes with more than [`INLINE_WORKERS`], past those.
    spilled_workers: rustc_hash::FxHashMap<ContainerId, Vec<(RegId, f64)>>,
    /// Container time of the containers gone, per registration.
    usage: Vec<ContainerUse>,
    /// Its containers and nodes over time, when the run meters them.
    pub series: Option<Box<ServiceSeries>>,
}

impl ServiceState {
    pub fn new(nodes: Vec<Node>, images: &[Image], layers: usize, head_capacity: f64) -> Self {
        let n = nodes.len();
        let mut by_name: Vec<NodeId> = (0..n as u32).map(NodeId).collect();
        by_name.sort_by(|a, b| nodes[a.index()].name.cmp(&nodes[b.index()].name));
        let mut free_slot_nodes = NodeSet::new(n);
        let mut roomy_nodes = NodeSet::new(n);
        let mut empty_nodes = NodeSet::new(n);
        for (i, node) in nodes.iter().enumerate() {
            free_slot_nodes.set(NodeId(i as u32), node.free_slots > 0);
            roomy_nodes.set(NodeId(i as u32), node.free_slots > 1);
            empty_nodes.set(NodeId(i as u32), node.free_slots > 0 && node.free_slots == node.slots);
        }
        let empty = ImageSets {
            in_ram: WatchedNodeSet::new(n),
            ram_or_loading: WatchedNodeSet::new(n),
            on_disk: WatchedNodeSet::new(n),
            disk_or_copying: WatchedNodeSet::new(n),
        };
        let total_free_slots = nodes.iter().map(|n| n.free_slots as u64).sum();
        let head_layers = vec![HeadLayer::Absent; layers];
        let head_images = images.iter().map(|i| head_state(&i.layers, &head_layers)).collect();
        ServiceState {
            total_free_slots,
            nodes,
            by_name,
            free_slot_nodes,
            roomy_nodes,
            empty_nodes,
            slots_given: None,
            left_empty: None,
            down_nodes: NodeSet::new(n),
            images: vec![empty; images.len()],
            containers: Vec::new(),
            keep_for: Vec::new(),
            free_containers: Vec::new(),
            idle_nodes: NodeSetsByKey::new(n),
            idle_by_key: IdleIndex::default(),
            prewarming_nodes: NodeSetsByKey::new(n),
            head_layers,
            head_images,
            head_free: head_capacity,
            unclaimed_prewarms: 0,
            keys_of_one_image: false,
            with_room: Vec::new(),
            next_created: 0,
            spilled_workers: Default::default(),
            usage: Vec::new(),
            series: None,
        }
    }

    /// Makes room for reuse keys up to `key` in the per-key indices; done
    /// once, for every key, when the run starts.
    pub fn ensure_key(&mut self, key: KeyId) {
        let (keys, n) = (key.index() + 1, self.nodes.len());
        self.idle_nodes.ensure(keys);
        self.prewarming_nodes.ensure(keys);
        self.idle_by_key = std::mem::take(&mut self.idle_by_key).resized(keys, n);
    }

    pub fn image_on_head(&self, image: ImageId) -> bool {
        self.head_images[image.0 as usize] == HeadLayer::Present
    }

    /// `layer`'s state on the head.
    pub fn head_layer(&self, layer: LayerId) -> HeadLayer {
        self.head_layers[layer.0 as usize]
    }

    /// Sets `layer`'s state on the head, and that of the images holding it.
    pub fn set_head_layer(&mut self, registry: &Registry, layer: LayerId, state: HeadLayer) {
        self.head_layers[layer.0 as usize] = state;
        for image in &registry.images_of_layer[layer.0 as usize] {
            self.head_images[image.0 as usize] =
                head_state(&registry.image_layers[image.0 as usize], &self.head_layers);
        }
    }

    /// Recomputes where each image containing `layer` is complete on `node`.
    pub fn refresh_images(&mut self, registry: &Registry, node: NodeId, layer: LayerId) {
        for image in &registry.images_of_layer[layer.0 as usize] {
            let n = &self.nodes[node.index()];
            let layers = &registry.image_layers[image.0 as usize];
            let all =
                |f: &dyn Fn(Residency, Residency) -> bool| layers.iter().all(|l| f(n.disk_state(*l), n.ram_state(*l)));
            let in_ram = all(&|d, r| d == Residency::Present && r == Residency::Present);
            let ram_or_loading = all(&|_, r| r != Residency::Absent);
            let on_disk = all(&|d, _| d == Residency::Present);
            let disk_or_copying = all(&|d, _| d != Residency::Absent);
            let sets = &mut self.images[image.0 as usize];
            sets.in_ram.set(node, in_ram);
            sets.ram_or_loading.set(node, ram_or_loading);
            sets.on_disk.set(node, on_disk);
            sets.disk_or_copying.set(node, disk_or_copying);
        }
    }

    /// Takes or gives back one slot of a node. The node sets follow the
    /// count (each says whether it is above 0, above 1, or all slots), so
    /// a slot taken or given changes a set only when the count crosses its
    /// bound: most dispatches and completions write none of them.
    #[inline(always)]
    pub fn take_slot(&mut self, node: NodeId) {
        let n = &mut self.nodes[node.index()];
        if n.free_slots == 0 {
            self.free_slot_nodes.remove(node);
            self.roomy_nodes.remove(node);
            self.empty_nodes.remove(node);
            return;
        }
        n.free_slots -= 1;
        self.total_free_slots -= 1;
        match n.free_slots {
            0 => self.free_slot_nodes.remove(node),
            1 => self.roomy_nodes.remove(node),
            _ => {}
        }
        if n.free_slots + 1 == n.slots {
            self.empty_nodes.remove(node);
            if let Some(left) = &mut self.left_empty {
                left.insert(node);
            }
        }
    }

    #[inline(always)]
    pub fn give_slot(&mut self, node: NodeId) {
        if let Some(given) = &mut self.slots_given {
            given.insert(node);
        }
        let n = &mut self.nodes[node.index()];
        if n.free_slots >= n.slots {
            self.free_slot_nodes.insert(node);
            self.roomy_nodes.set(node, n.free_slots > 1);
            self.empty_nodes.set(node, n.free_slots == n.slots);
            return;
        }
        n.free_slots += 1;
        self.total_free_slots += 1;
        match n.free_slots {
            1 => self.free_slot_nodes.insert(node),
            2 => self.roomy_nodes.insert(node),
            _ => {}
        }
        if n.free_slots == n.slots {
            self.empty_nodes.insert(node);
        }
    }

    /// Marks every layer of `image` on `node` as accessed now.
    // Always inlined: every dispatch into a sandbox comes here.
    #[inline(always)]
    pub fn touch(&mut self, registry: &Registry, node: NodeId, image: ImageId, now: f64) {
        let n = &mut self.nodes[node.index()];
        for l in &registry.image_layers[image.0 as usize] {
            if let Some(slot) = n.layers.get_mut(l) {
                slot.disk_access = now;
                slot.ram_access = now;
            }
        }
    }

    /// Adds `delta` to the pins of the layers of `image` that `node` holds
    /// (a pinned layer is never evicted), and makes no slot for the others:
    /// a service keeps them while it makes room, then takes the pins back.
    pub fn pin_held(&mut self, registry: &Registry, node: NodeId, image: ImageId, delta: i32) {
        let n = &mut self.nodes[node.index()];
        for l in &registry.image_layers[image.0 as usize] {
            if let Some(slot) = n.layers.get_mut(l) {
                slot.pins = slot.pins.saturating_add_signed(delta);
            }
        }
    }

    fn pin(&mut self, registry: &Registry, node: NodeId, image: ImageId, delta: i32) {
        let n = &mut self.nodes[node.index()];
        for l in &registry.image_layers[image.0 as usize] {
            let slot = n.layer_mut(*l, &mut self.next_created);
            slot.pins = slot.pins.saturating_add_signed(delta);
        }
    }

    /// A new container on `node`, reserving its RAM and disk limits (the
    /// caller has checked they fit) and pinning its image's layers.
    pub fn spawn(
        &mut self,
        registry: &Registry,
        reg: RegId,
        key: KeyId,
        node: NodeId,
        state: ContainerState,
        now: f64,
    ) -> ContainerId {
        let r = registry.get(reg);
        let (ram, disk, image, capacity) = (r.ram, r.disk, r.image, r.concurrency);
        let image_ram: f64 = registry.image_layers[image.0 as usize]
            .iter()
            .map(|l| registry.layer_ram[l.0 as usize])
            .sum();
        let image_load = image_ram / self.nodes[node.index()].disk_read;
        self.next_created += 1;
        let container = Container {
            key,
            reg,
            node,
            state,
            idle_since: f64::INFINITY,
            created: self.next_created,
            ram,
            disk,
            timer: None,
            timer_pending: false,
            claimed: false,
            idle_pos: 0,
            shared: false,
            instances: 0,
            ready_at: now,
            inline_worker_count: 0,
            worker_regs: [RegId(0); INLINE_WORKERS],
            worker_up: [0.0; INLINE_WORKERS],
            workers_spilled: false,
            extra_ram: 0.0,
            // A container started busy serves its first invocation now.
            uses: u32::from(state == ContainerState::Busy),
            used_at: now,
            image_load,
            born: now,
            prewarmed: state == ContainerState::Prewarming,
            served: false,
            idle_before: 0.0,
            in_flight: u32::from(state == ContainerState::Busy),
            capacity,
        };
        let usage = self.usage_of(reg);
        usage.containers += 1;
        usage.prewarms += u64::from(state == ContainerState::Prewarming);
        let id = match self.free_containers.pop() {
            Some(id) => {
                self.containers[id.index()] = container;
                self.keep_for[id.index()] = 0.0;
                id
            }
            None => {
                self.containers.push(container);
                self.keep_for.push(0.0);
                ContainerId((self.containers.len() - 1) as u32)
            }
        };
        let n = &mut self.nodes[node.index()];
        n.take_ram(ram);
        n.disk_free -= disk;
        self.moved(id, None, state, now);
        self.pin(registry, node, image, 1);
        self.touch(registry, node, image, now);
        if state == ContainerState::Prewarming {
            self.prewarming_nodes.insert(key, node);
            self.unclaimed_prewarms += 1;
        }
        self.refresh_room(id);
        id
    }

    /// An idle or prewarming container becomes busy.
    pub fn make_busy(&mut self, registry: &Registry, id: ContainerId, now: f64) {
        let c = &mut self.containers[id.index()];
        let (node, key, image) = (c.node, c.key, registry.get(c.reg).image);
        let (was, claimed) = (c.state, c.claimed);
        if was == ContainerState::Idle && !c.shared {
            c.idle_before += idle_seconds(c, now);
        }
        let first_use = c.prewarmed && !c.served;
        c.served = true;
        c.uses += 1;
        c.used_at = now;
        c.state = ContainerState::Busy;
        c.in_flight = 1;
        c.idle_since = f64::INFINITY;
        c.claimed = false;
        self.moved(id, Some(was), ContainerState::Busy, now);
        self.refresh_room(id);
        if was == ContainerState::Prewarming && !claimed {
            self.unclaimed_prewarms -= 1;
        }
        if was == ContainerState::Idle {
            self.forget_idle(id, key, node);
        } else if was == ContainerState::Prewarming {
            self.refresh_prewarming(key, node);
        }
        self.touch(registry, node, image, now);
        let reg = self.containers[id.index()].reg;
        self.usage_of(reg).prewarms_used += u64::from(first_use);
    }

    /// A busy or prewarming container becomes idle.
    pub fn make_idle(&mut self, id: ContainerId, now: f64) {
        let c = &mut self.containers[id.index()];
        let (node, key, was, claimed) = (c.node, c.key, c.state, c.claimed);
        c.state = ContainerState::Idle;
        c.in_flight = 0;
        c.idle_since = now;
        c.claimed = false;
        self.moved(id, Some(was), ContainerState::Idle, now);
        self.refresh_room(id);
        if was == ContainerState::Prewarming && !claimed {
            self.unclaimed_prewarms -= 1;
        }
        let n = &mut self.nodes[node.index()];
        self.containers[id.index()].idle_pos = n.idle.len() as u32;
        n.idle.push(id);
        self.idle_by_key.push(node, key, id);
        self.idle_nodes.insert(key, node);
        if was == ContainerState::Prewarming {
            self.refresh_prewarming(key, node);
        }
    }

    /// Shuts a container down: its reservations are released and its layers
    /// unpinned (they stay cached).
    /// Returns the container's pending timer, for the caller to cancel.
    #[must_use]
    pub fn shut_down(&mut self, registry: &Registry, id: ContainerId, now: f64) -> Option<TimerId> {
        if self.containers[id.index()].state == ContainerState::Gone {
            return None;
        }
        self.account(id, now);
        let c = &mut self.containers[id.index()];
        let (node, key, was, image) = (c.node, c.key, c.state, registry.get(c.reg).image);
        let (ram, disk) = (c.ram + c.extra_ram, c.disk);
        if was == ContainerState::Prewarming && !c.claimed {
            self.unclaimed_prewarms -= 1;
        }
        c.state = ContainerState::Gone;
        c.in_flight = 0;
        let timer = c.take_timer();
        self.moved(id, Some(was), ContainerState::Gone, now);
        self.refresh_room(id);
        let n = &mut self.nodes[node.index()];
        n.ram_free += ram;
        n.disk_free += disk;
        if was == ContainerState::Idle {
            self.forget_idle(id, key, node);
        } else if was == ContainerState::Prewarming {
            self.refresh_prewarming(key, node);
        }
        self.pin(registry, node, image, -1);
        self.free_containers.push(id);
        if self.containers[id.index()].workers_spilled {
            self.spilled_workers.remove(&id);
        }
        timer
    }

    /// Seconds container `id` stays once idle, as its keep-alive policy
    /// decided when it last went idle (0 before).
    #[inline]
    pub fn keep_for(&self, id: ContainerId) -> f64 {
        self.keep_for[id.index()]
    }

    #[inline]
    pub fn set_keep_for(&mut self, id: ContainerId, seconds: f64) {
        self.keep_for[id.index()] = seconds;
    }

    /// When the worker of `reg` in sandbox `id` is up, if it has one.
    // Always inlined: every fork into a sandbox asks it.
    #[inline(always)]
    pub fn worker_up(&self, id: ContainerId, reg: RegId) -> Option<f64> {
        let c = &self.containers[id.index()];
        let inline = c.inline_workers().find(|&(r, _)| r == reg).map(|(_, up)| up);
        if inline.is_some() || !c.workers_spilled {
            return inline;
        }
        self.spilled_workers[&id]
            .iter()
            .find(|(r, _)| *r == reg)
            .map(|&(_, up)| up)
    }

    /// Sandbox `id` has a worker of `reg` from now on, up at `up`.
    pub fn add_worker(&mut self, id: ContainerId, reg: RegId, up: f64) {
        let c = &mut self.containers[id.index()];
        let n = usize::from(c.inline_worker_count);
        if n < INLINE_WORKERS {
            c.worker_regs[n] = reg;
            c.worker_up[n] = up;
            c.inline_worker_count += 1;
        } else {
            c.workers_spilled = true;
            self.spilled_workers.entry(id).or_default().push((reg, up));
        }
    }

    /// Another invocation starts in busy container `id`, which has room.
    pub fn join(&mut self, registry: &Registry, id: ContainerId, now: f64) {
        let c = &mut self.containers[id.index()];
        c.in_flight += 1;
        c.uses += 1;
        c.used_at = now;
        let (node, image) = (c.node, registry.get(c.reg).image);
        self.refresh_room(id);
        self.touch(registry, node, image, now);
    }

    /// An invocation in busy container `id` ends; returns whether it was
    /// the last (the container then goes idle, the caller's to apply).
    pub fn leave(&mut self, id: ContainerId) -> bool {
        let c = &mut self.containers[id.index()];
        if c.in_flight <= 1 {
            return true;
        }
        c.in_flight -= 1;
        self.refresh_room(id);
        false
    }

    /// The busy container of `key` with room for one more invocation, the
    /// oldest created, if any.
    pub fn room_for(&self, key: KeyId) -> Option<ContainerId> {
        self.with_room
            .iter()
            .copied()
            .filter(|c| self.containers[c.index()].key == key)
            .min_by_key(|c| self.containers[c.index()].created)
    }

    /// Keeps `with_room` in step with container `id`'s state and load;
    /// only containers that serve more than one invocation at once enter it.
    fn refresh_room(&mut self, id: ContainerId) {
        let c = &self.containers[id.index()];
        if c.capacity <= 1 {
            return;
        }
        let room = c.state == ContainerState::Busy && c.in_flight < c.capacity;
        match (self.with_room.iter().position(|x| *x == id), room) {
            (None, true) => self.with_room.push(id),
            (Some(i), false) => {
                self.with_room.swap_remove(i);
            }
            _ => {}
        }
    }

    /// Removes an idle container from the node's idle lists.
    fn forget_idle(&mut self, id: ContainerId, key: KeyId, node: NodeId) {
        let n = &mut self.nodes[node.index()];
        let i = self.containers[id.index()].idle_pos as usize;
        if n.idle.get(i) == Some(&id) {
            n.idle.swap_remove(i);
            if let Some(&moved) = n.idle.get(i) {
                self.containers[moved.index()].idle_pos = i as u32;
            }
        }
        if self.idle_by_key.remove(node, key, id) {
            self.idle_nodes.remove(key, node);
        }
    }

    /// Promises a prewarming container to an invocation.
    pub fn claim_prewarming(&mut self, id: ContainerId) {
        let c = &mut self.containers[id.index()];
        if c.state == ContainerState::Prewarming && !c.claimed {
            c.claimed = true;
            self.unclaimed_prewarms -= 1;
            let (key, node) = (c.key, c.node);
            unlist(&mut self.nodes[node.index()].prewarming, id);
            self.refresh_prewarming(key, node);
        }
    }

    pub fn refresh_prewarming(&mut self, key: KeyId, node: NodeId) {
        let any = self.prewarming_container(node, key).is_some();
        self.prewarming_nodes.set(key, node, any);
    }

    /// The idle containers of `key` on `node`, if any.
    #[inline]
    pub fn idle_list(&self, node: NodeId, key: KeyId) -> Option<IdleContainers<'_>> {
        self.idle_by_key.get(node, key)
    }

    /// The idle container of `key` on `node` to reuse: the oldest created.
    // Always inlined: the lone placement asks it for nearly every request.
    #[inline(always)]
    pub fn idle_container(&self, node: NodeId, key: KeyId) -> Option<ContainerId> {
        self.oldest_idle(node, key, |_| true)
    }

    /// The oldest created idle container of `key` on `node` among those
    /// `usable` accepts (a round's claims set some aside).
    #[inline(always)]
    pub fn oldest_idle(&self, node: NodeId, key: KeyId, usable: impl Fn(&ContainerId) -> bool) -> Option<ContainerId> {
        self.oldest_of(self.idle_list(node, key)?, usable)
    }

    /// The oldest created of `idle` that `usable` accepts.
    #[inline(always)]
    fn oldest_of(&self, idle: IdleContainers<'_>, usable: impl Fn(&ContainerId) -> bool) -> Option<ContainerId> {
        // One idle container, the usual case: no oldest to look for.
        if let [only] = idle[..] {
            return usable(&only).then_some(only);
        }
        idle.iter()
            .copied()
            .filter(|c| usable(c))
            .min_by_key(|c| self.containers[c.index()].created)
    }

    /// The first node of `free` (node order) with an idle container of
    /// `key` that `usable` accepts, and the oldest such container there:
    /// the classic choice's first pass, which places most requests of a
    /// warm system. Read off the key's row of the idle index where that is
    /// one line (many keys), else off the key's set of idle nodes.
    // Always inlined: the lone placement asks it for nearly every request.
    #[inline(always)]
    pub fn first_idle_among(
        &self,
        key: KeyId,
        free: &NodeSet,
        usable: impl Fn(&ContainerId) -> bool,
    ) -> Option<(NodeId, ContainerId)> {
        let found = self.idle_by_key.find_in_row(key, |node, idle| {
            if !free.contains(node) {
                return None;
            }
            self.oldest_of(idle, &usable).map(|c| (node, c))
        });
        match found {
            Ok(found) => found,
            Err(SearchTheSet) => {
                let idle = self.idle_nodes.non_empty(key)?;
                idle.find_common(free, |node| self.oldest_idle(node, key, &usable).map(|c| (node, c)))
            }
        }
    }

    /// The oldest unclaimed prewarming container of `key` on `node` (the
    /// node's list is in order of creation).
    pub fn prewarming_container(&self, node: NodeId, key: KeyId) -> Option<ContainerId> {
        self.nodes[node.index()]
            .prewarming
            .iter()
            .copied()
            .find(|c| self.containers[c.index()].key == key)
    }

    /// A node fails: its containers are gone (their pending timers are
    /// returned for cancelling), its caches lost, and it takes no work.
    pub fn node_down(&mut self, registry: &Registry, node: NodeId, now: f64) -> Vec<TimerId> {
        let ids: Vec<ContainerId> = (0..self.containers.len() as u32)
            .map(ContainerId)
            .filter(|c| {
                let x = &self.containers[c.index()];
                x.node == node && x.state != ContainerState::Gone
            })
            .collect();
        let mut timers = Vec::new();
        for c in ids {
            // Busy and prewarming containers go too: what ran in them failed.
            let x = &mut self.containers[c.index()];
            x.instances = 0;
            if x.state != ContainerState::Idle {
                let (was, claimed, key) = (x.state, x.claimed, x.key);
                x.state = ContainerState::Idle;
                x.claimed = false;
                let n = &mut self.nodes[node.index()];
                x.idle_pos = n.idle.len() as u32;
                n.idle.push(c);
                self.idle_by_key.push(node, key, c);
                self.idle_nodes.insert(key, node);
                self.moved(c, Some(was), ContainerState::Idle, now);
                // No longer a prewarming container to claim (`shut_down`
                // sees an idle one).
                if was == ContainerState::Prewarming {
                    if !claimed {
                        self.unclaimed_prewarms -= 1;
                    }
                    self.refresh_prewarming(key, node);
                }
            }
            timers.extend(self.shut_down(registry, c, now));
        }
        let n = &mut self.nodes[node.index()];
        let layers: Vec<LayerId> = n.layers.keys().copied().collect();
        n.layers.clear();
        n.ram_free = n.ram_capacity;
        n.disk_free = n.disk_capacity;
        self.total_free_slots -= n.free_slots as u64;
        n.free_slots = 0;
        self.free_slot_nodes.remove(node);
        self.roomy_nodes.remove(node);
        self.empty_nodes.remove(node);
        self.down_nodes.insert(node);
        for l in layers {
            self.refresh_images(registry, node, l);
        }
        timers
    }

    /// A failed node is back, empty.
    pub fn node_up(&mut self, node: NodeId) {
        if let Some(given) = &mut self.slots_given {
            given.insert(node);
        }
        self.down_nodes.remove(node);
        let n = &mut self.nodes[node.index()];
        self.total_free_slots += (n.slots - n.free_slots) as u64;
        n.free_slots = n.slots;
        self.free_slot_nodes.insert(node);
        self.roomy_nodes.set(node, n.free_slots > 1);
        self.empty_nodes.set(node, n.free_slots == n.slots);
    }
}

impl ServiceState {
    /// Tells the series, if any, that container `id` moved from state
    /// `from` (`None`: it is new) to `to`.
    #[inline]
    fn moved(&mut self, id: ContainerId, from: Option<ContainerState>, to: ContainerState, now: f64) {
        if from == Some(ContainerState::Prewarming) || to == ContainerState::Prewarming {
            self.moved_prewarming(id, from, to);
        }
        if self.series.is_some() {
            self.meter_move(id, from, to, now);
        }
    }

    /// Keeps the node's list of unclaimed prewarming containers
    /// ([`Node::prewarming`](super::node::Node::prewarming)): a container
    /// starts in it, and leaves it when claimed or when it stops
    /// prewarming.
    #[cold]
    #[inline(never)]
    fn moved_prewarming(&mut self, id: ContainerId, from: Option<ContainerState>, to: ContainerState) {
        let node = self.containers[id.index()].node;
        let list = &mut self.nodes[node.index()].prewarming;
        if from == Some(ContainerState::Prewarming) {
            unlist(list, id);
        }
        if to == ContainerState::Prewarming {
            list.push(id);
        }
    }

    #[cold]
    #[inline(never)]
    fn meter_move(&mut self, id: ContainerId, from: Option<ContainerState>, to: ContainerState, now: f64) {
        if let Some(series) = &mut self.series {
            let c = &self.containers[id.index()];
            series.container(now, c.reg, c.ram, from, Some(to));
        }
    }

    fn usage_of(&mut self, reg: RegId) -> &mut ContainerUse {
        usage_of(&mut self.usage, reg)
    }

    /// Adds container `id`'s time up to `now` (it goes) to its
    /// registration's use.
    fn account(&mut self, id: ContainerId, now: f64) {
        add_time(&mut self.usage, &self.containers[id.index()], now);
    }

    /// Container time per registration at `now` (the end of the run):
    /// that of the containers gone, and of those still up until `now`.
    pub fn container_use(&self, now: f64) -> Vec<ContainerUse> {
        let mut usage = self.usage.clone();
        for c in self.containers.iter().filter(|c| c.state != ContainerState::Gone) {
            add_time(&mut usage, c, now);
        }
        usage
    }
}

/// Takes `id` out of `list`, keeping the order of the rest.
fn unlist(list: &mut Vec<ContainerId>, id: ContainerId) {
    if let Some(i) = list.iter().position(|c| *c == id) {
        list.remove(i);
    }
}

fn usage_of(usage: &mut Vec<ContainerUse>, reg: RegId) -> &mut ContainerUse {
    if usage.len() <= reg.index() {
        usage.resize(reg.index() + 1, ContainerUse::default());
    }
    &mut usage[reg.index()]
}

/// Adds the time of container `c`, going at `now`, to its registration's
/// use: reserved since its start, idle in its idle periods, and a prewarm
/// wasted if it served nothing.
fn add_time(usage: &mut Vec<ContainerUse>, c: &Container, now: f64) {
    let idle = c.idle_before
        + if c.state == ContainerState::Idle && !c.shared {
            idle_seconds(c, now)
        } else {
            0.0
        };
    let u = usage_of(usage, c.reg);
    u.lived(c.ram + c.extra_ram, (now - c.born).max(0.0), idle);
    u.prewarms_wasted += u64::from(c.prewarmed && !c.served);
}

/// Seconds an idle container has been idle at `now` (none if it is not
/// in an idle period: failed while busy).
fn idle_seconds(c: &Container, now: f64) -> f64 {
    if c.idle_since.is_finite() {
        (now - c.idle_since).max(0.0)
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use indexmap::IndexMap;

    use super::*;
    use crate::engine::{DiskId, HostId};

    fn state(slots: &[u32]) -> ServiceState {
        let nodes = slots
            .iter()
            .map(|&slots| Node {
                slots,
                free_slots: slots,
                host: HostId(0),
                disk_id: DiskId(0),
                ram_capacity: 1.0,
                ram_free: 1.0,
                ram_peak: 0.0,
                disk_capacity: 1.0,
                disk_free: 1.0,
                disk_read: 1.0,
                cores: slots,
                layers: IndexMap::default(),
                idle: Vec::new(),
                prewarming: Vec::new(),
                name: String::new(),
            })
            .collect();
        ServiceState::new(nodes, &[], 0, 0.0)
    }

    /// The node sets say what the counts do, whichever bounds were crossed.
    fn check(s: &ServiceState) {
        for (i, n) in s.nodes.iter().enumerate() {
            let node = NodeId(i as u32);
            assert_eq!(s.free_slot_nodes.contains(node), n.free_slots > 0, "free, node {i}");
            assert_eq!(s.roomy_nodes.contains(node), n.free_slots > 1, "roomy, node {i}");
            let empty = n.free_slots > 0 && n.free_slots == n.slots;
            assert_eq!(s.empty_nodes.contains(node), empty, "empty, node {i}");
        }
        let free: u64 = s.nodes.iter().map(|n| u64::from(n.free_slots)).sum();
        assert_eq!(s.total_free_slots, free);
    }

    #[test]
    fn slot_sets_follow_the_counts() {
        let mut s = state(&[1, 2, 3, 4]);
        check(&s);
        for node in [0, 1, 1, 2, 2, 2, 3, 3, 0, 1, 3, 3, 3] {
            s.take_slot(NodeId(node));
            check(&s);
        }
        for node in [0, 0, 1, 1, 1, 2, 3, 2, 2, 2, 3, 3, 3, 3] {
            s.give_slot(NodeId(node));
            check(&s);
        }
        s.take_slot(NodeId(3));
        s.node_down(&Registry::default(), NodeId(3), 0.0);
        check(&s);
        s.give_slot(NodeId(3));
        check(&s);
        s.node_up(NodeId(3));
        check(&s);
    }

    /// An idle container of registration 0 on node 0.
    fn idle_record() -> Container {
        Container {
            key: KeyId(0),
            node: NodeId(0),
            reg: RegId(0),
            instances: 0,
            uses: 0,
            in_flight: 0,
            state: ContainerState::Idle,
            shared: false,
            claimed: false,
            prewarmed: false,
            served: false,
            timer_pending: false,
            ready_at: 0.0,
            used_at: 0.0,
            idle_since: 0.0,
            inline_worker_count: 0,
            worker_regs: [RegId(0); INLINE_WORKERS],
            worker_up: [0.0; INLINE_WORKERS],
            workers_spilled: false,
            created: 0,
            timer: None,
            idle_pos: 0,
            ram: 0.0,
            capacity: 1,
            extra_ram: 0.0,
            disk: 0.0,
            born: 0.0,
            idle_before: 0.0,
            image_load: 0.0,
        }
    }

    /// The classic choice's first pass finds, from the key's row (many
    /// keys, a key on few nodes) as from its node set (few keys, or a key
    /// on many nodes), the lowest node with a free slot and an idle
    /// container of the key the caller accepts, and the oldest of those.
    #[test]
    fn the_first_idle_container_among_free_nodes_is_found_by_row_or_set() {
        // 20 x 2 pairs make a table; 600 x 440 (past 2^18) make rows.
        for (nodes, keys) in [(20u32, 2u32), (600, 440)] {
            let mut s = state(&vec![1; nodes as usize]);
            s.ensure_key(KeyId(keys - 1));
            let rows = matches!(s.idle_by_key, IdleIndex::Rows { .. });
            assert_eq!(rows, nodes == 600);
            // Key 1: one idle container on each of the top two nodes and
            // on the fourth from the top, two on the third (the younger
            // listed first). Key 0: one on each of the lowest ten nodes, a
            // row longer than its line.
            let mut placed = vec![
                (1, nodes - 1, 5),
                (1, nodes - 2, 4),
                (1, nodes - 3, 9),
                (1, nodes - 3, 2),
            ];
            placed.push((1, nodes - 4, 7));
            placed.extend((0..10).map(|node| (0, node, 100 + u64::from(node))));
            for (i, &(key, node, created)) in placed.iter().enumerate() {
                s.containers.push(Container {
                    key: KeyId(key),
                    node: NodeId(node),
                    state: ContainerState::Busy,
                    created,
                    ..idle_record()
                });
                s.make_idle(ContainerId(i as u32), 0.0);
            }
            // The answer counted from the records: the lowest free node
            // with an accepted container of the key, its oldest there.
            let expected = |s: &ServiceState, key: u32, usable: &dyn Fn(&ContainerId) -> bool| {
                (placed.iter().enumerate())
                    .filter(|(i, p)| {
                        p.0 == key && s.free_slot_nodes.contains(NodeId(p.1)) && usable(&ContainerId(*i as u32))
                    })
                    .map(|(i, p)| (p.1, p.2, ContainerId(i as u32)))
                    .min()
                    .map(|(node, _, c)| (NodeId(node), c))
            };
            let check = |s: &ServiceState, usable: &dyn Fn(&ContainerId) -> bool| {
                for key in 0..2 {
                    let found = s.first_idle_among(KeyId(key), &s.free_slot_nodes, usable);
                    assert_eq!(found, expected(s, key, usable), "key {key}, {nodes} nodes");
                }
            };
            let all = |_: &ContainerId| true;
            // The oldest of the two refused, then both (the next node's).
            let not_oldest = |c: &ContainerId| c.0 != 3;
            let neither = |c: &ContainerId| c.0 != 3 && c.0 != 2;
            let refusals: [&dyn Fn(&ContainerId) -> bool; 3] = [&all, &not_oldest, &neither];
            for usable in refusals {
                check(&s, usable);
            }
            assert!(expected(&s, 1, &all).is_some_and(|(node, _)| node == NodeId(nodes - 4)));
            // The lower nodes' slots taken, one by one, then one given back.
            for node in [nodes - 4, nodes - 3, 0, 1, nodes - 2, nodes - 1] {
                s.take_slot(NodeId(node));
                check(&s, &all);
                check(&s, &not_oldest);
            }
            assert_eq!(s.first_idle_among(KeyId(1), &s.free_slot_nodes, all), None);
            s.give_slot(NodeId(nodes - 3));
            check(&s, &all);
            check(&s, &neither);
        }
    }

    #[test]
    fn the_timer_flag_follows_the_timer() {
        let mut s = state(&[1]);
        s.containers.push(idle_record());
        let x = &mut s.containers[0];
        assert!(!x.timer_pending());
        let timer = TimerId {
            index: 3,
            generation: 1,
        };
        x.set_timer(Some(timer));
        assert!(x.timer_pending());
        assert_eq!(x.take_timer(), Some(timer));
        assert!(!x.timer_pending());
        x.set_timer(Some(timer));
        x.set_timer(None);
        assert!(!x.timer_pending());
        assert_eq!(x.take_timer(), None);
    }

    #[test]
    fn a_sandbox_finds_each_worker_inline_or_spilled() {
        let mut s = state(&[1]);
        s.containers.push(idle_record());
        let id = ContainerId(0);
        for i in 0..5u32 {
            s.add_worker(id, RegId(10 + i), f64::from(i));
            // Spilled past the inline ones only.
            assert_eq!(
                s.spilled_workers.contains_key(&id),
                i as usize >= INLINE_WORKERS,
                "worker {i}"
            );
            for j in 0..=i {
                assert_eq!(s.worker_up(id, RegId(10 + j)), Some(f64::from(j)), "worker {j} of {i}");
            }
            assert_eq!(s.worker_up(id, RegId(10 + i + 1)), None);
        }
    }
}

//! One serverless service at run time: a single actor with a FIFO mailbox
//! (WRENCH's service), which pays the processing overhead of each request,
//! starts image downloads to the head, calls the scheduler after each
//! message and applies its decisions: evictions, dispatches, layer loads
//! and copies.

use std::collections::VecDeque;

use indexmap::IndexMap;

use crate::engine::{Activity, TimerId};
use crate::ir::function::{ImageId, LayerId};
use crate::ir::service::{Eviction, Granularity};
use crate::report::Startup;

use crate::ir::service::ServiceId;

use super::ids::{ContainerId, KeyId, NodeId, PrewarmId, RegId, TransferId};
use super::invocation::InvocationHandle;
use super::node::Residency;
use super::run::Run;
use super::scheduler::{Decisions, Pending, Queue, Scheduler, View, Waiting};
use super::state::{ContainerState, HeadLayer, ServiceState};
use super::tag::Tag;

pub use super::message::{Message, Request};

/// A layer transfer in flight.
#[derive(Debug, Clone, Copy)]
pub enum Transfer {
    Download {
        service: ServiceId,
        layer: LayerId,
    },
    Copy {
        service: ServiceId,
        node: NodeId,
        layer: LayerId,
    },
    Load {
        service: ServiceId,
        node: NodeId,
        layer: LayerId,
    },
}

pub struct Service {
    pub state: ServiceState,
    pub scheduler: Box<dyn Scheduler>,
    pub mailbox: VecDeque<Message>,
    /// Processing a message, or paying a request's overhead.
    pub busy: bool,
    /// The request whose overhead is being paid.
    pub in_overhead: Option<Request>,
    /// Invocations whose image is not yet on the head and not downloading.
    pub new: VecDeque<InvocationHandle>,
    /// Invocations (and prewarm requests) waiting for downloads, per image,
    /// images in order of first admission.
    pub admitted: IndexMap<ImageId, VecDeque<Waiting>>,
    /// Invocations the scheduler may place, in the order they became
    /// schedulable; `None` once dispatched (see [`Queue`]).
    pub schedulable: Vec<Option<Pending>>,
    /// The decisions of the last round, kept for their buffers; boxed so
    /// that taking them out for a round moves a pointer, not the struct.
    pub decisions: Option<Box<Decisions>>,
    /// Reuse key of each registration (which containers can serve it).
    pub keys: Vec<KeyId>,
    pub wake_timer: Option<(f64, TimerId)>,
    /// Entries of `schedulable` before this index are all dispatched.
    pub schedulable_start: usize,
    /// Dispatched entries still in `schedulable`.
    pub schedulable_dead: usize,
    /// The last round decided nothing for lack of slots, and only requests
    /// have arrived since: another round would decide nothing either.
    pub quiet: bool,
    /// Whether a request that finds nobody waiting may be placed without a
    /// round when the scheduler answers `place_alone`.
    pub shortcut: bool,
}

impl Service {
    /// Counts newly dispatched entries; drops the dispatched prefix, and
    /// compacts the list once most of it is dispatched.
    fn forget_dispatched(&mut self, count: usize) {
        self.schedulable_dead += count;
        while self
            .schedulable
            .get(self.schedulable_start)
            .is_some_and(Option::is_none)
        {
            self.schedulable_start += 1;
            self.schedulable_dead -= 1;
        }
        if self.schedulable_start == self.schedulable.len() {
            self.schedulable.clear();
            self.schedulable_start = 0;
            self.schedulable_dead = 0;
        } else if self.schedulable_start + self.schedulable_dead > self.schedulable.len() / 2 {
            self.schedulable.retain(Option::is_some);
            self.schedulable_start = 0;
            self.schedulable_dead = 0;
        }
    }

    /// Whether some invocation waits for the scheduler.
    pub fn has_schedulable(&self) -> bool {
        self.schedulable.len() > self.schedulable_start + self.schedulable_dead
    }
}

impl Run<'_> {
    /// Puts a message in a service's mailbox and, unless the service is
    /// busy (it then takes the message in turn), processes it now. Events
    /// due at this same date that are not messages (a body's next step, a
    /// start-up ending) cannot depend on what the service decides, so
    /// handling the message at once orders things as SimGrid does.
    pub(crate) fn deliver(&mut self, s: ServiceId, message: Message) {
        let service = &mut self.services[s.index()];
        if service.busy {
            service.mailbox.push_back(message);
        } else {
            // An idle service has emptied its mailbox: the message is next.
            self.drain_from(s, Some(message));
        }
    }

    /// Processes messages until the mailbox is empty or a request's
    /// overhead makes the service wait.
    pub(crate) fn drain(&mut self, s: ServiceId) {
        self.drain_from(s, None);
    }

    /// [`drain`](Self::drain), with `first` ahead of the mailbox.
    fn drain_from(&mut self, s: ServiceId, mut first: Option<Message>) {
        self.services[s.index()].busy = true;
        while let Some(message) = first.take().or_else(|| self.services[s.index()].mailbox.pop_front()) {
            let schedule = match message {
                Message::Request(request) => {
                    let overhead = self.world.settings[s.index()].processing_overhead;
                    if overhead > 0.0 && request.local.is_none() {
                        self.services[s.index()].in_overhead = Some(request);
                        self.world.timer(overhead, Tag::Overhead(s));
                        return;
                    }
                    self.accept(s, request)
                }
                other => {
                    self.services[s.index()].quiet = false;
                    self.handle(s, other)
                }
            };
            self.after_message(s, schedule);
        }
        self.services[s.index()].busy = false;
    }

    /// The overhead of the current request is paid: accept it, go on.
    pub(crate) fn overhead_done(&mut self, s: ServiceId) {
        if let Some(request) = self.services[s.index()].in_overhead.take() {
            let schedule = self.accept(s, request);
            self.after_message(s, schedule);
        }
        self.drain(s);
    }

    fn after_message(&mut self, s: ServiceId, schedule: bool) {
        if !self.services[s.index()].new.is_empty() {
            self.admit(s);
        }
        if schedule {
            self.round(s);
        }
    }

    /// Handles a message other than a request; returns whether a scheduling
    /// round follows (not after a failed copy or load, as in WRENCH).
    fn handle(&mut self, s: ServiceId, message: Message) -> bool {
        let now = self.world.now();
        match message {
            Message::Request(_) | Message::Wake => true,
            Message::DownloadDone(layer) => {
                self.download_done(s, layer);
                true
            }
            Message::CopyDone { node, layer, ok } => {
                let service = &mut self.services[s.index()];
                let n = &mut service.state.nodes[node.index()];
                let slot = n.layer_mut(layer, &mut service.state.next_created);
                if ok {
                    slot.disk = Residency::Present;
                    slot.disk_access = now;
                } else {
                    slot.disk = Residency::Absent;
                    n.disk_free += self.world.registry.layer_size[layer.0 as usize];
                    n.prune(layer);
                }
                service.state.refresh_images(&self.world.registry, node, layer);
                ok
            }
            Message::LoadDone { node, layer, ok } => {
                let service = &mut self.services[s.index()];
                let n = &mut service.state.nodes[node.index()];
                let slot = n.layer_mut(layer, &mut service.state.next_created);
                if ok {
                    slot.ram = Residency::Present;
                    slot.ram_access = now;
                } else {
                    slot.ram = Residency::Absent;
                    n.ram_free += self.world.registry.layer_ram[layer.0 as usize];
                }
                service.state.refresh_images(&self.world.registry, node, layer);
                ok
            }
            Message::InvocationDone(inv) => {
                self.invocation_done(s, inv);
                true
            }
            Message::IdleTimeout {
                container,
                created,
                idle_since,
            } => {
                let state = &mut self.services[s.index()].state;
                let c = &state.containers[container.index()];
                if c.evictable() && c.created == created && c.idle_since == idle_since {
                    let timer = state.shut_down(&self.world.registry, container);
                    self.world.cancel_timer(timer);
                }
                true
            }
            Message::PrewarmDone(container) => {
                self.prewarm_done(s, container);
                true
            }
        }
    }

    /// A request passed the overhead: the invocation exists from now.
    /// Returns whether a scheduling round follows.
    fn accept(&mut self, s: ServiceId, request: Request) -> bool {
        let (inv, pending) = self.create_invocation(s, request);
        if let Some(node) = request.local
            && self.dispatch_to_sandbox(s, inv, request.reg, node, None)
        {
            self.accepted(request.origin);
            return true;
        }
        let image = pending.image;
        let service = &mut self.services[s.index()];
        let layers = &self.world.registry.image_layers[image.0 as usize];
        let head = |l: &LayerId| service.state.head_layers[l.0 as usize];
        if layers.iter().all(|l| head(l) == HeadLayer::Present) {
            self.accepted(request.origin);
            return self.schedule_new(s, pending);
        } else if layers.iter().all(|l| head(l) != HeadLayer::Absent) {
            service
                .admitted
                .entry(image)
                .or_default()
                .push_back(Waiting::Invocation(inv));
        } else {
            service.new.push_back(inv);
        }
        self.accepted(request.origin);
        true
    }

    /// Makes a new invocation schedulable. When nobody waits ahead of it
    /// and the scheduler places it at once, it is dispatched here, which
    /// is what a round over it alone would do; returns whether a round is
    /// still needed.
    fn schedule_new(&mut self, s: ServiceId, pending: Pending) -> bool {
        let service = &mut self.services[s.index()];
        let placement = if !service.shortcut || service.has_schedulable() || service.quiet {
            None
        } else {
            let view = View {
                state: &service.state,
                registry: &self.world.registry,
                now: self.world.now(),
            };
            service.scheduler.place_alone(&view, &pending)
        };
        let Some(placement) = placement else {
            service.schedulable.push(Some(pending));
            return true;
        };
        if !self.dispatch(s, pending.waiting, placement.node, placement.container) {
            // As after a round whose only dispatch was not feasible: the
            // invocation waits for the next round.
            let service = &mut self.services[s.index()];
            service.schedulable.push(Some(pending));
            service.quiet = false;
        }
        false
    }

    /// Moves new invocations to the admitted queues, starting the downloads
    /// of layers neither on the head nor on their way.
    fn admit(&mut self, s: ServiceId) {
        while let Some(inv) = self.services[s.index()].new.pop_front() {
            let Some(invocation) = self.world.invocations.get(inv) else {
                continue;
            };
            let image = self.world.registry.get(invocation.reg).image;
            let layers = self.world.registry.image_layers[image.0 as usize].clone();
            for layer in layers {
                if self.services[s.index()].state.head_layers[layer.0 as usize] == HeadLayer::Absent {
                    self.start_download(s, layer, image);
                }
            }
            self.services[s.index()]
                .admitted
                .entry(image)
                .or_default()
                .push_back(Waiting::Invocation(inv));
        }
    }

    pub(crate) fn start_download(&mut self, s: ServiceId, layer: LayerId, image: ImageId) {
        let size = self.world.registry.layer_size[layer.0 as usize];
        let service = &mut self.services[s.index()];
        service.state.head_free -= size;
        if service.state.head_free < 0.0 && self.world.error.is_none() {
            self.world.error = Some(super::RunError::HeadFull {
                service: self.world.model.services[s.index()].name.clone(),
                layer: self.world.model.layers[layer.0 as usize].name.clone(),
            });
        }
        let origin = self.world.model.images[image.0 as usize].origin;
        let settings = &self.world.settings[s.index()];
        match origin.filter(|_| settings.image_downloads && size > 0.0) {
            None => {
                // The file appears on the head at once; the invocations that
                // wait for it learn so when the completion message comes.
                service.state.head_layers[layer.0 as usize] = HeadLayer::Present;
                let t = self.transfer(Transfer::Download { service: s, layer });
                self.world.timer(0.0, Tag::Transfer(t));
            }
            Some(storage) => {
                service.state.head_layers[layer.0 as usize] = HeadLayer::Downloading;
                let src = self
                    .world
                    .lowered
                    .disk(self.world.model.storages[storage.0 as usize].disk);
                let src_host = self.world.model.storages[storage.0 as usize].disk.host;
                let activity = if src_host.0 == settings.head_host.0 {
                    Activity::Sequence(vec![
                        Activity::DiskRead { disk: src, bytes: size },
                        Activity::DiskWrite {
                            disk: settings.head_disk,
                            bytes: size,
                        },
                    ])
                } else {
                    Activity::Stream {
                        src_disk: src,
                        dst_host: settings.head_host,
                        dst_disk: Some(settings.head_disk),
                        bytes: size,
                    }
                };
                let t = self.transfer(Transfer::Download { service: s, layer });
                self.world.start_tracked(activity, Tag::Transfer(t));
            }
        }
    }

    /// A layer's download failed: every invocation waiting for an image
    /// with that layer fails, and the head's space is given back.
    pub(crate) fn download_failed(&mut self, s: ServiceId, layer: LayerId) {
        let now = self.world.now();
        let size = self.world.registry.layer_size[layer.0 as usize];
        let service = &mut self.services[s.index()];
        service.state.head_layers[layer.0 as usize] = HeadLayer::Absent;
        service.state.head_free += size;
        let images: Vec<ImageId> = service
            .admitted
            .keys()
            .copied()
            .filter(|image| self.world.registry.image_layers[image.0 as usize].contains(&layer))
            .collect();
        for image in images {
            for waiting in self.services[s.index()]
                .admitted
                .shift_remove(&image)
                .unwrap_or_default()
            {
                // A prewarm request is dropped with its image's download.
                let Waiting::Invocation(handle) = waiting else { continue };
                if let Some(inv) = self.world.invocations.get_mut(handle) {
                    inv.cause = Some(crate::report::Cause::ImageDownloadFailure);
                    inv.finish = now;
                    self.deliver(s, Message::InvocationDone(handle));
                }
            }
        }
    }

    fn download_done(&mut self, s: ServiceId, layer: LayerId) {
        let service = &mut self.services[s.index()];
        service.state.head_layers[layer.0 as usize] = HeadLayer::Present;
        let ready: Vec<ImageId> = service
            .admitted
            .keys()
            .copied()
            .filter(|image| {
                let layers = &self.world.registry.image_layers[image.0 as usize];
                layers.contains(&layer) && service.state.image_on_head(&self.world.registry, *image)
            })
            .collect();
        for image in ready {
            if let Some(queue) = self.services[s.index()].admitted.shift_remove(&image) {
                for inv in queue {
                    let pending = self.pending(inv);
                    self.services[s.index()].schedulable.push(pending);
                }
            }
        }
    }

    /// A scheduling round: ask the scheduler, apply its decisions.
    pub(crate) fn round(&mut self, s: ServiceId) {
        let service = &mut self.services[s.index()];
        if !service.has_schedulable() || (service.quiet && service.scheduler.appends_are_inert()) {
            return;
        }
        let mut decisions = service.decisions.take().unwrap_or_default();
        decisions.clear();
        let view = View {
            state: &service.state,
            registry: &self.world.registry,
            now: self.world.now(),
        };
        service.scheduler.schedule(
            &view,
            Queue::new(&service.schedulable[service.schedulable_start..]),
            &mut decisions,
        );
        self.services[s.index()].quiet = decisions.is_empty() && decisions.exhausted;
        if !decisions.is_empty() || decisions.wake_at.is_some() {
            self.apply(s, &decisions);
        }
        self.services[s.index()].decisions = Some(decisions);
    }

    fn apply(&mut self, s: ServiceId, d: &Decisions) {
        let now = self.world.now();
        for &c in &d.terminate {
            self.terminate(s, c);
        }
        for &(node, layer) in &d.evict_ram {
            self.evict_ram(s, node, layer);
        }
        for &(node, layer) in &d.evict_disk {
            self.evict_disk(s, node, layer);
        }
        let mut dispatched = 0;
        for dispatch in &d.dispatch {
            if self.dispatch(s, dispatch.waiting, dispatch.node, dispatch.container) {
                // Marked, not removed: compacting the list on every round
                // would cost its length each time.
                let service = &mut self.services[s.index()];
                service.schedulable[service.schedulable_start + dispatch.index as usize] = None;
                dispatched += 1;
            }
        }
        if dispatched > 0 {
            self.services[s.index()].forget_dispatched(dispatched);
        }
        for &(node, layer) in &d.load {
            self.load(s, node, layer);
        }
        for &(node, layer) in &d.copy {
            self.copy(s, node, layer);
        }
        if let Some(at) = d.wake_at.filter(|t| *t > now) {
            let pending = self.services[s.index()].wake_timer;
            if pending.is_none_or(|(t, _)| at < t) {
                if let Some((_, timer)) = pending {
                    self.world.engine.cancel_timer(timer);
                }
                self.services[s.index()].wake_timer = self
                    .world
                    .timer(at - now, Tag::SchedulerWake(s))
                    .map(|timer| (at, timer));
            }
        }
    }

    fn terminate(&mut self, s: ServiceId, c: ContainerId) {
        let state = &mut self.services[s.index()].state;
        if state
            .containers
            .get(c.index())
            .is_some_and(|x| x.state == ContainerState::Idle)
        {
            let timer = state.shut_down(&self.world.registry, c);
            self.world.cancel_timer(timer);
        }
    }

    pub(crate) fn evict_ram(&mut self, s: ServiceId, node: NodeId, layer: LayerId) {
        let state = &mut self.services[s.index()].state;
        let n = &mut state.nodes[node.index()];
        if n.ram_state(layer) == Residency::Present {
            if let Some(slot) = n.layers.get_mut(&layer) {
                slot.ram = Residency::Absent;
            }
            n.ram_free += self.world.registry.layer_ram[layer.0 as usize];
            n.prune(layer);
            state.refresh_images(&self.world.registry, node, layer);
        }
    }

    pub(crate) fn evict_disk(&mut self, s: ServiceId, node: NodeId, layer: LayerId) {
        // A layer cannot stay in RAM without its file.
        self.evict_ram(s, node, layer);
        let state = &mut self.services[s.index()].state;
        let n = &mut state.nodes[node.index()];
        if n.disk_state(layer) == Residency::Present {
            if let Some(slot) = n.layers.get_mut(&layer) {
                slot.disk = Residency::Absent;
            }
            n.disk_free += self.world.registry.layer_size[layer.0 as usize];
            n.prune(layer);
            state.refresh_images(&self.world.registry, node, layer);
        }
    }

    /// Frees `bytes` of RAM or disk on a node by evicting unpinned layers,
    /// least recently used first (the classic storage caches). Returns
    /// whether there is room.
    fn make_room(&mut self, s: ServiceId, node: NodeId, ram: f64, disk: f64) -> bool {
        loop {
            let n = &self.services[s.index()].state.nodes[node.index()];
            let ram_short = ram > n.ram_free;
            let disk_short = disk > n.disk_free;
            if !ram_short && !disk_short {
                return true;
            }
            let victim = n
                .layers
                .iter()
                .filter(|(_, l)| l.pins == 0)
                .filter(|(_, l)| {
                    (ram_short && l.ram == Residency::Present)
                        || (disk_short && l.disk == Residency::Present && l.ram != Residency::InTransit)
                })
                .min_by(|a, b| {
                    let key = |l: &super::node::LayerSlot| {
                        if ram_short { l.ram_access } else { l.disk_access }
                    };
                    key(a.1).total_cmp(&key(b.1)).then(a.1.created.cmp(&b.1.created))
                })
                .map(|(layer, _)| *layer);
            let Some(layer) = victim else { return false };
            if ram_short {
                self.evict_ram(s, node, layer);
            } else {
                self.evict_disk(s, node, layer);
            }
        }
    }

    /// Whether a new container of `ram` and `disk` fits on a node, making
    /// room as WRENCH's classic service does: unpinned cached layers first
    /// (the storage caches), then idle containers (the eviction policy).
    fn ensure_room(&mut self, s: ServiceId, node: NodeId, ram: f64, disk: f64) -> bool {
        let fits = |run: &Run| {
            let n = &run.services[s.index()].state.nodes[node.index()];
            n.ram_free >= ram && n.disk_free >= disk
        };
        fits(self) || (self.make_room(s, node, ram, disk) && fits(self)) || self.evict_idle(s, node, ram, disk)
    }

    /// Shuts idle containers down by the service's eviction policy until
    /// `ram` and `disk` fit; all or nothing. On the path of every cold
    /// start on a full node, so nothing here allocates for a usual node.
    fn evict_idle(&mut self, s: ServiceId, node: NodeId, ram: f64, disk: f64) -> bool {
        type Few = smallvec::SmallVec<[ContainerId; 16]>;
        let state = &self.services[s.index()].state;
        let n = &state.nodes[node.index()];
        let mut d_ram = ram - n.ram_free;
        let mut d_disk = disk - n.disk_free;
        let mut candidates: Few = n
            .idle
            .iter()
            .copied()
            .filter(|c| state.containers[c.index()].evictable())
            .collect();
        let mut victims = Few::new();
        match self.world.settings[s.index()].eviction {
            Eviction::Lru => {
                // Least recently idle first: the minimum taken out each
                // time, as few are usually needed (a sort is wasted then).
                let age = |c: &ContainerId| {
                    let x = &state.containers[c.index()];
                    (x.idle_since, x.created)
                };
                while (d_ram > 0.0 || d_disk > 0.0) && !candidates.is_empty() {
                    let oldest = (1..candidates.len()).fold(0, |best, i| {
                        let (a, b) = (age(&candidates[i]), age(&candidates[best]));
                        if a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).is_lt() {
                            i
                        } else {
                            best
                        }
                    });
                    let c = candidates.swap_remove(oldest);
                    d_ram -= state.containers[c.index()].ram;
                    d_disk -= state.containers[c.index()].disk;
                    victims.push(c);
                }
            }
            Eviction::Ram => {
                let by_ram = d_ram > 0.0;
                candidates.sort_by(|a, b| {
                    let (x, y) = (&state.containers[a.index()], &state.containers[b.index()]);
                    let (p, q) = if by_ram { (x.ram, y.ram) } else { (x.disk, y.disk) };
                    p.total_cmp(&q).then(x.created.cmp(&y.created))
                });
                while (d_ram > 0.0 || d_disk > 0.0) && !candidates.is_empty() {
                    let pick = candidates
                        .iter()
                        .position(|c| {
                            state.containers[c.index()].ram >= d_ram && state.containers[c.index()].disk >= d_disk
                        })
                        .unwrap_or(candidates.len() - 1);
                    let c = candidates.remove(pick);
                    d_ram -= state.containers[c.index()].ram;
                    d_disk -= state.containers[c.index()].disk;
                    victims.push(c);
                }
            }
        }
        if d_ram > 0.0 || d_disk > 0.0 {
            return false;
        }
        for c in victims {
            self.terminate(s, c);
        }
        true
    }

    /// Applies a dispatch; false when it is not feasible any more.
    fn dispatch(&mut self, s: ServiceId, waiting: Waiting, node: NodeId, container: Option<ContainerId>) -> bool {
        let handle = match waiting {
            Waiting::Prewarm(prewarm) => return self.dispatch_prewarm(s, prewarm, node),
            Waiting::Invocation(handle) => handle,
        };
        let now = self.world.now();
        let Some(invocation) = self.world.invocations.get(handle) else {
            return false;
        };
        let reg = invocation.reg;
        if self.world.settings[s.index()].granularity == Granularity::PerApplication {
            return self.dispatch_to_sandbox(s, handle, reg, node, container);
        }
        let r = self.world.registry.get(reg);
        let (image, ram, disk) = (r.image, r.ram, r.disk);
        let service = &self.services[s.index()];
        let key = service.keys[reg.index()];
        // A prewarming container brings its own slot.
        let onto_prewarming =
            container.is_some_and(|c| service.state.containers[c.index()].state == ContainerState::Prewarming);
        if !onto_prewarming && service.state.nodes[node.index()].free_slots == 0 {
            return false;
        }
        if !service.state.images[image.0 as usize].in_ram.contains(node) {
            return false;
        }
        let (container, kind) = match container {
            Some(c) => {
                let x = &service.state.containers[c.index()];
                if x.node != node || x.key != key {
                    return false;
                }
                match x.state {
                    ContainerState::Idle => {
                        // Its idle timer, if pending, is left to fire and find
                        // the container busy (cheaper than cancelling it).
                        let state = &mut self.services[s.index()].state;
                        state.make_busy(&self.world.registry, c, now);
                        (c, crate::report::StartKind::Warm)
                    }
                    ContainerState::Prewarming if !x.claimed => {
                        self.services[s.index()].state.claim_prewarming(c);
                        self.prewarm_waiters.push((s, c, handle));
                        (c, crate::report::StartKind::Prewarmed)
                    }
                    _ => return false,
                }
            }
            None => {
                if !self.ensure_room(s, node, ram, disk) {
                    return false;
                }
                let c = self.services[s.index()].state.spawn(
                    &self.world.registry,
                    reg,
                    key,
                    node,
                    ContainerState::Busy,
                    now,
                );
                (c, crate::report::StartKind::Cold)
            }
        };
        if kind != crate::report::StartKind::Prewarmed {
            self.services[s.index()].state.take_slot(node);
        }
        if let Some(inv) = self.world.invocations.get_mut(handle) {
            inv.dispatch = Some(now);
            inv.node = Some(node);
            inv.container = Some(container);
            inv.start_kind = Some(kind);
            inv.startup = Some(match kind {
                crate::report::StartKind::Warm => Startup::None,
                _ => Startup::Container,
            });
        }
        match kind {
            crate::report::StartKind::Cold => {
                let startup = self.world.settings[s.index()].container_startup;
                let mark = self.out.mark();
                self.bodies().start_after(handle, startup);
                self.process(mark);
            }
            crate::report::StartKind::Warm => {
                let mark = self.out.mark();
                self.bodies().start(handle);
                self.process(mark);
            }
            // The body starts when the prewarm ends.
            crate::report::StartKind::Prewarmed => {}
        }
        true
    }

    /// SAND's dispatch: into the application's sandbox on the node (made
    /// first if there is none), through its grain worker for the function
    /// (started and its libraries loaded on first use), as a forked
    /// instance. Costs: container start-up for a new sandbox, worker start
    /// and library load for a new worker, a fork always; memory: the
    /// sandbox's limit once, a worker's base memory, an instance's memory.
    fn dispatch_to_sandbox(
        &mut self,
        s: ServiceId,
        handle: InvocationHandle,
        reg: RegId,
        node: NodeId,
        container: Option<ContainerId>,
    ) -> bool {
        let now = self.world.now();
        let r = self.world.registry.get(reg);
        let (image, ram, disk) = (r.image, r.ram, r.disk);
        let service = &self.services[s.index()];
        let key = service.keys[reg.index()];
        let costs = self.world.settings[s.index()].sandbox.clone();
        if service.state.nodes[node.index()].free_slots == 0
            || !service.state.images[image.0 as usize].in_ram.contains(node)
        {
            return false;
        }
        let existing = container
            .filter(|c| {
                let x = &service.state.containers[c.index()];
                x.shared && x.node == node && x.key == key && x.state == ContainerState::Idle
            })
            .or_else(|| service.state.idle_container(node, key));
        let (c, kind, startup, delay) = match existing {
            Some(c) => {
                let x = &service.state.containers[c.index()];
                let worker_up = x.workers.iter().find(|(r, _)| *r == reg).map(|&(_, up)| up);
                let need = costs.instance_memory + if worker_up.is_none() { costs.base_memory } else { 0.0 };
                if service.state.nodes[node.index()].ram_free < need && !self.make_room(s, node, need, 0.0) {
                    return false;
                }
                let state = &mut self.services[s.index()].state;
                let x = &mut state.containers[c.index()];
                x.instances += 1;
                // A sandbox or worker still starting is waited for: the
                // instance pays what is left of its start-up, then the fork.
                let sandbox_wait = (x.ready_at - now).max(0.0);
                let starting = if sandbox_wait > 0.0 {
                    Startup::Container
                } else {
                    Startup::Worker
                };
                let (startup, delay) = match worker_up {
                    Some(up) if up <= now => (Startup::Fork, costs.fork),
                    Some(up) => (starting, (up - now) + costs.fork),
                    None => {
                        let wait = sandbox_wait + (costs.worker_start + costs.library_load);
                        x.workers.push((reg, now + wait));
                        x.extra_ram += costs.base_memory;
                        (starting, costs.fork + wait)
                    }
                };
                let kind = if sandbox_wait > 0.0 {
                    crate::report::StartKind::Cold
                } else {
                    crate::report::StartKind::Warm
                };
                state.nodes[node.index()].take_ram(need);
                state.touch(&self.world.registry, node, image, now);
                (c, kind, startup, delay)
            }
            None => {
                let need_ram = ram + costs.base_memory + costs.instance_memory;
                if !self.ensure_room(s, node, need_ram, disk) {
                    return false;
                }
                let container_startup = self.world.settings[s.index()].container_startup;
                let state = &mut self.services[s.index()].state;
                let c = state.spawn(&self.world.registry, reg, key, node, ContainerState::Busy, now);
                // A sandbox stays in the reuse index while it lives.
                state.make_idle(c, now);
                let x = &mut state.containers[c.index()];
                x.shared = true;
                x.instances = 1;
                x.ready_at = now + container_startup;
                x.workers
                    .push((reg, x.ready_at + (costs.worker_start + costs.library_load)));
                x.extra_ram = costs.base_memory;
                state.nodes[node.index()].take_ram(costs.base_memory + costs.instance_memory);
                let delay = container_startup + costs.worker_start + costs.library_load + costs.fork;
                (c, crate::report::StartKind::Cold, Startup::Container, delay)
            }
        };
        self.services[s.index()].state.take_slot(node);
        if let Some(inv) = self.world.invocations.get_mut(handle) {
            inv.dispatch = Some(now);
            inv.node = Some(node);
            inv.container = Some(c);
            inv.start_kind = Some(kind);
            inv.startup = Some(startup);
        }
        let mark = self.out.mark();
        self.bodies().start_after(handle, delay);
        self.process(mark);
        true
    }

    fn load(&mut self, s: ServiceId, node: NodeId, layer: LayerId) {
        let ram = self.world.registry.layer_ram[layer.0 as usize];
        let state = &self.services[s.index()].state;
        let n = &state.nodes[node.index()];
        if n.disk_state(layer) != Residency::Present || n.ram_state(layer) != Residency::Absent {
            return;
        }
        if ram > n.ram_free && !self.make_room(s, node, ram, 0.0) {
            return;
        }
        let service = &mut self.services[s.index()];
        let disk = service.state.nodes[node.index()].disk_id;
        let n = &mut service.state.nodes[node.index()];
        n.take_ram(ram);
        let slot = n.layer_mut(layer, &mut service.state.next_created);
        slot.ram = Residency::InTransit;
        slot.disk_access = self.world.now();
        service.state.refresh_images(&self.world.registry, node, layer);
        let t = self.transfer(Transfer::Load {
            service: s,
            node,
            layer,
        });
        self.world
            .start_tracked(Activity::DiskRead { disk, bytes: ram }, Tag::Transfer(t));
    }

    fn copy(&mut self, s: ServiceId, node: NodeId, layer: LayerId) {
        let size = self.world.registry.layer_size[layer.0 as usize];
        let state = &self.services[s.index()].state;
        if state.nodes[node.index()].disk_state(layer) != Residency::Absent {
            return;
        }
        if size > state.nodes[node.index()].disk_free && !self.make_room(s, node, 0.0, size) {
            return;
        }
        let service = &mut self.services[s.index()];
        let head_disk = self.world.settings[s.index()].head_disk;
        let head_host = self.world.settings[s.index()].head_host;
        let n = &mut service.state.nodes[node.index()];
        n.disk_free -= size;
        let (host, disk) = (n.host, n.disk_id);
        let slot = n.layer_mut(layer, &mut service.state.next_created);
        slot.disk = Residency::InTransit;
        service.state.refresh_images(&self.world.registry, node, layer);
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
        let t = self.transfer(Transfer::Copy {
            service: s,
            node,
            layer,
        });
        self.world.start_tracked(activity, Tag::Transfer(t));
    }

    /// A transfer ended: tell its service.
    pub(crate) fn transfer_done(&mut self, t: TransferId) {
        let Some(transfer) = self.transfers.get_mut(t.index()).and_then(Option::take) else {
            return;
        };
        self.free_transfers.push(t);
        match transfer {
            Transfer::Download { service, layer } => self.deliver(service, Message::DownloadDone(layer)),
            Transfer::Copy { service, node, layer } => {
                self.deliver(service, Message::CopyDone { node, layer, ok: true })
            }
            Transfer::Load { service, node, layer } => {
                self.deliver(service, Message::LoadDone { node, layer, ok: true })
            }
        }
    }

    /// An invocation's body is over (in success or failure): its container
    /// goes idle, its slot is freed, its record written.
    fn invocation_done(&mut self, s: ServiceId, handle: InvocationHandle) {
        let now = self.world.now();
        let Some(invocation) = self.world.invocations.get(handle) else {
            return;
        };
        let (node, container) = (invocation.node, invocation.container);
        let service = &mut self.services[s.index()];
        let node_alive = node.is_none_or(|n| !self.world.tracker.host_down(service.state.nodes[n.index()].host));
        if let (Some(node), Some(c), true) = (node, container, node_alive) {
            service.state.give_slot(node);
            let settings = &self.world.settings[s.index()];
            let timeout = settings.idle_timeout;
            if service.state.containers[c.index()].shared {
                // An instance of a sandbox ends; the sandbox idles once empty.
                let instance_memory = settings.sandbox.instance_memory;
                service.state.nodes[node.index()].ram_free += instance_memory;
                let x = &mut service.state.containers[c.index()];
                x.instances -= 1;
                if x.instances == 0 {
                    x.idle_since = now;
                    if timeout <= 0.0 {
                        let timer = service.state.shut_down(&self.world.registry, c);
                        self.world.cancel_timer(timer);
                    } else {
                        self.arm_idle_timer(s, c);
                    }
                }
            } else {
                service.state.make_idle(c, now);
                if timeout <= 0.0 || settings.granularity == Granularity::PerInvocation {
                    let timer = service.state.shut_down(&self.world.registry, c);
                    self.world.cancel_timer(timer);
                } else {
                    self.arm_idle_timer(s, c);
                }
            }
        }
        self.finished(handle);
    }

    /// The idle timer of a container fired.
    pub(crate) fn idle_timer_fired(&mut self, s: ServiceId, c: ContainerId) {
        let now = self.world.now();
        let timeout = self.world.settings[s.index()].idle_timeout;
        let state = &mut self.services[s.index()].state;
        let Some(container) = state.containers.get_mut(c.index()) else {
            return;
        };
        container.idle_timer = None;
        if !container.evictable() {
            return;
        }
        let due = container.idle_since + timeout;
        // Reused since the timer was set, and idle again: wait for the rest
        // of its new idle period (with a margin for float rounding).
        if due > now + 1e-9 * now.max(1.0) {
            let timer = self.world.timer(due - now, Tag::IdleTimeout(s, c));
            self.services[s.index()].state.containers[c.index()].idle_timer = timer;
            return;
        }
        let (created, idle_since) = (container.created, container.idle_since);
        self.deliver(
            s,
            Message::IdleTimeout {
                container: c,
                created,
                idle_since,
            },
        );
    }

    /// Makes sure an idle container's timeout will be checked: a timer is
    /// set unless one is pending already (it then re-arms itself on firing).
    fn arm_idle_timer(&mut self, s: ServiceId, c: ContainerId) {
        if self.services[s.index()].state.containers[c.index()]
            .idle_timer
            .is_none()
        {
            let timeout = self.world.settings[s.index()].idle_timeout;
            let timer = self.world.timer(timeout, Tag::IdleTimeout(s, c));
            self.services[s.index()].state.containers[c.index()].idle_timer = timer;
        }
    }

    fn dispatch_prewarm(&mut self, s: ServiceId, prewarm: PrewarmId, node: NodeId) -> bool {
        let now = self.world.now();
        let Some(&(reg, _)) = self.prewarms.get(prewarm.index()) else {
            return false;
        };
        let r = self.world.registry.get(reg);
        let (image, ram, disk) = (r.image, r.ram, r.disk);
        let service = &self.services[s.index()];
        let n = &service.state.nodes[node.index()];
        if self.world.settings[s.index()].idle_timeout <= 0.0
            || n.free_slots == 0
            || !service.state.images[image.0 as usize].in_ram.contains(node)
            || n.ram_free < ram
            || n.disk_free < disk
        {
            return false;
        }
        let key = service.keys[reg.index()];
        let c =
            self.services[s.index()]
                .state
                .spawn(&self.world.registry, reg, key, node, ContainerState::Prewarming, now);
        self.services[s.index()].state.take_slot(node);
        let startup = self.world.settings[s.index()].container_startup;
        self.world.timer(startup, Tag::PrewarmDone(s, c));
        true
    }

    /// A prewarmed container is ready: an invocation waiting for it starts,
    /// otherwise it becomes idle.
    fn prewarm_done(&mut self, s: ServiceId, c: ContainerId) {
        let now = self.world.now();
        let node = self.services[s.index()].state.containers[c.index()].node;
        if let Some(i) = self.prewarm_waiters.iter().position(|(ws, wc, _)| *ws == s && *wc == c) {
            let (_, _, handle) = self.prewarm_waiters.remove(i);
            self.services[s.index()].state.make_busy(&self.world.registry, c, now);
            let mark = self.out.mark();
            self.bodies().start(handle);
            self.process(mark);
            return;
        }
        let service = &mut self.services[s.index()];
        service.state.give_slot(node);
        service.state.make_idle(c, now);
        self.arm_idle_timer(s, c);
    }
}

//! Requests into invocations, and invocations into the scheduler's list:
//! a request accepted becomes an invocation; it waits for its image's
//! layers to be on the head (downloading the missing ones) before the
//! scheduler sees it. Prewarm requests wait the same way.

use crate::engine::Activity;
use crate::ir::function::{ImageId, LayerId};
use crate::report::Cause;
use crate::workload::StreamRng;

use super::super::RunError;
use super::super::cx::Cx;
use super::super::ids::{NodeId, PrewarmId, RegId, TransferId};
use super::super::invocation::{Body, Invocation, InvocationHandle, Moment, Origin};
use super::super::message::{Message, Request};
use super::super::outbox::Effect;
use super::super::policy::placement::{Pending, Waiting};
use super::super::series::{Pull, PullKind};
use super::super::state::HeadLayer;
use super::super::tag::Tag;
use super::super::world::World;
use super::transfers::Transfer;
use super::{Next, Service};

impl Service {
    /// A request passed the overhead: the invocation exists from now.
    pub(super) fn accept(&mut self, cx: &mut Cx, request: &Request) -> Next {
        // What the run routes before the scheduler sees a new invocation.
        let mark = cx.out.mark();
        self.arrived(cx, request.reg);
        let (inv, pending) = self.create_invocation(cx, request);
        if let Some(node) = request.local
            && self.dispatch_to_sandbox(cx, &pending, node, None)
        {
            self.queues.forget_walk();
            accepted(cx, request.origin);
            return Next::After(true);
        }
        let image = pending.image;
        match self.state.head_images[image.0 as usize] {
            HeadLayer::Present => {
                accepted(cx, request.origin);
                if cx.out.mark() == mark {
                    // Nothing to route first (no client waits for the
                    // acceptance): the scheduler sees it now, as next.
                    return Next::After(self.offer(cx, &pending));
                }
                self.fresh = Some(pending);
                return Next::Schedule;
            }
            HeadLayer::Downloading => {
                self.queues
                    .admitted
                    .entry(image)
                    .or_default()
                    .push_back(Waiting::Invocation(inv));
            }
            HeadLayer::Absent => self.queues.new.push_back(inv),
        }
        accepted(cx, request.origin);
        Next::After(true)
    }

    /// The invocation table entry for an accepted request: its handle, and
    /// how schedulers see it.
    fn create_invocation(&mut self, cx: &mut Cx, request: &Request) -> (InvocationHandle, Pending) {
        let world = &mut *cx.world;
        let now = world.now();
        let id = world.next_id;
        world.next_id += 1;
        let rng = world
            .registry
            .get(request.reg)
            .random_body
            .then(|| Box::new(StreamRng::new(request.seed, "body")));
        let handle = world.invocations.insert_with(|| Invocation {
            id,
            reg: request.reg,
            service: self.id,
            origin: request.origin,
            submit: now,
            dispatch: Moment::UNSET,
            start: Moment::UNSET,
            end: Moment::UNSET,
            finish: now,
            node: None,
            container: None,
            start_kind: None,
            startup: None,
            cause: None,
            body: Body::new(request.trace_duration, request.trace_memory, request.payloads, rng),
        });
        if world.invocations.past_bound(handle) {
            too_many_in_flight(world);
        }
        let pending = self.pending_for(cx, Waiting::Invocation(handle), id, now, request.reg);
        (handle, pending)
    }

    /// How the scheduler sees a waiting invocation or prewarm request.
    fn pending(&self, cx: &Cx, waiting: Waiting) -> Option<Pending> {
        let (id, submit, reg) = match waiting {
            Waiting::Prewarm(p) => (0, 0.0, self.prewarms[p.index()]),
            Waiting::Invocation(handle) => {
                let inv = cx.world.invocations.get(handle)?;
                (inv.id, inv.submit, inv.reg)
            }
        };
        Some(self.pending_for(cx, waiting, id, submit, reg))
    }

    pub(super) fn pending_for(&self, cx: &Cx, waiting: Waiting, id: u64, submit: f64, reg: RegId) -> Pending {
        let r = cx.world.registry.get(reg);
        Pending {
            waiting,
            id,
            submit,
            reg,
            key: self.keys[reg.index()],
            image: r.image,
            ram: r.ram,
            disk: r.disk,
            time_limit: r.time_limit,
        }
    }

    /// Offers the invocation just accepted to the scheduler. When nobody
    /// waits ahead of it and the scheduler places it at once, it is
    /// dispatched here, which is what a round over it alone would do;
    /// returns whether a round is still needed.
    pub fn schedule_new(&mut self, cx: &mut Cx) -> bool {
        match self.fresh.take() {
            Some(pending) => self.offer(cx, &pending),
            None => true,
        }
    }

    /// [`Service::schedule_new`] for `pending`.
    // Always inlined (into `accept`, where nearly every request comes):
    // a call's prologue and epilogue saving six registers cost more than
    // most of its steps.
    #[inline(always)]
    fn offer(&mut self, cx: &mut Cx, pending: &Pending) -> bool {
        if let Waiting::Invocation(handle) = pending.waiting
            && self.join_if_room(cx, handle, pending.key)
        {
            self.queues.forget_walk();
            return false;
        }
        if !self.shortcuts() || self.queues.has_schedulable() || self.queues.quiet() {
            self.queues.push(*pending);
            return true;
        }
        // Nothing waits: no round to go on from, whatever this does (and
        // the list is not quiet, tested above).
        self.queues.stir();
        match self.dispatch_alone(cx, pending, true) {
            None => {
                self.queues.push(*pending);
                return true;
            }
            Some(true) => {}
            Some(false) => {
                // As after a round whose only dispatch was not feasible:
                // the invocation waits for the next round.
                self.queues.push(*pending);
                self.queues.stir();
            }
        }
        false
    }

    /// Moves new invocations to the admitted queues, starting the downloads
    /// of layers neither on the head nor on their way.
    pub(super) fn admit(&mut self, cx: &mut Cx) {
        // Downloads to the head start: not only requests were appended.
        self.queues.forget_walk();
        while let Some(inv) = self.queues.new.pop_front() {
            let Some(invocation) = cx.world.invocations.get(inv) else {
                continue;
            };
            let image = cx.world.registry.get(invocation.reg).image;
            self.download_missing(cx, image);
            self.queues
                .admitted
                .entry(image)
                .or_default()
                .push_back(Waiting::Invocation(inv));
        }
    }

    /// Prewarm requests wait for their image and a node like invocations do.
    pub fn start_prewarms(&mut self, cx: &mut Cx) {
        for index in 0..self.prewarms.len() {
            self.queue_prewarm(cx, index, false);
        }
    }

    /// Prewarm request `index` (the autoscaler's if `autoscaled`) waits for
    /// its image, or for a node. One the service refuses whatever the nodes
    /// hold (not the autoscaler's, of a function whose keep-alive policy
    /// never keeps a container idle: `Service::dispatch_prewarm`) is not
    /// queued, and counted for the run's warnings: waiting, it would have
    /// rounds plan evictions and loads for it, and park it, for ever. The
    /// checker refuses such a `prewarm` under a built-in policy; written
    /// and registered ones decide here.
    pub(super) fn queue_prewarm(&mut self, cx: &mut Cx, index: usize, autoscaled: bool) {
        let prewarm = PrewarmId(index as u32);
        let reg = self.prewarms[index];
        let function = cx.world.registry.get(reg).function;
        if !autoscaled && !self.keep_alive.keeps(function, reg) {
            match self.prewarms_not_started.iter_mut().find(|(r, _)| *r == reg) {
                Some((_, count)) => *count += 1,
                None => self.prewarms_not_started.push((reg, 1)),
            }
            return;
        }
        let waiting = Waiting::Prewarm(prewarm);
        let image = cx.world.registry.get(reg).image;
        if self.state.image_on_head(image) {
            if let Some(pending) = self.pending(cx, waiting) {
                self.queues.push(pending);
            }
            return;
        }
        self.download_missing(cx, image);
        self.queues.admitted.entry(image).or_default().push_back(waiting);
    }

    /// Starts the downloads of the layers of `image` absent from the head.
    fn download_missing(&mut self, cx: &mut Cx, image: ImageId) {
        let layers = cx.world.registry.image_layers[image.0 as usize].clone();
        for layer in layers {
            if self.state.head_layer(layer) == HeadLayer::Absent {
                self.start_download(cx, layer, image);
            }
        }
    }

    fn start_download(&mut self, cx: &mut Cx, layer: LayerId, image: ImageId) {
        let world = &mut *cx.world;
        let size = world.registry.layer_size[layer.0 as usize];
        self.state.head_free -= size;
        if self.state.head_free < 0.0 {
            world.fail(super::super::RunError::HeadFull {
                service: world.model.services[self.id.index()].name.clone(),
                layer: world.model.layers[layer.0 as usize].name.clone(),
            });
        }
        let origin = world.model.images[image.0 as usize].origin;
        let settings = &world.settings[self.id.index()];
        let t = self.transfers.insert(Transfer::Download { layer }, world.now());
        match origin.filter(|_| settings.image_downloads && size > 0.0) {
            None => {
                // The file appears on the head at once; the invocations that
                // wait for it learn so when the completion message comes.
                self.state.set_head_layer(&world.registry, layer, HeadLayer::Present);
                world.timer(0.0, Tag::Transfer(self.id, t));
            }
            Some(storage) => {
                self.state
                    .set_head_layer(&world.registry, layer, HeadLayer::Downloading);
                let disk = world.model.storages[storage.0 as usize].disk;
                let src = world.lowered.disk(disk);
                let activity = if disk.host.0 == settings.head_host.0 {
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
                world.start_tracked(activity, Tag::Transfer(self.id, t));
            }
        }
    }

    pub(super) fn download_done(&mut self, cx: &mut Cx, layer: LayerId) {
        let registry = &cx.world.registry;
        self.state.set_head_layer(registry, layer, HeadLayer::Present);
        let ready: Vec<ImageId> = self
            .queues
            .admitted
            .keys()
            .copied()
            .filter(|image| {
                let layers = &registry.image_layers[image.0 as usize];
                layers.contains(&layer) && self.state.image_on_head(*image)
            })
            .collect();
        for image in ready {
            if let Some(queue) = self.queues.admitted.shift_remove(&image) {
                for waiting in queue {
                    if let Some(pending) = self.pending(cx, waiting) {
                        self.queues.push(pending);
                    }
                }
            }
        }
    }

    /// A layer's download failed: every invocation waiting for an image
    /// with that layer fails, and the head's space is given back.
    fn download_failed(&mut self, cx: &mut Cx, layer: LayerId) {
        let now = cx.world.now();
        let registry = &cx.world.registry;
        self.state.set_head_layer(registry, layer, HeadLayer::Absent);
        self.state.head_free += registry.layer_size[layer.0 as usize];
        let images: Vec<ImageId> = self
            .queues
            .admitted
            .keys()
            .copied()
            .filter(|image| registry.image_layers[image.0 as usize].contains(&layer))
            .collect();
        for image in images {
            for waiting in self.queues.admitted.shift_remove(&image).unwrap_or_default() {
                // A prewarm request is dropped with its image's download.
                let Waiting::Invocation(handle) = waiting else { continue };
                if let Some(inv) = cx.world.invocations.get_mut(handle) {
                    inv.cause = Some(Cause::ImageDownloadFailure);
                    inv.finish = now;
                    cx.out.push(Effect::Deliver(self.id, Message::InvocationDone(handle)));
                }
            }
        }
    }

    /// The layer transfer `t`, if in flight.
    pub fn transfer(&self, t: TransferId) -> Option<Transfer> {
        self.transfers.get(t)
    }

    /// How many prewarm requests wait for a node.
    pub fn prewarm_requests_waiting(&self) -> usize {
        self.queues.queue().tally().prewarms()
    }

    /// How many layer transfers are in flight.
    pub fn transfers_in_flight(&self) -> usize {
        self.transfers.in_flight()
    }

    /// A transfer ended at `now`: the news for this service's mailbox.
    pub fn transfer_done(&mut self, t: TransferId, now: f64) -> Option<Message> {
        let (transfer, start) = self.transfers.take(t)?;
        self.log_pull(transfer, start, now, true);
        Some(match transfer {
            Transfer::Download { layer } => Message::DownloadDone(layer),
            Transfer::Copy { node, layer } => Message::CopyDone { node, layer, ok: true },
            Transfer::Load { node, layer } => Message::LoadDone { node, layer, ok: true },
        })
    }

    /// A download, copy or load did not complete.
    pub fn transfer_failed(&mut self, cx: &mut Cx, t: TransferId) {
        let taken = self.transfers.take(t);
        if let Some((transfer, start)) = taken {
            self.log_pull(transfer, start, cx.world.now(), false);
        }
        match taken.map(|(transfer, _)| transfer) {
            None => {}
            Some(Transfer::Download { layer }) => self.download_failed(cx, layer),
            Some(Transfer::Copy { node, layer }) => {
                cx.out
                    .push(Effect::Deliver(self.id, Message::CopyDone { node, layer, ok: false }));
                let head = cx.world.settings[self.id.index()].head_host;
                self.retry_if_up(cx, node, Some(head));
            }
            Some(Transfer::Load { node, layer }) => {
                cx.out
                    .push(Effect::Deliver(self.id, Message::LoadDone { node, layer, ok: false }));
                self.retry_if_up(cx, node, None);
            }
        }
    }

    /// Notes a transfer in the series, if the run keeps one.
    fn log_pull(&mut self, transfer: Transfer, start: f64, end: f64, done: bool) {
        let Some(series) = &mut self.state.series else {
            return;
        };
        let (kind, layer, node) = match transfer {
            Transfer::Download { layer } => (PullKind::Download, layer, None),
            Transfer::Copy { node, layer } => (PullKind::Copy, layer, Some(node)),
            Transfer::Load { node, layer } => (PullKind::Load, layer, Some(node)),
        };
        series.pulls.push(Pull {
            kind,
            layer: layer.0,
            node,
            start,
            end,
            done,
        });
    }

    /// No round follows a failed copy or load while its cause is down (as
    /// in WRENCH: a retry would fail again at once). When what it needed
    /// is up again by now (it recovered at this same date), nothing else
    /// would wake the service: a round retries it. When its node is down,
    /// the node has left the service, so a round places what waited for
    /// the transfer elsewhere: without it, requests that waited for a copy
    /// to a node that failed for good waited for ever (`not_run`) where
    /// other nodes could take them.
    fn retry_if_up(&mut self, cx: &mut Cx, node: NodeId, from: Option<crate::engine::HostId>) {
        let host = self.state.nodes[node.index()].host;
        let tracker = &cx.world.tracker;
        let source_up = from.is_none_or(|src| !tracker.host_down(src) && !tracker.route_down(src, host));
        // Up again, or gone: either way a round decides anew.
        if source_up || self.is_down(node) {
            cx.out.push(Effect::Deliver(self.id, Message::Wake));
        }
    }
}

/// A request is accepted: only a scripted client waits for that, to go on
/// with its script.
fn accepted(cx: &mut Cx, origin: Origin) {
    if let Origin::Client(_) = origin {
        cx.out.push(Effect::Accepted(origin));
    }
}

/// Stops the run: more invocations are in flight than it may hold. Says
/// which service holds the most of them, counted once here.
#[cold]
#[inline(never)]
fn too_many_in_flight(world: &mut World<'_>) {
    // Invocations made later in the same event (a burst's) pass the bound
    // too: the first says it, once, and the run stops after the event.
    if world.error.is_some() {
        return;
    }
    let mut per_service = vec![0u64; world.model.services.len()];
    for (_, invocation) in world.invocations.live() {
        per_service[invocation.service.0 as usize] += 1;
    }
    let (service, here) = per_service
        .iter()
        .enumerate()
        .max_by_key(|&(s, count)| (*count, std::cmp::Reverse(s)))
        .map_or((0, 0), |(s, count)| (s, *count));
    let error = RunError::TooManyInFlight {
        bound: world.invocations.bound(),
        date: world.now(),
        service: world.model.services[service].name.clone(),
        here,
    };
    world.fail(error);
}

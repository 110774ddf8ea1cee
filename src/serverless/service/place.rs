//! Scheduling rounds and dispatches: the scheduler decides over what waits,
//! the service applies its decisions in a fixed order (terminations,
//! evictions, dispatches, loads, copies) and drops infeasible ones; a
//! dispatch puts an invocation in a warm, prewarming or new container (or a
//! SAND sandbox) and starts its body once the container is up.

use crate::report::{StartKind, Startup};

use super::super::body;
use super::super::cx::Cx;
use super::super::ids::{ContainerId, NodeId, PrewarmId, RegId};
use super::super::invocation::{Dispatch, InvocationHandle, Moment};
use super::super::policy::placement::{Decisions, Pending, View, Waiting};
use super::super::state::ContainerState;
use super::super::tag::Tag;
use super::Service;
use super::queue::LastRound;

impl Service {
    /// A scheduling round: ask the scheduler, apply its decisions.
    ///
    /// A prewarm request the service refuses (its node has no slot, RAM
    /// or disk free for it: a container started ahead of any invocation
    /// evicts nothing, as Kubernetes leaves a pod pending rather than
    /// evict its peers) may still have taken the round's only slot from
    /// invocations behind it in the list; left where it was, it would do
    /// so at every round, for ever when nothing frees the room (idle
    /// containers an autoscaler keeps). So it leaves the list and the
    /// round runs again without it; it goes back at the end of the list
    /// for later rounds. A container started ahead never keeps a waiting
    /// invocation from a slot, as Knative's activator hands a request to
    /// any ready pod while new pods wait to be scheduled.
    ///
    /// Most messages find nothing waiting and no busy container with room
    /// (every completion while the platform has free slots), and most
    /// requests of a saturated platform find the list quiet (see
    /// [`super::queue::LastRound::Quiet`]) with no busy container with room:
    /// such a round decides nothing, and is skipped without a call. Most
    /// rounds left are a saturated platform's, a completion's slot handed
    /// to the list's head ([`Service::hand_over`]): that is tried first,
    /// outside the full round's frame.
    // Always inlined into the run's loop: the test is all most messages pay.
    #[inline(always)]
    pub fn round(&mut self, cx: &mut Cx) {
        if !self.state.with_room.is_empty() {
            self.rounds(cx, true);
        } else if !self.nothing_to_decide() && !self.hand_over(cx) {
            // Nothing joins a busy container: the first round would try
            // the head again, which changed nothing when it declined.
            self.rounds(cx, false);
        }
    }

    /// Whether a round, once what fits in busy containers has joined them,
    /// has nothing to decide: nothing waits, or what waits is quiet (see
    /// [`super::queue::LastRound::Quiet`]) and only requests were appended.
    /// Skipping quiet rounds is a shortcut: full rounds
    /// (`RunOptions::rounds_only`) run them, so the rounds-vs-shortcut
    /// tests check that they decide nothing.
    #[inline(always)]
    fn nothing_to_decide(&self) -> bool {
        !self.queues.has_schedulable()
            || (self.shortcuts() && self.queues.quiet() && self.placement.appends_are_inert())
    }

    /// Whether the rounds' shortcuts may be taken now. They judge a
    /// registration by one of its entries and reason from the slots that
    /// are free; prewarms break both: a prewarm request is placed
    /// otherwise than the invocations of its registration (it takes no
    /// container that is there), and a prewarming container is taken
    /// without a slot. So while a prewarm request waits, or a prewarming
    /// container is unclaimed under a placement that may claim it, full
    /// rounds decide (as under `RunOptions::rounds_only`).
    #[inline(always)]
    pub(super) fn shortcuts(&self) -> bool {
        self.shortcut && !self.prewarming_seen() && self.queues.queue().tally().prewarms() == 0
    }

    /// Whether an unclaimed prewarming container is there for the
    /// placement to claim (`Placement::claims_prewarming`).
    #[inline(always)]
    fn prewarming_seen(&self) -> bool {
        self.state.unclaimed_prewarms > 0 && self.claims_prewarming
    }

    /// Rounds until one parks or drops no prewarm request; the first tries
    /// the head's hand-over if `head`.
    fn rounds(&mut self, cx: &mut Cx, mut head: bool) {
        // Each pass that refuses a prewarm parks it, and one cancelled
        // leaves: the list shrinks.
        while self.round_once(cx, head) {
            head = true;
        }
        self.queues.unpark();
    }

    /// One round, which tries the head's hand-over first if `head`;
    /// returns whether it must run again ([`Service::apply`]).
    fn round_once(&mut self, cx: &mut Cx, head: bool) -> bool {
        // Invocations that fit in busy containers need no decision.
        self.join_waiting(cx);
        if self.nothing_to_decide() {
            return false;
        }
        if head && self.hand_over(cx) {
            return false;
        }
        let mut decisions = self.decisions.take().unwrap_or_default();
        decisions.clear();
        // SAND's sandboxes take forks after start-up, which the doomed
        // tail's reasoning (new containers on full nodes) does not cover;
        // nor a prewarming container, taken without a slot. Prewarm
        // requests waiting it covers (a refused one leaves the list).
        let sandboxes = self.sandboxes();
        let shortcut = self.shortcuts();
        let view = View {
            state: &self.state,
            registry: &cx.world.registry,
            now: cx.world.now(),
            skip_doomed: self.shortcut && !sandboxes && !self.prewarming_seen(),
            shortcuts: shortcut,
            step_over: self.shortcut,
        };
        // A crowd waiting for its images, each arrival a round: the walk
        // goes on over what was appended (see `LastRound::Resumable`).
        if shortcut && self.queues.last_round == LastRound::Resumable {
            self.placement.resume(&view, self.queues.queue(), &mut decisions);
        } else {
            self.placement.schedule(&view, self.queues.queue(), &mut decisions);
        }
        if let Some(given) = &mut self.state.slots_given {
            given.clear();
        }
        if let Some(left) = &mut self.state.left_empty {
            left.clear();
        }
        if let Some(fault) = self.placement.fault() {
            self.policy_fault(cx, fault);
        }
        self.queues.last_round = if !decisions.is_empty() {
            LastRound::Stirred
        } else if decisions.exhausted {
            LastRound::Quiet
        } else if shortcut && decisions.wake_at.is_none() {
            LastRound::Resumable
        } else {
            LastRound::Stirred
        };
        let mut again = false;
        if !decisions.is_empty() || decisions.wake_at.is_some() {
            again = self.apply(cx, &decisions);
            // What the round left waiting may fit in the containers it started.
            self.join_waiting(cx);
        }
        self.decisions = Some(decisions);
        again
    }

    /// [`Service::place_head`] if its conditions hold (one slot free, the
    /// shortcuts on, hence no prewarming container unclaimed, appends
    /// inert), tested here: most rounds of a platform with slots to spare
    /// fail them, and pay no call.
    #[inline(always)]
    fn hand_over(&mut self, cx: &mut Cx) -> bool {
        self.state.total_free_slots == 1
            && self.shortcuts()
            && self.placement.appends_are_inert()
            && self.place_head(cx)
    }

    /// The round of a saturated platform, without asking for it: one slot
    /// is free (a completion freed it) and no prewarming container is
    /// unclaimed (see [`Service::hand_over`]). If the scheduler places the list's first entry alone at
    /// once (`place_alone`) and that takes the slot, a round over the list
    /// decides the same: over that entry alone it would (the answer's
    /// contract), and the entries after it come once no slot is left, so
    /// they change nothing where appends are inert. The entry is
    /// dispatched as the round's only decision would be; returns whether
    /// the round was done so (false, before any change: a full round
    /// must decide).
    // Never inlined: its own frame is lighter than the full round's, and
    // the run's loop, where `round` is inlined, does not carry it.
    #[inline(never)]
    fn place_head(&mut self, cx: &mut Cx) -> bool {
        let Some(&head) = self.queues.head() else {
            return false;
        };
        if !matches!(head.waiting, Waiting::Invocation(_)) {
            return false;
        }
        // A prewarming container brings its own slot: the round would go on.
        let Some(dispatched) = self.dispatch_alone(cx, &head, false) else {
            return false;
        };
        if dispatched {
            self.queues.dispatched_head();
        }
        self.join_waiting(cx);
        // Once the dispatch took the only free slot (no prewarming container
        // is unclaimed either), the round after it would stop at the list's
        // first entry, deciding nothing for lack of slots
        // (`Decisions::exhausted`): what waits is quiet at once, and the
        // requests until the next completion skip that round. A dispatch
        // that failed left the slot free: the next round decides, as after
        // a full one.
        self.queues.last_round = if self.state.total_free_slots == 0 && self.queues.has_schedulable() {
            LastRound::Quiet
        } else {
            LastRound::Stirred
        };
        true
    }

    /// Applies a round's decisions; returns whether the round must run
    /// again: a prewarm request it dispatched was refused (and parked, see
    /// [`Service::round`]) or dropped, cancelled since it was asked for
    /// (the slot the round gave it is free for the others).
    fn apply(&mut self, cx: &mut Cx, d: &Decisions) -> bool {
        let now = cx.world.now();
        for &c in &d.terminate {
            self.terminate(cx, c);
        }
        for &(node, layer) in &d.evict_ram {
            self.evict_ram(cx, node, layer);
        }
        for &(node, layer) in &d.evict_disk {
            self.evict_disk(cx, node, layer);
        }
        let (mut dispatched, mut again) = (0, false);
        // Stretches the round passed, refused in list order with the
        // dispatches, as a full round would have decided them.
        let mut passed = d.refuse_prewarms.iter().peekable();
        for dispatch in &d.dispatch {
            while let Some(&(from, to)) = passed.next_if(|(from, _)| *from < dispatch.index) {
                again |= self.refuse_prewarms(from, to, &mut dispatched);
            }
            let done = match dispatch.waiting {
                Waiting::Prewarm(prewarm) => match self.dispatch_prewarm(cx, prewarm, dispatch.node) {
                    Prewarmed::Started => true,
                    Prewarmed::Dropped => {
                        again = true;
                        true
                    }
                    Prewarmed::Refused => {
                        self.queues.park(dispatch.index);
                        (dispatched, again) = (dispatched + 1, true);
                        continue;
                    }
                },
                Waiting::Invocation(handle) => self.dispatch(cx, handle, dispatch.node, dispatch.container),
            };
            if done {
                self.queues.dispatched(dispatch.index);
                dispatched += 1;
            }
        }
        for &(from, to) in passed {
            again |= self.refuse_prewarms(from, to, &mut dispatched);
        }
        if dispatched > 0 {
            self.queues.forget_dispatched(dispatched);
        }
        for &(node, layer) in &d.load {
            self.load(cx, node, layer);
        }
        for &(node, layer) in &d.copy {
            self.copy(cx, node, layer);
        }
        if let Some(at) = d.wake_at.filter(|t| *t > now) {
            let pending = self.wake_timer;
            if pending.is_none_or(|(t, _)| at < t) {
                if let Some((_, timer)) = pending {
                    cx.world.engine.cancel_timer(timer);
                }
                self.wake_timer = cx
                    .world
                    .timer(at - now, Tag::SchedulerWake(self.id))
                    .map(|timer| (at, timer));
            }
        }
        again
    }

    /// Dispatches `p` where the scheduler places it alone, if it does
    /// ([`super::super::policy::placement::Placement::place_alone`]): None
    /// when a round must decide (no answer, or a prewarming container unless
    /// `fresh`), else whether the dispatch was feasible. An idle sandbox is
    /// forked into as the answer gives it: what the answer guarantees (a
    /// free slot, a container of `p`'s key on the node) is not checked
    /// again. `fresh`: `p` is the request just accepted (its invocation
    /// exists, and is not checked for), not the list's head.
    // Always inlined, as the fork and its end are: most requests take this
    // path, and each call's prologue, epilogue and arguments cost more than
    // most of its steps.
    #[inline(always)]
    pub(super) fn dispatch_alone(&mut self, cx: &mut Cx, p: &Pending, fresh: bool) -> Option<bool> {
        let view = View {
            state: &self.state,
            registry: &cx.world.registry,
            now: cx.world.now(),
            skip_doomed: true,
            shortcuts: true,
            step_over: true,
        };
        let site = self.placement.place_alone(&view, p)?;
        if let Some(c) = site.container {
            match self.state.containers[c.index()].state {
                ContainerState::Idle if self.sandboxes() => {
                    if let Waiting::Invocation(handle) = p.waiting {
                        let node = site.node;
                        return Some(
                            (fresh || cx.world.invocations.get(handle).is_some())
                                && self.holds_image(p, node)
                                && self.fork_in_sandbox(cx, handle, p, node, c),
                        );
                    }
                }
                ContainerState::Prewarming if !fresh => return None,
                _ => {}
            }
        }
        Some(self.dispatch_listed(cx, p, site.node, site.container))
    }

    /// Dispatches `p`, listed as the scheduler saw it; false when it is
    /// not feasible any more. A sandbox's dispatch takes what it needs of
    /// the registration from `p` (read when it was listed) rather than
    /// looking it up again. A prewarm request refused stays where it is
    /// (a round decides it).
    pub(super) fn dispatch_listed(
        &mut self,
        cx: &mut Cx,
        p: &Pending,
        node: NodeId,
        container: Option<ContainerId>,
    ) -> bool {
        match p.waiting {
            Waiting::Prewarm(prewarm) => self.dispatch_prewarm(cx, prewarm, node) != Prewarmed::Refused,
            Waiting::Invocation(handle) if self.sandboxes() => {
                cx.world.invocations.get(handle).is_some() && self.dispatch_to_sandbox(cx, p, node, container)
            }
            Waiting::Invocation(handle) => self.dispatch(cx, handle, node, container),
        }
    }

    /// Applies an invocation's dispatch; false when it is not feasible
    /// any more (gone, or the node or container no longer takes it).
    pub(super) fn dispatch(
        &mut self,
        cx: &mut Cx,
        handle: InvocationHandle,
        node: NodeId,
        container: Option<ContainerId>,
    ) -> bool {
        let now = cx.world.now();
        let Some(invocation) = cx.world.invocations.get(handle) else {
            return false;
        };
        let reg = invocation.reg;
        if self.sandboxes() {
            let pending = self.pending_for(cx, Waiting::Invocation(handle), invocation.id, invocation.submit, reg);
            return self.dispatch_to_sandbox(cx, &pending, node, container);
        }
        let key = self.keys[reg.index()];
        // Decided before this round's containers started, maybe.
        if self.join_if_room(cx, handle, key) {
            return true;
        }
        let r = cx.world.registry.get(reg);
        let (image, ram, disk) = (r.image, r.ram, r.disk);
        // A prewarming container brings its own slot.
        let onto_prewarming =
            container.is_some_and(|c| self.state.containers[c.index()].state == ContainerState::Prewarming);
        if !onto_prewarming && self.state.nodes[node.index()].free_slots == 0 {
            return false;
        }
        if !self.state.images[image.0 as usize].in_ram.contains(node) {
            return false;
        }
        let (container, kind) = match container {
            Some(c) => {
                let x = &self.state.containers[c.index()];
                if x.node != node || x.key != key {
                    return false;
                }
                match x.state {
                    ContainerState::Idle => {
                        // Its idle timer, if pending, is left to fire and find
                        // the container busy (cheaper than cancelling it).
                        self.state.make_busy(&cx.world.registry, c, now);
                        (c, StartKind::Warm)
                    }
                    ContainerState::Prewarming if !x.claimed => {
                        self.state.claim_prewarming(c);
                        self.prewarm_waiters.insert(c, handle);
                        (c, StartKind::Prewarmed)
                    }
                    _ => return false,
                }
            }
            None => {
                if !self.ensure_room_for(cx, node, image, ram, disk) {
                    return false;
                }
                let c = self
                    .state
                    .spawn(&cx.world.registry, reg, key, node, ContainerState::Busy, now);
                (c, StartKind::Cold)
            }
        };
        if kind != StartKind::Prewarmed {
            self.state.take_slot(node);
        }
        if let Some(inv) = cx.world.invocations.get_mut(handle) {
            inv.dispatch = Moment::at(now);
            inv.node = Some(node);
            inv.container = Some(container);
            inv.start_kind = Some(kind);
            inv.startup = Some(match kind {
                StartKind::Warm => Startup::None,
                _ => Startup::Container,
            });
        }
        match kind {
            StartKind::Cold => {
                let startup = self.container_startup;
                // Invocations joining it meanwhile wait as long.
                self.state.containers[container.index()].ready_at = now + startup;
                body::start_after(cx, handle, startup);
            }
            StartKind::Warm => body::start(cx, handle),
            // The body starts when the prewarm ends.
            StartKind::Prewarmed => {}
        }
        true
    }

    /// SAND's dispatch: into the application's sandbox on the node (made
    /// first if there is none), through its grain worker for the function
    /// (started and its libraries loaded on first use), as a forked
    /// instance. Costs: container start-up for a new sandbox, worker start
    /// and library load for a new worker, a fork always; memory: the
    /// sandbox's limit once, a worker's base memory, an instance's memory.
    /// The caller has checked that invocation `p` exists; `p` says what its
    /// registration needs (read once, when it was accepted or listed).
    pub(super) fn dispatch_to_sandbox(
        &mut self,
        cx: &mut Cx,
        p: &Pending,
        node: NodeId,
        container: Option<ContainerId>,
    ) -> bool {
        let Waiting::Invocation(handle) = p.waiting else {
            return false;
        };
        if !self.sandbox_node_takes(p, node) {
            return false;
        }
        let existing = container
            .filter(|c| {
                let x = &self.state.containers[c.index()];
                x.shared && x.node == node && x.key == p.key && x.state == ContainerState::Idle
            })
            .or_else(|| self.state.idle_container(node, p.key));
        match existing {
            Some(c) => self.fork_in_sandbox(cx, handle, p, node, c),
            None => self.new_sandbox(cx, handle, p, node),
        }
    }

    /// Whether `node` may take an instance of `p` in a sandbox: a free slot
    /// and `p`'s image in RAM.
    #[inline]
    fn sandbox_node_takes(&self, p: &Pending, node: NodeId) -> bool {
        self.state.nodes[node.index()].free_slots > 0 && self.holds_image(p, node)
    }

    /// Whether `p`'s image is in `node`'s RAM.
    #[inline(always)]
    fn holds_image(&self, p: &Pending, node: NodeId) -> bool {
        self.state.images[p.image.0 as usize].in_ram.contains(node)
    }

    /// [`Service::dispatch_to_sandbox`] into sandbox `c` on `node`, live
    /// and idle (in the reuse index): a fork, after the worker's start if
    /// the function has none there yet; false when the node's RAM cannot
    /// take it.
    #[inline(always)]
    fn fork_in_sandbox(
        &mut self,
        cx: &mut Cx,
        handle: InvocationHandle,
        p: &Pending,
        node: NodeId,
        c: ContainerId,
    ) -> bool {
        let now = cx.world.now();
        let costs = &self.sandbox;
        let worker_up = self.state.worker_up(c, p.reg);
        let need = costs.instance_memory + if worker_up.is_none() { costs.base_memory } else { 0.0 };
        if self.state.nodes[node.index()].ram_free < need && !self.make_room(cx, node, need, 0.0) {
            return false;
        }
        let costs = &self.sandbox;
        let state = &mut self.state;
        let x = &mut state.containers[c.index()];
        // A container started as a plain one (a prewarm, or the container
        // an invocation waiting for it ran in) becomes a sandbox at its
        // first fork, with no worker yet (the fork starts one). Left plain,
        // its instances' ends made it idle again while it was idle, listing
        // it twice among the idle: a stale entry outlived it.
        x.shared = true;
        x.instances += 1;
        x.uses += 1;
        x.used_at = now;
        // A sandbox or worker still starting is waited for: the
        // instance pays what is left of its start-up, then the fork.
        let sandbox_wait = (x.ready_at - now).max(0.0);
        let starting = if sandbox_wait > 0.0 {
            Startup::Container
        } else {
            Startup::Worker
        };
        let (startup, delay, new_worker) = match worker_up {
            Some(up) if up <= now => (Startup::Fork, costs.fork, None),
            Some(up) => (starting, (up - now) + costs.fork, None),
            None => {
                let wait = sandbox_wait + (costs.worker_start + costs.library_load);
                x.extra_ram += costs.base_memory;
                (starting, costs.fork + wait, Some(now + wait))
            }
        };
        if let Some(up) = new_worker {
            state.add_worker(c, p.reg, up);
        }
        let kind = if sandbox_wait > 0.0 {
            StartKind::Cold
        } else {
            StartKind::Warm
        };
        state.nodes[node.index()].take_ram(need);
        state.touch(&cx.world.registry, node, p.image, now);
        self.forked(cx, handle, node, c, (kind, startup), delay);
        true
    }

    /// [`Service::dispatch_to_sandbox`] on a node with no sandbox of `p`'s
    /// application: one is made, with the function's worker.
    fn new_sandbox(&mut self, cx: &mut Cx, handle: InvocationHandle, p: &Pending, node: NodeId) -> bool {
        let now = cx.world.now();
        let (costs, container_startup) = (self.sandbox.clone(), self.container_startup);
        let need_ram = p.ram + costs.base_memory + costs.instance_memory;
        if !self.ensure_room_for(cx, node, p.image, need_ram, p.disk) {
            return false;
        }
        let state = &mut self.state;
        let c = state.spawn(&cx.world.registry, p.reg, p.key, node, ContainerState::Busy, now);
        // A sandbox stays in the reuse index while it lives.
        state.make_idle(c, now);
        let x = &mut state.containers[c.index()];
        x.shared = true;
        x.instances = 1;
        x.ready_at = now + container_startup;
        x.extra_ram = costs.base_memory;
        let up = x.ready_at + (costs.worker_start + costs.library_load);
        state.add_worker(c, p.reg, up);
        state.nodes[node.index()].take_ram(costs.base_memory + costs.instance_memory);
        let delay = container_startup + costs.worker_start + costs.library_load + costs.fork;
        self.forked(cx, handle, node, c, (StartKind::Cold, Startup::Container), delay);
        true
    }

    /// An instance of invocation `handle` is forked in sandbox `c`: it takes
    /// a slot of `node`, and its body starts after `delay`.
    #[inline(always)]
    fn forked(
        &mut self,
        cx: &mut Cx,
        handle: InvocationHandle,
        node: NodeId,
        c: ContainerId,
        (kind, startup): (StartKind, Startup),
        delay: f64,
    ) {
        self.state.take_slot(node);
        let dispatch = Dispatch {
            node,
            container: c,
            kind,
            startup,
        };
        body::start_dispatched(cx, handle, dispatch, delay);
    }

    /// Starts a container ahead of any invocation: it takes a slot and its
    /// limits, and is ready after the start-up.
    fn dispatch_prewarm(&mut self, cx: &mut Cx, prewarm: PrewarmId, node: NodeId) -> Prewarmed {
        let now = cx.world.now();
        let (reg, autoscaled) = match self.prewarm_asked(prewarm) {
            Asked::Gone => return Prewarmed::Refused,
            Asked::Cancelled => return Prewarmed::Dropped,
            Asked::Live { reg, autoscaled } => (reg, autoscaled),
        };
        let r = cx.world.registry.get(reg);
        let (image, ram, disk) = (r.image, r.ram, r.disk);
        let n = &self.state.nodes[node.index()];
        // A prewarm its keep-alive policy would shut at once is never queued
        // (`Service::queue_prewarm`).
        if n.free_slots == 0
            || !self.state.images[image.0 as usize].in_ram.contains(node)
            || n.ram_free < ram
            || n.disk_free < disk
        {
            return Prewarmed::Refused;
        }
        let startup = self.container_startup;
        let key = self.keys[reg.index()];
        let c = self
            .state
            .spawn(&cx.world.registry, reg, key, node, ContainerState::Prewarming, now);
        self.state.take_slot(node);
        // Kept on the container: a node failure that takes it cancels it.
        let timer = cx.world.timer(startup, Tag::PrewarmDone(self.id, c));
        self.state.containers[c.index()].set_timer(timer);
        if autoscaled {
            self.autoscaled_start(reg);
        }
        Prewarmed::Started
    }

    /// What a dispatch of `prewarm` learns before it looks at the node
    /// (the autoscaler's cancellations are counted down here).
    fn prewarm_asked(&mut self, prewarm: PrewarmId) -> Asked {
        let Some(&reg) = self.prewarms.get(prewarm.index()) else {
            return Asked::Gone;
        };
        match self.autoscaled_prewarm(prewarm, reg) {
            (_, true) => Asked::Cancelled,
            (autoscaled, false) => Asked::Live { reg, autoscaled },
        }
    }

    /// The prewarm requests from index `from` to `to` (excluded) of the
    /// list, which the round passed as dispatches the service refuses
    /// (`Decisions::refuse_prewarms`): each is dropped if the autoscaler
    /// cancelled it since it was asked for, as [`Service::dispatch_prewarm`]
    /// does before it looks at the node, else refused and parked. Counts
    /// them in `dispatched`; returns whether the round must run again (one
    /// was, as after the dispatches a full round would have made).
    fn refuse_prewarms(&mut self, from: u32, to: u32, dispatched: &mut usize) -> bool {
        let prewarms = self.queues.prewarms_in(from, to);
        for &(index, prewarm) in &prewarms {
            if let Asked::Cancelled = self.prewarm_asked(prewarm) {
                self.queues.dispatched(index);
            } else {
                self.queues.park(index);
            }
        }
        *dispatched += prewarms.len();
        !prewarms.is_empty()
    }
}

/// What became of a dispatched prewarm request.
#[derive(PartialEq)]
enum Prewarmed {
    /// Its container starts.
    Started,
    /// The autoscaler cancelled it since it was asked for: it leaves the
    /// list, done.
    Dropped,
    /// The node has no room for it (or its registration is gone).
    Refused,
}

/// What a prewarm request is when a round dispatches it, before its node
/// is looked at.
enum Asked {
    /// Its registration is gone: the dispatch is refused.
    Gone,
    /// The autoscaler cancelled it since it was asked for: dropped, and
    /// done.
    Cancelled,
    /// To start, if its node has room; `autoscaled`: the autoscaler's.
    Live { reg: RegId, autoscaled: bool },
}

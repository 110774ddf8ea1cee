//! The engine: simulated clock, timers, activities and the pull loop that advances them.
//!
//! Activities progress lazily: each stores its remaining amount at its last
//! update and its current rate, and owns at most one live event (its latency
//! end or its completion). When the solver reports a rate change, only that
//! activity's progress is committed and its event moved. Timers and
//! stand-alone sleeps only wait, so they live in a lighter slab ([`Waits`]).

use super::activity::{Activity, Lowered, amount, flatten, lower};
use super::error::EngineError;
use super::event::{Event, EventKind};
use super::ids::{ActivityId, HostId, TimerId};
use super::meter::{Meter, Metered};
use super::network::Paths;
use super::platform::Platform;
use super::pools::{POOL_BIT, Pools};
use super::queue::{Entry, EventQueue};
use super::solver::{Share, Solver, Violation};
use super::tasks::{NO_VAR, Phase, Tasks};
use super::waits::Waits;

/// Queue targets and activity ids with this bit set refer to [`Waits`];
/// others to [`Pools`] (with [`POOL_BIT`]) or [`Tasks`].
const WAIT_BIT: u32 = 1 << 31;

/// Waits pending from which the slot of the next entry to pop is asked
/// for ahead ([`Engine::prefetch_upcoming`]): fewer (some 40 bytes each)
/// stay in a core's first-level cache, where the hint would only cost its
/// instructions.
const PREFETCH_FROM_WAITS: usize = 1024;

/// The discrete-event engine over one platform. See the module docs of
/// [`super`] for the pull-loop contract. `T` is the caller's tag: any small
/// `Copy` value saying what a timer or activity is for, given back in its
/// [`Event`].
#[derive(Debug)]
pub struct Engine<T: Copy = u64> {
    platform: Platform,
    paths: Paths,
    solver: Solver,
    queue: EventQueue,
    now: f64,
    tasks: Tasks<T>,
    pools: Pools,
    waits: Waits<T>,
    /// Stand-alone sleeps pending (they count as live activities).
    sleeping: usize,
    /// Scratch buffer for the capacity loads of the step being lowered.
    loads: Vec<(u32, f64)>,
    /// The load on every capacity over intervals, when asked for
    /// ([`Engine::meter`]); `None` costs one test per clock move.
    meter: Option<Box<LoadMeter>>,
}

/// Capacity loads metered as the clock moves.
#[derive(Debug)]
struct LoadMeter {
    meter: Meter,
    /// The loads as last read from the solver.
    loads: Vec<f64>,
    /// Shares changed since the loads were read.
    stale: bool,
}

#[inline]
fn entry_is_live<T: Copy>(tasks: &Tasks<T>, pools: &Pools, waits: &Waits<T>, entry: &Entry) -> bool {
    if entry.target & WAIT_BIT != 0 {
        waits.is_live(entry.target & !WAIT_BIT, entry.seq)
    } else if entry.target & POOL_BIT != 0 {
        pools.is_live(entry.target & !POOL_BIT, entry.seq)
    } else {
        tasks[entry.target].event_seq == entry.seq
    }
}

impl<T: Copy> Engine<T> {
    /// An engine at time 0 over `platform`.
    pub fn new(platform: Platform) -> Self {
        Engine {
            paths: Paths::new(&platform),
            solver: Solver::new(platform.capacities()),
            platform,
            queue: EventQueue::default(),
            now: 0.0,
            tasks: Tasks::default(),
            pools: Pools::default(),
            waits: Waits::default(),
            sleeping: 0,
            loads: Vec::new(),
            meter: None,
        }
    }

    /// From now on, meters the load on every capacity (in the platform's
    /// numbering: per host its CPU and loopback, per disk shared, read and
    /// write, per link one or two directions) over intervals of `interval`
    /// seconds: the exact mean of Σ load x rate of the activities using it.
    /// Reading the loads walks every running activity once per clock move
    /// after a change of shares, so it is only done when asked. At most
    /// `kept` intervals are kept ([`super::kept_intervals`]).
    pub fn meter(&mut self, interval: f64, kept: u64) {
        let capacities = self.platform.capacities().len();
        self.meter = Some(Box::new(LoadMeter {
            meter: Meter::new(interval, capacities).keeping(kept),
            loads: vec![0.0; capacities],
            stale: true,
        }));
    }

    /// The loads metered up to `end` (see [`Engine::meter`]), if metering.
    pub fn metered(&mut self, end: f64) -> Option<Metered> {
        self.move_clock(end.max(self.now));
        self.meter.take().map(|m| m.meter.finish(end))
    }

    /// Sets the clock to `to`, first metering the loads up to it.
    #[inline]
    fn move_clock(&mut self, to: f64) {
        if self.meter.is_some() {
            self.meter_to(to);
        }
        self.now = to;
    }

    /// Meters the loads from the current date to `to`.
    #[cold]
    #[inline(never)]
    fn meter_to(&mut self, to: f64) {
        if let Some(m) = &mut self.meter
            && to > self.now
        {
            // A removed activity leaves the solver dirty until the next solve.
            if m.stale || self.solver.is_dirty() {
                self.solver.loads(&mut m.loads);
                m.stale = false;
                for (i, load) in m.loads.iter().enumerate() {
                    m.meter.set(self.now, i, *load);
                }
            }
            m.meter.advance(to);
        }
    }

    /// The current simulated date in seconds.
    pub fn now(&self) -> f64 {
        self.now
    }

    /// The platform the engine simulates.
    pub fn platform(&self) -> &Platform {
        &self.platform
    }

    /// Tracks activities that share one bottleneck as one class once at
    /// least `activities` of them share it (2 at least; `usize::MAX`: never).
    /// Their rates are those of the general max-min solver to rounding, and
    /// a change costs O(log n) instead of O(n). The default (64) keeps
    /// smaller sharing on the general solver.
    pub fn set_class_threshold(&mut self, activities: usize) {
        self.solver.set_class_min(activities);
    }

    /// Whether data can go from `src` to `dst`.
    pub fn route_exists(&self, src: HostId, dst: HostId) -> bool {
        self.platform.route_exists(src, dst)
    }

    /// Activities started and not yet completed or cancelled.
    pub fn live_activities(&self) -> usize {
        self.tasks.live() + self.sleeping
    }

    /// Timers set and not yet fired or cancelled.
    pub fn pending_timers(&self) -> usize {
        self.waits.pending() - self.sleeping
    }

    /// Fires an [`EventKind::Timer`] event tagged `tag` after `delay` seconds.
    /// Inlined into its callers (a body's sleep sets one per invocation):
    /// the call's register saves and its result through memory cost as
    /// much as the work.
    #[inline(always)]
    pub fn timer(&mut self, delay: f64, tag: T) -> Result<TimerId, EngineError> {
        let delay = amount("delay", delay)?;
        let (index, generation) = self.wait(false, delay, tag);
        Ok(TimerId { index, generation })
    }

    /// Cancels a pending timer; false if it already fired or was cancelled.
    pub fn cancel_timer(&mut self, id: TimerId) -> bool {
        if self.waits.end(id.index, id.generation, false).is_none() {
            return false;
        }
        self.waits.remove(id.index);
        self.note_stale();
        true
    }

    /// Starts `activity` now; its completion is reported with `tag`.
    /// Every step is checked first, so a sequence never fails halfway.
    pub fn start(&mut self, activity: Activity, tag: T) -> Result<ActivityId, EngineError> {
        let (first, steps) = match activity {
            Activity::Sleep { seconds } => {
                let seconds = amount("seconds", seconds)?;
                self.sleeping += 1;
                let (index, generation) = self.wait(true, seconds, tag);
                return Ok(ActivityId {
                    index: index | WAIT_BIT,
                    generation,
                });
            }
            Activity::Sequence(steps) => {
                let mut leaves = if steps.iter().any(|s| matches!(s, Activity::Sequence(_))) {
                    let mut leaves = Vec::with_capacity(steps.len());
                    flatten(steps, &mut leaves);
                    leaves
                } else {
                    steps
                };
                for step in &leaves {
                    lower(step, &self.platform, &self.paths, &mut self.loads)?;
                }
                leaves.reverse();
                let first = leaves.pop().unwrap_or(Activity::Sleep { seconds: 0.0 });
                (first, leaves)
            }
            leaf => (leaf, Vec::new()),
        };
        let lowered = lower(&first, &self.platform, &self.paths, &mut self.loads)?;
        let index = self.tasks.alloc(tag, steps);
        self.begin(index, lowered);
        Ok(ActivityId {
            index,
            generation: self.tasks[index].generation,
        })
    }

    /// Stops an activity; returns what was left of its current step (bytes,
    /// flops or seconds), or `None` if the id is stale.
    pub fn cancel(&mut self, id: ActivityId) -> Option<f64> {
        let left = self.remaining(id)?;
        if id.index & WAIT_BIT != 0 {
            self.waits.remove(id.index & !WAIT_BIT);
            self.sleeping -= 1;
            self.note_stale();
            return Some(left);
        }
        let task = &mut self.tasks[id.index];
        if task.var != NO_VAR {
            self.pools.detach(task, id.index, self.now);
            self.solver.remove(task.var);
        }
        let had_event = task.event_seq != 0;
        self.tasks.free(id.index);
        if had_event {
            self.note_stale();
        }
        Some(left)
    }

    /// What is left of the activity's current step, or `None` if the id is stale.
    pub fn remaining(&self, id: ActivityId) -> Option<f64> {
        if id.index & WAIT_BIT != 0 {
            let end = self.waits.end(id.index & !WAIT_BIT, id.generation, true)?;
            return Some((end - self.now).max(0.0));
        }
        self.tasks
            .get(id.index, id.generation)
            .map(|t| self.pools.remaining(t, self.now))
    }

    /// The activity's current rate (units per second), after sharing any
    /// pending change; `None` if the id is stale.
    pub fn rate(&mut self, id: ActivityId) -> Option<f64> {
        self.remaining(id)?;
        if id.index & WAIT_BIT != 0 {
            return Some(1.0);
        }
        self.reshare();
        self.tasks.get(id.index, id.generation).map(|t| self.pools.rate(t))
    }

    /// Verifies the sharing invariants (no capacity or bound exceeded) after
    /// sharing any pending change. For tests and debugging.
    pub fn check(&mut self) -> Result<(), Violation> {
        self.reshare();
        self.solver.check()
    }

    /// The date of the next event, without advancing; `None` when nothing is pending.
    pub fn peek_time(&mut self) -> Option<f64> {
        self.reshare();
        let (tasks, pools, waits) = (&self.tasks, &self.pools, &self.waits);
        self.queue.peek_live(|e| entry_is_live(tasks, pools, waits, e))
    }

    /// Advances to the next timer or activity completion and returns it;
    /// `None` when nothing more can happen.
    pub fn next_event(&mut self) -> Option<Event<T>> {
        loop {
            // Changes made at the current date are shared once, just before
            // time moves on: events still due now do not depend on them.
            let entry = match self.pop_due_now() {
                Some(entry) => entry,
                None => {
                    self.reshare();
                    self.queue.pop()?
                }
            };
            self.prefetch_upcoming();
            if let Some(event) = self.handle(entry) {
                return Some(event);
            }
        }
    }

    /// An entry still due at the current date, taken without sharing the
    /// changes made at it (see [`Engine::next_event`]). Once the clock
    /// moved to a caller's arrival ([`Engine::next_event_before`]), the
    /// entries due at that date are not the last popped date's, and are
    /// looked for further in the queue.
    #[inline(always)]
    fn pop_due_now(&mut self) -> Option<Entry> {
        if self.queue.has_current() {
            self.queue.pop()
        } else if self.queue.last_time() < self.now {
            self.queue.pop_through(self.now)
        } else {
            None
        }
    }

    /// Like [`Engine::next_event`], for a caller with a source of its own
    /// whose next arrival is at `limit`: returns the next event due strictly
    /// before `limit`; when there is none, moves the clock to `limit` (never
    /// back) and returns `None`, so the caller can feed its arrival then.
    /// Internal events (the end of a transfer's latency) are handled only
    /// while they are due before `limit`: the clock never passes it.
    ///
    /// Entries are popped while the earliest stored one, stale or not, is
    /// due before `limit` (a stale one is dropped on the way, as it would be
    /// later): that is one look at the queue's lowest bucket per arrival,
    /// where finding the earliest live entry would test every entry there.
    /// Inlined into its caller's loop: the event (larger than registers)
    /// is not stored and read back across a call at every step.
    ///
    /// Changes are shared as [`Engine::next_event`] shares them, once no
    /// event is left at the current date and the caller's arrival is not
    /// due at it either: the caller's arrivals at one date and the events
    /// due then go as a stream's arrivals (timers) and those events would,
    /// changes shared after all of them. Resharing after each event or
    /// arrival gave the activities it rescheduled later sequence numbers,
    /// so their ties at a later date went otherwise than without a replay
    /// (a row at 30 s changed which of two copies ending together at 4 s
    /// ended first, and where invocations ran at 5 s).
    #[inline(always)]
    pub fn next_event_before(&mut self, limit: f64) -> Option<Event<T>> {
        loop {
            // The caller's arrival due now goes before what is due now.
            let due = if limit > self.now { self.pop_due_now() } else { None };
            let entry = match due {
                Some(entry) => Some(entry),
                None if limit > self.now => {
                    self.reshare();
                    self.queue.pop_before(limit)
                }
                None => None,
            };
            let Some(entry) = entry else {
                if limit > self.now {
                    self.move_clock(limit);
                }
                return None;
            };
            self.prefetch_upcoming();
            if let Some(event) = self.handle(entry) {
                return Some(event);
            }
        }
    }

    /// Asks the processor for the slot of the wait likely to pop next, so
    /// that it is in the cache when its turn comes: with thousands of
    /// timers and sleeps alive, the slot of each popped entry was a cache
    /// miss the simulation waited on (a fifth of the run loop's samples
    /// with 17,614 functions). Only a hint: nothing is read for a decision.
    #[inline(always)]
    fn prefetch_upcoming(&self) {
        if self.waits.pending() >= PREFETCH_FROM_WAITS
            && let Some(target) = self.queue.upcoming_target()
            && target & WAIT_BIT != 0
        {
            self.waits.prefetch(target & !WAIT_BIT);
        }
    }

    /// Handles a popped entry: the event to report, `None` if it was stale
    /// or internal (a latency ended). A wait's entry (nearly every event of
    /// a run of sleeps and timers) is handled where the entry is popped,
    /// the event built in place; an activity's out of line.
    #[inline(always)]
    fn handle(&mut self, entry: Entry) -> Option<Event<T>> {
        if entry.target & WAIT_BIT == 0 {
            return self.handle_task(entry);
        }
        // A wait's liveness and its removal: one look at its slot.
        let index = entry.target & !WAIT_BIT;
        let Some((generation, sleep, tag)) = self.waits.remove_if_live(index, entry.seq) else {
            self.queue.note_stale_popped();
            return None;
        };
        self.move_clock(entry.time());
        let kind = if sleep {
            self.sleeping -= 1;
            EventKind::Completed(ActivityId {
                index: entry.target,
                generation,
            })
        } else {
            EventKind::Timer(TimerId { index, generation })
        };
        Some(Event {
            time: self.now,
            tag,
            kind,
        })
    }

    /// Handles a popped entry of an activity (a task or a pooled one):
    /// `None` if it was stale or internal (a latency ended).
    #[inline(never)]
    fn handle_task(&mut self, entry: Entry) -> Option<Event<T>> {
        if !entry_is_live(&self.tasks, &self.pools, &self.waits, &entry) {
            self.queue.note_stale_popped();
            return None;
        }
        self.move_clock(entry.time());
        if entry.target & POOL_BIT != 0 {
            return self.end_pooled(entry);
        }
        let index = entry.target;
        let task = &mut self.tasks[index];
        task.event_seq = 0;
        if task.phase == Phase::Latency {
            self.join_sharing(index);
            None
        } else {
            self.end_step(index)
        }
    }

    /// Schedules a timer or stand-alone sleep of `delay` seconds. Inlined
    /// into [`Engine::timer`] (a body's sleep, once per invocation): a call
    /// of its own cost a fifth of its instructions in saving registers.
    #[inline(always)]
    fn wait(&mut self, sleep: bool, delay: f64, tag: T) -> (u32, u32) {
        let end = self.now + delay;
        let index = self.waits.vacant();
        let seq = self.queue.push(end, index | WAIT_BIT);
        self.waits.add(index, sleep, tag, end, seq)
    }

    /// Starts a lowered step (its loads are in `self.loads`) in task `index`.
    fn begin(&mut self, index: u32, lowered: Lowered) {
        let now = self.now;
        let task = &mut self.tasks[index];
        task.last_update = now;
        task.rate = 0.0;
        task.var = NO_VAR;
        match lowered {
            Lowered::Sleep(seconds) => {
                task.phase = Phase::Running;
                task.remaining = seconds;
                task.rate = 1.0;
                task.factor = 1.0;
                task.event_seq = self.queue.push(now + seconds, index);
            }
            Lowered::Fluid {
                amount,
                delay,
                weight,
                bound,
                factor,
            } => {
                task.remaining = amount;
                task.factor = factor;
                if amount > 0.0 && !self.loads.is_empty() {
                    task.var = self.solver.add_var(index, weight, bound, &self.loads);
                }
                if delay > 0.0 {
                    task.phase = Phase::Latency;
                    task.event_seq = self.queue.push(now + delay, index);
                } else {
                    self.join_sharing(index);
                }
            }
        }
    }

    /// The step's latency is paid: it starts sharing, or completes now if it
    /// has nothing to share.
    fn join_sharing(&mut self, index: u32) {
        let task = &mut self.tasks[index];
        task.phase = Phase::Running;
        task.last_update = self.now;
        if task.var == NO_VAR {
            task.event_seq = self.queue.push(self.now, index);
        } else {
            self.solver.enable(task.var);
        }
    }

    /// The current step of task `index` is done: start the next one, or
    /// complete the activity and report it.
    fn end_step(&mut self, index: u32) -> Option<Event<T>> {
        let task = &mut self.tasks[index];
        if task.var != NO_VAR {
            self.pools.detach(task, index, self.now);
            self.solver.remove(task.var);
            task.var = NO_VAR;
        }
        if let Some(step) = self.tasks.next_step(index) {
            // Every step was lowered once when the sequence started and the
            // platform never changes, so this lowering succeeds as well.
            if let Ok(lowered) = lower(&step, &self.platform, &self.paths, &mut self.loads) {
                self.begin(index, lowered);
                return None;
            }
        }
        let task = &self.tasks[index];
        let event = Event {
            time: self.now,
            tag: task.tag,
            kind: EventKind::Completed(ActivityId {
                index,
                generation: task.generation,
            }),
        };
        self.tasks.free(index);
        Some(event)
    }

    /// A pool's entry came due: the step of its earliest member ends. The
    /// members with the same finish end next, before anything else due now
    /// (as the general solver's equal dates, pushed together, would).
    fn end_pooled(&mut self, entry: Entry) -> Option<Event<T>> {
        let pool = entry.target & !POOL_BIT;
        let (solver, tasks) = (&self.solver, &self.tasks);
        let index = self
            .pools
            .take_due(pool, self.now, |task| solver.tie_rank(tasks[task].var))?;
        let event = self.end_step(index);
        if self.pools.resume_due(pool, entry.seq) {
            self.queue.requeue(entry);
        }
        event
    }

    /// Shares capacities anew where something changed, and moves the
    /// events of the activities whose rate changed.
    #[inline]
    fn reshare(&mut self) {
        if self.solver.is_dirty() || self.pools.is_touched() {
            self.reshare_dirty();
        }
    }

    fn reshare_dirty(&mut self) {
        let now = self.now;
        let mut compact = false;
        self.solver.solve();
        if let Some(m) = &mut self.meter {
            m.stale = true;
        }
        for &class in self.solver.changed_classes() {
            self.pools.set_level(class, self.solver.level(class), now);
        }
        for &var in self.solver.changed() {
            let index = self.solver.owner(var);
            let task = &mut self.tasks[index];
            self.pools.detach(task, index, now);
            task.remaining = task.remaining_at(now);
            task.last_update = now;
            if task.event_seq != 0 {
                compact |= self.queue.note_stale();
            }
            task.event_seq = 0;
            match self.solver.share(var) {
                Share::Pooled { class, weight } => {
                    self.pools.attach(class, task, index, weight * task.factor, now);
                }
                Share::Alone(value) => {
                    task.rate = value * task.factor;
                    if task.rate > 0.0 {
                        task.event_seq = self.queue.push(now + task.remaining / task.rate, index);
                    }
                }
            }
        }
        compact |= self.pools.reschedule(&mut self.queue, now);
        if compact {
            self.compact();
        }
    }

    fn note_stale(&mut self) {
        if self.queue.note_stale() {
            self.compact();
        }
    }

    fn compact(&mut self) {
        let (tasks, pools, waits) = (&self.tasks, &self.pools, &self.waits);
        self.queue.retain(|e| entry_is_live(tasks, pools, waits, e));
    }
}

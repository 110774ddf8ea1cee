//! The engine: simulated clock, timers, activities and the pull loop that advances them.
//!
//! Activities progress lazily: each stores its remaining amount at its last
//! update and its current rate, and owns at most one live event (its latency
//! end or its completion). When the solver reports a rate change, only that
//! activity's progress is committed and its event moved.

use super::activity::{Activity, Lowered, flatten, lower};
use super::error::EngineError;
use super::ids::{ActivityId, HostId, TimerId};
use super::network::Paths;
use super::platform::Platform;
use super::queue::{Entry, EventQueue};
use super::solver::{Solver, Violation};

/// What happened at an [`Event`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventKind {
    /// A timer set with [`Engine::timer`] fired.
    Timer(TimerId),
    /// An activity (all steps of a sequence) completed.
    Completed(ActivityId),
}

/// One step of the simulation, returned by [`Engine::next_event`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Event {
    /// Simulated date in seconds.
    pub time: f64,
    /// The tag given when the timer or activity was created.
    pub tag: u64,
    /// What happened.
    pub kind: EventKind,
}

/// Queue targets with this bit set are timers; others are activity slots.
const TIMER_BIT: u32 = 1 << 31;

/// Marks an activity step that uses no solver variable.
const NO_VAR: u32 = u32::MAX;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Free,
    /// Paying network latency before joining the sharing.
    Latency,
    /// Progressing (or about to complete).
    Running,
}

#[derive(Debug)]
struct Slot {
    generation: u32,
    phase: Phase,
    tag: u64,
    /// Sequence number of this activity's live queue entry, 0 when none.
    event_seq: u64,
    var: u32,
    /// Amount left at `last_update`.
    remaining: f64,
    last_update: f64,
    /// Achieved rate (units per second) since `last_update`.
    rate: f64,
    factor: f64,
    /// Steps still to run, last step first.
    pending: Vec<Activity>,
}

#[derive(Debug, Default)]
struct TimerSlot {
    generation: u32,
    /// Sequence number of the timer's queue entry, 0 when free.
    seq: u64,
    tag: u64,
}

/// The discrete-event engine over one platform. See the module docs of
/// [`super`] for the pull-loop contract.
#[derive(Debug)]
pub struct Engine {
    platform: Platform,
    paths: Paths,
    solver: Solver,
    queue: EventQueue,
    now: f64,
    slots: Vec<Slot>,
    free_slots: Vec<u32>,
    timers: Vec<TimerSlot>,
    free_timers: Vec<u32>,
    loads: Vec<(u32, f64)>,
    live: usize,
}

fn entry_is_live(slots: &[Slot], timers: &[TimerSlot], entry: &Entry) -> bool {
    if entry.target & TIMER_BIT != 0 {
        timers[(entry.target & !TIMER_BIT) as usize].seq == entry.seq
    } else {
        slots[entry.target as usize].event_seq == entry.seq
    }
}

impl Engine {
    /// An engine at time 0 over `platform`.
    pub fn new(platform: Platform) -> Self {
        Engine {
            paths: Paths::new(&platform),
            solver: Solver::new(platform.capacities()),
            platform,
            queue: EventQueue::default(),
            now: 0.0,
            slots: Vec::new(),
            free_slots: Vec::new(),
            timers: Vec::new(),
            free_timers: Vec::new(),
            loads: Vec::new(),
            live: 0,
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

    /// Whether data can go from `src` to `dst`.
    pub fn route_exists(&self, src: HostId, dst: HostId) -> bool {
        self.platform.route_exists(src, dst)
    }

    /// Activities started and not yet completed or cancelled.
    pub fn live_activities(&self) -> usize {
        self.live
    }

    /// Fires an [`EventKind::Timer`] event tagged `tag` after `delay` seconds.
    pub fn timer(&mut self, delay: f64, tag: u64) -> Result<TimerId, EngineError> {
        if !(delay.is_finite() && delay >= 0.0) {
            return Err(EngineError::InvalidAmount {
                what: "delay",
                value: delay,
            });
        }
        let index = match self.free_timers.pop() {
            Some(i) => i,
            None => {
                self.timers.push(TimerSlot::default());
                (self.timers.len() - 1) as u32
            }
        };
        let seq = self.queue.push(self.now + delay, index | TIMER_BIT);
        let timer = &mut self.timers[index as usize];
        timer.seq = seq;
        timer.tag = tag;
        Ok(TimerId {
            index,
            generation: timer.generation,
        })
    }

    /// Cancels a pending timer; false if it already fired or was cancelled.
    pub fn cancel_timer(&mut self, id: TimerId) -> bool {
        match self.timers.get_mut(id.index as usize) {
            Some(t) if t.generation == id.generation && t.seq != 0 => {
                t.seq = 0;
                t.generation = t.generation.wrapping_add(1);
                self.free_timers.push(id.index);
                self.note_stale();
                true
            }
            _ => false,
        }
    }

    /// Starts `activity` now; its completion is reported with `tag`.
    /// Every step is checked first, so a sequence never fails halfway.
    pub fn start(&mut self, activity: Activity, tag: u64) -> Result<ActivityId, EngineError> {
        let (first, pending) = match activity {
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
                match leaves.pop() {
                    Some(first) => (first, leaves),
                    None => (Activity::Sleep { seconds: 0.0 }, leaves),
                }
            }
            leaf => (leaf, Vec::new()),
        };
        let lowered = lower(&first, &self.platform, &self.paths, &mut self.loads)?;
        let index = self.alloc_slot(tag, pending);
        self.begin(index, lowered);
        Ok(ActivityId {
            index,
            generation: self.slots[index as usize].generation,
        })
    }

    /// Stops an activity; returns what was left of its current step (bytes,
    /// flops or seconds), or `None` if the id is stale.
    pub fn cancel(&mut self, id: ActivityId) -> Option<f64> {
        let left = self.remaining(id)?;
        let index = id.index;
        let slot = &mut self.slots[index as usize];
        if slot.var != NO_VAR {
            self.solver.remove(slot.var);
        }
        if slot.event_seq != 0 {
            self.note_stale();
        }
        self.free_slot(index);
        Some(left)
    }

    /// What is left of the activity's current step, or `None` if the id is stale.
    pub fn remaining(&self, id: ActivityId) -> Option<f64> {
        let slot = self.slot(id)?;
        let done = slot.rate * (self.now - slot.last_update);
        Some((slot.remaining - done).max(0.0))
    }

    /// The activity's current rate (units per second), after sharing any
    /// pending change; `None` if the id is stale.
    pub fn rate(&mut self, id: ActivityId) -> Option<f64> {
        self.slot(id)?;
        self.reshare();
        self.slot(id).map(|s| s.rate)
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
        while let Some(entry) = self.queue.peek() {
            if entry_is_live(&self.slots, &self.timers, &entry) {
                return Some(entry.time());
            }
            self.queue.pop();
            self.queue.note_stale_popped();
        }
        None
    }

    /// Advances to the next timer or activity completion and returns it;
    /// `None` when nothing more can happen.
    pub fn next_event(&mut self) -> Option<Event> {
        loop {
            self.reshare();
            let entry = self.queue.pop()?;
            if !entry_is_live(&self.slots, &self.timers, &entry) {
                self.queue.note_stale_popped();
                continue;
            }
            self.now = entry.time();
            if entry.target & TIMER_BIT != 0 {
                let index = entry.target & !TIMER_BIT;
                let timer = &mut self.timers[index as usize];
                let id = TimerId {
                    index,
                    generation: timer.generation,
                };
                timer.seq = 0;
                timer.generation = timer.generation.wrapping_add(1);
                self.free_timers.push(index);
                return Some(Event {
                    time: self.now,
                    tag: timer.tag,
                    kind: EventKind::Timer(id),
                });
            }
            let index = entry.target;
            let slot = &mut self.slots[index as usize];
            slot.event_seq = 0;
            if slot.phase == Phase::Latency {
                self.join_sharing(index);
            } else if let Some(event) = self.end_step(index) {
                return Some(event);
            }
        }
    }

    fn slot(&self, id: ActivityId) -> Option<&Slot> {
        self.slots
            .get(id.index as usize)
            .filter(|s| s.generation == id.generation && s.phase != Phase::Free)
    }

    fn alloc_slot(&mut self, tag: u64, pending: Vec<Activity>) -> u32 {
        self.live += 1;
        let index = match self.free_slots.pop() {
            Some(i) => i,
            None => {
                self.slots.push(Slot {
                    generation: 0,
                    phase: Phase::Free,
                    tag: 0,
                    event_seq: 0,
                    var: NO_VAR,
                    remaining: 0.0,
                    last_update: 0.0,
                    rate: 0.0,
                    factor: 1.0,
                    pending: Vec::new(),
                });
                (self.slots.len() - 1) as u32
            }
        };
        let slot = &mut self.slots[index as usize];
        slot.tag = tag;
        slot.pending = pending;
        index
    }

    fn free_slot(&mut self, index: u32) {
        let slot = &mut self.slots[index as usize];
        slot.generation = slot.generation.wrapping_add(1);
        slot.phase = Phase::Free;
        slot.event_seq = 0;
        slot.var = NO_VAR;
        slot.pending = Vec::new();
        self.free_slots.push(index);
        self.live -= 1;
    }

    /// Starts a lowered step (its loads are in `self.loads`) in slot `index`.
    fn begin(&mut self, index: u32, lowered: Lowered) {
        let now = self.now;
        let slot = &mut self.slots[index as usize];
        slot.last_update = now;
        slot.rate = 0.0;
        slot.var = NO_VAR;
        match lowered {
            Lowered::Sleep(seconds) => {
                slot.phase = Phase::Running;
                slot.remaining = seconds;
                slot.rate = 1.0;
                slot.factor = 1.0;
                slot.event_seq = self.queue.push(now + seconds, index);
            }
            Lowered::Fluid {
                amount,
                delay,
                weight,
                bound,
                factor,
            } => {
                slot.remaining = amount;
                slot.factor = factor;
                if amount > 0.0 && !self.loads.is_empty() {
                    let var = self.solver.add_var(index, weight, bound);
                    for &(cnst, load) in &self.loads {
                        self.solver.add_load(var, cnst, load);
                    }
                    slot.var = var;
                }
                if delay > 0.0 {
                    slot.phase = Phase::Latency;
                    slot.event_seq = self.queue.push(now + delay, index);
                } else {
                    self.join_sharing(index);
                }
            }
        }
    }

    /// The step's latency is paid: it starts sharing, or completes now if it
    /// has nothing to share.
    fn join_sharing(&mut self, index: u32) {
        let slot = &mut self.slots[index as usize];
        slot.phase = Phase::Running;
        slot.last_update = self.now;
        if slot.var == NO_VAR {
            slot.event_seq = self.queue.push(self.now, index);
        } else {
            self.solver.enable(slot.var);
        }
    }

    /// The current step of slot `index` is done: start the next one, or
    /// complete the activity and report it.
    fn end_step(&mut self, index: u32) -> Option<Event> {
        let slot = &mut self.slots[index as usize];
        if slot.var != NO_VAR {
            self.solver.remove(slot.var);
            slot.var = NO_VAR;
        }
        if let Some(step) = slot.pending.pop() {
            // Every step was lowered once when the sequence started and the
            // platform never changes, so this lowering succeeds as well.
            if let Ok(lowered) = lower(&step, &self.platform, &self.paths, &mut self.loads) {
                self.begin(index, lowered);
                return None;
            }
        }
        let slot = &self.slots[index as usize];
        let event = Event {
            time: self.now,
            tag: slot.tag,
            kind: EventKind::Completed(ActivityId {
                index,
                generation: slot.generation,
            }),
        };
        self.free_slot(index);
        Some(event)
    }

    /// Shares capacities anew where something changed, and moves the
    /// events of the activities whose rate changed.
    fn reshare(&mut self) {
        if !self.solver.is_dirty() {
            return;
        }
        let now = self.now;
        let mut compact = false;
        self.solver.solve();
        for &var in self.solver.changed() {
            let index = self.solver.owner(var);
            let slot = &mut self.slots[index as usize];
            slot.remaining = (slot.remaining - slot.rate * (now - slot.last_update)).max(0.0);
            slot.last_update = now;
            slot.rate = self.solver.value(var) * slot.factor;
            if slot.event_seq != 0 {
                compact |= self.queue.note_stale();
            }
            slot.event_seq = if slot.rate > 0.0 {
                self.queue.push(now + slot.remaining / slot.rate, index)
            } else {
                0
            };
        }
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
        let (slots, timers) = (&self.slots, &self.timers);
        self.queue.retain(|e| entry_is_live(slots, timers, e));
    }
}

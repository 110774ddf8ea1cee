//! Invocations in flight, in a table whose slots are reused once an
//! invocation's record has been written: memory follows the invocations
//! alive, not the run's length.

use crate::engine::{ActivityId, TimerId};
use crate::report::{Cause, InvocationRecord, StartKind, Startup};
use crate::workload::StreamRng;

use crate::ir::service::ServiceId;
use crate::ir::workload::MAX_IN_FLIGHT;

use super::ids::{ContainerId, FlowNode, InstanceId, NodeId, RegId, SourceId};

/// Who sent an invocation, to tell them when it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// An open stream or a replay: nobody waits.
    Open,
    /// A user of a closed-loop stream.
    Closed(SourceId),
    /// A scripted client.
    Client(SourceId),
    /// A node of a workflow instance.
    Workflow { instance: InstanceId, node: FlowNode },
}

/// Which payload an invocation is moving, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payload {
    None,
    /// The request's payload, head to node, before the body.
    Request,
    /// The response's payload, node to head, after the body.
    Response,
}

/// What a body is doing now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doing {
    Nothing,
    Sleeping(TimerId),
    Running(ActivityId),
}

/// A date an invocation may not have reached yet: half the bytes of an
/// `Option<f64>` (unset is NaN, which no date of the engine's clock is),
/// in an entry read at every event of its invocation.
#[derive(Debug, Clone, Copy)]
pub struct Moment(f64);

impl Moment {
    pub const UNSET: Moment = Moment(f64::NAN);

    #[inline]
    pub fn at(date: f64) -> Moment {
        Moment(date)
    }

    #[inline]
    pub fn get(self) -> Option<f64> {
        (!self.0.is_nan()).then_some(self.0)
    }

    #[inline]
    pub fn is_set(self) -> bool {
        !self.0.is_nan()
    }
}

/// An invocation in flight. Kept small (its table slot is three cache
/// lines, aligned): an invocation's events each read it, far apart in time.
#[derive(Debug)]
pub struct Invocation {
    pub id: u64,
    pub reg: RegId,
    pub service: ServiceId,
    pub origin: Origin,
    pub submit: f64,
    pub dispatch: Moment,
    pub start: Moment,
    pub end: Moment,
    pub finish: f64,
    pub node: Option<NodeId>,
    pub container: Option<ContainerId>,
    pub start_kind: Option<StartKind>,
    pub startup: Option<Startup>,
    pub cause: Option<Cause>,
    /// Where its body stands: the body runner's part ([`super::body`]).
    pub body: Body,
}

/// The part of an invocation that only the body runner changes.
#[derive(Debug)]
pub struct Body {
    /// Index of the body step running.
    pub step: u32,
    pub doing: Doing,
    pub timeout: Option<TimerId>,
    /// When the time limit is reached (function start + limit); infinite
    /// without a limit.
    pub deadline: f64,
    /// The time limit was reached once and put off until whatever else
    /// ends at that same instant has run: a body that ends exactly at its
    /// limit gets its end date, and fails with a timeout (as in WRENCH).
    pub timeout_deferred: bool,
    /// Seconds and bytes from the trace row that made this invocation
    /// (0 without one: what a step of these amounts then takes).
    pub trace_duration: f64,
    pub trace_memory: f64,
    /// Its own payload sizes, instead of its service's, if it has any
    /// (rare: boxed, out of the entry).
    pub payloads: Option<Box<crate::workload::Payloads>>,
    /// Draws of the body's random amounts, when it has any.
    pub rng: Option<Box<StreamRng>>,
    /// Bytes moved so far that its limits count, from its first read or
    /// write on (boxed: most bodies do neither).
    pub moved: Option<Box<Moved>>,
    /// Bytes of output passed to workflow successors.
    pub output: f64,
    pub payload: Payload,
}

/// Bytes a body moved that its function's limits count.
#[derive(Debug, Default)]
pub struct Moved {
    /// Read from and written to storages over the network (`ingress`,
    /// `egress`).
    pub ingress: f64,
    pub egress: f64,
    /// Written to the container's scratch disk (`disk`: the scratch is
    /// wiped after each run, so each invocation has the whole of it).
    pub scratch: f64,
}

impl Body {
    /// A body not started, with the trace row's values and its generator.
    pub fn new(
        trace_duration: Option<f64>,
        trace_memory: Option<f64>,
        payloads: crate::workload::Payloads,
        rng: Option<Box<StreamRng>>,
    ) -> Self {
        Body {
            step: 0,
            doing: Doing::Nothing,
            timeout: None,
            deadline: f64::INFINITY,
            timeout_deferred: false,
            trace_duration: trace_duration.unwrap_or(0.0),
            trace_memory: trace_memory.unwrap_or(0.0),
            payloads: (payloads != crate::workload::Payloads::default()).then(|| Box::new(payloads)),
            rng,
            moved: None,
            output: 0.0,
            payload: Payload::None,
        }
    }
}

/// Where and how an invocation was dispatched, written on its entry when
/// its body starts (one look at the entry for both: [`super::body::start_dispatched`]).
#[derive(Debug, Clone, Copy)]
pub struct Dispatch {
    pub node: NodeId,
    pub container: ContainerId,
    pub kind: StartKind,
    pub startup: Startup,
}

impl Invocation {
    /// Notes its dispatch `at` that date.
    #[inline(always)]
    pub fn dispatched(&mut self, at: f64, dispatch: Dispatch) {
        self.dispatch = Moment::at(at);
        self.node = Some(dispatch.node);
        self.container = Some(dispatch.container);
        self.start_kind = Some(dispatch.kind);
        self.startup = Some(dispatch.startup);
    }

    /// Its record; `instance` is its workflow instance's id, if any.
    /// Its record, run on `host` with a body holding `cores`.
    pub fn record(&self, host: u32, instance: Option<u64>, cores: f64) -> InvocationRecord {
        InvocationRecord {
            id: self.id,
            function: self.reg.0,
            service: self.service.0,
            submit: self.submit,
            dispatch: self.dispatch.get(),
            start: self.start.get(),
            end: self.end.get(),
            finish: self.finish,
            node: self.node.map(|_| host),
            cause: self.cause,
            start_kind: self.start_kind,
            instance,
            startup: self.startup,
            cores,
        }
    }
}

/// A reference to an invocation of the table: its slot and the slot's
/// generation when the invocation was made. Only the table makes handles,
/// and a slot's generation moves on when its invocation leaves, so a handle
/// kept after its invocation ended (in a timer's tag, a failure's list, a
/// queue) finds nothing instead of reaching the next invocation in the slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct InvocationHandle {
    slot: u32,
    generation: u32,
}

#[cfg(test)]
impl InvocationHandle {
    /// A handle to no table's invocation, for tests of what lists them.
    pub fn for_tests(slot: u32) -> Self {
        InvocationHandle { slot, generation: 0 }
    }
}

/// Aligned on a cache line: an entry spans as few lines as its size allows.
#[repr(align(64))]
struct Slot {
    generation: u32,
    invocation: Option<Invocation>,
}

// An invocation's slot stays three cache lines.
const _: () = assert!(std::mem::size_of::<Slot>() <= 192);

/// A live invocation's slot, found once at its end ([`Invocations::ending`]).
pub struct Ending<'a> {
    slot: &'a mut Slot,
    index: u32,
    free: &'a mut Vec<u32>,
}

impl Ending<'_> {
    /// The invocation, read in place.
    #[inline]
    pub fn invocation(&self) -> &Invocation {
        // An ending is made only for a slot that holds one.
        self.slot
            .invocation
            .as_ref()
            .expect("an ending's slot holds its invocation")
    }

    /// Frees the slot without moving the invocation out: a handle kept
    /// past here finds nothing.
    #[inline]
    pub fn free(self) {
        self.slot.invocation = None;
        self.vacate();
    }

    /// Frees the slot, moving the invocation out.
    pub fn remove(self) -> Invocation {
        let taken = self
            .slot
            .invocation
            .take()
            .expect("an ending's slot holds its invocation");
        self.vacate();
        taken
    }

    #[inline]
    fn vacate(self) {
        self.slot.generation = self.slot.generation.wrapping_add(1);
        self.free.push(self.index);
    }
}

/// The table of live invocations.
pub struct Invocations {
    slots: Vec<Slot>,
    free: Vec<u32>,
    /// The most that may be live at once ([`Invocations::past_bound`]).
    bound: usize,
}

impl Default for Invocations {
    fn default() -> Self {
        Invocations::bounded(MAX_IN_FLIGHT)
    }
}

impl Invocations {
    /// An empty table holding at most `bound` invocations at once.
    pub fn bounded(bound: u64) -> Self {
        Invocations {
            slots: Vec::new(),
            free: Vec::new(),
            bound: usize::try_from(bound).unwrap_or(usize::MAX),
        }
    }

    /// Whether inserting `handle` took the table past its bound: the run
    /// must stop. Slots are reused before new ones are made, so a slot
    /// numbered `bound` is made exactly when `bound + 1` invocations are
    /// live for the first time (a test of the handle in hand, not a count).
    #[inline]
    pub fn past_bound(&self, handle: InvocationHandle) -> bool {
        handle.slot as usize >= self.bound
    }

    /// The table's bound.
    pub fn bound(&self) -> u64 {
        self.bound as u64
    }

    /// Puts the invocation `make` returns in a free slot (a new one if
    /// none is free). Its slot is found first and `make` called there:
    /// the entry, three cache lines, is then written where it stays
    /// rather than built aside and copied in (once per invocation).
    #[inline(always)]
    pub fn insert_with(&mut self, make: impl FnOnce() -> Invocation) -> InvocationHandle {
        let slot = match self.free.pop() {
            Some(slot) => slot,
            None => {
                self.slots.push(Slot {
                    generation: 0,
                    invocation: None,
                });
                (self.slots.len() - 1) as u32
            }
        };
        let entry = &mut self.slots[slot as usize];
        entry.invocation = Some(make());
        InvocationHandle {
            slot,
            generation: entry.generation,
        }
    }

    fn slot(&self, h: InvocationHandle) -> Option<&Slot> {
        self.slots.get(h.slot as usize).filter(|s| s.generation == h.generation)
    }

    fn slot_mut(&mut self, h: InvocationHandle) -> Option<&mut Slot> {
        self.slots
            .get_mut(h.slot as usize)
            .filter(|s| s.generation == h.generation)
    }

    #[inline]
    pub fn get(&self, h: InvocationHandle) -> Option<&Invocation> {
        self.slot(h).and_then(|s| s.invocation.as_ref())
    }

    #[inline]
    pub fn get_mut(&mut self, h: InvocationHandle) -> Option<&mut Invocation> {
        self.slot_mut(h).and_then(|s| s.invocation.as_mut())
    }

    /// The live invocation of `h` at its end: one look at its slot, to
    /// read the entry in place and then free it ([`Ending::free`]) or move
    /// it out ([`Ending::remove`]). `None` for a stale handle.
    #[inline]
    pub fn ending(&mut self, h: InvocationHandle) -> Option<Ending<'_>> {
        let slot = self
            .slots
            .get_mut(h.slot as usize)
            .filter(|s| s.generation == h.generation && s.invocation.is_some())?;
        Some(Ending {
            slot,
            index: h.slot,
            free: &mut self.free,
        })
    }

    /// How many invocations are live.
    pub fn live_count(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    /// Live invocations, in table order.
    pub fn live(&self) -> impl Iterator<Item = (InvocationHandle, &Invocation)> {
        self.slots.iter().enumerate().filter_map(|(i, s)| {
            s.invocation.as_ref().map(|v| {
                (
                    InvocationHandle {
                        slot: i as u32,
                        generation: s.generation,
                    },
                    v,
                )
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invocation(id: u64) -> Invocation {
        Invocation {
            id,
            reg: RegId(0),
            service: ServiceId(0),
            origin: Origin::Open,
            submit: 0.0,
            dispatch: Moment::UNSET,
            start: Moment::UNSET,
            end: Moment::UNSET,
            finish: 0.0,
            node: None,
            container: None,
            start_kind: None,
            startup: None,
            cause: None,
            body: Body::new(None, None, Default::default(), None),
        }
    }

    #[test]
    fn a_stale_handle_never_reaches_the_next_invocation_in_its_slot() {
        let mut table = Invocations::default();
        let first = table.insert_with(|| invocation(1));
        assert_eq!(table.ending(first).map(|e| e.remove().id), Some(1));
        let second = table.insert_with(|| invocation(2));
        // The slot is reused, the handle is not.
        assert_ne!(first, second);
        assert!(table.get(first).is_none() && table.get_mut(first).is_none());
        assert!(table.ending(first).is_none());
        assert_eq!(table.get(second).map(|i| i.id), Some(2));
        assert_eq!(table.live().map(|(h, _)| h).collect::<Vec<_>>(), vec![second]);
        // Freed in place, the slot is reused too, and its handle is stale.
        let ending = table.ending(second).expect("second is live");
        assert_eq!(ending.invocation().id, 2);
        ending.free();
        assert!(table.get(second).is_none() && table.ending(second).is_none());
        let third = table.insert_with(|| invocation(3));
        assert_eq!(
            table.live().map(|(h, i)| (h, i.id)).collect::<Vec<_>>(),
            vec![(third, 3)]
        );
        assert!(table.get(second).is_none());
    }

    /// The bound is passed exactly when one more invocation is live than
    /// it allows, however slots were freed and reused before.
    #[test]
    fn the_bound_is_passed_by_the_invocation_past_it() {
        let mut table = Invocations::bounded(3);
        let mut live = Vec::new();
        for id in 0..3 {
            let handle = table.insert_with(|| invocation(id));
            assert!(!table.past_bound(handle));
            live.push(handle);
        }
        // Two leave and two come, in their slots: still three live.
        for handle in live.drain(..2) {
            table.ending(handle).expect("live").free();
        }
        for id in 3..5 {
            let handle = table.insert_with(|| invocation(id));
            assert!(!table.past_bound(handle), "{} live", table.live_count());
        }
        assert_eq!(table.live_count(), 3);
        let fourth = table.insert_with(|| invocation(5));
        assert!(table.past_bound(fourth));
        assert_eq!(table.live_count(), 4);
    }
}

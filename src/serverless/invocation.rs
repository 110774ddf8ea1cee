//! Invocations in flight, in a table whose slots are reused once an
//! invocation's record has been written: memory follows the invocations
//! alive, not the run's length.

use crate::engine::{ActivityId, TimerId};
use crate::report::{Cause, InvocationRecord, StartKind, Startup};
use crate::workload::StreamRng;

use super::registry::RegId;
use super::state::ContainerId;

/// Who sent an invocation, to tell them when it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// An open stream or a replay: nobody waits.
    Open,
    /// A user of a closed-loop stream (feed index).
    Closed(u32),
    /// A scripted client (feed index).
    Client(u32),
    /// A node of a workflow instance.
    Workflow { instance: u32, node: u32 },
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

#[derive(Debug)]
pub struct Invocation {
    pub id: u64,
    pub reg: RegId,
    pub service: u32,
    pub origin: Origin,
    pub submit: f64,
    pub dispatch: Option<f64>,
    pub start: Option<f64>,
    pub end: Option<f64>,
    pub finish: f64,
    pub node: Option<u32>,
    pub container: Option<ContainerId>,
    pub start_kind: Option<StartKind>,
    pub startup: Option<Startup>,
    pub cause: Option<Cause>,
    /// Index of the body step running.
    pub step: u32,
    pub doing: Doing,
    pub timeout: Option<TimerId>,
    /// When the time limit is reached (function start + limit), if any.
    pub deadline: Option<f64>,
    /// The time limit was reached once and put off until whatever else
    /// ends at that same instant has run: a body that ends exactly at its
    /// limit gets its end date, and fails with a timeout (as in WRENCH).
    pub timeout_deferred: bool,
    /// Seconds and bytes from the trace row that made this invocation.
    pub trace_duration: Option<f64>,
    pub trace_memory: Option<f64>,
    /// Draws of the body's random amounts, when it has any.
    pub rng: Option<Box<StreamRng>>,
    /// Bytes read from and written to the network so far.
    pub ingress: f64,
    pub egress: f64,
    /// Bytes of output passed to workflow successors.
    pub output: f64,
    pub payload: Payload,
}

impl Invocation {
    /// Its record; `instance` is its workflow instance's id, if any.
    pub fn record(&self, host: u32, instance: Option<u64>) -> InvocationRecord {
        InvocationRecord {
            id: self.id,
            function: self.reg,
            service: self.service,
            submit: self.submit,
            dispatch: self.dispatch,
            start: self.start,
            end: self.end,
            finish: self.finish,
            node: self.node.map(|_| host),
            cause: self.cause,
            start_kind: self.start_kind,
            instance,
            startup: self.startup,
        }
    }
}

/// The table of live invocations.
#[derive(Debug, Default)]
pub struct Invocations {
    slots: Vec<Option<Invocation>>,
    free: Vec<u32>,
}

impl Invocations {
    pub fn insert(&mut self, invocation: Invocation) -> u32 {
        match self.free.pop() {
            Some(i) => {
                self.slots[i as usize] = Some(invocation);
                i
            }
            None => {
                self.slots.push(Some(invocation));
                (self.slots.len() - 1) as u32
            }
        }
    }

    pub fn get(&self, i: u32) -> Option<&Invocation> {
        self.slots.get(i as usize).and_then(Option::as_ref)
    }

    pub fn get_mut(&mut self, i: u32) -> Option<&mut Invocation> {
        self.slots.get_mut(i as usize).and_then(Option::as_mut)
    }

    /// Frees an invocation's slot without moving the invocation out.
    pub fn free(&mut self, i: u32) {
        if let Some(slot) = self.slots.get_mut(i as usize)
            && slot.is_some()
        {
            *slot = None;
            self.free.push(i);
        }
    }

    pub fn remove(&mut self, i: u32) -> Option<Invocation> {
        let taken = self.slots.get_mut(i as usize).and_then(Option::take);
        if taken.is_some() {
            self.free.push(i);
        }
        taken
    }

    /// Live invocations, in table order.
    pub fn live(&self) -> impl Iterator<Item = (u32, &Invocation)> {
        self.slots
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.as_ref().map(|v| (i as u32, v)))
    }
}

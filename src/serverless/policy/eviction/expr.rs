//! An eviction policy written in the script: `eviction NAME { priority
//! container = EXPR }`. The idle containers of lowest priority leave first
//! (the oldest created on a tie), until the need is covered. Per
//! container it reads its function's standing on the node and the node's
//! greedy-dual clock ([`super::greedy_dual`]'s: raised to the highest
//! priority evicted at each eviction there), so FaasCache's greedy-dual is
//! `inflation(c) + invocations(function) * (cold_start_cost(function) +
//! load_time(c)) / max(ram(c), 1B) * 1Bps` and LRU `idle_since(c)`. A
//! fault (division by zero, no number) chooses no victim and is kept for
//! the service, which stops the run with it.

use std::sync::Arc;

use super::super::Build;
use super::greedy_dual::{Aging, Standing, standing_of, standings};
use super::{Containers, Cover, Eviction, take_lowest};
use crate::ir::policy::EvictionExpr;
use crate::language::observables::Observable;
use crate::serverless::policy::expr::{Fault, Machine, Observe};
use crate::serverless::state::{Container, ServiceState};

pub struct Written {
    policy: Arc<EvictionExpr>,
    machine: Machine,
    startup: f64,
    aging: Aging,
    fault: Option<Fault>,
}

pub fn make(policy: &Arc<EvictionExpr>, build: &Build) -> Box<dyn Eviction> {
    Box::new(Written {
        machine: Machine::for_programs([&policy.priority]),
        policy: Arc::clone(policy),
        startup: build.service.container_startup,
        aging: Aging::new(build.nodes),
        fault: None,
    })
}

/// What the priority of one container reads.
struct Env<'a> {
    container: &'a Container,
    standing: Standing,
    aging: &'a Aging,
    startup: f64,
}

impl Observe for Env<'_> {
    fn observe(&mut self, observable: Observable) -> f64 {
        let c = self.container;
        match observable {
            Observable::ColdStartCost => self.startup,
            Observable::Memory => c.ram,
            Observable::Invocations => self.standing.uses as f64,
            Observable::Ram => c.ram + c.extra_ram,
            Observable::LoadTime => c.image_load,
            Observable::IdleSince => c.idle_since,
            Observable::Inflation => self.aging.clock_at(c.node, self.standing.used_at),
            // The checker lets an eviction policy read no other.
            _ => f64::NAN,
        }
    }
}

impl Written {
    /// The priority of `c`; a fault is kept (the first) and gives NaN,
    /// which ranks below nothing.
    fn priority(&mut self, c: &Container, standing: Standing) -> f64 {
        let mut env = Env {
            container: c,
            standing,
            aging: &self.aging,
            startup: self.startup,
        };
        match self.machine.run(&self.policy.priority, &mut env) {
            Ok(v) => v,
            Err(failed) => {
                // The service dates it (`victims` is not told the date).
                let fault = Fault::of(&self.policy.name, failed, f64::NAN, Some(c.reg), Some(c.node));
                self.fault.get_or_insert(fault);
                f64::NAN
            }
        }
    }
}

impl Eviction for Written {
    fn victims(
        &mut self,
        state: &ServiceState,
        candidates: &mut Containers,
        cover: &mut Cover,
        victims: &mut Containers,
    ) {
        let Some(first) = candidates.first() else {
            return;
        };
        let node = state.containers[first.index()].node;
        let standings = standings(state, node, candidates);
        let start = victims.len();
        take_lowest(state, candidates, cover, victims, |c| {
            self.priority(c, standing_of(&standings, c))
        });
        if self.fault.is_some() {
            victims.truncate(start);
            return;
        }
        // Taken lowest first: the last is the highest.
        let highest = victims[start..].last().map(|c| {
            let c = &state.containers[c.index()];
            self.priority(c, standing_of(&standings, c))
        });
        self.aging.chosen(node, highest);
    }

    fn evicted(&mut self, now: f64) {
        self.aging.evicted(now);
    }

    fn fault(&mut self) -> Option<Fault> {
        self.fault.take()
    }
}

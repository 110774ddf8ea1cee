//! FaasCache's greedy-dual keep-alive (Fuerst & Sharma, "FaasCache: keeping
//! serverless computing alive with greedy-dual caching", ASPLOS'21, §4):
//! the idle container of lowest priority = clock + frequency x cost / size
//! goes first, until the need is covered. `clock` is the priority of the
//! last container evicted (0 at first), taken when the container was last
//! used; `frequency` the invocations it served (since it was started: an
//! evicted function starts over); `cost` the service's container start-up
//! (the same for every function here: image loads are not counted);
//! `size` its RAM. With a long `keep_alive fixed(...)` it is FaasCache.

use super::super::Build;
use super::{Containers, Eviction, Need, take_lowest};
use crate::serverless::state::{Container, ServiceState};

pub struct GreedyDual {
    cost: f64,
    /// The clock after each eviction, with its date, in date order: a
    /// container's clock is the one in force when it was last used.
    clocks: Vec<(f64, f64)>,
}

pub fn make(build: &Build) -> Box<dyn Eviction> {
    Box::new(GreedyDual {
        cost: build.service.container_startup,
        clocks: Vec::new(),
    })
}

impl GreedyDual {
    /// The clock in force at `date`.
    fn clock_at(&self, date: f64) -> f64 {
        let after = self.clocks.partition_point(|(d, _)| *d <= date);
        after.checked_sub(1).map_or(0.0, |i| self.clocks[i].1)
    }

    fn priority(&self, c: &Container) -> f64 {
        // An idle container was last used when it went idle.
        self.clock_at(c.idle_since) + f64::from(c.uses) * self.cost / (c.ram + c.extra_ram).max(1.0)
    }
}

impl Eviction for GreedyDual {
    fn victims(&mut self, state: &ServiceState, candidates: &mut Containers, need: Need, victims: &mut Containers) {
        let first = victims.len();
        take_lowest(state, candidates, need, victims, |c| self.priority(c));
        let chosen = &victims[first..];
        let freed = |f: fn(&Container) -> f64| chosen.iter().map(|c| f(&state.containers[c.index()])).sum::<f64>();
        // The service applies the choice only if it covers the need: the
        // clock moves only then.
        if freed(|c| c.ram) >= need.ram && freed(|c| c.disk) >= need.disk {
            if let Some(last) = chosen.last() {
                let clock = self.priority(&state.containers[last.index()]);
                self.clocks.push((need.now, clock));
            }
        }
    }
}

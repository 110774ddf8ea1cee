//! Least recently used: the container idle the longest goes first (the
//! oldest created on a tie), until the need is covered (WRENCH's default).

use super::super::Build;
use super::{Containers, Eviction, Need};
use crate::serverless::ids::ContainerId;
use crate::serverless::state::ServiceState;

pub struct Lru;

pub fn make(_build: &Build) -> Box<dyn Eviction> {
    Box::new(Lru)
}

impl Eviction for Lru {
    fn victims(&mut self, state: &ServiceState, candidates: &mut Containers, need: Need, victims: &mut Containers) {
        let (mut d_ram, mut d_disk) = (need.ram, need.disk);
        // The minimum taken out each time, as few are usually needed (a
        // sort is wasted then).
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
}

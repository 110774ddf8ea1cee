//! By size: the smallest container that covers the whole need goes; when
//! none does, the largest, and again until the need is covered. Sizes are
//! RAM while RAM is missing, else disk (WRENCH's `ram` eviction).

use super::super::Build;
use super::{Containers, Eviction, Need};
use crate::serverless::state::ServiceState;

pub struct Ram;

pub fn make(_build: &Build) -> Box<dyn Eviction> {
    Box::new(Ram)
}

impl Eviction for Ram {
    fn victims(&mut self, state: &ServiceState, candidates: &mut Containers, need: Need, victims: &mut Containers) {
        let (mut d_ram, mut d_disk) = (need.ram, need.disk);
        let by_ram = d_ram > 0.0;
        candidates.sort_by(|a, b| {
            let (x, y) = (&state.containers[a.index()], &state.containers[b.index()]);
            let (p, q) = if by_ram { (x.ram, y.ram) } else { (x.disk, y.disk) };
            p.total_cmp(&q).then(x.created.cmp(&y.created))
        });
        while (d_ram > 0.0 || d_disk > 0.0) && !candidates.is_empty() {
            let pick = candidates
                .iter()
                .position(|c| state.containers[c.index()].ram >= d_ram && state.containers[c.index()].disk >= d_disk)
                .unwrap_or(candidates.len() - 1);
            let c = candidates.remove(pick);
            d_ram -= state.containers[c.index()].ram;
            d_disk -= state.containers[c.index()].disk;
            victims.push(c);
        }
    }
}

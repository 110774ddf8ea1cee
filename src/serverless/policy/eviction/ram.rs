//! By size: the smallest container that covers the whole need goes (with
//! what it frees, as the [`Cover`] counts it); when none does, the
//! largest, and again until the need is covered. Sizes are RAM while RAM
//! is missing, else disk (WRENCH's `ram` eviction).

use super::super::Build;
use super::{Containers, Cover, Eviction};
use crate::serverless::state::ServiceState;

pub struct Ram;

pub fn make(_build: &Build) -> Box<dyn Eviction> {
    Box::new(Ram)
}

impl Eviction for Ram {
    fn victims(
        &mut self,
        state: &ServiceState,
        candidates: &mut Containers,
        cover: &mut Cover,
        victims: &mut Containers,
    ) {
        let by_ram = cover.lacks_ram();
        candidates.sort_by(|a, b| {
            let (x, y) = (&state.containers[a.index()], &state.containers[b.index()]);
            let (p, q) = if by_ram { (x.ram, y.ram) } else { (x.disk, y.disk) };
            p.total_cmp(&q).then(x.created.cmp(&y.created))
        });
        while !cover.covered() && !candidates.is_empty() {
            let pick = candidates
                .iter()
                .position(|c| cover.covered_with(&state.containers[c.index()]))
                .unwrap_or(candidates.len() - 1);
            let c = candidates.remove(pick);
            cover.take(&state.containers[c.index()]);
            victims.push(c);
        }
    }
}

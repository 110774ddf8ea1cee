//! Least recently used: the container idle the longest goes first (the
//! oldest created on a tie), until the need is covered (WRENCH's default).

use super::super::Build;
use super::{Containers, Cover, Eviction, take_lowest};
use crate::serverless::state::ServiceState;

pub struct Lru;

pub fn make(_build: &Build) -> Box<dyn Eviction> {
    Box::new(Lru)
}

impl Eviction for Lru {
    fn victims(
        &mut self,
        state: &ServiceState,
        candidates: &mut Containers,
        cover: &mut Cover,
        victims: &mut Containers,
    ) {
        take_lowest(state, candidates, cover, victims, |c| c.idle_since);
    }
}

//! Least recently used: the container idle the longest goes first (the
//! oldest created on a tie), until the need is covered (WRENCH's default).

use super::super::Build;
use super::{Containers, Eviction, Need, take_lowest};
use crate::serverless::state::ServiceState;

pub struct Lru;

pub fn make(_build: &Build) -> Box<dyn Eviction> {
    Box::new(Lru)
}

impl Eviction for Lru {
    fn victims(&mut self, state: &ServiceState, candidates: &mut Containers, need: Need, victims: &mut Containers) {
        take_lowest(state, candidates, need, victims, |c| c.idle_since);
    }
}

//! FaasCache's SIZE variant (Fuerst & Sharma, "FaasCache: keeping serverless
//! computing alive with greedy-dual caching", ASPLOS'21, §4): the idle
//! container holding the most RAM goes first, until the need is covered.

use super::super::Build;
use super::{Containers, Eviction, Need, take_lowest};
use crate::serverless::state::ServiceState;

pub struct Size;

pub fn make(_build: &Build) -> Box<dyn Eviction> {
    Box::new(Size)
}

impl Eviction for Size {
    fn victims(&mut self, state: &ServiceState, candidates: &mut Containers, need: Need, victims: &mut Containers) {
        take_lowest(state, candidates, need, victims, |c| -(c.ram + c.extra_ram));
    }
}

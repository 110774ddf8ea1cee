//! FaasCache's FREQ variant (Fuerst & Sharma, ASPLOS'21, §4): the idle
//! container that served the fewest invocations goes first (least
//! frequently used), until the need is covered.

use super::super::Build;
use super::{Containers, Eviction, Need, take_lowest};
use crate::serverless::state::ServiceState;

pub struct Freq;

pub fn make(_build: &Build) -> Box<dyn Eviction> {
    Box::new(Freq)
}

impl Eviction for Freq {
    fn victims(&mut self, state: &ServiceState, candidates: &mut Containers, need: Need, victims: &mut Containers) {
        take_lowest(state, candidates, need, victims, |c| c.uses);
    }
}

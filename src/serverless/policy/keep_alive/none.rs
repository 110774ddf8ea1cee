//! No keep-alive: a container is shut down as soon as it is idle, so that
//! every invocation that does not find a busy container's end in time
//! starts cold (the lower bound of memory use, the upper bound of cold
//! starts in keep-alive studies).

use crate::serverless::ids::RegId;

use super::{Idle, KeepAlive};

pub struct NoKeepAlive;

pub fn make(_params: &[f64]) -> Box<dyn KeepAlive> {
    Box::new(NoKeepAlive)
}

impl KeepAlive for NoKeepAlive {
    fn hears_arrivals(&self) -> bool {
        false
    }

    fn keep_for(&mut self, _idle: &Idle) -> f64 {
        0.0
    }

    fn keeps(&self, _reg: RegId) -> bool {
        false
    }

    fn fixed_window(&self) -> Option<f64> {
        Some(0.0)
    }
}

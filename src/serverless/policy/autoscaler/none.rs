//! No autoscaling: containers start only for waiting invocations (and
//! `prewarm`), as in WRENCH's service.

use super::super::Build;
use super::{Autoscaler, Load, Scale};

pub struct NoAutoscaler;

pub fn make(_build: &Build) -> Box<dyn Autoscaler> {
    Box::new(NoAutoscaler)
}

impl Autoscaler for NoAutoscaler {
    fn scale(&mut self, _load: &Load, _out: &mut Scale) {}

    /// Never asked: nothing to settle.
    fn settles_within(&self) -> f64 {
        0.0
    }

    fn decides(&self) -> bool {
        false
    }
}

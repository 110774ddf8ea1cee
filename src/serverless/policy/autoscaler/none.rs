//! No autoscaling: containers start only for waiting invocations (and
//! `prewarm`), as in WRENCH's service.

use super::super::Build;
use super::super::placement::View;
use super::{Autoscaler, Scale};

pub struct NoAutoscaler;

pub fn make(_build: &Build) -> Box<dyn Autoscaler> {
    Box::new(NoAutoscaler)
}

impl Autoscaler for NoAutoscaler {
    fn scale(&mut self, _view: &View, _out: &mut Scale) {}
}

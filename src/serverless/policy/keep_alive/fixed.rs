//! The fixed window: every idle container stays `idle_timeout` seconds
//! (WRENCH's service, OpenWhisk's 10 minutes, Azure's 20 in 2019); none
//! stays when it is 0.

use crate::serverless::ids::RegId;

use super::super::Build;
use super::{Idle, KeepAlive};

pub struct Fixed {
    idle_timeout: f64,
}

pub fn make(build: &Build) -> Box<dyn KeepAlive> {
    Box::new(Fixed {
        idle_timeout: build.service.idle_timeout,
    })
}

impl KeepAlive for Fixed {
    fn keep_for(&mut self, _idle: &Idle) -> f64 {
        self.idle_timeout
    }

    fn keeps(&self, _reg: RegId) -> bool {
        self.idle_timeout > 0.0
    }
}

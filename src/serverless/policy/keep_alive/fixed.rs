//! The fixed window: every idle container stays `idle_timeout` seconds
//! (WRENCH's service, OpenWhisk's 10 minutes, Azure's 20 in 2019); none
//! stays when it is 0.

use crate::serverless::ids::RegId;

use super::{Idle, KeepAlive};

pub struct Fixed {
    window: f64,
}

/// `fixed(window)`.
pub fn make(params: &[f64]) -> Box<dyn KeepAlive> {
    Box::new(Fixed { window: params[0] })
}

impl KeepAlive for Fixed {
    fn hears_arrivals(&self) -> bool {
        false
    }

    fn keep_for(&mut self, _idle: &Idle) -> f64 {
        self.window
    }

    fn keeps(&self, _reg: RegId) -> bool {
        self.window > 0.0
    }

    fn fixed_window(&self) -> Option<f64> {
        Some(self.window)
    }
}

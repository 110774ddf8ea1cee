//! What an autoscaler did, per function and per service: how often it
//! scaled up (an ask that started containers) and down (an ask that shut
//! idle ones down or cancelled starts), how often it entered a panic mode
//! (Knative's KPA), and the containers it started and shut down. Its
//! containers also count as prewarms in the keep-alive block (`prewarms`,
//! `prewarms_used` when they served an invocation).

use serde::{Deserialize, Serialize};

use super::record::Names;
use super::summary::Summary;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AutoscalerUse {
    pub scale_ups: u64,
    pub scale_downs: u64,
    pub panics: u64,
    pub started: u64,
    pub stopped: u64,
}

impl AutoscalerUse {
    pub fn add(&mut self, other: &AutoscalerUse) {
        self.scale_ups += other.scale_ups;
        self.scale_downs += other.scale_downs;
        self.panics += other.panics;
        self.started += other.started;
        self.stopped += other.stopped;
    }
}

impl Summary {
    /// Adds what the autoscalers did per registration (indexed like
    /// `names.functions`; `None` for a function of a service without
    /// one) to the parts of its function and its service.
    pub fn add_autoscaling(&mut self, names: &Names, by_function: &[Option<AutoscalerUse>]) {
        let mut services: Vec<Option<AutoscalerUse>> = vec![None; names.services.len()];
        for (i, usage) in by_function.iter().enumerate() {
            let (Some(usage), Some(&s)) = (usage, names.function_services.get(i)) else {
                continue;
            };
            if let Some(total) = services.get_mut(s as usize) {
                total.get_or_insert_default().add(usage);
            }
        }
        for part in &mut self.functions {
            part.autoscaler = part
                .registrations
                .iter()
                .filter_map(|r| by_function.get(*r).copied().flatten())
                .reduce(|mut total, usage| {
                    total.add(&usage);
                    total
                });
        }
        for part in &mut self.services {
            part.autoscaler = names
                .services
                .iter()
                .position(|s| *s == part.name)
                .and_then(|s| services[s]);
        }
    }
}

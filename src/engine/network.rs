//! SimGrid's CM02-family flow model: how a route turns into latency, sharing weight, bound and load.

use super::platform::Platform;

/// Parameters of the flow-level network model (SimGrid's `network_cm02`).
///
/// A flow first waits `latency_factor` x its route latency, then joins the
/// sharing. The solver allots it a value x, bounded by the smallest link
/// bandwidth on the route and by `tcp_gamma / (2 x route latency)`; the flow
/// progresses at `bandwidth_factor` x x. Its share is weighted by 1/penalty,
/// penalty = route latency + Σ `weight_s` / link bandwidth (1 for a route
/// without latency). It also loads the reverse route at `crosstraffic` x x.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NetworkModel {
    /// Multiplies the route latency paid before the flow starts.
    pub latency_factor: f64,
    /// Fraction of the allotted bandwidth a flow achieves.
    pub bandwidth_factor: f64,
    /// Payload size (bytes) used to weigh bandwidth into the RTT penalty.
    pub weight_s: f64,
    /// TCP window (bytes) bounding a flow to gamma / (2 x latency); 0 disables.
    pub tcp_gamma: f64,
    /// Load a flow puts on its reverse route, per unit of rate; 0 disables.
    pub crosstraffic: f64,
}

impl NetworkModel {
    /// SimGrid's `network/model:raw`: no correction factors at all.
    pub const RAW: NetworkModel = NetworkModel {
        latency_factor: 1.0,
        bandwidth_factor: 1.0,
        weight_s: 0.0,
        tcp_gamma: 0.0,
        crosstraffic: 0.0,
    };

    /// SimGrid's default model, LV08, with cross-traffic on (the default host model's setting).
    pub const LV08: NetworkModel = NetworkModel {
        latency_factor: 13.01,
        bandwidth_factor: 0.97,
        weight_s: 20537.0,
        tcp_gamma: 4_194_304.0,
        crosstraffic: 0.05,
    };
}

/// Bandwidth of the implicit loopback a host uses to reach itself without a
/// declared route: SimGrid's `network/loopback-bw` default (10 GB/s, no
/// latency, FATPIPE: each flow gets it whole, flows do not share it).
pub const LOOPBACK_BANDWIDTH: f64 = 10e9;

impl Default for NetworkModel {
    fn default() -> Self {
        Self::LV08
    }
}

/// One direction of a route, ready for the solver.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Path {
    start: u32,
    end: u32,
    /// Seconds before the flow joins the sharing (latency x latency factor).
    pub delay: f64,
    /// Sharing weight, 1 / penalty.
    pub weight: f64,
    /// Upper bound on the solver's value (infinite when none).
    pub bound: f64,
}

/// Solver-ready form of every declared route, both directions.
#[derive(Debug)]
pub(crate) struct Paths {
    paths: Vec<Path>,
    loads: Vec<(u32, f64)>,
    /// Achieved rate per unit of solver value.
    pub factor: f64,
}

impl Paths {
    /// Derives both directions of every route of `platform` under its model.
    pub fn new(platform: &Platform) -> Self {
        let model = platform.network_model();
        let links = platform.links();
        let mut paths = Vec::with_capacity(platform.routes().len() * 2);
        let mut loads = Vec::new();
        for route in platform.routes() {
            for reversed in [false, true] {
                let start = loads.len() as u32;
                let ordered: Vec<_> = if reversed {
                    route.links.iter().rev().map(|l| &links[l.index()]).collect()
                } else {
                    route.links.iter().map(|l| &links[l.index()]).collect()
                };
                let forward = |l: &super::platform::Link| if reversed { l.down } else { l.up };
                let backward = |l: &super::platform::Link| if reversed { l.up } else { l.down };
                for l in &ordered {
                    add_load(&mut loads, start, forward(l), 1.0);
                }
                if model.crosstraffic > 0.0 {
                    for l in ordered.iter().rev() {
                        add_load(&mut loads, start, backward(l), model.crosstraffic);
                    }
                }
                let latency: f64 = ordered.iter().map(|l| l.latency).sum();
                let mut bound = ordered.iter().map(|l| l.bandwidth).fold(f64::INFINITY, f64::min);
                let penalty = if latency > 0.0 {
                    if model.tcp_gamma > 0.0 {
                        bound = bound.min(model.tcp_gamma / (2.0 * latency));
                    }
                    ordered.iter().fold(latency, |p, l| p + model.weight_s / l.bandwidth)
                } else {
                    // SimGrid creates a latency-free flow with penalty 1 and
                    // never applies the weight-S term to it.
                    1.0
                };
                paths.push(Path {
                    start,
                    end: loads.len() as u32,
                    delay: latency * model.latency_factor,
                    weight: 1.0 / penalty,
                    bound,
                });
            }
        }
        Paths {
            paths,
            loads,
            factor: model.bandwidth_factor,
        }
    }

    /// The path for a route reference, in the requested direction.
    pub fn path(&self, route: u32, reversed: bool) -> Path {
        self.paths[route as usize * 2 + usize::from(reversed)]
    }

    /// (capacity index, load per unit of solver value) for every capacity the path uses.
    pub fn loads(&self, path: &Path) -> &[(u32, f64)] {
        &self.loads[path.start as usize..path.end as usize]
    }
}

/// Adds `amount` on capacity `cnst`, merging with an earlier entry of the same path.
fn add_load(loads: &mut Vec<(u32, f64)>, start: u32, cnst: u32, amount: f64) {
    match loads[start as usize..].iter_mut().find(|(c, _)| *c == cnst) {
        Some((_, a)) => *a += amount,
        None => loads.push((cnst, amount)),
    }
}

//! What a service holds over time, when the run is asked for time series
//! (`sls run --timeseries`): per registration its containers by state and
//! the memory they reserve, per node the RAM and disk in use, metered
//! exactly ([`crate::engine::Meter`]: time-weighted means per interval);
//! and every layer transfer as an event. A run not asked keeps `None` in
//! [`super::state::ServiceState::series`] and pays one test per change.

use crate::engine::{Meter, Metered};
use crate::report::parts;
use crate::report::series::{FunctionSeries, LinkSeries, NodeSeries, PullRow, RunSeries};

use super::ids::{NodeId, RegId};
use super::node::Node;
use super::state::ContainerState;
use super::world::World;

/// Quantities per node: RAM in use, disk in use (bytes).
pub const PER_NODE: usize = 2;
/// Quantities per registration, in this order.
pub const PER_REG: usize = 5;
/// Offsets within a registration's quantities.
pub const STARTING: usize = 0;
pub const BUSY: usize = 1;
pub const IDLE: usize = 2;
/// Bytes of memory reserved by its containers (their limits), and by its
/// idle ones.
pub const RESERVED: usize = 3;
pub const IDLE_MEMORY: usize = 4;

/// What a layer transfer moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PullKind {
    /// From the image's storage to the service's head.
    Download,
    /// From the head's disk to a node's disk.
    Copy,
    /// From a node's disk into its RAM.
    Load,
}

impl PullKind {
    pub fn name(self) -> &'static str {
        match self {
            PullKind::Download => "download",
            PullKind::Copy => "copy",
            PullKind::Load => "load",
        }
    }
}

/// One layer transfer, from its start to its end.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pull {
    pub kind: PullKind,
    pub layer: u32,
    /// The node it went to; `None` for a download (to the head).
    pub node: Option<NodeId>,
    pub start: f64,
    pub end: f64,
    /// Whether it completed (a failure cut it short otherwise).
    pub done: bool,
}

/// The series of one service.
#[derive(Debug, Clone)]
pub struct ServiceSeries {
    meter: Meter,
    nodes: usize,
    pub pulls: Vec<Pull>,
}

/// What the series of one service measured.
#[derive(Debug, Clone)]
pub struct ServiceMetered {
    pub metered: Metered,
    /// Its compute nodes, in its node order.
    pub nodes: usize,
    pub pulls: Vec<Pull>,
}

impl ServiceMetered {
    /// Node `node`'s quantity `offset` over interval `k`.
    pub fn node(&self, k: usize, node: usize, offset: usize) -> f64 {
        self.metered.mean(k, node * PER_NODE + offset)
    }

    /// Registration `reg`'s quantity `offset` over interval `k` (0 for a
    /// registration of another service).
    pub fn reg(&self, k: usize, reg: usize, offset: usize) -> f64 {
        self.metered.mean(k, self.nodes * PER_NODE + reg * PER_REG + offset)
    }
}

impl ServiceSeries {
    pub fn new(interval: f64, nodes: usize, kept: u64) -> Self {
        ServiceSeries {
            meter: Meter::new(interval, nodes * PER_NODE).keeping(kept),
            nodes,
            pulls: Vec::new(),
        }
    }

    fn reg_index(&mut self, reg: RegId, offset: usize) -> usize {
        let base = self.nodes * PER_NODE + reg.index() * PER_REG;
        self.meter.ensure(base + PER_REG);
        base + offset
    }

    /// A container of `reg` reserving `ram` moves from state `from` to `to`
    /// at `now` (`None`: not yet, or no longer, a container).
    pub fn container(
        &mut self,
        now: f64,
        reg: RegId,
        ram: f64,
        from: Option<ContainerState>,
        to: Option<ContainerState>,
    ) {
        for (state, sign) in [(from, -1.0), (to, 1.0)] {
            let offset = match state {
                Some(ContainerState::Prewarming) => STARTING,
                Some(ContainerState::Busy) => BUSY,
                Some(ContainerState::Idle) => IDLE,
                Some(ContainerState::Gone) | None => {
                    let i = self.reg_index(reg, RESERVED);
                    self.meter.add(now, i, -sign * ram);
                    continue;
                }
            };
            let i = self.reg_index(reg, offset);
            self.meter.add(now, i, sign);
            if offset == IDLE {
                let i = self.reg_index(reg, IDLE_MEMORY);
                self.meter.add(now, i, sign * ram);
            }
        }
    }

    /// The RAM and disk in use on every node from `now` on.
    pub fn nodes(&mut self, now: f64, nodes: &[Node]) {
        for (k, n) in nodes.iter().enumerate() {
            self.meter.set(now, k * PER_NODE, n.ram_capacity - n.ram_free);
            self.meter.set(now, k * PER_NODE + 1, n.disk_capacity - n.disk_free);
        }
    }

    /// Everything measured, the last interval cut at `end`.
    pub fn finish(self, end: f64) -> ServiceMetered {
        ServiceMetered {
            metered: self.meter.finish(end),
            nodes: self.nodes,
            pulls: self.pulls,
        }
    }
}

/// The series of a run, labelled for the report: capacities' loads from
/// `loads` (the engine's), containers and nodes from `services`.
pub fn run_series(world: &World, loads: &Metered, services: &[ServiceMetered]) -> RunSeries {
    let intervals = loads.len();
    let seconds: Vec<f64> = (0..intervals).map(|k| loads.seconds(k)).collect();
    let per_interval = |f: &dyn Fn(usize) -> f64| -> Vec<f64> { (0..intervals).map(f).collect() };
    let platform = world.engine.platform();
    let registry = &world.registry.all;
    // A function's registrations (one per memory it is invoked with) are
    // one function's rows, their quantities summed.
    let functions = parts::by_function(registry.iter().map(|reg| (reg.service.0, reg.name.as_str())))
        .into_iter()
        .map(|registrations| {
            let reg = &registry[registrations[0]];
            let s = &services[reg.service.index()];
            let of = |offset: usize| {
                per_interval(&|k| {
                    parts::sum(&registrations, |r| s.reg(k, r, offset), |total, v| *total += v).unwrap_or(0.0)
                })
            };
            FunctionSeries {
                name: reg.name.clone(),
                service: reg.service.0,
                starting: of(STARTING),
                busy: of(BUSY),
                idle: of(IDLE),
                reserved: of(RESERVED),
                idle_memory: of(IDLE_MEMORY),
                registrations,
            }
        })
        .collect();
    let mut nodes = Vec::new();
    for (s, metered) in services.iter().enumerate() {
        for (k, place) in world.settings[s].nodes.iter().enumerate() {
            let host = &platform.hosts()[place.host.index()];
            let flops = host.speed * f64::from(host.cores);
            nodes.push(NodeSeries {
                service: s as u32,
                host: host.name.clone(),
                cpu: per_interval(&|i| loads.mean(i, host.cpu as usize) / flops),
                ram: per_interval(&|i| metered.node(i, k, 0)),
                disk: per_interval(&|i| metered.node(i, k, 1)),
            });
        }
    }
    let links = platform
        .links()
        .iter()
        .map(|l| {
            let (up, down) = (l.up as usize, l.down as usize);
            // A shared link's two directions are one capacity.
            let both = |i: usize| (loads.mean(i, up), if down == up { 0.0 } else { loads.mean(i, down) });
            LinkSeries {
                name: l.name.clone(),
                bytes: per_interval(&|i| {
                    let (a, b) = both(i);
                    (a + b) * seconds[i]
                }),
                utilisation: per_interval(&|i| {
                    let (a, b) = both(i);
                    a.max(b) / l.bandwidth
                }),
            }
        })
        .collect();
    let model = world.model;
    let registry = &world.registry;
    let pulls = services
        .iter()
        .enumerate()
        .flat_map(|(s, metered)| {
            metered.pulls.iter().map(move |p| {
                let settings = &world.settings[s];
                let host = p.node.map_or(settings.head_host, |n| settings.nodes[n.index()].host);
                let layer = p.layer as usize;
                let images: Vec<&str> = registry.images_of_layer[layer]
                    .iter()
                    .map(|i| model.images[i.0 as usize].name.as_str())
                    .collect();
                PullRow {
                    service: s as u32,
                    kind: p.kind.name(),
                    layer: model.layers[layer].name.clone(),
                    images: images.join("+"),
                    host: platform.hosts()[host.index()].name.clone(),
                    start: p.start,
                    end: p.end,
                    bytes: match p.kind {
                        PullKind::Load => registry.layer_ram[layer],
                        _ => registry.layer_size[layer],
                    },
                    done: p.done,
                }
            })
        })
        .collect();
    RunSeries {
        interval: loads.interval,
        seconds,
        functions,
        services: model.services.iter().map(|s| s.name.clone()).collect(),
        nodes,
        links,
        pulls,
    }
}

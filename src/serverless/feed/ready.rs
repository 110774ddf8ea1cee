//! A replay's arrivals made ready on its trace's reading thread: each row's
//! registration, whether it fits a node, and its invocation's seed are pure
//! functions of the trace, the run's seed and what was registered before
//! the run, so the simulation thread only takes them, in order.

use crate::ir::platform::Host;
use crate::serverless::ids::RegId;
use crate::serverless::registry::Registry;
use crate::workload::Payloads;
use crate::workload::trace::{Make, TraceArrival};

use super::mix;

/// One arrival of a replay, ready for its service.
#[derive(Debug, Clone, Copy)]
pub(super) struct ReadyArrival {
    /// Seconds since the start of the replay.
    pub time: f64,
    pub reg: RegId,
    /// The first arrival of a function whose RAM limit comes with it: the
    /// registration's limit becomes this arrival's memory.
    pub sets_ram: bool,
    pub admit: Admit,
    /// The trace row's `trace.` fields and payload sizes.
    pub duration: Option<f64>,
    pub memory: Option<f64>,
    pub payloads: Payloads,
}

/// What becomes of an arrival.
#[derive(Debug, Clone, Copy)]
pub(super) enum Admit {
    /// Its invocation runs, with the seed of its draws.
    Run { seed: u64 },
    /// Its function can never fit a node: it fails at once.
    CannotFit,
}

/// Whether a trace function fits a node of its service.
#[derive(Debug, Clone, Copy)]
pub(super) enum Fit {
    Yes,
    No,
    /// Its RAM limit comes with its first arrival; the rest of what it
    /// needs of a node is known.
    Unknown(Need),
}

/// What a registration takes of a node besides its RAM limit: its image's
/// disk with its own, and its image's RAM.
#[derive(Debug, Clone, Copy)]
pub(super) struct Need {
    disk: f64,
    image_ram: f64,
}

impl Need {
    pub fn of(registry: &Registry, reg: RegId) -> Need {
        let r = registry.get(reg);
        let (image_disk, image_ram) = registry.image_footprint(r.image);
        Need {
            disk: image_disk + r.disk,
            image_ram,
        }
    }

    /// Whether a node with `room` holds it with `ram` as its RAM limit.
    pub fn fits(self, ram: f64, room: Room) -> bool {
        self.disk <= room.disk && self.image_ram + ram <= room.ram
    }
}

/// A node's first disk and its RAM, in bytes.
#[derive(Debug, Clone, Copy)]
pub(super) struct Room {
    disk: f64,
    ram: f64,
}

impl Room {
    pub fn of(host: &Host) -> Room {
        Room {
            disk: host.disks[0].size,
            ram: host.ram,
        }
    }
}

/// Makes a replay's arrivals ready: run on its reading thread, it keeps
/// what each function's first arrival decided and the count of invocations
/// issued, as the simulation thread did.
pub(super) struct Maker {
    /// Registration of each trace function, and whether it fits a node.
    regs: Vec<(RegId, Fit)>,
    /// The nodes of the replay's service.
    room: Room,
    /// The run's seed mixed with the replay's key.
    base: u64,
    /// Invocations issued so far (arrivals that fit).
    issued: u64,
}

impl Maker {
    pub fn new(regs: Vec<(RegId, Fit)>, room: Room, base: u64) -> Maker {
        Maker {
            regs,
            room,
            base,
            issued: 0,
        }
    }
}

impl Make for Maker {
    type Ready = ReadyArrival;

    /// The arrival made ready; `None` for a function outside the trace's
    /// table (a reader never gives one).
    #[inline]
    fn make(&mut self, arrival: TraceArrival) -> Option<ReadyArrival> {
        let (reg, fit) = self.regs.get_mut(arrival.function as usize)?;
        let sets_ram = match *fit {
            Fit::Unknown(need) => {
                *fit = if need.fits(arrival.memory.unwrap_or(0.0), self.room) {
                    Fit::Yes
                } else {
                    Fit::No
                };
                true
            }
            _ => false,
        };
        let admit = match fit {
            Fit::No => Admit::CannotFit,
            _ => {
                self.issued += 1;
                Admit::Run {
                    seed: mix(self.base, self.issued),
                }
            }
        };
        Some(ReadyArrival {
            time: arrival.time,
            reg: *reg,
            sets_ram,
            admit,
            duration: arrival.duration,
            memory: arrival.memory,
            payloads: arrival.payloads,
        })
    }
}

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

/// One arrival of a replay, ready for its service. Packed in 56 bytes
/// (its fields as `Option`s took 96, a line and a half): the simulation
/// thread reads each arrival once, on lines the reading thread wrote, so
/// every line an arrival spans is a cache miss there. Each `Option` is a
/// value and a bit of `flags`; [`ReadyArrival::new`] and the accessors are
/// the only code that knows the packing.
#[derive(Debug, Clone, Copy)]
pub(super) struct ReadyArrival {
    /// Seconds since the start of the replay.
    pub time: f64,
    /// The seed of its invocation's draws ([`Admit::Run`]); 0 when it
    /// cannot fit.
    seed: u64,
    /// The trace row's `trace.` fields and payload sizes, each valid when
    /// its bit of `flags` is set.
    duration: f64,
    memory: f64,
    request: f64,
    response: f64,
    pub reg: RegId,
    flags: u8,
}

// A line and a bit at most, not two.
const _: () = assert!(std::mem::size_of::<ReadyArrival>() <= 56);

/// The bits of [`ReadyArrival::flags`].
const HAS_DURATION: u8 = 1;
const HAS_MEMORY: u8 = 1 << 1;
const HAS_REQUEST: u8 = 1 << 2;
const HAS_RESPONSE: u8 = 1 << 3;
/// The first arrival of a function whose RAM limit comes with it: the
/// registration's limit becomes this arrival's memory.
const SETS_RAM: u8 = 1 << 4;
/// Its function can never fit a node ([`Admit::CannotFit`]).
const CANNOT_FIT: u8 = 1 << 5;

/// `value`'s number (0 if none) and `bit` if it has one.
fn packed(value: Option<f64>, bit: u8) -> (f64, u8) {
    value.map_or((0.0, 0), |v| (v, bit))
}

impl ReadyArrival {
    /// The arrival of trace row `arrival`, for `reg`.
    pub fn new(arrival: &TraceArrival, reg: RegId, sets_ram: bool, admit: Admit) -> ReadyArrival {
        let (duration, has_duration) = packed(arrival.duration, HAS_DURATION);
        let (memory, has_memory) = packed(arrival.memory, HAS_MEMORY);
        let (request, has_request) = packed(arrival.payloads.request, HAS_REQUEST);
        let (response, has_response) = packed(arrival.payloads.response, HAS_RESPONSE);
        let (seed, cannot_fit) = match admit {
            Admit::Run { seed } => (seed, 0),
            Admit::CannotFit => (0, CANNOT_FIT),
        };
        let sets_ram = if sets_ram { SETS_RAM } else { 0 };
        ReadyArrival {
            time: arrival.time,
            seed,
            duration,
            memory,
            request,
            response,
            reg,
            flags: has_duration | has_memory | has_request | has_response | sets_ram | cannot_fit,
        }
    }

    #[inline]
    fn value(&self, value: f64, bit: u8) -> Option<f64> {
        (self.flags & bit != 0).then_some(value)
    }

    /// The first arrival of a function whose RAM limit comes with it: the
    /// registration's limit becomes this arrival's memory.
    #[inline]
    pub fn sets_ram(&self) -> bool {
        self.flags & SETS_RAM != 0
    }

    #[inline]
    pub fn admit(&self) -> Admit {
        if self.flags & CANNOT_FIT != 0 {
            Admit::CannotFit
        } else {
            Admit::Run { seed: self.seed }
        }
    }

    #[inline]
    pub fn duration(&self) -> Option<f64> {
        self.value(self.duration, HAS_DURATION)
    }

    #[inline]
    pub fn memory(&self) -> Option<f64> {
        self.value(self.memory, HAS_MEMORY)
    }

    #[inline]
    pub fn payloads(&self) -> Payloads {
        Payloads {
            request: self.value(self.request, HAS_REQUEST),
            response: self.value(self.response, HAS_RESPONSE),
        }
    }
}

/// What becomes of an arrival.
#[derive(Debug, Clone, Copy, PartialEq)]
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
        Some(ReadyArrival::new(&arrival, *reg, sets_ram, admit))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value of a row, present or not, and what becomes of it, read
    /// back as it was packed.
    #[test]
    fn an_arrival_reads_back_what_it_was_made_of() {
        let some = |present: bool, v: f64| present.then_some(v);
        for bits in 0..64u32 {
            let has = |i: u32| bits & (1 << i) != 0;
            let arrival = TraceArrival {
                time: 12.5,
                function: 3,
                duration: some(has(0), 0.25),
                memory: some(has(1), 0.0),
                payloads: Payloads {
                    request: some(has(2), -1.0),
                    response: some(has(3), 7e9),
                },
            };
            let admit = if has(5) {
                Admit::CannotFit
            } else {
                Admit::Run {
                    seed: u64::MAX - u64::from(bits),
                }
            };
            let ready = ReadyArrival::new(&arrival, RegId(9), has(4), admit);
            assert_eq!(ready.time, arrival.time);
            assert_eq!(ready.reg, RegId(9));
            assert_eq!(ready.duration(), arrival.duration, "bits {bits:b}");
            assert_eq!(ready.memory(), arrival.memory, "bits {bits:b}");
            assert_eq!(ready.payloads(), arrival.payloads, "bits {bits:b}");
            assert_eq!(ready.sets_ram(), has(4), "bits {bits:b}");
            assert_eq!(ready.admit(), admit, "bits {bits:b}");
        }
    }
}

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

/// One item of a replay's arrivals, ready for its service: an arrival, or
/// the payload sizes of the arrival just before it (most traces have
/// none). Packed in 40 bytes, eight items in five cache lines (with both
/// payload sizes in every arrival it took 56, a line less an eighth): the
/// simulation thread reads each arrival once, on lines the reading thread
/// wrote, so every line is a cache miss there. Each `Option` is a value
/// and a bit of `flags`; [`ReadyArrival::push`] and the accessors are the
/// only code that knows the packing.
#[derive(Debug, Clone, Copy)]
pub(super) struct ReadyArrival {
    /// Seconds since the start of the replay.
    pub time: f64,
    /// The seed of its invocation's draws ([`Admit::Run`]); 0 when it
    /// cannot fit.
    seed: u64,
    /// An arrival's `trace.duration` and `trace.memory`; a payload item's
    /// request and response sizes. Each valid when its bit of `flags`
    /// ([`FIRST`], [`SECOND`]) is set.
    values: [f64; 2],
    pub reg: RegId,
    flags: u8,
}

// Eight items in five lines, not seven.
const _: () = assert!(std::mem::size_of::<ReadyArrival>() <= 40);

/// The bits of [`ReadyArrival::flags`]: which of `values` are present.
const FIRST: u8 = 1;
const SECOND: u8 = 1 << 1;
/// The first arrival of a function whose RAM limit comes with it: the
/// registration's limit becomes this arrival's memory.
const SETS_RAM: u8 = 1 << 2;
/// Its function can never fit a node ([`Admit::CannotFit`]).
const CANNOT_FIT: u8 = 1 << 3;
/// An arrival with payload sizes: the next item holds them.
const HAS_PAYLOADS: u8 = 1 << 4;
/// Not an arrival: the payload sizes of the arrival before.
const PAYLOADS: u8 = 1 << 5;

/// Two optional values as numbers (0 if none) and their [`FIRST`] and
/// [`SECOND`] bits.
fn packed(first: Option<f64>, second: Option<f64>) -> ([f64; 2], u8) {
    let bit = |value: Option<f64>, bit: u8| if value.is_some() { bit } else { 0 };
    (
        [first.unwrap_or(0.0), second.unwrap_or(0.0)],
        bit(first, FIRST) | bit(second, SECOND),
    )
}

impl ReadyArrival {
    /// Pushes the items of trace row `arrival`, for `reg`, onto `items`:
    /// the arrival, then its payload sizes if it has any.
    pub fn push(arrival: &TraceArrival, reg: RegId, sets_ram: bool, admit: Admit, items: &mut Vec<ReadyArrival>) {
        let (values, present) = packed(arrival.duration, arrival.memory);
        let (seed, cannot_fit) = match admit {
            Admit::Run { seed } => (seed, 0),
            Admit::CannotFit => (0, CANNOT_FIT),
        };
        let sets_ram = if sets_ram { SETS_RAM } else { 0 };
        let has_payloads = arrival.payloads != Payloads::default();
        items.push(ReadyArrival {
            time: arrival.time,
            seed,
            values,
            reg,
            flags: present | sets_ram | cannot_fit | if has_payloads { HAS_PAYLOADS } else { 0 },
        });
        if has_payloads {
            let (values, present) = packed(arrival.payloads.request, arrival.payloads.response);
            items.push(ReadyArrival {
                time: arrival.time,
                seed: 0,
                values,
                reg,
                flags: PAYLOADS | present,
            });
        }
    }

    #[inline]
    fn value(&self, index: usize, bit: u8) -> Option<f64> {
        (self.flags & bit != 0).then_some(self.values[index])
    }

    /// Whether this item is the payload sizes of the arrival before it,
    /// not an arrival.
    #[inline]
    pub fn is_payloads(&self) -> bool {
        self.flags & PAYLOADS != 0
    }

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
        self.value(0, FIRST)
    }

    #[inline]
    pub fn memory(&self) -> Option<f64> {
        self.value(1, SECOND)
    }

    /// Its payload sizes, from `following`, the item after it (none
    /// without [`HAS_PAYLOADS`]).
    #[inline]
    pub fn payloads(&self, following: Option<&ReadyArrival>) -> Payloads {
        match following {
            Some(sizes) if self.flags & HAS_PAYLOADS != 0 => Payloads {
                request: sizes.value(0, FIRST),
                response: sizes.value(1, SECOND),
            },
            _ => Payloads::default(),
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
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Fit {
    Yes,
    No,
    /// Decided by its first arrival's RAM (its RAM limit comes with it):
    /// the rest of what it needs of a node is its [`Need`].
    AtFirstArrival,
}

/// What a registration takes of a node besides its RAM limit: its image's
/// disk with its own, and its image's RAM.
#[derive(Debug, Clone, Copy)]
pub(super) struct Need {
    disk: f64,
    image_ram: f64,
}

impl Need {
    /// Nothing of a node: what [`Maker`] is given for a function whose fit
    /// is known before the run, and never reads.
    pub const NOTHING: Need = Need {
        disk: 0.0,
        image_ram: 0.0,
    };

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
    /// Registration of each trace function and whether it fits a node,
    /// read at every arrival: 8 bytes a function, so that thousands of
    /// functions stay in a core's cache (with each [`Need`] beside it, 32).
    regs: Vec<(RegId, Fit)>,
    /// What each trace function takes of a node, read at the first arrival
    /// of one whose fit waits for it ([`Fit::AtFirstArrival`]).
    needs: Vec<Need>,
    /// The nodes of the replay's service.
    room: Room,
    /// The run's seed mixed with the replay's key.
    base: u64,
    /// Invocations issued so far (arrivals that fit).
    issued: u64,
}

// Eight bytes a function.
const _: () = assert!(std::mem::size_of::<(RegId, Fit)>() <= 8);

impl Maker {
    /// A maker for trace functions with registrations and fits `regs` and
    /// needs `needs` (both in the trace's function order).
    pub fn new(regs: Vec<(RegId, Fit)>, needs: Vec<Need>, room: Room, base: u64) -> Maker {
        Maker {
            regs,
            needs,
            room,
            base,
            issued: 0,
        }
    }
}

impl Make for Maker {
    type Ready = ReadyArrival;

    /// The arrival made ready; nothing for a function outside the
    /// trace's table (a reader never gives one).
    #[inline]
    fn make(&mut self, arrival: TraceArrival, items: &mut Vec<ReadyArrival>) {
        let f = arrival.function as usize;
        let Some((reg, fit)) = self.regs.get_mut(f) else {
            return;
        };
        let sets_ram = *fit == Fit::AtFirstArrival;
        if sets_ram {
            let fits = self
                .needs
                .get(f)
                .is_some_and(|need| need.fits(arrival.memory.unwrap_or(0.0), self.room));
            *fit = if fits { Fit::Yes } else { Fit::No };
        }
        let admit = match fit {
            Fit::No => Admit::CannotFit,
            Fit::Yes | Fit::AtFirstArrival => {
                self.issued += 1;
                Admit::Run {
                    seed: mix(self.base, self.issued),
                }
            }
        };
        ReadyArrival::push(&arrival, *reg, sets_ram, admit, items);
    }

    #[inline]
    fn prefetch(&self, function: u32) {
        if let Some(entry) = self.regs.get(function as usize) {
            crate::cache_hint::prefetch(entry);
        }
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
            let mut items = Vec::new();
            ReadyArrival::push(&arrival, RegId(9), has(4), admit, &mut items);
            // Payload sizes take an item of their own, after the arrival.
            let with_payloads = has(2) || has(3);
            assert_eq!(items.len(), 1 + usize::from(with_payloads), "bits {bits:b}");
            assert!(items[1..].iter().all(ReadyArrival::is_payloads));
            let ready = items[0];
            assert!(!ready.is_payloads());
            assert_eq!(ready.time, arrival.time);
            assert_eq!(ready.reg, RegId(9));
            assert_eq!(ready.duration(), arrival.duration, "bits {bits:b}");
            assert_eq!(ready.memory(), arrival.memory, "bits {bits:b}");
            assert_eq!(ready.payloads(items.get(1)), arrival.payloads, "bits {bits:b}");
            assert_eq!(ready.sets_ram(), has(4), "bits {bits:b}");
            assert_eq!(ready.admit(), admit, "bits {bits:b}");
        }
    }
}

//! What callers can run, and how each kind turns into a fluid demand on capacities.

use super::error::EngineError;
use super::ids::{DiskId, HostId};
use super::network::{LOOPBACK_BANDWIDTH, Paths};
use super::platform::{Disk, Host, Platform};

/// Work the engine can simulate. Amounts are bytes, flops and seconds.
#[derive(Debug, Clone, PartialEq)]
pub enum Activity {
    /// A computation on `host` that may use `cores` of its cores (a fraction
    /// of one, or several); `priority` and `cores` weigh its CPU share.
    Compute {
        /// Where it runs.
        host: HostId,
        /// Amount of work.
        flops: f64,
        /// Share weight (> 0); 1 is the default.
        priority: f64,
        /// The most cores it may use at once (> 0), as a cgroup CPU quota:
        /// its rate is at most `cores` x the core speed, and its share of
        /// a busy host is in proportion to `cores` (as SimGrid weighs an
        /// execution on several cores). 1 is one core.
        cores: f64,
    },
    /// A network transfer over the route `src` -> `dst` (memory to memory).
    /// It pays the route latency first (even with no bytes, as in SimGrid).
    /// A host sending to itself without a declared route uses SimGrid's
    /// implicit loopback: no latency, each flow at up to
    /// [`super::LOOPBACK_BANDWIDTH`] (x the model's bandwidth factor), unshared.
    Transfer {
        /// Sending host.
        src: HostId,
        /// Receiving host.
        dst: HostId,
        /// Payload size.
        bytes: f64,
    },
    /// A read on a disk.
    DiskRead {
        /// The disk.
        disk: DiskId,
        /// Amount read.
        bytes: f64,
    },
    /// A write on a disk.
    DiskWrite {
        /// The disk.
        disk: DiskId,
        /// Amount written.
        bytes: f64,
    },
    /// Waits, using no resource.
    Sleep {
        /// Duration.
        seconds: f64,
    },
    /// One pipelined copy: read from `src_disk`, send over the route from
    /// its host to `dst_host`, write to `dst_disk` (or to memory when
    /// `None`), all at one rate limited by every resource at once
    /// (SimGrid's `Io::streamto`). Pays the route latency first.
    Stream {
        /// Disk read from; the stream leaves from its host.
        src_disk: DiskId,
        /// Receiving host.
        dst_host: HostId,
        /// Disk written to on `dst_host`, or `None` for memory.
        dst_disk: Option<DiskId>,
        /// Amount copied.
        bytes: f64,
    },
    /// Steps run one after another; the activity completes with the last.
    /// All steps are checked when it starts; an empty sequence completes at once.
    Sequence(Vec<Activity>),
}

/// A step reduced to what the engine schedules. Its capacity loads are
/// written to the caller's buffer by [`lower`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Lowered {
    /// A pure delay.
    Sleep(f64),
    /// Fluid work sharing capacities.
    Fluid {
        /// Units to process.
        amount: f64,
        /// Seconds before sharing starts (network latency).
        delay: f64,
        /// Sharing weight.
        weight: f64,
        /// Upper bound on the solver value (infinite when none).
        bound: f64,
        /// Achieved rate per unit of solver value.
        factor: f64,
    },
}

/// `value` if it is finite and non-negative: every timer and activity
/// passes here. One comparison of bits: a non-negative finite number's are
/// below infinity's, a negative number's or a NaN's are not, and `+ 0.0`
/// turns `-0.0` (valid) into `0.0`. Written as `0.0 <= v < inf`, the
/// compiler made it a dozen instructions of bit tests.
#[inline]
pub(crate) fn amount(what: &'static str, value: f64) -> Result<f64, EngineError> {
    if (value + 0.0).to_bits() < f64::INFINITY.to_bits() {
        Ok(value)
    } else {
        Err(EngineError::InvalidAmount { what, value })
    }
}

fn host(platform: &Platform, id: HostId) -> Result<&Host, EngineError> {
    platform.hosts().get(id.index()).ok_or(EngineError::UnknownHost(id))
}

fn disk(platform: &Platform, id: DiskId) -> Result<&Disk, EngineError> {
    platform.disks().get(id.index()).ok_or(EngineError::UnknownDisk(id))
}

impl Activity {
    /// A computation of `flops` on `host` using at most `cores` cores, at
    /// the default priority (a body's, or a test's).
    pub fn compute(host: HostId, flops: f64, cores: f64) -> Activity {
        Activity::Compute {
            host,
            flops,
            priority: 1.0,
            cores,
        }
    }
}

/// Lowers one non-sequence step; `loads` receives (capacity, load per unit of value).
pub(crate) fn lower(
    step: &Activity,
    platform: &Platform,
    paths: &Paths,
    loads: &mut Vec<(u32, f64)>,
) -> Result<Lowered, EngineError> {
    loads.clear();
    let local = |amount| Lowered::Fluid {
        amount,
        delay: 0.0,
        weight: 1.0,
        bound: f64::INFINITY,
        factor: 1.0,
    };
    match *step {
        Activity::Sleep { seconds } => Ok(Lowered::Sleep(amount("seconds", seconds)?)),
        Activity::Compute {
            host: h,
            flops,
            priority,
            cores,
        } => {
            let flops = amount("flops", flops)?;
            for (what, value) in [("priority", priority), ("cores", cores)] {
                if !(value.is_finite() && value > 0.0) {
                    return Err(EngineError::InvalidAmount { what, value });
                }
            }
            let h = host(platform, h)?;
            loads.push((h.cpu, 1.0));
            Ok(Lowered::Fluid {
                amount: flops,
                delay: 0.0,
                weight: priority * cores,
                bound: cores * h.speed,
                factor: 1.0,
            })
        }
        Activity::DiskRead { disk: d, bytes } => {
            let bytes = amount("bytes", bytes)?;
            let d = disk(platform, d)?;
            loads.extend([(d.shared, 1.0), (d.read, 1.0)]);
            Ok(local(bytes))
        }
        Activity::DiskWrite { disk: d, bytes } => {
            let bytes = amount("bytes", bytes)?;
            let d = disk(platform, d)?;
            loads.extend([(d.shared, 1.0), (d.write, 1.0)]);
            Ok(local(bytes))
        }
        Activity::Transfer { src, dst, bytes } => {
            let bytes = amount("bytes", bytes)?;
            network(platform, paths, src, dst, bytes, loads)
        }
        Activity::Stream {
            src_disk,
            dst_host,
            dst_disk,
            bytes,
        } => {
            let bytes = amount("bytes", bytes)?;
            let src = disk(platform, src_disk)?;
            let dst = dst_disk.map(|d| disk(platform, d)).transpose()?;
            if let (Some(d), Some(id)) = (dst, dst_disk)
                && d.host != dst_host
            {
                return Err(EngineError::DiskNotOnHost {
                    disk: id,
                    host: dst_host,
                });
            }
            let lowered = network(platform, paths, src.host, dst_host, bytes, loads)?;
            // Disk loads are scaled by the bandwidth factor so that the disks
            // limit the achieved rate, not the solver's value (as SimGrid does).
            let factor = paths.factor;
            loads.extend([(src.shared, factor), (src.read, factor)]);
            if let Some(d) = dst {
                loads.extend([(d.shared, factor), (d.write, factor)]);
            }
            Ok(lowered)
        }
        // The engine flattens sequences before lowering, so only an empty
        // one can arrive here, and it takes no time.
        Activity::Sequence(_) => Ok(Lowered::Sleep(0.0)),
    }
}

/// The network part of a transfer or stream from `src` to `dst`.
fn network(
    platform: &Platform,
    paths: &Paths,
    src: HostId,
    dst: HostId,
    bytes: f64,
    loads: &mut Vec<(u32, f64)>,
) -> Result<Lowered, EngineError> {
    let source = host(platform, src)?;
    host(platform, dst)?;
    match platform.route_ref(src, dst) {
        Some(r) => {
            let path = paths.path(r.route, r.reversed);
            loads.extend_from_slice(paths.loads(&path));
            Ok(Lowered::Fluid {
                amount: bytes,
                delay: path.delay,
                weight: path.weight,
                bound: path.bound,
                factor: paths.factor,
            })
        }
        // The loopback's capacity is unlimited, so only the bound caps each flow.
        None if src == dst => {
            loads.push((source.loopback, 1.0));
            Ok(Lowered::Fluid {
                amount: bytes,
                delay: 0.0,
                weight: 1.0,
                bound: LOOPBACK_BANDWIDTH,
                factor: paths.factor,
            })
        }
        None => Err(EngineError::NoRoute { src, dst }),
    }
}

/// Appends the leaf steps of `steps` to `out` in execution order.
pub(crate) fn flatten(steps: Vec<Activity>, out: &mut Vec<Activity>) {
    for step in steps {
        match step {
            Activity::Sequence(inner) => flatten(inner, out),
            leaf => out.push(leaf),
        }
    }
}

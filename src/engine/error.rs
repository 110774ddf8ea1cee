//! Errors for caller mistakes: the engine reports them, the checker turns them into diagnostics.

use std::fmt;

use super::ids::{DiskId, HostId, LinkId};

/// A mistake while describing a platform.
#[derive(Debug, Clone, PartialEq)]
pub enum PlatformError {
    /// A quantity is negative, zero where it must be positive, or not finite.
    InvalidValue {
        /// What the quantity is, e.g. "link bandwidth".
        what: &'static str,
        /// The value given.
        value: f64,
    },
    /// A host id that this builder did not hand out.
    UnknownHost(HostId),
    /// A link id that this builder did not hand out.
    UnknownLink(LinkId),
    /// A name already used by another host, link, or disk of the same host.
    DuplicateName {
        /// "host", "link" or "disk".
        what: &'static str,
        /// The name given twice.
        name: String,
    },
    /// A route between these hosts (in either direction) was already declared.
    DuplicateRoute {
        /// Source host of the second declaration.
        src: HostId,
        /// Destination host of the second declaration.
        dst: HostId,
    },
}

/// A mistake in a request to the engine.
#[derive(Debug, Clone, PartialEq)]
pub enum EngineError {
    /// No route was declared between these hosts.
    NoRoute {
        /// Source host.
        src: HostId,
        /// Destination host.
        dst: HostId,
    },
    /// A host id that does not belong to the engine's platform.
    UnknownHost(HostId),
    /// A disk id that does not belong to the engine's platform.
    UnknownDisk(DiskId),
    /// A stream's destination disk is not attached to its destination host.
    DiskNotOnHost {
        /// The disk.
        disk: DiskId,
        /// The stream's destination host.
        host: HostId,
    },
    /// An amount (bytes, flops, seconds, priority, cores) that is negative, not
    /// finite, or zero where it must be positive.
    InvalidAmount {
        /// What the amount is, e.g. "bytes".
        what: &'static str,
        /// The value given.
        value: f64,
    },
}

impl fmt::Display for PlatformError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlatformError::InvalidValue { what, value } => write!(f, "invalid {what}: {value}"),
            PlatformError::UnknownHost(h) => write!(f, "unknown host #{}", h.0),
            PlatformError::UnknownLink(l) => write!(f, "unknown link #{}", l.0),
            PlatformError::DuplicateName { what, name } => {
                write!(f, "{what} `{name}` declared twice")
            }
            PlatformError::DuplicateRoute { src, dst } => {
                write!(f, "route between hosts #{} and #{} declared twice", src.0, dst.0)
            }
        }
    }
}

impl fmt::Display for EngineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EngineError::NoRoute { src, dst } => {
                write!(f, "no route from host #{} to host #{}", src.0, dst.0)
            }
            EngineError::UnknownHost(h) => write!(f, "unknown host #{}", h.0),
            EngineError::UnknownDisk(d) => write!(f, "unknown disk #{}", d.0),
            EngineError::DiskNotOnHost { disk, host } => {
                write!(f, "disk #{} is not attached to host #{}", disk.0, host.0)
            }
            EngineError::InvalidAmount { what, value } => write!(f, "invalid {what}: {value}"),
        }
    }
}

impl std::error::Error for PlatformError {}
impl std::error::Error for EngineError {}

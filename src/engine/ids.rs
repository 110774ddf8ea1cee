//! Typed handles for platform resources, activities and timers.

/// A host of the platform (index into the platform's host list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HostId(pub(crate) u32);

/// A disk attached to a host.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DiskId(pub(crate) u32);

/// A network link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LinkId(pub(crate) u32);

/// A running activity. Generational: once the activity completes or is
/// cancelled, the id goes stale and every query on it answers `None`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ActivityId {
    pub(crate) index: u32,
    pub(crate) generation: u32,
}

/// A pending timer. Generational like [`ActivityId`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimerId {
    pub(crate) index: u32,
    pub(crate) generation: u32,
}

impl HostId {
    /// The position of this host in declaration order.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl DiskId {
    /// The position of this disk in declaration order.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl LinkId {
    /// The position of this link in declaration order.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

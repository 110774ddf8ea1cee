//! Dense ids for the function keys met in a trace (raw bytes of the key cells),
//! looked up without allocating once a key is known.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::workload::random::fnv1a;

/// FNV-1a as a `Hasher`: fast on the short keys of traces, and deterministic.
#[derive(Debug, Default)]
pub(crate) struct FnvHasher(u64);

impl Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0 = self.0.rotate_left(5) ^ fnv1a(bytes);
    }
}

/// A map from keys to ids `0, 1, 2, ...` in order of first appearance.
#[derive(Debug, Default)]
pub(crate) struct NameTable {
    ids: HashMap<Box<[u8]>, u32, BuildHasherDefault<FnvHasher>>,
}

impl NameTable {
    /// The id of `key`, if known.
    pub(crate) fn get(&self, key: &[u8]) -> Option<u32> {
        self.ids.get(key).copied()
    }

    /// The id of `key`, given the next free one if new; `None` past `u32::MAX` keys.
    pub(crate) fn intern(&mut self, key: &[u8]) -> Option<(u32, bool)> {
        if let Some(&id) = self.ids.get(key) {
            return Some((id, false));
        }
        let id = u32::try_from(self.ids.len()).ok()?;
        self.ids.insert(key.into(), id);
        Some((id, true))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_dense_and_stable() {
        let mut names = NameTable::default();
        assert_eq!(names.intern(b"a"), Some((0, true)));
        assert_eq!(names.intern(b"b"), Some((1, true)));
        assert_eq!(names.intern(b"a"), Some((0, false)));
        assert_eq!(names.get(b"b"), Some(1));
        assert_eq!(names.get(b"c"), None);
    }
}

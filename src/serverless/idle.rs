//! The idle containers of each reuse key on each node, looked up on every
//! dispatch and every container that goes idle. A table with one 4-byte
//! slot per (key, node) pair when the pairs are few enough (one memory
//! access, no hashing: the hash table's control bytes and bucket were two
//! cache misses per dispatch on the Azure benchmark), else a hash table
//! over the pairs that have idle containers.
//!
//! A slot holds the pair's only idle container itself, the usual case:
//! the 24-byte inline lists it replaces made the table six times larger,
//! and the search for an idle container missed the cache on them (half of
//! `first_idle_among`'s samples). Pairs with several idle containers keep
//! their list aside.

use std::ops::Deref;

use rustc_hash::FxHashMap;

use super::ids::{ContainerId, KeyId, NodeId};

/// The idle containers of one key on one node: usually one or two, kept
/// inline.
pub type IdleList = smallvec::SmallVec<[ContainerId; 2]>;

/// Pairs (reuse keys x nodes) up to which the index is a table: 4 bytes
/// each, 1 MB at most. Past that the hash table, which holds only the
/// pairs with idle containers, is the smaller: with 17,614 functions
/// (27,614 keys x 100 nodes, an 11 MB table) the table's rows were each a
/// cache and TLB miss, and the run took 15 % more CPU than hashed.
const TABLE_PAIRS: usize = 1 << 18;

/// A slot of the table: no idle container.
const EMPTY: u32 = 0;
/// A slot of the table: several idle containers, listed in `several`.
const SEVERAL: u32 = u32::MAX;

#[derive(Debug)]
pub enum IdleIndex {
    /// Slot `key * nodes + node`: `EMPTY`, `SEVERAL`, or the pair's one
    /// idle container's id plus one.
    Table {
        nodes: usize,
        slots: Vec<u32>,
        several: FxHashMap<u32, IdleList>,
    },
    /// Keyed by `key << 32 | node`; a pair without idle containers has no entry.
    Hashed(FxHashMap<u64, IdleList>),
}

/// The idle containers of a pair, as [`IdleIndex::get`] finds them, in
/// any order.
#[derive(Debug, Clone, Copy)]
pub enum IdleContainers<'a> {
    One([ContainerId; 1]),
    Several(&'a [ContainerId]),
}

impl Deref for IdleContainers<'_> {
    type Target = [ContainerId];

    #[inline]
    fn deref(&self) -> &[ContainerId] {
        match self {
            IdleContainers::One(one) => one,
            IdleContainers::Several(list) => list,
        }
    }
}

impl Default for IdleIndex {
    fn default() -> Self {
        IdleIndex::Hashed(FxHashMap::default())
    }
}

fn packed(node: NodeId, key: KeyId) -> u64 {
    u64::from(key.0) << 32 | u64::from(node.0)
}

impl IdleIndex {
    /// An index for keys `0..keys` on `nodes` nodes, holding what `self` holds.
    pub fn resized(self, keys: usize, nodes: usize) -> IdleIndex {
        if keys.saturating_mul(nodes) > TABLE_PAIRS {
            return self;
        }
        let mut table = IdleIndex::Table {
            nodes,
            slots: vec![EMPTY; keys * nodes],
            several: FxHashMap::default(),
        };
        for (node, key, list) in self.into_entries() {
            for c in list {
                table.push(node, key, c);
            }
        }
        table
    }

    fn into_entries(self) -> Vec<(NodeId, KeyId, IdleList)> {
        let at = |i: usize, nodes: usize| (NodeId((i % nodes) as u32), KeyId((i / nodes) as u32));
        match self {
            IdleIndex::Table {
                nodes,
                slots,
                mut several,
            } => slots
                .into_iter()
                .enumerate()
                .filter(|(_, slot)| *slot != EMPTY)
                .map(|(i, slot)| {
                    let (node, key) = at(i, nodes);
                    let list = match slot {
                        SEVERAL => several.remove(&(i as u32)).unwrap_or_default(),
                        one => smallvec::smallvec![ContainerId(one - 1)],
                    };
                    (node, key, list)
                })
                .collect(),
            IdleIndex::Hashed(map) => map
                .into_iter()
                .map(|(k, list)| (NodeId(k as u32), KeyId((k >> 32) as u32), list))
                .collect(),
        }
    }

    /// The idle containers of `key` on `node`, if any: inline, as the
    /// table's slot answers it alone but for pairs with several.
    #[inline(always)]
    pub fn get(&self, node: NodeId, key: KeyId) -> Option<IdleContainers<'_>> {
        if let IdleIndex::Table { nodes, slots, .. } = self {
            match *slots.get(key.index() * nodes + node.index())? {
                EMPTY => return None,
                SEVERAL => {}
                one => return Some(IdleContainers::One([ContainerId(one - 1)])),
            }
        }
        self.listed(node, key)
    }

    /// The list of `key` on `node`, when the pair has one: several idle
    /// containers in the table, or any number in the hash table.
    #[inline(never)]
    fn listed(&self, node: NodeId, key: KeyId) -> Option<IdleContainers<'_>> {
        let list = match self {
            IdleIndex::Table { nodes, several, .. } => several.get(&((key.index() * nodes + node.index()) as u32)),
            IdleIndex::Hashed(map) => map.get(&packed(node, key)),
        };
        list.map(|list| IdleContainers::Several(list))
    }

    pub fn push(&mut self, node: NodeId, key: KeyId, c: ContainerId) {
        match self {
            IdleIndex::Table { nodes, slots, several } => {
                let i = key.index() * *nodes + node.index();
                let slot = &mut slots[i];
                match *slot {
                    EMPTY => *slot = c.0 + 1,
                    SEVERAL => several.entry(i as u32).or_default().push(c),
                    one => {
                        *slot = SEVERAL;
                        several.insert(i as u32, smallvec::smallvec![ContainerId(one - 1), c]);
                    }
                }
            }
            IdleIndex::Hashed(map) => map.entry(packed(node, key)).or_default().push(c),
        }
    }

    /// Takes `c` out of the list of `key` on `node`; returns whether the
    /// list is empty now.
    pub fn remove(&mut self, node: NodeId, key: KeyId, c: ContainerId) -> bool {
        match self {
            IdleIndex::Table { nodes, slots, several } => {
                let i = key.index() * *nodes + node.index();
                let Some(slot) = slots.get_mut(i) else {
                    return true;
                };
                match *slot {
                    EMPTY => true,
                    SEVERAL => {
                        let Some(list) = several.get_mut(&(i as u32)) else {
                            return true;
                        };
                        take(list, c);
                        // One left: back in its slot.
                        if let [one] = list[..] {
                            *slot = one.0 + 1;
                            several.remove(&(i as u32));
                        }
                        *slot == EMPTY
                    }
                    one => {
                        if one == c.0 + 1 {
                            *slot = EMPTY;
                        }
                        *slot == EMPTY
                    }
                }
            }
            IdleIndex::Hashed(map) => {
                let Some(list) = map.get_mut(&packed(node, key)) else {
                    return true;
                };
                take(list, c);
                let empty = list.is_empty();
                if empty {
                    map.remove(&packed(node, key));
                }
                empty
            }
        }
    }
}

/// Takes `c` out of `list`, if there.
fn take(list: &mut IdleList, c: ContainerId) {
    if let Some(i) = list.iter().position(|x| *x == c) {
        // Order does not matter: reuse takes the oldest created.
        list.swap_remove(i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn listed(index: &IdleIndex, node: u32, key: u32) -> Option<Vec<ContainerId>> {
        index.get(NodeId(node), KeyId(key)).map(|idle| {
            let mut list = idle.to_vec();
            list.sort_by_key(|c| c.0);
            list
        })
    }

    #[test]
    fn table_and_hash_hold_the_same_lists() {
        let (a, b, c) = (ContainerId(7), ContainerId(9), ContainerId(0));
        for mut index in [IdleIndex::default(), IdleIndex::default().resized(4, 5)] {
            index.push(NodeId(3), KeyId(1), a);
            index.push(NodeId(3), KeyId(1), b);
            index.push(NodeId(0), KeyId(2), a);
            index.push(NodeId(4), KeyId(3), c);
            assert_eq!(listed(&index, 3, 1), Some(vec![a, b]));
            assert_eq!(listed(&index, 4, 3), Some(vec![c]));
            index.push(NodeId(3), KeyId(1), c);
            assert_eq!(listed(&index, 3, 1), Some(vec![c, a, b]));
            assert!(!index.remove(NodeId(3), KeyId(1), a));
            assert!(!index.remove(NodeId(3), KeyId(1), c));
            assert_eq!(listed(&index, 3, 1), Some(vec![b]));
            // A container not listed changes nothing.
            assert!(!index.remove(NodeId(3), KeyId(1), a));
            assert!(index.remove(NodeId(3), KeyId(1), b));
            assert_eq!(listed(&index, 3, 1), None);
            assert!(index.remove(NodeId(3), KeyId(1), b));
            // Two again after one: the list comes back.
            index.push(NodeId(3), KeyId(1), a);
            index.push(NodeId(3), KeyId(1), b);
            assert_eq!(listed(&index, 3, 1), Some(vec![a, b]));
            // Resizing carries the entries over, to a table when it is small.
            let moved = index.resized(4, 5);
            assert!(matches!(moved, IdleIndex::Table { .. }));
            assert_eq!(listed(&moved, 0, 2), Some(vec![a]));
            assert_eq!(listed(&moved, 3, 1), Some(vec![a, b]));
            assert_eq!(listed(&moved, 4, 3), Some(vec![c]));
        }
        assert!(matches!(
            IdleIndex::default().resized(1 << 12, 1 << 12),
            IdleIndex::Hashed(_)
        ));
    }
}

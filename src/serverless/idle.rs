//! The idle containers of each reuse key on each node, looked up on every
//! dispatch and every container that goes idle. A table with a list per
//! (key, node) pair when the pairs are few enough for it to stay small
//! (one memory access, no hashing: the hash table's control bytes and
//! bucket were two cache misses per dispatch on the Azure benchmark),
//! else a hash table over the pairs that have idle containers.

use rustc_hash::FxHashMap;

use super::ids::{ContainerId, KeyId, NodeId};

/// The idle containers of one key on one node: usually one or two, kept
/// inline.
pub type IdleList = smallvec::SmallVec<[ContainerId; 2]>;

/// Pairs (reuse keys x nodes) up to which the index is a table: 24 bytes
/// each, 1.5 MB at most.
const TABLE_PAIRS: usize = 1 << 16;

#[derive(Debug)]
pub enum IdleIndex {
    /// Entry `key * nodes + node`.
    Table { nodes: usize, lists: Vec<IdleList> },
    /// Keyed by `key << 32 | node`; a pair without idle containers has no entry.
    Hashed(FxHashMap<u64, IdleList>),
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
            lists: vec![IdleList::new(); keys * nodes],
        };
        for (node, key, list) in self.into_entries() {
            for c in list {
                table.push(node, key, c);
            }
        }
        table
    }

    fn into_entries(self) -> Vec<(NodeId, KeyId, IdleList)> {
        match self {
            IdleIndex::Table { nodes, lists } => lists
                .into_iter()
                .enumerate()
                .filter(|(_, list)| !list.is_empty())
                .map(|(i, list)| (NodeId((i % nodes) as u32), KeyId((i / nodes) as u32), list))
                .collect(),
            IdleIndex::Hashed(map) => map
                .into_iter()
                .map(|(k, list)| (NodeId(k as u32), KeyId((k >> 32) as u32), list))
                .collect(),
        }
    }

    /// The idle containers of `key` on `node`, if any.
    #[inline]
    pub fn get(&self, node: NodeId, key: KeyId) -> Option<&IdleList> {
        match self {
            IdleIndex::Table { nodes, lists } => lists
                .get(key.index() * nodes + node.index())
                .filter(|list| !list.is_empty()),
            IdleIndex::Hashed(map) => map.get(&packed(node, key)),
        }
    }

    pub fn push(&mut self, node: NodeId, key: KeyId, c: ContainerId) {
        match self {
            IdleIndex::Table { nodes, lists } => lists[key.index() * *nodes + node.index()].push(c),
            IdleIndex::Hashed(map) => map.entry(packed(node, key)).or_default().push(c),
        }
    }

    /// Takes `c` out of the list of `key` on `node`; returns whether the
    /// list is empty now.
    pub fn remove(&mut self, node: NodeId, key: KeyId, c: ContainerId) -> bool {
        let list = match self {
            IdleIndex::Table { nodes, lists } => lists.get_mut(key.index() * *nodes + node.index()),
            IdleIndex::Hashed(map) => map.get_mut(&packed(node, key)),
        };
        let Some(list) = list else {
            return true;
        };
        if let Some(i) = list.iter().position(|x| *x == c) {
            // Order does not matter: reuse takes the oldest created.
            list.swap_remove(i);
        }
        let empty = list.is_empty();
        if empty && let IdleIndex::Hashed(map) = self {
            map.remove(&packed(node, key));
        }
        empty
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_and_hash_hold_the_same_lists() {
        let (a, b) = (ContainerId(7), ContainerId(9));
        for mut index in [IdleIndex::default(), IdleIndex::default().resized(4, 5)] {
            index.push(NodeId(3), KeyId(1), a);
            index.push(NodeId(3), KeyId(1), b);
            index.push(NodeId(0), KeyId(2), a);
            assert_eq!(index.get(NodeId(3), KeyId(1)).map(|l| l.to_vec()), Some(vec![a, b]));
            assert!(!index.remove(NodeId(3), KeyId(1), a));
            assert!(index.remove(NodeId(3), KeyId(1), b));
            assert_eq!(index.get(NodeId(3), KeyId(1)), None);
            // Resizing carries the entries over, to a table when it is small.
            let moved = index.resized(3, 4);
            assert!(matches!(moved, IdleIndex::Table { .. }));
            assert_eq!(moved.get(NodeId(0), KeyId(2)).map(|l| l.to_vec()), Some(vec![a]));
        }
        assert!(matches!(
            IdleIndex::default().resized(1 << 10, 1 << 10),
            IdleIndex::Hashed(_)
        ));
    }
}

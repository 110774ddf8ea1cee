//! The idle containers of each reuse key on each node, looked up on every
//! dispatch and every container that goes idle. A table with one 4-byte
//! slot per (key, node) pair when the pairs are few enough (one memory
//! access, no hashing: the hash table's control bytes and bucket were two
//! cache misses per dispatch on the Azure benchmark); else, on up to
//! [`ROW_NODES`] nodes, a short row per key of the nodes where it has idle
//! containers (one access to the key's row, where the hash table over the
//! pairs took two, each a cache miss with thousands of keys); else that
//! hash table.
//!
//! A slot, or a row's entry, holds the pair's only idle container itself,
//! the usual case: the 24-byte inline lists it replaces made the table six
//! times larger, and the search for an idle container missed the cache on
//! them (half of `first_idle_among`'s samples). Pairs with several idle
//! containers keep their list aside.

use std::ops::{Deref, DerefMut};

use rustc_hash::FxHashMap;

use super::ids::{ContainerId, KeyId, NodeId};

/// The idle containers of one key on one node: usually one or two, kept
/// inline.
pub type IdleList = smallvec::SmallVec<[ContainerId; 2]>;

/// Pairs (reuse keys x nodes) up to which the index is a table: 4 bytes
/// each, 1 MB at most. Past that the rows (or the hash table) hold only
/// the pairs with idle containers, and are the smaller: with 17,614
/// functions (then 27,614 keys x 100 nodes, an 11 MB table) the table's
/// rows were each a cache and TLB miss, and the run took 15 % more CPU
/// than hashed.
const TABLE_PAIRS: usize = 1 << 18;

/// Nodes up to which keys past the table have rows: a row is kept in node
/// order, so a container going idle or reused moves up to that many
/// entries (8 KB); beyond, the hash table's cost does not grow with them.
pub const ROW_NODES: usize = 1 << 10;

/// A key's row: one cache line, holding up to seven entries. Rows of two
/// entries inline (24 bytes) put a popular key's entries in a second
/// allocation and a quarter of the rows across two lines: with 27,614
/// keys, the search for an idle container waited on that second line
/// (two thirds of `listed`'s samples on the first entry's load).
#[derive(Debug, Clone, Default)]
#[repr(align(64))]
pub struct Row(smallvec::SmallVec<[u64; 7]>);

impl Deref for Row {
    type Target = smallvec::SmallVec<[u64; 7]>;

    #[inline]
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl DerefMut for Row {
    #[inline]
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

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
    /// Per key, its nodes with idle containers in increasing order, each
    /// entry `node << 32 | slot` (a slot as in the table); the lists of
    /// pairs with several are keyed as in the hash table.
    Rows {
        rows: Vec<Row>,
        several: FxHashMap<u64, IdleList>,
    },
    /// Keyed by `key << 32 | node`; a pair without idle containers has no entry.
    Hashed(FxHashMap<u64, IdleList>),
}

/// A key's idle nodes are best found in its node set
/// ([`IdleIndex::find_in_row`]): the index keeps no rows, or the key's is
/// longer than a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchTheSet;

/// The idle containers of a pair, as `IdleIndex::get` finds them, in
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
    /// Starts bringing `key`'s row into the cache, where the index keeps
    /// one per key (its line holds the nodes where the key has idle
    /// containers); the table and the hash table need the node too.
    #[inline(always)]
    pub fn prefetch_key(&self, key: KeyId) {
        if let IdleIndex::Rows { rows, .. } = self
            && let Some(row) = rows.get(key.index())
        {
            crate::cache_hint::prefetch(row);
        }
    }

    /// A container a dispatch of `key` is likely to find idle, cheaply: on
    /// the key's first node with idle containers (`first_node`, asked only
    /// by the table; a row's first entry is that node's), when it is that
    /// node's only one. `None` when that takes more (several containers,
    /// the hash table). For a cache hint: the scheduler may choose another.
    #[inline(always)]
    pub fn first_idle_hint(&self, key: KeyId, first_node: impl FnOnce() -> Option<NodeId>) -> Option<ContainerId> {
        let slot = match self {
            IdleIndex::Table { nodes, slots, .. } => *slots.get(key.index() * nodes + first_node()?.index())?,
            IdleIndex::Rows { rows, .. } => *rows.get(key.index())?.first()? as u32,
            IdleIndex::Hashed(_) => return None,
        };
        match slot {
            EMPTY | SEVERAL => None,
            one => Some(ContainerId(one - 1)),
        }
    }

    /// An index for keys `0..keys` on `nodes` nodes, holding what `self` holds.
    pub fn resized(self, keys: usize, nodes: usize) -> IdleIndex {
        let mut index = if keys.saturating_mul(nodes) <= TABLE_PAIRS {
            IdleIndex::Table {
                nodes,
                slots: vec![EMPTY; keys * nodes],
                several: FxHashMap::default(),
            }
        } else if nodes <= ROW_NODES {
            IdleIndex::Rows {
                rows: vec![Row::default(); keys],
                several: FxHashMap::default(),
            }
        } else {
            IdleIndex::Hashed(FxHashMap::default())
        };
        for (node, key, list) in self.into_entries() {
            for c in list {
                index.push(node, key, c);
            }
        }
        index
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
            IdleIndex::Rows { rows, mut several } => rows
                .into_iter()
                .enumerate()
                .flat_map(|(key, row)| row.0.into_iter().map(move |entry| (key, entry)))
                .map(|(key, entry)| {
                    let (node, key) = (NodeId((entry >> 32) as u32), KeyId(key as u32));
                    let list = match entry as u32 {
                        SEVERAL => several.remove(&packed(node, key)).unwrap_or_default(),
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

    /// The first answer `find` gives over `key`'s nodes with idle
    /// containers, in node order, each with its idle containers, where
    /// the key's row is one line (up to seven nodes): the row lists the
    /// key's nodes, so the search reads that line and no set of them (with
    /// thousands of functions, each a cache miss). `Err(SearchTheSet)`
    /// where the index is a table or a hash table, or the row is longer:
    /// the key's node set, a word per 64 nodes, then finds them sooner.
    #[inline(always)]
    pub fn find_in_row<T>(
        &self,
        key: KeyId,
        mut find: impl FnMut(NodeId, IdleContainers<'_>) -> Option<T>,
    ) -> Result<Option<T>, SearchTheSet> {
        let IdleIndex::Rows { rows, several } = self else {
            return Err(SearchTheSet);
        };
        let Some(row) = rows.get(key.index()) else {
            return Ok(None);
        };
        if row.spilled() {
            return Err(SearchTheSet);
        }
        for &entry in row.iter() {
            let node = NodeId((entry >> 32) as u32);
            let idle = match entry as u32 {
                SEVERAL => IdleContainers::Several(several.get(&packed(node, key)).map_or(&[][..], |list| &list[..])),
                one => IdleContainers::One([ContainerId(one - 1)]),
            };
            if let Some(found) = find(node, idle) {
                return Ok(Some(found));
            }
        }
        Ok(None)
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

    /// The idle containers of `key` on `node` but for a table's slot that
    /// answers alone: several idle containers in the table, the key's row,
    /// or the hash table (out of line: the table's case stays small).
    #[inline(never)]
    fn listed(&self, node: NodeId, key: KeyId) -> Option<IdleContainers<'_>> {
        let list = match self {
            IdleIndex::Table { nodes, several, .. } => several.get(&((key.index() * nodes + node.index()) as u32)),
            IdleIndex::Rows { rows, several } => {
                let row = rows.get(key.index())?;
                match row[entry_of(row, node).ok()?] as u32 {
                    SEVERAL => several.get(&packed(node, key)),
                    one => return Some(IdleContainers::One([ContainerId(one - 1)])),
                }
            }
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
            IdleIndex::Rows { rows, several } => {
                let row = &mut rows[key.index()];
                match entry_of(row, node) {
                    Err(at) => row.insert(at, u64::from(node.0) << 32 | u64::from(c.0 + 1)),
                    Ok(at) => match row[at] as u32 {
                        SEVERAL => several.entry(packed(node, key)).or_default().push(c),
                        one => {
                            row[at] = u64::from(node.0) << 32 | u64::from(SEVERAL);
                            several.insert(packed(node, key), smallvec::smallvec![ContainerId(one - 1), c]);
                        }
                    },
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
            IdleIndex::Rows { rows, several } => {
                let Some(row) = rows.get_mut(key.index()) else {
                    return true;
                };
                let Ok(at) = entry_of(row, node) else {
                    return true;
                };
                let entry = |slot: u32| u64::from(node.0) << 32 | u64::from(slot);
                match row[at] as u32 {
                    SEVERAL => {
                        let Some(list) = several.get_mut(&packed(node, key)) else {
                            return true;
                        };
                        take(list, c);
                        // One left: back in its entry.
                        if let [one] = list[..] {
                            row[at] = entry(one.0 + 1);
                            several.remove(&packed(node, key));
                        }
                        false
                    }
                    one => {
                        if one == c.0 + 1 {
                            row.remove(at);
                            return true;
                        }
                        false
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

/// Where `node`'s entry is in `row` (kept in node order), or where it
/// would go: a short row is scanned, a long one searched.
#[inline]
fn entry_of(row: &[u64], node: NodeId) -> Result<usize, usize> {
    let node = u64::from(node.0);
    if row.len() <= 8 {
        return match row.iter().position(|e| e >> 32 >= node) {
            Some(at) if row[at] >> 32 == node => Ok(at),
            Some(at) => Err(at),
            None => Err(row.len()),
        };
    }
    row.binary_search_by_key(&node, |e| e >> 32)
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

    /// The cache hint's container: the lone idle one on the key's first
    /// node, from a table (given that node) or a row; none for several, an
    /// absent key or the hash table.
    #[test]
    fn the_hint_names_the_lone_idle_container_of_the_first_node() {
        let (a, b, c) = (ContainerId(7), ContainerId(9), ContainerId(0));
        let table = IdleIndex::default().resized(4, 5);
        let rows = IdleIndex::default().resized(1 << 9, 1 << 10);
        for (mut index, hashed) in [(table, false), (rows, false), (IdleIndex::default(), true)] {
            index.push(NodeId(4), KeyId(1), a);
            index.push(NodeId(2), KeyId(1), c);
            index.push(NodeId(3), KeyId(2), a);
            index.push(NodeId(3), KeyId(2), b);
            let hint = |key, first| index.first_idle_hint(KeyId(key), || Some(NodeId(first)));
            if hashed {
                assert_eq!(hint(1, 2), None);
                continue;
            }
            assert_eq!(hint(1, 2), Some(c));
            assert_eq!(hint(2, 3), None, "several idle containers");
            assert_eq!(hint(3, 0), None, "no idle container");
            assert_eq!(index.first_idle_hint(KeyId(9), || None), None);
        }
    }

    #[test]
    fn table_and_hash_hold_the_same_lists() {
        let (a, b, c) = (ContainerId(7), ContainerId(9), ContainerId(0));
        let rows = IdleIndex::default().resized(1 << 9, 1 << 10);
        assert!(matches!(rows, IdleIndex::Rows { .. }));
        for mut index in [IdleIndex::default(), IdleIndex::default().resized(4, 5), rows] {
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

    /// A row's search answers as the pairs' lists do: the first node in
    /// node order that the caller accepts, with that node's idle
    /// containers (one, or the several). A row longer than its line, the
    /// table and the hash table send the search to the node set.
    #[test]
    fn a_row_finds_the_first_accepted_node_with_its_containers() {
        let mut rows = IdleIndex::default().resized(1 << 9, 1 << 10);
        let nodes: Vec<u32> = (0..7).map(|i| (i * 37) % 101).collect();
        for (i, &node) in nodes.iter().enumerate() {
            rows.push(NodeId(node), KeyId(5), ContainerId(i as u32));
        }
        rows.push(NodeId(nodes[4]), KeyId(5), ContainerId(99));
        let mut sorted = nodes.clone();
        sorted.sort();
        let search = |index: &IdleIndex, key: u32, bar: u32| {
            index.find_in_row(KeyId(key), |node, idle| {
                let mut got = idle.to_vec();
                got.sort_by_key(|c| c.0);
                (node.0 >= bar).then_some((node.0, got))
            })
        };
        for &bar in &sorted {
            // Every node below `bar` refused.
            let (node, got) = search(&rows, 5, bar).unwrap().expect("a node at or past the bar");
            assert_eq!(node, bar);
            assert_eq!(Some(got), listed(&rows, bar, 5));
        }
        assert_eq!(search(&rows, 5, 1000), Ok(None));
        assert_eq!(search(&rows, 6, 0), Ok(None));
        assert_eq!(search(&rows, 1 << 10, 0), Ok(None));
        // An eighth node: the row leaves its line.
        rows.push(NodeId(200), KeyId(5), ContainerId(50));
        assert_eq!(search(&rows, 5, 0), Err(SearchTheSet));
        for mut index in [IdleIndex::default(), IdleIndex::default().resized(4, 5)] {
            index.push(NodeId(1), KeyId(2), ContainerId(3));
            assert_eq!(search(&index, 2, 0), Err(SearchTheSet));
        }
    }

    #[test]
    fn a_long_row_finds_each_node() {
        // Rows past eight entries are searched, not scanned.
        for mut index in [IdleIndex::default(), IdleIndex::default().resized(1 << 9, 1 << 10)] {
            let nodes: Vec<u32> = (0..40).map(|i| (i * 37) % 101).collect();
            for (i, &node) in nodes.iter().enumerate() {
                index.push(NodeId(node), KeyId(5), ContainerId(i as u32));
            }
            index.push(NodeId(nodes[3]), KeyId(5), ContainerId(99));
            for (i, &node) in nodes.iter().enumerate() {
                let mut want = vec![ContainerId(i as u32)];
                if i == 3 {
                    want.push(ContainerId(99));
                }
                assert_eq!(listed(&index, node, 5), Some(want));
            }
            assert_eq!(listed(&index, 101, 5), None);
            assert_eq!(listed(&index, nodes[7], 4), None);
            for (i, &node) in nodes.iter().enumerate().step_by(2) {
                assert!(index.remove(NodeId(node), KeyId(5), ContainerId(i as u32)));
            }
            assert!(!index.remove(NodeId(nodes[3]), KeyId(5), ContainerId(99)));
            for (i, &node) in nodes.iter().enumerate() {
                let want = match i {
                    3 => Some(vec![ContainerId(3)]),
                    _ if i % 2 == 0 => None,
                    _ => Some(vec![ContainerId(i as u32)]),
                };
                assert_eq!(listed(&index, node, 5), want, "node {node}");
            }
        }
    }
}

//! One set of nodes per reuse key (the nodes holding an idle, or a
//! prewarming, container of it), all kept in one flat array: each key's row
//! is its summary words then its node words. Finding a key's set is then
//! one memory access, where a `Vec<NodeSet>` took three (the set, its
//! summary, its words, each elsewhere); with thousands of functions those
//! are cache misses on every dispatch.

use super::ids::{KeyId, NodeId};
use super::nodeset::{NodeBits, add, take};

#[derive(Debug, Clone, Default)]
pub struct NodeSetsByKey {
    /// Words per row: `summary` words, then the node words.
    stride: usize,
    summary: usize,
    rows: Vec<u64>,
}

impl NodeSetsByKey {
    /// No key yet; sets able to hold nodes `0..nodes`.
    pub fn new(nodes: usize) -> Self {
        let words = nodes.div_ceil(64);
        let summary = words.div_ceil(64);
        NodeSetsByKey {
            stride: summary + words,
            summary,
            rows: Vec::new(),
        }
    }

    /// Empty sets for every key below `keys` that has none yet.
    pub fn ensure(&mut self, keys: usize) {
        let len = keys * self.stride;
        if self.rows.len() < len {
            self.rows.resize(len, 0);
        }
    }

    /// The set of `key`, if it has one.
    #[inline]
    pub fn get(&self, key: KeyId) -> Option<NodeBits<'_>> {
        let start = key.index() * self.stride;
        let row = self.rows.get(start..start + self.stride)?;
        let (summary, words) = row.split_at(self.summary);
        Some(NodeBits { words, summary })
    }

    /// Starts bringing `key`'s row (its summary and first words) into the
    /// cache, if the key exists.
    #[inline(always)]
    pub fn prefetch(&self, key: KeyId) {
        if let Some(first) = self.rows.get(key.index() * self.stride) {
            crate::cache_hint::prefetch(first);
        }
    }

    /// The set of `key` if it holds a node: with thousands of functions
    /// most keys have no container at all, and this answers for them from
    /// the summary alone, before a search sets up its walk of the words.
    #[inline]
    pub fn non_empty(&self, key: KeyId) -> Option<NodeBits<'_>> {
        self.get(key).filter(|set| !set.is_empty())
    }

    pub fn insert(&mut self, key: KeyId, node: NodeId) {
        let (words, summary) = self.row(key);
        add(words, summary, node);
    }

    pub fn remove(&mut self, key: KeyId, node: NodeId) {
        let (words, summary) = self.row(key);
        take(words, summary, node);
    }

    pub fn set(&mut self, key: KeyId, node: NodeId, present: bool) {
        if present {
            self.insert(key, node);
        } else {
            self.remove(key, node);
        }
    }

    /// The words and summary of `key`'s row.
    fn row(&mut self, key: KeyId) -> (&mut [u64], &mut [u64]) {
        let start = key.index() * self.stride;
        let (summary, words) = self.rows[start..start + self.stride].split_at_mut(self.summary);
        (words, summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serverless::nodeset::NodeSet;

    #[test]
    fn each_key_keeps_its_own_nodes_in_node_order() {
        let mut sets = NodeSetsByKey::new(200);
        assert!(sets.get(KeyId(0)).is_none());
        sets.ensure(3);
        for (key, node) in [(0, 199), (0, 3), (1, 70), (2, 64), (0, 130)] {
            sets.insert(KeyId(key), NodeId(node));
        }
        sets.remove(KeyId(0), NodeId(3));
        sets.set(KeyId(2), NodeId(64), false);
        sets.set(KeyId(2), NodeId(5), true);
        let nodes = |key| sets.get(KeyId(key)).unwrap().iter().map(|n| n.0).collect::<Vec<_>>();
        assert_eq!((nodes(0), nodes(1), nodes(2)), (vec![130, 199], vec![70], vec![5]));
        let mut free = NodeSet::new(200);
        [5, 70, 199].into_iter().for_each(|n| free.insert(NodeId(n)));
        let first = |key| sets.get(KeyId(key)).unwrap().find_common(&free, Some);
        assert_eq!(
            (first(0), first(1), first(2)),
            (Some(NodeId(199)), Some(NodeId(70)), Some(NodeId(5)))
        );
        assert!(sets.get(KeyId(3)).is_none());
    }

    /// A key's lowest node (what the idle container's cache hint starts
    /// from), past the first summary word too, and in the first when the
    /// key has nodes under both.
    #[test]
    fn first_is_the_lowest_node_of_the_key() {
        let mut sets = NodeSetsByKey::new(5000);
        sets.ensure(5);
        for (key, node) in [(1, 4500), (1, 4097), (2, 63), (2, 0), (3, 64), (4, 4200), (4, 10)] {
            sets.insert(KeyId(key), NodeId(node));
        }
        let first = |sets: &NodeSetsByKey, key| sets.get(KeyId(key)).and_then(|set| set.first());
        assert_eq!(
            [0, 1, 2, 3, 4, 5].map(|key| first(&sets, key)),
            [
                None,
                Some(NodeId(4097)),
                Some(NodeId(0)),
                Some(NodeId(64)),
                Some(NodeId(10)),
                None
            ]
        );
        sets.remove(KeyId(2), NodeId(0));
        assert_eq!(first(&sets, 2), Some(NodeId(63)));
    }

    /// The shortcut of the idle and prewarming searches: a key holding a
    /// node anywhere, even past the first summary word, is not empty.
    #[test]
    fn non_empty_answers_for_a_node_anywhere_and_none_once_gone() {
        let mut sets = NodeSetsByKey::new(5000);
        sets.ensure(3);
        sets.insert(KeyId(1), NodeId(4500));
        sets.insert(KeyId(2), NodeId(0));
        let nodes = |sets: &NodeSetsByKey, key| sets.non_empty(KeyId(key)).map(|set| set.iter().collect::<Vec<_>>());
        assert_eq!(nodes(&sets, 0), None);
        assert_eq!(nodes(&sets, 1), Some(vec![NodeId(4500)]));
        assert_eq!(nodes(&sets, 2), Some(vec![NodeId(0)]));
        assert_eq!(nodes(&sets, 3), None);
        sets.remove(KeyId(1), NodeId(4500));
        assert_eq!(nodes(&sets, 1), None);
    }
}

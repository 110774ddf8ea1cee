//! Sets of compute nodes (of one service) as bitsets, so that "the first
//! node in list order that has a free slot and the image in RAM" is a few
//! word operations instead of a scan of every node.

use super::ids::NodeId;

/// A set of node indices `0..n`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeSet {
    words: Vec<u64>,
}

impl NodeSet {
    /// An empty set able to hold nodes `0..n`.
    pub fn new(n: usize) -> Self {
        NodeSet {
            words: vec![0; n.div_ceil(64)],
        }
    }

    pub fn insert(&mut self, node: NodeId) {
        let (w, b) = (node.index() / 64, node.0 % 64);
        if w >= self.words.len() {
            self.words.resize(w + 1, 0);
        }
        self.words[w] |= 1 << b;
    }

    pub fn remove(&mut self, node: NodeId) {
        if let Some(word) = self.words.get_mut(node.index() / 64) {
            *word &= !(1 << (node.0 % 64));
        }
    }

    pub fn set(&mut self, node: NodeId, present: bool) {
        if present {
            self.insert(node);
        } else {
            self.remove(node);
        }
    }

    pub fn contains(&self, node: NodeId) -> bool {
        self.words
            .get(node.index() / 64)
            .is_some_and(|w| w & (1 << (node.0 % 64)) != 0)
    }

    /// The smallest node in both sets.
    pub fn first_common(&self, other: &NodeSet) -> Option<NodeId> {
        self.words.iter().zip(&other.words).enumerate().find_map(|(i, (a, b))| {
            let both = a & b;
            (both != 0).then(|| NodeId(i as u32 * 64 + both.trailing_zeros()))
        })
    }

    /// The smallest node of the set.
    pub fn first(&self) -> Option<NodeId> {
        self.words
            .iter()
            .enumerate()
            .find_map(|(i, w)| (*w != 0).then(|| NodeId(i as u32 * 64 + w.trailing_zeros())))
    }

    /// The first `f(node)` that is `Some`, over the nodes in both sets in
    /// increasing order. A plain loop: this is on every dispatch's path,
    /// where an iterator chain costs several times as much.
    pub fn find_common<T>(&self, other: &NodeSet, mut f: impl FnMut(NodeId) -> Option<T>) -> Option<T> {
        for (i, (a, b)) in self.words.iter().zip(&other.words).enumerate() {
            let mut both = a & b;
            while both != 0 {
                if let Some(found) = f(NodeId(i as u32 * 64 + both.trailing_zeros())) {
                    return Some(found);
                }
                both &= both - 1;
            }
        }
        None
    }

    /// Nodes of the set, in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.words
            .iter()
            .enumerate()
            .flat_map(|(i, w)| Bits(*w).map(move |bit| NodeId(i as u32 * 64 + bit)))
    }

    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    /// Makes this set a copy of `other` without reallocating.
    pub fn copy_from(&mut self, other: &NodeSet) {
        self.words.clear();
        self.words.extend_from_slice(&other.words);
    }
}

/// The set bits of a word, lowest first.
struct Bits(u64);

impl Iterator for Bits {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        if self.0 == 0 {
            return None;
        }
        let bit = self.0.trailing_zeros();
        self.0 &= self.0 - 1;
        Some(bit)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_common_and_iteration_are_in_node_order() {
        let mut a = NodeSet::new(200);
        let mut b = NodeSet::new(200);
        for n in [3, 70, 130, 199] {
            a.insert(NodeId(n));
        }
        for n in [70, 199, 5] {
            b.insert(NodeId(n));
        }
        assert_eq!(a.first_common(&b), Some(NodeId(70)));
        let mut seen = Vec::new();
        let found = a.find_common(&b, |n| {
            seen.push(n.0);
            (n.0 > 100).then_some(n.0 * 2)
        });
        assert_eq!((seen, found), (vec![70, 199], Some(398)));
        assert_eq!(a.iter().map(|n| n.0).collect::<Vec<_>>(), vec![3, 70, 130, 199]);
        a.remove(NodeId(3));
        assert_eq!(a.first(), Some(NodeId(70)));
        assert!(!a.contains(NodeId(3)) && a.contains(NodeId(130)));
    }
}

//! The first nodes of a fixed order of nodes (`openwhisk`'s probe
//! sequence of a function, `consistent_hash`'s walk of the ring), as a
//! set of nodes kept from round to round. The order strides over the
//! nodes, so a run along it goes node by node; but which nodes come first
//! never changes, so a round can read what it needs about the first `len`
//! of them a word of 64 nodes at a time: are any free (the policy skips
//! them when none is), and where they are, which only wait for their
//! image (`Overlay::claim_waiting_along`). A round then costs the words of
//! the prefix, not a random visit per node it holds.

use crate::serverless::ids::NodeId;
use crate::serverless::nodeset::NodeSet;
use crate::serverless::nodeset::watched::WatchedNodeSet;

/// A prefix is kept once it holds a word's worth of nodes.
const WORTH_KEEPING: u32 = 64;

/// The nodes at ranks `0..len` of one order.
#[derive(Debug, Default)]
pub struct Prefix {
    /// Listing the words that change, for what is kept about the prefix
    /// (`overlay/kept_prefix.rs`).
    nodes: WatchedNodeSet,
    /// The words holding a node, in the order they were first met.
    used: Vec<u32>,
    len: u32,
}

impl Prefix {
    /// How many ranks the prefix holds.
    pub fn len(&self) -> u32 {
        self.len
    }

    /// Adds the node at rank `len`.
    pub fn push(&mut self, node: NodeId) {
        let w = node.index() / 64;
        if self.nodes.word(w) == 0 {
            self.used.push(w as u32);
        }
        self.nodes.insert(node);
        self.len += 1;
    }

    /// The prefix's nodes, as a set that lists its changed words.
    pub fn nodes(&self) -> &WatchedNodeSet {
        &self.nodes
    }

    /// Whether a node of the prefix is in `set`, read a stretch of words
    /// at a time ([`NodeSet::meets`]).
    pub fn meets(&self, set: &NodeSet) -> bool {
        self.nodes.meets(set)
    }

    /// Makes the prefix hold the nodes up to rank `to`, if that is worth
    /// it (below a word's worth of nodes, a visit per node costs no more
    /// than a read of the words); `order_from(rank)` gives the order's
    /// nodes from that rank on.
    pub fn extend<I: Iterator<Item = NodeId>>(&mut self, to: u32, order_from: impl FnOnce(u32) -> I) {
        if to >= WORTH_KEEPING && to > self.len {
            let from = self.len;
            for node in order_from(from).take((to - from) as usize) {
                self.push(node);
            }
        }
    }

    /// Empties the prefix.
    pub fn clear(&mut self) {
        self.nodes.clear();
        self.used.clear();
        self.len = 0;
    }

    /// The prefix's nodes, word by word: `(i, bits)` for the nodes
    /// `64 i + b` of the bits `b`, no word twice, none empty.
    pub fn words(&self) -> impl Iterator<Item = (usize, u64)> + Clone + '_ {
        self.used.iter().map(|&w| (w as usize, self.nodes.word(w as usize)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_holds_its_nodes_word_by_word_until_cleared() {
        let mut prefix = Prefix::default();
        for n in [130, 3, 200, 64, 5] {
            prefix.push(NodeId(n));
        }
        assert_eq!(prefix.len(), 5);
        let mut words: Vec<(usize, u64)> = prefix.words().collect();
        words.sort_unstable();
        assert_eq!(words, vec![(0, 1 << 3 | 1 << 5), (1, 1), (2, 1 << 2), (3, 1 << 8)]);
        prefix.clear();
        assert_eq!((prefix.len(), prefix.words().count()), (0, 0));
        prefix.push(NodeId(7));
        assert_eq!(prefix.words().collect::<Vec<_>>(), vec![(0, 1 << 7)]);
    }
}

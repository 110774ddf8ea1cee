//! The first nodes of a function's probe sequence, as a set of nodes
//! kept from round to round. The probes stride over the nodes, so a run
//! along them goes node by node; but which nodes come first never
//! changes, so a round can read what it needs about the first `len` of
//! them a word of 64 nodes at a time: are any free (`openwhisk.rs`
//! skips them when none is), and where they are, which only wait for
//! their image (`Overlay::claim_waiting_among`). A round then costs the
//! words of the prefix, not a random visit per node it holds.

use crate::serverless::ids::NodeId;

/// The nodes at ranks `0..len` of one probe sequence.
#[derive(Debug, Default)]
pub struct Prefix {
    words: Vec<u64>,
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
        if w >= self.words.len() {
            self.words.resize(w + 1, 0);
        }
        if self.words[w] == 0 {
            self.used.push(w as u32);
        }
        self.words[w] |= 1 << (node.0 % 64);
        self.len += 1;
    }

    /// Empties the prefix.
    pub fn clear(&mut self) {
        for &w in &self.used {
            self.words[w as usize] = 0;
        }
        self.used.clear();
        self.len = 0;
    }

    /// The prefix's nodes, word by word: `(i, bits)` for the nodes
    /// `64 i + b` of the bits `b`, no word twice, none empty.
    pub fn words(&self) -> impl Iterator<Item = (usize, u64)> + '_ {
        self.used.iter().map(|&w| (w as usize, self.words[w as usize]))
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

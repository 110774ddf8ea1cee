//! A node set that says which of its words changed. A policy keeps what
//! it derived from such sets (`overlay/waiting_words.rs`: where an image
//! is on its way) from round to round; with the changes listed it brings
//! that up to date word by word, a round costing what changed rather than
//! a read of every word. The list is a short ring: a reader that fell
//! further behind than it holds reads the whole set again.

use std::ops::Deref;

use super::NodeSet;
use crate::serverless::ids::NodeId;

/// Changes the ring holds: a round changes a few words of a set (a copy
/// done, a load started), so a reader more than this behind is rare.
const RING: usize = 32;

/// A [`NodeSet`] whose words' changes are listed; read it as a `NodeSet`.
#[derive(Debug, Clone, Default)]
pub struct WatchedNodeSet {
    set: NodeSet,
    /// The words changed, the latest at `(changes - 1) % RING`.
    ring: [u32; RING],
    /// How many changes there were.
    changes: u64,
}

impl WatchedNodeSet {
    /// An empty set able to hold nodes `0..n`.
    pub fn new(n: usize) -> Self {
        WatchedNodeSet {
            set: NodeSet::new(n),
            ring: [0; RING],
            changes: 0,
        }
    }

    /// How many changes the set has had: a reader keeps it to ask, later,
    /// what changed since ([`WatchedNodeSet::changed_since`]).
    #[inline]
    pub fn changes(&self) -> u64 {
        self.changes
    }

    /// The words changed since the set had had `seen` changes (a word
    /// may come more than once), or None when the ring no longer holds
    /// them all: the reader must then read every word.
    pub fn changed_since(&self, seen: u64) -> Option<impl Iterator<Item = usize> + '_> {
        (self.changes - seen <= RING as u64)
            .then(|| (seen..self.changes).map(|k| self.ring[(k % RING as u64) as usize] as usize))
    }

    #[inline]
    pub fn insert(&mut self, node: NodeId) {
        if !self.set.contains(node) {
            self.set.insert(node);
            self.changed(node);
        }
    }

    #[inline]
    pub fn remove(&mut self, node: NodeId) {
        if self.set.contains(node) {
            self.set.remove(node);
            self.changed(node);
        }
    }

    #[inline]
    pub fn set(&mut self, node: NodeId, present: bool) {
        if present {
            self.insert(node);
        } else {
            self.remove(node);
        }
    }

    /// Empties the set; a reader then reads every word again.
    pub fn clear(&mut self) {
        self.set.clear();
        self.changes += RING as u64 + 1;
    }

    #[inline]
    fn changed(&mut self, node: NodeId) {
        self.ring[(self.changes % RING as u64) as usize] = node.0 / 64;
        self.changes += 1;
    }
}

impl Deref for WatchedNodeSet {
    type Target = NodeSet;

    #[inline]
    fn deref(&self) -> &NodeSet {
        &self.set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_words_changed_are_listed_until_the_ring_is_outrun() {
        let mut set = WatchedNodeSet::new(10_000);
        set.insert(NodeId(70));
        let seen = set.changes();
        // A node already in (or out of) the set changes no word.
        set.insert(NodeId(70));
        set.remove(NodeId(3));
        assert_eq!(set.changed_since(seen).unwrap().count(), 0);
        set.set(NodeId(5_000), true);
        set.remove(NodeId(70));
        let words: Vec<usize> = set.changed_since(seen).unwrap().collect();
        assert_eq!(words, [5_000 / 64, 1]);
        assert!(set.contains(NodeId(5_000)) && !set.contains(NodeId(70)));
        // As many changes as the ring holds are still listed; one more is not.
        let seen = set.changes();
        for n in 0..RING as u32 {
            set.insert(NodeId(64 * n));
        }
        let words: Vec<usize> = set.changed_since(seen).unwrap().collect();
        assert_eq!(words, (0..RING).collect::<Vec<_>>());
        set.insert(NodeId(9_999));
        assert!(set.changed_since(seen).is_none());
        // Emptied: nothing listed, whatever was seen.
        let seen = set.changes();
        set.clear();
        assert!(set.changed_since(seen).is_none() && set.is_empty());
    }
}

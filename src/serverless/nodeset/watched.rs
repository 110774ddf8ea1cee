//! A node set that says which of its words changed. A policy keeps what
//! it derived from such sets (`overlay/waiting_words.rs`: where an image
//! is on its way) from round to round; with the changes listed it brings
//! that up to date word by word, a round costing what changed rather than
//! a read of every word. The list is a short ring: a reader that fell
//! further behind than it holds reads the whole set again.
//!
//! A set changed on a hot path where listing costs (the service's free
//! nodes, on every dispatch of a loaded service) is not watched itself:
//! its reader keeps a watched copy and brings it up to date when it reads
//! ([`WatchedNodeSet::follow`]), a compare of every word that costs what
//! a copy does and lists only the words that differ.

use std::ops::Deref;

use super::{NodeSet, stretch};
use crate::serverless::ids::NodeId;

/// Changes the ring holds: a round changes a few words of a set (a copy
/// done, a load started), so a reader more than this behind is rare.
const RING: usize = 32;

/// Words in a cache line, compared at once by [`WatchedNodeSet::follow`].
const LINE: usize = 8;

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

    /// Makes the set a copy of `other`, listing the words where the two
    /// differed. Compared a summary word's words at a time, then a cache
    /// line's: a stretch that did not change costs one compare of memory.
    pub fn follow(&mut self, other: &NodeSet) {
        let set = &mut self.set;
        if set.words.len() != other.words.len() {
            set.words.resize(other.words.len(), 0);
            set.summary.resize(other.summary.len(), 0);
        }
        let stretches = set
            .words
            .chunks_mut(stretch::WORDS)
            .zip(other.words.chunks(stretch::WORDS));
        for (j, (mine, theirs)) in stretches.enumerate() {
            if mine == theirs {
                continue;
            }
            let lines = mine.chunks_mut(LINE).zip(theirs.chunks(LINE)).enumerate();
            for (l, (mine, theirs)) in lines.filter(|(_, (mine, theirs))| mine != theirs) {
                for (k, (word, bits)) in mine.iter_mut().zip(theirs).enumerate() {
                    if *word != *bits {
                        *word = *bits;
                        let i = j * stretch::WORDS + l * LINE + k;
                        self.ring[(self.changes % RING as u64) as usize] = i as u32;
                        self.changes += 1;
                    }
                }
            }
            set.summary[j] = other.summary[j];
        }
    }

    #[inline]
    fn changed(&mut self, node: NodeId) {
        self.ring[(self.changes % RING as u64) as usize] = node.0 / 64;
        self.changes += 1;
    }
}

/// The words changed in any of `sets` since each had had its `seen`
/// changes (a word may come more than once), or None when one of them no
/// longer lists its own: the reader must then read every word.
pub fn changed_in_all<'s, const N: usize>(
    sets: [&'s WatchedNodeSet; N],
    seen: [u64; N],
) -> Option<impl Iterator<Item = usize> + 's> {
    let listed = sets
        .iter()
        .zip(seen)
        .all(|(set, seen)| set.changed_since(seen).is_some());
    listed.then(move || {
        (sets.into_iter().zip(seen))
            .flat_map(|(set, seen)| set.changed_since(seen))
            .flatten()
    })
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

    #[test]
    fn a_set_followed_lists_the_words_that_differed() {
        let mut other = NodeSet::new(10_000);
        let mut copy = WatchedNodeSet::default();
        copy.follow(&other);
        assert!(copy.is_empty() && copy.word_count() == other.word_count());
        // Words in two summary words' stretches, one of them emptied again.
        for n in [5, 70, 71, 4_100, 9_999] {
            other.insert(NodeId(n));
        }
        let seen = copy.changes();
        copy.follow(&other);
        let words: Vec<usize> = copy.changed_since(seen).unwrap().collect();
        assert_eq!(words, [0, 1, 4_100 / 64, 9_999 / 64]);
        assert_eq!(copy.set, other);
        other.remove(NodeId(4_100));
        other.insert(NodeId(6));
        let seen = copy.changes();
        copy.follow(&other);
        let words: Vec<usize> = copy.changed_since(seen).unwrap().collect();
        assert_eq!(words, [0, 4_100 / 64]);
        assert_eq!(copy.set, other);
        // Nothing changed: nothing listed.
        let seen = copy.changes();
        copy.follow(&other);
        assert_eq!(copy.changed_since(seen).unwrap().count(), 0);
    }
}

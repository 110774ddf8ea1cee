//! Sets of compute nodes (of one service) as bitsets, so that "the first
//! node in list order that has a free slot and the image in RAM" is a few
//! word operations instead of a scan of every node. A second level marks
//! the words that hold a node: a search skips empty stretches 64 words at
//! a time, so its cost follows the nodes in the sets, not the platform's
//! size (thousands of nodes, most of them busy or without the image).

#[cfg(test)]
mod crowd_tests;
pub mod stretch;
pub mod watched;

use super::ids::NodeId;

/// A set of node indices `0..n`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodeSet {
    words: Vec<u64>,
    /// Bit `i` set when `words[i]` is not zero.
    summary: Vec<u64>,
}

/// The word and bit of a node.
#[inline(always)]
fn place(node: NodeId) -> (usize, u64) {
    (node.index() / 64, 1 << (node.0 % 64))
}

impl NodeSet {
    /// An empty set able to hold nodes `0..n`.
    pub fn new(n: usize) -> Self {
        let words = n.div_ceil(64);
        NodeSet {
            words: vec![0; words],
            summary: vec![0; words.div_ceil(64)],
        }
    }

    #[inline(always)]
    pub fn insert(&mut self, node: NodeId) {
        let w = node.index() / 64;
        if w >= self.words.len() {
            self.words.resize(w + 1, 0);
            self.summary.resize((w + 1).div_ceil(64), 0);
        }
        add(&mut self.words, &mut self.summary, node);
    }

    #[inline(always)]
    pub fn remove(&mut self, node: NodeId) {
        take(&mut self.words, &mut self.summary, node);
    }

    #[inline(always)]
    pub fn set(&mut self, node: NodeId, present: bool) {
        if present {
            self.insert(node);
        } else {
            self.remove(node);
        }
    }

    #[inline]
    pub fn contains(&self, node: NodeId) -> bool {
        let (w, bit) = place(node);
        self.words.get(w).is_some_and(|word| word & bit != 0)
    }

    /// Calls `f` with the index of every word that is not zero in this set
    /// and in `other`, in increasing order, until it returns `Some`.
    #[inline]
    fn find_word<T>(&self, other: &NodeSet, f: impl FnMut(usize) -> Option<T>) -> Option<T> {
        find_word(&self.summary, &other.summary, f)
    }

    /// The set's words, to search as [`NodeBits`].
    pub fn bits(&self) -> NodeBits<'_> {
        NodeBits {
            words: &self.words,
            summary: &self.summary,
        }
    }

    /// The smallest node in both sets.
    pub fn first_common(&self, other: &NodeSet) -> Option<NodeId> {
        self.find_word(other, |i| {
            let both = self.words[i] & other.words[i];
            (both != 0).then(|| NodeId(i as u32 * 64 + both.trailing_zeros()))
        })
    }

    /// The smallest node of the set from node `from` on.
    pub fn first_from(&self, from: usize) -> Option<NodeId> {
        let first = from / 64;
        let here = self.word(first) & (u64::MAX << (from % 64));
        if here != 0 {
            return Some(NodeId(first as u32 * 64 + here.trailing_zeros()));
        }
        let i = self.first_word_from(first + 1)?;
        Some(NodeId(i as u32 * 64 + self.words[i].trailing_zeros()))
    }

    /// The smallest node of the set.
    pub fn first(&self) -> Option<NodeId> {
        self.find_word(self, |i| Some(NodeId(i as u32 * 64 + self.words[i].trailing_zeros())))
    }

    /// The first `f(node)` that is `Some`, over the nodes in both sets in
    /// increasing order. Plain loops: this is on every dispatch's path,
    /// where an iterator chain costs several times as much.
    pub fn find_common<T>(&self, other: &NodeSet, f: impl FnMut(NodeId) -> Option<T>) -> Option<T> {
        self.bits().find_common(other, f)
    }

    /// Removes from this set, lowest first, at most `most` of the nodes it
    /// shares with `with` below `end` (all of them if `None`), and stops
    /// short of the first such node in `stop`. Returns how many it removed
    /// and the node it stopped at, if any. Word by word: a round
    /// claims thousands of nodes this way at the cost of a scan.
    pub fn take_lowest_common(
        &mut self,
        with: &NodeSet,
        end: Option<NodeId>,
        stop: &NodeSet,
        most: usize,
    ) -> (usize, Option<NodeId>) {
        let end = end.map_or(u64::MAX, |n| u64::from(n.0));
        let mut moved = 0;
        let mut stopped = None;
        for j in 0..self.summary.len().min(with.summary.len()) {
            let mut candidates = self.summary[j] & with.summary[j];
            // The words from the block's first that neither the bound, the
            // count nor a stop can cut: their common nodes go in one pass.
            let first = j * stretch::WORDS;
            let below_end = usize::try_from(end / 64).unwrap_or(usize::MAX).saturating_sub(first);
            let len = stretch::WORDS.min((most - moved) / 64).min(below_end);
            if candidates != 0 && len > 0 && stop.summary.get(j).is_none_or(|s| *s == 0) {
                let words = stretch::words_at_mut(&mut self.words, first, len);
                let (taken, emptied) = stretch::take_common(words, stretch::words_at(&with.words, first, len));
                moved += taken;
                self.summary[j] &= !emptied;
                candidates &= !stretch::summary_bits(0, len);
            }
            while candidates != 0 {
                let i = j * 64 + candidates.trailing_zeros() as usize;
                candidates &= candidates - 1;
                let base = i as u64 * 64;
                if moved == most || base >= end {
                    return (moved, None);
                }
                let mut both = self.words[i] & with.words[i];
                if end < base + 64 {
                    both &= (1u64 << (end - base)) - 1;
                }
                let stops = both & stop.words.get(i).copied().unwrap_or(0);
                if stops != 0 {
                    // Only the nodes below the first stop.
                    both &= (stops & stops.wrapping_neg()) - 1;
                    stopped = Some(NodeId(i as u32 * 64 + stops.trailing_zeros()));
                }
                let mut take = both;
                // A word holds at most 64: fewer left to take is rare.
                if most - moved < 64 && both.count_ones() as usize > most - moved {
                    // The lowest `most - moved` of them.
                    take = 0;
                    for _ in moved..most {
                        let lowest = both & both.wrapping_neg();
                        take |= lowest;
                        both &= !lowest;
                    }
                    stopped = None;
                }
                self.words[i] &= !take;
                if self.words[i] == 0 {
                    self.summary[j] &= !(1 << (i % 64));
                }
                moved += members(take);
                if stopped.is_some() && moved < most {
                    return (moved, stopped);
                }
            }
        }
        (moved, None)
    }

    /// How many words the set has: nodes `0 .. 64 word_count()`.
    pub fn word_count(&self) -> usize {
        self.words.len()
    }

    /// The nodes `64 i .. 64 i + 64` of the set, as the bits of a word.
    #[inline]
    pub fn word(&self, i: usize) -> u64 {
        self.words.get(i).copied().unwrap_or(0)
    }

    /// [`NodeBits::words_at`] of the set.
    #[inline]
    pub fn words_at(&self, first: usize, len: usize) -> &[u64] {
        stretch::words_at(&self.words, first, len)
    }

    /// Adds the nodes `64 i + b` for the bits `b` of `bits`.
    #[inline]
    pub fn insert_word(&mut self, i: usize, bits: u64) {
        if bits == 0 {
            return;
        }
        if i >= self.words.len() {
            self.words.resize(i + 1, 0);
            self.summary.resize((i + 1).div_ceil(64), 0);
        }
        self.words[i] |= bits;
        self.summary[i / 64] |= 1 << (i % 64);
    }

    /// Removes the nodes of a stretch of words from word `first` on
    /// (`64 (first + k) + b` for the bits `b` of `bits[k]`), all within the
    /// words one summary word marks: a round's run out of the free set in
    /// one pass over the stretch, not a call per word.
    #[inline]
    pub fn remove_stretch(&mut self, first: usize, bits: &[u64]) {
        debug_assert!(bits.is_empty() || first / 64 == (first + bits.len() - 1) / 64);
        let words = stretch::words_at_mut(&mut self.words, first, bits.len());
        let emptied = stretch::remove(words, bits);
        if let Some(summary) = self.summary.get_mut(first / 64) {
            *summary &= !(emptied << (first % 64));
        }
    }

    /// Removes every node of `other`, a summary word's stretch of words
    /// at a time (one pass the compiler can run on several words at once).
    pub fn remove_all(&mut self, other: &NodeSet) {
        for (j, marked) in other.summary.iter().enumerate() {
            if *marked != 0 {
                self.remove_stretch(j * stretch::WORDS, other.words_at(j * stretch::WORDS, stretch::WORDS));
            }
        }
    }

    /// Whether the set shares a node with `other`, read a summary word's
    /// stretch of words at a time: one pass the compiler runs on several
    /// words at once, not a test of each.
    pub fn meets(&self, other: &NodeSet) -> bool {
        (self.summary.iter().enumerate()).any(|(j, marked)| {
            let first = j * stretch::WORDS;
            *marked != 0
                && stretch::meets(
                    self.words_at(first, stretch::WORDS),
                    other.words_at(first, stretch::WORDS),
                )
        })
    }

    /// Removes every node of `other`, as [`remove_all`](Self::remove_all),
    /// when the words the removal leaves empty are known: those of
    /// `emptied` (a set of word indices, word `i` as node `i`), and among
    /// the words of `settle`. The words are then cleared in a plain pass
    /// the compiler runs on several words at once, with no test of each.
    pub fn remove_all_emptying(&mut self, other: &NodeSet, emptied: &NodeSet, settle: impl Iterator<Item = usize>) {
        for (j, marked) in other.summary.iter().enumerate() {
            if *marked != 0 {
                let first = j * stretch::WORDS;
                let words = stretch::words_at_mut(&mut self.words, first, stretch::WORDS);
                stretch::clear(words, other.words_at(first, stretch::WORDS));
                if let Some(summary) = self.summary.get_mut(j) {
                    *summary &= !emptied.word(j);
                }
            }
        }
        for i in settle {
            if self.word(i) == 0
                && let Some(summary) = self.summary.get_mut(i / 64)
            {
                *summary &= !(1 << (i % 64));
            }
        }
    }

    /// Removes the nodes `64 i + b` for the bits `b` of `bits`.
    #[inline]
    pub fn remove_word(&mut self, i: usize, bits: u64) {
        if let Some(word) = self.words.get_mut(i) {
            *word &= !bits;
            if *word == 0 {
                self.summary[i / 64] &= !(1 << (i % 64));
            }
        }
    }

    /// Removes from this set, lowest first from node `from` on, at most
    /// `most` nodes, as long as each is among the bits `allowed(i)` gives
    /// for its word `i`: the run stops short of the first node of the set
    /// not allowed. Calls `took(i, words)` with the nodes it removed, a
    /// stretch of words from word `i` on (within the words one summary
    /// word marks; the bits of `words[k]` for word `i + k`), as many times
    /// as it took stretches or single words; returns how many, and whether
    /// it stopped so (rather
    /// than for the count or the set's end). Word by word, as
    /// [`NodeSet::take_lowest_common`].
    pub fn take_lowest_run(
        &mut self,
        from: usize,
        most: usize,
        allowed: &impl Allowed,
        mut took: impl FnMut(usize, &[u64]),
    ) -> (usize, bool) {
        let mut moved = 0;
        let first = from / 64;
        let mut next = first;
        // Removing nodes clears only words already passed, so the summary
        // read again at each step still lists the words ahead.
        while let Some(i) = self.first_word_from(next) {
            next = i + 1;
            if moved == most {
                return (moved, false);
            }
            // Whole words past `from`, all their nodes allowed, that the
            // count does not cut: taken at once, as word by word.
            let len = (stretch::WORDS - i % stretch::WORDS).min((most - moved) / 64);
            if len > 0 && i * 64 >= from {
                let words = stretch::words_at_mut(&mut self.words, i, len);
                let len = allowed.leading(i, words);
                if len > 0 {
                    let words = &mut words[..len];
                    moved += stretch::take_all(words, |words| took(i, words));
                    self.summary[i / 64] &= !stretch::summary_bits(i, len);
                    next = i + len;
                    continue;
                }
            }
            let mut here = self.words[i];
            if i == first {
                here &= u64::MAX << (from % 64);
            }
            let bad = here & !allowed.word(i);
            let mut run = here;
            if bad != 0 {
                run &= (bad & bad.wrapping_neg()) - 1;
            }
            if most - moved < 64 && run.count_ones() as usize > most - moved {
                let mut lowest = 0;
                for _ in moved..most {
                    lowest |= run & run.wrapping_neg();
                    run &= run - 1;
                }
                run = lowest;
            }
            self.remove_word(i, run);
            took(i, &[run]);
            moved += members(run);
            if run != here {
                return (moved, bad != 0 && moved < most);
            }
        }
        (moved, false)
    }

    /// The first word holding a node, from word `first` on, read off the
    /// summary: empty stretches are skipped 64 words at a time.
    #[inline(always)]
    fn first_word_from(&self, first: usize) -> Option<usize> {
        let mut j = first / 64;
        let mut words = self.summary.get(j)? & (u64::MAX << (first % 64));
        while words == 0 {
            j += 1;
            words = *self.summary.get(j)?;
        }
        Some(j * 64 + words.trailing_zeros() as usize)
    }

    /// Nodes of the set, in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = NodeId> + '_ {
        self.bits().iter()
    }

    /// Calls `f(i, bits)` for every word `i` of the set that holds a node,
    /// in increasing order, found off the summary.
    pub fn for_each_word(&self, mut f: impl FnMut(usize, u64)) {
        for (j, s) in self.summary.iter().enumerate() {
            for k in Bits(*s) {
                let i = j * 64 + k as usize;
                f(i, self.words[i]);
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.bits().is_empty()
    }

    /// Empties the set.
    pub fn clear(&mut self) {
        for (j, s) in self.summary.iter_mut().enumerate() {
            for k in Bits(*s) {
                self.words[j * 64 + k as usize] = 0;
            }
            *s = 0;
        }
    }

    /// Makes this set a copy of `other` without reallocating.
    pub fn copy_from(&mut self, other: &NodeSet) {
        self.words.clear();
        self.words.extend_from_slice(&other.words);
        self.summary.clear();
        self.summary.extend_from_slice(&other.summary);
    }
}

/// Which nodes a run may take ([`NodeSet::take_lowest_run`]).
pub trait Allowed {
    /// The allowed nodes `64 i + b` of word `i`, as the bits `b`.
    fn word(&self, i: usize) -> u64;

    /// How many of `words`, the words from word `first` of a set, hold
    /// only allowed nodes, before the first that does not.
    fn leading(&self, first: usize, words: &[u64]) -> usize {
        (words.iter().enumerate())
            .take_while(|(k, bits)| *bits & !self.word(first + k) == 0)
            .count()
    }
}

impl<F: Fn(usize) -> u64> Allowed for F {
    fn word(&self, i: usize) -> u64 {
        self(i)
    }
}

/// The words of a node set, wherever they are kept: a [`NodeSet`]'s own,
/// or a row of a `nodesets::NodeSetsByKey`.
#[derive(Debug, Clone, Copy)]
pub struct NodeBits<'a> {
    pub(super) words: &'a [u64],
    pub(super) summary: &'a [u64],
}

impl<'a> NodeBits<'a> {
    /// [`NodeSet::word`] of these words.
    #[inline]
    pub fn word(self, i: usize) -> u64 {
        self.words.get(i).copied().unwrap_or(0)
    }

    /// The words `first .. first + len` of the set, as far as it reaches.
    #[inline]
    pub fn words_at(self, first: usize, len: usize) -> &'a [u64] {
        stretch::words_at(self.words, first, len)
    }

    /// Whether a node of the set is in the words `first .. first + len`,
    /// read off the summary.
    #[inline]
    pub fn any_in(self, first: usize, len: usize) -> bool {
        let end = first + len;
        (first / 64..end.div_ceil(64)).any(|j| {
            let from = first.max(j * 64) - j * 64;
            let to = end.min(j * 64 + 64) - j * 64;
            let bits = if to - from == 64 {
                u64::MAX
            } else {
                ((1u64 << (to - from)) - 1) << from
            };
            self.summary.get(j).is_some_and(|s| s & bits != 0)
        })
    }

    /// The set's lowest node, found off the summary.
    #[inline]
    pub fn first(self) -> Option<NodeId> {
        let j = self.summary.iter().position(|s| *s != 0)?;
        let i = j * 64 + self.summary[j].trailing_zeros() as usize;
        Some(NodeId(i as u32 * 64 + self.words.get(i)?.trailing_zeros()))
    }

    /// Whether the set holds no node: no word is marked in the summary.
    #[inline]
    pub fn is_empty(self) -> bool {
        self.summary.iter().all(|s| *s == 0)
    }

    /// [`NodeSet::find_common`] over these words.
    #[inline]
    pub fn find_common<T>(self, other: &NodeSet, mut f: impl FnMut(NodeId) -> Option<T>) -> Option<T> {
        find_word(self.summary, &other.summary, |i| {
            let mut both = self.words[i] & other.words[i];
            while both != 0 {
                if let Some(found) = f(NodeId(i as u32 * 64 + both.trailing_zeros())) {
                    return Some(found);
                }
                both &= both - 1;
            }
            None
        })
    }

    /// Nodes of the set, in increasing order.
    pub fn iter(self) -> impl Iterator<Item = NodeId> + 'a {
        self.summary.iter().enumerate().flat_map(move |(j, s)| {
            Bits(*s).flat_map(move |k| {
                let i = j * 64 + k as usize;
                Bits(self.words[i]).map(move |bit| NodeId(i as u32 * 64 + bit))
            })
        })
    }
}

/// Calls `f` with the index of every word marked in both summaries, in
/// increasing order, until it returns `Some`.
#[inline]
fn find_word<T>(a: &[u64], b: &[u64], mut f: impl FnMut(usize) -> Option<T>) -> Option<T> {
    for (j, (a, b)) in a.iter().zip(b).enumerate() {
        let mut both = a & b;
        while both != 0 {
            if let Some(found) = f(j * 64 + both.trailing_zeros() as usize) {
                return Some(found);
            }
            both &= both - 1;
        }
    }
    None
}

/// Adds `node` to the set of these words (long enough to hold it).
#[inline]
pub(super) fn add(words: &mut [u64], summary: &mut [u64], node: NodeId) {
    let (w, bit) = place(node);
    words[w] |= bit;
    summary[w / 64] |= 1 << (w % 64);
}

/// Removes `node` from the set of these words, if they reach it.
#[inline]
pub(super) fn take(words: &mut [u64], summary: &mut [u64], node: NodeId) {
    let (w, bit) = place(node);
    if let Some(word) = words.get_mut(w) {
        *word &= !bit;
        if *word == 0 {
            summary[w / 64] &= !(1 << (w % 64));
        }
    }
}

/// How many nodes the bits of a word hold. A crowd of nodes in a row
/// fills whole words, which are counted without the bit count (a dozen
/// instructions where the CPU's own is not assumed).
#[inline(always)]
pub fn members(bits: u64) -> usize {
    if bits == u64::MAX {
        64
    } else {
        bits.count_ones() as usize
    }
}

/// The set bits of a word, lowest first.
pub struct Bits(pub u64);

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

    /// A set of nodes `0..300` holding `list`.
    fn nodes(list: &[u32]) -> NodeSet {
        let mut set = NodeSet::new(300);
        list.iter().for_each(|n| set.insert(NodeId(*n)));
        set
    }

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
        let from = |n: usize| a.first_from(n).map(|n| n.0);
        assert_eq!(
            [from(0), from(4), from(70), from(71), from(130), from(198), from(200)],
            [Some(3), Some(70), Some(70), Some(130), Some(130), Some(199), None]
        );
        a.remove(NodeId(3));
        assert_eq!(a.first(), Some(NodeId(70)));
        assert!(!a.contains(NodeId(3)) && a.contains(NodeId(130)));
    }

    #[test]
    fn taking_the_lowest_common_nodes_stops_at_the_bound_the_count_or_a_stop() {
        let with = nodes(&[1, 2, 63, 64, 65, 130, 131, 250]);
        let none = NodeSet::new(300);
        // Everything common, up to a bound.
        let mut free = nodes(&[0, 1, 2, 63, 64, 130, 131, 250]);
        assert_eq!(free.take_lowest_common(&with, Some(NodeId(131)), &none, 100), (5, None));
        assert_eq!(free.iter().map(|n| n.0).collect::<Vec<_>>(), [0, 131, 250]);
        // At most a count, lowest first.
        let mut free = nodes(&[1, 2, 63, 64, 65]);
        assert_eq!(free.take_lowest_common(&with, None, &none, 2), (2, None));
        assert_eq!(free.iter().map(|n| n.0).collect::<Vec<_>>(), [63, 64, 65]);
        // Short of a stop, which stays.
        let mut free = nodes(&[1, 2, 63, 64, 65, 130]);
        assert_eq!(
            free.take_lowest_common(&with, None, &nodes(&[2, 65]), 10),
            (1, Some(NodeId(2)))
        );
        assert_eq!(free.iter().map(|n| n.0).collect::<Vec<_>>(), [2, 63, 64, 65, 130]);
        // Crowds in a row: whole words counted, then the count's last part.
        let all: Vec<u32> = (0..300).collect();
        for most in [64, 100, 128, 200, 299, 300, 400] {
            let mut free = nodes(&all);
            assert_eq!(
                free.take_lowest_common(&nodes(&all), None, &none, most),
                (most.min(300), None)
            );
            assert_eq!(free.first().map(|n| n.index()), (most < 300).then_some(most));
        }
    }

    #[test]
    fn a_lowest_run_stops_at_the_first_node_not_allowed_or_the_count() {
        let allowed = nodes(&[1, 2, 63, 64, 65, 130, 200, 250]);
        let run = |set: &mut NodeSet, from: usize, most: usize| {
            let mut taken = NodeSet::new(300);
            let count = set.take_lowest_run(from, most, &|i| allowed.word(i), |i, words| {
                (words.iter().enumerate()).for_each(|(k, bits)| taken.insert_word(i + k, *bits))
            });
            (count, taken.iter().map(|n| n.0).collect::<Vec<_>>())
        };
        // Up to the first node not allowed (131), which stays.
        let mut set = nodes(&[1, 2, 63, 64, 130, 131, 200]);
        assert_eq!(run(&mut set, 0, 100), ((5, true), vec![1, 2, 63, 64, 130]));
        assert_eq!(set.iter().map(|n| n.0).collect::<Vec<_>>(), [131, 200]);
        // At most a count.
        let mut set = nodes(&[1, 2, 63, 64, 65]);
        assert_eq!(run(&mut set, 0, 4), ((4, false), vec![1, 2, 63, 64]));
        assert_eq!(set.iter().map(|n| n.0).collect::<Vec<_>>(), [65]);
        // All of it, across empty words.
        let mut set = nodes(&[2, 200, 250]);
        assert_eq!(run(&mut set, 0, 10), ((3, false), vec![2, 200, 250]));
        assert!(set.is_empty());
        // Nothing when the first node is not allowed.
        let mut set = nodes(&[0, 1]);
        assert_eq!(run(&mut set, 0, 10), ((0, true), vec![]));
        // From a node on: those before it neither taken nor stopping it.
        let mut set = nodes(&[0, 1, 2, 63, 64, 131, 200]);
        assert_eq!(run(&mut set, 2, 10), ((3, true), vec![2, 63, 64]));
        assert_eq!(set.iter().map(|n| n.0).collect::<Vec<_>>(), [0, 1, 131, 200]);
        let mut set = nodes(&[0, 1, 200, 250]);
        assert_eq!(run(&mut set, 199, 10), ((2, false), vec![200, 250]));
        let mut big = NodeSet::new(10_000);
        let mut wide = NodeSet::new(10_000);
        for n in [5, 4_100, 9_000] {
            big.insert(NodeId(n));
            wide.insert(NodeId(n));
        }
        let took = big.take_lowest_run(4_099, 10, &|i| wide.word(i), |_, _| {});
        assert_eq!(took, (2, false));
        assert_eq!(big.iter().map(|n| n.0).collect::<Vec<_>>(), [5]);
        // Crowds in a row: whole words counted, then the count's last part.
        let all: Vec<u32> = (0..300).collect();
        for most in [64, 100, 128, 200, 299, 300, 400] {
            let mut set = nodes(&all);
            assert_eq!(
                set.take_lowest_run(0, most, &|_| u64::MAX, |_, _| {}),
                (most.min(300), false)
            );
            assert_eq!(set.first().map(|n| n.index()), (most < 300).then_some(most));
        }
    }

    #[test]
    fn sets_meet_where_they_share_a_node_whatever_the_stretch() {
        // Nodes in three summary words' stretches, the last one shorter.
        let mut set = NodeSet::new(10_000);
        for n in [3, 4_100, 9_999] {
            set.insert(NodeId(n));
        }
        let other = |list: &[u32]| {
            let mut other = NodeSet::new(10_000);
            list.iter().for_each(|n| other.insert(NodeId(*n)));
            other
        };
        assert!(!set.meets(&other(&[])));
        assert!(!set.meets(&other(&[2, 4_099, 4_101, 9_998, 5_000])));
        for n in [3, 4_100, 9_999] {
            assert!(set.meets(&other(&[n])), "{n}");
            assert!(other(&[1, n, 7_000]).meets(&set), "{n}");
        }
        // A set shorter than the other.
        assert!(nodes(&[3]).meets(&set) && !nodes(&[5]).meets(&set));
    }

    #[test]
    fn a_stretch_removed_at_once_is_removed_node_by_node() {
        // The words 65..70, within the second summary word: some emptied,
        // some not.
        let mut whole = NodeSet::new(10_000);
        (64 * 65..64 * 70)
            .filter(|n| n % 7 != 3)
            .for_each(|n| whole.insert(NodeId(n)));
        let bits = [u64::MAX, 0, 1 << 5, u64::MAX, !0 << 1];
        let mut fast = whole.clone();
        fast.remove_stretch(65, &bits);
        let mut slow = whole.clone();
        for (k, word) in bits.iter().enumerate() {
            for b in Bits(*word) {
                slow.remove(NodeId((65 + k) as u32 * 64 + b));
            }
        }
        assert_eq!(fast.iter().collect::<Vec<_>>(), slow.iter().collect::<Vec<_>>());
        // Searches read the summary: an emptied word must be out of it.
        assert_eq!(fast.first(), slow.first());
        assert_eq!(fast.first_common(&whole), slow.first_common(&whole));
        fast.remove_stretch(65, &[u64::MAX; 5]);
        assert!(fast.is_empty());
    }

    #[test]
    fn the_first_node_from_a_node_on_is_the_first_the_iteration_reaches() {
        // Sets with nodes in one word, across words, and past stretches of
        // more than 64 empty words (skipped by the summary).
        for members in [
            &[][..],
            &[0],
            &[63, 64],
            &[1, 2, 63, 64, 65, 130],
            &[5, 4_100, 4_163, 9_000, 9_999],
        ] {
            let mut set = NodeSet::new(10_000);
            for &n in members {
                set.insert(NodeId(n));
            }
            for from in (0..10_000).filter(|f| f % 37 == 0 || members.iter().any(|&n| n.abs_diff(*f as u32) <= 1)) {
                let expected = set.iter().find(|n| n.index() >= from);
                assert_eq!(set.first_from(from), expected, "{members:?} from {from}");
            }
        }
    }
}

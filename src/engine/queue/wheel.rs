//! The near future of the event queue: one bucket per time quantum, in a ring.
//!
//! Slot `q % SLOTS` holds the entries of quantum `q` for the `SLOTS - 1`
//! quanta after the current one (the owner keeps every entry it files here
//! inside that window), unordered. A two-level bitmap (a bit per slot, a bit
//! per word of slots) finds the next non-empty slot from any position in a
//! few instructions, wrapping around the ring.
//!
//! Most slots hold one entry when taken, so a slot stores its first entry
//! in the ring itself: filing and taking it touch one place of the ring and
//! no other memory. A crowded slot's further entries are chained through
//! `overflow`, a pool shared by all slots whose nodes are given back when
//! their slot is taken and reused last freed first (still warm): the
//! queue's memory follows the entries stored at once, not the peak of
//! every slot.

use super::Entry;

/// Slots in the ring: a power of two, at most 64 x 64 (one summary word).
pub(super) const SLOTS: usize = 4096;
const WORDS: usize = SLOTS / 64;

/// No node: the end of a chain.
const NONE: u32 = u32::MAX;

/// An entry and the next node of its chain. The entry's fields are laid
/// out flat so that the chain index fills what would be padding: a node is
/// the size of an entry (24 bytes), and the ring 96 KiB.
#[derive(Debug, Clone, Copy)]
struct Node {
    time_bits: u64,
    seq: u64,
    target: u32,
    /// In the ring: the slot's first overflow node. In `overflow`: the
    /// next node of the slot's chain, or of the free list.
    next: u32,
}

impl Node {
    /// What a slot holds before its first entry (never read: the bitmap
    /// says the slot is empty).
    const UNUSED: Node = Node {
        time_bits: 0,
        seq: 0,
        target: 0,
        next: NONE,
    };

    #[inline(always)]
    fn new(entry: Entry, next: u32) -> Self {
        Node {
            time_bits: entry.time_bits,
            seq: entry.seq,
            target: entry.target,
            next,
        }
    }

    #[inline(always)]
    fn entry(&self) -> Entry {
        Entry {
            time_bits: self.time_bits,
            seq: self.seq,
            target: self.target,
        }
    }
}

#[derive(Debug)]
pub(super) struct Wheel {
    /// Each non-empty slot's first entry. A fixed-size array: a slot
    /// masked by `SLOTS - 1` is known in bounds.
    ring: Box<[Node; SLOTS]>,
    /// Which slots are non-empty.
    words: [u64; WORDS],
    /// Which words of `words` are non-zero.
    summary: u64,
    /// Crowded slots' further entries, and free nodes.
    overflow: Vec<Node>,
    /// The last node freed ([`NONE`] for none).
    free: u32,
}

impl Default for Wheel {
    fn default() -> Self {
        Wheel {
            ring: Box::new([Node::UNUSED; SLOTS]),
            words: [0; WORDS],
            summary: 0,
            overflow: Vec::new(),
            free: NONE,
        }
    }
}

impl Wheel {
    /// Adds `entry` to slot `slot & (SLOTS - 1)`. Inlined into each
    /// push: a call cost half as much again as the filing.
    #[inline(always)]
    pub fn push(&mut self, slot: usize, entry: Entry) {
        let slot = slot & (SLOTS - 1);
        let bit = 1 << (slot % 64);
        if self.words[slot / 64] & bit != 0 {
            return self.crowd(slot, entry);
        }
        self.ring[slot] = Node::new(entry, NONE);
        self.words[slot / 64] |= bit;
        self.summary |= 1 << (slot / 64);
    }

    /// Chains `entry` to non-empty slot `slot`, in a node of `overflow`.
    /// Out of line: the rarer case stays out of every inlined push.
    #[inline(never)]
    fn crowd(&mut self, slot: usize, entry: Entry) {
        let node = Node::new(entry, self.ring[slot].next);
        let index = match self.free {
            NONE => {
                self.overflow.push(node);
                u32::try_from(self.overflow.len() - 1).expect("fewer than 2^32 entries in the queue")
            }
            index => {
                self.free = self.overflow[index as usize].next;
                self.overflow[index as usize] = node;
                index
            }
        };
        self.ring[slot].next = index;
    }

    /// The first non-empty slot at or after `start` (`start < SLOTS`),
    /// wrapping around past the last slot.
    #[inline]
    pub fn next_from(&self, start: usize) -> Option<usize> {
        let word = start / 64;
        let here = self.words[word] & (!0 << (start % 64));
        if here != 0 {
            return Some(word * 64 + here.trailing_zeros() as usize);
        }
        // Words after `word`, else the lowest word (wrapped: possibly
        // `word` itself, whose bits left are then before `start`).
        let after = self.summary & (!1 << word);
        let next = if after != 0 { after } else { self.summary };
        if next == 0 {
            return None;
        }
        let word = next.trailing_zeros() as usize;
        Some(word * 64 + self.words[word].trailing_zeros() as usize)
    }

    /// The target of non-empty slot `slot`'s first entry (not necessarily
    /// its earliest).
    #[inline]
    pub fn first_target(&self, slot: usize) -> u32 {
        self.ring[slot & (SLOTS - 1)].target
    }

    /// The earliest time bits in non-empty slot `slot`.
    #[inline]
    pub fn earliest(&self, slot: usize) -> u64 {
        let first = &self.ring[slot & (SLOTS - 1)];
        match first.next {
            // The usual case: a lone entry.
            NONE => first.time_bits,
            next => self.chain(next).map(|e| e.time_bits).fold(first.time_bits, u64::min),
        }
    }

    /// Empties slot `slot`: its lone entry, or `None` after handing its
    /// entries (several) to `spill`.
    #[inline(always)]
    pub fn take(&mut self, slot: usize, spill: impl FnOnce(Spill<'_>)) -> Option<Entry> {
        let slot = slot & (SLOTS - 1);
        self.words[slot / 64] &= !(1 << (slot % 64));
        if self.words[slot / 64] == 0 {
            self.summary &= !(1 << (slot / 64));
        }
        let first = self.ring[slot];
        if first.next == NONE {
            return Some(first.entry());
        }
        spill(Spill {
            first: Some(first.entry()),
            next: first.next,
            overflow: &mut self.overflow,
            free: &mut self.free,
        });
        None
    }

    /// The entries of a chain from node `next` on, in `overflow`.
    fn chain(&self, mut next: u32) -> impl Iterator<Item = Entry> + '_ {
        std::iter::from_fn(move || {
            if next == NONE {
                return None;
            }
            let node = &self.overflow[next as usize];
            next = node.next;
            Some(node.entry())
        })
    }

    /// The entries of non-empty slot `slot`.
    fn entries(&self, slot: usize) -> impl Iterator<Item = Entry> + '_ {
        let first = &self.ring[slot];
        std::iter::once(first.entry()).chain(self.chain(first.next))
    }

    /// The earliest time bits among the entries `live` accepts, visiting
    /// the slots from `start` around the ring (the owner's quantum order).
    pub fn peek_live(&self, start: usize, live: impl Fn(&Entry) -> bool) -> Option<u64> {
        (0..SLOTS)
            .map(|step| (start + step) & (SLOTS - 1))
            .filter(|&slot| self.words[slot / 64] & (1 << (slot % 64)) != 0)
            .find_map(|slot| self.entries(slot).filter(|e| live(e)).map(|e| e.time_bits).min())
    }

    /// Keeps only the entries `live` accepts; returns how many are left.
    pub fn retain(&mut self, mut live: impl FnMut(&Entry) -> bool) -> usize {
        let mut len = 0;
        let mut kept = Vec::new();
        for slot in 0..SLOTS {
            if self.words[slot / 64] & (1 << (slot % 64)) == 0 {
                continue;
            }
            let lone = self.take(slot, |spill| kept.extend(spill));
            kept.extend(lone);
            kept.retain(&mut live);
            len += kept.len();
            for entry in kept.drain(..) {
                self.push(slot, entry);
            }
        }
        len
    }
}

/// The entries of a crowded slot being taken, first entry first: each
/// overflow node goes back to the free list as its entry is read, and
/// those not read when it is dropped too.
pub(super) struct Spill<'a> {
    first: Option<Entry>,
    /// The next overflow node to read ([`NONE`] when done).
    next: u32,
    overflow: &'a mut [Node],
    free: &'a mut u32,
}

impl Iterator for Spill<'_> {
    type Item = Entry;

    #[inline]
    fn next(&mut self) -> Option<Entry> {
        if let Some(first) = self.first.take() {
            return Some(first);
        }
        if self.next == NONE {
            return None;
        }
        let index = self.next;
        let node = &mut self.overflow[index as usize];
        self.next = node.next;
        node.next = *self.free;
        *self.free = index;
        Some(node.entry())
    }
}

impl Drop for Spill<'_> {
    fn drop(&mut self) {
        self.for_each(drop);
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    fn entry(seq: u64) -> Entry {
        Entry {
            time_bits: seq,
            seq,
            target: 0,
        }
    }

    #[test]
    fn next_from_finds_the_first_slot_around_the_ring() {
        let mut wheel = Wheel::default();
        assert_eq!(wheel.next_from(0), None);
        for slot in [5, 130, 4000] {
            wheel.push(slot, entry(slot as u64));
        }
        assert_eq!(wheel.next_from(0), Some(5));
        assert_eq!(wheel.next_from(5), Some(5));
        assert_eq!(wheel.next_from(6), Some(130));
        assert_eq!(wheel.next_from(131), Some(4000));
        assert_eq!(wheel.next_from(4001), Some(5));
        assert_eq!(wheel.take(5, |_| unreachable!()), Some(entry(5)));
        assert_eq!(wheel.next_from(4001), Some(130));
        wheel.push(SLOTS + 129, entry(1));
        assert_eq!(wheel.next_from(4001), Some(129));
        assert_eq!(wheel.next_from(129), Some(129));
    }

    /// A crowded slot hands over all its entries, ties included, and
    /// gives its overflow nodes back: the slot then holds a lone entry
    /// inline again, and crowding it anew reuses the same nodes.
    #[test]
    fn a_crowded_slot_spills_every_entry_and_its_nodes_are_reused() {
        let mut wheel = Wheel::default();
        let tie = |seq| Entry {
            time_bits: 7,
            seq,
            target: seq as u32,
        };
        for round in 0..3u64 {
            let seqs: Vec<u64> = (0..5).map(|k| round * 10 + k).collect();
            for &seq in &seqs {
                wheel.push(7 + SLOTS, tie(seq));
            }
            assert_eq!(wheel.earliest(7), 7);
            let mut spilled = Vec::new();
            assert_eq!(wheel.take(7, |spill| spilled.extend(spill)), None);
            spilled.sort_by_key(|e| e.seq);
            assert_eq!(spilled, seqs.iter().map(|&seq| tie(seq)).collect::<Vec<_>>());
            assert_eq!(wheel.next_from(0), None);
            assert_eq!(wheel.overflow.len(), 4);
            wheel.push(7, tie(99));
            assert_eq!(wheel.take(7, |_| unreachable!()), Some(tie(99)));
        }
    }

    #[test]
    fn a_slot_is_the_size_of_an_entry() {
        assert_eq!(std::mem::size_of::<Node>(), 24);
        assert_eq!(std::mem::size_of::<Entry>(), 24);
    }
}

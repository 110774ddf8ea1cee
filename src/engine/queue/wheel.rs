//! The near future of the event queue: one bucket per time quantum, in a ring.
//!
//! Slot `q % SLOTS` holds the entries of quantum `q` for the `SLOTS - 1`
//! quanta after the current one (the owner keeps every entry it files here
//! inside that window), unordered. A two-level bitmap (a bit per slot, a bit
//! per word of slots) finds the next non-empty slot from any position in a
//! few instructions, wrapping around the ring.

use super::Entry;

/// Slots in the ring: a power of two, at most 64 x 64 (one summary word).
pub(super) const SLOTS: usize = 4096;
const WORDS: usize = SLOTS / 64;

#[derive(Debug)]
pub(super) struct Wheel {
    /// A fixed-size array: a slot masked by `SLOTS - 1` is known in bounds.
    buckets: Box<[Vec<Entry>; SLOTS]>,
    /// Which slots are non-empty.
    words: [u64; WORDS],
    /// Which words of `words` are non-zero.
    summary: u64,
}

impl Default for Wheel {
    fn default() -> Self {
        Wheel {
            buckets: Box::new(std::array::from_fn(|_| Vec::new())),
            words: [0; WORDS],
            summary: 0,
        }
    }
}

impl Wheel {
    /// Adds `entry` to slot `slot & (SLOTS - 1)`. Inlined into each
    /// push: a call cost half as much again as the filing.
    #[inline(always)]
    pub fn push(&mut self, slot: usize, entry: Entry) {
        let slot = slot & (SLOTS - 1);
        self.buckets[slot].push(entry);
        self.words[slot / 64] |= 1 << (slot % 64);
        self.summary |= 1 << (slot / 64);
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

    /// The earliest time bits in non-empty slot `slot`.
    #[inline]
    pub fn earliest(&self, slot: usize) -> u64 {
        match self.buckets[slot & (SLOTS - 1)].as_slice() {
            // The usual case: a lone entry.
            [entry] => entry.time_bits,
            bucket => bucket.iter().map(|e| e.time_bits).min().unwrap_or(u64::MAX),
        }
    }

    /// Empties slot `slot`: its lone entry, or `None` after handing its
    /// entries (several) to `spill`, which must leave the vector empty.
    #[inline(always)]
    pub fn take(&mut self, slot: usize, spill: impl FnOnce(&mut Vec<Entry>)) -> Option<Entry> {
        let slot = slot & (SLOTS - 1);
        self.words[slot / 64] &= !(1 << (slot % 64));
        if self.words[slot / 64] == 0 {
            self.summary &= !(1 << (slot / 64));
        }
        let bucket = &mut self.buckets[slot];
        if let [entry] = bucket[..] {
            bucket.clear();
            return Some(entry);
        }
        spill(bucket);
        debug_assert!(bucket.is_empty());
        None
    }

    /// The earliest time bits among the entries `live` accepts, visiting
    /// the slots from `start` around the ring (the owner's quantum order).
    pub fn peek_live(&self, start: usize, live: impl Fn(&Entry) -> bool) -> Option<u64> {
        (0..SLOTS)
            .map(|step| (start + step) & (SLOTS - 1))
            .filter(|&slot| self.words[slot / 64] & (1 << (slot % 64)) != 0)
            .find_map(|slot| self.buckets[slot].iter().filter(|e| live(e)).map(|e| e.time_bits).min())
    }

    /// Keeps only the entries `live` accepts; returns how many are left.
    pub fn retain(&mut self, mut live: impl FnMut(&Entry) -> bool) -> usize {
        let mut len = 0;
        for slot in 0..SLOTS {
            let bucket = &mut self.buckets[slot];
            if bucket.is_empty() {
                continue;
            }
            bucket.retain(&mut live);
            len += bucket.len();
            if bucket.is_empty() {
                self.words[slot / 64] &= !(1 << (slot % 64));
                if self.words[slot / 64] == 0 {
                    self.summary &= !(1 << (slot / 64));
                }
            }
        }
        len
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
}

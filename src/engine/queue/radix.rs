//! A monotone radix queue on the bits of f64 times, ordered by (time, sequence number).
//!
//! Simulated time never goes back, so the queue only has to hand out keys no
//! smaller than the last one it handed out (`last`). The bits of a
//! non-negative f64 order like the number, so an entry is filed by the
//! highest 6-bit digit where its time differs from `last`, and by its own
//! value of that digit: 11 levels x 64 buckets. Taking the earliest entry
//! empties the lowest non-empty bucket, refiling its entries against the new
//! `last`; each entry moves down a few levels over its life, so filing and
//! taking cost O(1) amortised with sequential memory access. Entries at
//! exactly `last` sit in `current`, sorted by sequence number, which breaks
//! ties in scheduling order. Sequence numbers are given by the caller.

use super::Entry;

const DIGIT_BITS: u32 = 6;
const FAN: usize = 1 << DIGIT_BITS;
const LEVELS: usize = 64usize.div_ceil(DIGIT_BITS as usize);

#[derive(Debug)]
pub(super) struct Radix {
    /// Time bits of the last entry taken (or of [`Radix::restart`]); every
    /// stored entry is at or after it.
    last: u64,
    /// Entries at exactly `last`, in sequence order; those before `front` are consumed.
    current: Vec<Entry>,
    front: usize,
    /// `buckets[level * FAN + digit]`. A fixed-size array: the index a
    /// filing computes (a level of at most 10, a digit of 6 bits) is
    /// known to be in bounds, with no check at each filing.
    buckets: Box<[Vec<Entry>; LEVELS * FAN]>,
    /// Per level, which digits have a non-empty bucket.
    masks: [u64; LEVELS],
    /// Which levels have a non-empty bucket.
    levels: u16,
}

impl Default for Radix {
    fn default() -> Self {
        Radix {
            last: 0,
            current: Vec::new(),
            front: 0,
            buckets: Box::new(std::array::from_fn(|_| Vec::new())),
            masks: [0; LEVELS],
            levels: 0,
        }
    }
}

impl Radix {
    /// Time bits of the last entry taken: nothing stored is earlier.
    #[inline]
    pub fn last(&self) -> u64 {
        self.last
    }

    /// Whether nothing is stored.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.levels == 0 && !self.has_current()
    }

    /// Whether an entry waits at exactly `last`.
    #[inline]
    pub fn has_current(&self) -> bool {
        self.front < self.current.len()
    }

    /// Moves `last` forward to `last` (the queue is empty): entries filed
    /// from now on are filed against it.
    #[inline]
    pub fn restart(&mut self, last: u64) {
        debug_assert!(self.is_empty() && last >= self.last);
        self.last = last;
        self.current.clear();
        self.front = 0;
    }

    /// The earliest time stored (the earliest entry's bits), if any.
    #[inline]
    pub fn earliest(&self) -> Option<u64> {
        if self.has_current() {
            return Some(self.last);
        }
        self.lowest().map(|(_, earliest)| earliest)
    }

    /// Removes and returns the earliest entry if `due` accepts its time
    /// bits; otherwise leaves the queue as it is. One look at the lowest
    /// bucket decides and, when the entry is due, takes it.
    #[inline(always)]
    pub fn take_first(&mut self, due: impl Fn(u64) -> bool) -> Option<Entry> {
        if self.has_current() {
            return due(self.last).then(|| self.take_current());
        }
        let (index, earliest) = self.lowest()?;
        due(earliest).then(|| self.take_lowest(index, earliest))
    }

    /// Hands every entry of the lowest bucket to `each`, unordered, if
    /// `fits` accepts the latest time bits the bucket can hold (and no
    /// entry waits at `last`, which would come first); returns whether it
    /// did. `last` stays: what is left is still filed against it. An owner
    /// that needs the entries only by coarser ranges than the bucket's
    /// takes them this way, each moved once, where taking them one by one
    /// refiles each bucket down every level to the exact order.
    pub fn take_lowest_bucket(&mut self, fits: impl Fn(u64) -> bool, each: impl FnMut(Entry)) -> bool {
        if self.levels == 0 || self.has_current() {
            return false;
        }
        let level = self.levels.trailing_zeros() as usize;
        let digit = self.masks[level].trailing_zeros() as usize;
        if !fits(bucket_end(self.last, level, digit)) {
            return false;
        }
        self.masks[level] &= !(1 << digit);
        if self.masks[level] == 0 {
            self.levels &= !(1 << level);
        }
        let index = level * FAN + digit;
        let mut bucket = std::mem::take(&mut self.buckets[index]);
        bucket.drain(..).for_each(each);
        self.buckets[index] = bucket;
        true
    }

    /// Puts back the entry just taken, where it was: it is taken again next.
    pub fn requeue(&mut self, entry: Entry) {
        if self.front > 0 {
            debug_assert!(self.current[self.front - 1].seq == entry.seq);
            self.front -= 1;
            self.current[self.front] = entry;
        } else {
            // It was a lone entry, taken without passing through `current`;
            // what was filed at its time since came after it.
            self.current.insert(0, entry);
        }
    }

    /// The time bits of the earliest entry `live` accepts, without removing anything.
    pub fn peek_live(&self, live: impl Fn(&Entry) -> bool) -> Option<u64> {
        if self.current[self.front..].iter().any(&live) {
            return Some(self.last);
        }
        for level in 0..LEVELS {
            let mut mask = self.masks[level];
            while mask != 0 {
                let digit = mask.trailing_zeros() as usize;
                mask &= mask - 1;
                // Buckets are visited in key order, so the first live entry's
                // bucket holds the answer.
                let best = self.buckets[level * FAN + digit]
                    .iter()
                    .filter(|e| live(e))
                    .map(|e| e.time_bits)
                    .min();
                if best.is_some() {
                    return best;
                }
            }
        }
        None
    }

    /// Keeps only the entries `live` accepts; returns how many are left.
    pub fn retain(&mut self, mut live: impl FnMut(&Entry) -> bool) -> usize {
        self.current.drain(..self.front);
        self.front = 0;
        self.current.retain(&mut live);
        let mut len = self.current.len();
        for level in 0..LEVELS {
            let mut mask = self.masks[level];
            while mask != 0 {
                let digit = mask.trailing_zeros() as usize;
                mask &= mask - 1;
                let bucket = &mut self.buckets[level * FAN + digit];
                bucket.retain(&mut live);
                len += bucket.len();
                if bucket.is_empty() {
                    self.masks[level] &= !(1 << digit);
                }
            }
            if self.masks[level] == 0 {
                self.levels &= !(1 << level);
            }
        }
        len
    }

    /// Files an entry (at or after `last`) against `last`.
    #[inline]
    pub fn file(&mut self, entry: Entry) {
        debug_assert!(entry.time_bits >= self.last);
        let diff = entry.time_bits ^ self.last;
        if diff == 0 {
            self.current.push(entry);
            return;
        }
        let level = ((63 - diff.leading_zeros()) / DIGIT_BITS) as usize;
        let digit = (entry.time_bits >> (level as u32 * DIGIT_BITS)) as usize & (FAN - 1);
        self.buckets[level * FAN + digit].push(entry);
        self.masks[level] |= 1 << digit;
        self.levels |= 1 << level;
    }

    /// Files every entry of `entries` (at or after `last`), and puts those
    /// at `last` in sequence order.
    pub fn file_all(&mut self, entries: impl IntoIterator<Item = Entry>) {
        for entry in entries {
            self.file(entry);
        }
        if self.current.len() - self.front > 1 {
            self.current[self.front..].sort_unstable_by_key(|e| e.seq);
        }
    }

    /// The next entry of `current` (there is one).
    #[inline]
    pub fn take_current(&mut self) -> Entry {
        let entry = self.current[self.front];
        self.front += 1;
        entry
    }

    /// The lowest non-empty bucket and the earliest time in it (the
    /// earliest stored outside `current`).
    #[inline]
    fn lowest(&self) -> Option<(usize, u64)> {
        if self.levels == 0 {
            return None;
        }
        let level = self.levels.trailing_zeros() as usize;
        let digit = self.masks[level].trailing_zeros() as usize;
        let index = level * FAN + digit;
        let earliest = match self.buckets[index].as_slice() {
            // The usual case near `last`: a lone entry.
            [entry] => entry.time_bits,
            bucket => bucket.iter().map(|e| e.time_bits).min()?,
        };
        Some((index, earliest))
    }

    /// Moves `last` to `earliest`, the earliest time of bucket `index`, the
    /// lowest non-empty one (`current` is used up), and takes the first
    /// entry at that time: a lone entry as it is, else after refiling the
    /// bucket, whose entries at `earliest` become `current` and the others
    /// go lower. The refile, rarer, stays out of line.
    #[inline(always)]
    fn take_lowest(&mut self, index: usize, earliest: u64) -> Entry {
        self.current.clear();
        self.front = 0;
        let (level, digit) = (index / FAN, index % FAN);
        self.masks[level] &= !(1 << digit);
        if self.masks[level] == 0 {
            self.levels &= !(1 << level);
        }
        self.last = earliest;
        let bucket = &mut self.buckets[index];
        if let [entry] = bucket[..] {
            bucket.clear();
            return entry;
        }
        self.refile(index);
        self.take_current()
    }

    /// Refiles bucket `index` against `last`, its earliest time: every entry
    /// now differs from `last` at a lower digit, or not at all (it joins
    /// `current`).
    #[inline(never)]
    fn refile(&mut self, index: usize) {
        let mut bucket = std::mem::take(&mut self.buckets[index]);
        self.file_all(bucket.drain(..));
        self.buckets[index] = bucket;
    }
}

/// The latest time bits bucket `digit` of `level` can hold against `last`:
/// `last`'s digits above the level, the bucket's digit, all ones below;
/// at most +inf's, the latest time stored (past it are NaNs' bits).
fn bucket_end(last: u64, level: usize, digit: usize) -> u64 {
    let low = level as u32 * DIGIT_BITS;
    let above = u64::MAX.checked_shl(low + DIGIT_BITS).unwrap_or(0);
    let end = (last & above) | ((digit as u64) << low) | !(u64::MAX << low);
    end.min(f64::INFINITY.to_bits())
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// Every entry a bucket holds is at or before its end, and the
        /// end is what the bucket's range reaches: the time after it is
        /// filed in a later bucket (a higher digit, or a higher level).
        #[test]
        fn a_bucket_ends_where_the_next_begins(
            last in 0..=f64::INFINITY.to_bits(),
            ahead in proptest::num::u64::ANY,
            shift in 0u32..64,
        ) {
            let infinity = f64::INFINITY.to_bits();
            let later = last.saturating_add(ahead >> shift).min(infinity);
            proptest::prop_assume!(later != last);
            let bucket = |time_bits: u64| {
                let mut radix = Radix { last, ..Radix::default() };
                radix.file(Entry { time_bits, seq: 0, target: 0 });
                let level = radix.levels.trailing_zeros() as usize;
                (level, radix.masks[level].trailing_zeros() as usize)
            };
            let (level, digit) = bucket(later);
            let end = bucket_end(last, level, digit);
            proptest::prop_assert!(later <= end);
            proptest::prop_assert_eq!(bucket(end), (level, digit));
            if end < infinity {
                proptest::prop_assert!(bucket(end + 1) > (level, digit));
            }
        }
    }

    #[test]
    fn entries_at_the_last_time_do_not_pile_up_between_lone_takes() {
        let mut radix = Radix::default();
        for i in 0..1000u32 {
            for target in 0..2 {
                radix.file(Entry {
                    time_bits: f64::from(i).to_bits(),
                    seq: u64::from(2 * i + target),
                    target,
                });
                assert_eq!(radix.take_first(|_| true).map(|e| e.target), Some(target));
            }
        }
        assert!(radix.current.len() <= 1);
    }
}

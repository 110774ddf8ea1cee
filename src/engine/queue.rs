//! The future event set: a monotone radix queue ordered by (time, sequence number).
//!
//! Simulated time never goes back, so the queue only has to hand out keys no
//! smaller than the last one it popped (`last`). The bits of a non-negative
//! f64 order like the number, so an entry is filed by the highest 6-bit digit
//! where its time differs from `last`, and by its own value of that digit:
//! 11 levels x 64 buckets. Popping empties the lowest non-empty bucket,
//! refiling its entries against the new `last`; each entry moves down a few
//! levels over its life, so push and pop cost O(1) amortised with sequential
//! memory access. Entries at exactly `last` sit in `current`, sorted by
//! sequence number, which breaks ties in scheduling order.
//!
//! Entries are never removed from the middle: a cancelled or moved event
//! leaves a stale entry that its owner recognises (by sequence number) when
//! it surfaces, and the queue is compacted once stale entries outnumber live ones.

/// One scheduled event: `target` is opaque to the queue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Entry {
    /// Bit pattern of the (non-negative) time: orders like the time itself.
    time_bits: u64,
    /// Global scheduling order; breaks ties between equal times.
    pub seq: u64,
    /// What the event is about (decoded by the engine).
    pub target: u32,
}

impl Entry {
    /// The event's time in seconds.
    #[inline]
    pub fn time(&self) -> f64 {
        f64::from_bits(self.time_bits)
    }
}

const DIGIT_BITS: u32 = 6;
const FAN: usize = 1 << DIGIT_BITS;
const LEVELS: usize = 64usize.div_ceil(DIGIT_BITS as usize);

/// Below this many stale entries the queue is never compacted.
const MIN_COMPACTION: usize = 1024;

#[derive(Debug)]
pub(crate) struct EventQueue {
    /// Time bits of the last popped entry; every stored entry is at or after it.
    last: u64,
    /// Entries at exactly `last`, in sequence order; those before `front` are consumed.
    current: Vec<Entry>,
    front: usize,
    /// `buckets[level * FAN + digit]`. A fixed-size array: the index a
    /// filing computes (a level of at most 10, a digit of 6 bits) is
    /// known to be in bounds, with no check at each of the two or three
    /// filings of every entry.
    buckets: Box<[Vec<Entry>; LEVELS * FAN]>,
    /// Per level, which digits have a non-empty bucket.
    masks: [u64; LEVELS],
    /// Which levels have a non-empty bucket.
    levels: u16,
    /// Entries stored, stale ones included.
    len: usize,
    next_seq: u64,
    stale: usize,
}

impl Default for EventQueue {
    fn default() -> Self {
        EventQueue {
            last: 0,
            current: Vec::new(),
            front: 0,
            buckets: Box::new(std::array::from_fn(|_| Vec::new())),
            masks: [0; LEVELS],
            levels: 0,
            len: 0,
            next_seq: 0,
            stale: 0,
        }
    }
}

impl EventQueue {
    /// Schedules `target` at `time`; returns its sequence number. `time` must
    /// not be NaN, nor earlier than the last popped entry (it would then be
    /// handed out at that entry's time). +inf is allowed: it pops last.
    #[inline]
    pub fn push(&mut self, time: f64, target: u32) -> u64 {
        debug_assert!(!time.is_nan() && time.to_bits() >= self.last);
        self.next_seq += 1;
        // `+ 0.0` turns a negative zero into a positive one, whose bits order correctly.
        let time_bits = (time + 0.0).to_bits().max(self.last);
        self.file(Entry {
            time_bits,
            seq: self.next_seq,
            target,
        });
        self.len += 1;
        self.next_seq
    }

    /// Removes and returns the earliest entry (stale or not).
    #[inline]
    pub fn pop(&mut self) -> Option<Entry> {
        if self.front < self.current.len() {
            return Some(self.take_current());
        }
        let (index, earliest) = self.lowest()?;
        Some(self.take_lowest(index, earliest))
    }

    /// Puts back the entry `pop` just returned, where it was: it pops again next.
    pub fn requeue(&mut self, entry: Entry) {
        if self.front > 0 {
            debug_assert!(self.current[self.front - 1].seq == entry.seq);
            self.front -= 1;
            self.current[self.front] = entry;
        } else {
            // It was a lone entry, popped without passing through `current`;
            // what was pushed at its time since came after it.
            self.current.insert(0, entry);
        }
        self.len += 1;
    }

    /// Whether an entry (stale or not) waits at exactly the last popped time.
    #[inline]
    pub fn has_current(&self) -> bool {
        self.front < self.current.len()
    }

    /// Removes and returns the earliest entry (stale or not) if it is due
    /// strictly before `limit`; otherwise leaves the queue as it is. One look
    /// at the lowest bucket decides and, when the entry is due, takes it.
    #[inline]
    pub fn pop_before(&mut self, limit: f64) -> Option<Entry> {
        if self.front < self.current.len() {
            return (f64::from_bits(self.last) < limit).then(|| self.take_current());
        }
        let (index, earliest) = self.lowest()?;
        (f64::from_bits(earliest) < limit).then(|| self.take_lowest(index, earliest))
    }

    /// The next entry of `current` (there is one).
    #[inline]
    fn take_current(&mut self) -> Entry {
        let entry = self.current[self.front];
        self.front += 1;
        self.len -= 1;
        entry
    }

    /// The time of the earliest entry `live` accepts, without removing anything.
    pub fn peek_live(&self, live: impl Fn(&Entry) -> bool) -> Option<f64> {
        if self.current[self.front..].iter().any(&live) {
            return Some(f64::from_bits(self.last));
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
                if let Some(bits) = best {
                    return Some(f64::from_bits(bits));
                }
            }
        }
        None
    }

    /// Records that one entry in the queue went stale; returns true when the
    /// caller should compact with [`EventQueue::retain`].
    pub fn note_stale(&mut self) -> bool {
        self.stale += 1;
        self.stale >= MIN_COMPACTION && self.stale * 2 > self.len
    }

    /// Records that a stale entry left the queue through `pop`.
    pub fn note_stale_popped(&mut self) {
        self.stale = self.stale.saturating_sub(1);
    }

    /// Keeps only the entries `live` accepts.
    pub fn retain(&mut self, mut live: impl FnMut(&Entry) -> bool) {
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
        self.len = len;
        self.stale = 0;
    }

    /// Files an entry against `last`.
    #[inline]
    fn file(&mut self, entry: Entry) {
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
    /// entry at that time: a lone entry as it is (the usual case near
    /// `last`), else after refiling the bucket, whose entries at `earliest`
    /// become `current` and the others go lower. Inlined into the pops (once
    /// per event): the refile, rarer, stays out of line.
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
            self.len -= 1;
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
        for entry in bucket.drain(..) {
            self.file(entry);
        }
        self.buckets[index] = bucket;
        if self.current.len() > 1 {
            self.current.sort_unstable_by_key(|e| e.seq);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(q: &mut EventQueue) -> Vec<(f64, u32)> {
        std::iter::from_fn(|| q.pop()).map(|e| (e.time(), e.target)).collect()
    }

    #[test]
    fn pops_in_time_then_sequence_order() {
        let mut q = EventQueue::default();
        let times = [3.0, 1.0, 2.0, 1.0, 0.0, 3.0, 2.5, 1e-300, 1e300];
        for (i, &t) in times.iter().enumerate() {
            q.push(t, i as u32);
        }
        assert_eq!(
            drain(&mut q),
            vec![
                (0.0, 4),
                (1e-300, 7),
                (1.0, 1),
                (1.0, 3),
                (2.0, 2),
                (2.5, 6),
                (3.0, 0),
                (3.0, 5),
                (1e300, 8)
            ]
        );
    }

    #[test]
    fn matches_a_sorted_reference_under_interleaving() {
        let mut q = EventQueue::default();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            x.wrapping_mul(0x2545_f491_4f6c_dd1d)
        };
        let mut reference: Vec<(f64, u64, u32)> = Vec::new();
        let mut now = 0.0;
        for round in 0..20_000u32 {
            // A few pushes (some at `now`, some tied), then one pop.
            for k in 0..(next() % 3) {
                let delay = match next() % 4 {
                    0 => 0.0,
                    1 => 0.5,
                    _ => (next() >> 11) as f64 / (1u64 << 53) as f64 * 10.0,
                };
                let target = round * 4 + k as u32;
                let seq = q.push(now + delay, target);
                reference.push((now + delay, seq, target));
            }
            reference.sort_by(|a, b| (a.0, a.1).partial_cmp(&(b.0, b.1)).expect("no NaN"));
            let want = (!reference.is_empty()).then(|| reference.remove(0));
            let got = q.pop().map(|e| (e.time(), e.seq, e.target));
            assert_eq!(got, want);
            if let Some((t, _, _)) = got {
                now = t;
            }
        }
    }

    #[test]
    fn peek_live_skips_stale_entries() {
        let mut q = EventQueue::default();
        for i in 0..10u32 {
            q.push(f64::from(10 - i), i);
        }
        assert_eq!(q.peek_live(|_| true), Some(1.0));
        assert_eq!(q.peek_live(|e| e.target < 5), Some(6.0));
        assert_eq!(q.pop().map(|e| e.target), Some(9));
        q.push(1.0, 42);
        assert!(q.has_current());
        assert_eq!(q.peek_live(|e| e.target != 42), Some(2.0));
        assert_eq!(q.peek_live(|_| false), None);
    }

    #[test]
    fn pop_before_pops_what_pop_would_only_before_its_limit() {
        let mut q = EventQueue::default();
        let mut reference = EventQueue::default();
        assert_eq!(q.pop_before(f64::INFINITY), None);
        for t in [5.0, 3.0, 4.0, 3.5, 9.0, 3.0] {
            q.push(t, 0);
            reference.push(t, 0);
        }
        let mut popped = Vec::new();
        for limit in [3.0, 3.0000001, 3.5, 3.75, 10.0, 10.0] {
            while let Some(entry) = q.pop_before(limit) {
                assert!(entry.time() < limit);
                assert_eq!(Some(entry), reference.pop());
                popped.push((entry.time(), entry.target));
                if entry.target == 0 && entry.time() == 3.5 {
                    // Pushed at and after the last pop, between stored entries.
                    for queue in [&mut q, &mut reference] {
                        queue.push(3.5, 1);
                        queue.push(3.75, 2);
                    }
                }
            }
        }
        assert_eq!(reference.pop(), None);
        assert_eq!(
            popped,
            vec![
                (3.0, 0),
                (3.0, 0),
                (3.5, 0),
                (3.5, 1),
                (3.75, 2),
                (4.0, 0),
                (5.0, 0),
                (9.0, 0)
            ]
        );
    }

    /// The run loop's pattern: events popped before each arrival's date,
    /// pushes between (some into the lowest bucket, some below it), and
    /// the arrival's own pushes after its date; against a sorted list.
    #[test]
    fn pop_before_matches_a_sorted_reference_between_arrivals() {
        let mut q = EventQueue::default();
        let mut reference: Vec<(f64, u64, u32)> = Vec::new();
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            x.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 11
        };
        let unit = |n: u64| n as f64 / (1u64 << 53) as f64;
        let push = |q: &mut EventQueue, reference: &mut Vec<(f64, u64, u32)>, due: f64, target: u32| {
            let seq = q.push(due, target);
            reference.push((due, seq, target));
            reference.sort_by(|a, b| (a.0, a.1).partial_cmp(&(b.0, b.1)).expect("no NaN"));
        };
        let mut arrival = 0.0;
        for round in 0..20_000u32 {
            arrival += unit(next()) * 0.2;
            loop {
                let due = reference.first().filter(|e| e.0 < arrival).copied();
                let got = q.pop_before(arrival).map(|e| (e.time(), e.seq, e.target));
                assert_eq!(got, due);
                let Some((time, _, _)) = got else { break };
                reference.remove(0);
                if next() % 4 == 0 {
                    push(&mut q, &mut reference, time + unit(next()) * 0.05, round);
                }
            }
            for _ in 0..=(next() % 2) {
                let spread = [0.01, 1.0, 100.0][(next() % 3) as usize];
                push(&mut q, &mut reference, arrival + unit(next()) * spread, round);
            }
        }
        for want in reference {
            assert_eq!(q.pop().map(|e| (e.time(), e.seq, e.target)), Some(want));
        }
        assert_eq!(q.pop(), None);
    }

    #[test]
    fn a_requeued_entry_pops_again_first() {
        let mut q = EventQueue::default();
        for i in 0..3u32 {
            q.push(1.0, i);
        }
        let first = q.pop().expect("an entry");
        q.requeue(first);
        let targets: Vec<u32> = drain(&mut q).into_iter().map(|(_, t)| t).collect();
        assert_eq!(targets, vec![0, 1, 2]);
    }

    #[test]
    fn a_requeued_lone_entry_pops_again_before_what_came_at_its_time() {
        let mut q = EventQueue::default();
        q.push(2.0, 0);
        q.push(1.0, 1);
        let first = q.pop().expect("an entry");
        assert_eq!(first.target, 1);
        q.push(1.0, 2);
        q.requeue(first);
        q.push(1.0, 3);
        let targets: Vec<u32> = drain(&mut q).into_iter().map(|(_, t)| t).collect();
        assert_eq!(targets, vec![1, 2, 3, 0]);
    }

    #[test]
    fn entries_at_the_current_time_do_not_pile_up_between_lone_pops() {
        let mut q = EventQueue::default();
        for i in 0..1000u32 {
            q.push(f64::from(i), 0);
            assert_eq!(q.pop().map(|e| e.target), Some(0));
            q.push(f64::from(i), 1);
            assert_eq!(q.pop().map(|e| e.target), Some(1));
        }
        assert!(q.current.len() <= 1);
    }

    #[test]
    fn retain_drops_and_keeps_order() {
        let mut q = EventQueue::default();
        for i in 0..50u32 {
            q.push(f64::from(50 - i), i);
        }
        q.pop();
        q.retain(|e| e.target % 2 == 0);
        assert_eq!(q.len, 25);
        let targets: Vec<u32> = drain(&mut q).into_iter().map(|(_, t)| t).collect();
        let expected: Vec<u32> = (0..49).rev().filter(|t| t % 2 == 0).collect();
        assert_eq!(targets, expected);
    }
}

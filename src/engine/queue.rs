//! The future event set, ordered by (time, sequence number).
//!
//! Simulated time never goes back, so the queue only hands out keys no
//! smaller than the last one it popped (`last`). On a run of replayed
//! requests nearly every entry is due within seconds (a body's sleep) and
//! the rest within minutes (idle timeouts): entries are sorted by time
//! quantum (1/256 s) first. Those of the last popped entry's quantum are in
//! `fine`, a radix queue on the f64 bits that orders them exactly; those of
//! the next [`SLOTS`] - 1 quanta in `wheel`, one unordered bucket per
//! quantum, filed once; later ones in `far`, another radix queue, and move
//! into the wheel, a window's worth at once, when the earliest of them is
//! next (a bucket of `far` that fits in the window as it is, unsorted).
//! A wheel bucket taken alone
//! (the usual case) is popped as it is; one with several entries is
//! handed to `fine`, which orders them.
//!
//! Entries are never removed from the middle: a cancelled or moved event
//! leaves a stale entry that its owner recognises (by sequence number) when
//! it surfaces, and the queue is compacted once stale entries outnumber live ones.

mod radix;
mod wheel;

use radix::Radix;
use wheel::{SLOTS, Wheel};

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

/// Quanta per second: a power of two, so `time * QUANTA` is exact. Measured
/// on the full day's Azure replay at 100 requests/s (about 108 events a
/// second, delays mostly 1/32 s to 16 s): a quantum holds 0.42 events on
/// average and the ring's 4096 quanta reach 16 s, past 92 % of the delays.
const QUANTA: f64 = 256.0;

/// The quantum of time bits: never decreasing with the time (+inf and
/// times past 2^63 quanta share the last one). Through `i64`: a conversion
/// that saturates in fewer instructions than to `u64`, for a time that is
/// never negative.
#[inline]
fn quantum(time_bits: u64) -> u64 {
    (f64::from_bits(time_bits) * QUANTA) as i64 as u64
}

/// Below this many stale entries the queue is never compacted.
const MIN_COMPACTION: usize = 1024;

#[derive(Debug)]
pub(crate) struct EventQueue {
    /// Entries of quantum `quantum`, the last popped entry's; its `last`
    /// is the queue's.
    fine: Radix,
    /// Entries `quantum + 1 ..= quantum + SLOTS - 1`, by quantum.
    wheel: Wheel,
    /// Later entries: at or after `quantum + SLOTS` when filed; moved into
    /// the wheel (or `fine`) when the earliest of them is next.
    far: Radix,
    /// The quantum of the last popped entry.
    quantum: u64,
    /// The quantum of `far`'s earliest entry (`u64::MAX` when empty).
    far_quantum: u64,
    /// Entries stored, stale ones included.
    len: usize,
    next_seq: u64,
    stale: usize,
}

impl Default for EventQueue {
    fn default() -> Self {
        EventQueue {
            fine: Radix::default(),
            wheel: Wheel::default(),
            far: Radix::default(),
            quantum: 0,
            far_quantum: u64::MAX,
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
        debug_assert!(!time.is_nan() && time.to_bits() >= self.fine.last());
        self.next_seq += 1;
        // `+ 0.0` turns a negative zero into a positive one, whose bits order correctly.
        let time_bits = (time + 0.0).to_bits().max(self.fine.last());
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
        self.take_first(|_| true)
    }

    /// Removes and returns the earliest entry (stale or not) if it is due
    /// strictly before `limit`; otherwise leaves the queue as it is. One look
    /// at the earliest bucket decides and, when the entry is due, takes it.
    #[inline]
    pub fn pop_before(&mut self, limit: f64) -> Option<Entry> {
        self.take_first(|bits| f64::from_bits(bits) < limit)
    }

    /// Removes and returns the earliest entry (stale or not) if it is due
    /// at or before `time`; otherwise leaves the queue as it is.
    #[inline]
    pub fn pop_through(&mut self, time: f64) -> Option<Entry> {
        let bits = (time + 0.0).to_bits();
        self.take_first(|entry| entry <= bits)
    }

    /// The time of the last popped entry: nothing stored is earlier.
    #[inline]
    pub fn last_time(&self) -> f64 {
        f64::from_bits(self.fine.last())
    }

    /// Puts back the entry `pop` just returned, where it was: it pops again next.
    pub fn requeue(&mut self, entry: Entry) {
        // Every entry popped left through `fine`, or alone from the wheel
        // with `fine` restarted at its time.
        self.fine.requeue(entry);
        self.len += 1;
    }

    /// The target of an entry likely to pop soon, when finding one is
    /// cheap: the first entry of the wheel's next non-empty slot once the
    /// current quantum's entries are all taken (the usual case: a quantum
    /// holds one entry). For the caller to prepare for it; `None` says
    /// nothing about what pops next.
    #[inline(always)]
    pub fn upcoming_target(&self) -> Option<u32> {
        if !self.fine.is_empty() {
            return None;
        }
        self.wheel
            .next_from(self.next_slot())
            .map(|slot| self.wheel.first_target(slot))
    }

    /// Whether an entry (stale or not) waits at exactly the last popped time.
    #[inline]
    pub fn has_current(&self) -> bool {
        self.fine.has_current()
    }

    /// The time of the earliest entry `live` accepts, without removing anything.
    pub fn peek_live(&self, live: impl Fn(&Entry) -> bool) -> Option<f64> {
        // `far` may hold entries of the wheel's window (they join it only
        // when next), so its earliest is compared with the wheel's.
        let later = || {
            let wheel = self.wheel.peek_live(self.next_slot(), &live);
            let far = self.far.peek_live(&live);
            wheel.min(far).or(wheel).or(far)
        };
        self.fine.peek_live(&live).or_else(later).map(f64::from_bits)
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
        self.len = self.fine.retain(&mut live) + self.wheel.retain(&mut live) + self.far.retain(&mut live);
        self.far_quantum = self.far.earliest().map_or(u64::MAX, quantum);
        self.stale = 0;
    }

    /// The wheel's slot of the quantum after the current one.
    #[inline]
    fn next_slot(&self) -> usize {
        self.quantum.wrapping_add(1) as usize & (SLOTS - 1)
    }

    /// Files an entry (at or after `last`) by its quantum.
    #[inline(always)]
    fn file(&mut self, entry: Entry) {
        let quantum = quantum(entry.time_bits);
        let ahead = quantum - self.quantum;
        if ahead == 0 {
            self.fine.file(entry);
        } else if ahead < SLOTS as u64 {
            self.wheel.push(quantum as usize, entry);
        } else {
            self.far_quantum = self.far_quantum.min(quantum);
            self.far.file(entry);
        }
    }

    /// Removes and returns the earliest entry if `due` accepts its time
    /// bits: from `fine` while it holds any, else the next wheel bucket's
    /// (the quantum moves there), else `far`'s. `far`'s entries join the
    /// wheel only when the earliest of them is due no later than the
    /// wheel's next bucket, all of the window's at once.
    #[inline(always)]
    fn take_first(&mut self, due: impl Fn(u64) -> bool) -> Option<Entry> {
        if !self.fine.is_empty() {
            let entry = self.fine.take_first(due)?;
            self.len -= 1;
            return Some(entry);
        }
        loop {
            let start = self.next_slot();
            match self.wheel.next_from(start) {
                Some(slot)
                    if self.quantum + 1 + ((slot.wrapping_sub(start) & (SLOTS - 1)) as u64) < self.far_quantum =>
                {
                    return self.take_slot(slot, start, due);
                }
                _ if self.far_quantum - self.quantum < SLOTS as u64 => self.bring_far(),
                _ => return self.take_far(due),
            }
        }
    }

    /// Takes the earliest entry of wheel slot `slot`, the first non-empty
    /// one from `start`, if `due` accepts it: the quantum moves there.
    #[inline(always)]
    fn take_slot(&mut self, slot: usize, start: usize, due: impl Fn(u64) -> bool) -> Option<Entry> {
        let earliest = self.wheel.earliest(slot);
        if !due(earliest) {
            return None;
        }
        self.quantum += 1 + (slot.wrapping_sub(start) & (SLOTS - 1)) as u64;
        debug_assert_eq!(self.quantum, quantum(earliest));
        self.fine.restart(earliest);
        self.len -= 1;
        let fine = &mut self.fine;
        Some(match self.wheel.take(slot, |entries| fine.file_all(entries)) {
            Some(entry) => entry,
            None => fine.take_current(),
        })
    }

    /// The wheel is empty and `fine` too, and `far`'s earliest entry is
    /// past the window: it is the earliest.
    #[inline(never)]
    fn take_far(&mut self, due: impl Fn(u64) -> bool) -> Option<Entry> {
        let earliest = self.far.earliest()?;
        if !due(earliest) {
            return None;
        }
        self.quantum = quantum(earliest);
        self.fine.restart(earliest);
        self.bring_far();
        self.len -= 1;
        self.fine.take_first(|_| true)
    }

    /// Files anew the entries of `far` now within the wheel's window: a
    /// bucket of `far` whose whole range is within it as it is (the wheel
    /// wants no order within a quantum), else the earliest entry alone,
    /// which splits the bucket. An idle timer filed minutes ahead thus
    /// moves to the wheel after a split or two, not down each of `far`'s
    /// levels (eight, 600 s ahead an hour into a run).
    #[inline(never)]
    fn bring_far(&mut self) {
        let window = self.quantum;
        let within = |bits| quantum(bits) - window < SLOTS as u64;
        loop {
            // A bucket's entries at one time are in sequence order (filed
            // so, and refiled in order), so ties that join `fine` at its
            // restart time (`take_far`'s) come in order.
            let (fine, wheel) = (&mut self.fine, &mut self.wheel);
            if self
                .far
                .take_lowest_bucket(within, |entry| file_near(fine, wheel, window, entry))
            {
                continue;
            }
            let Some(entry) = self.far.take_first(within) else {
                break;
            };
            self.file(entry);
        }
        self.far_quantum = self.far.earliest().map_or(u64::MAX, quantum);
    }
}

/// Files an entry of quantum `current` (into `fine`) or of the wheel's
/// window after it.
#[inline(always)]
fn file_near(fine: &mut Radix, wheel: &mut Wheel, current: u64, entry: Entry) {
    let quantum = quantum(entry.time_bits);
    if quantum == current {
        fine.file(entry);
    } else {
        wheel.push(quantum as usize, entry);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drain(q: &mut EventQueue) -> Vec<(f64, u32)> {
        std::iter::from_fn(|| q.pop()).map(|e| (e.time(), e.target)).collect()
    }

    /// The hint of what pops next: when there is one (the quantum's own
    /// entries all taken), it is the next entry popped, for entries a
    /// quantum apart within the wheel's window; none while the quantum
    /// still holds an entry.
    #[test]
    fn the_upcoming_target_is_the_next_popped_when_given() {
        let mut q = EventQueue::default();
        for (i, t) in [0.5, 0.25, 1.0, 3.0, 2.0, 7.5].into_iter().enumerate() {
            q.push(t, i as u32);
        }
        let mut hinted = 0;
        while q.pop().is_some() {
            if let Some(target) = q.upcoming_target() {
                assert_eq!(q.pop().map(|e| e.target), Some(target));
                hinted += 1;
                q.push(8.0 + f64::from(hinted), 100 + hinted);
                if hinted == 3 {
                    break;
                }
            }
        }
        assert_eq!(hinted, 3);
        let mut crowded = EventQueue::default();
        crowded.push(1.0, 1);
        crowded.push(1.0, 2);
        crowded.push(2.0, 3);
        crowded.pop();
        assert_eq!(crowded.upcoming_target(), None, "the quantum still holds one");
        assert_eq!(crowded.pop().map(|e| e.target), Some(2));
        assert_eq!(crowded.upcoming_target(), Some(3));
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

    /// A crowded wheel slot with ties pops in (time, sequence) order, and
    /// the same slot, come round a ring later, holds a lone entry, then
    /// another ring later a crowd again.
    #[test]
    fn a_crowded_slot_with_ties_pops_in_order_and_again_a_ring_later() {
        let ring = SLOTS as f64 / QUANTA;
        let mut q = EventQueue::default();
        q.push(0.5, 0);
        assert_eq!(q.pop().map(|e| e.target), Some(0));
        let mut target = 0;
        for round in 0..3 {
            // Each round's entries are in quantum `QUANTA * (1 + round * ring)`:
            // the same slot, filed into the ring from half a ring before.
            let at = 1.0 + f64::from(round) * ring;
            let times: &[f64] = if round == 1 {
                &[at]
            } else {
                &[at + 1e-3, at, at + 1e-3, at, at]
            };
            let mut want = Vec::new();
            for &time in times {
                target += 1;
                q.push(time, target);
                want.push((time, target));
            }
            // Ties in sequence order.
            want.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut got = Vec::new();
            while let Some(entry) = q.pop() {
                got.push((entry.time(), entry.target));
            }
            assert_eq!(got, want);
            // The quantum moves half a ring on, so the next round's slot is in the ring.
            q.push(at + ring / 2.0, 0);
            assert_eq!(q.pop().map(|e| e.target), Some(0));
        }
    }

    /// Ties far ahead that `far` hands over as a whole bucket straight
    /// into `fine`: after 700 s is taken, 725 s is in the second half of
    /// its 32-second bucket (at 512-1024 s a level-8 digit spans 2^48
    /// ulps of 2^-43 s), so the bucket ends within the wheel's window
    /// from 725 s; they pop in sequence order, then what follows.
    #[test]
    fn ties_handed_over_in_a_whole_bucket_pop_in_sequence_order() {
        let mut q = EventQueue::default();
        q.push(700.0, 0);
        for target in 1..=5 {
            q.push(725.0, target);
        }
        q.push(730.0, 6);
        q.push(725.0, 7);
        let got: Vec<(f64, u32)> = drain(&mut q);
        let mut want: Vec<(f64, u32)> = vec![(700.0, 0)];
        want.extend([1, 2, 3, 4, 5, 7].map(|t| (725.0, t)));
        want.push((730.0, 6));
        assert_eq!(got, want);
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

    /// Delays that reach every part of the queue: ties at the current
    /// time, the same quantum, the wheel's window and its edge, `far`,
    /// huge and infinite times.
    fn delay(kind: u64, draw: u64, earlier: f64) -> f64 {
        let unit = (draw >> 11) as f64 / (1u64 << 53) as f64;
        match kind % 11 {
            0 => 0.0,
            1 => earlier,
            2 => 1e-300 * unit,
            3 => unit / QUANTA,
            4 => unit * 16.0,
            5 => (draw % (2 * SLOTS as u64)) as f64 / QUANTA,
            6 => unit * 1000.0,
            7 => 1e300 * unit,
            8 => f64::INFINITY,
            9 => (SLOTS as u64 - 2 + draw % 4) as f64 / QUANTA + 1e-3 * unit,
            _ => unit * 0.05,
        }
    }

    proptest::proptest! {
        /// Pushes, pops, pops before a limit, requeues, stale entries and
        /// compactions, against a binary heap ordered by (time, sequence).
        #[test]
        fn matches_a_binary_heap_on_generated_schedules(
            start in proptest::sample::select(vec![0.0, 1e-9, 40_000.123, 86_399.9, 9.0e15]),
            ops in proptest::collection::vec((0u64..16, proptest::num::u64::ANY, proptest::num::u64::ANY), 1..1000),
        ) {
            use std::cmp::Reverse;
            use std::collections::{BinaryHeap, HashSet};
            let mut q = EventQueue::default();
            let mut reference: BinaryHeap<Reverse<(u64, u64, u32)>> = BinaryHeap::new();
            let mut stale: HashSet<u64> = HashSet::new();
            let mut now = start;
            let mut earlier = 0.0;
            // The entry popped last, while it may still be requeued.
            let mut popped: Option<Entry> = None;
            let key = |e: &Entry| (e.time_bits, e.seq, e.target);
            for (step, &(op, a, b)) in ops.iter().enumerate() {
                match op {
                    0..=5 => {
                        let d = delay(a, b, earlier);
                        earlier = d;
                        let time = now + d;
                        let seq = q.push(time, step as u32);
                        reference.push(Reverse((time.to_bits(), seq, step as u32)));
                    }
                    6..=8 => {
                        let got = q.pop();
                        let want = reference.pop().map(|Reverse(k)| k);
                        proptest::prop_assert_eq!(got.as_ref().map(key), want);
                        if let Some(entry) = got {
                            now = entry.time();
                            if stale.remove(&entry.seq) {
                                q.note_stale_popped();
                            }
                        }
                        popped = got;
                    }
                    9 | 10 => {
                        let limit = now + delay(a, b, earlier);
                        let got = q.pop_before(limit);
                        let want = reference
                            .peek()
                            .filter(|Reverse(k)| f64::from_bits(k.0) < limit)
                            .map(|Reverse(k)| *k);
                        proptest::prop_assert_eq!(got.as_ref().map(key), want);
                        match got {
                            Some(entry) => {
                                reference.pop();
                                now = entry.time();
                                if stale.remove(&entry.seq) {
                                    q.note_stale_popped();
                                }
                            }
                            None if limit.is_finite() => now = now.max(limit),
                            None => {}
                        }
                        popped = got;
                    }
                    11 => {
                        if let Some(entry) = popped.take() {
                            q.requeue(entry);
                            reference.push(Reverse(key(&entry)));
                            now = entry.time();
                        }
                    }
                    12 | 13 => {
                        // A stored entry goes stale (cancelled): compact when asked.
                        let live: Vec<u64> = reference.iter().map(|Reverse(k)| k.1).filter(|s| !stale.contains(s)).collect();
                        if !live.is_empty() {
                            stale.insert(live[(a % live.len() as u64) as usize]);
                            if q.note_stale() || op == 13 {
                                q.retain(|e| !stale.contains(&e.seq));
                                reference.retain(|Reverse(k)| !stale.contains(&k.1));
                                stale.clear();
                                popped = None;
                            }
                        }
                    }
                    _ => {
                        let got = q.peek_live(|e| !stale.contains(&e.seq));
                        let want = reference
                            .iter()
                            .filter(|Reverse(k)| !stale.contains(&k.1))
                            .map(|Reverse(k)| k.0)
                            .min()
                            .map(f64::from_bits);
                        proptest::prop_assert_eq!(got, want);
                    }
                }
                proptest::prop_assert_eq!(q.len, reference.len());
            }
            while let Some(Reverse(want)) = reference.pop() {
                proptest::prop_assert_eq!(q.pop().as_ref().map(key), Some(want));
            }
            proptest::prop_assert_eq!(q.pop(), None);
        }
    }
}

//! The future event set: a 4-ary min-heap ordered by (time, sequence number).
//!
//! Entries are never removed from the middle: a cancelled or moved event
//! leaves a stale entry that its owner recognises (by sequence number) when
//! it surfaces, and the heap is compacted once stale entries outnumber live
//! ones. A pop is deferred until the next operation, so the common
//! "pop an event, schedule its successor" pattern costs one sift instead of two.

/// One scheduled event: `target` is opaque to the queue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Entry {
    /// Bit pattern of the (non-negative, finite) time: orders like the time itself.
    time_bits: u64,
    /// Global scheduling order; breaks ties between equal times.
    pub seq: u64,
    /// What the event is about (decoded by the engine).
    pub target: u32,
}

impl Entry {
    /// The event's time in seconds.
    pub fn time(&self) -> f64 {
        f64::from_bits(self.time_bits)
    }

    fn key(&self) -> (u64, u64) {
        (self.time_bits, self.seq)
    }
}

const ARITY: usize = 4;

/// Below this many stale entries the heap is never compacted.
const MIN_COMPACTION: usize = 1024;

#[derive(Debug, Default)]
pub(crate) struct EventQueue {
    heap: Vec<Entry>,
    /// The root was handed out by `pop` and still sits at index 0.
    root_taken: bool,
    next_seq: u64,
    stale: usize,
}

impl EventQueue {
    /// Schedules `target` at `time` (non-negative, finite); returns its sequence number.
    pub fn push(&mut self, time: f64, target: u32) -> u64 {
        debug_assert!(time >= 0.0 && time.is_finite());
        self.next_seq += 1;
        // `+ 0.0` turns a negative zero into a positive one, whose bits order correctly.
        let entry = Entry {
            time_bits: (time + 0.0).to_bits(),
            seq: self.next_seq,
            target,
        };
        if self.root_taken {
            self.root_taken = false;
            self.sift_down(0, entry);
        } else {
            self.heap.push(entry);
            self.sift_up(self.heap.len() - 1, entry);
        }
        self.next_seq
    }

    /// Removes and returns the earliest entry (stale or not).
    pub fn pop(&mut self) -> Option<Entry> {
        self.settle();
        let top = *self.heap.first()?;
        self.root_taken = true;
        Some(top)
    }

    /// The earliest entry without removing it.
    pub fn peek(&mut self) -> Option<Entry> {
        self.settle();
        self.heap.first().copied()
    }

    /// Entries in the heap, stale ones included.
    pub fn len(&self) -> usize {
        self.heap.len() - usize::from(self.root_taken)
    }

    /// Records that one entry in the heap went stale; returns true when the
    /// caller should compact with [`EventQueue::retain`].
    pub fn note_stale(&mut self) -> bool {
        self.stale += 1;
        self.stale >= MIN_COMPACTION && self.stale * 2 > self.len()
    }

    /// Records that a stale entry left the heap through `pop`.
    pub fn note_stale_popped(&mut self) {
        self.stale = self.stale.saturating_sub(1);
    }

    /// Keeps only the entries `live` accepts and rebuilds the heap.
    pub fn retain(&mut self, mut live: impl FnMut(&Entry) -> bool) {
        self.settle();
        self.heap.retain(|e| live(e));
        self.stale = 0;
        let n = self.heap.len();
        if n > 1 {
            for i in (0..=(n - 2) / ARITY).rev() {
                let e = self.heap[i];
                self.sift_down(i, e);
            }
        }
    }

    /// Completes a deferred pop.
    fn settle(&mut self) {
        if self.root_taken {
            self.root_taken = false;
            let last = self.heap.pop();
            if let Some(last) = last
                && !self.heap.is_empty()
            {
                self.sift_down(0, last);
            }
        }
    }

    fn sift_up(&mut self, mut pos: usize, entry: Entry) {
        let key = entry.key();
        while pos > 0 {
            let parent = (pos - 1) / ARITY;
            if self.heap[parent].key() <= key {
                break;
            }
            self.heap[pos] = self.heap[parent];
            pos = parent;
        }
        self.heap[pos] = entry;
    }

    fn sift_down(&mut self, mut pos: usize, entry: Entry) {
        let key = entry.key();
        let n = self.heap.len();
        loop {
            let first = pos * ARITY + 1;
            if first >= n {
                break;
            }
            let last = (first + ARITY).min(n);
            let mut best = first;
            let mut best_key = self.heap[first].key();
            for c in first + 1..last {
                let k = self.heap[c].key();
                if k < best_key {
                    best = c;
                    best_key = k;
                }
            }
            if best_key >= key {
                break;
            }
            self.heap[pos] = self.heap[best];
            pos = best;
        }
        self.heap[pos] = entry;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_then_sequence_order() {
        let mut q = EventQueue::default();
        let times = [3.0, 1.0, 2.0, 1.0, 0.0, 3.0, 2.5];
        for (i, &t) in times.iter().enumerate() {
            q.push(t, i as u32);
        }
        let mut out = Vec::new();
        while let Some(e) = q.pop() {
            out.push((e.time(), e.target));
        }
        assert_eq!(
            out,
            vec![
                (0.0, 4),
                (1.0, 1),
                (1.0, 3),
                (2.0, 2),
                (2.5, 6),
                (3.0, 0),
                (3.0, 5)
            ]
        );
    }

    #[test]
    fn push_after_pop_fills_the_root() {
        let mut q = EventQueue::default();
        for i in 0..100u32 {
            q.push(f64::from(i % 7), i);
        }
        let mut last = (0.0, 0);
        let mut count = 0;
        while let Some(e) = q.pop() {
            assert!((e.time(), e.seq) > last, "out of order");
            last = (e.time(), e.seq);
            count += 1;
            if count < 300 {
                q.push(e.time() + 3.0, e.target);
            }
        }
        assert_eq!(count, 399);
    }

    #[test]
    fn retain_drops_and_keeps_order() {
        let mut q = EventQueue::default();
        for i in 0..50u32 {
            q.push(f64::from(50 - i), i);
        }
        q.pop();
        q.retain(|e| e.target % 2 == 0);
        let targets: Vec<u32> = std::iter::from_fn(|| q.pop()).map(|e| e.target).collect();
        let expected: Vec<u32> = (0..49).rev().filter(|t| t % 2 == 0).collect();
        assert_eq!(targets, expected);
    }
}

//! Timers and stand-alone sleeps: events that only wait, kept apart from
//! activities so that the commonest events stay small and cheap.

/// One pending wait. Aligned on a cache line: the slot a popped entry
/// checks and frees (its sequence number, generation, kind and tag) is one
/// line, where at 40 bytes it straddled two one time in three.
#[derive(Debug)]
#[repr(align(64))]
struct Wait<T> {
    generation: u32,
    /// A sleep activity (reported as a completion) rather than a timer.
    sleep: bool,
    /// Sequence number of the wait's queue entry, 0 when free.
    seq: u64,
    tag: T,
    /// When the wait ends.
    end: f64,
    /// While the slot is free, the next free one ([`NONE`] for none).
    next_free: u32,
}

/// No slot: the end of the free list.
const NONE: u32 = u32::MAX;

/// A slab of waits with generational handles. Its free slots are chained
/// through the slots themselves, last freed first: taking or giving back
/// one is two stores, where a list of its own checked and moved its length
/// and capacity at each (once per timer).
#[derive(Debug)]
pub(crate) struct Waits<T> {
    waits: Vec<Wait<T>>,
    /// The last slot freed ([`NONE`] for none).
    free: u32,
    /// How many slots are free.
    free_count: usize,
}

impl<T> Default for Waits<T> {
    fn default() -> Self {
        Waits {
            waits: Vec::new(),
            free: NONE,
            free_count: 0,
        }
    }
}

impl<T: Copy> Waits<T> {
    /// Starts bringing wait `index`'s slot into the cache, if it exists:
    /// the slot of an entry that pops soon.
    #[inline(always)]
    pub fn prefetch(&self, index: u32) {
        if let Some(wait) = self.waits.get(index as usize) {
            crate::cache_hint::prefetch(wait);
        }
    }

    /// The index the next wait added will take.
    #[inline]
    pub fn vacant(&self) -> u32 {
        match self.free {
            NONE => self.waits.len() as u32,
            index => index,
        }
    }

    /// Adds a wait ending at `end` at index `index` (the [`Waits::vacant`]
    /// one), its queue entry filed as `seq`; returns its index and
    /// generation. The slot is written once, whole. Inlined into the
    /// engine's timers (one per invocation): a call cost half its work in
    /// register saves.
    #[inline(always)]
    pub fn add(&mut self, index: u32, sleep: bool, tag: T, end: f64, seq: u64) -> (u32, u32) {
        debug_assert_eq!(index, self.vacant());
        if self.free == NONE {
            self.waits.push(Wait {
                generation: 0,
                sleep,
                seq,
                tag,
                end,
                next_free: NONE,
            });
            return (index, 0);
        }
        let wait = &mut self.waits[index as usize];
        self.free = wait.next_free;
        self.free_count -= 1;
        wait.sleep = sleep;
        wait.seq = seq;
        wait.tag = tag;
        wait.end = end;
        (index, wait.generation)
    }

    /// Whether the queue entry `seq` for wait `index` is still the live one.
    #[inline]
    pub fn is_live(&self, index: u32, seq: u64) -> bool {
        self.waits[index as usize].seq == seq
    }

    /// The end date of a pending wait of the given kind, if the handle is current.
    pub fn end(&self, index: u32, generation: u32, sleep: bool) -> Option<f64> {
        self.waits
            .get(index as usize)
            .filter(|w| w.generation == generation && w.seq != 0 && w.sleep == sleep)
            .map(|w| w.end)
    }

    /// Waits pending, timers and sleeps alike (every entry not free is).
    pub fn pending(&self) -> usize {
        self.waits.len() - self.free_count
    }

    /// Frees wait `index` if `seq` is its live queue entry; returns its
    /// generation, kind and tag. `None` for a stale entry.
    #[inline]
    pub fn remove_if_live(&mut self, index: u32, seq: u64) -> Option<(u32, bool, T)> {
        if self.waits[index as usize].seq != seq {
            return None;
        }
        Some(self.remove(index))
    }

    /// Frees wait `index`; returns its generation, kind and tag.
    #[inline]
    pub fn remove(&mut self, index: u32) -> (u32, bool, T) {
        let wait = &mut self.waits[index as usize];
        let generation = wait.generation;
        wait.seq = 0;
        wait.generation = generation.wrapping_add(1);
        wait.next_free = self.free;
        self.free = index;
        self.free_count += 1;
        (generation, wait.sleep, wait.tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Adds a wait where [`Waits::vacant`] says, as the engine does.
    fn add(waits: &mut Waits<u32>, tag: u32, seq: u64) -> (u32, u32) {
        let index = waits.vacant();
        waits.add(index, false, tag, 1.0, seq)
    }

    #[test]
    fn freed_slots_are_taken_again_last_freed_first_with_a_new_generation() {
        let mut waits = Waits::default();
        for seq in 1..=4 {
            assert_eq!(add(&mut waits, seq as u32, seq), (seq as u32 - 1, 0));
        }
        assert_eq!(waits.remove_if_live(1, 7), None);
        assert_eq!(waits.remove_if_live(1, 2), Some((0, false, 2)));
        assert_eq!(waits.remove(3), (0, false, 4));
        assert_eq!(waits.remove_if_live(3, 4), None);
        assert_eq!(waits.pending(), 2);
        assert_eq!(add(&mut waits, 5, 5), (3, 1));
        assert_eq!(add(&mut waits, 6, 6), (1, 1));
        assert_eq!(add(&mut waits, 7, 7), (4, 0));
        assert_eq!(waits.pending(), 5);
        assert!(waits.is_live(1, 6) && !waits.is_live(1, 2));
        assert_eq!(waits.end(3, 1, false), Some(1.0));
        assert_eq!(waits.end(3, 0, false), None);
    }

    #[test]
    fn a_wait_is_one_cache_line() {
        // A tag the size of the serverless model's (three words).
        assert_eq!(std::mem::size_of::<Wait<[u32; 3]>>(), 64);
        assert_eq!(std::mem::align_of::<Wait<[u32; 3]>>(), 64);
    }
}

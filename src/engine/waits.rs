//! Timers and stand-alone sleeps: events that only wait, kept apart from
//! activities so that the commonest events stay small and cheap.

/// One pending wait.
#[derive(Debug)]
struct Wait<T> {
    generation: u32,
    /// A sleep activity (reported as a completion) rather than a timer.
    sleep: bool,
    /// Sequence number of the wait's queue entry, 0 when free.
    seq: u64,
    tag: T,
    /// When the wait ends.
    end: f64,
}

/// A slab of waits with generational handles.
#[derive(Debug)]
pub(crate) struct Waits<T> {
    waits: Vec<Wait<T>>,
    free: Vec<u32>,
}

impl<T> Default for Waits<T> {
    fn default() -> Self {
        Waits {
            waits: Vec::new(),
            free: Vec::new(),
        }
    }
}

impl<T: Copy> Waits<T> {
    /// The index the next wait added will take.
    #[inline]
    pub fn vacant(&self) -> u32 {
        match self.free.last() {
            Some(&index) => index,
            None => self.waits.len() as u32,
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
        if self.free.pop().is_none() {
            self.waits.push(Wait {
                generation: 0,
                sleep,
                seq,
                tag,
                end,
            });
            return (index, 0);
        }
        let wait = &mut self.waits[index as usize];
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
        self.waits.len() - self.free.len()
    }

    /// Frees wait `index` if `seq` is its live queue entry; returns its
    /// generation, kind and tag. `None` for a stale entry.
    #[inline]
    pub fn remove_if_live(&mut self, index: u32, seq: u64) -> Option<(u32, bool, T)> {
        let wait = &mut self.waits[index as usize];
        if wait.seq != seq {
            return None;
        }
        let generation = wait.generation;
        wait.seq = 0;
        wait.generation = generation.wrapping_add(1);
        let freed = (generation, wait.sleep, wait.tag);
        self.free.push(index);
        Some(freed)
    }

    /// Frees wait `index`; returns its generation, kind and tag.
    #[inline]
    pub fn remove(&mut self, index: u32) -> (u32, bool, T) {
        let wait = &mut self.waits[index as usize];
        let generation = wait.generation;
        wait.seq = 0;
        wait.generation = generation.wrapping_add(1);
        self.free.push(index);
        (generation, wait.sleep, wait.tag)
    }
}

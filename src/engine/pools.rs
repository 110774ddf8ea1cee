//! Processor-sharing pools: the engine's side of the solver's classes.
//!
//! Every pooled member of a class progresses at the class's level x its
//! weight x its factor. A pool keeps a virtual clock, V = ∫ level dt, and
//! each member's finish on it, `V(join) + remaining / (weight x factor)`,
//! in order; only the earliest finish has a queue entry. When the level
//! moves, that one entry moves, not one per member, and a member joins or
//! leaves in O(log n).
//!
//! While a task is pooled, its `remaining` holds its finish on the virtual
//! clock and its `rate` its units per unit of virtual time (weight x factor).

use std::collections::BTreeSet;

use super::queue::EventQueue;
use super::solver::Level;
use super::tasks::{NO_POOL, Task};

/// Queue targets with this bit set (and not the wait bit) are pools.
pub(crate) const POOL_BIT: u32 = 1 << 30;

#[derive(Debug, Default)]
struct Pool {
    /// Virtual time per second.
    level: f64,
    /// The virtual clock at `updated`.
    clock: f64,
    updated: f64,
    /// (finish on the virtual clock, task index) of every member.
    finishes: BTreeSet<(Level, u32)>,
    /// Sequence number of the earliest finish's queue entry, 0 when none
    /// (or void: a member came or went since it was made).
    event_seq: u64,
    /// (date, finish) of the member that last came due: members with the
    /// same finish end at that same date, as the general solver's equal
    /// completion dates do, not a rounding later.
    due: (f64, f64),
    /// The members with that finish, in the order they end, from `next_due` on.
    batch: Vec<u32>,
    next_due: usize,
    /// Changed since [`Pools::reschedule`] last gave it an entry.
    touched: bool,
}

impl Pool {
    /// Skips batch members that left or moved; whether one is left.
    fn has_batch(&mut self) -> bool {
        while let Some(&index) = self.batch.get(self.next_due) {
            if self.finishes.contains(&(Level(self.due.1), index)) {
                return true;
            }
            self.next_due += 1;
        }
        false
    }

    fn next_in_batch(&mut self) -> Option<u32> {
        self.has_batch().then(|| {
            self.next_due += 1;
            self.batch[self.next_due - 1]
        })
    }

    /// A fresh clock for the next members (finishes stay small numbers).
    fn restart(&mut self, now: f64) {
        self.clock = 0.0;
        self.updated = now;
        self.due = (f64::NEG_INFINITY, f64::NEG_INFINITY);
        self.batch.clear();
    }

    fn clock_at(&self, now: f64) -> f64 {
        if now > self.updated {
            self.clock + self.level * (now - self.updated)
        } else {
            self.clock
        }
    }
}

/// The pools, indexed like the solver's classes.
#[derive(Debug, Default)]
pub(crate) struct Pools {
    pools: Vec<Pool>,
    touched: Vec<u32>,
    /// Entries made void since the last [`Pools::reschedule`] (for the queue's count of stale entries).
    voided: usize,
}

impl Pools {
    /// Class `c`'s level is now `level`: the clock runs at the old one until `now`.
    pub fn set_level(&mut self, c: u32, level: f64, now: f64) {
        let pool = self.pool_mut(c);
        pool.clock = pool.clock_at(now);
        pool.updated = now;
        pool.level = level;
        self.touch(c);
    }

    /// What is left of the task's current step at `now`.
    pub fn remaining<T>(&self, task: &Task<T>, now: f64) -> f64 {
        match task.pool {
            NO_POOL => task.remaining_at(now),
            c => ((task.remaining - self.pools[c as usize].clock_at(now)) * task.rate).max(0.0),
        }
    }

    /// The task's current rate (units per second).
    pub fn rate<T>(&self, task: &Task<T>) -> f64 {
        match task.pool {
            NO_POOL => task.rate,
            c => self.pools[c as usize].level * task.rate,
        }
    }

    /// Takes task `index` out of its pool, if any: its `remaining` is then
    /// what is left at `now` (its `rate` is for the caller to set).
    #[inline]
    pub fn detach<T>(&mut self, task: &mut Task<T>, index: u32, now: f64) {
        if task.pool != NO_POOL {
            self.detach_pooled(task, index, now);
        }
    }

    fn detach_pooled<T>(&mut self, task: &mut Task<T>, index: u32, now: f64) {
        let remaining = self.remaining(task, now);
        let c = task.pool;
        let pool = &mut self.pools[c as usize];
        pool.finishes.remove(&(Level(task.remaining), index));
        if pool.finishes.is_empty() {
            pool.restart(now);
        }
        task.pool = NO_POOL;
        task.remaining = remaining;
        task.last_update = now;
        self.touch(c);
    }

    /// Puts task `index` (its `remaining` current at `now`, not pooled) in
    /// class `c`'s pool, progressing `speed` units per unit of virtual time.
    pub fn attach<T>(&mut self, c: u32, task: &mut Task<T>, index: u32, speed: f64, now: f64) {
        let pool = self.pool_mut(c);
        if pool.finishes.is_empty() {
            pool.restart(now);
        }
        let finish = pool.clock_at(now) + task.remaining / speed;
        pool.finishes.insert((Level(finish), index));
        task.pool = c;
        task.remaining = finish;
        task.rate = speed;
        task.last_update = now;
        self.touch(c);
    }

    /// Whether `seq` is the live entry of pool `c`.
    pub fn is_live(&self, c: u32, seq: u64) -> bool {
        self.pools.get(c as usize).is_some_and(|p| p.event_seq == seq)
    }

    /// Pool `c`'s entry came due at `now`: the task whose step it ends.
    /// Members with equal finishes end one after the other in the order of
    /// `rank` (the order the general solver would have scheduled them in).
    pub fn take_due(&mut self, c: u32, now: f64, rank: impl Fn(u32) -> u32) -> Option<u32> {
        let pool = &mut self.pools[c as usize];
        pool.event_seq = 0;
        if pool.due.0 == now
            && let Some(index) = pool.next_in_batch()
        {
            return Some(index);
        }
        let (Level(finish), index) = *pool.finishes.first()?;
        pool.due = (now, finish);
        pool.batch.clear();
        pool.next_due = 0;
        let tied = pool.finishes.range((Level(finish), 0)..=(Level(finish), u32::MAX));
        if tied.clone().nth(1).is_none() {
            return Some(index);
        }
        pool.batch.extend(tied.map(|&(_, index)| index));
        pool.batch.sort_by_key(|&index| (rank(index), index));
        pool.next_in_batch()
    }

    /// After [`Pools::take_due`]'s member ended: whether another member
    /// ends at the same date, in which case entry `seq` is made live again
    /// (for the caller to put back in the queue where it was).
    pub fn resume_due(&mut self, c: u32, seq: u64) -> bool {
        let pool = &mut self.pools[c as usize];
        let next = pool.has_batch();
        if next && pool.event_seq == 0 {
            pool.event_seq = seq;
        }
        next && pool.event_seq == seq
    }

    /// Whether a pool changed since the last [`Pools::reschedule`].
    #[inline]
    pub fn is_touched(&self) -> bool {
        !self.touched.is_empty()
    }

    /// Gives every changed pool a queue entry at its earliest finish;
    /// returns true when the queue should be compacted.
    #[inline]
    pub fn reschedule(&mut self, queue: &mut EventQueue, now: f64) -> bool {
        (self.voided > 0 || !self.touched.is_empty()) && self.reschedule_touched(queue, now)
    }

    fn reschedule_touched(&mut self, queue: &mut EventQueue, now: f64) -> bool {
        let mut compact = false;
        for _ in 0..std::mem::take(&mut self.voided) {
            compact |= queue.note_stale();
        }
        for c in self.touched.drain(..) {
            let pool = &mut self.pools[c as usize];
            pool.touched = false;
            if pool.event_seq != 0 {
                compact |= queue.note_stale();
            }
            pool.event_seq = match pool.finishes.first() {
                Some(&(Level(finish), _)) if pool.level > 0.0 => {
                    let wait = if pool.due.0 == now && (finish <= pool.due.1 || pool.has_batch()) {
                        0.0
                    } else {
                        ((finish - pool.clock_at(now)) / pool.level).max(0.0)
                    };
                    queue.push(now + wait, POOL_BIT | c)
                }
                _ => 0,
            };
        }
        compact
    }

    fn pool_mut(&mut self, c: u32) -> &mut Pool {
        let c = c as usize;
        if c >= self.pools.len() {
            self.pools.resize_with(c + 1, Pool::default);
        }
        &mut self.pools[c]
    }

    /// Pool `c` changed: its entry is void and it gets a new one at the next reschedule.
    fn touch(&mut self, c: u32) {
        let pool = &mut self.pools[c as usize];
        if pool.event_seq != 0 {
            pool.event_seq = 0;
            self.voided += 1;
        }
        if !pool.touched {
            pool.touched = true;
            self.touched.push(c);
        }
    }
}

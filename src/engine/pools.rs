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
    /// Sequence number of the earliest finish's queue entry, 0 when none.
    event_seq: u64,
    /// Changed since its entry was scheduled: the entry is void until
    /// [`Pools::reschedule`] makes a new one.
    touched: bool,
}

impl Pool {
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
    pub fn remaining(&self, task: &Task, now: f64) -> f64 {
        match task.pool {
            NO_POOL => task.remaining_at(now),
            c => ((task.remaining - self.pools[c as usize].clock_at(now)) * task.rate).max(0.0),
        }
    }

    /// The task's current rate (units per second).
    pub fn rate(&self, task: &Task) -> f64 {
        match task.pool {
            NO_POOL => task.rate,
            c => self.pools[c as usize].level * task.rate,
        }
    }

    /// Takes task `index` out of its pool, if any: its `remaining` is then
    /// what is left at `now` (its `rate` is for the caller to set).
    pub fn detach(&mut self, task: &mut Task, index: u32, now: f64) {
        if task.pool == NO_POOL {
            return;
        }
        let remaining = self.remaining(task, now);
        let c = task.pool;
        let pool = &mut self.pools[c as usize];
        pool.finishes.remove(&(Level(task.remaining), index));
        if pool.finishes.is_empty() {
            // A fresh clock for the next members: finishes stay small numbers.
            pool.clock = 0.0;
            pool.updated = now;
        }
        task.pool = NO_POOL;
        task.remaining = remaining;
        task.last_update = now;
        self.touch(c);
    }

    /// Puts task `index` (its `remaining` current at `now`, not pooled) in
    /// class `c`'s pool, progressing `speed` units per unit of virtual time.
    pub fn attach(&mut self, c: u32, task: &mut Task, index: u32, speed: f64, now: f64) {
        let pool = self.pool_mut(c);
        if pool.finishes.is_empty() {
            pool.clock = 0.0;
            pool.updated = now;
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
        self.pools
            .get(c as usize)
            .is_some_and(|p| p.event_seq == seq && !p.touched)
    }

    /// Pool `c`'s entry came due: the task whose step it ends.
    pub fn take_due(&mut self, c: u32) -> Option<u32> {
        let pool = &mut self.pools[c as usize];
        pool.event_seq = 0;
        let index = pool.finishes.first().map(|&(_, index)| index);
        self.touch(c);
        index
    }

    /// Whether a pool changed since the last [`Pools::reschedule`].
    pub fn is_touched(&self) -> bool {
        !self.touched.is_empty()
    }

    /// Gives every changed pool a queue entry at its earliest finish;
    /// returns true when the queue should be compacted.
    pub fn reschedule(&mut self, queue: &mut EventQueue, now: f64) -> bool {
        let mut compact = false;
        for c in self.touched.drain(..) {
            let pool = &mut self.pools[c as usize];
            pool.touched = false;
            if pool.event_seq != 0 {
                compact |= queue.note_stale();
            }
            pool.event_seq = match pool.finishes.first() {
                Some(&(Level(finish), _)) if pool.level > 0.0 => {
                    let wait = ((finish - pool.clock_at(now)) / pool.level).max(0.0);
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

    fn touch(&mut self, c: u32) {
        let pool = &mut self.pools[c as usize];
        if !pool.touched {
            pool.touched = true;
            self.touched.push(c);
        }
    }
}

//! The entries of a `balanced` group taken without being listed: all the
//! entries waiting before a position of the queue that are the group's,
//! but the newest `passed` of them. A round finds the position of an entry
//! only when it dispatches it or must tell whether it is a prewarm
//! request, by rank among the entries the group is counted in: every
//! waiting entry when its registration waits alone, else its
//! registration's (`placement/own.rs`), each in O(log) of them.

use super::super::{Pending, Queue};
use crate::serverless::ids::RegId;

/// The waiting entries a group's are counted among.
#[derive(Debug, Clone, Copy)]
pub enum Among {
    /// Every one (its registration waits alone).
    All,
    /// Its registration's.
    Of(RegId),
}

impl Among {
    /// The position of the `count`-th such entry before `index`, counting
    /// back (`count` at least 1).
    fn before(self, queue: Queue, index: usize, count: usize) -> Option<usize> {
        match self {
            Among::All => queue.before_waiting(index, count),
            Among::Of(reg) => queue.before_of(reg, index, count),
        }
    }

    /// How many such entries wait before `index`.
    fn waiting_before(self, queue: Queue, index: usize) -> usize {
        match self {
            Among::All => queue.waiting_before(index),
            Among::Of(reg) => queue.waiting_of_before(reg, index),
        }
    }

    /// The position of the `count`-th such invocation before `index`,
    /// counting back over the prewarm requests between.
    fn before_invocation(self, queue: Queue, index: usize, count: usize) -> Option<usize> {
        match self {
            Among::All => queue.before_invocation(index, count),
            Among::Of(reg) => queue.before_invocation_of(reg, index, count),
        }
    }
}

/// The entries of a group the round has not taken yet.
#[derive(Debug)]
pub struct Unlisted {
    among: Among,
    count: usize,
    before: usize,
    passed: usize,
}

impl Unlisted {
    /// All `count` entries of the group, waiting in `queue`.
    pub fn new(among: Among, count: usize, queue: Queue) -> Self {
        Unlisted {
            among,
            count,
            before: queue.len(),
            passed: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.count
    }

    /// Takes the newest entry and finds its position.
    pub fn pop(&mut self, queue: Queue) -> Option<usize> {
        self.count = self.count.checked_sub(1)?;
        self.before = self.among.before(queue, self.before, self.passed + 1)?;
        self.passed = 0;
        Some(self.before)
    }

    /// Whether the newest entry left may take a container that is there:
    /// an invocation may, a prewarm request starts its own.
    pub fn newest_takes_existing(&self, queue: Queue) -> bool {
        if self.count == 0 || queue.tally().prewarms() == 0 {
            return true;
        }
        let newest = (self.among)
            .before(queue, self.before, self.passed + 1)
            .expect("an entry left");
        queue.get(newest).is_some_and(Pending::takes_existing)
    }

    /// Takes every prewarm request newer than the newest invocation left.
    pub fn drop_newest_prewarms(&mut self, queue: Queue) {
        let end = self.settled(queue);
        let at = (self.among.before_invocation(queue, end, 1)).map_or(0, |at| at + 1);
        self.take_from(queue, at, end);
    }

    /// Takes the newest `count` invocations left and every prewarm request
    /// newer than the oldest of them (every entry when fewer invocations
    /// are left).
    pub fn drop_newest_invocations(&mut self, count: usize, queue: Queue) {
        if count == 0 {
            return;
        }
        let end = self.settled(queue);
        let at = (self.among.before_invocation(queue, end, count)).unwrap_or(0);
        self.take_from(queue, at, end);
    }

    /// Takes up to `count` newest entries at once, without finding them.
    pub fn drop_newest(&mut self, count: usize) {
        let taken = count.min(self.count);
        self.count -= taken;
        self.passed += taken;
    }

    /// Takes the entries from position `at` to `end`, where the entries
    /// left wait before.
    fn take_from(&mut self, queue: Queue, at: usize, end: usize) {
        self.count -= self.among.waiting_before(queue, end) - self.among.waiting_before(queue, at);
        (self.before, self.passed) = (at, 0);
    }

    /// The position the entries left wait before once the `passed` newest
    /// are found: every entry counted before it is the group's.
    fn settled(&self, queue: Queue) -> usize {
        match (self.count, self.passed) {
            (0, _) => 0,
            (_, 0) => self.before,
            _ => (self.among)
                .before(queue, self.before, self.passed)
                .expect("the passed entries wait"),
        }
    }
}

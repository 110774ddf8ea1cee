//! One registration's entries in a service's waiting list: their positions
//! in order, and which of them still wait and which are prewarm requests,
//! counted so that a round finds the registration's k-th newest entry, or
//! invocation, before a position in O(log) of its entries, not by stepping
//! over every entry of it passed or dispatched between (what lets
//! `balanced` take a registration's entries without listing them while
//! prewarm requests wait among them).

use std::collections::BTreeMap;

use super::waiting_set::{WaitingSet, select_apart};
use super::works::Works;

/// Every registration's entries in a list, and where each position of the
/// list stands among its registration's (so that an entry leaving costs
/// no search).
#[derive(Debug, Default)]
pub struct ByRegistration {
    own: Vec<Own>,
    /// Per position of the list, its index among its registration's
    /// entries (`UNLISTED` for a position listed dispatched).
    index: Vec<u32>,
    /// The registrations with an entry waiting, by the position of their
    /// first waiting entry: their order of first appearance, which
    /// `balanced` groups them in, kept as entries come and go (with
    /// thousands of registrations waiting, finding and sorting their first
    /// entries at every round cost the round their number).
    firsts: BTreeMap<u32, u32>,
    /// The work waiting per registration (`balanced`'s shares).
    works: Works,
}

const UNLISTED: u32 = u32::MAX;

impl ByRegistration {
    /// Per registration, its entries.
    pub fn registrations(&self) -> &[Own] {
        &self.own
    }

    /// The registrations with an entry waiting, in order of their first
    /// waiting entry, with its position.
    pub fn firsts(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.firsts.iter().map(|(&at, &reg)| (at as usize, reg as usize))
    }

    /// The work waiting per registration.
    pub fn works(&self) -> &Works {
        &self.works
    }

    /// Lists an entry of registration `reg` waiting at position `at`,
    /// after every other (`time_limit`: its function's, which weighs it).
    pub fn push(&mut self, reg: usize, at: usize, prewarm: bool, time_limit: Option<f64>) {
        self.list(reg, at, prewarm);
        self.works.add(reg, time_limit);
    }

    /// Lists the position `at` of an entry of `reg` waiting, after every
    /// other, its work counted already (see [`ByRegistration::relist`]).
    pub fn list(&mut self, reg: usize, at: usize, prewarm: bool) {
        if reg >= self.own.len() {
            self.own.resize_with(reg + 1, Own::default);
        }
        self.index.resize(at, UNLISTED);
        self.index.push(self.own[reg].at.len() as u32);
        let own = &mut self.own[reg];
        if own.waiting.total() == 0 {
            self.firsts.insert(at as u32, reg as u32);
        }
        own.push(at, prewarm);
    }

    /// The entry of `reg` at position `at` no longer waits (`waits`:
    /// whether a position's entry does).
    pub fn unlist(&mut self, reg: usize, at: usize, waits: impl Fn(usize) -> bool) {
        let index = self.index[at] as usize;
        let own = &mut self.own[reg];
        let was_first = own.first_waiting() == Some(at);
        own.unlist(index, waits);
        self.works.remove(reg);
        if was_first {
            self.firsts.remove(&(at as u32));
            if let Some(next) = own.first_waiting() {
                self.firsts.insert(next as u32, reg as u32);
            }
        }
    }

    /// The list starts again from position 0, every entry of it gone
    /// already (each registration's dropped as the last of them left).
    pub fn restart(&mut self) {
        debug_assert!(self.own.iter().all(|own| own.at.is_empty()));
        debug_assert!(self.firsts.is_empty());
        debug_assert!(self.works.is_empty());
        self.index.clear();
    }

    /// Forgets every position, keeping the works: the list is compacted,
    /// the same entries wait, and are [`list`](ByRegistration::list)ed
    /// anew from position 0.
    pub fn relist(&mut self) {
        self.own.iter_mut().for_each(Own::clear);
        self.index.clear();
        self.firsts.clear();
    }

    /// Forgets every entry.
    pub fn clear(&mut self) {
        self.relist();
        self.works.clear();
    }
}

#[derive(Debug, Default)]
pub struct Own {
    /// Positions in the list, in order; dispatched ones among them but
    /// never last.
    at: Vec<u32>,
    /// Which of `at` wait, index for index.
    waiting: WaitingSet,
    /// Which of `at` are prewarm requests waiting, index for index.
    prewarms: WaitingSet,
}

impl Own {
    /// Lists an entry waiting at position `at`, after every other.
    fn push(&mut self, at: usize, prewarm: bool) {
        debug_assert!(self.at.last().is_none_or(|&last| (last as usize) < at));
        self.at.push(at as u32);
        self.waiting.push();
        match prewarm {
            true => self.prewarms.push(),
            false => self.prewarms.push_absent(),
        }
    }

    /// Its entry of index `index` no longer waits; then drops the
    /// positions at the end that do not (`waits`: whether a position's
    /// entry does).
    fn unlist(&mut self, index: usize, waits: impl Fn(usize) -> bool) {
        self.waiting.remove(index);
        self.prewarms.remove(index);
        while self.at.last().is_some_and(|&last| !waits(last as usize)) {
            self.at.pop();
            self.waiting.pop_absent();
            self.prewarms.pop_absent();
        }
    }

    fn clear(&mut self) {
        self.at.clear();
        self.waiting.clear();
        self.prewarms.clear();
    }

    /// Positions listed, in order.
    pub fn positions(&self) -> &[u32] {
        &self.at
    }

    /// The position of its first waiting entry, if one waits: in O(log)
    /// of its entries.
    pub fn first_waiting(&self) -> Option<usize> {
        (self.waiting.total() > 0).then(|| self.at[self.waiting.select(0)] as usize)
    }

    /// Its entries waiting before position `at`.
    pub fn waiting_before(&self, at: usize) -> usize {
        self.waiting.rank(self.index_of(at))
    }

    /// The position of its `count`-th waiting entry before position `at`,
    /// counting back (`count` at least 1); None when fewer wait before it.
    pub fn before(&self, at: usize, count: usize) -> Option<usize> {
        let rank = self.waiting_before(at);
        (rank >= count).then(|| self.at[self.waiting.select(rank - count)] as usize)
    }

    /// The position of its `count`-th waiting invocation before position
    /// `at`, counting back (`count` at least 1) over its prewarm requests
    /// between; None when fewer wait before it.
    pub fn before_invocation(&self, at: usize, count: usize) -> Option<usize> {
        let index = self.index_of(at);
        let rank = self.waiting.rank(index) - self.prewarms.rank(index);
        (rank >= count).then(|| self.at[select_apart(&self.waiting, &self.prewarms, rank - count)] as usize)
    }

    /// Its entries listed before position `at`.
    fn index_of(&self, at: usize) -> usize {
        self.at.partition_point(|&p| (p as usize) < at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Entries at positions 2, 5, 7, 9, 12 (5 and 9 prewarm requests), the
    /// one at 7 dispatched: counted back from 10, the entries are 9, 5, 2
    /// and the invocations 2 alone; the last, once dispatched, is dropped
    /// (not the dispatched one before the waiting 9), then 9 with 7.
    #[test]
    fn counts_back_over_its_own_waiting_entries() {
        let mut by = ByRegistration::default();
        for (at, prewarm) in [(2, false), (5, true), (7, false), (9, true), (12, false)] {
            by.push(1, at, prewarm, None);
        }
        let waiting = |at: usize| at != 7;
        by.unlist(1, 7, waiting);
        let own = &by.registrations()[1];
        assert_eq!(own.waiting_before(10), 3);
        assert_eq!(
            (1..=4).map(|k| own.before(10, k)).collect::<Vec<_>>(),
            [Some(9), Some(5), Some(2), None]
        );
        assert_eq!(own.before_invocation(10, 1), Some(2));
        assert_eq!(own.before_invocation(10, 2), None);
        assert_eq!(own.before_invocation(13, 1), Some(12));
        by.unlist(1, 12, |at| waiting(at) && at != 12);
        assert_eq!(by.registrations()[1].positions(), [2, 5, 7, 9]);
        by.unlist(1, 9, |at| ![7, 9, 12].contains(&at));
        let own = &by.registrations()[1];
        assert_eq!(own.positions(), [2, 5]);
        assert_eq!(own.before(100, 1), Some(5));
    }
}

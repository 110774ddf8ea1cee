//! How the service's list stands as to (submit date, id), the order FCFS
//! policies take it in (a stable sort: ties keep their list order). Kept
//! as entries are listed, so that a round walks the list in that order
//! without sorting it: as it comes while every entry came in order, and
//! prewarm requests first, then invocations, while each kind came in
//! order and every prewarm request sorts before every invocation (they
//! are listed with the earliest key: an autoscaler's request, listed after
//! the invocations that made it ask, would otherwise have every round of
//! an overloaded service sort its whole list).

use std::cmp::Ordering;

use super::{Pending, Waiting};

/// How a round may walk the waiting entries in (submit date, id) order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubmitOrder {
    /// In list order.
    List,
    /// The prewarm requests in list order, then the invocations in list
    /// order.
    PrewarmsFirst,
    /// Only by a sort.
    Unsorted,
}

/// (submit date, id).
type Key = (f64, u64);

fn cmp(a: Key, b: Key) -> Ordering {
    a.0.total_cmp(&b.0).then(a.1.cmp(&b.1))
}

/// What the entries listed since the list was last empty tell of its
/// order (the waiting ones are among them, in the same order).
#[derive(Debug, Clone, Copy, Default)]
pub struct SubmitOrderTracker {
    /// Every entry came no earlier than the one listed before it.
    listed_in_order: bool,
    /// Invocations came so among themselves, and prewarm requests among
    /// themselves.
    kinds_in_order: bool,
    last: Option<Key>,
    /// The last (hence latest) prewarm request listed.
    last_prewarm: Option<Key>,
    /// The first (hence earliest) invocation listed, and the last.
    first_invocation: Option<Key>,
    last_invocation: Option<Key>,
}

impl SubmitOrderTracker {
    /// The list is empty: every order holds.
    pub fn clear(&mut self) {
        *self = SubmitOrderTracker {
            listed_in_order: true,
            kinds_in_order: true,
            ..SubmitOrderTracker::default()
        };
    }

    /// `pending` is listed after the others.
    pub fn push(&mut self, pending: &Pending) {
        let key = (pending.submit, pending.id);
        let no_earlier = |last: Option<Key>| last.is_none_or(|last| cmp(key, last).is_ge());
        self.listed_in_order &= no_earlier(self.last);
        self.last = Some(key);
        let last_of_kind = match pending.waiting {
            Waiting::Prewarm(_) => &mut self.last_prewarm,
            Waiting::Invocation(_) => {
                self.first_invocation.get_or_insert(key);
                &mut self.last_invocation
            }
        };
        self.kinds_in_order &= no_earlier(*last_of_kind);
        *last_of_kind = Some(key);
    }

    /// How a round may walk the list in (submit date, id) order.
    pub fn order(&self) -> SubmitOrder {
        // Strictly before: a tie would keep its list order in the sort.
        let prewarms_first = match (self.last_prewarm, self.first_invocation) {
            (Some(prewarm), Some(invocation)) => cmp(prewarm, invocation).is_lt(),
            _ => true,
        };
        if self.listed_in_order {
            SubmitOrder::List
        } else if self.kinds_in_order && prewarms_first {
            SubmitOrder::PrewarmsFirst
        } else {
            SubmitOrder::Unsorted
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::function::ImageId;
    use crate::serverless::ids::{KeyId, PrewarmId, RegId};
    use crate::serverless::invocation::InvocationHandle;

    /// An entry, told from the others by `seq`.
    fn pending(prewarm: bool, submit: f64, id: u64, seq: u32) -> Pending {
        Pending {
            waiting: if prewarm {
                Waiting::Prewarm(PrewarmId(seq))
            } else {
                Waiting::Invocation(InvocationHandle::for_tests(seq))
            },
            id,
            submit,
            reg: RegId(0),
            key: KeyId(0),
            image: ImageId(0),
            ram: 1.0,
            disk: 0.0,
            time_limit: None,
        }
    }

    /// The entries in the order the walk named takes them.
    fn walked(list: &[Pending], order: SubmitOrder) -> Option<Vec<Waiting>> {
        let key = |p: &Pending| p.waiting;
        match order {
            SubmitOrder::List => Some(list.iter().map(key).collect()),
            SubmitOrder::PrewarmsFirst => {
                let (prewarms, invocations): (Vec<_>, Vec<_>) = list.iter().partition(|p| !p.takes_existing());
                Some(prewarms.into_iter().chain(invocations).map(key).collect())
            }
            SubmitOrder::Unsorted => None,
        }
    }

    /// Over random lists (prewarm requests listed with the earliest key,
    /// as the service lists them, or with keys of their own), the order
    /// named walks the list as a stable sort by (submit date, id) does,
    /// and the lists an overloaded service makes (invocations in order,
    /// prewarm requests among them) need no sort.
    #[test]
    fn the_order_named_is_the_stable_sort() {
        let mut next = crate::test_rng::xorshift_below(0x9e37_79b9_7f4a_7c15);
        let mut named = [0; 3];
        for case in 0..20_000 {
            let mut tracker = SubmitOrderTracker::default();
            tracker.clear();
            let mut list = Vec::new();
            let (mut clock, mut id) = (1u64, 1u64);
            for seq in 0..next(12) as u32 {
                let prewarm = next(3) == 0;
                // Mostly in order; now and then an entry listed late.
                clock += next(3);
                id += 1;
                let late = next(8) == 0;
                let submit = if late { clock.saturating_sub(next(4)) } else { clock };
                let p = match (prewarm, case % 2) {
                    (true, 0) => pending(true, 0.0, 0, seq),
                    _ => pending(prewarm, submit as f64, if late { next(id) } else { id }, seq),
                };
                tracker.push(&p);
                list.push(p);
            }
            let order = tracker.order();
            named[order as usize] += 1;
            let mut sorted = list.clone();
            sorted.sort_by(|a, b| a.submit.total_cmp(&b.submit).then(a.id.cmp(&b.id)));
            if let Some(walk) = walked(&list, order) {
                assert_eq!(
                    walk,
                    walked(&sorted, SubmitOrder::List).unwrap(),
                    "case {case}: {order:?}"
                );
            }
        }
        assert!(named.iter().all(|&n| n > 1000), "each order named often: {named:?}");
        // An overloaded service's list: invocations in order, the
        // autoscaler's requests listed among them.
        let mut tracker = SubmitOrderTracker::default();
        tracker.clear();
        for i in 1..100 {
            tracker.push(&pending(false, i as f64, i, i as u32));
            if i % 10 == 0 {
                tracker.push(&pending(true, 0.0, 0, 100 + i as u32));
            }
        }
        assert_eq!(tracker.order(), SubmitOrder::PrewarmsFirst);
    }
}

//! The order a `greedy` round takes the waiting entries in: drawn at
//! random, or by (submit date, id), which a list kept in that order
//! (`SubmitOrder`) gives as it comes, one position at a time, where a
//! round that ends early (a refused registration, a run of waits) pays
//! for the entries it reached, not for a sort of the whole list. Full
//! rounds (`RunOptions::rounds_only`) always list and sort, to check so.

use super::super::{Queue, SubmitOrder};

/// Where a round is in its order.
pub(super) enum Walk {
    /// Positions listed in `Greedy::order` (shuffled, or sorted), the
    /// next at `k`.
    Listed { k: usize },
    /// The list as it comes, from position `next` on.
    InList { next: usize },
    /// The prewarm requests in list order, then the invocations: the
    /// ranks of the next of each.
    PrewarmsFirst { prewarm: usize, invocation: usize },
}

impl Walk {
    /// The walk of a round over `queue` in (submit date, id) order, when
    /// the list's order gives it; None when it must be listed and sorted.
    pub(super) fn in_submit_order(queue: Queue) -> Option<Walk> {
        match queue.submit_order() {
            SubmitOrder::List => Some(Walk::InList { next: 0 }),
            SubmitOrder::PrewarmsFirst => Some(Walk::PrewarmsFirst {
                prewarm: 0,
                invocation: 0,
            }),
            SubmitOrder::Unsorted => None,
        }
    }

    /// The position of the next entry (`listed` holds a listed walk's).
    pub(super) fn next(&mut self, queue: Queue, listed: &[usize]) -> Option<usize> {
        match self {
            Walk::Listed { k } => {
                let index = *listed.get(*k)?;
                *k += 1;
                Some(index)
            }
            Walk::InList { next } => {
                let (index, _) = queue.iter_from(*next).next()?;
                *next = index + 1;
                Some(index)
            }
            Walk::PrewarmsFirst { prewarm, invocation } => {
                if let Some(index) = queue.nth_prewarm(*prewarm) {
                    *prewarm += 1;
                    return Some(index);
                }
                let index = queue.nth_invocation(*invocation)?;
                *invocation += 1;
                Some(index)
            }
        }
    }

    /// Passes the `count` entries that come next.
    pub(super) fn skip(&mut self, queue: Queue, count: usize) {
        match self {
            Walk::Listed { k } => *k += count,
            Walk::InList { next } => *next = queue.after_waiting(*next, count),
            Walk::PrewarmsFirst { prewarm, invocation } => {
                let prewarms = count.min(queue.tally().prewarms().saturating_sub(*prewarm));
                *prewarm += prewarms;
                *invocation += count - prewarms;
            }
        }
    }

    /// Steps over the prewarm requests from the one at `index` (the last
    /// entry walked) up to the next invocation: how many it passed, or
    /// None where the walk cannot (a listed one).
    pub(super) fn step_to_invocation(&mut self, queue: Queue, index: usize) -> Option<usize> {
        match self {
            Walk::Listed { .. } => None,
            Walk::InList { next } => {
                let (invocation, passed) = queue.first_invocation_from(index);
                *next = invocation;
                Some(passed)
            }
            Walk::PrewarmsFirst { prewarm, .. } => {
                // The one at `index` was walked: its rank is `prewarm - 1`.
                let passed = queue.tally().prewarms() + 1 - *prewarm;
                *prewarm = queue.tally().prewarms();
                Some(passed)
            }
        }
    }
}

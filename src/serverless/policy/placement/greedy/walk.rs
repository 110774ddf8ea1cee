//! The order a `greedy` round takes the waiting entries in: drawn at
//! random place by place (`shuffle.rs`), or by (submit date, id), which a
//! list kept in that order (`SubmitOrder`) gives as it comes, one position
//! at a time. Either way a round that ends early (a refused registration,
//! a run of waits) pays for the entries it reached, not for a shuffle or
//! a sort of the whole list. Full rounds (`RunOptions::rounds_only`)
//! always list and sort, or shuffle the whole list, to check so.

use crate::workload::StreamRng;

use super::super::shuffle::Shuffle;
use super::super::{Queue, SubmitOrder};

/// `order random(seed)`: its generator (it persists across rounds) and
/// the round's shuffle.
#[derive(Debug)]
pub(super) struct DrawnOrder {
    pub(super) rng: StreamRng,
    pub(super) shuffle: Shuffle,
    /// Whether the last round ended before half its places.
    ended_early: bool,
}

impl DrawnOrder {
    pub(super) fn new(seed: u64) -> Self {
        DrawnOrder {
            rng: StreamRng::new(seed, "scheduler/greedy/order"),
            shuffle: Shuffle::default(),
            ended_early: false,
        }
    }

    /// Starts a round over `queue`, which ends early only if `may_end`.
    /// Sparse (the places drawn kept alone) where the last round ended
    /// early, dense (the whole list's positions, swapped in place) where
    /// it reached most of its entries, as the next is likely to: the two
    /// draw the same places, and a round reaching every entry costs less
    /// dense (no hashing, no search in the list: sparse ones made the
    /// prewarm probe's 20,000 under this policy 0.11 -> 0.22 s).
    pub(super) fn begin(&mut self, queue: Queue, may_end: bool) {
        self.shuffle.begin(queue, may_end && self.ended_early);
    }

    /// Ends the round: the generator skips the draws of the places it did
    /// not reach, so every round moves it as far as one reaching them all.
    pub(super) fn end_round(&mut self) {
        self.ended_early = self.shuffle.left() > self.shuffle.drawn();
        self.shuffle.skip_rest(&mut self.rng);
    }
}

/// Where a round is in its order.
pub(super) enum Walk {
    /// Positions listed in `Greedy::order` (sorted), the next at `k`.
    Listed { k: usize },
    /// Positions drawn place by place (`DrawnOrder`).
    Drawn,
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

    /// The position of the next entry (`listed` holds a listed walk's,
    /// `drawn` draws a drawn walk's). Inlined: a round's loop asks it
    /// once per entry.
    #[inline(always)]
    pub(super) fn next(&mut self, queue: Queue, listed: &[usize], drawn: Option<&mut DrawnOrder>) -> Option<usize> {
        match self {
            Walk::Listed { k } => {
                let index = *listed.get(*k)?;
                *k += 1;
                Some(index)
            }
            Walk::Drawn => {
                let drawn = drawn.expect("a drawn walk has its order's generator");
                drawn.shuffle.draw(&mut drawn.rng)?.position(queue)
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

    /// Passes the `count` entries that come next (a drawn walk draws
    /// their places: the entries after them are drawn among the rest).
    pub(super) fn skip(&mut self, queue: Queue, count: usize, drawn: Option<&mut DrawnOrder>) {
        match self {
            Walk::Listed { k } => *k += count,
            Walk::Drawn => {
                let drawn = drawn.expect("a drawn walk has its order's generator");
                for _ in 0..count {
                    drawn.shuffle.draw(&mut drawn.rng);
                }
            }
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
            Walk::Listed { .. } | Walk::Drawn => None,
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

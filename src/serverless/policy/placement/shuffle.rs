//! A round's waiting entries in an order drawn at random, place by place:
//! Fisher-Yates front first, the k-th place drawn among the entries not
//! placed yet, one raw draw each (`StreamRng::scaled`, none for the last
//! place). A round over w entries moves its generator by w - 1 draws
//! whatever it reaches, so one that ends early skips the draws of the
//! places it did not reach (`StreamRng::skip`, a jump of the generator)
//! and costs the places it drew, not the list. `random` and
//! `greedy { order random(..) }` draw their orders so.
//!
//! Two ways to hold the draws, the same places either way: dense, every
//! entry's list position in a vector swapped at each draw (cheapest when
//! the round reaches every entry), or sparse, only the places the draws
//! swapped into (a round that may end early pays for what it reached;
//! a place then names the entry's rank among the waiting ones, found in
//! the list when read, `Queue::nth_waiting`).

use rustc_hash::FxHashMap;

use crate::workload::StreamRng;

use super::Queue;

/// The entry a place was drawn to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placed {
    /// Its list position (a dense shuffle).
    Position(usize),
    /// Its rank among the waiting entries, in list order (a sparse one).
    Rank(usize),
}

impl Placed {
    /// Its position in `queue`'s list (None: no entry of that rank waits).
    #[inline(always)]
    pub fn position(self, queue: Queue) -> Option<usize> {
        match self {
            Placed::Position(index) => Some(index),
            Placed::Rank(rank) => queue.nth_waiting(rank),
        }
    }
}

/// One round's shuffle, drawn place by place.
#[derive(Debug, Default)]
pub struct Shuffle {
    /// Dense: at each place, the list position of the entry there.
    order: Vec<usize>,
    /// Sparse: the rank now at each place the draws swapped into, the
    /// others holding their own.
    moved: FxHashMap<usize, usize>,
    sparse: bool,
    /// How many entries the round shuffles.
    len: usize,
    /// The next place to draw.
    next: usize,
}

impl Shuffle {
    /// Starts a round over `queue`'s waiting entries, sparse or dense.
    pub fn begin(&mut self, queue: Queue, sparse: bool) {
        self.sparse = sparse;
        self.len = queue.tally().total();
        self.next = 0;
        if sparse {
            self.moved.clear();
        } else {
            self.order.clear();
            self.order.extend(queue.iter().map(|(i, _)| i));
        }
    }

    /// Draws the next place with `rng`: the entry there, or None once
    /// every place is drawn. Inlined: a round draws once per entry.
    #[inline(always)]
    pub fn draw(&mut self, rng: &mut StreamRng) -> Option<Placed> {
        let k = self.next;
        if k >= self.len {
            return None;
        }
        self.next += 1;
        let j = if k + 1 < self.len {
            k + rng.scaled((self.len - k) as u64) as usize
        } else {
            k
        };
        if !self.sparse {
            self.order.swap(k, j);
            return Some(Placed::Position(self.order[k]));
        }
        let at = |moved: &FxHashMap<usize, usize>, i: usize| moved.get(&i).copied().unwrap_or(i);
        let (drawn, here) = (at(&self.moved, j), at(&self.moved, k));
        self.moved.insert(j, here);
        Some(Placed::Rank(drawn))
    }

    /// How many places are drawn.
    pub fn drawn(&self) -> usize {
        self.next
    }

    /// How many places are not drawn yet.
    pub fn left(&self) -> usize {
        self.len - self.next
    }

    /// The draws the places not drawn yet would take.
    pub fn draws_left(&self) -> u64 {
        draws(self.len).saturating_sub(self.next as u64)
    }

    /// Ends the round where it is: `rng` skips the draws of the places
    /// not drawn.
    pub fn skip_rest(&mut self, rng: &mut StreamRng) {
        rng.skip(self.draws_left());
        self.next = self.len;
    }
}

/// The draws a shuffle of `len` entries takes.
pub fn draws(len: usize) -> u64 {
    len.saturating_sub(1) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The places a dense and a sparse shuffle draw from one seed, as
    /// ranks (a dense shuffle over positions 0..len is its ranks).
    fn drawn(len: usize, sparse: bool, seed: u64) -> (Vec<usize>, u64) {
        let mut shuffle = Shuffle {
            len,
            sparse,
            order: (0..len).collect(),
            ..Shuffle::default()
        };
        let mut rng = StreamRng::new(seed, "shuffle");
        let places = std::iter::from_fn(|| shuffle.draw(&mut rng))
            .map(|p| match p {
                Placed::Position(i) | Placed::Rank(i) => i,
            })
            .collect();
        (places, rng.next_u64())
    }

    #[test]
    fn dense_and_sparse_draw_one_permutation_and_as_many_draws() {
        for len in [0, 1, 2, 3, 10, 257] {
            for seed in 0..5 {
                let (dense, after_dense) = drawn(len, false, seed);
                let (sparse, after_sparse) = drawn(len, true, seed);
                assert_eq!(dense, sparse, "len {len} seed {seed}");
                assert_eq!(after_dense, after_sparse);
                let mut sorted = dense.clone();
                sorted.sort_unstable();
                assert_eq!(sorted, (0..len).collect::<Vec<_>>(), "a permutation");
                // As many raw draws as `draws` says.
                let mut rng = StreamRng::new(seed, "shuffle");
                rng.skip(draws(len));
                assert_eq!(rng.next_u64(), after_dense, "len {len}");
            }
        }
    }

    #[test]
    fn skipping_the_rest_leaves_the_generator_where_drawing_it_would() {
        for stop in 0..12 {
            let mut shuffle = Shuffle {
                len: 12,
                sparse: true,
                ..Shuffle::default()
            };
            let mut rng = StreamRng::new(3, "shuffle");
            for _ in 0..stop {
                shuffle.draw(&mut rng);
            }
            shuffle.skip_rest(&mut rng);
            assert_eq!(shuffle.draw(&mut rng), None);
            let mut whole = StreamRng::new(3, "shuffle");
            whole.skip(draws(12));
            assert_eq!(rng.next_u64(), whole.next_u64(), "stopped after {stop}");
        }
    }
}

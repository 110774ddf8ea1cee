//! Which positions of a service's waiting list still wait, and the two
//! questions a round asks of them when it passes or takes back many
//! entries at once: how many wait before a position (rank), and where the
//! k-th waiting one is (select). One bit per position, and the waiting
//! count of each block of [`BLOCK`] positions in a Fenwick tree, so both
//! cost O(log blocks) plus a few words of one block, not the entries or
//! the blocks between. A second set kept position for position (the
//! prewarm requests among the waiting entries) answers the same of the
//! entries of the first not in it (`select_apart`).

/// Positions counted together in the tree.
const BLOCK: usize = 1024;
const WORD: usize = u64::BITS as usize;
const WORDS_PER_BLOCK: usize = BLOCK / WORD;

#[derive(Debug, Default)]
pub struct WaitingSet {
    /// One bit per position of the list, set while its entry waits.
    bits: Vec<u64>,
    /// Positions listed.
    len: usize,
    /// Fenwick tree over the waiting counts per block: `tree[i - 1]` sums
    /// blocks `i - lowbit(i)` to `i - 1`.
    tree: Vec<u32>,
    /// Waiting positions.
    total: usize,
}

fn lowbit(i: usize) -> usize {
    i & i.wrapping_neg()
}

impl WaitingSet {
    /// Lists one more position, waiting.
    pub fn push(&mut self) {
        let at = self.len;
        self.push_absent();
        self.bits[at / WORD] |= 1 << (at % WORD);
        self.add(at / BLOCK, true);
        self.total += 1;
    }

    /// Lists one more position, not waiting (a set kept beside another,
    /// position for position, see `select_apart`).
    pub fn push_absent(&mut self) {
        if self.len.is_multiple_of(BLOCK) {
            // The new block is empty: its node sums the blocks it covers.
            let i = self.tree.len() + 1;
            let covered = self.prefix(i - 1) - self.prefix(i - lowbit(i));
            self.tree.push(covered as u32);
        }
        if self.len.is_multiple_of(WORD) {
            self.bits.push(0);
        }
        self.len += 1;
    }

    /// Marks a position no longer waiting; false if it already was not.
    pub fn remove(&mut self, at: usize) -> bool {
        let (word, bit) = (at / WORD, 1 << (at % WORD));
        if self.bits[word] & bit == 0 {
            return false;
        }
        self.bits[word] &= !bit;
        self.add(at / BLOCK, false);
        self.total -= 1;
        true
    }

    /// Unlists the last position, which does not wait.
    pub fn pop_absent(&mut self) {
        debug_assert!(self.len > 0 && self.rank(self.len - 1) == self.total);
        self.len -= 1;
        if self.len.is_multiple_of(WORD) {
            self.bits.pop();
        }
        if self.len.is_multiple_of(BLOCK) {
            // The block is empty: the tree of the blocks before is its
            // prefix.
            self.tree.pop();
        }
    }

    /// Forgets every position.
    pub fn clear(&mut self) {
        self.bits.clear();
        self.tree.clear();
        self.len = 0;
        self.total = 0;
    }

    /// Lists `len` positions, all waiting (a compacted list), in O(len / 64).
    pub fn reset_waiting(&mut self, len: usize) {
        self.clear();
        self.bits.resize(len / WORD, u64::MAX);
        if !len.is_multiple_of(WORD) {
            self.bits.push((1 << (len % WORD)) - 1);
        }
        let blocks = len.div_ceil(BLOCK);
        self.tree
            .extend((0..blocks).map(|b| (len - b * BLOCK).min(BLOCK) as u32));
        for i in 1..=blocks {
            let parent = i + lowbit(i);
            if parent <= blocks {
                self.tree[parent - 1] += self.tree[i - 1];
            }
        }
        self.len = len;
        self.total = len;
    }

    /// Waiting positions.
    pub fn total(&self) -> usize {
        self.total
    }

    /// Whether the entry at position `at` (a listed one) waits.
    #[inline(always)]
    pub fn contains(&self, at: usize) -> bool {
        self.bits[at / WORD] & (1 << (at % WORD)) != 0
    }

    /// Waiting positions before `at` (at most the positions listed).
    pub fn rank(&self, at: usize) -> usize {
        let block = at / BLOCK;
        let word = at / WORD;
        let whole: u32 = self.bits[block * WORDS_PER_BLOCK..word]
            .iter()
            .map(|w| w.count_ones())
            .sum();
        let part = match at % WORD {
            0 => 0,
            bit => (self.bits[word] & ((1 << bit) - 1)).count_ones(),
        };
        self.prefix(block) + (whole + part) as usize
    }

    /// The position of the waiting entry with `rank` waiting before it
    /// (`rank` below [`WaitingSet::total`]).
    pub fn select(&self, rank: usize) -> usize {
        debug_assert!(rank < self.total);
        // Descend the tree to the block holding it.
        let (mut block, mut left) = (0, rank);
        let mut step = if self.tree.is_empty() {
            0
        } else {
            1 << self.tree.len().ilog2()
        };
        while step > 0 {
            if block + step <= self.tree.len() && (self.tree[block + step - 1] as usize) <= left {
                block += step;
                left -= self.tree[block - 1] as usize;
            }
            step >>= 1;
        }
        let mut word = block * WORDS_PER_BLOCK;
        loop {
            let ones = self.bits[word].count_ones() as usize;
            if left < ones {
                break;
            }
            left -= ones;
            word += 1;
        }
        let mut bits = self.bits[word];
        for _ in 0..left {
            bits &= bits - 1;
        }
        word * WORD + bits.trailing_zeros() as usize
    }

    /// Positions listed, waiting or not.
    pub fn listed(&self) -> usize {
        self.len
    }

    /// Waiting positions in the first `blocks` blocks.
    fn prefix(&self, blocks: usize) -> usize {
        let (mut i, mut sum) = (blocks, 0);
        while i > 0 {
            sum += self.tree[i - 1] as usize;
            i -= lowbit(i);
        }
        sum
    }

    /// Counts one more (or one fewer) waiting position in a block.
    fn add(&mut self, block: usize, more: bool) {
        let mut i = block + 1;
        while i <= self.tree.len() {
            if more {
                self.tree[i - 1] += 1;
            } else {
                self.tree[i - 1] -= 1;
            }
            i += lowbit(i);
        }
    }
}

/// The position of the waiting entry of `whole` not waiting in `part`
/// with `rank` such entries before it (`rank` below their number), where
/// `part` lists the same positions and waits only where `whole` does: a
/// select over their difference, O(log blocks) plus a few words of one
/// block, whatever the entries of `part` between.
pub fn select_apart(whole: &WaitingSet, part: &WaitingSet, rank: usize) -> usize {
    debug_assert!(whole.len == part.len && rank < whole.total - part.total);
    let apart = |i: usize| (whole.tree[i] - part.tree[i]) as usize;
    let (mut block, mut left) = (0, rank);
    let mut step = if whole.tree.is_empty() {
        0
    } else {
        1 << whole.tree.len().ilog2()
    };
    while step > 0 {
        if block + step <= whole.tree.len() && apart(block + step - 1) <= left {
            block += step;
            left -= apart(block - 1);
        }
        step >>= 1;
    }
    let mut word = block * WORDS_PER_BLOCK;
    let mut bits;
    loop {
        bits = whole.bits[word] & !part.bits[word];
        let ones = bits.count_ones() as usize;
        if left < ones {
            break;
        }
        left -= ones;
        word += 1;
    }
    for _ in 0..left {
        bits &= bits - 1;
    }
    word * WORD + bits.trailing_zeros() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rank and select agree with a plain list of flags through pushes,
    /// removals and resets, across block and word edges.
    #[test]
    fn rank_and_select_match_a_plain_list() {
        let mut set = WaitingSet::default();
        let mut flags: Vec<bool> = Vec::new();
        let mut next = crate::test_rng::xorshift(0x9e37_79b9_7f4a_7c15);
        for step in 0..30_000 {
            match next() % 10 {
                0..=5 => {
                    set.push();
                    flags.push(true);
                }
                6..=8 if !flags.is_empty() => {
                    let at = (next() % flags.len() as u64) as usize;
                    assert_eq!(set.remove(at), flags[at]);
                    flags[at] = false;
                }
                _ if step % 5000 == 0 => {
                    flags.retain(|f| *f);
                    set.reset_waiting(flags.len());
                }
                _ => {}
            }
            if step % 97 == 0 || flags.len() % BLOCK < 2 {
                let waiting: Vec<usize> = (0..flags.len()).filter(|i| flags[*i]).collect();
                assert_eq!(set.total(), waiting.len());
                for at in [0, flags.len() / 3, flags.len() / 2, flags.len()] {
                    assert_eq!(set.rank(at), waiting.iter().filter(|w| **w < at).count());
                }
                for (rank, at) in waiting.iter().enumerate().step_by(7) {
                    assert_eq!(set.select(rank), *at);
                }
                if let Some(last) = waiting.last() {
                    assert_eq!(set.select(waiting.len() - 1), *last);
                }
            }
        }
    }

    /// A set kept beside another (`push_absent` where it does not wait):
    /// `select_apart` finds the entries waiting in the first and not in
    /// the second as a plain list of flags does, across block and word
    /// edges, long runs of the second among them, and resets.
    #[test]
    fn select_apart_matches_a_plain_list() {
        let (mut whole, mut part) = (WaitingSet::default(), WaitingSet::default());
        let mut flags: Vec<(bool, bool)> = Vec::new();
        let mut next = crate::test_rng::xorshift(0x2545_f491_4f6c_dd1d);
        for step in 0..40_000 {
            // Runs of thousands of entries of the second set, then mixes.
            let in_part = (step / 3000) % 2 == 0 || next().is_multiple_of(3);
            match next() % 10 {
                0..=5 => {
                    whole.push();
                    if in_part {
                        part.push();
                    } else {
                        part.push_absent();
                    }
                    flags.push((true, in_part));
                }
                6..=8 if !flags.is_empty() => {
                    let at = (next() % flags.len() as u64) as usize;
                    assert_eq!(whole.remove(at), flags[at].0);
                    assert_eq!(part.remove(at), flags[at].1);
                    flags[at] = (false, false);
                }
                _ if step % 7000 == 0 => {
                    flags.retain(|f| f.0);
                    whole.reset_waiting(flags.len());
                    part.clear();
                    for f in &flags {
                        if f.1 {
                            part.push();
                        } else {
                            part.push_absent();
                        }
                    }
                }
                _ => {}
            }
            assert_eq!(part.listed(), whole.listed());
            if step % 89 == 0 || flags.len() % BLOCK < 2 {
                let apart: Vec<usize> = (0..flags.len()).filter(|i| flags[*i] == (true, false)).collect();
                assert_eq!(whole.total() - part.total(), apart.len());
                for (rank, at) in apart.iter().enumerate().step_by(5) {
                    assert_eq!(select_apart(&whole, &part, rank), *at);
                }
                if let Some(last) = apart.last() {
                    assert_eq!(select_apart(&whole, &part, apart.len() - 1), *last);
                }
            }
        }
    }
}

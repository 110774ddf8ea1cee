//! Sorting a minute's arrival keys by bucket: the keys' high bits are dates
//! spread over the whole minute (evenly, or uniformly at random), so
//! distributing them by their top bits into buckets of a few keys each and
//! sorting each small bucket costs a few passes, where a comparison sort
//! costs about log2(n). The result is the plain ascending order of the keys
//! (equal keys are equal values), exactly what `sort_unstable` gives.

/// Below this many keys a comparison sort is as cheap.
const SMALL: usize = 64;
/// Above this many keys a bucket is sorted by comparisons (many equal dates:
/// functions with the same count, evenly spread).
const CROWDED: usize = 16;

/// Reusable buffers of [`KeySorter::sort`].
#[derive(Debug, Default)]
pub(super) struct KeySorter {
    /// Bucket starts, then write positions.
    starts: Vec<u32>,
    /// The keys distributed into buckets.
    scattered: Vec<u64>,
}

impl KeySorter {
    /// Sorts `keys` ascending.
    pub fn sort(&mut self, keys: &mut Vec<u64>) {
        let n = keys.len();
        if n < SMALL || n > u32::MAX as usize {
            keys.sort_unstable();
            return;
        }
        // About two keys per bucket: 2^bits buckets, 5 <= bits < 32.
        let bits = usize::BITS - (n - 1).leading_zeros() - 1;
        let shift = 64 - bits;
        let buckets = 1usize << bits;
        self.starts.clear();
        self.starts.resize(buckets + 1, 0);
        for &key in keys.iter() {
            self.starts[(key >> shift) as usize + 1] += 1;
        }
        for b in 0..buckets {
            self.starts[b + 1] += self.starts[b];
        }
        // Every slot is written below: no need to clear what was there.
        self.scattered.resize(n, 0);
        // `starts[b]` walks through bucket b; it ends at bucket b + 1's start.
        for &key in keys.iter() {
            let slot = &mut self.starts[(key >> shift) as usize];
            self.scattered[*slot as usize] = key;
            *slot += 1;
        }
        std::mem::swap(keys, &mut self.scattered);
        let mut start = 0;
        for &end in &self.starts[..buckets] {
            let bucket = &mut keys[start..end as usize];
            match bucket.len() {
                0 | 1 => {}
                len if len > CROWDED => bucket.sort_unstable(),
                _ => insertion_sort(bucket),
            }
            start = end as usize;
        }
    }
}

fn insertion_sort(keys: &mut [u64]) {
    for i in 1..keys.len() {
        let key = keys[i];
        let mut j = i;
        while j > 0 && keys[j - 1] > key {
            keys[j] = keys[j - 1];
            j -= 1;
        }
        keys[j] = key;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(sorter: &mut KeySorter, keys: Vec<u64>) {
        let mut expected = keys.clone();
        expected.sort_unstable();
        let mut sorted = keys;
        sorter.sort(&mut sorted);
        assert_eq!(sorted, expected);
    }

    fn random(n: usize, seed: u64) -> Vec<u64> {
        let mut next = crate::test_rng::xorshift(seed);
        (0..n).map(|_| next()).collect()
    }

    #[test]
    fn sorts_random_keys_of_every_size() {
        for n in [0, 1, 2, 63, 64, 65, 1000, 4097, 20_000] {
            check(&mut KeySorter::default(), random(n, n as u64 + 1));
        }
    }

    #[test]
    fn sorts_clustered_and_repeated_keys() {
        let mut sorter = KeySorter::default();
        // Descending, every key in the first bucket.
        check(&mut sorter, (0..5000u64).rev().collect());
        // Many equal dates of a few functions, all in one bucket.
        check(&mut sorter, (0..3000u64).map(|i| (1 << 63) | (i % 7)).collect());
        // Keys at both ends of the range.
        let mut ends = random(500, 9);
        ends.extend([0, u64::MAX, 0, u64::MAX]);
        check(&mut sorter, ends);
    }

    #[test]
    fn a_sorter_is_reused_across_sizes() {
        let mut sorter = KeySorter::default();
        for n in [5000, 100, 7000, 64] {
            check(&mut sorter, random(n, 3));
        }
    }
}

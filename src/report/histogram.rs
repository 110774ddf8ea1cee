//! A latency histogram of bounded size: values are kept to 12 bits of
//! mantissa, so a percentile is at most 1/4096 (0.025 %) below the exact
//! value (and exact for values such as 15 s or 0.5 s). Buckets are kept
//! sparsely, so a run with thousands of functions holds one small table per
//! function, and millions of invocations need a few thousand counters, not
//! one float each.

use rustc_hash::FxHashMap;

/// Bits of mantissa a bucket keeps.
const MANTISSA_BITS: u32 = 12;

/// The largest relative error of a percentile (it is rounded down).
pub const RELATIVE_ERROR: f64 = 1.0 / (1u64 << MANTISSA_BITS) as f64;

#[derive(Debug, Clone, Default)]
pub struct Histogram {
    /// Counts per bucket; the key is the top bits of the value's IEEE
    /// representation, which sort like the values for non-negative numbers.
    buckets: FxHashMap<u32, u64>,
    count: u64,
    sum: f64,
    max: f64,
}

impl Histogram {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a non-negative value (negative and NaN values count as 0).
    pub fn add(&mut self, value: f64) {
        let value = if value > 0.0 { value } else { 0.0 };
        *self.buckets.entry(key(value)).or_insert(0) += 1;
        self.count += 1;
        self.sum += value;
        self.max = self.max.max(value);
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum / self.count as f64)
    }

    pub fn max(&self) -> Option<f64> {
        (self.count > 0).then_some(self.max)
    }

    /// The buckets in increasing order: (lower bound, count).
    pub fn buckets(&self) -> Vec<(f64, u64)> {
        let mut keys: Vec<(u32, u64)> = self.buckets.iter().map(|(k, n)| (*k, *n)).collect();
        keys.sort_unstable();
        keys.into_iter().map(|(k, n)| (value(k), n)).collect()
    }

    /// The `p`-th percentile (0 < p <= 100) by the nearest-rank method (the
    /// smallest value at least p % of the values do not exceed), as the
    /// lower bound of its bucket.
    pub fn percentile(&self, p: f64) -> Option<f64> {
        self.percentiles(&[p]).pop().flatten()
    }

    /// Several percentiles in one pass over the sorted buckets.
    pub fn percentiles(&self, ps: &[f64]) -> Vec<Option<f64>> {
        if self.count == 0 {
            return vec![None; ps.len()];
        }
        let buckets = self.buckets();
        ps.iter()
            .map(|p| {
                let rank = ((p / 100.0 * self.count as f64).ceil() as u64).clamp(1, self.count);
                let mut seen = 0;
                for (lower, n) in &buckets {
                    seen += n;
                    if seen >= rank {
                        return Some(*lower);
                    }
                }
                Some(self.max)
            })
            .collect()
    }
}

fn key(value: f64) -> u32 {
    (value.to_bits() >> (52 - MANTISSA_BITS)) as u32
}

fn value(key: u32) -> f64 {
    f64::from_bits((key as u64) << (52 - MANTISSA_BITS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_for_short_mantissas_and_close_otherwise() {
        let mut h = Histogram::new();
        for v in [15.0, 5.0, 10.0, 20.0] {
            h.add(v);
        }
        assert_eq!(h.percentile(50.0), Some(10.0));
        assert_eq!(h.percentile(100.0), Some(20.0));
        assert_eq!(h.percentile(1.0), Some(5.0));
        let mut h = Histogram::new();
        h.add(0.123456789);
        let p = h.percentile(50.0).unwrap();
        assert!(p <= 0.123456789 && (0.123456789 - p) / 0.123456789 < RELATIVE_ERROR);
    }

    #[test]
    fn nearest_rank_over_many_values() {
        let mut h = Histogram::new();
        for i in 1..=1000 {
            h.add(i as f64);
        }
        assert_eq!(h.percentile(50.0), Some(500.0));
        assert_eq!(h.percentile(99.0), Some(990.0));
        assert_eq!(h.percentiles(&[50.0, 99.0]), vec![Some(500.0), Some(990.0)]);
        assert_eq!(h.count(), 1000);
        assert_eq!(h.mean(), Some(500.5));
    }

    #[test]
    fn the_error_bound_holds_for_any_value() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..10_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let v = (x >> 11) as f64 / (1u64 << 40) as f64;
            let mut h = Histogram::new();
            h.add(v);
            let p = h.percentile(50.0).unwrap();
            assert!(p <= v && v - p <= v * RELATIVE_ERROR, "{v} {p}");
        }
    }
}

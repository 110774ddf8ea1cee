//! A latency histogram of bounded size: values are kept to 12 bits of
//! mantissa (a relative error below 0.025%, and exact for values such as
//! 15 s or 0.5 s), so percentiles of millions of invocations need a few
//! thousand counters, not one float per invocation.

/// Bits of mantissa a bucket keeps.
const MANTISSA_BITS: u32 = 12;
const PER_EXPONENT: usize = 1 << MANTISSA_BITS;

#[derive(Debug, Clone, Default)]
pub struct Histogram {
    /// Counts per bucket, one block of 4096 buckets per binary exponent
    /// met so far (the bucket key is the top bits of the value's IEEE
    /// representation, which sort like the values for non-negative numbers).
    blocks: Vec<Option<Box<[u64; PER_EXPONENT]>>>,
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
        let key = (value.to_bits() >> (52 - MANTISSA_BITS)) as usize;
        let (block, bucket) = (key / PER_EXPONENT, key % PER_EXPONENT);
        if self.blocks.len() <= block {
            self.blocks.resize(block + 1, None);
        }
        self.blocks[block].get_or_insert_with(|| Box::new([0; PER_EXPONENT]))[bucket] += 1;
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

    /// The `p`-th percentile (0 < p <= 100) by the nearest-rank method, as
    /// the lower bound of its bucket.
    pub fn percentile(&self, p: f64) -> Option<f64> {
        if self.count == 0 {
            return None;
        }
        let rank = ((p / 100.0 * self.count as f64).ceil() as u64).clamp(1, self.count);
        let mut seen = 0;
        for (b, block) in self.blocks.iter().enumerate() {
            let Some(block) = block else { continue };
            for (i, n) in block.iter().enumerate() {
                seen += n;
                if seen >= rank {
                    let key = (b * PER_EXPONENT + i) as u64;
                    return Some(f64::from_bits(key << (52 - MANTISSA_BITS)));
                }
            }
        }
        Some(self.max)
    }
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
        assert!(p <= 0.123456789 && (0.123456789 - p) / 0.123456789 < 1.0 / 4096.0);
    }

    #[test]
    fn nearest_rank_over_many_values() {
        let mut h = Histogram::new();
        for i in 1..=1000 {
            h.add(i as f64);
        }
        assert_eq!(h.percentile(50.0), Some(500.0));
        assert_eq!(h.percentile(99.0), Some(990.0));
        assert_eq!(h.count(), 1000);
        assert_eq!(h.mean(), Some(500.5));
    }
}

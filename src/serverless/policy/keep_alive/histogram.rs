//! A histogram of one function's samples (idle times) over the whole run:
//! counts in equal bins over a range, and the samples beyond it by count
//! and sum. The hybrid histogram keep-alive and the written keep-alive's
//! `histogram(...)` share it, so both read exactly the same numbers.

/// The counts of one function's samples.
#[derive(Debug, Clone, Default)]
pub struct Bins {
    /// Made at the first sample in range.
    counts: Vec<u32>,
    in_range: u64,
    /// Sum of the squared counts, kept as counts grow (for the CV).
    squares: u64,
    beyond: u64,
    beyond_sum: f64,
}

impl Bins {
    /// Counts `value` in `bins` bins of `bin` over `range`.
    pub fn add(&mut self, value: f64, bin: f64, range: f64, bins: usize) {
        if value >= range {
            self.beyond += 1;
            self.beyond_sum += value;
            return;
        }
        if self.counts.is_empty() {
            self.counts = vec![0; bins];
        }
        let i = ((value / bin) as usize).min(bins - 1);
        self.squares += 2 * u64::from(self.counts[i]) + 1;
        self.counts[i] += 1;
        self.in_range += 1;
    }

    /// The samples in range.
    pub fn in_range(&self) -> u64 {
        self.in_range
    }

    /// The samples beyond the range.
    pub fn beyond(&self) -> u64 {
        self.beyond
    }

    /// The mean of the samples beyond the range (NaN without one).
    pub fn beyond_mean(&self) -> f64 {
        self.beyond_sum / self.beyond as f64
    }

    /// Standard deviation over mean of the counts of `bins` bins (0 for an
    /// empty histogram).
    pub fn cv(&self, bins: usize) -> f64 {
        if self.in_range == 0 {
            return 0.0;
        }
        let n = bins as f64;
        let mean = self.in_range as f64 / n;
        let variance = (self.squares as f64 / n - mean * mean).max(0.0);
        variance.sqrt() / mean
    }

    /// The first bin where the cumulative count reaches `fraction` of the
    /// samples in range.
    pub fn percentile_bin(&self, fraction: f64) -> usize {
        let target = fraction * self.in_range as f64;
        let mut cumulative = 0u64;
        for (i, c) in self.counts.iter().enumerate() {
            cumulative += u64::from(*c);
            if cumulative as f64 >= target && cumulative > 0 {
                return i;
            }
        }
        self.counts.len().saturating_sub(1)
    }
}

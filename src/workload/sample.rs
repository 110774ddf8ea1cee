//! Drawing values of an [`ir::Distribution`](crate::ir::Distribution) from a [`StreamRng`].

use crate::ir::Distribution;

use super::random::StreamRng;

impl StreamRng {
    /// One draw of `dist`, in the distribution's own unit.
    ///
    /// Each kind consumes a fixed number of raw draws (constant: 0; uniform,
    /// exponential and empirical: 1 (empirical may retry on rare rejection);
    /// normal and log-normal: 2), so streams stay aligned across runs. Normal
    /// draws are clamped at 0; a uniform with `high < low` draws between the
    /// two bounds all the same; an empty empirical list yields 0 (its mean).
    pub fn sample(&mut self, dist: &Distribution) -> f64 {
        match dist {
            Distribution::Constant(value) => *value,
            Distribution::Uniform { low, high } => low + (high - low) * self.uniform(),
            Distribution::Normal { mean, std_dev } => (mean + std_dev * self.std_normal()).max(0.0),
            Distribution::LogNormal { mu, sigma } => libm::exp(mu + sigma * self.std_normal()),
            Distribution::Exponential { mean } => mean * self.exp1(),
            Distribution::Empirical(values) => {
                let index = self.below(values.len() as u64) as usize;
                values.get(index).copied().unwrap_or(0.0)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mean_of(dist: &Distribution, n: usize) -> f64 {
        let mut rng = StreamRng::new(3, "sample");
        (0..n).map(|_| rng.sample(dist)).sum::<f64>() / n as f64
    }

    #[test]
    fn sample_means_match_the_distribution_means() {
        let cases = [
            Distribution::Constant(2.5),
            Distribution::Uniform { low: 1.0, high: 3.0 },
            Distribution::Normal {
                mean: 10.0,
                std_dev: 2.0,
            },
            Distribution::LogNormal { mu: 0.0, sigma: 0.5 },
            Distribution::Exponential { mean: 4.0 },
            Distribution::Empirical(vec![1.0, 2.0, 6.0]),
        ];
        for dist in &cases {
            let got = mean_of(dist, 100_000);
            let want = dist.mean();
            assert!((got - want).abs() < 0.02 * want, "{dist:?}: {got} vs {want}");
        }
    }

    #[test]
    fn normal_is_clamped_at_zero() {
        let mut rng = StreamRng::new(3, "clamp");
        let dist = Distribution::Normal {
            mean: 0.0,
            std_dev: 1.0,
        };
        let draws: Vec<f64> = (0..1000).map(|_| rng.sample(&dist)).collect();
        assert!(draws.iter().all(|&x| x >= 0.0));
        assert!(draws.contains(&0.0));
    }

    #[test]
    fn empty_empirical_yields_zero() {
        let mut rng = StreamRng::new(3, "empty");
        assert_eq!(rng.sample(&Distribution::Empirical(vec![])), 0.0);
    }
}

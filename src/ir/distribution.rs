//! Random amounts as the IR carries them: every value already in SI base units
//! (seconds, bytes, flops, bytes/s, or a plain count).

use serde::Serialize;

/// A quantity that is either fixed or drawn from a distribution each time it is used.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Distribution {
    /// Always the same value.
    Constant(f64),
    /// Uniform on `[low, high]`.
    Uniform { low: f64, high: f64 },
    /// Normal with the given mean and standard deviation, clamped at 0 when drawn.
    Normal { mean: f64, std_dev: f64 },
    /// Log-normal whose underlying normal has mean `mu` and deviation `sigma`
    /// (so the median is `exp(mu)`, in the unit of the quantity).
    LogNormal { mu: f64, sigma: f64 },
    /// Exponential with the given mean.
    Exponential { mean: f64 },
    /// One of the listed values, each equally likely.
    Empirical(Vec<f64>),
}

impl Distribution {
    /// The mean of the distribution, used where a planner needs an expected value.
    pub fn mean(&self) -> f64 {
        match self {
            Distribution::Constant(v) => *v,
            Distribution::Uniform { low, high } => (low + high) / 2.0,
            Distribution::Normal { mean, .. } => *mean,
            Distribution::LogNormal { mu, sigma } => (mu + sigma * sigma / 2.0).exp(),
            Distribution::Exponential { mean } => *mean,
            Distribution::Empirical(values) if values.is_empty() => 0.0,
            Distribution::Empirical(values) => values.iter().sum::<f64>() / values.len() as f64,
        }
    }
}

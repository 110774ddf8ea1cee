//! Means and 95 % confidence intervals over repetitions (Student's t), for
//! a sweep's table and its charts.

/// Two-sided 95 % quantiles of Student's t for 1 to 30 degrees of freedom.
const T_975: [f64; 30] = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120,
    2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
];

/// The 0.975 quantile of Student's t with `df` degrees of freedom: from
/// the table up to 30, above by the Cornish-Fisher expansion around the
/// normal quantile (within 1e-4 there).
pub fn t_975(df: usize) -> f64 {
    if (1..=30).contains(&df) {
        return T_975[df - 1];
    }
    let z: f64 = 1.959_963_984_540_054;
    let n = df.max(1) as f64;
    z + (z.powi(3) + z) / (4.0 * n) + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * n * n)
}

/// Mean and 95 % confidence half-width of a sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub mean: f64,
    /// `None` for fewer than two values.
    pub half_width: Option<f64>,
    pub n: usize,
}

/// The estimate of `values`; `None` when there is none.
pub fn estimate(values: &[f64]) -> Option<Estimate> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let half_width = (n > 1).then(|| {
        let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
        t_975(n - 1) * (variance / n as f64).sqrt()
    });
    Some(Estimate { mean, half_width, n })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn confidence_intervals_follow_students_t() {
        let e = estimate(&[1.0, 2.0, 3.0, 4.0, 5.0]).unwrap();
        assert_eq!(e.mean, 3.0);
        // s = sqrt(2.5), t(4) = 2.776: 2.776 * sqrt(2.5 / 5).
        assert!((e.half_width.unwrap() - 2.776 * 0.5f64.sqrt()).abs() < 1e-12);
        assert_eq!(estimate(&[7.0]).unwrap().half_width, None);
        assert!(estimate(&[]).is_none());
        // Past the table the expansion meets the table's trend and the normal.
        assert!((t_975(31) - 2.0395).abs() < 1e-3);
        assert!((t_975(120) - 1.9799).abs() < 1e-3);
    }
}

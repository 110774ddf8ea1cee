//! Piecewise-linear inverse CDFs through published percentile points, used to
//! draw per-invocation durations and memory from Azure 2019 summaries.

/// An inverse CDF: `(quantile, value)` points with quantiles rising from 0 to 1,
/// linear in between.
#[derive(Debug, Clone, PartialEq)]
pub struct QuantileCurve {
    points: Vec<(f64, f64)>,
    /// Slope of the value between point `i` and point `i + 1`.
    slopes: Vec<f64>,
}

impl QuantileCurve {
    /// The curve through `values` at `quantiles` (both in increasing quantile
    /// order), each value multiplied by `scale` (to convert units).
    ///
    /// Values are sorted, so a row whose percentiles are not monotone still
    /// gives a valid distribution; when the first quantile is above 0 the
    /// curve is flat below it, and when the last is below 1 flat above it.
    pub fn new(quantiles: &[f64], values: &[f64], scale: f64) -> Self {
        let mut sorted: Vec<f64> = values.iter().map(|v| v * scale).collect();
        sorted.sort_by(f64::total_cmp);
        let mut points: Vec<(f64, f64)> = quantiles.iter().copied().zip(sorted).collect();
        if let Some(&(q, v)) = points.first()
            && q > 0.0
        {
            points.insert(0, (0.0, v));
        }
        if let Some(&(q, v)) = points.last()
            && q < 1.0
        {
            points.push((1.0, v));
        }
        let slopes = points
            .windows(2)
            .map(|pair| {
                let ((q0, v0), (q1, v1)) = (pair[0], pair[1]);
                if q1 > q0 { (v1 - v0) / (q1 - q0) } else { 0.0 }
            })
            .collect();
        QuantileCurve { points, slopes }
    }

    /// The `(quantile, value)` points of the curve.
    pub fn points(&self) -> &[(f64, f64)] {
        &self.points
    }

    /// The value at quantile `u` in `[0, 1]` (0 for an empty curve).
    #[inline]
    pub fn value_at(&self, u: f64) -> f64 {
        let Some(inner) = self.points.get(1..self.points.len().saturating_sub(1)) else {
            return self.points.first().map_or(0.0, |&(_, v)| v);
        };
        // Counting the inner points at or below `u` finds the segment without
        // branches: on a hot path a binary search mispredicts half the time.
        let segment = inner.iter().map(|&(q, _)| usize::from(q <= u)).sum::<usize>();
        let (q, v) = self.points[segment];
        v + self.slopes[segment] * (u - q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interpolates_between_percentiles() {
        let curve = QuantileCurve::new(&[0.0, 0.5, 1.0], &[10.0, 20.0, 40.0], 0.001);
        assert!((curve.value_at(0.25) - 0.015).abs() < 1e-12);
        assert!((curve.value_at(0.75) - 0.03).abs() < 1e-12);
        assert_eq!(curve.value_at(1.0), 0.04);
        assert_eq!(curve.value_at(0.0), 0.01);
    }

    #[test]
    fn is_flat_outside_the_given_quantiles() {
        let curve = QuantileCurve::new(&[0.01, 1.0], &[64.0, 128.0], 1.0);
        assert_eq!(curve.points()[0], (0.0, 64.0));
        assert_eq!(curve.value_at(0.005), 64.0);
        let curve = QuantileCurve::new(&[0.0, 0.99], &[1.0, 2.0], 1.0);
        assert_eq!(curve.value_at(0.995), 2.0);
    }

    #[test]
    fn degenerate_curves_have_a_value() {
        assert_eq!(QuantileCurve::new(&[], &[], 1.0).value_at(0.5), 0.0);
        assert_eq!(QuantileCurve::new(&[0.5], &[3.0], 1.0).value_at(0.9), 3.0);
        let step = QuantileCurve::new(&[0.0, 0.5, 0.5, 1.0], &[1.0, 1.0, 2.0, 2.0], 1.0);
        assert_eq!(step.value_at(0.25), 1.0);
        assert_eq!(step.value_at(0.75), 2.0);
    }

    #[test]
    fn unsorted_values_are_sorted() {
        let curve = QuantileCurve::new(&[0.0, 1.0], &[5.0, 1.0], 1.0);
        assert_eq!(curve.value_at(0.0), 1.0);
    }
}

//! Piecewise-linear inverse CDFs through published percentile points, used to
//! draw per-invocation durations and memory from Azure 2019 summaries.

/// An inverse CDF: `(quantile, value)` points with quantiles rising from 0 to 1,
/// linear in between.
#[derive(Debug, Clone, PartialEq)]
pub struct QuantileCurve {
    points: Vec<CurvePoint>,
}

/// A point of a [`QuantileCurve`] with the slope of the value up to the
/// next point (0 for the last): one place to read per segment.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct CurvePoint {
    pub quantile: f64,
    pub value: f64,
    slope: f64,
}

impl CurvePoint {
    /// The slope of the value up to the next point (0 for the last).
    pub fn slope(&self) -> f64 {
        self.slope
    }
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
        let slope = |i: usize| match (points[i], points.get(i + 1)) {
            ((q0, v0), Some(&(q1, v1))) if q1 > q0 => (v1 - v0) / (q1 - q0),
            _ => 0.0,
        };
        let points = (0..points.len())
            .map(|i| CurvePoint {
                quantile: points[i].0,
                value: points[i].1,
                slope: slope(i),
            })
            .collect();
        QuantileCurve { points }
    }

    /// The points of the curve.
    pub fn points(&self) -> &[CurvePoint] {
        &self.points
    }

    /// The value at quantile `u` in `[0, 1]` (0 for an empty curve).
    #[inline]
    pub fn value_at(&self, u: f64) -> f64 {
        value_at(&self.points, u)
    }
}

/// The value at quantile `u` in `[0, 1]` of the curve of `points` (as
/// [`QuantileCurve::points`] gives them; 0 for none).
#[inline]
fn value_at(points: &[CurvePoint], u: f64) -> f64 {
    let Some(inner) = points.get(1..points.len().saturating_sub(1)) else {
        return points.first().map_or(0.0, |p| p.value);
    };
    // The segment is the count of inner points at or below `u`; their
    // quantiles never decrease, so a binary search finds it. The standard
    // library's makes as many steps whatever `u` is, choosing each half
    // without a branch: three steps for the Azure files' five or seven
    // inner points, where counting them all took a dozen compares.
    let segment = inner.partition_point(|p| p.quantile <= u);
    let p = points[segment];
    p.value + p.slope * (u - p.quantile)
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
        assert_eq!((curve.points()[0].quantile, curve.points()[0].value), (0.0, 64.0));
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

    /// The binary search finds the segment that counting the inner points
    /// at or below `u` finds, on curves of every length the Azure files
    /// give and more, with ties, and at `u` on a point's quantile.
    #[test]
    fn the_segment_searched_is_the_segment_counted() {
        let mut next = crate::test_rng::xorshift_below(0x2545_f491_4f6c_dd1d);
        for _ in 0..2_000 {
            let len = next(12) as usize;
            let mut quantiles: Vec<f64> = (0..len).map(|_| next(9) as f64 / 8.0).collect();
            quantiles.sort_by(f64::total_cmp);
            let values: Vec<f64> = (0..len).map(|_| next(1000) as f64).collect();
            let curve = QuantileCurve::new(&quantiles, &values, 1.0);
            let points = curve.points();
            for u in (0..=64).map(|i| f64::from(i) / 64.0).chain([0.3, 0.7, 0.999]) {
                let expected = match points.get(1..points.len().saturating_sub(1)) {
                    None => points.first().map_or(0.0, |p| p.value),
                    Some(inner) => {
                        let p = points[inner.iter().filter(|p| p.quantile <= u).count()];
                        p.value + p.slope * (u - p.quantile)
                    }
                };
                assert_eq!(curve.value_at(u).to_bits(), expected.to_bits(), "{quantiles:?} at {u}");
            }
        }
    }

    #[test]
    fn unsorted_values_are_sorted() {
        let curve = QuantileCurve::new(&[0.0, 1.0], &[5.0, 1.0], 1.0);
        assert_eq!(curve.value_at(0.0), 1.0);
    }
}

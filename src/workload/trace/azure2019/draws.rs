//! Every replayed function's duration and memory curves in one flat table,
//! a row of values and slopes per function at a fixed stride, their
//! quantiles kept once: an Azure file gives every function's percentiles at
//! the same quantiles, so drawing an arrival's duration and memory reads a
//! row of four cache lines (six or seven with the quantiles), where the
//! functions' own curves (each in its own allocation behind its function's
//! entry, a quantile, value and slope a point) cost several dependent cache
//! misses per arrival once thousands of functions are replayed.

use super::super::FunctionInfo;
use super::super::quantile::QuantileCurve;
use crate::workload::random::StreamRng;

#[derive(Debug, Default)]
pub(super) struct Draws {
    /// The distinct quantiles of the replayed curves, each a curve's
    /// points' quantiles in order (one for durations and one for memory in
    /// the Azure files).
    grids: Vec<Vec<f64>>,
    /// Per function: the grid of its duration and of its memory curve,
    /// plus one (0 when it has no such curve).
    curves: Vec<[u32; 2]>,
    /// Points per row: room for the longest duration curve, then for the
    /// longest memory curve.
    durations: usize,
    /// Points from one row to the next: whole cache lines.
    stride: usize,
    /// Each function's row: its curves' points' values and slopes, from
    /// `points[first]` on, where a cache line starts.
    points: Vec<Point>,
    first: usize,
    /// Whether rows are worth a hint ahead (see [`Draws::prefetch`]): not
    /// when the table fits in a core's cache.
    pub read_ahead: bool,
}

/// Bytes of table that stay in a core's cache (half of a 512 KB level 2).
const CACHED: usize = 256 << 10;

/// A curve's point without its quantile: its value and the slope up to the
/// next point ([`CurvePoint`](super::super::quantile::CurvePoint)'s).
#[derive(Debug, Clone, Copy, Default)]
struct Point {
    value: f64,
    slope: f64,
}

/// Points in a 64-byte cache line.
const PER_LINE: usize = 4;

impl Draws {
    pub fn new(functions: &[FunctionInfo]) -> Self {
        let longest = |curve: fn(&FunctionInfo) -> &Option<QuantileCurve>| {
            functions
                .iter()
                .filter_map(|f| curve(f).as_ref().map(|c| c.points().len()))
                .max()
                .unwrap_or(0)
        };
        let durations = longest(|f| &f.durations);
        let stride = (durations + longest(|f| &f.memory)).next_multiple_of(PER_LINE);
        let mut grids: Vec<Vec<f64>> = Vec::new();
        // A line's room more, to start the rows on a line: a row of four
        // lines is then read in four, not five.
        let mut points = vec![Point::default(); functions.len() * stride + PER_LINE];
        let first = points.as_ptr().align_offset(PER_LINE * std::mem::size_of::<Point>()) % PER_LINE;
        let mut curves = Vec::with_capacity(functions.len());
        for (f, info) in functions.iter().enumerate() {
            let row = &mut points[first + f * stride..first + (f + 1) * stride];
            let (duration_room, memory_room) = row.split_at_mut(durations);
            let mut place = |curve: &Option<QuantileCurve>, room: &mut [Point]| {
                curve.as_ref().map_or(0, |c| {
                    let points = c.points();
                    for (place, point) in room.iter_mut().zip(points) {
                        *place = Point {
                            value: point.value,
                            slope: point.slope(),
                        };
                    }
                    // Quantiles compared by their bits: a grid is only
                    // shared by curves that find the same segments.
                    let same = |grid: &Vec<f64>| {
                        grid.len() == points.len()
                            && grid
                                .iter()
                                .zip(points)
                                .all(|(q, p)| q.to_bits() == p.quantile.to_bits())
                    };
                    let grid = grids.iter().position(same).unwrap_or_else(|| {
                        grids.push(points.iter().map(|p| p.quantile).collect());
                        grids.len() - 1
                    });
                    // At most two grids a function, and fewer than 2^24
                    // functions (a sort key's room): the id fits.
                    grid as u32 + 1
                })
            };
            curves.push([place(&info.durations, duration_room), place(&info.memory, memory_room)]);
        }
        Draws {
            grids,
            curves,
            durations,
            stride,
            read_ahead: std::mem::size_of_val(points.as_slice()) > CACHED,
            points,
            first,
        }
    }

    /// Starts bringing function `f`'s row and its curves' grid ids into
    /// this core's cache, to be drawn from soon: with thousands of functions each line
    /// of a row is a cache miss, and a hint some arrivals ahead lets the
    /// processor wait for them while it draws the arrivals before.
    #[inline]
    pub fn prefetch(&self, f: u32) {
        let row = self.first + f as usize * self.stride;
        if let Some(points) = self.points.get(row..row + self.stride) {
            crate::cache_hint::prefetch_all(points);
        }
        if let Some(curves) = self.curves.get(f as usize) {
            crate::cache_hint::prefetch(curves);
        }
    }

    /// Function `f`'s duration and memory for one arrival, each drawn from
    /// its stream if `f` has that curve.
    #[inline]
    pub fn draw(&self, f: u32, duration: &mut StreamRng, memory: &mut StreamRng) -> (Option<f64>, Option<f64>) {
        let f = f as usize;
        let row = &self.points[self.first + f * self.stride..self.first + (f + 1) * self.stride];
        let [duration_grid, memory_grid] = self.curves[f];
        let (duration_room, memory_room) = row.split_at(self.durations);
        (
            self.curve(duration_room, duration_grid, duration),
            self.curve(memory_room, memory_grid, memory),
        )
    }

    /// A draw from the curve of grid `grid` (plus one; 0 for none) whose
    /// points start `room`.
    #[inline(always)]
    fn curve(&self, room: &[Point], grid: u32, rng: &mut StreamRng) -> Option<f64> {
        let quantiles = self.grids.get((grid as usize).checked_sub(1)?)?;
        Some(value_at(quantiles, room, rng.uniform()))
    }
}

/// The value at quantile `u` of the curve of `points` at `quantiles` (as
/// many points as quantiles, or more): bit for bit
/// [`QuantileCurve::value_at`] of the curve whose points these are.
#[inline(always)]
fn value_at(quantiles: &[f64], points: &[Point], u: f64) -> f64 {
    let Some(inner) = quantiles.get(1..quantiles.len().saturating_sub(1)) else {
        return if quantiles.is_empty() { 0.0 } else { points[0].value };
    };
    let segment = inner.partition_point(|&q| q <= u);
    let p = points[segment];
    p.value + p.slope * (u - quantiles[segment])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Drawn from the table, every function's duration and memory are bit
    /// for bit its own curves' values at the same draws: on the Azure
    /// files' quantiles and on others, several grids in one table, curves
    /// of every length from none to eleven points with ties, functions
    /// without one curve or both, and a table worth the hint.
    #[test]
    fn a_draw_is_its_own_curves_value() {
        let mut shapes = StreamRng::new(11, "curve shapes");
        let mut next = |n: u64| shapes.below(n);
        // None, the Azure files' duration or memory quantiles, or others.
        fn curve(kind: u64, next: &mut dyn FnMut(u64) -> u64) -> Option<QuantileCurve> {
            let quantiles: Vec<f64> = match kind {
                0 => return None,
                1 => vec![0.0, 0.01, 0.25, 0.5, 0.75, 0.99, 1.0],
                2 => vec![0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0],
                _ => {
                    let mut q: Vec<f64> = (0..next(12)).map(|_| next(9) as f64 / 8.0).collect();
                    q.sort_by(f64::total_cmp);
                    q
                }
            };
            let values: Vec<f64> = quantiles.iter().map(|_| next(10_000) as f64 / 7.0).collect();
            Some(QuantileCurve::new(&quantiles, &values, 1e-3))
        }
        let functions: Vec<FunctionInfo> = (0..20_000)
            .map(|f| {
                // Mostly the Azure files' grids, as a replay has them.
                let durations = [0, 1, 1, 1, 3][next(5) as usize];
                let memory = [0, 2, 2, 2, 3][next(5) as usize];
                FunctionInfo {
                    name: format!("f{f}"),
                    app: None,
                    durations: curve(durations, &mut next),
                    memory: curve(memory, &mut next),
                    row_memory: None,
                }
            })
            .collect();
        let draws = Draws::new(&functions);
        assert!(draws.read_ahead, "a table this large is worth the hint");
        assert!(draws.grids.len() > 2, "several grids of each kind");
        let (mut duration, mut memory) = (StreamRng::new(7, "duration"), StreamRng::new(7, "memory"));
        let (mut duration_again, mut memory_again) = (duration.clone(), memory.clone());
        for round in 0..3 {
            for (f, info) in functions.iter().enumerate() {
                draws.prefetch(f as u32);
                let drawn = draws.draw(f as u32, &mut duration, &mut memory);
                let expected = |curve: &Option<QuantileCurve>, rng: &mut StreamRng| {
                    curve.as_ref().map(|c| c.value_at(rng.uniform()))
                };
                let expected = (
                    expected(&info.durations, &mut duration_again),
                    expected(&info.memory, &mut memory_again),
                );
                let bits = |(d, m): (Option<f64>, Option<f64>)| (d.map(f64::to_bits), m.map(f64::to_bits));
                assert_eq!(bits(drawn), bits(expected), "function {f}, round {round}");
            }
        }
    }

    /// At each point's quantile, at the ends and in between, even where
    /// quantiles tie (a step) and on curves of one or two points.
    #[test]
    fn the_value_between_points_is_the_curves() {
        for (quantiles, values) in [
            (vec![0.0, 0.5, 1.0], vec![10.0, 20.0, 40.0]),
            (vec![0.0, 0.5, 0.5, 1.0], vec![1.0, 1.0, 2.0, 2.0]),
            (vec![0.01, 1.0], vec![64.0, 128.0]),
            (vec![0.5], vec![3.0]),
            (vec![], vec![]),
        ] {
            let curve = QuantileCurve::new(&quantiles, &values, 1.0);
            let grid: Vec<f64> = curve.points().iter().map(|p| p.quantile).collect();
            let row: Vec<Point> = curve
                .points()
                .iter()
                .map(|p| Point {
                    value: p.value,
                    slope: p.slope(),
                })
                .collect();
            for u in [0.0, 0.005, 0.01, 0.25, 0.5, 0.75, 0.99, 1.0] {
                assert_eq!(
                    value_at(&grid, &row, u).to_bits(),
                    curve.value_at(u).to_bits(),
                    "{quantiles:?} at {u}"
                );
            }
        }
    }
}

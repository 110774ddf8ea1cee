//! Every replayed function's duration and memory curves in one flat table,
//! a row per function at a fixed stride: drawing an arrival's duration and
//! memory reads one row, where the functions' own curves (each in its own
//! allocation behind its function's entry) cost several dependent cache
//! misses per arrival once thousands of functions are replayed.

use super::super::FunctionInfo;
use super::super::quantile::{CurvePoint, QuantileCurve, value_at};
use crate::workload::random::StreamRng;

#[derive(Debug, Default)]
pub(super) struct Draws {
    /// Points per row: room for the longest duration curve, then for the
    /// longest memory curve.
    durations: usize,
    stride: usize,
    points: Vec<CurvePoint>,
    /// Per function: the number of points of its duration and memory
    /// curves, plus one (0 when it has no such curve).
    lengths: Vec<[u16; 2]>,
    /// Whether rows are worth reading ahead (see [`Draws::touch`]): not
    /// when the table fits in a core's cache.
    pub read_ahead: bool,
}

/// Bytes of table that stay in a core's cache (half of a 512 KB level 2).
const CACHED: usize = 256 << 10;

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
        let stride = durations + longest(|f| &f.memory);
        let mut points = vec![CurvePoint::default(); functions.len() * stride];
        let mut lengths = Vec::with_capacity(functions.len());
        for (f, info) in functions.iter().enumerate() {
            let row = &mut points[f * stride..(f + 1) * stride];
            let (duration_room, memory_room) = row.split_at_mut(durations);
            let place = |curve: &Option<QuantileCurve>, room: &mut [CurvePoint]| {
                curve.as_ref().map_or(0, |c| {
                    room[..c.points().len()].copy_from_slice(c.points());
                    c.points().len() as u16 + 1
                })
            };
            lengths.push([place(&info.durations, duration_room), place(&info.memory, memory_room)]);
        }
        Draws {
            durations,
            stride,
            read_ahead: std::mem::size_of_val(points.as_slice()) > CACHED,
            points,
            lengths,
        }
    }

    /// Reads every cache line of functions `fs`' rows, to be drawn from
    /// soon: with thousands of functions each line of a row is a cache
    /// miss (a draw reads all of a curve's quantiles, six lines a row in
    /// the Azure files), and in a loop that does nothing else the
    /// processor waits for them at once, not one arrival after another.
    pub fn touch(&self, fs: impl Iterator<Item = u32>) -> f64 {
        fs.map(|f| {
            let row = f as usize * self.stride;
            let points = self.points.get(row..row + self.stride).unwrap_or_default();
            // Points two apart are closer than a cache line, and the last
            // point ends the row: no line is skipped.
            points
                .iter()
                .step_by(2)
                .chain(points.last())
                .map(|p| p.quantile)
                .sum::<f64>()
        })
        .sum()
    }

    /// Function `f`'s duration and memory for one arrival, each drawn from
    /// its stream if `f` has that curve.
    #[inline]
    pub fn draw(&self, f: u32, duration: &mut StreamRng, memory: &mut StreamRng) -> (Option<f64>, Option<f64>) {
        let f = f as usize;
        let row = &self.points[f * self.stride..(f + 1) * self.stride];
        let [duration_length, memory_length] = self.lengths[f];
        let curve = |room: &[CurvePoint], length: u16, rng: &mut StreamRng| {
            (length > 0).then(|| value_at(&room[..usize::from(length - 1)], rng.uniform()))
        };
        let (duration_room, memory_room) = row.split_at(self.durations);
        (
            curve(duration_room, duration_length, duration),
            curve(memory_room, memory_length, memory),
        )
    }
}

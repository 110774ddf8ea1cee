//! Rows of a day's counts held back to be rescaled a few at a time (see
//! [`Rescale::rows`]), laid out minute by minute with one cell per row.

use super::rescale::{LANES, Rescale};

/// Up to [`LANES`] rows of functions rescaled row by row.
#[derive(Debug, Default)]
pub(super) struct HeldRows {
    functions: Vec<u32>,
    /// `LANES` cells per minute: the scaled counts of `functions`, in order.
    scaled: Vec<f64>,
}

impl HeldRows {
    /// The cells of the next row held, `minutes` of them, to be filled
    /// (every one) before [`HeldRows::commit`] holds the row: a row is
    /// parsed straight into them, with no list of counts between.
    pub fn next_row(&mut self, minutes: usize) -> NextRow<'_> {
        let lane = self.functions.len();
        if lane == 0 {
            self.scaled.resize(minutes * LANES, 0.0);
        }
        NextRow {
            cells: &mut self.scaled[lane..],
        }
    }

    /// Holds function `f`'s row, whose cells [`HeldRows::next_row`] gave;
    /// true when [`HeldRows::release`] is due.
    pub fn commit(&mut self, f: u32) -> bool {
        self.functions.push(f);
        self.functions.len() == LANES
    }

    /// Rescales the rows held and gives `each(minute, function, arrivals)`
    /// their non-zero arrivals, by minute, then in the order held; holds
    /// none after.
    pub fn release(&mut self, rescale: &mut Rescale, each: impl FnMut(usize, u32, u64)) {
        let lanes = self.functions.len();
        if lanes == 0 {
            return;
        }
        // The lanes not held count zeros (they hold an earlier row's counts).
        for minute in self.scaled.chunks_exact_mut(LANES) {
            minute[lanes..].fill(0.0);
        }
        rescale.rows(&self.functions, &self.scaled, each);
        self.functions.clear();
    }
}

/// The cells of a row to hold, one per minute, `LANES` apart.
pub(super) struct NextRow<'a> {
    cells: &'a mut [f64],
}

impl NextRow<'_> {
    /// Sets minute `minute`'s cell to `scaled` (a [scaled](Rescale::scaled)
    /// count).
    #[inline]
    pub fn put(&mut self, minute: usize, scaled: f64) {
        if let Some(cell) = self.cells.get_mut(minute * LANES) {
            *cell = scaled;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{HeldRows, LANES};
    use crate::workload::trace::azure2019::rescale::Rescale;

    /// Rows held and released in batches give what rescaling each non-zero
    /// count in row order gives, minute by minute: full batches and a short
    /// one after them (whose unused lanes held counts before), counts from
    /// zero to `u32::MAX`, factors small and large, carries kept from
    /// one day to the next.
    #[test]
    fn held_rows_give_the_arrivals_of_each_count_in_row_order() {
        let (functions, minutes) = (2 * LANES as u32 + 3, 50);
        let mut next = crate::test_rng::xorshift(0x9e37_79b9_7f4a_7c15);
        for factor in [0.37, 3.3, 1e-9, 1e300] {
            let several = vec![false; functions as usize];
            let (mut batched, mut alone) = (Rescale::new(factor, several.clone()), Rescale::new(factor, several));
            for _day in 0..2 {
                let rows: Vec<Vec<u32>> = (0..functions)
                    .map(|_| {
                        (0..minutes)
                            .map(|_| match next() % 8 {
                                0..=3 => 0,
                                4 => u32::MAX - (next() % 3) as u32,
                                _ => (next() % 300) as u32,
                            })
                            .collect()
                    })
                    .collect();
                let mut want = vec![Vec::new(); minutes];
                for (f, row) in rows.iter().enumerate() {
                    for (minute, &count) in row.iter().enumerate().filter(|(_, c)| **c > 0) {
                        match alone.arrivals(f as u32, count) {
                            0 => {}
                            n => want[minute].push((f as u32, n)),
                        }
                    }
                }
                let mut got = vec![Vec::new(); minutes];
                let mut held = HeldRows::default();
                for (f, row) in rows.iter().enumerate() {
                    let mut cells = held.next_row(row.len());
                    for (minute, &count) in row.iter().enumerate() {
                        cells.put(minute, batched.scaled(count));
                    }
                    if held.commit(f as u32) {
                        held.release(&mut batched, |minute, f, n| got[minute].push((f, n)));
                    }
                }
                held.release(&mut batched, |minute, f, n| got[minute].push((f, n)));
                assert_eq!(got, want, "factor {factor}");
            }
        }
    }
}

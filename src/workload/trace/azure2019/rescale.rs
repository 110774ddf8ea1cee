//! Rescaling per-minute counts to a target rate: every count is multiplied
//! by one factor and each function carries its fractional remainder from
//! one minute to the next (starting at one half), so no randomness is
//! involved and each function's total is off by less than one.

/// The factor and every replayed function's remainder.
#[derive(Debug)]
pub(super) struct Rescale {
    factor: f64,
    carry: Vec<f64>,
    /// Functions with several rows in a day: their rows share the
    /// remainder minute by minute, so they are rescaled as the replay
    /// reaches each minute rather than when the day is loaded.
    several_rows: Vec<bool>,
}

impl Rescale {
    /// Rescaling by `factor`; `several_rows[f]` says whether function `f`
    /// has several rows in some day.
    pub fn new(factor: f64, several_rows: Vec<bool>) -> Self {
        Rescale {
            factor,
            carry: vec![0.5; several_rows.len()],
            several_rows,
        }
    }

    /// Whether function `f`'s rows can be rescaled when its day is loaded,
    /// each row on its own.
    pub fn row_by_row(&self, f: u32) -> bool {
        !self.several_rows[f as usize]
    }

    /// The arrivals of function `f` for a minute with `count` invocations
    /// (minutes must come in order; a zero count changes nothing).
    pub fn arrivals(&mut self, f: u32, count: u32) -> u64 {
        let carry = &mut self.carry[f as usize];
        *carry += f64::from(count) * self.factor;
        let whole = carry.floor();
        *carry -= whole;
        whole as u64
    }
}

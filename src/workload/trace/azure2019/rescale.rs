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
        let whole = floor(*carry);
        *carry -= whole;
        whole as u64
    }
}

/// `x.floor()` for a non-negative `x` (a carry is one), which is called
/// once per function and minute loaded: `floor` is a library call on the
/// baseline x86-64 target, the conversion to an integer one instruction,
/// exact below 2^63 (above, `x` is whole).
#[inline]
fn floor(x: f64) -> f64 {
    if x < 9_223_372_036_854_775_808.0 {
        (x as i64) as f64
    } else {
        x
    }
}

#[cfg(test)]
mod tests {
    use super::floor;

    #[test]
    fn floor_is_the_library_floor_for_non_negative_numbers() {
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let edges = [
            0.0,
            0.5,
            1.0,
            2.5,
            4_503_599_627_370_495.5,
            9.3e18,
            1e300,
            f64::INFINITY,
        ];
        for v in edges.into_iter().chain((0..100_000).map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // Non-negative bit patterns: every exponent, every mantissa.
            f64::from_bits(x >> 1)
        })) {
            if v.is_nan() {
                continue;
            }
            assert_eq!(floor(v).to_bits(), v.floor().to_bits(), "{v}");
        }
    }
}

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
    /// Rescaling by `factor`, finite; `several_rows[f]` says whether
    /// function `f` has several rows in some day.
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
        let scaled = self.scaled(count);
        let carry = &mut self.carry[f as usize];
        let arrivals;
        (arrivals, *carry) = step(*carry, scaled);
        arrivals
    }

    /// What a count adds to its function's carry: zero for zero (the
    /// factor is finite), which adds nothing to a carry below one, so
    /// [`Rescale::rows`] need not skip zeros.
    #[inline]
    pub fn scaled(&self, count: u32) -> f64 {
        f64::from(count) * self.factor
    }

    /// Rescales the rows of up to [`LANES`] functions with one row a day
    /// each (see [`Rescale::row_by_row`]), as [`Rescale::arrivals`] does
    /// each of their non-zero counts: `scaled` holds, minute after minute,
    /// `LANES` cells, the [scaled](Rescale::scaled) counts of `functions`
    /// in order, then zeros; `each(minute, function, arrivals)` is called
    /// for every minute and function with arrivals, by minute, then in the
    /// order of `functions`. A function's carry is a serial chain of some
    /// 20 cycles a minute, but the chains of different functions are
    /// independent: side by side, the processor runs several at once.
    pub fn rows(&mut self, functions: &[u32], scaled: &[f64], mut each: impl FnMut(usize, u32, u64)) {
        // Lanes past `functions` add zeros to a zero carry: no arrivals.
        let mut carries = [0.0; LANES];
        let mut lanes = [0; LANES];
        for (lane, &f) in functions.iter().enumerate() {
            (carries[lane], lanes[lane]) = (self.carry[f as usize], f);
        }
        for (minute, cells) in scaled.chunks_exact(LANES).enumerate() {
            for lane in 0..LANES {
                let arrivals;
                (arrivals, carries[lane]) = step(carries[lane], cells[lane]);
                if arrivals != 0 {
                    each(minute, lanes[lane], arrivals);
                }
            }
        }
        for (carry, &f) in carries.iter().zip(functions) {
            self.carry[f as usize] = *carry;
        }
    }
}

/// Functions rescaled side by side by [`Rescale::rows`].
pub(super) const LANES: usize = 8;

/// The whole arrivals and the remainder after adding `scaled` to `carry`
/// (both non-negative): `floor` is a library call on the baseline x86-64
/// target, the conversion to an integer one instruction, exact below 2^63
/// (above, the sum is whole).
#[inline]
fn step(carry: f64, scaled: f64) -> (u64, f64) {
    let carry = carry + scaled;
    if carry < 9_223_372_036_854_775_808.0 {
        let whole = carry as i64;
        (whole as u64, carry - whole as f64)
    } else {
        let whole = carry;
        (whole as u64, carry - whole)
    }
}

#[cfg(test)]
mod tests {
    use super::step;

    #[test]
    fn a_step_is_the_library_floor_and_remainder_for_non_negative_numbers() {
        let mut next = crate::test_rng::xorshift(0x2545_f491_4f6c_dd1d);
        let edges = [
            0.0,
            0.5,
            1.0,
            2.5,
            4_503_599_627_370_495.5,
            9.3e18,
            1e300,
            f64::INFINITY,
            f64::NAN,
        ];
        // Non-negative bit patterns: every exponent, every mantissa.
        for v in edges
            .into_iter()
            .chain((0..100_000).map(|_| f64::from_bits(next() >> 1)))
        {
            let (whole, rest) = step(v, 0.0);
            assert_eq!(whole, v.floor() as u64, "{v}");
            let library = v - v.floor();
            assert!(
                rest.to_bits() == library.to_bits() || rest.is_nan() && library.is_nan(),
                "{v}"
            );
        }
    }
}

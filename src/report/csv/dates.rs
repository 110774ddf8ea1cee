//! Dates as `invocations.csv` writes them: seconds rounded to the
//! nanosecond (finer is noise for any platform), without trailing zeros.
//! A run's dates come in near order: a row's dates span a few seconds
//! (submission to end), and the next row's fall in the same few. The
//! digits of recent whole seconds are kept, not formatted again.

use super::CELL;
use super::digits::{ASCII_ZEROS, E8, eight_digits, put_integer};
use crate::report::cost::nanoseconds;

const NANOS: u64 = 1_000_000_000;

/// Formats dates, keeping the digits of recent whole seconds.
pub(super) struct Dates {
    /// The digits of the last whole second formatted of each residue
    /// modulo [`KEPT`]: one table lookup finds a second met lately (boxed:
    /// a kilobyte, not carried inside the writer).
    seconds: Box<[Second; KEPT]>,
}

/// Whole seconds kept: more than a row's dates usually span (one cache
/// line per two).
const KEPT: usize = 32;

/// A whole second's digits.
#[derive(Clone, Copy)]
struct Second {
    /// `u64::MAX`: none yet (dates written this way are below 4e9 s).
    second: u64,
    /// How many digits (at most ten).
    len: usize,
    /// The digits, the first in the lowest byte.
    digits: u128,
}

/// A date's text held in two registers: its first 16 bytes, and the 16
/// from `split` on (`split` <= 16), so that it is written with two
/// stores. Formatted into memory and copied from there into the row, the
/// copy's wide loads met the narrow stores just made and waited for them
/// to reach the cache (a quarter of the writer's samples in the row).
#[derive(Clone, Copy, Default)]
pub(super) struct Date {
    head: u128,
    split: usize,
    tail: u128,
    len: usize,
}

impl Date {
    /// Writes the text at the start of `out` (a [`CELL`]); returns its
    /// length. The bytes after it are left as they fall.
    #[inline(always)]
    pub(super) fn write(&self, out: &mut [u8; CELL]) -> usize {
        out[..16].copy_from_slice(&self.head.to_le_bytes());
        out[self.split..self.split + 16].copy_from_slice(&self.tail.to_le_bytes());
        self.len
    }
}

impl Dates {
    pub(super) fn new() -> Self {
        Dates {
            seconds: Box::new(
                [Second {
                    second: u64::MAX,
                    len: 0,
                    digits: 0,
                }; KEPT],
            ),
        }
    }

    /// Date `t` (in seconds) as written: `12`, `7.412631347`. Dates beyond
    /// a century of simulated time keep their shortest form (written with
    /// `floats`). Inlined into the row's five dates: a call cost an eighth
    /// of its instructions.
    #[inline(always)]
    pub(super) fn put(&mut self, floats: &mut ryu::Buffer, t: f64) -> Date {
        if !(0.0..4e18).contains(&(t * 1e9)) {
            return put_far(floats, t);
        }
        let nanos = nanoseconds(t);
        let second = nanos / NANOS;
        // The fraction fits 32 bits, whose divisions are cheaper.
        let fraction = (nanos - second * NANOS) as u32;
        let kept = &mut self.seconds[second as usize % KEPT];
        if kept.second != second {
            let mut digits = [0; 28];
            kept.len = put_integer(&mut digits, second);
            kept.digits = u128::from_le_bytes(digits[..16].try_into().expect("16 bytes"));
            kept.second = second;
        }
        let mut date = Date {
            head: kept.digits,
            split: kept.len,
            tail: 0,
            len: kept.len,
        };
        if fraction != 0 {
            // The point, the first of nine digits, then the other eight at
            // once, less their trailing zeros (the digits' highest zero
            // bytes).
            let rest = eight_digits(fraction % E8);
            date.tail =
                u128::from(b'.') | u128::from(b'0' + (fraction / E8) as u8) << 8 | u128::from(rest + ASCII_ZEROS) << 16;
            date.len += 10 - (rest.leading_zeros() / 8) as usize;
        }
        date
    }
}

/// A date [`Dates::put`] does not round, in its shortest form: at most 24
/// bytes (`-1.2345678901234567e-308`), it fits a cell.
#[cold]
fn put_far(floats: &mut ryu::Buffer, t: f64) -> Date {
    let text = format_float(floats, t).as_bytes();
    let mut bytes = [0; CELL];
    bytes[..text.len()].copy_from_slice(text);
    let piece = |from: usize| u128::from_le_bytes(bytes[from..from + 16].try_into().expect("16 bytes"));
    Date {
        head: piece(0),
        split: 16,
        tail: piece(16),
        len: text.len(),
    }
}

/// A date as its shortest round-trip decimal; integers without `.0`.
pub fn format_float(buffer: &mut ryu::Buffer, value: f64) -> &str {
    let text = buffer.format(value);
    text.strip_suffix(".0").unwrap_or(text)
}

/// A date as `invocations.csv` writes it, as a string.
pub fn date_text(floats: &mut ryu::Buffer, t: f64) -> String {
    let mut out = [0; CELL];
    let len = Dates::new().put(floats, t).write(&mut out);
    String::from_utf8_lossy(&out[..len]).into_owned()
}

/// Date `t` as reading its `invocations.csv` cell gives it back: rounded
/// to the nanosecond as written. A reader of `invocations.parquet` (exact
/// dates) that rounds them so sees what a reader of the CSV sees.
pub fn as_read_back(t: f64) -> f64 {
    // Below 2^53 ns (104 days) the count is exact as a float, and one
    // correctly rounded division gives the float nearest `n / 1e9`: what
    // parsing the cell's decimal gives.
    if (0.0..9e15).contains(&(t * 1e9)) {
        nanoseconds(t) as f64 / 1e9
    } else {
        date_text(&mut ryu::Buffer::new(), t).parse().unwrap_or(t)
    }
}

#[cfg(test)]
mod tests {
    use super::{CELL, Dates, as_read_back, date_text, format_float};

    #[test]
    fn a_date_read_back_is_its_cell_parsed() {
        let mut next = crate::test_rng::xorshift(0x2545_f491_4f6c_dd1d);
        for _ in 0..100_000 {
            let x = next();
            // Seconds from nanoseconds to past the 104 days where a count
            // of nanoseconds stops being exact as a float, and beyond.
            let t = (x >> 11) as f64 / (1u64 << 53) as f64 * 10f64.powi((x % 20) as i32 - 6);
            let cell: f64 = date_text(&mut ryu::Buffer::new(), t).parse().expect("a number");
            assert_eq!(as_read_back(t).to_bits(), cell.to_bits(), "{t}");
        }
    }

    fn date(t: f64) -> String {
        date_text(&mut ryu::Buffer::new(), t)
    }

    #[test]
    fn dates_are_rounded_to_the_nanosecond_without_trailing_zeros() {
        assert_eq!(date(0.0), "0");
        assert_eq!(date(15.0), "15");
        assert_eq!(date(0.5), "0.5");
        assert_eq!(date(7.412631347030619), "7.412631347");
        assert_eq!(date(1.000000001), "1.000000001");
        assert_eq!(date(0.00002), "0.00002");
        assert_eq!(date(86400.25), "86400.25");
        assert_eq!(date(1e300), "1e300");
        assert_eq!(date(-1.5), "-1.5");
    }

    /// Through one formatter, as a run's dates go: in near order, most in
    /// the second of the one before, some far apart, some out of range.
    #[test]
    fn dates_match_seconds_and_zero_padded_nanoseconds() {
        let mut next = crate::test_rng::xorshift(0x9e37_79b9_7f4a_7c15);
        let mut dates = Dates::new();
        let mut t = 0.0;
        for _ in 0..40_000 {
            let x = next();
            t = match x % 8 {
                // Dates from nanoseconds to days, some on whole seconds.
                0 | 1 => {
                    let nanos = (x >> (x % 40 + 4)) / if x.is_multiple_of(5) { 1_000_000_000 } else { 1 };
                    nanos as f64 / 1e9
                }
                2 => -(x as f64) / 1e12,
                // A little later, mostly in the same second.
                _ => t + (x >> 40) as f64 / 1e9,
            };
            let mut out = [0; CELL];
            let len = dates.put(&mut ryu::Buffer::new(), t).write(&mut out);
            let expected = if t < 0.0 {
                format_float(&mut ryu::Buffer::new(), t).to_string()
            } else {
                let n = (t * 1e9).round() as u64;
                let text = format!("{}.{:09}", n / 1_000_000_000, n % 1_000_000_000);
                text.trim_end_matches('0').trim_end_matches('.').to_string()
            };
            assert_eq!(std::str::from_utf8(&out[..len]).unwrap(), expected, "{t}");
        }
    }
}

//! Decimal digits of whole numbers written eight at a time (SWAR: four
//! digits per 32-bit half, pairs per 16-bit quarter, one digit per byte),
//! for the cells of `invocations.csv`.

pub(super) const E8: u32 = 100_000_000;

/// `b'0'` in each byte of a `u64`: digits 0..=9 to their characters.
pub(super) const ASCII_ZEROS: u64 = 0x3030_3030_3030_3030;

/// Writes `n`'s decimal digits at the start of `out` (at least 20 + 8
/// bytes long); returns how many. Inlined for the common numbers, below
/// 10^8.
#[inline]
pub(super) fn put_integer(out: &mut [u8], n: u64) -> usize {
    if n < u64::from(E8) {
        put_short(out, n as u32)
    } else {
        put_long(out, n)
    }
}

/// [`put_integer`] from 10^8 on.
#[inline(never)]
fn put_long(out: &mut [u8], n: u64) -> usize {
    const E8_64: u64 = E8 as u64;
    let mut len = if n < E8_64 * E8_64 {
        put_short(out, (n / E8_64) as u32)
    } else {
        // Up to 20 digits: at most 4, then 8, then 8.
        let len = put_short(out, (n / (E8_64 * E8_64)) as u32);
        out[len..len + 8].copy_from_slice(&(eight_digits((n / E8_64 % E8_64) as u32) + ASCII_ZEROS).to_le_bytes());
        len + 8
    };
    out[len..len + 8].copy_from_slice(&(eight_digits((n % E8_64) as u32) + ASCII_ZEROS).to_le_bytes());
    len += 8;
    len
}

/// Writes the digits of `n` (below 10^8) at the start of `out` (eight
/// bytes are written); returns how many. The leading zeros of its eight
/// digits are their lowest zero bytes, shifted out.
#[inline]
fn put_short(out: &mut [u8], n: u32) -> usize {
    let digits = eight_digits(n);
    let zeros = (digits.trailing_zeros() / 8).min(7);
    out[..8].copy_from_slice(&((digits + ASCII_ZEROS) >> (8 * zeros)).to_le_bytes());
    8 - zeros as usize
}

/// The eight decimal digits of `n` (below 10^8, with leading zeros), one
/// per byte as values 0..=9, the first in the lowest byte: four digits per
/// 32-bit half, split into pairs per 16-bit quarter, then into digits per
/// byte, all halves at once (multiplications by reciprocals: x * 10486 >>
/// 20 is x / 100 below 10^4, x * 103 >> 10 is x / 10 below 100).
#[inline]
pub(super) fn eight_digits(n: u32) -> u64 {
    let halves = u64::from(n / 10_000) | (u64::from(n % 10_000) << 32);
    let hundreds = ((halves * 10_486) >> 20) & 0x0000_007f_0000_007f;
    let pairs = ((halves - 100 * hundreds) << 16) + hundreds;
    let tens = ((pairs * 103) >> 10) & 0x000f_000f_000f_000f;
    ((pairs - 10 * tens) << 8) + tens
}

#[cfg(test)]
mod tests {
    use super::put_integer;

    #[test]
    fn integers_are_their_decimal_digits() {
        let powers = (0..20).flat_map(|e| {
            let p = 10u64.pow(e);
            [p - 1, p, p + 1]
        });
        let mut next = crate::test_rng::xorshift(0x2545_f491_4f6c_dd1d);
        let random = std::iter::repeat_with(move || {
            let x = next();
            x >> (x % 64)
        });
        for n in [0, 7, 99, 8_640_001, u64::MAX]
            .into_iter()
            .chain(powers)
            .chain(random.take(20_000))
        {
            let mut out = [0; 28];
            let len = put_integer(&mut out, n);
            assert_eq!(std::str::from_utf8(&out[..len]).unwrap(), n.to_string());
        }
    }
}

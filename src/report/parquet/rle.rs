//! Parquet's RLE / bit-packing hybrid encoding, for the dictionary keys and
//! the definition levels of `invocations.parquet`'s name columns
//! ([`super::names`]), which bypass the `parquet` crate's encoder
//! (it hashes every value again to find its key, where the keys are known).
//! The crate's own `RleEncoder` is not public API: it is `doc(hidden)`
//! behind the `experimental` feature, which also pulls in the crate's
//! variant-type dependencies, so this short encoder of the published format
//! is ours, checked by the round trips through pyarrow and polars
//! (`python/tests/test_parquet.py`).
//!
//! A stretch of 8 or more equal values is one run (`count << 1` as a
//! varint, then the value in `ceil(width / 8)` little-endian bytes);
//! everything else is bit-packed in groups of 8 (`groups << 1 | 1`, then
//! the values, `width` bits each, least significant bit first). Only the
//! last group of a page may be short: it is padded with zeros, which
//! readers drop (they know the page's value count).

/// Bits needed for every value up to `largest`.
pub(crate) fn width(largest: u32) -> u8 {
    (u32::BITS - largest.leading_zeros()) as u8
}

/// Appends `values`, each below `1 << width`, to `out`.
pub(crate) fn encode(values: &[u32], width: u8, out: &mut Vec<u8>) {
    // `packed..group` waits to be bit-packed: whole groups of 8 values.
    let mut packed = 0;
    let mut group = 0;
    while group + 8 <= values.len() {
        let value = values[group];
        if values[group..group + 8].iter().all(|&v| v == value) {
            let end = group + 8 + values[group + 8..].iter().take_while(|&&v| v == value).count();
            pack(&values[packed..group], width, out);
            repeat(value, end - group, width, out);
            packed = end;
            group = end;
        } else {
            group += 8;
        }
    }
    pack(&values[packed..], width, out);
}

fn varint(mut n: usize, out: &mut Vec<u8>) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn repeat(value: u32, count: usize, width: u8, out: &mut Vec<u8>) {
    varint(count << 1, out);
    out.extend_from_slice(&value.to_le_bytes()[..usize::from(width).div_ceil(8)]);
}

/// Bit-packs `values` in groups of 8, the last one padded with zeros.
fn pack(values: &[u32], width: u8, out: &mut Vec<u8>) {
    if values.is_empty() {
        return;
    }
    let groups = values.len().div_ceil(8);
    varint(groups << 1 | 1, out);
    // At most 7 bits wait in `bits` before a value of up to 32 is added.
    let (mut bits, mut held) = (0u64, 0u8);
    let padding = groups * 8 - values.len();
    for &value in values.iter().chain(std::iter::repeat_n(&0, padding)) {
        bits |= u64::from(value) << held;
        held += width;
        while held >= 8 {
            out.push(bits as u8);
            bits >>= 8;
            held -= 8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(values: &[u32], width: u8) -> Vec<u8> {
        let mut out = Vec::new();
        encode(values, width, &mut out);
        out
    }

    #[test]
    fn widths() {
        assert_eq!(
            [width(0), width(1), width(2), width(3), width(64), width(u32::MAX)],
            [0, 1, 2, 2, 7, 32]
        );
    }

    #[test]
    fn a_long_stretch_is_one_run() {
        // 300 << 1 = 600 as a varint, then the value in one byte.
        assert_eq!(encoded(&[5; 300], 3), [0xd8, 0x04, 5]);
        assert_eq!(encoded(&[0x1234; 9], 13), [18, 0x34, 0x12]);
    }

    #[test]
    fn short_stretches_are_packed_and_the_last_group_padded() {
        // 1, 2, 3 in 2 bits each, least significant first, in one group.
        assert_eq!(encoded(&[1, 2, 3], 2), [0b11, 0b11_10_01, 0]);
        // A group that is not all equal, then a run of 8, then 2 packed.
        let values = [0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1];
        assert_eq!(encoded(&values, 1), [0b11, 0b1010_1010, 16, 1, 0b11, 0b10]);
    }

    #[test]
    // The digits are grouped by value (3 bits each), not by 4.
    #[allow(clippy::unusual_byte_groupings)]
    fn a_run_starts_anywhere_after_packed_groups() {
        // 7 distinct, then 9 equal: one packed group (the 7 and one 4),
        // then a run of the 8 other 4s.
        let values = [0, 1, 2, 3, 0, 1, 2, 4, 4, 4, 4, 4, 4, 4, 4, 4];
        assert_eq!(
            encoded(&values, 3),
            [0b11, 0b10_001_000, 0b1_000_011_0, 0b100_010_00, 16, 4]
        );
    }
}

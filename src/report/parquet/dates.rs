//! The date columns of `invocations.parquet` (submit, dispatch, start, end,
//! finish: `float64` seconds), a row group's worth at a time, as one data
//! page per column chunk: BYTE_STREAM_SPLIT (the first bytes of every date,
//! then the second bytes, ...: the sign, exponent and high mantissa bytes
//! of nearby dates repeat, the low ones are noise), then Snappy. Snappy
//! finds the repeats of the high streams at once and skips over the noise,
//! where on plain dates it searches every byte for little gain: about the
//! same file for a seventh of the compression's time.

use std::io::Write;

use bytes::Bytes;
use parquet::basic::{Compression, Encoding};
use parquet::column::page::{CompressedPage, Page};
use parquet::errors::{ParquetError, Result};
use parquet::file::statistics::Statistics;
use parquet::file::writer::SerializedRowGroupWriter;
use parquet::schema::types::ColumnDescPtr;

use super::cells::Cells;
use super::chunk::{self, Chunk};

/// One row group's worth of a date column.
pub(crate) struct DateColumn {
    /// The dates of the rows that have one, and the rows' levels.
    pub(crate) cells: Cells<f64>,
}

/// A page before and after compression, and the compressor: one for every
/// date column (a megabyte each), kept from one row group to the next.
pub(crate) struct PageBuffers {
    page: Vec<u8>,
    compressed: Vec<u8>,
    snappy: snap::raw::Encoder,
}

impl Default for PageBuffers {
    fn default() -> Self {
        PageBuffers {
            page: Vec::new(),
            compressed: Vec::new(),
            snappy: snap::raw::Encoder::new(),
        }
    }
}

impl DateColumn {
    /// A column whose cells may be empty when `nullable`.
    pub(crate) fn new(nullable: bool) -> Self {
        DateColumn {
            cells: Cells::new(nullable),
        }
    }

    /// Writes the rows appended since the last call as `row_group`'s next
    /// column chunk (described by `column`), and empties the column.
    pub(crate) fn write_chunk<W: Write + Send>(
        &mut self,
        buffers: &mut PageBuffers,
        column: ColumnDescPtr,
        row_group: &mut SerializedRowGroupWriter<'_, W>,
    ) -> Result<()> {
        let rows = self.cells.rows();
        let PageBuffers {
            page,
            compressed,
            snappy,
        } = buffers;
        page.clear();
        self.cells.write_levels(page);
        split_streams(&self.cells.values, page);
        compressed.resize(snap::raw::max_compress_len(page.len()), 0);
        let length = snappy
            .compress(page, compressed)
            .map_err(|e| ParquetError::External(Box::new(e)))?;
        let data = Page::DataPage {
            buf: Bytes::copy_from_slice(&compressed[..length]),
            num_values: rows as u32,
            encoding: Encoding::BYTE_STREAM_SPLIT,
            def_level_encoding: Encoding::RLE,
            rep_level_encoding: Encoding::RLE,
            statistics: None,
        };
        let (smallest, largest) = range(&self.cells.values).unzip();
        let nulls = self.cells.nulls();
        let chunk = Chunk {
            column,
            compression: Compression::SNAPPY,
            encodings: vec![Encoding::RLE, Encoding::BYTE_STREAM_SPLIT],
            rows,
            statistics: Statistics::double(smallest, largest, None, Some(nulls as u64), false),
        };
        chunk::append(row_group, chunk, [CompressedPage::new(data, page.len())])?;
        self.cells.clear();
        Ok(())
    }
}

/// The smallest and the largest of `dates`, in one pass. Dates are never
/// NaN nor -0: the plain order is IEEE 754's.
fn range(dates: &[f64]) -> Option<(f64, f64)> {
    let &first = dates.first()?;
    let (mut smallest, mut largest) = (first, first);
    for &date in dates {
        smallest = if date < smallest { date } else { smallest };
        largest = if date > largest { date } else { largest };
    }
    Some((smallest, largest))
}

/// Appends `values` to `page` as BYTE_STREAM_SPLIT lays them out: byte `b`
/// of value `i` at `b * values.len() + i`.
fn split_streams(values: &[f64], page: &mut Vec<u8>) {
    let at = page.len();
    let count = values.len();
    page.resize(at + count * 8, 0);
    if count == 0 {
        return;
    }
    let mut streams: Vec<&mut [u8]> = page[at..].chunks_exact_mut(count).collect();
    // Eight values at a time, as a matrix of 8 x 8 bytes transposed in
    // place: 8 loads and 8 stores of 8 bytes, not 64 of one.
    let groups = values.chunks_exact(8);
    let rest = groups.remainder();
    for (group, eight) in groups.enumerate() {
        let mut rows: [u64; 8] = std::array::from_fn(|i| eight[i].to_bits());
        transpose(&mut rows);
        for (stream, row) in streams.iter_mut().zip(rows) {
            stream[group * 8..group * 8 + 8].copy_from_slice(&row.to_le_bytes());
        }
    }
    let done = count - rest.len();
    for (i, value) in rest.iter().enumerate() {
        for (stream, byte) in streams.iter_mut().zip(value.to_bits().to_le_bytes()) {
            stream[done + i] = byte;
        }
    }
}

/// Transposes 8 x 8 bytes, a row per `u64` (byte `b` of a row is its `b`th
/// least significant): byte `b` of row `k` becomes byte `k` of row `b`.
/// Blocks of 4, then 2, then 1 bytes swap across the diagonal.
fn transpose(rows: &mut [u64; 8]) {
    for (size, mask) in [
        (4, 0x0000_0000_ffff_ffff_u64),
        (2, 0x0000_ffff_0000_ffff),
        (1, 0x00ff_00ff_00ff_00ff),
    ] {
        for k in (0..8).filter(|k| k & size == 0) {
            let t = ((rows[k] >> (8 * size)) ^ rows[k + size]) & mask;
            rows[k + size] ^= t;
            rows[k] ^= t << (8 * size);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_range_is_the_smallest_and_the_largest() {
        assert_eq!(range(&[]), None);
        assert_eq!(range(&[2.5]), Some((2.5, 2.5)));
        assert_eq!(range(&[3.0, 0.0, 7.5, 1.0]), Some((0.0, 7.5)));
    }

    #[test]
    fn eight_values_at_a_time_split_as_one_at_a_time() {
        // 8 + 8 + 3 values whose bytes all differ.
        let values: Vec<f64> = (0..19u64)
            .map(|i| f64::from_bits(0x0101_0101_0101_0101 * (i + 1) + 0x0001_0203_0405_0607 * 17))
            .collect();
        let mut page = Vec::new();
        split_streams(&values, &mut page);
        let mut expected = vec![0; values.len() * 8];
        for (i, value) in values.iter().enumerate() {
            for (b, byte) in value.to_bits().to_le_bytes().into_iter().enumerate() {
                expected[b * values.len() + i] = byte;
            }
        }
        assert_eq!(page, expected);
    }

    #[test]
    fn streams_hold_each_byte_of_every_value_in_turn() {
        let values = [
            f64::from_bits(0x0102_0304_0506_0708),
            f64::from_bits(0x1112_1314_1516_1718),
        ];
        let mut page = vec![0xff];
        split_streams(&values, &mut page);
        assert_eq!(
            page,
            [
                0xff, 0x08, 0x18, 0x07, 0x17, 0x06, 0x16, 0x05, 0x15, 0x04, 0x14, 0x03, 0x13, 0x02, 0x12, 0x01, 0x11
            ]
        );
    }
}

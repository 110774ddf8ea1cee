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

use super::chunk::{self, Chunk};

/// One row group's worth of a date column.
pub(crate) struct DateColumn {
    /// The dates of the rows that have one.
    values: Vec<f64>,
    /// Definition levels, a row at a time: 1 for a date, 0 for an empty
    /// cell; `None` for a column that is never empty.
    levels: Option<Vec<u32>>,
    /// The page before and after compression, kept for the next row group.
    page: Vec<u8>,
    compressed: Vec<u8>,
    snappy: snap::raw::Encoder,
}

impl DateColumn {
    /// A column whose cells may be empty when `nullable`.
    pub(crate) fn new(nullable: bool) -> Self {
        DateColumn {
            values: Vec::new(),
            levels: nullable.then(Vec::new),
            page: Vec::new(),
            compressed: Vec::new(),
            snappy: snap::raw::Encoder::new(),
        }
    }

    /// Appends a row of a column that is never empty.
    pub(crate) fn push(&mut self, date: f64) {
        self.values.push(date);
    }

    /// Appends a row of a column whose cells may be empty.
    pub(crate) fn push_option(&mut self, date: Option<f64>) {
        let levels = self.levels.as_mut().expect("a column whose cells may be empty");
        levels.push(u32::from(date.is_some()));
        if let Some(date) = date {
            self.values.push(date);
        }
    }

    /// Rows appended since the last chunk.
    pub(crate) fn rows(&self) -> usize {
        self.levels.as_ref().map_or(self.values.len(), Vec::len)
    }

    /// Writes the rows appended since the last call as `row_group`'s next
    /// column chunk (described by `column`), and empties the column.
    pub(crate) fn write_chunk<W: Write + Send>(
        &mut self,
        column: ColumnDescPtr,
        row_group: &mut SerializedRowGroupWriter<'_, W>,
    ) -> Result<()> {
        let rows = self.rows();
        self.page.clear();
        if let Some(levels) = &self.levels {
            chunk::levels(levels, &mut self.page);
        }
        split_streams(&self.values, &mut self.page);
        self.compressed.resize(snap::raw::max_compress_len(self.page.len()), 0);
        let length = self
            .snappy
            .compress(&self.page, &mut self.compressed)
            .map_err(|e| ParquetError::External(Box::new(e)))?;
        let page = Page::DataPage {
            buf: Bytes::copy_from_slice(&self.compressed[..length]),
            num_values: rows as u32,
            encoding: Encoding::BYTE_STREAM_SPLIT,
            def_level_encoding: Encoding::RLE,
            rep_level_encoding: Encoding::RLE,
            statistics: None,
        };
        // Dates are never NaN nor -0: the plain order is IEEE 754's.
        let smallest = self.values.iter().copied().reduce(f64::min);
        let largest = self.values.iter().copied().reduce(f64::max);
        let nulls = rows - self.values.len();
        let chunk = Chunk {
            column,
            compression: Compression::SNAPPY,
            encodings: vec![Encoding::RLE, Encoding::BYTE_STREAM_SPLIT],
            rows,
            statistics: Statistics::double(smallest, largest, None, Some(nulls as u64), false),
        };
        chunk::append(row_group, chunk, [CompressedPage::new(page, self.page.len())])?;
        self.values.clear();
        if let Some(levels) = &mut self.levels {
            levels.clear();
        }
        Ok(())
    }
}

/// Appends `values` to `page` as BYTE_STREAM_SPLIT lays them out: byte `b`
/// of value `i` at `b * values.len() + i`.
fn split_streams(values: &[f64], page: &mut Vec<u8>) {
    let at = page.len();
    page.resize(at + values.len() * 8, 0);
    if values.is_empty() {
        return;
    }
    // A stream at a time: a loop the compiler vectorises.
    for (byte, stream) in page[at..].chunks_exact_mut(values.len()).enumerate() {
        for (out, value) in stream.iter_mut().zip(values) {
            *out = (value.to_bits() >> (8 * byte)) as u8;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_hold_each_byte_of_every_value_in_turn() {
        let values = [f64::from_bits(0x0102_0304_0506_0708), f64::from_bits(0x1112_1314_1516_1718)];
        let mut page = vec![0xff];
        split_streams(&values, &mut page);
        assert_eq!(
            page,
            [0xff, 0x08, 0x18, 0x07, 0x17, 0x06, 0x16, 0x05, 0x15, 0x04, 0x14, 0x03, 0x13, 0x02, 0x12, 0x01, 0x11]
        );
    }
}

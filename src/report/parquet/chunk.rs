//! A column chunk from pages encoded here ([`super::names`],
//! [`super::dates`]): the pages go through the `parquet` crate's page
//! writer (their headers) into a buffer, which is then appended to the row
//! group with the chunk's metadata, as the crate's own column writers do.

use std::io::Write;

use bytes::Bytes;
use parquet::basic::{Compression, Encoding};
use parquet::column::page::{CompressedPage, PageWriter};
use parquet::column::writer::ColumnCloseResult;
use parquet::errors::Result;
use parquet::file::metadata::ColumnChunkMetaData;
use parquet::file::statistics::Statistics;
use parquet::file::writer::{SerializedPageWriter, SerializedRowGroupWriter, TrackedWrite};
use parquet::schema::types::ColumnDescPtr;

/// What a chunk's metadata says besides its pages.
pub(super) struct Chunk {
    pub column: ColumnDescPtr,
    pub compression: Compression,
    pub encodings: Vec<Encoding>,
    /// Rows, empty cells included.
    pub rows: usize,
    pub statistics: Statistics,
}

/// Writes `pages` (a dictionary page first, if any, then data pages) as
/// `row_group`'s next column chunk.
pub(super) fn append<W: Write + Send>(
    row_group: &mut SerializedRowGroupWriter<'_, W>,
    chunk: Chunk,
    pages: impl IntoIterator<Item = CompressedPage>,
) -> Result<()> {
    let pages: Vec<CompressedPage> = pages.into_iter().collect();
    // The pages, and room for their headers: the buffer grows no more.
    let size = pages.iter().map(|p| p.data().len() + 64).sum();
    let mut buffer = TrackedWrite::new(Vec::with_capacity(size));
    let mut writer = SerializedPageWriter::new(&mut buffer);
    let (mut compressed, mut uncompressed) = (0, 0);
    let (mut dictionary_offset, mut data_offset) = (None, None);
    for page in pages {
        let is_dictionary = !page.compressed_page().is_data_page();
        let written = writer.write_page(page)?;
        compressed += written.compressed_size;
        uncompressed += written.uncompressed_size;
        if is_dictionary {
            dictionary_offset = Some(written.offset as i64);
        } else {
            data_offset.get_or_insert(written.offset as i64);
        }
    }
    writer.close()?;
    let metadata = ColumnChunkMetaData::builder(chunk.column)
        .set_compression(chunk.compression)
        .set_encodings(chunk.encodings)
        .set_num_values(chunk.rows as i64)
        .set_total_compressed_size(compressed as i64)
        .set_total_uncompressed_size(uncompressed as i64)
        .set_dictionary_page_offset(dictionary_offset)
        .set_data_page_offset(data_offset.unwrap_or_default())
        .set_statistics(chunk.statistics)
        .build()?;
    let close = ColumnCloseResult {
        bytes_written: buffer.bytes_written() as u64,
        rows_written: chunk.rows as u64,
        metadata,
        bloom_filter: None,
        column_index: None,
        offset_index: None,
    };
    row_group.append_column(&Bytes::from(buffer.into_inner()?), close)
}

/// Definition levels as a version 1 data page starts with them: their
/// length in 4 bytes, then RLE / bit-packed in 1 bit each.
pub(super) fn levels(levels: &[u32], page: &mut Vec<u8>) {
    let at = page.len();
    page.extend_from_slice(&[0; 4]);
    super::rle::encode(levels, 1, page);
    let length = (page.len() - at - 4) as u32;
    page[at..at + 4].copy_from_slice(&length.to_le_bytes());
}

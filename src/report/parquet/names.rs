//! The text columns of `invocations.parquet` (function, service, node,
//! status, cause, ...), encoded from their keys: a record carries each
//! name as an index into a list known before the run, so a row group's
//! column chunk is a dictionary page of the names its rows use (in order of
//! first use) and one data page of their positions in it, RLE / bit-packed
//! ([`super::rle`]). The `parquet` crate's writer would instead
//! read back each row's string and hash it to find the key again (a third
//! of the writer's time). The pages are left uncompressed: keys of a few
//! bits, in runs where names repeat, gain nothing from Snappy.

use std::io::Write;

use bytes::Bytes;
use parquet::basic::{Compression, Encoding};
use parquet::column::page::{CompressedPage, Page};
use parquet::data_type::ByteArray;
use parquet::errors::Result;
use parquet::file::statistics::Statistics;
use parquet::file::writer::SerializedRowGroupWriter;
use parquet::schema::types::ColumnDescPtr;

use super::cells::Cells;
use super::chunk::{self, Chunk};
use super::rle::{encode, width};

/// Marks a name no row of the row group has used yet.
const UNUSED: u32 = u32::MAX;

/// One row group's worth of a text column, as keys into a list of names.
pub(crate) struct NameColumn {
    /// The key of each row that has a name, and the rows' levels.
    pub(crate) cells: Cells<u32>,
    /// For each name of the list, its position in this row group's
    /// dictionary, [`UNUSED`] if not in it (all of them between row groups).
    position: Vec<u32>,
}

impl NameColumn {
    /// A column whose cells may be empty when `nullable`.
    pub(crate) fn new(nullable: bool) -> Self {
        NameColumn {
            cells: Cells::new(nullable),
            position: Vec::new(),
        }
    }

    /// Writes the rows appended since the last call as `row_group`'s next
    /// column chunk (described by `column`), `names` giving each key's name,
    /// and empties the column.
    pub(crate) fn write_chunk<W: Write + Send, S: AsRef<str>>(
        &mut self,
        names: &[S],
        column: ColumnDescPtr,
        row_group: &mut SerializedRowGroupWriter<'_, W>,
    ) -> Result<()> {
        if self.position.len() < names.len() {
            self.position.resize(names.len(), UNUSED);
        }
        // The dictionary (PLAIN: each name's length, then its bytes) and the
        // keys turned into positions in it, in place.
        let mut dictionary = Vec::new();
        // The keys of the names in the dictionary, in its order.
        let mut used: Vec<u32> = Vec::new();
        for key in &mut self.cells.values {
            let position = &mut self.position[*key as usize];
            if *position == UNUSED {
                let name = names[*key as usize].as_ref();
                *position = used.len() as u32;
                dictionary.extend_from_slice(&(name.len() as u32).to_le_bytes());
                dictionary.extend_from_slice(name.as_bytes());
                used.push(*key);
            }
            *key = *position;
        }
        for &key in &used {
            self.position[key as usize] = UNUSED;
        }
        let rows = self.cells.rows();
        let nulls = self.cells.nulls();

        // A data page of version 1: the definition levels, the width of the
        // keys in a byte, then the keys.
        let mut data = Vec::new();
        self.cells.write_levels(&mut data);
        let key_width = width(used.len().saturating_sub(1) as u32);
        data.push(key_width);
        encode(&self.cells.values, key_width, &mut data);

        let used_names = used.iter().map(|&key| names[key as usize].as_ref());
        let bytes = |name: &str| ByteArray::from(name.as_bytes().to_vec());
        let (smallest, largest) = (used_names.clone().min().map(bytes), used_names.max().map(bytes));
        let dictionary = Page::DictionaryPage {
            buf: Bytes::from(dictionary),
            num_values: used.len() as u32,
            encoding: Encoding::PLAIN,
            is_sorted: false,
        };
        let data = Page::DataPage {
            buf: Bytes::from(data),
            num_values: rows as u32,
            encoding: Encoding::RLE_DICTIONARY,
            def_level_encoding: Encoding::RLE,
            rep_level_encoding: Encoding::RLE,
            statistics: None,
        };
        let chunk = Chunk {
            column,
            compression: Compression::UNCOMPRESSED,
            encodings: vec![Encoding::PLAIN, Encoding::RLE, Encoding::RLE_DICTIONARY],
            rows,
            statistics: Statistics::byte_array(smallest, largest, None, Some(nulls as u64), false),
        };
        chunk::append(row_group, chunk, [uncompressed(dictionary), uncompressed(data)])?;
        self.cells.clear();
        Ok(())
    }
}

/// A page written as is (its size is the same both ways).
fn uncompressed(page: Page) -> CompressedPage {
    let size = page.buffer().len();
    CompressedPage::new(page, size)
}

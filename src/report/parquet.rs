//! `invocations.parquet`: the rows of `invocations.csv` as Apache Parquet
//! (`sls run --invocations parquet`), streamed: rows gather in Arrow
//! columns ([`super::arrow`]) and are written out, Snappy-compressed, one
//! row group of [`ROW_GROUP`] rows at a time, so memory stays flat however
//! long the run. Same columns, in the same order, as the CSV, typed as the
//! Arrow tables are: dates are `float64` seconds (exact, where the CSV
//! rounds to the nanosecond), empty cells are nulls, names are
//! dictionary-encoded strings.

use std::io::{self, Write};

use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::schema::types::ColumnPath;

use super::arrow::InvocationColumns;
use super::record::{InvocationRecord, Names};

/// Rows per row group: a few MB of columns in memory at once.
const ROW_GROUP: usize = 1 << 16;

/// Writes records as Parquet row groups to `W`.
pub struct ParquetWriter<W: Write + Send> {
    writer: ArrowWriter<W>,
    columns: InvocationColumns,
    rows: usize,
    names: Names,
}

fn other(error: impl std::error::Error + Send + Sync + 'static) -> io::Error {
    io::Error::other(error)
}

impl<W: Write + Send> ParquetWriter<W> {
    pub fn new(out: W) -> io::Result<Self> {
        let mut properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP))
            // Minimum and maximum per column chunk, not per page: readers
            // skip row groups by date all the same, for less work per row.
            .set_statistics_enabled(EnabledStatistics::Chunk)
            .set_created_by(format!("sls {}", env!("CARGO_PKG_VERSION")));
        // Ids and dates are nearly all distinct: a dictionary of them would
        // cost a hash per value and then be given up. Names keep theirs.
        for column in ["id", "submit", "dispatch", "start", "end", "finish", "instance"] {
            properties = properties.set_column_dictionary_enabled(ColumnPath::from(column), false);
        }
        let properties = properties.build();
        let writer = ArrowWriter::try_new(out, InvocationColumns::schema(), Some(properties)).map_err(other)?;
        Ok(ParquetWriter {
            writer,
            columns: InvocationColumns::default(),
            rows: 0,
            names: Names::default(),
        })
    }

    /// The names rows refer to by index.
    pub fn set_names(&mut self, names: &Names) {
        self.names = names.clone();
    }

    /// Appends one row; a full row group is written out.
    pub fn write(&mut self, r: &InvocationRecord) -> io::Result<()> {
        self.columns.push(r);
        self.rows += 1;
        if self.rows == ROW_GROUP {
            self.flush_rows()?;
        }
        Ok(())
    }

    fn flush_rows(&mut self) -> io::Result<()> {
        let batch = self.columns.take(&self.names).map_err(other)?;
        self.rows = 0;
        self.writer.write(&batch).map_err(other)
    }

    /// Writes the last rows and the file's footer.
    pub fn finish(mut self) -> io::Result<()> {
        if self.rows > 0 {
            self.flush_rows()?;
        }
        let mut out = self.writer.into_inner().map_err(other)?;
        out.flush()
    }
}

/// Writes a time series table ([`super::series::Table`]) as one Parquet
/// file: text columns as dictionary-encoded strings, numbers as `float64`.
pub fn write_table(out: impl Write + Send, table: &super::series::Table) -> io::Result<()> {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
    use arrow_schema::{DataType, Field, Schema};

    use super::series::Column;

    let fields: Vec<Field> = table
        .columns
        .iter()
        .map(|(name, column)| {
            let kind = match column {
                Column::Text(_) => DataType::Utf8,
                Column::Number(_) => DataType::Float64,
            };
            Field::new(*name, kind, false)
        })
        .collect();
    let arrays: Vec<ArrayRef> = table
        .columns
        .iter()
        .map(|(_, column)| -> ArrayRef {
            match column {
                Column::Text(v) => Arc::new(StringArray::from_iter_values(v)),
                Column::Number(v) => Arc::new(Float64Array::from(v.clone())),
            }
        })
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(other)?;
    let properties = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_created_by(format!("sls {}", env!("CARGO_PKG_VERSION")))
        .build();
    let mut writer = ArrowWriter::try_new(out, schema, Some(properties)).map_err(other)?;
    writer.write(&batch).map_err(other)?;
    let mut out = writer.into_inner().map_err(other)?;
    out.flush()
}

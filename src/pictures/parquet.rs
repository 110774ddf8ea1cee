//! Results written as Parquet (`sls run --invocations parquet`) read back
//! for the charts through the parquet crate's Arrow reader: a batch of
//! rows at a time, only the columns a chart reads. A cell that is no
//! finite number, a column missing or of another type, is a file sls did
//! not write: an error naming it, never a point skipped.

use std::fs::File;
use std::path::Path;

use arrow_array::types::UInt32Type;
use arrow_array::{Array, DictionaryArray, Float64Array, RecordBatch, StringArray};
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::{ParquetRecordBatchReader, ParquetRecordBatchReaderBuilder};

use super::invocations::Invocation;
use super::read::damaged;
use crate::report::as_read_back;

/// Rows read at once.
const BATCH: usize = 8192;

/// `columns` of the Parquet file at `path`, a batch at a time.
fn batches(path: &Path, columns: &[&str]) -> Result<ParquetRecordBatchReader, String> {
    let file = File::open(path).map_err(|e| unreadable(path, &e))?;
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| unreadable(path, &e))?;
    let mask = ProjectionMask::columns(builder.parquet_schema(), columns.iter().copied());
    builder
        .with_projection(mask)
        .with_batch_size(BATCH)
        .build()
        .map_err(|e| unreadable(path, &e))
}

fn unreadable(path: &Path, error: &dyn std::fmt::Display) -> String {
    format!("cannot read `{}`: {error}", path.display())
}

const NAMES: [&str; 4] = ["function", "service", "container", "status"];
const DATES: [&str; 4] = ["submit", "start", "end", "finish"];

/// Calls `each` with every row of `invocations.parquet` in order, its
/// dates rounded as `invocations.csv` writes them; returns how many.
pub fn each_invocation(path: &Path, mut each: impl FnMut(&Invocation)) -> Result<u64, String> {
    let mut count = 0;
    for batch in batches(path, &[NAMES, DATES].concat())? {
        let batch = batch.map_err(|e| unreadable(path, &e))?;
        let [function, service, container, status] = NAMES.map(|name| names(path, &batch, name));
        let (function, service, container, status) = (function?, service?, container?, status?);
        let [submit, start, end, finish] = DATES.map(|name| numbers(path, &batch, name));
        let (submit, start, end, finish) = (submit?, start?, end?, finish?);
        for row in 0..batch.num_rows() {
            let place = || format!("row {}", count + row as u64 + 1);
            let date = |column: &Float64Array, name: &str| -> Result<Option<f64>, String> {
                if column.is_null(row) {
                    return Ok(None);
                }
                let t = column.value(row);
                if !t.is_finite() {
                    return Err(damaged(path, place(), name, &t.to_string(), "a date in seconds"));
                }
                Ok(Some(as_read_back(t)))
            };
            each(&Invocation {
                function: name(&function, row),
                service: name(&service, row),
                submit: date(submit, "submit")?,
                start: date(start, "start")?,
                end: date(end, "end")?,
                finish: date(finish, "finish")?,
                container: name(&container, row),
                status: name(&status, row),
            });
        }
        count += batch.num_rows() as u64;
    }
    Ok(count)
}

/// Calls `each` with every row of a time series table in order: its `keys`
/// cells joined by spaces, its `time`, and its `values` (numbers written
/// as such, so they are the CSV's to the bit).
pub fn each_series_row(
    path: &Path,
    keys: &[&str],
    values: &[&str],
    mut each: impl FnMut(&str, f64, &[f64]),
) -> Result<(), String> {
    let mut count = 0;
    let mut key = String::new();
    let mut row_values = vec![0.0; values.len()];
    let columns: Vec<&str> = keys.iter().chain(&["time"]).chain(values).copied().collect();
    for batch in batches(path, &columns)? {
        let batch = batch.map_err(|e| unreadable(path, &e))?;
        let texts: Vec<&StringArray> = keys.iter().map(|k| texts(path, &batch, k)).collect::<Result<_, _>>()?;
        let time = numbers(path, &batch, "time")?;
        let numbers: Vec<&Float64Array> = values
            .iter()
            .map(|v| numbers(path, &batch, v))
            .collect::<Result<_, _>>()?;
        for row in 0..batch.num_rows() {
            let number = |column: &Float64Array, name: &str| -> Result<f64, String> {
                let v = column.value(row);
                if column.is_null(row) || !v.is_finite() {
                    let place = format!("row {}", count + row as u64 + 1);
                    return Err(damaged(path, place, name, &v.to_string(), "a number"));
                }
                Ok(v)
            };
            key.clear();
            for (i, text) in texts.iter().enumerate() {
                if i > 0 {
                    key.push(' ');
                }
                key.push_str(text.value(row));
            }
            for ((value, column), name) in row_values.iter_mut().zip(&numbers).zip(values) {
                *value = number(column, name)?;
            }
            each(&key, number(time, "time")?, &row_values);
        }
        count += batch.num_rows() as u64;
    }
    Ok(())
}

/// A column of names: its keys and their texts.
struct Names<'a> {
    keys: &'a DictionaryArray<UInt32Type>,
    values: &'a StringArray,
}

fn name<'a>(names: &Names<'a>, row: usize) -> &'a str {
    if names.keys.is_null(row) {
        return "";
    }
    names.values.value(names.keys.keys().value(row) as usize)
}

fn column<'a>(path: &Path, batch: &'a RecordBatch, name: &str) -> Result<&'a dyn Array, String> {
    batch
        .column_by_name(name)
        .map(|c| c.as_ref())
        .ok_or(format!("`{}` has no `{name}` column", path.display()))
}

fn not_written(path: &Path, name: &str, what: &str) -> String {
    format!(
        "`{}`: its `{name}` column holds no {what}: the file is not what sls writes; run the experiment again",
        path.display()
    )
}

fn names<'a>(path: &Path, batch: &'a RecordBatch, name: &str) -> Result<Names<'a>, String> {
    let keys = column(path, batch, name)?
        .as_any()
        .downcast_ref::<DictionaryArray<UInt32Type>>();
    match keys.and_then(|k| Some((k, k.values().as_any().downcast_ref::<StringArray>()?))) {
        Some((keys, values)) => Ok(Names { keys, values }),
        None => Err(not_written(path, name, "names")),
    }
}

fn texts<'a>(path: &Path, batch: &'a RecordBatch, name: &str) -> Result<&'a StringArray, String> {
    column(path, batch, name)?
        .as_any()
        .downcast_ref::<StringArray>()
        .ok_or_else(|| not_written(path, name, "names"))
}

fn numbers<'a>(path: &Path, batch: &'a RecordBatch, name: &str) -> Result<&'a Float64Array, String> {
    column(path, batch, name)?
        .as_any()
        .downcast_ref::<Float64Array>()
        .ok_or_else(|| not_written(path, name, "numbers"))
}

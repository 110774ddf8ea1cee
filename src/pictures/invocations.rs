//! A run's invocations read back for its charts, one at a time, from
//! `invocations.csv` or `invocations.parquet` (`sls run --invocations`),
//! whichever it wrote. Parquet's exact dates are rounded to the nanosecond
//! as the CSV writes them, so either file draws the same page.

use std::path::{Path, PathBuf};

use super::read::Rows;
use crate::report::INVOCATIONS;

/// One invocation's row: what the charts read of it. A date is `None`
/// where the invocation never reached that step (an empty cell, a null).
pub struct Invocation<'a> {
    pub function: &'a str,
    pub service: &'a str,
    pub submit: Option<f64>,
    pub start: Option<f64>,
    pub end: Option<f64>,
    pub finish: Option<f64>,
    /// `cold`, `warm`, `prewarmed`, or empty when it never started.
    pub container: &'a str,
    pub status: &'a str,
}

/// The file of a run's rows.
pub struct Invocations {
    pub path: PathBuf,
}

impl Invocations {
    /// The rows `dir` holds, as CSV or as Parquet.
    pub fn find(dir: &Path) -> Result<Invocations, String> {
        let csv = dir.join(INVOCATIONS);
        if csv.exists() {
            return Ok(Invocations { path: csv });
        }
        #[cfg(feature = "parquet")]
        {
            let parquet = dir.join(crate::report::INVOCATIONS_PARQUET);
            if parquet.exists() {
                return Ok(Invocations { path: parquet });
            }
        }
        Err(format!(
            "`{}` has no rows: a run's charts are drawn from them, and this run wrote none (`--invocations none`); run it again with `--invocations csv` or `parquet`",
            dir.display()
        ))
    }

    /// Calls `each` with every row in order; returns how many there were.
    pub fn each(&self, each: impl FnMut(&Invocation)) -> Result<u64, String> {
        #[cfg(feature = "parquet")]
        if self.path.extension().is_some_and(|e| e == "parquet") {
            return parquet::each(&self.path, each);
        }
        each_csv(&self.path, each)
    }
}

/// What a damaged file is told: the line or row and the cell.
fn damaged(path: &Path, place: String, column: &str, value: &str) -> String {
    format!(
        "{place} of `{}`: its `{column}` is `{value}`, not a date in seconds: the file is not what sls writes (cut or edited); run the experiment again",
        path.display()
    )
}

fn each_csv(path: &Path, mut each: impl FnMut(&Invocation)) -> Result<u64, String> {
    let mut rows = Rows::open(path)?;
    let col = |name: &str| {
        rows.column(name)
            .ok_or(format!("invocations.csv has no `{name}` column"))
    };
    let (function, service, submit, start, end, finish, container, status) = (
        col("function")?,
        col("service")?,
        col("submit")?,
        col("start")?,
        col("end")?,
        col("finish")?,
        col("container")?,
        col("status")?,
    );
    let header = rows.header.clone();
    let mut count = 0;
    while let Some((line, row)) = rows.next()? {
        count += 1;
        // An empty date is a step the invocation never reached; anything
        // else that is no date is a damaged file, not a row to skip.
        let date = |c: usize| -> Result<Option<f64>, String> {
            let cell = row[c].as_str();
            match cell.parse::<f64>() {
                _ if cell.is_empty() => Ok(None),
                Ok(t) if t.is_finite() => Ok(Some(t)),
                _ => Err(damaged(path, format!("line {line}"), &header[c], cell)),
            }
        };
        each(&Invocation {
            function: &row[function],
            service: &row[service],
            submit: date(submit)?,
            start: date(start)?,
            end: date(end)?,
            finish: date(finish)?,
            container: &row[container],
            status: &row[status],
        });
    }
    Ok(count)
}

#[cfg(feature = "parquet")]
mod parquet {
    //! `invocations.parquet` through the parquet crate's Arrow reader, a
    //! batch of rows at a time, only the columns the charts read.

    use std::fs::File;
    use std::path::Path;

    use arrow_array::types::UInt32Type;
    use arrow_array::{Array, DictionaryArray, Float64Array, RecordBatch, StringArray};
    use parquet::arrow::ProjectionMask;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    use super::{Invocation, damaged};
    use crate::report::as_read_back;

    const NAMES: [&str; 4] = ["function", "service", "container", "status"];
    const DATES: [&str; 4] = ["submit", "start", "end", "finish"];

    pub fn each(path: &Path, mut each: impl FnMut(&Invocation)) -> Result<u64, String> {
        let unreadable = |e: &dyn std::fmt::Display| format!("cannot read `{}`: {e}", path.display());
        let file = File::open(path).map_err(|e| unreadable(&e))?;
        let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| unreadable(&e))?;
        let mask = ProjectionMask::columns(builder.parquet_schema(), NAMES.iter().chain(&DATES).copied());
        let reader = builder
            .with_projection(mask)
            .with_batch_size(8192)
            .build()
            .map_err(|e| unreadable(&e))?;
        let mut count = 0;
        for batch in reader {
            let batch = batch.map_err(|e| unreadable(&e))?;
            let names = NAMES.map(|name| names(path, &batch, name));
            let [function, service, container, status] = names;
            let (function, service, container, status) = (function?, service?, container?, status?);
            let dates = DATES.map(|name| dates(path, &batch, name));
            let [submit, start, end, finish] = dates;
            let (submit, start, end, finish) = (submit?, start?, end?, finish?);
            for row in 0..batch.num_rows() {
                let date = |column: &Float64Array, name: &str| -> Result<Option<f64>, String> {
                    if column.is_null(row) {
                        return Ok(None);
                    }
                    let t = column.value(row);
                    if !t.is_finite() {
                        let place = format!("row {}", count + row as u64 + 1);
                        return Err(damaged(path, place, name, &t.to_string()));
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

    fn names<'a>(path: &Path, batch: &'a RecordBatch, name: &str) -> Result<Names<'a>, String> {
        let keys = column(path, batch, name)?
            .as_any()
            .downcast_ref::<DictionaryArray<UInt32Type>>();
        let values = keys.and_then(|k| k.values().as_any().downcast_ref::<StringArray>());
        match (keys, values) {
            (Some(keys), Some(values)) => Ok(Names { keys, values }),
            _ => Err(format!(
                "`{}`: its `{name}` column holds no names: the file is not what sls writes; run the experiment again",
                path.display()
            )),
        }
    }

    fn dates<'a>(path: &Path, batch: &'a RecordBatch, name: &str) -> Result<&'a Float64Array, String> {
        column(path, batch, name)?
            .as_any()
            .downcast_ref::<Float64Array>()
            .ok_or(format!(
                "`{}`: its `{name}` column holds no dates: the file is not what sls writes; run the experiment again",
                path.display()
            ))
    }
}

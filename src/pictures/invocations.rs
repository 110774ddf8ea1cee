//! A run's invocations read back for its charts, one at a time, from
//! `invocations.csv` or `invocations.parquet` (`sls run --invocations`),
//! whichever it wrote. Parquet's exact dates are rounded to the nanosecond
//! as the CSV writes them, so either file draws the same page.

use std::path::{Path, PathBuf};

use super::read::{Rows, damaged};
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
    /// The rows `dir` holds, as CSV or as Parquet; none when it holds
    /// neither (a run with `--invocations none`).
    pub fn find(dir: &Path) -> Option<Invocations> {
        let csv = dir.join(INVOCATIONS);
        if csv.exists() {
            return Some(Invocations { path: csv });
        }
        #[cfg(feature = "parquet")]
        {
            let parquet = dir.join(crate::report::INVOCATIONS_PARQUET);
            if parquet.exists() {
                return Some(Invocations { path: parquet });
            }
        }
        None
    }

    /// Calls `each` with every row in order; returns how many there were.
    pub fn each(&self, each: impl FnMut(&Invocation)) -> Result<u64, String> {
        #[cfg(feature = "parquet")]
        if self.path.extension().is_some_and(|e| e == "parquet") {
            return super::parquet::each_invocation(&self.path, each);
        }
        each_csv(&self.path, each)
    }
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
                _ => Err(damaged(
                    path,
                    format!("line {line}"),
                    &header[c],
                    cell,
                    "a date in seconds",
                )),
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

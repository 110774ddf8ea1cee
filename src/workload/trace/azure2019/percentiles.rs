//! The Azure 2019 summary files: function duration percentiles (ms) and
//! application memory percentiles (MB), turned into [`QuantileCurve`]s.
//!
//! Columns are found by name, so their order does not matter. A day without
//! such a file is not an error (the public dataset has memory files for
//! fewer days than count files): its functions or apps just get no curve from
//! it. When several days describe the same function or app, the first wins.

use std::path::Path;

use super::super::error::{BadCell, RowFault, TraceError, TraceErrorKind};
use super::super::faults::Faults;
use super::super::lines::{Cells, LineReader, parse_f64};
use super::super::quantile::QuantileCurve;
use crate::language::units::MAX_AMOUNT;

/// One of the two summary layouts.
pub(super) struct Layout {
    pub file_prefix: &'static str,
    /// Columns naming the row's owner: function key cells, or the app cell.
    pub key_columns: &'static [&'static str],
    pub value_columns: &'static [&'static str],
    pub quantiles: &'static [f64],
    /// Multiplier from the file's unit to SI (seconds or bytes).
    pub scale: f64,
    pub help: &'static str,
}

pub(super) const DURATIONS: Layout = Layout {
    file_prefix: "function_durations_percentiles",
    key_columns: &["HashOwner", "HashApp", "HashFunction"],
    value_columns: &[
        "percentile_Average_0",
        "percentile_Average_1",
        "percentile_Average_25",
        "percentile_Average_50",
        "percentile_Average_75",
        "percentile_Average_99",
        "percentile_Average_100",
    ],
    quantiles: &[0.0, 0.01, 0.25, 0.5, 0.75, 0.99, 1.0],
    scale: 1e-3,
    help: "write the duration percentile in milliseconds as a number of zero or more, like `700.5`",
};

pub(super) const MEMORY: Layout = Layout {
    file_prefix: "app_memory_percentiles",
    key_columns: &["HashApp"],
    value_columns: &[
        "AverageAllocatedMb_pct1",
        "AverageAllocatedMb_pct5",
        "AverageAllocatedMb_pct25",
        "AverageAllocatedMb_pct50",
        "AverageAllocatedMb_pct75",
        "AverageAllocatedMb_pct95",
        "AverageAllocatedMb_pct99",
        "AverageAllocatedMb_pct100",
    ],
    quantiles: &[0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99, 1.0],
    scale: 1e6,
    help: "write the memory percentile in MB as a number of zero or more, like `170`",
};

impl Layout {
    pub(super) fn file_name(&self, day: u32) -> String {
        format!("{}.anon.d{day:02}.csv", self.file_prefix)
    }

    /// Reads day file `path` (shown as `name`), calling `found(key, curve)`
    /// for each good row, where `key` joins the key cells with commas.
    /// Returns `Ok(false)` when the file does not exist.
    pub(super) fn read(
        &self,
        path: &Path,
        name: &str,
        faults: &mut Faults,
        mut found: impl FnMut(&[u8], QuantileCurve),
    ) -> Result<bool, TraceError> {
        let mut lines = match LineReader::open(path, name, "") {
            Ok(lines) => lines,
            Err(error) if matches!(error.kind(), TraceErrorKind::MissingFile { .. }) => {
                return Ok(false);
            }
            Err(error) => return Err(error),
        };
        let positions = self.header(&mut lines)?;
        let (keys, values) = positions.split_at(self.key_columns.len());
        let mut cells: Vec<(usize, usize)> = Vec::new();
        let mut key = Vec::new();
        let mut numbers = Vec::with_capacity(values.len());
        while lines.advance()? {
            let line = lines.line();
            cells.clear();
            cells.extend(Cells::new(line).map(|(start, cell)| (start, start + cell.len())));
            match self.parse_row(line, &cells, keys, values, &mut key, &mut numbers) {
                Ok(()) => found(&key, QuantileCurve::new(self.quantiles, &numbers, self.scale)),
                Err(bad) => faults.report(name, line, lines.number(), bad),
            }
        }
        Ok(true)
    }

    /// Positions of the key columns then of the value columns in the header.
    fn header(&self, lines: &mut LineReader) -> Result<Vec<usize>, TraceError> {
        let file = lines.name().to_owned();
        let expected = || {
            let all: Vec<&str> = self.key_columns.iter().chain(self.value_columns).copied().collect();
            format!("the first line must name the columns, among them `{}`", all.join(","))
        };
        if !lines.advance()? {
            return Err(TraceError::header(&file, b"", 0, 0, "empty file".into(), expected()));
        }
        let line = lines.line();
        let names: Vec<&[u8]> = Cells::new(line).map(|(_, cell)| cell.trim_ascii()).collect();
        self.key_columns
            .iter()
            .chain(self.value_columns)
            .map(|column| {
                names.iter().position(|name| *name == column.as_bytes()).ok_or_else(|| {
                    TraceError::header(
                        &file,
                        line,
                        line.len(),
                        line.len(),
                        format!("no `{column}` column"),
                        expected(),
                    )
                })
            })
            .collect()
    }

    fn parse_row(
        &self,
        line: &[u8],
        cells: &[(usize, usize)],
        keys: &[usize],
        values: &[usize],
        key: &mut Vec<u8>,
        numbers: &mut Vec<f64>,
    ) -> Result<(), BadCell> {
        let cell = |index: usize, column: &'static str| {
            cells.get(index).copied().ok_or_else(|| BadCell {
                fault: RowFault::MissingColumn,
                start: line.len(),
                end: line.len(),
                column: column.into(),
                help: self.help.into(),
            })
        };
        key.clear();
        for (&index, &column) in keys.iter().zip(self.key_columns) {
            let (start, end) = cell(index, column)?;
            if !key.is_empty() {
                key.push(b',');
            }
            key.extend_from_slice(&line[start..end]);
        }
        numbers.clear();
        for (&index, &column) in values.iter().zip(self.value_columns) {
            let (start, end) = cell(index, column)?;
            let bad = |fault| BadCell {
                fault,
                start,
                end,
                column: column.into(),
                help: self.help.into(),
            };
            match parse_f64(&line[start..end]) {
                None => return Err(bad(RowFault::NotANumber)),
                Some(value) if value < 0.0 => return Err(bad(RowFault::NegativeValue)),
                Some(value) if value > MAX_AMOUNT => return Err(bad(RowFault::TooLarge)),
                Some(value) => numbers.push(value),
            }
        }
        Ok(())
    }
}

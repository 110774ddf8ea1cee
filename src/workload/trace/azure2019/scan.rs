//! The first pass over an Azure 2019 folder: every day's counts (checked,
//! totalled per function and app over the replayed minutes) and the duration
//! and memory summaries, without keeping any per-minute count.

use std::path::Path;

use super::super::error::{SkippedRows, TraceError};
use super::super::faults::Faults;
use super::super::lines::{LineReader, cell_text};
use super::super::names::NameTable;
use super::super::quantile::QuantileCurve;
use super::super::shown;
use super::counts;
use super::percentiles::{DURATIONS, MEMORY};

/// A function met in the counts files.
#[derive(Debug)]
pub(super) struct FunctionEntry {
    pub app: u32,
    pub name: String,
    /// Invocations over the replayed days and minutes.
    pub total: u64,
    /// Whether some day has several rows of it (a replay then rescales its
    /// rows together, minute by minute).
    pub several_rows: bool,
    /// The last day a row of it was met.
    day: u32,
    pub durations: Option<QuantileCurve>,
}

/// An application met in the counts files.
#[derive(Debug)]
pub(super) struct AppEntry {
    pub name: String,
    pub total: u64,
    pub memory: Option<QuantileCurve>,
}

/// Where a good row of a day's counts is in its file, and whose it is: the
/// replay reads just the rows of the functions it replays. `F` names the
/// function: a [`CatalogId`] as the scan finds it, its index in the
/// replay's table once the replayed rows are picked.
#[derive(Debug, Clone, Copy)]
pub(super) struct RowAt<F> {
    /// Bytes into the file.
    pub offset: u64,
    /// The line's length ([`row_length`]), to tell a file changed since.
    pub length: u32,
    pub function: F,
}

/// A function's id in the scan's [`Catalog`] (every function of the
/// trace), not its index among the replayed ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct CatalogId(pub u32);

/// A line's length as a [`RowAt`] keeps it (saturated).
pub(super) fn row_length(line: &[u8]) -> u32 {
    u32::try_from(line.len()).unwrap_or(u32::MAX)
}

/// Everything known about the trace before replaying it.
#[derive(Debug, Default)]
pub(super) struct Catalog {
    /// The good rows of each replayed day (one list per entry of `days`),
    /// in file order.
    pub rows: Vec<Vec<RowAt<CatalogId>>>,
    pub functions: Vec<FunctionEntry>,
    pub apps: Vec<AppEntry>,
    /// Function ids by `HashOwner,HashApp,HashFunction`.
    pub function_ids: NameTable,
    /// App ids by `HashApp`.
    pub app_ids: NameTable,
    pub skipped: SkippedRows,
}

pub(super) const MISSING_HELP: &str = "give the folder of an Azure Functions 2019 trace, holding \
     `invocations_per_function_md.anon.dNN.csv` for every replayed day NN";

/// Scans the counts of `days` (minutes `first..=last`) and the summaries in `dir`.
pub(super) fn scan(dir: &Path, days: &[u32], minutes: (u32, u32), lenient: bool) -> Result<Catalog, TraceError> {
    let (mut catalog, mut faults) = scan_counts(dir, days, minutes, lenient)?;
    for &day in days {
        let path = dir.join(DURATIONS.file_name(day));
        DURATIONS.read(&path, &shown(&path), &mut faults, |key, curve| {
            if let Some(id) = catalog.function_ids.get(key) {
                catalog.functions[id as usize].durations.get_or_insert(curve);
            }
        })?;
        let path = dir.join(MEMORY.file_name(day));
        MEMORY.read(&path, &shown(&path), &mut faults, |key, curve| {
            if let Some(id) = catalog.app_ids.get(key) {
                catalog.apps[id as usize].memory.get_or_insert(curve);
            }
        })?;
    }
    catalog.skipped = faults.finish()?;
    Ok(catalog)
}

/// The counts of every day: the catalog's functions and apps, and the bad rows met.
fn scan_counts(dir: &Path, days: &[u32], minutes: (u32, u32), lenient: bool) -> Result<(Catalog, Faults), TraceError> {
    let mut catalog = Catalog::default();
    let mut faults = Faults::new(lenient);
    let mut counts = Vec::new();
    for &day in days {
        let path = dir.join(counts::file_name(day));
        let name = shown(&path);
        let mut lines = LineReader::open(&path, &name, MISSING_HELP)?;
        counts::read_header(&mut lines, minutes.1)?;
        let mut rows = Vec::new();
        while lines.advance()? {
            match counts::parse_row_total(lines.line(), minutes, &mut counts) {
                Ok((row, total)) => rows.push(RowAt {
                    offset: lines.offset(),
                    length: row_length(lines.line()),
                    function: CatalogId(catalog.add(row, total, day, &name)?),
                }),
                Err(bad) => faults.report(&name, lines.line(), lines.number(), bad),
            }
        }
        catalog.rows.push(rows);
    }
    Ok((catalog, faults))
}

impl Catalog {
    /// Counts a good row; returns its function's id.
    fn add(&mut self, row: counts::CountsRow<'_>, total: u64, day: u32, file: &str) -> Result<u32, TraceError> {
        let too_many = || TraceError::too_many_functions(file);
        let (app, new_app) = self.app_ids.intern(row.app).ok_or_else(too_many)?;
        if new_app {
            self.apps.push(AppEntry {
                name: cell_text(row.app).into_owned(),
                total: 0,
                memory: None,
            });
        }
        self.apps[app as usize].total += total;
        let (function, new_function) = self.function_ids.intern(row.key).ok_or_else(too_many)?;
        if new_function {
            self.functions.push(FunctionEntry {
                app,
                name: cell_text(row.function).into_owned(),
                total: 0,
                several_rows: false,
                day,
                durations: None,
            });
        }
        let entry = &mut self.functions[function as usize];
        entry.total += total;
        entry.several_rows |= !new_function && entry.day == day;
        entry.day = day;
        Ok(function)
    }
}

//! The per-minute counts of the selected functions for one replayed day,
//! read when the replay reaches that day (u32 per function row and minute).

use std::path::Path;

use super::super::error::TraceError;
use super::super::lines::{Cells, LineReader};
use super::super::names::NameTable;
use super::super::shown;
use super::counts;
use super::scan::MISSING_HELP;

/// Marks a function that is not replayed in [`DayCounts::load`]'s `table` map.
pub(super) const NOT_SELECTED: u32 = u32::MAX;

/// One day's counts, row-major: `counts[row * span + minute]`.
#[derive(Debug, Default)]
pub(super) struct DayCounts {
    /// Function-table index of each kept row (a function may have several rows).
    pub rows: Vec<u32>,
    pub counts: Vec<u32>,
}

impl DayCounts {
    /// Reads day `day` in `dir`, keeping rows of functions whose catalog id
    /// maps to a table index in `table`. Rows that the scan found bad are
    /// skipped again, silently.
    pub(super) fn load(
        &mut self,
        dir: &Path,
        day: u32,
        minutes: (u32, u32),
        ids: &NameTable,
        table: &[u32],
    ) -> Result<(), TraceError> {
        self.rows.clear();
        self.counts.clear();
        let path = dir.join(counts::file_name(day));
        let mut lines = LineReader::open(&path, &shown(&path), MISSING_HELP)?;
        counts::read_header(&mut lines, minutes.1)?;
        let mut row_counts = Vec::new();
        while lines.advance()? {
            let line = lines.line();
            // Look the key up before parsing the counts: most rows are not replayed.
            let Ok(key) = counts::parse_key(&mut Cells::new(line), line) else {
                continue;
            };
            let Some(&index) = ids.get(key.key).and_then(|id| table.get(id as usize)) else {
                continue;
            };
            if index == NOT_SELECTED || counts::parse_row(line, minutes, &mut row_counts).is_err() {
                continue;
            }
            self.rows.push(index);
            self.counts.extend_from_slice(&row_counts);
        }
        Ok(())
    }
}

//! The per-minute counts of the selected functions for one replayed day,
//! read when the replay reaches that day, kept by minute and only where
//! they are not zero: expanding a minute costs what its active functions
//! do, however many functions the day has.

use std::path::Path;

use super::super::error::TraceError;
use super::super::lines::{Cells, LineReader};
use super::super::names::NameTable;
use super::super::shown;
use super::counts;
use super::scan::MISSING_HELP;

/// Marks a function that is not replayed in [`DayCounts::load`]'s `table` map.
pub(super) const NOT_SELECTED: u32 = u32::MAX;

/// Bits of an entry holding the count; the rest hold the function.
const COUNT_BITS: u32 = 8;
/// A count field equal to this says that the count is the next entry.
const LONG_COUNT: u32 = (1 << COUNT_BITS) - 1;
// Every replayed function's index fits beside a count.
const _: () = assert!(COUNT_BITS + super::FUNCTION_BITS <= 32);

/// One day's non-zero counts. Each minute lists its (function, count)
/// pairs in the file's row order (a function may have several rows), one
/// `u32` each: `function << COUNT_BITS | count`, or, for a count of
/// [`LONG_COUNT`] or more, `function << COUNT_BITS | LONG_COUNT` then the count.
#[derive(Debug, Default)]
pub(super) struct DayCounts {
    minutes: Vec<Vec<u32>>,
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
        let span = (minutes.1 - minutes.0 + 1) as usize;
        self.minutes.resize_with(span, Vec::new);
        self.minutes.iter_mut().for_each(Vec::clear);
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
            for (minute, &count) in row_counts.iter().enumerate().filter(|(_, c)| **c > 0) {
                self.push(minute, index, count);
            }
        }
        Ok(())
    }

    fn push(&mut self, minute: usize, function: u32, count: u32) {
        let entries = &mut self.minutes[minute];
        if count < LONG_COUNT {
            entries.push(function << COUNT_BITS | count);
        } else {
            entries.extend([function << COUNT_BITS | LONG_COUNT, count]);
        }
    }

    /// The (function, count) pairs of `minute` (counted from the first
    /// replayed minute) whose count is not zero, in row order.
    pub(super) fn minute(&self, minute: usize) -> impl Iterator<Item = (u32, u32)> + '_ {
        let mut entries = self.minutes[minute].iter();
        std::iter::from_fn(move || {
            let &entry = entries.next()?;
            let count = match entry & LONG_COUNT {
                LONG_COUNT => *entries.next()?,
                short => short,
            };
            Some((entry >> COUNT_BITS, count))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::DayCounts;

    #[test]
    fn counts_of_every_size_come_back_by_minute_in_row_order() {
        let mut day = DayCounts {
            minutes: vec![Vec::new(); 3],
        };
        let rows: [(u32, [u32; 3]); 4] = [
            (7, [1, 0, 254]),
            (3, [0, 0, 255]),
            (7, [u32::MAX, 0, 2]),
            (0, [0, 0, 0]),
        ];
        for (function, counts) in rows {
            for (minute, &count) in counts.iter().enumerate().filter(|(_, c)| **c > 0) {
                day.push(minute, function, count);
            }
        }
        let minute = |m| day.minute(m).collect::<Vec<_>>();
        assert_eq!(minute(0), vec![(7, 1), (7, u32::MAX)]);
        assert_eq!(minute(1), vec![]);
        assert_eq!(minute(2), vec![(7, 254), (3, 255), (7, 2)]);
    }
}

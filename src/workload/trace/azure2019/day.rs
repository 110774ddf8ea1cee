//! The arrivals of the selected functions for one replayed day, read when
//! the replay reaches that day and kept by minute, only where there are
//! some: expanding a minute costs what its arrivals do, however many
//! functions the day has. Counts are rescaled as the day is loaded, except
//! for functions with several rows, whose rows share one remainder and are
//! rescaled minute by minute (see [`Rescale`]); the others' rows are
//! rescaled a few side by side (see [`HeldRows`]).

use std::path::Path;

use super::super::FunctionInfo;
use super::super::error::TraceError;
use super::super::lines::{LineReader, cell_text};
use super::super::shown;
use super::counts;
use super::rescale::Rescale;
use super::rows::HeldRows;
use super::scan::{MISSING_HELP, RowAt, row_length};

/// Bits of an entry after the function: a flag for a count still to be
/// rescaled, then the count itself.
const TAIL_BITS: u32 = 8;
const TO_RESCALE: u32 = 1 << (TAIL_BITS - 1);
const COUNT_MASK: u32 = TO_RESCALE - 1;
/// A count field equal to this says that the count is in the next two entries.
const LONG_COUNT: u32 = COUNT_MASK;
// Every replayed function's index fits beside its tail.
const _: () = assert!(TAIL_BITS + super::FUNCTION_BITS <= 32);

/// A minute's work for one function.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Count {
    /// This many arrivals.
    Arrivals(u64),
    /// This many invocations in the trace, to rescale now.
    ToRescale(u32),
}

/// One day's counts. Each minute lists its (function, count) pairs in the
/// file's row order (a function may have several rows), one `u32` each:
/// `function << TAIL_BITS | [TO_RESCALE] | count`, or, for a count of
/// [`LONG_COUNT`] or more, `function << TAIL_BITS | [TO_RESCALE] |
/// LONG_COUNT` then the count's low and high halves.
#[derive(Debug, Default)]
pub(super) struct DayCounts {
    minutes: Vec<Vec<u32>>,
}

impl DayCounts {
    /// Reads day `day` in `dir`: the rows `rows` (in file order, where the
    /// scan found them, each with its function's index in `functions`),
    /// rescaled by `rescale` if given. Nothing else of the file is read: a
    /// replay of a few functions reads a few rows of a day, not all of it.
    pub(super) fn load(
        &mut self,
        dir: &Path,
        day: u32,
        minutes: (u32, u32),
        (rows, functions): (&[RowAt<u32>], &[FunctionInfo]),
        mut rescale: Option<&mut Rescale>,
    ) -> Result<(), TraceError> {
        let span = (minutes.1 - minutes.0 + 1) as usize;
        self.minutes.resize_with(span, Vec::new);
        self.minutes.iter_mut().for_each(Vec::clear);
        let path = dir.join(counts::file_name(day));
        let name = shown(&path);
        let mut lines = LineReader::open_scattered(&path, &name, MISSING_HELP)?;
        let mut row_counts = Vec::new();
        // Rows rescaled row by row are held and rescaled a few at a time.
        let mut held = HeldRows::default();
        for row in rows {
            // The row the scan read, of the function it read there, or the
            // file is not the one scanned: its counts are not given to
            // another function.
            let index = row.function;
            if !(lines.line_at(row.offset)? && row_length(lines.line()) == row.length) {
                return Err(TraceError::changed(&name));
            }
            let line = lines.line();
            // A row rescaled on its own is parsed into the cells it is held
            // in; the others' counts are listed.
            let key = match rescale.as_deref() {
                Some(r) if r.row_by_row(index) => {
                    let mut cells = held.next_row(span);
                    counts::parse_row_each(line, minutes, &mut row_counts, |minute, count| {
                        cells.put(minute, r.scaled(count));
                    })
                }
                _ => counts::parse_row(line, minutes, &mut row_counts),
            };
            if !key.is_ok_and(|key| functions.get(index as usize).is_some_and(|f| is_function(f, &key))) {
                return Err(TraceError::changed(&name));
            }
            let nonzero = row_counts.iter().enumerate().filter(|(_, c)| **c > 0);
            match rescale.as_deref_mut() {
                None => nonzero.for_each(|(m, &c)| self.push(m, index, Count::Arrivals(u64::from(c)))),
                Some(r) if r.row_by_row(index) => {
                    if held.commit(index) {
                        self.release(&mut held, r);
                    }
                }
                Some(r) => {
                    // The rows held come first in each minute.
                    self.release(&mut held, r);
                    nonzero.for_each(|(m, &c)| self.push(m, index, Count::ToRescale(c)));
                }
            }
        }
        if let Some(r) = rescale {
            self.release(&mut held, r);
        }
        Ok(())
    }

    /// Keeps the arrivals of the rows `held`, rescaled.
    fn release(&mut self, held: &mut HeldRows, rescale: &mut Rescale) {
        held.release(rescale, |minute, f, n| self.push(minute, f, Count::Arrivals(n)));
    }

    fn push(&mut self, minute: usize, function: u32, count: Count) {
        let (flag, count) = match count {
            Count::Arrivals(n) => (0, n),
            Count::ToRescale(n) => (TO_RESCALE, u64::from(n)),
        };
        let head = function << TAIL_BITS | flag;
        let entries = &mut self.minutes[minute];
        if count < u64::from(LONG_COUNT) {
            entries.push(head | count as u32);
        } else {
            entries.extend([head | LONG_COUNT, count as u32, (count >> 32) as u32]);
        }
    }

    /// The (function, count) pairs of `minute` (counted from the first
    /// replayed minute) with work, in row order.
    pub(super) fn minute(&self, minute: usize) -> impl Iterator<Item = (u32, Count)> + '_ {
        let mut entries = self.minutes[minute].iter();
        std::iter::from_fn(move || {
            let &entry = entries.next()?;
            let count = match entry & COUNT_MASK {
                LONG_COUNT => {
                    let (&low, &high) = (entries.next()?, entries.next()?);
                    u64::from(high) << 32 | u64::from(low)
                }
                short => u64::from(short),
            };
            let count = if entry & TO_RESCALE != 0 {
                Count::ToRescale(count as u32)
            } else {
                Count::Arrivals(count)
            };
            Some((entry >> TAIL_BITS, count))
        })
    }
}

/// Whether a row's app and function cells name `function` (as the scan
/// named it, [`cell_text`]: no copy unless they need any).
fn is_function(function: &FunctionInfo, key: &counts::CountsRow<'_>) -> bool {
    cell_text(key.function) == function.name.as_str()
        && function.app.as_deref().is_some_and(|app| cell_text(key.app) == app)
}

#[cfg(test)]
mod tests {
    use super::super::super::FunctionInfo;
    use super::super::super::error::TraceErrorKind;
    use super::super::rescale::Rescale;
    use super::super::scan::RowAt;
    use super::{Count, DayCounts};

    /// A day's file of `lines` under a folder of its own, and where each
    /// line after the header starts in it.
    fn day_file(name: &str, lines: &[&str]) -> (std::path::PathBuf, Vec<u64>) {
        let dir = std::env::temp_dir().join(format!("sls-day-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let text: String = lines.iter().map(|line| format!("{line}\n")).collect();
        std::fs::write(dir.join("invocations_per_function_md.anon.d01.csv"), text).unwrap();
        let starts = lines.iter().scan(0, |at, line| {
            let start = *at;
            *at += line.len() as u64 + 1;
            Some(start)
        });
        (dir, starts.skip(1).collect())
    }

    /// The replayed functions of app `a`, by name.
    fn functions(names: &[&str]) -> Vec<FunctionInfo> {
        (names.iter())
            .map(|name| FunctionInfo {
                name: name.to_string(),
                app: Some("a".into()),
                durations: None,
                memory: None,
                row_memory: None,
            })
            .collect()
    }

    /// Rows held to be rescaled together keep their place in each minute
    /// among the rows rescaled minute by minute (a function's several
    /// rows), which the Poisson spread's draws follow.
    #[test]
    fn rescaled_rows_keep_the_file_order_in_each_minute() {
        let lines = [
            "HashOwner,HashApp,HashFunction,Trigger,1,2",
            "o,a,g,http,3,0",
            "o,a,f,http,2,2",
            "o,a,h,http,4,4",
            "o,a,f,timer,1,0",
        ];
        let (dir, starts) = day_file("order", &lines);
        let rows: Vec<RowAt<u32>> = (starts.iter().zip(&lines[1..]).zip([0, 1, 2, 1]))
            .map(|((&offset, line), function)| RowAt {
                offset,
                length: line.len() as u32,
                function,
            })
            .collect();
        let mut rescale = Rescale::new(1.0, vec![false, true, false]);
        let mut day = DayCounts::default();
        let replayed = functions(&["g", "f", "h"]);
        day.load(&dir, 1, (1, 2), (&rows, &replayed), Some(&mut rescale))
            .unwrap();
        let minute = |m| day.minute(m).collect::<Vec<_>>();
        use Count::{Arrivals, ToRescale};
        let first = vec![(0, Arrivals(3)), (1, ToRescale(2)), (2, Arrivals(4)), (1, ToRescale(1))];
        assert_eq!(minute(0), first);
        assert_eq!(minute(1), vec![(1, ToRescale(2)), (2, Arrivals(4))]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn counts_of_every_size_come_back_by_minute_in_row_order() {
        let mut day = DayCounts {
            minutes: vec![Vec::new(); 3],
        };
        let big = u64::from(u32::MAX) + 7;
        day.push(0, 7, Count::Arrivals(1));
        day.push(2, 7, Count::Arrivals(126));
        day.push(2, 3, Count::ToRescale(127));
        day.push(0, 7, Count::Arrivals(big));
        day.push(2, 7, Count::ToRescale(u32::MAX));
        day.push(2, (1 << 24) - 1, Count::Arrivals(2));
        let minute = |m| day.minute(m).collect::<Vec<_>>();
        assert_eq!(minute(0), vec![(7, Count::Arrivals(1)), (7, Count::Arrivals(big))]);
        assert_eq!(minute(1), vec![]);
        assert_eq!(
            minute(2),
            vec![
                (7, Count::Arrivals(126)),
                (3, Count::ToRescale(127)),
                (7, Count::ToRescale(u32::MAX)),
                ((1 << 24) - 1, Count::Arrivals(2)),
            ]
        );
    }

    /// Only the rows asked for are read, wherever they are in the file; a
    /// row no longer where the scan found it (the file changed since) is
    /// an error, not a count of some other row.
    #[test]
    fn just_the_rows_asked_for_are_read_and_a_changed_file_is_refused() {
        let lines = [
            "HashOwner,HashApp,HashFunction,Trigger,1",
            "o,a,f,http,1",
            "o,a,g,http,20",
            "o,a,h,http,300",
        ];
        let (dir, starts) = day_file("rows", &lines);
        let row = |line: usize, function| RowAt {
            offset: starts[line - 1],
            length: lines[line].len() as u32,
            function,
        };
        let mut day = DayCounts::default();
        let replayed = functions(&["f", "h"]);
        day.load(&dir, 1, (1, 1), (&[row(1, 0), row(3, 1)], &replayed), None)
            .unwrap();
        assert_eq!(
            day.minute(0).collect::<Vec<_>>(),
            vec![(0, Count::Arrivals(1)), (1, Count::Arrivals(300))]
        );
        let moved = RowAt {
            offset: starts[1] + 1,
            ..row(2, 0)
        };
        let error = day.load(&dir, 1, (1, 1), (&[moved], &replayed), None).unwrap_err();
        assert!(
            error.to_string().contains("changed while it was being replayed"),
            "{error}"
        );
        assert!(matches!(error.kind(), TraceErrorKind::Changed { .. }), "{error:?}");
        // Another good row where this one was: only its length tells.
        let other = RowAt {
            offset: starts[2],
            ..row(2, 0)
        };
        let error = day.load(&dir, 1, (1, 1), (&[other], &replayed), None).unwrap_err();
        assert!(matches!(error.kind(), TraceErrorKind::Changed { .. }), "{error:?}");
        let past_the_end = RowAt {
            offset: 1 << 20,
            ..row(1, 0)
        };
        let error = day
            .load(&dir, 1, (1, 1), (&[past_the_end], &replayed), None)
            .unwrap_err();
        assert!(matches!(error.kind(), TraceErrorKind::Changed { .. }), "{error:?}");
        // Another function's row of the same length where this one was
        // (the file written again): its counts are not taken for `f`'s.
        let rewritten = ["HashOwner,HashApp,HashFunction,Trigger,1", "o,a,z,http,1"];
        let (again, _) = day_file("rows", &rewritten);
        assert_eq!(again, dir);
        let error = day.load(&dir, 1, (1, 1), (&[row(1, 0)], &replayed), None).unwrap_err();
        assert!(matches!(error.kind(), TraceErrorKind::Changed { .. }), "{error:?}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

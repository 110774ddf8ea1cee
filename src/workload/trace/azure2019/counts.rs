//! Rows of the Azure 2019 per-minute invocation counts file
//! (`HashOwner,HashApp,HashFunction,Trigger,1,...,1440`), parsed the same way
//! by the scan and by the replay so that both skip exactly the same rows.

use super::super::error::{BadCell, RowFault, TraceError};
use super::super::lines::{Cells, LineReader, parse_count, parse_f64};

pub(super) const KEY_COLUMNS: [&str; 4] = ["HashOwner", "HashApp", "HashFunction", "Trigger"];
const HEADER_HELP: &str = "the first line must be `HashOwner,HashApp,HashFunction,Trigger,1,2,...,1440`";
const NAME_HELP: &str = "every row starts with `HashOwner,HashApp,HashFunction,Trigger`";
const COUNT_HELP: &str = "write the number of invocations in that minute as a whole number, like `3`";

/// The file name of day `day`'s counts.
pub(super) fn file_name(day: u32) -> String {
    format!("invocations_per_function_md.anon.d{day:02}.csv")
}

/// The key cells of a row; all borrow the line.
pub(super) struct CountsRow<'a> {
    /// `HashOwner,HashApp,HashFunction`: identifies the function across days.
    pub key: &'a [u8],
    pub app: &'a [u8],
    pub function: &'a [u8],
}

/// Reads and checks the header; the file must have minute columns through `last`.
pub(super) fn read_header(lines: &mut LineReader, last: u32) -> Result<(), TraceError> {
    let file = lines.name().to_owned();
    if !lines.advance()? {
        return Err(TraceError::header(
            &file,
            b"",
            0,
            0,
            "empty file".into(),
            HEADER_HELP.into(),
        ));
    }
    let line = lines.line();
    let bad = |start: usize, end: usize, label: String, help: String| {
        TraceError::header(&file, line, start, end, label, help)
    };
    let mut cells = Cells::new(line);
    for expected in KEY_COLUMNS {
        match cells.next() {
            Some((_, cell)) if cell.trim_ascii() == expected.as_bytes() => {}
            Some((start, cell)) => {
                return Err(bad(
                    start,
                    start + cell.len(),
                    format!("expected `{expected}`"),
                    HEADER_HELP.into(),
                ));
            }
            None => {
                return Err(bad(
                    line.len(),
                    line.len(),
                    format!("expected `{expected}`"),
                    HEADER_HELP.into(),
                ));
            }
        }
    }
    for minute in 1..=last {
        match cells.next() {
            Some((_, cell)) if parse_count(cell) == Some(minute) => {}
            Some((start, cell)) => {
                return Err(bad(
                    start,
                    start + cell.len(),
                    format!("expected minute `{minute}`"),
                    HEADER_HELP.into(),
                ));
            }
            None => {
                return Err(bad(
                    line.len(),
                    line.len(),
                    format!("no column for minute {minute}"),
                    format!(
                        "this file has {} minute columns: replay minutes within 1..{}",
                        minute - 1,
                        minute - 1
                    ),
                ));
            }
        }
    }
    Ok(())
}

/// Parses the key cells of `line` and the counts of minutes `first..=last`
/// into `counts` (cleared first); cells past `last` are not read.
pub(super) fn parse_row<'a>(
    line: &'a [u8],
    (first, last): (u32, u32),
    counts: &mut Vec<u32>,
) -> Result<CountsRow<'a>, BadCell> {
    let mut cells = Cells::new(line);
    let key = parse_key(&mut cells, line)?;
    counts.clear();
    for minute in 1..=last {
        let (start, cell) = cells.expect(|| format!("minute {minute}").into(), COUNT_HELP)?;
        if minute < first {
            continue;
        }
        match parse_count(cell) {
            Some(count) => counts.push(count),
            None => {
                let negative = parse_f64(cell).is_some_and(|v| v < 0.0);
                return Err(BadCell {
                    fault: if negative {
                        RowFault::NegativeValue
                    } else {
                        RowFault::NotANumber
                    },
                    start,
                    end: start + cell.len(),
                    column: format!("minute {minute}").into(),
                    help: COUNT_HELP.into(),
                });
            }
        }
    }
    Ok(key)
}

/// The key cells of a row, leaving `cells` at the first minute.
pub(super) fn parse_key<'a>(cells: &mut Cells<'a>, line: &'a [u8]) -> Result<CountsRow<'a>, BadCell> {
    let mut names: [&[u8]; 4] = [b""; 4];
    let mut key_end = 0;
    for (slot, column) in names.iter_mut().zip(KEY_COLUMNS) {
        let (start, cell) = cells.expect(|| column.into(), NAME_HELP)?;
        if column != "Trigger" && cell.trim_ascii().is_empty() {
            return Err(BadCell {
                fault: RowFault::MissingColumn,
                start,
                end: start,
                column: column.into(),
                help: NAME_HELP.into(),
            });
        }
        *slot = cell;
        if column == "HashFunction" {
            key_end = start + cell.len();
        }
    }
    Ok(CountsRow {
        key: &line[..key_end],
        app: names[1],
        function: names[2],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_of_the_minute_range_are_kept() {
        let mut counts = Vec::new();
        let row = parse_row(b"o,a,f,http,1,2,3,4,5", (2, 4), &mut counts).unwrap();
        assert_eq!((row.key, row.app, row.function), (&b"o,a,f"[..], &b"a"[..], &b"f"[..]));
        assert_eq!(counts, vec![2, 3, 4]);
    }

    #[test]
    fn bad_counts_are_faults() {
        let mut counts = Vec::new();
        let fault = |line: &[u8], counts: &mut Vec<u32>| parse_row(line, (1, 3), counts).err().map(|b| b.fault);
        assert_eq!(fault(b"o,a,f,http,1,x,3", &mut counts), Some(RowFault::NotANumber));
        assert_eq!(fault(b"o,a,f,http,1,-2,3", &mut counts), Some(RowFault::NegativeValue));
        assert_eq!(fault(b"o,a,f,http,1,2", &mut counts), Some(RowFault::MissingColumn));
        assert_eq!(fault(b"o,,f,http,1,2,3", &mut counts), Some(RowFault::MissingColumn));
    }
}

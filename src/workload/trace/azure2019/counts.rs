//! Rows of the Azure 2019 per-minute invocation counts file
//! (`HashOwner,HashApp,HashFunction,Trigger,1,...,1440`), parsed the same way
//! by the scan and by the replay so that both skip exactly the same rows.

use super::super::MAX_ARRIVALS_AT_ONCE;
use super::super::error::{BadCell, RowFault, TraceError};
use super::super::header::Header;
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
    let header = Header::read(lines, HEADER_HELP)?;
    let mut cells = header.cells();
    header.expect(&mut cells, &KEY_COLUMNS)?;
    for minute in 1..=last {
        match cells.next() {
            Some((_, cell)) if parse_count(cell) == Some(minute) => {}
            Some((start, cell)) => {
                return Err(header.bad(start, start + cell.len(), format!("expected minute `{minute}`")));
            }
            None => {
                let end = header.line.len();
                let columns = minute - 1;
                return Err(header.bad_with_help(
                    end,
                    end,
                    format!("no column for minute {minute}"),
                    format!("this file has {columns} minute columns: replay minutes within 1..{columns}"),
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
    if plain_counts(&line[cells.offset()..], (first, last), counts) {
        return Ok(key);
    }
    // Something unusual (spaces, a bad cell): the careful way, which says what.
    counts.clear();
    for minute in 1..=last {
        let (start, cell) = cells.expect(|| format!("minute {minute}").into(), COUNT_HELP)?;
        if minute < first {
            continue;
        }
        match parse_count(cell) {
            // A minute's arrivals are placed and sorted at once.
            Some(count) if u64::from(count) > MAX_ARRIVALS_AT_ONCE => {
                return Err(BadCell {
                    fault: RowFault::TooManyArrivals,
                    start,
                    end: start + cell.len(),
                    column: format!("minute {minute}").into(),
                    help: format!(
                        "a minute's arrivals are placed and sorted at once, at most {MAX_ARRIVALS_AT_ONCE} of a function, and this cell counts {count}; fix the count"
                    )
                    .into(),
                });
            }
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

/// [`parse_row`] giving `each(i, count)` the count of minute `first + i`
/// instead of storing it: on the usual path the counts go straight where
/// the caller keeps them (`scratch` holds them on the careful path only).
/// A row the one-pass reading gives up on is read again the careful way,
/// which gives every count again (the first ones twice, then).
pub(super) fn parse_row_each<'a>(
    line: &'a [u8],
    minutes: (u32, u32),
    scratch: &mut Vec<u32>,
    mut each: impl FnMut(usize, u32),
) -> Result<CountsRow<'a>, BadCell> {
    let mut cells = Cells::new(line);
    let key = parse_key(&mut cells, line)?;
    let mut given = 0;
    let plain = plain_cells(&line[cells.offset()..], minutes, |count| {
        each(given, count);
        given += 1;
    });
    if plain {
        return Ok(key);
    }
    let key = parse_row(line, minutes, scratch)?;
    scratch.iter().enumerate().for_each(|(i, &count)| each(i, count));
    Ok(key)
}

/// [`parse_row`] for the scan, which needs only the row's total over the
/// minutes: nothing is stored on the usual path.
pub(super) fn parse_row_total<'a>(
    line: &'a [u8],
    minutes: (u32, u32),
    scratch: &mut Vec<u32>,
) -> Result<(CountsRow<'a>, u64), BadCell> {
    let mut cells = Cells::new(line);
    let key = parse_key(&mut cells, line)?;
    let mut total = 0;
    if plain_cells(&line[cells.offset()..], minutes, |count| total += u64::from(count)) {
        return Ok((key, total));
    }
    let key = parse_row(line, minutes, scratch)?;
    Ok((key, scratch.iter().map(|&c| u64::from(c)).sum()))
}

/// The counts of a row written the usual way (bare digits and commas), in
/// one pass over its bytes: a day's file is over a thousand small cells per
/// row, and the scan reads all of them. False, with `counts` unspecified,
/// for anything else, which [`parse_row`] then reads cell by cell.
fn plain_counts(cells: &[u8], minutes: (u32, u32), counts: &mut Vec<u32>) -> bool {
    counts.clear();
    plain_cells(cells, minutes, |count| counts.push(count))
}

/// Gives `each` the counts of minutes `first..=last` of a row written the
/// usual way; false (after giving some, maybe) for anything else.
#[inline]
fn plain_cells(cells: &[u8], (first, last): (u32, u32), mut each: impl FnMut(u32)) -> bool {
    let (mut minute, mut value, mut digits) = (1u32, 0u64, 0u32);
    let mut keep = |minute: u32, value: u64, digits: u32| {
        // Larger counts are read the careful way, which refuses them.
        if digits == 0 || digits > 10 || value > MAX_ARRIVALS_AT_ONCE {
            return false;
        }
        if minute >= first {
            each(value as u32);
        }
        true
    };
    let mut at = 0;
    while let Some(&byte) = cells.get(at) {
        // Four one-digit cells at once (most of a day's cells have one
        // digit), from a cell's start, when none of them is the last
        // minute's (whose comma ends the row's reading).
        if digits == 0
            && minute + 3 < last
            && let Some(four) = one_digit_cells(&cells[at..])
        {
            for (next, count) in (minute..).zip(four) {
                keep(next, u64::from(count), 1);
            }
            (at, minute) = (at + 8, minute + 4);
            continue;
        }
        at += 1;
        match byte {
            b'0'..=b'9' => {
                value = value * 10 + u64::from(byte - b'0');
                digits += 1;
                if digits > 10 {
                    return false;
                }
            }
            b',' => {
                if !keep(minute, value, digits) {
                    return false;
                }
                if minute == last {
                    return true;
                }
                (minute, value, digits) = (minute + 1, 0, 0);
            }
            _ => return false,
        }
    }
    minute == last && keep(minute, value, digits)
}

/// The counts of four one-digit cells, if `cells` starts with them
/// (`d,d,d,d,`), read as one 8-byte word: a quarter of the per-byte loop's
/// steps on a day's usual cells.
#[inline]
fn one_digit_cells(cells: &[u8]) -> Option<[u32; 4]> {
    const COMMAS: u64 = u64::from_le_bytes(*b"\0,\0,\0,\0,");
    const ODD_BYTES: u64 = u64::from_le_bytes([0, 0xff, 0, 0xff, 0, 0xff, 0, 0xff]);
    // Per 16-bit lane (a digit's byte and a zero byte): bit 8 set by adding
    // 0xd0 to a byte from `0`, and by adding 0xc6 to one past `9`.
    const LANE_CARRIES: u64 = 0x0100_0100_0100_0100;
    let word = u64::from_le_bytes(cells.get(..8)?.try_into().ok()?);
    let bytes = word & !ODD_BYTES;
    let digits = word & ODD_BYTES == COMMAS
        && (bytes + 0x00d0_00d0_00d0_00d0) & LANE_CARRIES == LANE_CARRIES
        && (bytes + 0x00c6_00c6_00c6_00c6) & LANE_CARRIES == 0;
    digits.then(|| {
        let values = bytes - 0x0030_0030_0030_0030;
        [0, 16, 32, 48].map(|shift| (values >> shift) as u32 & 0xff)
    })
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
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn counts_of_the_minute_range_are_kept() {
        let mut counts = Vec::new();
        let row = parse_row(b"o,a,f,http,1,2,3,4,5", (2, 4), &mut counts).unwrap();
        assert_eq!((row.key, row.app, row.function), (&b"o,a,f"[..], &b"a"[..], &b"f"[..]));
        assert_eq!(counts, vec![2, 3, 4]);
    }

    /// Rows written the usual way and not: extra cells, too few, empty,
    /// spaced, too large, not a number.
    const LINES: [&[u8]; 9] = [
        b"o,a,f,http,1,2,3,4,5",
        b"o,a,f,http,0,10,300,4000000000,5,extra",
        b"o,a,f,http,1,2,3",
        b"o,a,f,http,1,2",
        b"o,a,f,http,1,,3,4",
        b"o,a,f,http,1, 2,3,4",
        b"o,a,f,http,1,2,3,99999999999",
        b"o,a,f,http,1,2,3,4294967296",
        b"o,a,f,http,1,x,3,4",
    ];

    /// Every row of [`LINES`] with minute ranges at the start, in the middle
    /// and at the end of a five-minute row.
    fn each_case(mut check: impl FnMut(&[u8], (u32, u32))) {
        for line in LINES {
            for range in [(1, 3), (2, 4), (4, 4)] {
                check(line, range);
            }
        }
    }

    #[test]
    fn the_one_pass_reading_agrees_with_the_careful_one() {
        let careful = |line: &[u8], range: (u32, u32)| {
            let mut cells = Cells::new(line);
            parse_key(&mut cells, line).ok()?;
            let mut counts = Vec::new();
            for minute in 1..=range.1 {
                // Cells before the range are counted, not read.
                let cell = cells.next()?.1;
                if minute >= range.0 {
                    // A count past the bound is a fault, as one not a number.
                    counts.push(parse_count(cell).filter(|&c| u64::from(c) <= MAX_ARRIVALS_AT_ONCE)?);
                }
            }
            Some(counts)
        };
        each_case(|line, range| {
            let mut counts = Vec::new();
            let got = parse_row(line, range, &mut counts).ok().map(|_| counts);
            assert_eq!(got, careful(line, range), "{} {range:?}", String::from_utf8_lossy(line));
        });
    }

    /// A cell of a counts row: mostly one digit (runs of them are read
    /// four at a time, from any cell), some of two or three digits, and
    /// here and there a bad cell, a space or a count too long, read cell
    /// by cell.
    fn cell() -> impl Strategy<Value = &'static [u8]> {
        prop_oneof![
            80 => prop::sample::select(vec![&b"0"[..], b"1", b"5", b"9", b"7"]),
            14 => prop::sample::select(vec![&b"12"[..], b"300"]),
            6 => prop::sample::select(vec![&b"/"[..], b":", b" 1", b"99999999999"]),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Every minute range of a row of 13 minutes (ranges ending inside
        /// a run of four too) reads what the careful reading does.
        #[test]
        fn one_digit_cells_read_four_at_once_agree_with_the_careful_reading(
            cells in prop::collection::vec(cell(), 13)
        ) {
            let mut line = b"o,a,f,http".to_vec();
            for cell in cells {
                line.push(b',');
                line.extend_from_slice(cell);
            }
            for first in 1..=13 {
                for last in first..=13 {
                    let mut counts = Vec::new();
                    let fast = plain_counts(&line[11..], (first, last), &mut counts).then_some(counts);
                    // The one-pass reading reads every cell through `last`
                    // and takes bare digits only.
                    let mut careful = Cells::new(&line);
                    parse_key(&mut careful, &line).unwrap();
                    let expected: Option<Vec<u32>> = (1..=last)
                        .map(|minute| {
                            let cell = careful.next().unwrap().1;
                            let count = parse_count(cell).filter(|_| !cell.contains(&b' '))?;
                            Some((minute, count))
                        })
                        .filter(|cell| cell.is_none_or(|(minute, _)| minute >= first))
                        .map(|cell| cell.map(|(_, count)| count))
                        .collect();
                    prop_assert_eq!(fast, expected, "{} {}..{}", String::from_utf8_lossy(&line), first, last);
                }
            }
        }
    }

    /// Counts given one by one land where [`parse_row`] stores them, every
    /// minute's, on the one-pass reading and on the careful one (which
    /// gives again what the first gave before giving up).
    #[test]
    fn counts_given_one_by_one_are_the_stored_ones() {
        each_case(|line, range| {
            let mut stored = Vec::new();
            let expected = parse_row(line, range, &mut stored).ok().map(|_| stored);
            let mut given = vec![None; (range.1 - range.0 + 1) as usize];
            let got = parse_row_each(line, range, &mut Vec::new(), |i, count| given[i] = Some(count));
            let got = got
                .ok()
                .map(|_| given.iter().map(|c| c.expect("every minute given")).collect::<Vec<_>>());
            assert_eq!(got, expected, "{} {range:?}", String::from_utf8_lossy(line));
        });
    }

    #[test]
    fn row_totals_are_the_sums_of_the_kept_counts() {
        each_case(|line, range| {
            let mut counts = Vec::new();
            let expected = parse_row(line, range, &mut counts)
                .ok()
                .map(|_| counts.iter().map(|&c| u64::from(c)).sum::<u64>());
            let total = parse_row_total(line, range, &mut Vec::new()).ok().map(|(_, t)| t);
            assert_eq!(total, expected, "{} {range:?}", String::from_utf8_lossy(line));
        });
    }

    #[test]
    fn bad_counts_are_faults() {
        let mut counts = Vec::new();
        let fault = |line: &[u8], counts: &mut Vec<u32>| parse_row(line, (1, 3), counts).err().map(|b| b.fault);
        assert_eq!(fault(b"o,a,f,http,1,x,3", &mut counts), Some(RowFault::NotANumber));
        assert_eq!(fault(b"o,a,f,http,1,-2,3", &mut counts), Some(RowFault::NegativeValue));
        assert_eq!(fault(b"o,a,f,http,1,2", &mut counts), Some(RowFault::MissingColumn));
        assert_eq!(fault(b"o,,f,http,1,2,3", &mut counts), Some(RowFault::MissingColumn));
        assert_eq!(
            fault(b"o,a,f,http,1,16777217,3", &mut counts),
            Some(RowFault::TooManyArrivals)
        );
        assert_eq!(fault(b"o,a,f,http,1,16777216,3", &mut counts), None);
    }
}

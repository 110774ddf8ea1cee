//! Timestamps in a `strftime`-like layout (`%Y-%m-%d %H:%M:%S`), read as
//! seconds since 1970-01-01 UTC: what a mapped trace's `time` column holds
//! when it is no plain number. The checker validates layouts with
//! [`Layout::parse`] before a run reads any cell. A date is kept as its
//! whole seconds and its decimal fraction as written, so that the seconds
//! between two dates are their exact difference rounded once: read as a
//! double, 1700000000.7 is 0.24 us coarse, and less its first row's date
//! it gave 0.700000048, not the 0.7 of a trace dated from its start.

/// One piece of a layout.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// `%Y`: a year of four digits.
    Year,
    /// `%m`, `%d`, `%H`, `%M`: two digits (one is accepted).
    Month,
    Day,
    Hour,
    Minute,
    /// `%S`: seconds, maybe with a fraction (`05.250`).
    Second,
    /// `%s`: seconds since the epoch, maybe with a fraction.
    Epoch,
    /// A character that must be there as written (`%%` is `%`).
    Literal(char),
}

/// A date: whole seconds since 1970-01-01 UTC and a fraction of
/// `fraction / 10^digits` seconds (the first nine digits written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instant {
    whole: i64,
    fraction: u64,
    digits: u32,
}

/// The digits of a fraction kept: nanoseconds.
const MAX_DIGITS: u32 = 9;

impl Instant {
    /// Seconds from `origin` to this date: their exact decimal difference,
    /// rounded to a double once (the double a trace dated from `origin`
    /// would read, while the difference is below 2^53 units of the finer
    /// fraction: 104 days in nanoseconds, 285 years in milliseconds).
    pub fn since(&self, origin: &Instant) -> f64 {
        let digits = self.digits.max(origin.digits);
        let scale = 10i128.pow(digits);
        let widened = |date: &Instant| date.fraction as i128 * 10i128.pow(digits - date.digits);
        let units = (self.whole as i128 - origin.whole as i128) * scale + widened(self) - widened(origin);
        units as f64 / scale as f64
    }

    /// This date and `other` summed (a layout giving seconds twice).
    fn plus(self, other: Instant) -> Instant {
        let digits = self.digits.max(other.digits);
        let widen = |date: Instant| date.fraction * 10u64.pow(digits - date.digits);
        let fraction = widen(self) + widen(other);
        let one = 10u64.pow(digits);
        Instant {
            whole: self.whole + other.whole + (fraction / one) as i64,
            fraction: fraction % one,
            digits,
        }
    }

    fn whole(whole: i64) -> Instant {
        Instant {
            whole,
            fraction: 0,
            digits: 0,
        }
    }
}

/// A parsed timestamp layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    pieces: Vec<Piece>,
}

/// The directives a layout may use, for messages.
pub const DIRECTIVES: &str =
    "`%Y` `%m` `%d` `%H` `%M` `%S` (seconds, maybe with a fraction), `%s` (seconds since 1970) and `%%`";

impl Layout {
    /// Parses `text`, or says which directive is unknown.
    pub fn parse(text: &str) -> Result<Layout, String> {
        let mut pieces = Vec::new();
        let mut chars = text.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                pieces.push(Piece::Literal(c));
                continue;
            }
            pieces.push(match chars.next() {
                Some('Y') => Piece::Year,
                Some('m') => Piece::Month,
                Some('d') => Piece::Day,
                Some('H') => Piece::Hour,
                Some('M') => Piece::Minute,
                Some('S') => Piece::Second,
                Some('s') => Piece::Epoch,
                Some('%') => Piece::Literal('%'),
                Some(other) => return Err(format!("`%{other}` is not a directive sls reads")),
                None => return Err("the layout ends with a lone `%`".to_string()),
            });
        }
        if !pieces.iter().any(|p| !matches!(p, Piece::Literal(_))) {
            return Err("the layout has no directive".to_string());
        }
        Ok(Layout { pieces })
    }

    /// The date of `cell`, or `None` if it does not follow the layout.
    pub fn read(&self, cell: &[u8]) -> Option<Instant> {
        let mut at = 0;
        let (mut year, mut month, mut day) = (1970i64, 1i64, 1i64);
        let (mut hour, mut minute) = (0i64, 0i64);
        let (mut second, mut epoch) = (Instant::whole(0), Instant::whole(0));
        for piece in &self.pieces {
            match piece {
                Piece::Literal(c) => {
                    let mut buffer = [0u8; 4];
                    let bytes = c.encode_utf8(&mut buffer).as_bytes();
                    if !cell[at..].starts_with(bytes) {
                        return None;
                    }
                    at += bytes.len();
                }
                Piece::Year => year = digits(cell, &mut at, 4, 4)?,
                Piece::Month => month = digits(cell, &mut at, 1, 2).filter(|m| (1..=12).contains(m))?,
                Piece::Day => day = digits(cell, &mut at, 1, 2).filter(|d| (1..=31).contains(d))?,
                Piece::Hour => hour = digits(cell, &mut at, 1, 2).filter(|h| *h < 24)?,
                Piece::Minute => minute = digits(cell, &mut at, 1, 2).filter(|m| *m < 60)?,
                Piece::Second => second = decimal(cell, &mut at, 2).filter(|s| s.whole < 61)?,
                Piece::Epoch => epoch = decimal(cell, &mut at, 18)?,
            }
        }
        if at != cell.len() {
            return None;
        }
        let days = days_from_civil(year, month, day);
        Some(
            Instant::whole(days * 86_400 + hour * 3_600 + minute * 60)
                .plus(epoch)
                .plus(second),
        )
    }
}

/// A whole number of `min..=max` digits at `at`.
fn digits(cell: &[u8], at: &mut usize, min: usize, max: usize) -> Option<i64> {
    let run = cell[*at..].iter().take(max).take_while(|b| b.is_ascii_digit()).count();
    if run < min {
        return None;
    }
    let value = std::str::from_utf8(&cell[*at..*at + run]).ok()?.parse().ok()?;
    *at += run;
    Some(value)
}

/// A number of at most `max` whole digits, maybe with a fraction (of
/// which the first [`MAX_DIGITS`] count).
fn decimal(cell: &[u8], at: &mut usize, max: usize) -> Option<Instant> {
    let whole = digits(cell, at, 1, max)?;
    let mut date = Instant::whole(whole);
    if cell.get(*at) == Some(&b'.') {
        *at += 1;
        let run = cell[*at..].iter().take_while(|b| b.is_ascii_digit()).count();
        for &digit in &cell[*at..*at + run.min(MAX_DIGITS as usize)] {
            date.fraction = date.fraction * 10 + u64::from(digit - b'0');
            date.digits += 1;
        }
        *at += run;
    }
    Some(date)
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar
/// (Howard Hinnant's `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Seconds since 1970 of `cell`.
    fn seconds(layout: &Layout, cell: &[u8]) -> Option<f64> {
        layout.read(cell).map(|date| date.since(&Instant::whole(0)))
    }

    #[test]
    fn reads_dates_and_fractions() {
        let layout = Layout::parse("%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(seconds(&layout, b"1970-01-01 00:00:00"), Some(0.0));
        assert_eq!(seconds(&layout, b"2000-03-01 00:00:01.5"), Some(951_868_801.5));
        assert_eq!(seconds(&layout, b"2023-12-31 23:59:59"), Some(1_704_067_199.0));
        assert_eq!(layout.read(b"2023-13-01 00:00:00"), None);
        assert_eq!(layout.read(b"2023-01-01T00:00:00"), None);
        assert_eq!(layout.read(b"2023-01-01 00:00:00 "), None);
        let epoch = Layout::parse("%s").unwrap();
        assert_eq!(seconds(&epoch, b"12.25"), Some(12.25));
    }

    /// The seconds between two dates are the double their difference
    /// written out reads as: a trace in Unix time replays as the same
    /// trace dated from its first row does.
    #[test]
    fn the_time_between_dates_is_their_exact_difference_rounded_once() {
        let epoch = Layout::parse("%s").unwrap();
        let origin = epoch.read(b"1700000000").unwrap();
        for (cell, written) in [
            ("1700000000.7", "0.7"),
            ("1700000001.9", "1.9"),
            ("1700000000.000000001", "0.000000001"),
            ("1700000000.1234567899", "0.123456789"),
            ("1700086400.25", "86400.25"),
            ("1701209600.333", "1209600.333"),
        ] {
            let read = epoch.read(cell.as_bytes()).unwrap().since(&origin);
            assert_eq!(read, written.parse::<f64>().unwrap(), "{cell}");
        }
        let origin = epoch.read(b"1700000000.9").unwrap();
        assert_eq!(epoch.read(b"1700000001.25").unwrap().since(&origin), 0.35);
        let layout = Layout::parse("%Y-%m-%d %H:%M:%S").unwrap();
        let origin = layout.read(b"2023-11-14 22:13:20.1").unwrap();
        assert_eq!(layout.read(b"2023-11-14 22:13:21.3").unwrap().since(&origin), 1.2);
        // Seconds given twice add up, their fractions carrying.
        let both = Layout::parse("%s+%S").unwrap();
        assert_eq!(seconds(&both, b"10.75+01.5"), Some(12.25));
    }

    #[test]
    fn unknown_directives_are_refused() {
        assert!(Layout::parse("%Y-%q").is_err());
        assert!(Layout::parse("%").is_err());
        assert!(Layout::parse("date").is_err());
        assert_eq!(seconds(&Layout::parse("100%%%s").unwrap(), b"100%7"), Some(7.0));
    }
}

//! Timestamps in a `strftime`-like layout (`%Y-%m-%d %H:%M:%S`), read as
//! seconds since 1970-01-01 UTC: what a mapped trace's `time` column holds
//! when it is no plain number. The checker validates layouts with
//! [`Layout::parse`] before a run reads any cell.

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

    /// Seconds since 1970-01-01 UTC of `cell`, or `None` if it does not
    /// follow the layout.
    pub fn read(&self, cell: &[u8]) -> Option<f64> {
        let mut at = 0;
        let (mut year, mut month, mut day) = (1970i64, 1i64, 1i64);
        let (mut hour, mut minute, mut second, mut epoch) = (0i64, 0i64, 0.0f64, 0.0f64);
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
                Piece::Second => second = decimal(cell, &mut at, 2).filter(|s| *s < 61.0)?,
                Piece::Epoch => epoch = decimal(cell, &mut at, 18)?,
            }
        }
        if at != cell.len() {
            return None;
        }
        let days = days_from_civil(year, month, day);
        Some(epoch + (days * 86_400 + hour * 3_600 + minute * 60) as f64 + second)
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

/// A number of at most `max` whole digits, maybe with a fraction.
fn decimal(cell: &[u8], at: &mut usize, max: usize) -> Option<f64> {
    let start = *at;
    digits(cell, at, 1, max)?;
    if cell.get(*at) == Some(&b'.') {
        *at += 1;
        *at += cell[*at..].iter().take_while(|b| b.is_ascii_digit()).count();
    }
    std::str::from_utf8(&cell[start..*at]).ok()?.parse().ok()
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

    #[test]
    fn reads_dates_and_fractions() {
        let layout = Layout::parse("%Y-%m-%d %H:%M:%S").unwrap();
        assert_eq!(layout.read(b"1970-01-01 00:00:00"), Some(0.0));
        assert_eq!(layout.read(b"2000-03-01 00:00:01.5"), Some(951_868_801.5));
        assert_eq!(layout.read(b"2023-12-31 23:59:59"), Some(1_704_067_199.0));
        assert_eq!(layout.read(b"2023-13-01 00:00:00"), None);
        assert_eq!(layout.read(b"2023-01-01T00:00:00"), None);
        assert_eq!(layout.read(b"2023-01-01 00:00:00 "), None);
        let epoch = Layout::parse("%s").unwrap();
        assert_eq!(epoch.read(b"12.25"), Some(12.25));
    }

    #[test]
    fn unknown_directives_are_refused() {
        assert!(Layout::parse("%Y-%q").is_err());
        assert!(Layout::parse("%").is_err());
        assert!(Layout::parse("date").is_err());
        assert_eq!(Layout::parse("100%%%s").unwrap().read(b"100%7"), Some(7.0));
    }
}

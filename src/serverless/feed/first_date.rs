//! What a replay's first date says before the run goes on: a replay with
//! no arrival at all is a warning (it would run as a quiet trace does), and
//! one whose first arrival comes years after its start is an error (its
//! dates are Unix time read as seconds since the start: the run would idle
//! for decades, and every date would lose its sub-microsecond digits).

use crate::diagnostic::text::tidy;
use crate::ir::mapping::TimeUnit;
use crate::ir::workload::{Replay, TraceFormat};
use crate::workload::trace::SkippedRows;

/// A first date later than this is taken for Unix time: a year, where
/// published traces span weeks and Unix time has been above 1.5e9 s since 2017.
pub const EPOCH_LIKE: f64 = 365.0 * 86_400.0;

/// The run's warning if `replay` gives no arrival at all: why it has none,
/// as far as its opening knows.
pub fn nothing_replayed(replay: &Replay, skipped: &SkippedRows) -> String {
    let why = if skipped.total() > 0 {
        "every row of it was bad and skipped".to_string()
    } else if let TraceFormat::Azure2019(azure) = &replay.format {
        let rate = if azure.target_rate.is_some() {
            ", or its `rate` rescaled them all away"
        } else {
            ""
        };
        format!("the selected applications have no invocation in the replayed days and minutes{rate}")
    } else {
        "the file holds no invocation".to_string()
    };
    format!("trace `{}`: nothing replayed: {why}", replay.path.display())
}

/// The message and help for `replay` when its first arrival, at `first`
/// seconds, lies beyond [`EPOCH_LIKE`], with what to write for its format.
pub fn epoch_dates(replay: &Replay, first: f64) -> Option<(String, String)> {
    if first <= EPOCH_LIKE {
        return None;
    }
    let path = replay.path.display();
    let message = format!(
        "the first invocation of trace `{path}` comes {first:.0} s ({:.1} years) after the replay's start: its dates look like Unix time",
        first / (365.25 * 86_400.0)
    );
    let unix = |column: &str| {
        format!(
            "a format reading it as Unix time (`time column(\"{column}\", timestamp(\"%s\"))`) counts its dates from the first row"
        )
    };
    let help = match &replay.format {
        TraceFormat::Csv => format!(
            "a plain CSV's dates are seconds since the trace's start: subtract the first row's date from every row's, or replay the file through a format; {}",
            unix("time")
        ),
        TraceFormat::Mapped(mapping) => match &mapping.time.unit {
            TimeUnit::Seconds(unit) if *unit == 1.0 => format!(
                "format `{}` reads `{}` as seconds since the replay's start; {}",
                mapping.name,
                mapping.time.column,
                unix(&mapping.time.column)
            ),
            TimeUnit::Seconds(_) => format!(
                "format `{}` reads `{}` as a count of its unit since the replay's start; {}, once the column is in seconds (`%s` takes a fraction: `1700000000.250`)",
                mapping.name,
                mapping.time.column,
                unix(&mapping.time.column)
            ),
            // Counted from the first row already.
            TimeUnit::Timestamp(_) => "make the dates count from the trace's start".to_string(),
        },
        // Azure 2021 dates count from the first arrival, Azure 2019's from
        // the day's first minute.
        TraceFormat::Azure2021 | TraceFormat::Azure2019(_) => "make the dates count from the trace's start".to_string(),
    };
    Some((tidy(message), tidy(help)))
}

//! A trace format declared by mapping (`format NAME { ... }`, or a `csv`
//! replay's own block): which column of a CSV file holds what, in which
//! unit, and what stands in for what the trace does not give.

use serde::Serialize;

use super::Distribution;
use super::workload::MinuteSpread;

/// How the rows of a CSV trace become invocations.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Mapping {
    /// The format's name (`csv` for a replay's own mapping), for messages.
    pub name: String,
    /// The column of each row's date.
    pub time: TimeColumn,
    /// Where a row's function comes from.
    pub function: FunctionColumns,
    /// The column naming each row's application.
    pub app: Option<String>,
    /// What `trace.duration` is, in seconds.
    pub duration: Option<Field>,
    /// What `trace.memory` is, in bytes.
    pub memory: Option<Field>,
    /// Bytes sent with each request, instead of its service's
    /// `request_payload`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_payload: Option<Field>,
    /// Bytes sent back with each answer, instead of its service's
    /// `response_payload`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response_payload: Option<Field>,
}

/// A date column and how its cells read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimeColumn {
    pub column: String,
    pub unit: TimeUnit,
}

/// How a date cell reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum TimeUnit {
    /// A number times this many seconds.
    Seconds(f64),
    /// A timestamp in this `strftime` layout; dates count from the first row's.
    Timestamp(String),
}

/// Where a row's function comes from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum FunctionColumns {
    /// One row per invocation, its function named in this column.
    Column(String),
    /// One row per period: every column but the date's and the ignored ones
    /// is a function (named by its header), each cell the number of its
    /// invocations in the period.
    Header {
        period: f64,
        spread: MinuteSpread,
        ignore: Vec<String>,
    },
}

/// A per-invocation value: read from a column, or the same for every row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Field {
    /// The cell's number times `scale` (SI units).
    Column { column: String, scale: f64 },
    /// Drawn for each invocation (a constant for a plain value).
    Drawn(Distribution),
}

impl Mapping {
    /// Every column the mapping reads, with the property that names it.
    pub fn columns(&self) -> Vec<(&'static str, &str)> {
        let mut columns = vec![("time", self.time.column.as_str())];
        match &self.function {
            FunctionColumns::Column(c) => columns.push(("function", c)),
            FunctionColumns::Header { ignore, .. } => columns.extend(ignore.iter().map(|c| ("ignore", c.as_str()))),
        }
        columns.extend(self.app.iter().map(|c| ("app", c.as_str())));
        let fields = [
            ("duration", &self.duration),
            ("memory", &self.memory),
            ("request_payload", &self.request_payload),
            ("response_payload", &self.response_payload),
        ];
        for (name, field) in fields {
            if let Some(Field::Column { column, .. }) = field {
                columns.push((name, column));
            }
        }
        columns
    }
}

//! A mapping resolved against a trace's header: the index of every column
//! it reads, so that a row is read by position. A column the header lacks
//! is a diagnostic on the header line (the checker reports it first, on the
//! script, when it can read the file).

use crate::diagnostic::did_you_mean;
use crate::ir::Distribution;
use crate::ir::mapping::{Field, FunctionColumns, Mapping, TimeUnit};
use crate::ir::workload::MinuteSpread;

use super::super::error::TraceError;
use super::super::header::Header;
use super::super::lines::cell_text;
use super::timestamp::Layout;

/// How a date cell reads.
#[derive(Debug, Clone)]
pub(super) enum Time {
    Seconds(f64),
    Timestamp(Layout),
}

/// Where a row's function comes from.
#[derive(Debug, Clone)]
pub(super) enum Functions {
    Column(usize),
    /// Every function column: its index and its name.
    Header {
        columns: Vec<(usize, String)>,
        period: f64,
        spread: MinuteSpread,
    },
}

/// A per-invocation value.
#[derive(Debug, Clone)]
pub(super) enum Value {
    Column { index: usize, scale: f64, name: String },
    Drawn(Distribution),
}

/// The per-invocation values a mapping may give, in its fields' order:
/// each one's stream key (`"<replay>/duration"`) and how a cell of it is
/// named in messages.
pub(super) const FIELDS: [(&str, &str); 4] = [
    ("duration", "duration"),
    ("memory", "memory"),
    ("request_payload", "payload size"),
    ("response_payload", "payload size"),
];

/// A mapping with column indices.
#[derive(Debug, Clone)]
pub(super) struct Plan {
    pub time: (usize, Time),
    pub time_name: String,
    pub functions: Functions,
    pub app: Option<usize>,
    /// Each per-invocation value, in the order of [`FIELDS`].
    pub fields: [Option<Value>; 4],
    /// The highest index read: a row with fewer cells lacks one.
    pub widest: usize,
}

impl Plan {
    /// Resolves `mapping` against the header of a trace.
    pub(super) fn new(mapping: &Mapping, header: &Header) -> Result<Plan, TraceError> {
        let cells: Vec<(usize, &[u8])> = header.cells().map(|(at, c)| (at, c.trim_ascii())).collect();
        let names: Vec<String> = cells.iter().map(|(_, c)| cell_text(c).into_owned()).collect();
        let find = |column: &str| -> Result<usize, TraceError> {
            names.iter().position(|n| n == column).ok_or_else(|| {
                let end = header.line.len();
                let help = match did_you_mean(column, names.iter().map(String::as_str)) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!(
                        "the columns are {}",
                        crate::syntax::words::list_names(names.iter().map(String::as_str))
                    ),
                };
                header.bad_with_help(0, end, format!("no column `{column}`"), help)
            })
        };
        let time_index = find(&mapping.time.column)?;
        let time = match &mapping.time.unit {
            TimeUnit::Seconds(scale) => Time::Seconds(*scale),
            TimeUnit::Timestamp(layout) => Time::Timestamp(
                Layout::parse(layout)
                    .map_err(|why| header.bad_with_help(0, 0, why, super::timestamp::DIRECTIVES.into()))?,
            ),
        };
        let functions = match &mapping.function {
            FunctionColumns::Column(c) => Functions::Column(find(c)?),
            FunctionColumns::Header { period, spread, ignore } => {
                let mut skipped = vec![time_index];
                for column in ignore {
                    skipped.push(find(column)?);
                }
                let columns: Vec<(usize, String)> = names
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !skipped.contains(i))
                    .map(|(i, n)| (i, n.clone()))
                    .collect();
                if columns.is_empty() {
                    let end = header.line.len();
                    return Err(header.bad_with_help(
                        0,
                        end,
                        "no function column".into(),
                        "with `function header`, every column but the date's and the ignored ones is a function".into(),
                    ));
                }
                Functions::Header {
                    columns,
                    period: *period,
                    spread: *spread,
                }
            }
        };
        let app = mapping.app.as_deref().map(find).transpose()?;
        let value = |field: &Option<Field>| -> Result<Option<Value>, TraceError> {
            Ok(match field {
                None => None,
                Some(Field::Drawn(d)) => Some(Value::Drawn(d.clone())),
                Some(Field::Column { column, scale }) => Some(Value::Column {
                    index: find(column)?,
                    scale: *scale,
                    name: column.clone(),
                }),
            })
        };
        let fields = [
            value(&mapping.duration)?,
            value(&mapping.memory)?,
            value(&mapping.request_payload)?,
            value(&mapping.response_payload)?,
        ];
        let mut widest = time_index;
        if let Functions::Column(i) = functions {
            widest = widest.max(i);
        }
        for v in fields.iter().flatten() {
            if let Value::Column { index, .. } = v {
                widest = widest.max(*index);
            }
        }
        widest = widest.max(app.unwrap_or(0));
        if let Functions::Header { columns, .. } = &functions {
            widest = widest.max(columns.iter().map(|(i, _)| *i).max().unwrap_or(0));
        }
        Ok(Plan {
            time: (time_index, time),
            time_name: mapping.time.column.clone(),
            functions,
            app,
            fields,
            widest,
        })
    }
}

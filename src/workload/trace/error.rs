//! Diagnostics for bad traces: one stable code per kind, a label on the bad
//! cell of the offending line, and help that says what to write instead.

use crate::code::Code;
use std::borrow::Cow;

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::diagnostic::excerpt::Excerpt;
use crate::diagnostic::text::{quote, quote_path, tidy};

/// Kinds of bad row: in lenient mode such rows are skipped and counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RowFault {
    /// The row has fewer cells than the header.
    MissingColumn,
    /// A cell that must hold a number does not.
    NotANumber,
    /// A cell that must be zero or more is negative.
    NegativeValue,
    /// A number beyond the 1e18 (seconds, bytes) any amount of a script
    /// may be: a duration of 1e308 s made a run's makespan infinite.
    TooLarge,
    /// The row's time is earlier than the previous row's.
    OutOfOrder,
    /// A trace counts more arrivals at once (a `function header` row, an
    /// Azure 2019 function's minute) than [`super::MAX_ARRIVALS_AT_ONCE`].
    TooManyArrivals,
}

impl RowFault {
    /// Every kind, in the order of [`SkippedRows::iter`].
    pub const ALL: [RowFault; 6] = [
        RowFault::MissingColumn,
        RowFault::NotANumber,
        RowFault::NegativeValue,
        RowFault::TooLarge,
        RowFault::OutOfOrder,
        RowFault::TooManyArrivals,
    ];

    /// The diagnostic code of this kind, such as `sls::trace::not_a_number`.
    pub fn code(self) -> Code {
        match self {
            RowFault::MissingColumn => Code::TraceMissingColumn,
            RowFault::NotANumber => Code::TraceNotANumber,
            RowFault::NegativeValue => Code::TraceNegativeValue,
            RowFault::TooLarge => Code::TraceTooLarge,
            RowFault::OutOfOrder => Code::TraceOutOfOrder,
            RowFault::TooManyArrivals => Code::TraceTooManyArrivals,
        }
    }
}

/// Bad rows skipped in lenient mode, counted per kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SkippedRows {
    counts: [u64; RowFault::ALL.len()],
}

impl SkippedRows {
    /// Rows skipped for `fault`.
    pub fn get(&self, fault: RowFault) -> u64 {
        self.counts[fault as usize]
    }

    /// Rows skipped for any reason.
    pub fn total(&self) -> u64 {
        self.counts.iter().sum()
    }

    /// `(kind, rows skipped)` for every kind, zero counts included.
    pub fn iter(&self) -> impl Iterator<Item = (RowFault, u64)> + '_ {
        RowFault::ALL.iter().map(|&f| (f, self.get(f)))
    }

    pub(crate) fn add(&mut self, fault: RowFault) {
        self.counts[fault as usize] += 1;
    }
}

/// What is wrong with one cell of a row, found while parsing, turned into a
/// [`TraceError`] only when reported (so re-reading a bad row costs nothing).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct BadCell {
    pub fault: RowFault,
    /// Byte range of the cell in the line (empty at the end of the line for a missing cell).
    pub start: usize,
    pub end: usize,
    pub column: Cow<'static, str>,
    pub help: Cow<'static, str>,
}

/// A problem with a trace: a boxed [`TraceErrorKind`], so that results
/// carrying it stay small on the hot path.
#[derive(Debug, Error, Diagnostic)]
#[error(transparent)]
#[diagnostic(transparent)]
pub struct TraceError(Box<TraceErrorKind>);

impl From<TraceErrorKind> for TraceError {
    fn from(kind: TraceErrorKind) -> Self {
        TraceError(Box::new(kind))
    }
}

/// Everything that can be wrong with a trace.
#[derive(Debug, Error, Diagnostic)]
pub enum TraceErrorKind {
    /// A trace file (or an Azure 2019 day file) does not exist.
    #[error("cannot find trace file `{path}`")]
    #[diagnostic(code(sls::trace::missing_file), help("{help}"))]
    MissingFile { path: String, help: String },

    /// A trace file exists but reading it failed.
    #[error("cannot read trace file `{path}`: {source}")]
    #[diagnostic(code(sls::trace::io), help("check that the file is readable"))]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },

    /// A trace file is compressed: its first bytes are a compressor's.
    #[error("`{path}` is compressed ({format}): traces are read as plain text")]
    #[diagnostic(
        code(sls::trace::compressed),
        help("decompress it first, in its folder (`{command}`), and replay the file it gives")
    )]
    Compressed {
        path: String,
        format: &'static str,
        command: String,
    },

    /// The first line does not name the format's columns.
    #[error("`{file}` does not have the expected header")]
    #[diagnostic(code(sls::trace::bad_header), help("{help}"))]
    BadHeader {
        file: String,
        #[source_code]
        src: Excerpt,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        help: String,
    },

    /// A row has fewer cells than the format needs, or an empty name.
    #[error("this row has no `{column}` cell")]
    #[diagnostic(code(sls::trace::missing_column), help("{help}"))]
    MissingColumn {
        column: String,
        #[source_code]
        src: Excerpt,
        #[label("`{column}` expected here")]
        span: SourceSpan,
        help: String,
    },

    /// A cell that must hold a number does not.
    #[error("`{column}` is not a number")]
    #[diagnostic(code(sls::trace::not_a_number), help("{help}"))]
    NotANumber {
        column: String,
        #[source_code]
        src: Excerpt,
        #[label("not a number")]
        span: SourceSpan,
        help: String,
    },

    /// A cell that must be zero or more is negative.
    #[error("`{column}` is negative")]
    #[diagnostic(code(sls::trace::negative_value), help("{help}"))]
    NegativeValue {
        column: String,
        #[source_code]
        src: Excerpt,
        #[label("negative")]
        span: SourceSpan,
        help: String,
    },

    #[error("`{column}` is larger than any amount may be")]
    #[diagnostic(
        code(sls::trace::too_large),
        help(
            "amounts are at most 1e18 (seconds, bytes), as in a script; fix the cell, or run with `--lenient` to skip bad rows"
        )
    )]
    TooLarge {
        column: String,
        #[source_code]
        src: Excerpt,
        #[label("more than 1e18")]
        span: SourceSpan,
    },

    /// A plain CSV row is earlier than the row before it.
    #[error("this row is earlier than the one before it")]
    #[diagnostic(code(sls::trace::out_of_order), help("{help}"))]
    OutOfOrder {
        #[source_code]
        src: Excerpt,
        #[label("out of order")]
        span: SourceSpan,
        help: String,
    },

    /// A trace counts more arrivals at once than a reader places and
    /// sorts together.
    #[error("this row counts more invocations at once than a trace may")]
    #[diagnostic(code(sls::trace::too_many_arrivals), help("{help}"))]
    TooManyArrivals {
        #[source_code]
        src: Excerpt,
        #[label("the count that passes the bound")]
        span: SourceSpan,
        help: String,
    },

    /// A file no longer matches what its scan found.
    #[error("`{path}` changed while it was being replayed")]
    #[diagnostic(
        code(sls::trace::changed),
        help("do not write to a trace file during a run; copy it first")
    )]
    Changed { path: String },

    /// An Azure 2019 replay names applications the trace does not have.
    #[error("the trace has no application named {names}")]
    #[diagnostic(
        code(sls::trace::unknown_app),
        help("name applications by their `HashApp` value, as written in `{file}`")
    )]
    UnknownApp {
        /// The unknown names, quoted and comma-separated.
        names: String,
        file: String,
    },

    /// Replayed functions the percentile files give no curve their
    /// template needs (Azure 2019: `trace.duration`, `trace.memory`).
    #[error("{message}")]
    #[diagnostic(code(sls::trace::no_percentiles), help("{help}"))]
    NoPercentiles { message: String, help: String },

    /// Replay options the reader cannot honour.
    #[error("{message}")]
    #[diagnostic(code(sls::trace::bad_option), help("{help}"))]
    BadOption { message: String, help: String },

    /// Several bad rows, shown together (the first few) as related diagnostics.
    #[error("the trace has {count} bad rows")]
    #[diagnostic(
        code(sls::trace::bad_rows),
        help("fix the rows shown below (the first {shown} of them), or replay in lenient mode to skip bad rows")
    )]
    BadRows {
        count: u64,
        shown: usize,
        #[related]
        errors: Vec<TraceError>,
    },
}

impl TraceError {
    /// What went wrong.
    pub fn kind(&self) -> &TraceErrorKind {
        &self.0
    }

    /// The error for a file that cannot be opened.
    pub(crate) fn open(path: &str, source: std::io::Error, help: &str) -> Self {
        if source.kind() == std::io::ErrorKind::NotFound {
            TraceErrorKind::MissingFile {
                path: quote_path(path),
                help: tidy(help.to_owned()),
            }
            .into()
        } else {
            TraceError::io(path, source)
        }
    }

    /// The error for a file that cannot be read.
    pub(crate) fn io(path: &str, source: std::io::Error) -> Self {
        TraceErrorKind::Io {
            path: quote_path(path),
            source,
        }
        .into()
    }

    /// The error for a file that changed between the scan and the replay.
    pub(crate) fn changed(path: &str) -> Self {
        TraceErrorKind::Changed { path: quote_path(path) }.into()
    }

    /// The error for replay options the reader cannot honour.
    pub(crate) fn bad_option(message: String, help: impl Into<String>) -> Self {
        TraceErrorKind::BadOption {
            message: tidy(message),
            help: tidy(help.into()),
        }
        .into()
    }

    /// The error for replayed functions without a curve their template
    /// needs.
    pub(crate) fn no_percentiles(message: String, help: &str) -> Self {
        TraceErrorKind::NoPercentiles {
            message: tidy(message),
            help: tidy(help.to_string()),
        }
        .into()
    }

    /// The error for a trace with more functions than ids.
    pub(crate) fn too_many_functions(file: &str) -> Self {
        TraceError::bad_option(
            format!("`{}` names more than 2^32 functions", quote_path(file)),
            "split the trace into smaller files",
        )
    }

    /// The error for application names the trace does not have: each shown
    /// escaped and shortened, the first few of them.
    pub(crate) fn unknown_apps(names: &[&str], file: &str) -> Self {
        TraceErrorKind::UnknownApp {
            names: crate::syntax::words::list_names(
                names
                    .iter()
                    .map(|n| quote(n))
                    .collect::<Vec<_>>()
                    .iter()
                    .map(String::as_str),
            ),
            file: quote_path(file),
        }
        .into()
    }

    /// The diagnostic of a bad cell of line `line_number` (1-based) of `file`.
    pub(crate) fn row(file: &str, line: &[u8], line_number: usize, bad: BadCell) -> Self {
        let src = Excerpt::new(file, line, line_number, bad.start);
        let span = src.span(bad.start, bad.end);
        let (column, help) = (quote(&bad.column), tidy(bad.help.into_owned()));
        let kind = match bad.fault {
            RowFault::MissingColumn => TraceErrorKind::MissingColumn {
                column,
                src,
                span,
                help,
            },
            RowFault::NotANumber => TraceErrorKind::NotANumber {
                column,
                src,
                span,
                help,
            },
            RowFault::NegativeValue => TraceErrorKind::NegativeValue {
                column,
                src,
                span,
                help,
            },
            RowFault::TooLarge => TraceErrorKind::TooLarge { column, src, span },
            RowFault::OutOfOrder => TraceErrorKind::OutOfOrder { src, span, help },
            RowFault::TooManyArrivals => TraceErrorKind::TooManyArrivals { src, span, help },
        };
        kind.into()
    }

    /// The diagnostic of a header whose cell `start..end` is wrong.
    pub(crate) fn header(file: &str, line: &[u8], start: usize, end: usize, label: String, help: String) -> Self {
        let src = Excerpt::new(file, line, 1, start);
        let span = src.span(start, end);
        TraceErrorKind::BadHeader {
            file: quote_path(file),
            src,
            span,
            label: tidy(label),
            help: tidy(help),
        }
        .into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_codes_match_the_diagnostics() {
        for fault in RowFault::ALL {
            let bad = BadCell {
                fault,
                start: 0,
                end: 1,
                column: "time".into(),
                help: "h".into(),
            };
            let error = TraceError::row("t.csv", b"x,y", 3, bad);
            assert_eq!(error.code().unwrap().to_string(), fault.code().as_str());
        }
    }

    #[test]
    fn skipped_rows_count_per_kind() {
        let mut skipped = SkippedRows::default();
        skipped.add(RowFault::OutOfOrder);
        skipped.add(RowFault::OutOfOrder);
        skipped.add(RowFault::NotANumber);
        assert_eq!(skipped.get(RowFault::OutOfOrder), 2);
        assert_eq!(skipped.total(), 3);
        assert_eq!(skipped.iter().count(), RowFault::ALL.len());
    }
}

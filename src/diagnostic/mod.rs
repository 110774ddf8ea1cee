//! Diagnostics: what `sls` tells a user about a mistake, or warns of in a
//! script that is allowed but likely not meant. Plain data (code, severity,
//! message, labelled spans, help) made by the front end and by run-time input
//! readers; rendered with miette against the [`Sources`] they point into.
//! What a report shows is bounded whatever the input: at most
//! [`MAX_DIAGNOSTICS`] of them (the rest counted), user text in messages
//! escaped and shortened ([`text`]), and a long or strange source line shown
//! as a cropped, escaped [`excerpt`].

pub mod excerpt;
pub mod text;

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};
use serde::Serialize;

use crate::code::Code;
use crate::syntax::source::{Sources, Span};

use excerpt::{Excerpt, needs_excerpt};
use text::{escape, tidy};

/// How many diagnostics one check keeps and shows; the others are counted
/// and the count is shown instead. The first mistakes are the ones to fix,
/// and a bound keeps a broken megabyte from printing a million reports.
pub const MAX_DIAGNOSTICS: usize = 50;

/// A label spanning more lines than this is shown on its first line only.
const MAX_LABEL_LINES: usize = 12;

/// A span with the text shown under it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

/// Whether a diagnostic stops the script (an error) or only tells of
/// something allowed that the user likely did not mean (a warning).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    #[default]
    Error,
    Warning,
}

/// One mistake found in the user's input, or one warning about it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Stable identifier, e.g. `sls::unknown_host`; documented in the
    /// table of [`Code`]s and never reused.
    pub code: Code,
    pub severity: Severity,
    /// Lower-case sentence saying what is wrong.
    pub message: String,
    /// The exact place of the mistake.
    pub primary: Label,
    /// Other places that explain it (same file as the primary label).
    pub secondary: Vec<Label>,
    /// What to write instead.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, message: impl Into<String>, span: Span, label: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: tidy(message.into()),
            primary: Label {
                span,
                text: tidy(label.into()),
            },
            secondary: Vec::new(),
            help: None,
        }
    }

    /// A warning: the script still runs, and the run's summary keeps
    /// [`Diagnostic::in_words`].
    pub fn warning(code: Code, message: impl Into<String>, span: Span, label: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::new(code, message, span, label)
        }
    }

    /// The message and its help as one line, for where no source is shown
    /// (a run's `summary.json`).
    pub fn in_words(&self) -> String {
        match &self.help {
            Some(help) => format!("{}: {help}", self.message),
            None => self.message.clone(),
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(tidy(help.into()));
        self
    }

    /// Adds an explaining label; one in another file than the primary label
    /// is folded into the help text, since a miette report shows one file.
    pub fn with_label(mut self, span: Span, text: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            text: tidy(text.into()),
        });
        self
    }

    /// Binds the diagnostic to its sources for rendering: the whole file
    /// when every line shown is short and plain, else one cropped line.
    pub fn bind<'a>(&'a self, sources: &'a Sources) -> Bound<'a> {
        let primary = self.primary.span;
        let file = sources.get(primary.file);
        let here = |l: &&Label| l.span.file == primary.file;
        let labels = std::iter::once(&self.primary).chain(self.secondary.iter().filter(here));
        let plain = labels.clone().all(|l| plain_lines(&file.text, l.span));
        let mut notes = Vec::new();
        let mut shown = Vec::new();
        let source = if plain {
            shown.extend(labels.map(|l| (source_span(l.span), l.text.clone())));
            Source::Whole(NamedSource::new(escape(&file.name), file.text.clone()))
        } else {
            let (start, end) = line_around(&file.text, primary.start as usize);
            let (line, _) = sources.line_col(primary.file, primary.start);
            let excerpt = Excerpt::new(
                &file.name,
                &file.text.as_bytes()[start..end],
                line,
                primary.start as usize - start,
            );
            for label in labels {
                let (from, to) = (label.span.start as usize, label.span.end as usize);
                if (start..=end).contains(&from)
                    && (label == &self.primary || excerpt.shows(from - start, to.min(end) - start))
                {
                    shown.push((excerpt.span(from - start, to.min(end) - start), label.text.clone()));
                } else {
                    notes.push(sources.note(label));
                }
            }
            Source::Line(excerpt)
        };
        notes.extend(
            self.secondary
                .iter()
                .filter(|l| l.span.file != primary.file)
                .map(|l| sources.note(l)),
        );
        Bound {
            diagnostic: self,
            source,
            shown,
            notes,
        }
    }
}

/// Whether the lines a label covers, and one line on either side, can be
/// printed as they are: few, short, and without control characters.
fn plain_lines(text: &str, span: Span) -> bool {
    let (start, end) = (span.start as usize, (span.end as usize).min(text.len()));
    let (first, _) = line_around(text, start);
    let (_, last) = line_around(text, end);
    let from = first.saturating_sub(1);
    let from = line_around(text, from).0;
    let to = if last < text.len() {
        line_around(text, last + 1).1
    } else {
        last
    };
    let lines = &text[from..to];
    memchr::memchr_iter(b'\n', lines.as_bytes())
        .nth(MAX_LABEL_LINES)
        .is_none()
        && !lines.split('\n').any(needs_excerpt)
}

/// The byte range of the line holding `offset`, without its line break.
fn line_around(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let bytes = text.as_bytes();
    let start = memchr::memrchr(b'\n', &bytes[..offset]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &bytes[offset..]).map_or(text.len(), |i| offset + i);
    let end = if end > start && bytes[end - 1] == b'\r' {
        end - 1
    } else {
        end
    };
    (start, end.max(start))
}

impl Sources {
    /// A label not drawn under its line, as a note: `text (file:line:col)`.
    fn note(&self, label: &Label) -> String {
        let (line, col) = self.line_col(label.span.file, label.span.start);
        format!(
            "{} ({}:{line}:{col})",
            label.text,
            escape(&self.get(label.span.file).name)
        )
    }
}

/// A list of diagnostics, kept in the order they were found: the first
/// [`MAX_DIAGNOSTICS`], and how many more were found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Diagnostics(pub Vec<Diagnostic>, usize);

impl From<Vec<Diagnostic>> for Diagnostics {
    fn from(found: Vec<Diagnostic>) -> Self {
        let mut diagnostics = Diagnostics::default();
        for diagnostic in found {
            diagnostics.push(diagnostic);
        }
        diagnostics
    }
}

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        if self.is_full() {
            self.1 += 1;
        } else {
            self.0.push(diagnostic);
        }
    }

    /// Whether further diagnostics are only counted: a checker may then
    /// skip the work of explaining them.
    pub fn is_full(&self) -> bool {
        self.0.len() >= MAX_DIAGNOSTICS
    }

    /// Counts `n` diagnostics found but not kept.
    pub fn suppress(&mut self, n: usize) {
        self.1 += n;
    }

    /// How many diagnostics were found but not kept.
    pub fn suppressed(&self) -> usize {
        self.1
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty() && self.1 == 0
    }

    /// How many diagnostics were found, kept or not.
    pub fn len(&self) -> usize {
        self.0.len() + self.1
    }

    pub fn extend(&mut self, other: Diagnostics) {
        for diagnostic in other.0 {
            self.push(diagnostic);
        }
        self.1 += other.1;
    }

    /// Sorted by file and position, so output does not depend on check order.
    pub fn sorted(mut self) -> Self {
        self.0
            .sort_by_key(|d| (d.primary.span.file, d.primary.span.start, d.primary.span.end));
        self
    }

    /// Renders all diagnostics as a user sees them. `color` picks the
    /// terminal theme; without it the output is plain and fixed-width
    /// (what tests snapshot).
    pub fn render(&self, sources: &Sources, color: bool, width: usize) -> String {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        let handler = GraphicalReportHandler::new_themed(theme).with_width(width);
        let mut out = String::new();
        for diagnostic in &self.0 {
            let bound = diagnostic.bind(sources);
            // Writing into a String cannot fail.
            let _ = handler.render_report(&mut out, &bound);
        }
        if self.1 > 0 {
            let (noun, then) = match self.0.first().map(|d| d.severity) {
                Some(Severity::Warning) => ("warning", "see these first"),
                _ => ("error", "fix these first"),
            };
            out.push_str(&format!(
                "sls: {} more {noun}{} not shown (only the first {MAX_DIAGNOSTICS} are): {then}\n",
                self.1,
                if self.1 == 1 { "" } else { "s" }
            ));
        }
        out
    }
}

/// What a report shows of the file: all of it, or one line.
enum Source {
    Whole(NamedSource<std::sync::Arc<String>>),
    Line(Excerpt),
}

/// A diagnostic bound to the source text it points into.
pub struct Bound<'a> {
    diagnostic: &'a Diagnostic,
    source: Source,
    /// The labels drawn under the source, in its coordinates.
    shown: Vec<(SourceSpan, String)>,
    /// Labels that cannot be drawn (in another file, or on a line not
    /// shown), as notes for the help.
    notes: Vec<String>,
}

impl fmt::Debug for Bound<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.diagnostic.fmt(f)
    }
}

impl fmt::Display for Bound<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Bound<'_> {}

fn source_span(span: Span) -> SourceSpan {
    SourceSpan::new((span.start as usize).into(), span.len())
}

impl miette::Diagnostic for Bound<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diagnostic.code.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let mut help = self.diagnostic.help.clone().unwrap_or_default();
        for note in &self.notes {
            if !help.is_empty() {
                help.push('\n');
            }
            help.push_str(note);
        }
        (!help.is_empty()).then(|| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        match &self.source {
            Source::Whole(source) => Some(source),
            Source::Line(excerpt) => Some(excerpt),
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let labels = self.shown.iter().enumerate().map(|(i, (span, text))| {
            if i == 0 {
                LabeledSpan::new_primary_with_span(Some(text.clone()), *span)
            } else {
                LabeledSpan::new_with_span(Some(text.clone()), *span)
            }
        });
        Some(Box::new(labels))
    }
}

/// The candidate closest to `word`, if one is close enough to be a likely
/// typo (Damerau-Levenshtein distance of at most a third of the length, or a
/// case-only difference).
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let length = word.chars().count();
    // A name this long is no typo of a keyword, and comparing it would cost
    // its length times each candidate's.
    if length > text::MAX_QUOTED {
        return None;
    }
    let limit = (length / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != word && c.len() <= 4 * (length + limit) && c.chars().count().abs_diff(length) <= limit)
        .map(|c| {
            let distance = if c.eq_ignore_ascii_case(word) {
                0
            } else {
                strsim::damerau_levenshtein(word, c)
            };
            (distance, c)
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

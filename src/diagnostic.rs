//! Diagnostics: what `sls` tells a user about a mistake. Plain data (code,
//! message, labelled spans, help) made by the front end and by run-time input
//! readers; rendered with miette against the [`Sources`] they point into.

use std::fmt;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};
use serde::Serialize;

use crate::code::Code;
use crate::syntax::source::{Sources, Span};

/// A span with the text shown under it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

/// One mistake found in the user's input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// Stable identifier, e.g. `sls::unknown_host`; documented in the
    /// table of [`Code`]s and never reused.
    pub code: Code,
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
            message: message.into(),
            primary: Label {
                span,
                text: label.into(),
            },
            secondary: Vec::new(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds an explaining label; one in another file than the primary label
    /// is folded into the help text, since a miette report shows one file.
    pub fn with_label(mut self, span: Span, text: impl Into<String>) -> Self {
        self.secondary.push(Label {
            span,
            text: text.into(),
        });
        self
    }

    /// Binds the diagnostic to its sources for rendering.
    pub fn bind<'a>(&'a self, sources: &'a Sources) -> Bound<'a> {
        let file = sources.get(self.primary.span.file);
        Bound {
            diagnostic: self,
            sources,
            source: NamedSource::new(file.name.clone(), file.text.clone()),
        }
    }
}

/// A list of diagnostics, kept in the order they were found.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
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
        out
    }
}

/// A diagnostic bound to the source text it points into.
pub struct Bound<'a> {
    diagnostic: &'a Diagnostic,
    sources: &'a Sources,
    source: NamedSource<std::sync::Arc<String>>,
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

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let elsewhere: Vec<String> = self
            .diagnostic
            .secondary
            .iter()
            .filter(|l| l.span.file != self.diagnostic.primary.span.file)
            .map(|l| {
                let file = self.sources.get(l.span.file);
                let (line, col) = self.sources.line_col(l.span.file, l.span.start);
                format!("{} ({}:{}:{})", l.text, file.name, line, col)
            })
            .collect();
        let mut help = self.diagnostic.help.clone().unwrap_or_default();
        for note in elsewhere {
            if !help.is_empty() {
                help.push('\n');
            }
            help.push_str(&note);
        }
        (!help.is_empty()).then(|| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary = &self.diagnostic.primary;
        let file = primary.span.file;
        let first = LabeledSpan::new_primary_with_span(Some(primary.text.clone()), source_span(primary.span));
        let rest = self
            .diagnostic
            .secondary
            .iter()
            .filter(move |l| l.span.file == file)
            .map(|l| LabeledSpan::new_with_span(Some(l.text.clone()), source_span(l.span)));
        Some(Box::new(std::iter::once(first).chain(rest)))
    }
}

/// The candidate closest to `word`, if one is close enough to be a likely
/// typo (Damerau-Levenshtein distance of at most a third of the length, or a
/// case-only difference).
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (word.chars().count() / 3).max(1);
    candidates
        .into_iter()
        .filter(|c| *c != word)
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

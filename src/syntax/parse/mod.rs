//! From text to AST: the token pre-pass, the pest parse, the walk over pest
//! pairs (one file per block kind), and the conversion of pest errors into
//! diagnostics that name what was expected in words.

mod blocks;
mod expr;
mod recover;
mod service;
mod workload;

use pest::Parser as _;
use pest::iterators::Pair;

use super::ast::{File, Ident, StrLit};
use super::grammar::{Rule, SlsParser};
use super::source::{FileId, Span};
use crate::diagnostic::{Diagnostic, Diagnostics};

pub use recover::prepass;

/// Parses one file. Returns the AST of everything that could be read and the
/// diagnostics for what could not; a file with three broken lines gets three
/// diagnostics.
pub fn parse_file(file: FileId, text: &str) -> (File, Diagnostics) {
    let mut walker = Walker {
        file,
        text,
        diagnostics: Diagnostics::default(),
    };
    let early = prepass(file, text);
    if !early.is_empty() {
        return (File::default(), early);
    }
    let ast = match SlsParser::parse(Rule::file, text) {
        Ok(mut pairs) => match pairs.next() {
            Some(root) => walker.file(root),
            None => File::default(),
        },
        Err(error) => {
            walker.pest_error(error, 0);
            File::default()
        }
    };
    (ast, walker.diagnostics)
}

/// Parses a command-line parameter override, `name=value`.
pub fn parse_override(file: FileId, text: &str) -> Result<(Ident, crate::syntax::ast::Expr), Diagnostics> {
    let mut walker = Walker {
        file,
        text,
        diagnostics: prepass(file, text),
    };
    if !walker.diagnostics.is_empty() {
        return Err(walker.diagnostics);
    }
    let parsed = match SlsParser::parse(Rule::override_line, text) {
        Ok(mut pairs) => pairs.next().map(|line| {
            let mut inner = line.into_inner();
            let name = inner.next().map(|p| walker.ident(p));
            let value = inner.nth(1).map(|p| walker.expr(p));
            (name, value)
        }),
        Err(error) => {
            walker.pest_error(error, 0);
            None
        }
    };
    match parsed {
        Some((Some(name), Some(value))) if walker.diagnostics.is_empty() => Ok((name, value)),
        _ => Err(walker.diagnostics),
    }
}

/// State of the pair -> AST walk over one file.
pub(crate) struct Walker<'t> {
    pub(crate) file: FileId,
    pub(crate) text: &'t str,
    pub(crate) diagnostics: Diagnostics,
}

impl Walker<'_> {
    /// The span of a pair without the blanks the grammar's implicit
    /// whitespace may have left at its end.
    pub(crate) fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        let trimmed = s.as_str().trim_end_matches([' ', '\t']).len();
        Span::new(self.file, s.start(), s.start() + trimmed)
    }

    pub(crate) fn ident(&self, pair: Pair<Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span(&pair),
        }
    }

    pub(crate) fn string(&mut self, pair: Pair<Rule>) -> StrLit {
        let span = self.span(&pair);
        let inner = pair.into_inner().next().map_or("", |p| p.as_str());
        StrLit {
            value: self.unescape(inner, span),
            span,
        }
    }

    /// Resolves `\"`, `\\`, `\n`, `\t`; an unknown escape is a diagnostic.
    fn unescape(&mut self, raw: &str, span: Span) -> String {
        let mut out = String::with_capacity(raw.len());
        let mut chars = raw.char_indices();
        while let Some((at, c)) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, '"')) => out.push('"'),
                Some((_, '\\')) => out.push('\\'),
                Some((_, other)) => {
                    let start = span.start as usize + 1 + at;
                    let escape = Span::new(self.file, start, start + 1 + other.len_utf8());
                    self.diagnostics.push(
                        Diagnostic::new(
                            "sls::parse::unknown_escape",
                            format!("unknown escape `\\{other}` in a string"),
                            escape,
                            "not an escape",
                        )
                        .with_help("the escapes are `\\\"`, `\\\\`, `\\n` and `\\t`; write `\\\\` for a backslash"),
                    );
                }
                None => out.push('\\'),
            }
        }
        out
    }
}

pub use crate::syntax::words::{list_names, list_words};

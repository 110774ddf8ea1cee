//! Diagnostics as the user types: a document's syntax errors from its tree
//! at once; when it has none, the checker's errors and warnings, for it and
//! the files it includes (each published to its own file).

use std::collections::BTreeMap;

use lsp_types::{
    Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Uri,
};

use crate::check::{Options, check};
use crate::diagnostic::{Diagnostic, Severity};
use crate::syntax::source::{FileId, Sources};
use crate::syntax::tree;

use super::document::{Document, Lines, path_of, uri_of};

/// The diagnostics of a document, by file: the document's own first.
pub fn diagnose(document: &Document) -> BTreeMap<Uri, Vec<LspDiagnostic>> {
    let mut out = BTreeMap::new();
    let read = tree::read(FileId(0), &document.text);
    let syntax = read.diagnostics();
    if !syntax.is_empty() {
        let mut sources = Sources::new();
        sources.add(document.uri.as_str(), document.text.clone());
        let converted = syntax.0.iter().map(|d| convert(d, &sources, &document.uri)).collect();
        out.insert(document.uri.clone(), converted);
        return out;
    }
    out.insert(document.uri.clone(), Vec::new());
    let path = path_of(&document.uri).unwrap_or_else(|| "untitled.sls".into());
    let checked = check(&path, document.text.clone(), &Options::default());
    let errors = checked
        .program
        .as_ref()
        .err()
        .map(|e| e.0.as_slice())
        .unwrap_or_default();
    for diagnostic in errors.iter().chain(&checked.warnings.0) {
        let file = diagnostic.primary.span.file;
        let uri = if file == FileId(0) {
            Some(document.uri.clone())
        } else {
            uri_of(std::path::Path::new(&checked.sources.get(file).name))
        };
        if let Some(uri) = uri {
            let converted = convert(diagnostic, &checked.sources, &uri);
            out.entry(uri).or_default().push(converted);
        }
    }
    out
}

/// One diagnostic as the editor shows it: the message, the label and the
/// help; explaining labels as related places.
fn convert(diagnostic: &Diagnostic, sources: &Sources, uri: &Uri) -> LspDiagnostic {
    let range = |span: crate::syntax::source::Span| {
        let text = &sources.get(span.file).text;
        Lines::new(text).range(text, span.start as usize, span.end as usize)
    };
    let mut message = format!("{}: {}", diagnostic.message, diagnostic.primary.text);
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related = diagnostic
        .secondary
        .iter()
        .filter_map(|label| {
            let target = if label.span.file == diagnostic.primary.span.file {
                uri.clone()
            } else {
                uri_of(std::path::Path::new(&sources.get(label.span.file).name))?
            };
            Some(DiagnosticRelatedInformation {
                location: Location::new(target, range(label.span)),
                message: label.text.clone(),
            })
        })
        .collect::<Vec<_>>();
    LspDiagnostic {
        range: range(diagnostic.primary.span),
        severity: Some(match diagnostic.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(diagnostic.code.to_string())),
        source: Some("sls".to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..LspDiagnostic::default()
    }
}

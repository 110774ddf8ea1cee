//! Go to definition, find references and rename, over the script and the
//! files it includes.

use std::collections::HashMap;

use lsp_types::{Location, TextEdit, Uri, WorkspaceEdit};
use rowan::TextRange;

use super::document::{Document, Lines, uri_of};
use super::index::{Index, Symbol};

/// Where a file of the index is, for the editor.
fn location(index: &Index, document: &Document, file: usize, range: TextRange) -> Option<Location> {
    let indexed = &index.files[file];
    let uri = if file == 0 {
        document.uri.clone()
    } else {
        uri_of(indexed.path.as_deref()?)?
    };
    let lines = Lines::new(&indexed.text);
    Some(Location::new(
        uri,
        lines.range(&indexed.text, range.start().into(), range.end().into()),
    ))
}

/// The declaration of the name at `offset`.
pub fn definition(index: &Index, document: &Document, offset: usize) -> Option<Location> {
    let symbol = index.symbol_at(0, offset)?;
    location(index, document, symbol.file, symbol.range)
}

/// Every place the name at `offset` is written, its declaration first when asked.
pub fn references(index: &Index, document: &Document, offset: usize, declaration: bool) -> Vec<Location> {
    let Some(symbol) = index.symbol_at(0, offset) else {
        return Vec::new();
    };
    occurrences(index, symbol, declaration)
        .into_iter()
        .filter_map(|(file, range)| location(index, document, file, range))
        .collect()
}

fn occurrences(index: &Index, symbol: &Symbol, declaration: bool) -> Vec<(usize, TextRange)> {
    let mut out: Vec<(usize, TextRange)> = Vec::new();
    if declaration {
        out.push((symbol.file, symbol.range));
    }
    out.extend(index.references_to(symbol).map(|r| (r.file, r.range)));
    out
}

/// Renames the name at `offset` everywhere; `None` when there is no name
/// there or the new name is not one.
pub fn rename(index: &Index, document: &Document, offset: usize, new_name: &str) -> Option<WorkspaceEdit> {
    let valid = new_name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && new_name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return None;
    }
    let symbol = index.symbol_at(0, offset)?;
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for (file, range) in occurrences(index, symbol, true) {
        let place = location(index, document, file, range)?;
        changes
            .entry(place.uri)
            .or_default()
            .push(TextEdit::new(place.range, new_name.to_string()));
    }
    Some(WorkspaceEdit::new(changes))
}

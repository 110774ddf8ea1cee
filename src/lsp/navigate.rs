//! Go to definition, find references and rename, over the script and the
//! files it includes.

use std::collections::HashMap;

use lsp_types::{Location, TextEdit, Uri, WorkspaceEdit};
use rowan::TextRange;

use super::document::{Document, Lines, uri_of};
use super::index::{Index, Symbol};
use crate::language::SEED_PARAM;
use crate::language::grammar::{Role, Space};

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

/// Renames the name at `offset` everywhere, or says why not: the new name
/// is not a name, there is no declared name at `offset`, the rename would
/// change which parameter is the seed, or the new name is already another
/// declaration's of the same kind (or of a kind a use
/// may name alike: a function and a workflow), which would leave the
/// script declaring it twice.
pub fn rename(index: &Index, document: &Document, offset: usize, new_name: &str) -> Result<WorkspaceEdit, String> {
    let valid = new_name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && new_name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return Err(format!(
            "`{new_name}` is not a name: write a letter or `_`, then letters, digits or `_`"
        ));
    }
    let symbol = index.symbol_at(0, offset).ok_or_else(|| {
        "no declared name here: put the cursor on a declaration or a use of a host, link, image, function or other declared name".to_string()
    })?;
    // `param seed` is the run's seed: the same script under another name
    // would run with seed 0, and another parameter renamed `seed` would
    // become the seed.
    if symbol.space == Space::Param && (symbol.name == SEED_PARAM || new_name == SEED_PARAM) {
        return Err(format!(
            "`param {SEED_PARAM}` is the run's seed (unless `--seed` is given): renamed, the runs would draw other numbers; keep `{SEED_PARAM}` for the seed, and another name for any other parameter"
        ));
    }
    // Kinds a use may name alike (`invoke` a function or a workflow).
    let clashes = |space: Space| {
        space == symbol.space
            || Role::ALL
                .iter()
                .any(|role| role.refers().contains(&space) && role.refers().contains(&symbol.space))
    };
    if let Some(other) = index
        .symbols
        .iter()
        .find(|s| s.name == new_name && clashes(s.space) && (s.file, s.range) != (symbol.file, symbol.range))
    {
        let file = &index.files[other.file];
        let line = Lines::new(&file.text)
            .position(&file.text, other.range.start().into())
            .line
            + 1;
        let place = match (other.file, &file.path) {
            (0, _) | (_, None) => format!("line {line}"),
            (_, Some(path)) => format!("line {line} of `{}`", path.display()),
        };
        return Err(format!(
            "`{new_name}` already names a {} ({place}): renamed, the script would declare it twice; pick another name",
            other.space.noun()
        ));
    }
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for (file, range) in occurrences(index, symbol, true) {
        let place = location(index, document, file, range)
            .ok_or_else(|| format!("`{}` is also written in a file the editor cannot name", symbol.name))?;
        changes
            .entry(place.uri)
            .or_default()
            .push(TextEdit::new(place.range, new_name.to_string()));
    }
    Ok(WorkspaceEdit::new(changes))
}

//! Parameters nothing reads. A parameter no expression names changes
//! nothing: `-p name=value` runs the same model, and a sweep over it runs
//! every point alike (with the same seeds, the same results), which reads as
//! a comparison that was never made. Allowed, but warned of where it is
//! declared or swept. Reads are counted on the files' words (outside
//! comments and strings), a superset of the expressions' names: a word that
//! only looks like a read (a property keyword `cores` when the parameter is
//! `cores`) hides the warning, and none makes a false one.

use std::collections::HashSet;

use indexmap::IndexMap;

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::syntax::ast::{Item, Sweep};
use crate::syntax::source::{Sources, Span};
use crate::syntax::token::{Token, tokenize};

use super::context::ParamValue;
use super::load::Loaded;

/// A warning for each parameter that no word of the script or its includes
/// names but its declaration and sweep axis (the run's seed, read by the
/// checker itself, aside): at its sweep axis when swept, else at its
/// declaration.
pub(super) fn unread_params(
    sources: &Sources,
    loaded: &Loaded,
    params: &IndexMap<String, ParamValue>,
    sweep: Option<&Sweep>,
) -> Vec<Diagnostic> {
    let candidates: Vec<&String> = params
        .keys()
        .filter(|name| name.as_str() != crate::language::SEED_PARAM)
        .collect();
    if candidates.is_empty() {
        return Vec::new();
    }
    // Where a name is declared or swept, it is not read.
    let mut declaring: HashSet<Span> = loaded
        .items()
        .into_iter()
        .filter_map(|(_, item)| match item {
            Item::Param(p) => Some(p.name.span),
            _ => None,
        })
        .collect();
    declaring.extend(sweep.iter().flat_map(|s| s.axes.iter().map(|a| a.param.span)));
    let wanted: HashSet<&str> = candidates.iter().map(|n| n.as_str()).collect();
    let mut read: HashSet<&str> = HashSet::new();
    for (file, _) in &loaded.files {
        let text = &sources.get(*file).text;
        for (token, range) in tokenize(text) {
            if token != Some(Token::Word) {
                continue;
            }
            let word = &text[range.clone()];
            if let Some(&name) = wanted.get(word)
                && !declaring.contains(&Span::new(*file, range.start, range.end))
            {
                read.insert(name);
            }
        }
    }
    candidates
        .into_iter()
        .filter(|name| !read.contains(name.as_str()))
        .map(|name| {
            let declared = params[name].declared;
            let axis = sweep.and_then(|s| s.axes.iter().find(|a| &a.param.name == name));
            match axis {
                Some(axis) => Diagnostic::warning(
                    Code::UnreadParam,
                    format!("the sweep's axis `{name}` is read by nothing: its points run the same model"),
                    axis.param.span,
                    "swept, read nowhere",
                )
                .with_label(declared, "declared here")
                .with_help(format!(
                    "write `{name}` where the swept value belongs (`scheduler {name}`, `cores {name}`), or sweep a parameter the script reads"
                )),
                None => Diagnostic::warning(
                    Code::UnreadParam,
                    format!("parameter `{name}` is never read"),
                    declared,
                    "declared, read nowhere",
                )
                .with_help(format!(
                    "write `{name}` where its value belongs (`cores {name}`), or remove it; as it is, `-p {name}=...` changes nothing"
                )),
            }
        })
        .collect()
}

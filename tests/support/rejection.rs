//! What a rejected script's diagnostics must be, whatever the input: at
//! least one, each with an `sls::` code and a span inside its file on a
//! character boundary, and all of them rendered without a panic.

use sls::diagnostic::Diagnostics;
use sls::syntax::source::Sources;

/// Why `diagnostics` (over `sources`) are not a well-formed rejection.
pub fn ill_formed(diagnostics: &Diagnostics, sources: &Sources) -> Option<String> {
    if diagnostics.is_empty() {
        return Some("rejected without a diagnostic".to_string());
    }
    for d in &diagnostics.0 {
        if !d.code.as_str().starts_with("sls::") {
            return Some(format!("bad code {}", d.code));
        }
        let file = sources.get(d.primary.span.file);
        let span = d.primary.span;
        if span.start > span.end || span.end as usize > file.text.len() {
            return Some(format!("span {span:?} outside `{}` for `{}`", file.name, d.code));
        }
        if !file.text.is_char_boundary(span.start as usize) {
            return Some(format!("span {span:?} not on a character boundary for `{}`", d.code));
        }
    }
    // Rendering must not panic either.
    let _ = diagnostics.render(sources, false, 80);
    None
}

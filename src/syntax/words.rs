//! Lists of words in messages: `a`, `a or b`, `a, b or c`; `a, b and c`.

use crate::diagnostic::text::quote;

/// `a`, `a or b`, `a, b or c`; a word without spaces or backticks is put
/// in backticks.
pub fn list_words<S: AsRef<str>>(words: &[S]) -> String {
    let quoted: Vec<String> = words
        .iter()
        .map(|w| {
            let w = w.as_ref();
            if w.starts_with('`') || w.contains(' ') {
                w.to_string()
            } else {
                format!("`{w}`")
            }
        })
        .collect();
    match quoted.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// `a`, `a and b`, `a, b and c`: every item, as written.
pub fn list_all(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// [`list_all`] of the first `shown` items, the rest counted: `a, b, c and
/// 4 more`.
pub fn list_first(items: impl ExactSizeIterator<Item = String>, shown: usize) -> String {
    let total = items.len();
    let first: Vec<String> = items.take(shown).collect();
    if total > shown {
        format!("{} and {} more", first.join(", "), total - shown)
    } else {
        list_all(&first)
    }
}

/// `a`, `a or b`, `a, b or c` for names, each in backticks; past eight, the
/// rest are counted.
pub fn list_names<'n>(names: impl IntoIterator<Item = &'n str>) -> String {
    const SHOWN: usize = 8;
    let mut names = names.into_iter();
    let mut shown: Vec<String> = names.by_ref().take(SHOWN).map(|n| format!("`{}`", quote(n))).collect();
    let more = names.count();
    if more > 0 {
        shown.push(format!("{more} more"));
    }
    list_words(&shown)
}

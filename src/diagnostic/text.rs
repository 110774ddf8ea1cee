//! Text from the user's files shown in a message: control characters and
//! invisible direction marks escaped (a NUL or a terminal escape sequence in
//! a script or a trace must not reach the terminal as is), and long names
//! or cells shortened so that one message stays one readable line.

use std::borrow::Cow;
use std::fmt::Write;

/// How many characters of one quoted name or value a message shows.
pub const MAX_QUOTED: usize = 60;

/// Longest message, label or help, in characters.
const MAX_TEXT: usize = 2000;

const ELLIPSIS: char = '…';

/// Whether `c` must be shown escaped: control characters (a tab and, where
/// allowed, a line break excepted) and the invisible marks that reorder or
/// hide text.
pub(crate) fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// Writes `c` as `\u{1b}` when it must be escaped, else as it is.
pub(crate) fn push_visible(out: &mut String, c: char) {
    if needs_escape(c) {
        // Writing into a String cannot fail.
        let _ = write!(out, "\\u{{{:x}}}", c as u32);
    } else {
        out.push(c);
    }
}

/// `text` with every character that must be escaped written as `\u{..}`.
pub fn escape(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        push_visible(&mut out, c);
    }
    Cow::Owned(out)
}

/// How many characters of a quoted path a message shows.
const MAX_PATH: usize = 240;

/// A name or value from the user's input, escaped and cut to
/// [`MAX_QUOTED`] characters, for a message.
pub fn quote(text: &str) -> String {
    cut(text, MAX_QUOTED)
}

/// A file path from the user's input, escaped and cut (paths are longer
/// than names).
pub fn quote_path(text: &str) -> String {
    cut(text, MAX_PATH)
}

fn cut(text: &str, max: usize) -> String {
    let mut out = String::new();
    for (n, c) in text.chars().enumerate() {
        if n == max {
            out.push(ELLIPSIS);
            break;
        }
        push_visible(&mut out, c);
    }
    out
}

/// A message, label or help as shown: escaped, each `` `quoted` `` part
/// longer than [`MAX_QUOTED`] characters cut, the whole cut to a bound.
/// Line breaks are kept (help may hold several notes).
pub(crate) fn tidy(text: String) -> String {
    let clean = text.len() <= MAX_TEXT
        && !text.chars().any(|c| c != '\n' && needs_escape(c))
        && text
            .split('`')
            .skip(1)
            .step_by(2)
            .all(|quoted| quoted.len() <= MAX_QUOTED);
    if clean {
        return text;
    }
    let mut out = String::with_capacity(text.len().min(4 * MAX_TEXT));
    let mut quoted = false;
    let mut run = 0;
    let mut shown = 0;
    for c in text.chars() {
        if shown == MAX_TEXT {
            out.push(ELLIPSIS);
            break;
        }
        if c == '`' {
            quoted = !quoted;
            run = 0;
        } else if quoted {
            run += 1;
            if run == MAX_QUOTED + 1 {
                out.push(ELLIPSIS);
            }
            if run > MAX_QUOTED {
                continue;
            }
        }
        shown += 1;
        if c == '\n' {
            out.push(c);
        } else {
            push_visible(&mut out, c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(escape("a\u{0}b\u{1b}[31m"), "a\\u{0}b\\u{1b}[31m");
        assert_eq!(escape("tab\tok"), "tab\tok");
        assert_eq!(escape("\u{202E}abc"), "\\u{202e}abc");
    }

    #[test]
    fn long_quotes_are_cut() {
        let long = "x".repeat(1000);
        let message = tidy(format!("no host named `{long}` here"));
        assert!(message.starts_with("no host named `xxx"));
        assert!(message.ends_with("…` here"), "{message}");
        assert_eq!(message.chars().filter(|c| *c == 'x').count(), MAX_QUOTED);
        assert_eq!(quote(&long).chars().count(), MAX_QUOTED + 1);
    }

    #[test]
    fn short_clean_text_is_kept() {
        let text = "expected a time, found `5MB`\nsecond note".to_string();
        assert_eq!(tidy(text.clone()), text);
    }
}

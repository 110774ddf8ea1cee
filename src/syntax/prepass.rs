//! Checks on the flat token stream, made before the grammar is applied:
//! characters no token can start (look-alikes named), unclosed strings and
//! comments, unbalanced or too deeply nested brackets. The grammar's own
//! message for these would be vaguer, and the tree's structure is unknown
//! with them.

use crate::code::Code;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::syntax::source::{FileId, Span};
use crate::syntax::token::{Token, tokenize};

/// Look-alike characters that editors and word processors slip in.
fn lookalike(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{00AB}' | '\u{00BB}' => "\"",
        '\u{2018}' | '\u{2019}' => "\"",
        '\u{2212}' | '\u{2013}' | '\u{2014}' => "-",
        '\u{2192}' | '\u{27F6}' => "->",
        '\u{2194}' | '\u{27F7}' => "<->",
        '\u{00D7}' => "x",
        '\u{2026}' => "..",
        '\u{FF1B}' => ";",
        '\u{00A0}' | '\u{2009}' | '\u{202F}' => "a plain space",
        _ => return None,
    })
}

/// How deep brackets and braces may nest.
pub const MAX_NESTING: usize = 64;

/// Checks that need the flat token view: characters no token can start,
/// unclosed strings and comments, unbalanced brackets. Reported before the
/// grammar runs, whose own message for these would be vaguer.
pub fn prepass(file: FileId, text: &str) -> Diagnostics {
    let mut diagnostics = Diagnostics::default();
    let mut open: Vec<(char, usize)> = Vec::new();
    let tokens = tokenize(text).peekable();
    for (token, range) in tokens {
        let span = Span::new(file, range.start, range.end);
        match token {
            None => {
                let c = text[range.clone()].chars().next().unwrap_or('?');
                let char_span = Span::new(file, range.start, range.start + c.len_utf8());
                diagnostics.push(match lookalike(c) {
                    Some(plain) => Diagnostic::new(
                        Code::ParseLookalike,
                        format!("`{c}` (U+{:04X}) looks like {plain} but is not", c as u32),
                        char_span,
                        "look-alike character",
                    )
                    .with_help(format!(
                        "replace it with {}",
                        if plain.len() < 4 {
                            format!("`{plain}`")
                        } else {
                            plain.to_string()
                        }
                    )),
                    None => Diagnostic::new(
                        Code::ParseInvalidCharacter,
                        format!("`{}` cannot appear here", c.escape_debug()),
                        char_span,
                        "unexpected character",
                    )
                    .with_help(if c == '#' {
                        "a comment starts with `//` (or is written between `/*` and `*/`), not `#`"
                    } else {
                        "remove it; outside strings and comments a script uses names, numbers and `{}[](),;:=<->.*/%`"
                    }),
                });
            }
            Some(Token::UnclosedStr) => diagnostics.push(
                Diagnostic::new(
                    Code::ParseUnclosedString,
                    "this string is never closed",
                    span,
                    "no closing `\"` on this line",
                )
                .with_help("end the string with `\"` on the same line; write `\\\"` for a quote inside it"),
            ),
            Some(Token::Punct) if &text[range.clone()] == "/" && text[range.end..].starts_with('*') => {
                diagnostics.push(
                    Diagnostic::new(
                        Code::ParseUnclosedComment,
                        "this comment is never closed",
                        Span::new(file, range.start, range.end + 1),
                        "`/*` without `*/`",
                    )
                    .with_help("close the comment with `*/`, or use `//` for a comment up to the end of the line"),
                );
                return diagnostics;
            }
            Some(open_token @ (Token::OpenBrace | Token::OpenBracket | Token::OpenParen)) => {
                let c = match open_token {
                    Token::OpenBrace => '{',
                    Token::OpenBracket => '[',
                    _ => '(',
                };
                open.push((c, range.start));
                // The grammar recurses once per level; a bound keeps any
                // input from exhausting the stack.
                if open.len() > MAX_NESTING {
                    diagnostics.push(
                        Diagnostic::new(
                            Code::ParseTooDeep,
                            format!("brackets and braces nest more than {MAX_NESTING} deep here"),
                            span,
                            "too deep",
                        )
                        .with_help("a script needs a few levels at most; look for brackets that are never closed"),
                    );
                    return diagnostics;
                }
            }
            Some(close @ (Token::CloseBrace | Token::CloseBracket | Token::CloseParen)) => {
                let (want, name) = match close {
                    Token::CloseBrace => ('{', '}'),
                    Token::CloseBracket => ('[', ']'),
                    _ => ('(', ')'),
                };
                match open.pop() {
                    Some((c, _)) if c == want => {}
                    Some((c, at)) => {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::ParseUnbalanced,
                                format!("`{name}` does not close `{c}`"),
                                span,
                                format!("expected `{}` first", closing(c)),
                            )
                            .with_label(Span::new(file, at, at + 1), "opened here")
                            .with_help(format!("close the `{c}` with `{}` before this `{name}`", closing(c))),
                        );
                        return diagnostics;
                    }
                    None => {
                        diagnostics.push(
                            Diagnostic::new(
                                Code::ParseUnbalanced,
                                format!("`{name}` closes nothing"),
                                span,
                                "nothing to close",
                            )
                            .with_help(format!("remove this `{name}` or add the `{want}` it is meant to close")),
                        );
                        return diagnostics;
                    }
                }
            }
            _ => {}
        }
    }
    if let Some((c, at)) = open.pop() {
        diagnostics.push(
            Diagnostic::new(
                Code::ParseUnbalanced,
                format!("this `{c}` is never closed"),
                Span::new(file, at, at + 1),
                "opened here",
            )
            .with_help(format!(
                "add `{}` where the {} ends",
                closing(c),
                if c == '{' { "block" } else { "list" }
            )),
        );
    }
    diagnostics
}

fn closing(open: char) -> char {
    match open {
        '{' => '}',
        '[' => ']',
        _ => ')',
    }
}

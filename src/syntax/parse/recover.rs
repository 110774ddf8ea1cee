//! Turning broken input into precise diagnostics: the token pre-pass, pest
//! errors in words, and the re-reading of a line the grammar skipped
//! (`bad_stmt`, `bad_item`) with the rule that line was meant for.

use pest::Parser as _;
use pest::error::{ErrorVariant, InputLocation};
use pest::iterators::Pair;

use super::Walker;
use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::syntax::grammar::{Rule, SlsParser, rule_name};
use crate::syntax::source::{FileId, Span};
use crate::syntax::token::{Token, tokenize};
use crate::syntax::words::list_words;

/// Where a skipped line stood, which decides what it could have been.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    Item,
    Platform,
    Host,
    Properties,
    Service,
    Function,
    Body,
    Workload,
    Client,
    Stages,
    Workflow,
}

impl Context {
    /// The rule that reads one complete statement of this context.
    fn line_rule(self) -> Rule {
        match self {
            Context::Item => Rule::item_line,
            Context::Platform => Rule::platform_line,
            Context::Host => Rule::host_line,
            Context::Properties => Rule::property_line,
            Context::Service => Rule::service_line,
            Context::Function => Rule::function_line,
            Context::Body => Rule::step_line,
            Context::Workload => Rule::workload_line,
            Context::Client => Rule::client_line,
            Context::Stages => Rule::stage_line,
            Context::Workflow => Rule::workflow_line,
        }
    }

    /// Statement keywords of the context; `None` where any name may start a
    /// line (a property, a workflow edge, a stage's rate).
    fn keywords(self) -> Option<&'static [&'static str]> {
        match self {
            Context::Item => Some(&[
                "include",
                "param",
                "platform",
                "storage",
                "serverless",
                "layer",
                "image",
                "function",
                "workload",
                "workflow",
                "sweep",
            ]),
            Context::Platform => Some(&["host", "link", "route", "network", "fail"]),
            Context::Body => Some(&["sleep", "compute", "read", "write", "output", "fail"]),
            Context::Workload => Some(&["invoke", "replay", "client"]),
            Context::Client => Some(&["invoke", "wait", "sleep"]),
            _ => None,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Context::Item => "at the top level",
            Context::Platform => "in `platform`",
            Context::Host => "in a `host`",
            Context::Properties => "in this block",
            Context::Service => "in `serverless`",
            Context::Function => "in `function`",
            Context::Body => "in a `body`",
            Context::Workload => "in `workload`",
            Context::Client => "in a `client`",
            Context::Stages => "in `stages`",
            Context::Workflow => "in `workflow`",
        }
    }
}

/// The block a statement keyword belongs in, to explain a misplaced one.
fn home_of(word: &str) -> Option<&'static str> {
    Some(match word {
        "host" | "link" | "route" | "network" => "platform { ... }",
        "invoke" | "replay" | "client" => "workload { ... }",
        "wait" => "client { ... }",
        "sleep" | "read" | "write" | "output" | "fail" => "a function's body { ... }",
        "head" | "compute" | "scheduler" | "sandbox" | "bus" | "prewarm" => "serverless name { ... }",
        "limits" | "body" => "function name { ... }",
        "disk" => "host name { ... }",
        _ => return None,
    })
}

impl Walker<'_> {
    /// A line the grammar skipped: say what is wrong with it.
    pub(crate) fn bad_statement(&mut self, pair: Pair<Rule>, context: Context) {
        let span = self.span(&pair);
        let text = pair.as_str();
        let word: String = text
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let continues_line = self.statement_start(span.start as usize) < span.start as usize;
        if let Some(keywords) = context.keywords()
            && !continues_line
            && !word.is_empty()
            && !keywords.contains(&word.as_str())
        {
            let word_span = Span::new(self.file, span.start as usize, span.start as usize + word.len());
            self.unknown_statement(&word, word_span, context, keywords);
            return;
        }
        // Text left over on the line of a statement that did parse is the
        // broken tail of that statement: re-read the whole line.
        let start = self.statement_start(span.start as usize);
        let line = &self.text[start..span.end as usize];
        match SlsParser::parse(context.line_rule(), line) {
            Err(error) => self.pest_error(error, start),
            Ok(_) => self.diagnostics.push(
                Diagnostic::new(
                    "sls::parse::unexpected",
                    format!("this statement is not expected {}", context.describe()),
                    span,
                    "unexpected here",
                )
                .with_help("end the previous statement with a new line or `;`"),
            ),
        }
    }

    /// Where the statement holding `offset` starts: after the nearest
    /// newline, `;` or `{` before it (outside strings).
    fn statement_start(&self, offset: usize) -> usize {
        let before = &self.text[..offset];
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let mut start = line_start;
        let mut in_string = false;
        let mut escaped = false;
        for (i, c) in before[line_start..].char_indices() {
            match c {
                _ if escaped => escaped = false,
                '\\' if in_string => escaped = true,
                '"' => in_string = !in_string,
                ';' | '{' | '}' if !in_string => start = line_start + i + 1,
                _ => {}
            }
        }
        // Skip the spaces so a re-read line starts at its first word.
        start + before[start..].len() - before[start..].trim_start().len()
    }

    fn unknown_statement(&mut self, word: &str, span: Span, context: Context, keywords: &[&str]) {
        let diagnostic = if let Some(home) = home_of(word) {
            Diagnostic::new(
                "sls::parse::misplaced",
                format!("`{word}` cannot be used {}", context.describe()),
                span,
                "misplaced statement",
            )
            .with_help(format!("`{word}` belongs inside `{home}`"))
        } else {
            let help = match did_you_mean(word, keywords.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("expected one of {}", list_words(keywords)),
            };
            Diagnostic::new(
                "sls::parse::unknown_statement",
                format!("unknown statement `{word}` {}", context.describe()),
                span,
                "not a statement here",
            )
            .with_help(help)
        };
        self.diagnostics.push(diagnostic);
    }

    /// Converts a pest error found at `offset` into a diagnostic.
    pub(crate) fn pest_error(&mut self, error: pest::error::Error<Rule>, offset: usize) {
        let at = match error.location {
            InputLocation::Pos(p) => p,
            InputLocation::Span((s, _)) => s,
        } + offset;
        let (found, at, len) = found_at(self.text, at);
        let span = Span::new(self.file, at, at + len);
        let message = match &error.variant {
            ErrorVariant::ParsingError { positives, .. } => {
                // `..` and the end are possible after almost any value; they
                // only matter when nothing else was possible.
                let specific: Vec<Rule> = positives
                    .iter()
                    .copied()
                    .filter(|r| !matches!(r, Rule::EOI | Rule::range_op))
                    .collect();
                let shown = if specific.is_empty() {
                    positives.clone()
                } else {
                    specific
                };
                let mut names: Vec<&str> = shown
                    .iter()
                    .map(|r| rule_name(*r))
                    .filter(|n| *n != "whitespace")
                    .collect();
                names.dedup();
                let mut unique = Vec::new();
                for name in names {
                    if !unique.contains(&name) {
                        unique.push(name);
                    }
                }
                if unique.is_empty() {
                    format!("unexpected {found}")
                } else {
                    format!("expected {}, found {found}", list_words(&unique))
                }
            }
            ErrorVariant::CustomError { message } => message.clone(),
        };
        let expected_words: Vec<&str> = match &error.variant {
            ErrorVariant::ParsingError { positives, .. } => positives
                .iter()
                .map(|r| rule_name(*r))
                .filter_map(|n| n.strip_prefix('`').and_then(|n| n.strip_suffix('`')))
                .filter(|n| n.chars().all(|c| c.is_ascii_alphabetic()))
                .collect(),
            ErrorVariant::CustomError { .. } => Vec::new(),
        };
        let found_word = found.trim_matches('`');
        let before = self.text[..at].trim_end_matches([' ', '\t']);
        let detached_unit = found_word.chars().all(|c| c.is_alphabetic())
            && before.ends_with(|c: char| c.is_ascii_digit())
            && before.len() < at;
        if detached_unit {
            let number_start = before
                .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
                .map_or(0, |i| i + 1);
            let number = &before[number_start..];
            self.diagnostics.push(
                Diagnostic::new(
                    "sls::parse::detached_unit",
                    format!("the unit `{found_word}` is apart from its number"),
                    Span::new(self.file, number_start, at + len),
                    "a space splits this quantity",
                )
                .with_help(format!("write the unit right after the number: `{number}{found_word}`")),
            );
            return;
        }
        let help = if let Some(best) = did_you_mean(found_word, expected_words.iter().copied()) {
            format!("did you mean `{best}`?")
        } else if found.contains("end of the line") || found == "`;`" || found == "`}`" {
            "the statement is incomplete: finish it on this line".to_string()
        } else {
            "see the language tour in README.md for the shape of each statement".to_string()
        };
        self.diagnostics
            .push(Diagnostic::new("sls::parse::unexpected", message, span, "unexpected here").with_help(help));
    }
}

/// What the text holds at a byte offset, in words, where it starts (spaces
/// skipped) and the length to underline.
fn found_at(text: &str, at: usize) -> (String, usize, usize) {
    let rest = text.get(at..).unwrap_or("");
    for (token, range) in tokenize(rest) {
        match token {
            Some(Token::Space | Token::BlockComment) => continue,
            Some(Token::Newline | Token::LineComment) => {
                return ("the end of the line".to_string(), at + range.start, 0);
            }
            _ => {
                let shown: String = rest[range.clone()].chars().take(40).collect();
                return (format!("`{shown}`"), at + range.start, range.len());
            }
        }
    }
    ("the end of the file".to_string(), text.len(), 0)
}

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
const MAX_NESTING: usize = 64;

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
                        "sls::parse::lookalike",
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
                        "sls::parse::invalid_character",
                        format!("`{}` cannot appear here", c.escape_debug()),
                        char_span,
                        "unexpected character",
                    )
                    .with_help(
                        "remove it; outside strings and comments a script uses names, numbers and `{}[](),;:=<->.*/%`",
                    ),
                });
            }
            Some(Token::UnclosedStr) => diagnostics.push(
                Diagnostic::new(
                    "sls::parse::unclosed_string",
                    "this string is never closed",
                    span,
                    "no closing `\"` on this line",
                )
                .with_help("end the string with `\"` on the same line; write `\\\"` for a quote inside it"),
            ),
            Some(Token::Punct) if &text[range.clone()] == "/" && text[range.end..].starts_with('*') => {
                diagnostics.push(
                    Diagnostic::new(
                        "sls::parse::unclosed_comment",
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
                            "sls::parse::too_deep",
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
                                "sls::parse::unbalanced",
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
                                "sls::parse::unbalanced",
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
                "sls::parse::unbalanced",
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

//! What the checker still says about a script with syntax errors. A broken
//! statement is left out of the AST, so the rest of the script is checked
//! without it; a diagnostic is kept only when the broken statements cannot
//! have caused it:
//! - it is not inside a top-level statement that holds a syntax error (a
//!   block missing a statement it had, say its `cores`);
//! - it is not an unknown name that a broken statement mentions (the
//!   declaration may be the statement that did not parse);
//! - it is not about the model as a whole (no service, no route, a
//!   function that fits no node...), which any lost statement may change.

use std::collections::HashSet;

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::syntax::source::{Sources, Span};
use crate::syntax::token::{Token, tokenize};

/// Codes about the model as a whole: a statement lost anywhere may be
/// what they miss.
const WHOLE_MODEL: &[Code] = &[
    Code::NoService,
    Code::MissingService,
    Code::MissingRoute,
    Code::HeterogeneousCompute,
    Code::FunctionCannotFit,
    Code::ComputeHostWithoutRam,
    Code::ComputeHostWithoutDisk,
    Code::OverLimit,
    Code::JoinNeverCompletes,
    Code::EmptyWorkflow,
];

/// Codes of a name that is not declared.
const UNKNOWN_NAME: &[Code] = &[
    Code::UnknownHost,
    Code::UnknownLink,
    Code::UnknownDisk,
    Code::UnknownStorage,
    Code::UnknownService,
    Code::UnknownLayer,
    Code::UnknownImage,
    Code::UnknownFunction,
    Code::UnknownParam,
    Code::NotAnArray,
    Code::MissingIndex,
    Code::IndexOutOfRange,
];

/// The broken top-level statements of a script and the words they hold.
pub struct Broken<'a> {
    regions: &'a [Span],
    words: HashSet<&'a str>,
}

impl<'a> Broken<'a> {
    pub fn new(sources: &'a Sources, regions: &'a [Span]) -> Self {
        let mut words = HashSet::new();
        for region in regions {
            let text = sources.slice(*region);
            for (token, range) in tokenize(text) {
                if token == Some(Token::Word) {
                    words.insert(&text[range]);
                }
            }
        }
        Broken { regions, words }
    }

    /// Whether `diagnostic` stands whatever the broken statements meant.
    pub fn keeps(&self, diagnostic: &Diagnostic, sources: &Sources) -> bool {
        let at = diagnostic.primary.span;
        if WHOLE_MODEL.contains(&diagnostic.code)
            || self
                .regions
                .iter()
                .any(|r| r.file == at.file && r.start <= at.start && at.end <= r.end)
        {
            return false;
        }
        if !UNKNOWN_NAME.contains(&diagnostic.code) {
            return true;
        }
        // The name is the first word the label covers (`node[3]` -> `node`).
        let text = sources.slice(at);
        let name = tokenize(text).find(|(token, _)| *token == Some(Token::Word));
        name.is_none_or(|(_, range)| !self.words.contains(&text[range]))
    }
}

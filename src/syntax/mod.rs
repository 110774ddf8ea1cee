//! The front end: source files and spans, tokens, the pest grammar, and the
//! AST with spans.

pub mod ast;
pub mod grammar;
pub mod parse;
pub mod source;
pub mod token;
pub mod tree;
pub mod words;

//! The front end: source files and spans, tokens, the lossless syntax tree
//! read by following the grammar of record (`crate::language`), and the
//! AST with spans that the checker reads.

pub mod ast;
pub mod prepass;
pub mod source;
pub mod token;
pub mod tree;
pub mod words;

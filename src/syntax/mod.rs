//! The front end: tokens, the pest grammar, and the AST with spans.

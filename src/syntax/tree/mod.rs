//! The lossless syntax tree (rowan) every tool reads: `check` lowers it to
//! the AST, `fmt` prints it, the language server answers from it. It keeps
//! every token, comment and blank, and a broken statement is an error node
//! while the rest of the file is read as usual.

pub mod kind;
pub mod lower;
pub mod parser;

use crate::diagnostic::Diagnostics;
use crate::syntax::ast::{Expr, File, Ident};
use crate::syntax::prepass::prepass;
use crate::syntax::source::FileId;

pub use kind::{Kind, NodeKind, SyntaxElement, SyntaxNode, SyntaxToken, TokenKind};

/// A file read into its tree, with the syntax errors found.
pub struct Tree {
    pub root: SyntaxNode,
    /// Look-alike characters, unclosed strings and comments, unbalanced
    /// brackets: found on the tokens before the grammar is applied.
    pub early: Diagnostics,
    /// Statements that do not fit the grammar.
    pub syntax: Diagnostics,
}

impl Tree {
    /// The diagnostics a user sees: the early ones alone when there are
    /// some (the grammar's would repeat them less precisely).
    pub fn diagnostics(&self) -> &Diagnostics {
        if self.early.is_empty() {
            &self.syntax
        } else {
            &self.early
        }
    }
}

/// Reads a file into its tree.
pub fn read(file: FileId, text: &str) -> Tree {
    let parsed = parser::parse(file, text);
    Tree {
        root: SyntaxNode::new_root(parsed.green),
        early: prepass(file, text),
        syntax: parsed.diagnostics,
    }
}

/// Parses one file into the AST. Returns the AST of everything that could
/// be read and the diagnostics for what could not.
pub fn parse_file(file: FileId, text: &str) -> (File, Diagnostics) {
    let tree = read(file, text);
    if !tree.early.is_empty() {
        return (File::default(), tree.early);
    }
    let (ast, mut diagnostics) = lower::lower_file(file, &tree.root);
    let mut all = tree.syntax;
    all.extend(std::mem::take(&mut diagnostics));
    (ast, all)
}

/// Parses a command-line parameter override, `name=value`.
pub fn parse_override(file: FileId, text: &str) -> Result<(Ident, Expr), Diagnostics> {
    let early = prepass(file, text);
    if !early.is_empty() {
        return Err(early);
    }
    let parsed = parser::parse_assignment(file, text);
    let root = SyntaxNode::new_root(parsed.green);
    let (assignment, lowered) = lower::lower_assignment(file, &root);
    let mut diagnostics = parsed.diagnostics;
    diagnostics.extend(lowered);
    match assignment {
        Some(assignment) if diagnostics.is_empty() => Ok(assignment),
        _ => Err(diagnostics),
    }
}

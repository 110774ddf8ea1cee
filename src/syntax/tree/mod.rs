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
use crate::syntax::source::{FileId, Span};

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

/// One file parsed into the AST.
pub struct Parsed {
    /// Everything that could be read (nothing when the early checks failed:
    /// the tree's structure is then unknown).
    pub ast: File,
    /// What could not be read.
    pub diagnostics: Diagnostics,
    /// The top-level statements that hold a syntax error (the whole file
    /// after an early error): what they declare or say is unknown.
    pub broken: Vec<Span>,
}

/// Parses one file into the AST. Returns the AST of everything that could
/// be read, the diagnostics for what could not, and where that is.
pub fn parse_file(file: FileId, text: &str) -> Parsed {
    let tree = read(file, text);
    if !tree.early.is_empty() {
        return Parsed {
            ast: File::default(),
            diagnostics: tree.early,
            broken: vec![Span::new(file, 0, text.len())],
        };
    }
    let (ast, lowered) = lower::lower_file(file, &tree.root);
    let mut diagnostics = tree.syntax;
    diagnostics.extend(lowered);
    // A statement is broken by an error node in it, or by a value that
    // could not be read (an unknown escape, a number out of range).
    let error: rowan::SyntaxKind = Kind::Node(NodeKind::Error).into();
    let broken = tree
        .root
        .children()
        .map(|statement| statement.text_range())
        .filter(|range| {
            let (start, end) = (u32::from(range.start()), u32::from(range.end()));
            diagnostics
                .0
                .iter()
                .any(|d| start <= d.primary.span.start && d.primary.span.end <= end)
        })
        .chain(
            tree.root
                .children()
                .filter(|statement| statement.descendants().any(|n| n.green().kind() == error))
                .map(|statement| statement.text_range()),
        )
        .map(|range| Span::new(file, range.start().into(), range.end().into()))
        .collect();
    Parsed {
        ast,
        diagnostics,
        broken,
    }
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

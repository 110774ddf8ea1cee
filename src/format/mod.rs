//! `sls fmt`: prints a script's tree in the canonical layout. Blocks are
//! indented by two spaces; a block written on one line stays on one line,
//! any other is opened and closed on lines of their own; blanks between
//! tokens are one space or none by fixed rules; blank lines are kept, at
//! most one in a row; trailing comments of neighbouring lines are aligned;
//! every comment is kept. A statement the parser could not read is copied
//! as it is. Formatting twice gives what formatting once gives.

pub mod command;

use crate::diagnostic::Diagnostics;
use crate::syntax::source::FileId;
use crate::syntax::tree::{self, Kind, NodeKind, SyntaxElement, SyntaxNode, TokenKind};

/// The canonical layout of `text`, or the diagnostics that make its
/// structure unknown (unbalanced brackets, unclosed strings or comments).
pub fn format(text: &str) -> Result<String, Diagnostics> {
    let read = tree::read(FileId(0), text);
    if !read.early.is_empty() {
        return Err(read.early);
    }
    let mut printer = Printer::default();
    printer.children(&read.root);
    // The text's end ends its last line as a new line would (a `;` there
    // is dropped whether or not the file ends with a new line).
    printer.newline();
    Ok(printer.finish())
}

/// One line of output.
#[derive(Default)]
struct Line {
    indent: usize,
    code: String,
    comment: Option<String>,
}

/// A token as the spacing rules see it.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Last {
    kind: TokenKind,
    /// The kind of the node holding it.
    parent: Option<Kind>,
    /// A word written as a call before its parenthesised argument.
    call_like: bool,
}

/// Words whose parenthesised argument follows without a space, as the
/// language's documentation writes them (`poisson(50/s)`), though the
/// argument is a plain expression in brackets.
const CALL_LIKE: [&str; 1] = ["poisson"];

#[derive(Default)]
struct Printer {
    lines: Vec<Line>,
    current: Line,
    /// Blocks open around the current line.
    depth: usize,
    /// Brackets open in the current statement.
    brackets: usize,
    /// The line continues a statement broken after `->` or `,`.
    continued: bool,
    /// A blank line was seen since the last line written.
    blank: bool,
    /// The next line is the first of a block: no blank line before it.
    block_start: bool,
    last: Option<Last>,
    /// The token being written is a bracket that opens the first operand
    /// of a larger expression (`(n * 3)` of `poisson (n * 3) * 1/s`).
    opens_operand: bool,
}

impl Printer {
    fn finish(self) -> String {
        let mut lines = self.lines;
        align_comments(&mut lines);
        let mut out = String::new();
        for line in &lines {
            let mut text = " ".repeat(line.indent * 2);
            text.push_str(&line.code);
            if let Some(comment) = &line.comment {
                if !line.code.is_empty() {
                    text.push(' ');
                }
                text.push_str(comment);
            }
            out.push_str(text.trim_end());
            out.push('\n');
        }
        out
    }

    fn children(&mut self, node: &SyntaxNode) {
        for element in node.children_with_tokens() {
            match element {
                SyntaxElement::Node(child) => self.node(&child),
                SyntaxElement::Token(token) => {
                    let kind = kind_of(&token);
                    self.opens_operand = kind == TokenKind::LParen && starts_operand(node);
                    self.token(kind, token.text(), Some(node.kind()));
                    self.opens_operand = false;
                }
            }
        }
    }

    fn node(&mut self, node: &SyntaxNode) {
        match node.kind() {
            Kind::Node(NodeKind::Error) => {
                let text = node.text().to_string();
                let code = text.trim();
                if !code.is_empty() {
                    // A line break before the unread text stays: joined to
                    // the line before, a comment that starts it would be
                    // read with that line the next time, and the text after
                    // the comment on a line of its own.
                    if text[..text.len() - text.trim_start().len()].contains('\n') {
                        self.end_line();
                    }
                    self.word(code, TokenKind::Unknown, Some(node.kind()));
                }
            }
            Kind::Node(NodeKind::Block) => self.block(node),
            _ => {
                let statement = is_statement(node);
                if statement {
                    (self.brackets, self.continued) = (0, false);
                }
                self.children(node);
                if statement {
                    (self.brackets, self.continued) = (0, false);
                }
            }
        }
    }

    fn block(&mut self, node: &SyntaxNode) {
        let multiline = node.text().contains_char('\n');
        let (brackets, continued) = (self.brackets, self.continued);
        let mut elements = node.children_with_tokens().peekable();
        while let Some(element) = elements.next() {
            match element {
                SyntaxElement::Node(child) => self.node(&child),
                SyntaxElement::Token(token) => match kind_of(&token) {
                    TokenKind::LBrace => {
                        self.word("{", TokenKind::LBrace, Some(node.kind()));
                        // A comment after `{` stays on its line.
                        let comment = elements
                            .clone()
                            .find(|e| e.kind() != Kind::Token(TokenKind::Space))
                            .filter(|e| e.kind() == Kind::Token(TokenKind::LineComment));
                        if let Some(comment) = comment.and_then(|c| c.into_token()) {
                            self.current.comment = Some(comment.text().trim_end().to_string());
                            elements.find(|e| e.kind() == Kind::Token(TokenKind::LineComment));
                        }
                        if multiline {
                            self.end_line();
                            self.depth += 1;
                            self.block_start = true;
                        }
                        self.brackets = 0;
                        self.continued = false;
                    }
                    TokenKind::RBrace => {
                        if multiline {
                            self.end_line();
                            self.depth -= 1;
                            self.blank = false;
                        }
                        self.brackets = brackets;
                        self.continued = continued;
                        self.word("}", TokenKind::RBrace, Some(node.kind()));
                    }
                    TokenKind::Semicolon => {
                        // Kept only between two statements on one line.
                        let next = elements
                            .clone()
                            .find(|e| !matches!(e.kind(), Kind::Token(TokenKind::Space | TokenKind::Semicolon)));
                        let after_statement = self
                            .last
                            .is_some_and(|l| !matches!(l.kind, TokenKind::LBrace | TokenKind::Semicolon));
                        if after_statement
                            && next
                                .is_some_and(|e| matches!(e.kind(), Kind::Construct(_) | Kind::Node(NodeKind::Error)))
                        {
                            self.word(";", TokenKind::Semicolon, Some(node.kind()));
                        }
                    }
                    kind => self.token(kind, token.text(), Some(node.kind())),
                },
            }
        }
    }

    fn token(&mut self, kind: TokenKind, text: &str, parent: Option<Kind>) {
        match kind {
            TokenKind::Space => {}
            TokenKind::Newline => self.newline(),
            TokenKind::LineComment => {
                let comment = text.trim_end().to_string();
                if self.current.code.is_empty() && self.current.comment.is_none() {
                    self.open_line();
                }
                self.current.comment = Some(comment);
            }
            TokenKind::Semicolon if parent == Some(Kind::Node(NodeKind::File)) => {
                // A separator at the top level: kept only between statements
                // on one line, which `newline` and the next word decide.
                self.word(";", kind, parent);
            }
            _ => self.word(text, kind, parent),
        }
    }

    /// A new line in the text: the current line ends; lines with nothing
    /// mark a blank line.
    fn newline(&mut self) {
        if self.current.code.is_empty() && self.current.comment.is_none() {
            if !self.lines.is_empty() {
                self.blank = true;
            }
            return;
        }
        // A top-level `;` at the end of a line is dropped.
        if self.current.code.ends_with(';') {
            self.current.code.pop();
        }
        // Outside brackets (whose lines are indented by their depth), a
        // statement broken after `->` or `,` goes on one level deeper.
        if self.brackets == 0 && matches!(self.last.map(|l| l.kind), Some(TokenKind::Arrow | TokenKind::Comma)) {
            self.continued = true;
        }
        self.end_line();
    }

    fn end_line(&mut self) {
        if self.current.code.is_empty() && self.current.comment.is_none() {
            return;
        }
        let line = std::mem::take(&mut self.current);
        self.lines.push(line);
        self.last = None;
    }

    /// Starts a line: its indent, and the blank line before it if one was seen.
    fn open_line(&mut self) {
        if self.blank && !self.block_start && !self.lines.is_empty() {
            self.lines.push(Line::default());
        }
        self.blank = false;
        self.block_start = false;
        self.current.indent = self.depth + self.brackets + usize::from(self.continued && self.brackets == 0);
    }

    fn word(&mut self, text: &str, kind: TokenKind, parent: Option<Kind>) {
        if self.current.comment.is_some() {
            self.end_line();
        }
        if self.current.code.is_empty() {
            if kind == TokenKind::Semicolon {
                // A `;` that starts a line separates nothing, and opens no
                // line (nor the blank line before one).
                return;
            }
            if matches!(kind, TokenKind::RParen | TokenKind::RBracket) {
                self.brackets = self.brackets.saturating_sub(1);
            }
            self.open_line();
            if matches!(kind, TokenKind::RParen | TokenKind::RBracket) {
                self.brackets += 1;
            }
        } else if kind == TokenKind::Semicolon && self.last.is_some_and(|l| l.kind == TokenKind::Semicolon) {
            // `;;` separates no more than `;`.
            return;
        } else if let Some(last) = self.last
            && space_between(last, kind, parent, self.opens_operand)
        {
            self.current.code.push(' ');
        }
        self.current.code.push_str(text);
        self.last = Some(Last {
            kind,
            parent,
            call_like: CALL_LIKE.contains(&text),
        });
        match kind {
            TokenKind::LParen | TokenKind::LBracket => self.brackets += 1,
            TokenKind::RParen | TokenKind::RBracket => self.brackets = self.brackets.saturating_sub(1),
            _ => {}
        }
    }
}

fn kind_of(token: &crate::syntax::tree::SyntaxToken) -> TokenKind {
    token.kind().token().unwrap_or(TokenKind::Unknown)
}

/// Whether a node is a statement of a block (not a clause inside one).
fn is_statement(node: &SyntaxNode) -> bool {
    node.parent()
        .is_some_and(|p| matches!(p.kind(), Kind::Node(NodeKind::Block | NodeKind::File)))
}

/// Whether `node` is a bracketed group that is the first operand of a
/// binary expression.
fn starts_operand(node: &SyntaxNode) -> bool {
    node.kind() == Kind::Node(NodeKind::Paren)
        && node
            .parent()
            .is_some_and(|p| p.kind() == Kind::Node(NodeKind::Binary) && p.first_child().as_ref() == Some(node))
}

/// Whether one space separates a token from the one before it on a line.
/// `opens_operand`: `next` is a bracket opening the first operand of a
/// larger expression, which a call-like word's argument is not (written
/// tight, `poisson (n * 3) * 1/s` would read as `poisson(n * 3)` times
/// `1/s`, where the rate is the whole product).
fn space_between(last: Last, next: TokenKind, parent: Option<Kind>, opens_operand: bool) -> bool {
    use TokenKind::*;
    if matches!(last.kind, LParen | LBracket | Colon | Dot | DotDot | Caret)
        || (last.kind == Minus && last.parent == Some(Kind::Node(NodeKind::Negative)))
    {
        return false;
    }
    match next {
        Comma | Semicolon | RParen | RBracket | Colon | Dot | DotDot | Caret => false,
        // A call's arguments and a ramp's bounds follow their name.
        LParen => {
            !(matches!(last.kind, Ident | Keyword) && parent != Some(Kind::Node(NodeKind::Paren))
                || (last.call_like && !opens_operand))
        }
        // An index follows its name; a list or a group is apart.
        LBracket => !matches!(parent, Some(Kind::Node(NodeKind::Index | NodeKind::Declared))),
        Star => !matches!(last.kind, LBracket),
        _ => true,
    }
}

/// Trailing comments of neighbouring lines at the same indent start in one
/// column, one space after the longest code.
fn align_comments(lines: &mut [Line]) {
    let mut start = 0;
    while start < lines.len() {
        let aligned = |l: &Line| l.comment.is_some() && !l.code.is_empty() && !l.code.contains('\n');
        if !aligned(&lines[start]) {
            start += 1;
            continue;
        }
        let indent = lines[start].indent;
        let mut end = start + 1;
        while end < lines.len() && aligned(&lines[end]) && lines[end].indent == indent {
            end += 1;
        }
        let width = lines[start..end]
            .iter()
            .map(|l| l.code.chars().count())
            .max()
            .unwrap_or(0);
        for line in &mut lines[start..end] {
            let pad = width - line.code.chars().count();
            line.code.push_str(&" ".repeat(pad));
        }
        start = end;
    }
}

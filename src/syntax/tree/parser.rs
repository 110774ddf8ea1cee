//! The parser: reads the logos tokens into a lossless rowan tree by
//! following the shapes of the grammar of record. Every token, comment and
//! blank is kept. A statement that does not fit its shape keeps what was
//! read, and the rest of it up to its end becomes an error node with one
//! diagnostic; the next statement is read as usual.

use crate::code::Code;
use rowan::{Checkpoint, GreenNode, GreenNodeBuilder};

use super::kind::{Kind, NodeKind, TokenKind};
use crate::diagnostic::{Diagnostic, Diagnostics, did_you_mean};
use crate::language::grammar::{Construct, Context, EITHER, FAMILY_IN, Part, Role};
use crate::syntax::prepass::MAX_NESTING;
use crate::syntax::source::{FileId, Span};
use crate::syntax::token::{Token, tokenize};
use crate::syntax::words::list_words;

/// A lossless tree and the syntax errors found while reading it.
pub struct Parsed {
    pub green: GreenNode,
    pub diagnostics: Diagnostics,
}

/// Reads a whole file.
pub fn parse(file: FileId, text: &str) -> Parsed {
    let mut parser = Parser::new(file, text);
    parser.start_root();
    parser.statements(Context::File, false);
    while parser.pos < parser.tokens.len() {
        parser.bump_raw();
    }
    parser.finish();
    Parsed {
        green: parser.builder.finish(),
        diagnostics: parser.diagnostics,
    }
}

/// What may come at the end of `text`: read as a whole file, the
/// expectations where it stops (a completion at the end offers them).
pub fn expected_at_end(file: FileId, text: &str) -> Vec<Expect> {
    let mut parser = Parser::new(file, text);
    parser.start_root();
    parser.statements(Context::File, false);
    parser.at_end.unwrap_or_default()
}

/// Reads a command-line parameter override, `name=value`.
pub fn parse_assignment(file: FileId, text: &str) -> Parsed {
    let mut parser = Parser::new(file, text);
    parser.overriding = true;
    parser.start_root();
    let read = parser
        .name(Role::UseParam)
        .and_then(|_| parser.punct("="))
        .and_then(|_| parser.value());
    if read.is_ok() && parser.peek().is_some() {
        parser.note(Expect::Text("the end of the value"));
        parser.fail();
    }
    while parser.open > 1 {
        parser.finish();
    }
    while parser.pos < parser.tokens.len() {
        parser.bump_raw();
    }
    parser.finish();
    Parsed {
        green: parser.builder.finish(),
        diagnostics: parser.diagnostics,
    }
}

/// The token kind of a logos token.
pub fn token_kind(token: Option<Token>, text: &str) -> TokenKind {
    match token {
        None => TokenKind::Unknown,
        Some(token) => match token {
            Token::Space => TokenKind::Space,
            Token::Newline => TokenKind::Newline,
            Token::LineComment => TokenKind::LineComment,
            Token::BlockComment => TokenKind::BlockComment,
            Token::Word => TokenKind::Ident,
            Token::Number => TokenKind::Number,
            Token::Str => TokenKind::Str,
            Token::UnclosedStr => TokenKind::UnclosedStr,
            _ => TokenKind::punctuation(text).unwrap_or(TokenKind::Unknown),
        },
    }
}

/// A statement did not fit its shape; its diagnostic is made.
struct Failed;

type Result<T = ()> = std::result::Result<T, Failed>;

struct Parser<'t> {
    file: FileId,
    text: &'t str,
    tokens: Vec<(TokenKind, usize, usize)>,
    pos: usize,
    builder: GreenNodeBuilder<'static>,
    /// Nodes started and not finished.
    open: usize,
    /// Parentheses and brackets open: new lines are blanks inside them.
    brackets: usize,
    /// Blocks, brackets and parentheses open: a bound keeps any input from
    /// exhausting the stack of this recursive reader.
    nesting: usize,
    /// What could have come at the current position, for messages.
    expected: Vec<Expect>,
    /// What could have come at the end of the text: what a completion
    /// there may offer.
    at_end: Option<Vec<Expect>>,
    /// Whether the text is a parameter override (`-p name=value`, or one
    /// of Python's `params`), not a file: its end is the parameter's, and
    /// a mistake's help shows the override's shape, not the language tour.
    overriding: bool,
    diagnostics: Diagnostics,
}

impl<'t> Parser<'t> {
    fn new(file: FileId, text: &'t str) -> Self {
        let tokens = tokenize(text)
            .map(|(token, range)| (token_kind(token, &text[range.clone()]), range.start, range.end))
            .collect();
        Parser {
            file,
            text,
            tokens,
            pos: 0,
            builder: GreenNodeBuilder::new(),
            open: 0,
            brackets: 0,
            nesting: 0,
            expected: Vec::new(),
            at_end: None,
            overriding: false,
            diagnostics: Diagnostics::default(),
        }
    }

    // ------------------------------------------------------------ tokens

    fn blank(&self, kind: TokenKind) -> bool {
        kind.is_trivia() || (kind == TokenKind::Newline && self.brackets > 0)
    }

    /// Index of the next significant token.
    fn next_index(&self) -> usize {
        let mut i = self.pos;
        while i < self.tokens.len() && self.blank(self.tokens[i].0) {
            i += 1;
        }
        i
    }

    fn peek(&self) -> Option<TokenKind> {
        self.tokens.get(self.next_index()).map(|t| t.0)
    }

    fn peek_text(&self) -> &'t str {
        self.tokens
            .get(self.next_index())
            .map_or("", |&(_, start, end)| &self.text[start..end])
    }

    fn peek_word(&self) -> Option<&'t str> {
        (self.peek() == Some(TokenKind::Ident)).then(|| self.peek_text())
    }

    fn at_word(&self, word: &str) -> bool {
        self.peek_word() == Some(word)
    }

    fn bump_raw_as(&mut self, kind: TokenKind) {
        let (_, start, end) = self.tokens[self.pos];
        self.builder.token(Kind::Token(kind).into(), &self.text[start..end]);
        self.pos += 1;
    }

    fn bump_raw(&mut self) {
        self.bump_raw_as(self.tokens[self.pos].0);
    }

    fn eat_blanks(&mut self) {
        while self.pos < self.tokens.len() && self.blank(self.tokens[self.pos].0) {
            self.bump_raw();
        }
    }

    /// Consumes the next significant token as `kind`.
    fn bump_as(&mut self, kind: TokenKind) {
        self.eat_blanks();
        if self.pos < self.tokens.len() {
            self.bump_raw_as(kind);
            self.expected.clear();
        }
    }

    fn bump(&mut self) {
        let kind = self.peek().unwrap_or(TokenKind::Unknown);
        self.bump_as(kind);
        match kind {
            TokenKind::LBrace => self.nesting += 1,
            TokenKind::RBrace => self.nesting = self.nesting.saturating_sub(1),
            TokenKind::LParen | TokenKind::LBracket => {
                self.brackets += 1;
                self.nesting += 1;
            }
            TokenKind::RParen | TokenKind::RBracket => {
                self.brackets = self.brackets.saturating_sub(1);
                self.nesting = self.nesting.saturating_sub(1);
            }
            // New lines are free after these.
            TokenKind::Comma | TokenKind::Arrow => {
                while self.pos < self.tokens.len()
                    && (self.blank(self.tokens[self.pos].0) || self.tokens[self.pos].0 == TokenKind::Newline)
                {
                    self.bump_raw();
                }
            }
            _ => {}
        }
    }

    // ------------------------------------------------------------ nodes

    /// The file's node, which holds the blanks before the first token too.
    fn start_root(&mut self) {
        self.builder.start_node(Kind::Node(NodeKind::File).into());
        self.open += 1;
    }

    fn start(&mut self, kind: Kind) {
        self.eat_blanks();
        self.builder.start_node(kind.into());
        self.open += 1;
    }

    fn checkpoint(&mut self) -> Checkpoint {
        self.eat_blanks();
        self.builder.checkpoint()
    }

    fn start_at(&mut self, checkpoint: Checkpoint, kind: Kind) {
        self.builder.start_node_at(checkpoint, kind.into());
        self.open += 1;
    }

    fn finish(&mut self) {
        self.builder.finish_node();
        self.open -= 1;
    }

    // ------------------------------------------------------------ statements

    /// Statements of a block until its `}` (or the end of the file).
    fn statements(&mut self, context: Context, closing: bool) {
        loop {
            match self.peek() {
                None => {
                    if self.at_end.is_none() {
                        let mut expected = vec![Expect::Statements(context)];
                        expected.extend(context.fallback().map(|c| Expect::Part(c.row().shape[0])));
                        self.at_end = Some(expected);
                    }
                    return;
                }
                Some(TokenKind::Newline | TokenKind::Semicolon) => self.bump(),
                Some(TokenKind::RBrace) if closing => return,
                Some(TokenKind::RBrace) => {
                    // Closes nothing: the token pre-pass says so.
                    self.start(Kind::Node(NodeKind::Error));
                    self.bump();
                    self.finish();
                }
                Some(_) => self.statement(context),
            }
        }
    }

    fn statement(&mut self, context: Context) {
        let (open, brackets, nesting) = (self.open, self.brackets, self.nesting);
        let construct = match self.peek_word().and_then(|w| context.statement(w)) {
            Some(c) => Some(c),
            None => {
                self.note(Expect::Statements(context));
                context.fallback()
            }
        };
        let Some(construct) = construct else {
            self.unknown_statement(context);
            self.start(Kind::Node(NodeKind::Error));
            self.skip_statement(0);
            self.finish();
            return;
        };
        self.start(Kind::Construct(construct));
        if self.construct(construct).and_then(|_| self.end_of_statement()).is_err() {
            while self.open > open + 1 {
                self.finish();
            }
            let depth = self.brackets - brackets.min(self.brackets);
            self.brackets = brackets;
            self.nesting = nesting;
            self.start(Kind::Node(NodeKind::Error));
            self.skip_statement(depth);
            self.finish();
        }
        self.finish();
        self.expected.clear();
    }

    fn end_of_statement(&mut self) -> Result {
        match self.peek() {
            None => {
                if self.at_end.is_none() {
                    self.at_end = Some(self.expected.clone());
                }
                Ok(())
            }
            Some(TokenKind::Newline | TokenKind::Semicolon | TokenKind::RBrace) => Ok(()),
            Some(_) => {
                if self.expected.iter().all(|e| *e == Expect::Text("`..`")) {
                    self.note(Expect::Text("a new line or `;`"));
                }
                Err(self.fail())
            }
        }
    }

    /// Consumes the rest of a broken statement: up to a new line or `;`
    /// outside brackets and braces, or the `}` of the enclosing block.
    fn skip_statement(&mut self, mut depth: usize) {
        let mut braces = 0usize;
        while let Some(&(kind, _, _)) = self.tokens.get(self.pos) {
            if kind.is_trivia() {
                // Blanks after the statement belong to what follows it. The
                // run of blanks is looked past once, not once per blank.
                let run = self.tokens[self.pos..].iter().take_while(|t| t.0.is_trivia()).count();
                let ends = match self.tokens.get(self.pos + run).map(|t| t.0) {
                    None => true,
                    Some(TokenKind::Newline | TokenKind::Semicolon) => depth == 0 && braces == 0,
                    Some(TokenKind::RBrace) => braces == 0,
                    _ => false,
                };
                if ends {
                    return;
                }
                for _ in 0..run {
                    self.bump_raw();
                }
                continue;
            }
            match kind {
                TokenKind::Newline | TokenKind::Semicolon if depth == 0 && braces == 0 => return,
                TokenKind::RBrace if braces == 0 => return,
                TokenKind::LBrace => braces += 1,
                TokenKind::RBrace => braces -= 1,
                TokenKind::LParen | TokenKind::LBracket => depth += 1,
                TokenKind::RParen | TokenKind::RBracket => depth = depth.saturating_sub(1),
                _ => {}
            }
            self.bump_raw();
        }
    }

    fn construct(&mut self, construct: Construct) -> Result {
        let row = construct.row();
        if let Some(keyword) = row.keyword {
            self.keyword(keyword)?;
        }
        self.parts(row.shape)
    }

    fn parts(&mut self, parts: &[Part]) -> Result {
        parts.iter().try_for_each(|p| self.part(*p))
    }

    fn part(&mut self, part: Part) -> Result {
        match part {
            Part::Word(word) => self.keyword(word),
            Part::Punct(text) => self.punct(text),
            Part::Name(role) => self.name(role),
            Part::Declared(role) => {
                self.start(Kind::Node(NodeKind::Declared));
                self.name(role)?;
                if self.peek() == Some(TokenKind::LBracket) {
                    self.bump();
                    self.variable()?;
                    self.value()?;
                    self.punct("]")?;
                }
                self.finish();
                Ok(())
            }
            Part::Element(role) => self.element(role),
            Part::Disk => {
                self.start(Kind::Node(NodeKind::DiskRef));
                self.element(Role::UseHost)?;
                self.punct(":")?;
                self.part(Part::Text)?;
                self.finish();
                Ok(())
            }
            Part::Text => {
                if self.peek() != Some(TokenKind::Str) {
                    self.note(Expect::Part(part));
                    return Err(self.fail());
                }
                self.start(Kind::Node(NodeKind::Text));
                self.bump();
                self.finish();
                Ok(())
            }
            Part::Value | Part::Measure(_) | Part::Choice(_) => {
                if !self.can_start(part) {
                    self.note(Expect::Part(part));
                    return Err(self.fail());
                }
                self.value()
            }
            Part::Block(context) => self.block(context),
            Part::Properties(_) => self.block(Context::Properties),
            Part::Optional(parts) => {
                if self.can_start(parts[0]) {
                    self.parts(parts)?;
                } else {
                    self.note(Expect::Part(parts[0]));
                }
                Ok(())
            }
            Part::Repeated(parts) => {
                while self.can_start(parts[0]) {
                    self.parts(parts)?;
                }
                self.note(Expect::Part(parts[0]));
                Ok(())
            }
            Part::Repeated1(parts) => {
                self.parts(parts)?;
                self.part(Part::Repeated(parts))
            }
            Part::Separated(parts) => {
                self.parts(parts)?;
                while self.peek() == Some(TokenKind::Comma) {
                    self.bump();
                    self.parts(parts)?;
                }
                Ok(())
            }
            Part::Either(alternatives) => match alternatives.iter().find(|a| self.can_start(a[0])) {
                Some(alternative) => self.parts(alternative),
                None => {
                    for alternative in alternatives {
                        self.note(Expect::Part(alternative[0]));
                    }
                    Err(self.fail())
                }
            },
            Part::Child(construct) => {
                self.start(Kind::Construct(construct));
                self.construct(construct)?;
                self.finish();
                Ok(())
            }
            Part::Clauses(constructs) => {
                while let Some(clause) = constructs.iter().find(|c| self.can_start(Part::Child(**c))) {
                    self.part(Part::Child(*clause))?;
                }
                for clause in constructs {
                    self.note(Expect::Part(Part::Child(*clause)));
                }
                Ok(())
            }
            Part::Group => self.group(),
        }
    }

    /// Whether `part` can start with the next token.
    fn can_start(&self, part: Part) -> bool {
        let next = self.peek();
        match part {
            Part::Word(word) => self.at_word(word),
            Part::Punct(text) => next.is_some() && next == TokenKind::punctuation(text),
            Part::Name(_) | Part::Declared(_) | Part::Element(_) | Part::Disk => next == Some(TokenKind::Ident),
            Part::Text => next == Some(TokenKind::Str),
            Part::Value | Part::Measure(_) | Part::Choice(_) => matches!(
                next,
                Some(
                    TokenKind::Number
                        | TokenKind::Str
                        | TokenKind::Ident
                        | TokenKind::LBracket
                        | TokenKind::LParen
                        | TokenKind::Minus
                )
            ),
            Part::Block(_) | Part::Properties(_) => next == Some(TokenKind::LBrace),
            Part::Optional(parts) | Part::Repeated(parts) | Part::Repeated1(parts) | Part::Separated(parts) => {
                self.can_start(parts[0])
            }
            Part::Either(alternatives) => alternatives.iter().any(|a| self.can_start(a[0])),
            Part::Child(construct) => {
                let row = construct.row();
                match row.keyword {
                    Some(keyword) => self.at_word(keyword),
                    None => row.shape.first().is_some_and(|p| self.can_start(*p)),
                }
            }
            Part::Clauses(constructs) => constructs.iter().any(|c| self.can_start(Part::Child(*c))),
            Part::Group => matches!(next, Some(TokenKind::Ident | TokenKind::LBracket)),
        }
    }

    fn block(&mut self, context: Context) -> Result {
        if self.peek() != Some(TokenKind::LBrace) || self.nesting > MAX_NESTING {
            self.note(Expect::Text("a `{ ... }` block"));
            return Err(self.fail());
        }
        let brackets = std::mem::take(&mut self.brackets);
        self.start(Kind::Node(NodeKind::Block));
        self.bump();
        self.statements(context, true);
        let closed = self.peek() == Some(TokenKind::RBrace);
        if closed {
            self.bump();
        }
        self.finish();
        self.brackets = brackets;
        if closed {
            Ok(())
        } else {
            self.note(Expect::Text("`}`"));
            Err(self.fail())
        }
    }

    fn keyword(&mut self, word: &'static str) -> Result {
        if self.at_word(word) {
            self.bump_as(TokenKind::Keyword);
            Ok(())
        } else {
            self.note(Expect::Part(Part::Word(word)));
            Err(self.fail())
        }
    }

    fn punct(&mut self, text: &'static str) -> Result {
        if TokenKind::punctuation(text).is_some() && self.peek() == TokenKind::punctuation(text) {
            self.bump();
            Ok(())
        } else {
            self.note(Expect::Part(Part::Punct(text)));
            Err(self.fail())
        }
    }

    fn name(&mut self, role: Role) -> Result {
        if self.peek() != Some(TokenKind::Ident) {
            self.note(Expect::Part(Part::Name(role)));
            return Err(self.fail());
        }
        self.start(Kind::Name(role));
        self.bump();
        self.finish();
        Ok(())
    }

    fn element(&mut self, role: Role) -> Result {
        if self.peek() != Some(TokenKind::Ident) {
            self.note(Expect::Part(Part::Element(role)));
            return Err(self.fail());
        }
        self.start(Kind::Node(NodeKind::Element));
        self.name(role)?;
        if self.peek() == Some(TokenKind::LBracket) {
            self.index()?;
        }
        self.finish();
        Ok(())
    }

    fn index(&mut self) -> Result {
        self.start(Kind::Node(NodeKind::Index));
        self.bump();
        if self.peek() == Some(TokenKind::Star) {
            self.bump();
        } else {
            self.note(Expect::Text("`*`"));
            self.variable()?;
            self.value()?;
        }
        self.punct("]")?;
        self.finish();
        Ok(())
    }

    /// `k in` before a family's range: the name its members' index goes by.
    fn variable(&mut self) -> Result {
        let next = self.next_index();
        let after = (next + 1..self.tokens.len()).find(|&i| !self.blank(self.tokens[i].0));
        let names_index = self.peek() == Some(TokenKind::Ident)
            && after.is_some_and(|i| {
                let (kind, start, end) = self.tokens[i];
                kind == TokenKind::Ident && &self.text[start..end] == FAMILY_IN
            });
        if names_index {
            self.start(Kind::Node(NodeKind::Variable));
            self.name(Role::DeclareIndex)?;
            self.keyword(FAMILY_IN)?;
            self.finish();
        }
        Ok(())
    }

    // ------------------------------------------------------------ workflows

    fn group(&mut self) -> Result {
        self.start(Kind::Node(NodeKind::Group));
        if self.at_word(EITHER) {
            self.bump_as(TokenKind::Keyword);
            self.flows()?;
        } else if self.peek() == Some(TokenKind::LBracket) {
            self.flows()?;
        } else if self.peek() == Some(TokenKind::Ident) {
            self.flow()?;
        } else {
            self.note(Expect::Part(Part::Group));
            return Err(self.fail());
        }
        self.finish();
        Ok(())
    }

    /// `[f, g 30%, ...]`
    fn flows(&mut self) -> Result {
        self.punct("[")?;
        self.flow()?;
        while self.peek() == Some(TokenKind::Comma) {
            self.bump();
            if self.peek() == Some(TokenKind::RBracket) {
                break;
            }
            self.flow()?;
        }
        self.punct("]")
    }

    fn flow(&mut self) -> Result {
        self.start(Kind::Node(NodeKind::Flow));
        self.name(Role::UseFunction)?;
        if self.peek() == Some(TokenKind::Number) {
            if percent(self.peek_text()).is_none() {
                self.note(Expect::Text("a percentage such as `30%`"));
                return Err(self.fail());
            }
            self.bump();
        }
        self.finish();
        Ok(())
    }

    // ------------------------------------------------------------ values

    fn value(&mut self) -> Result {
        let checkpoint = self.checkpoint();
        self.sum()?;
        if self.peek() == Some(TokenKind::DotDot) {
            self.start_at(checkpoint, Kind::Node(NodeKind::Range));
            self.bump();
            self.sum()?;
            self.finish();
        } else {
            self.note(Expect::Text("`..`"));
        }
        Ok(())
    }

    /// Terms joined by operators of one precedence level, left to right:
    /// `+ -` over `* /` over `^` (which groups to the right) over a sign.
    fn operation(&mut self, level: usize) -> Result {
        const LEVELS: [&[TokenKind]; 3] = [
            &[TokenKind::Plus, TokenKind::Minus],
            &[TokenKind::Star, TokenKind::Slash],
            &[TokenKind::Caret],
        ];
        let Some(operators) = LEVELS.get(level) else {
            return self.signed();
        };
        let checkpoint = self.checkpoint();
        self.operation(level + 1)?;
        let nesting = self.nesting;
        while self.peek().is_some_and(|p| operators.contains(&p)) {
            // Each operation nests the ones before it: a long chain is as
            // deep as as many brackets.
            self.nesting += 1;
            if self.nesting > MAX_NESTING {
                self.note(Expect::Text("fewer operations in one value"));
                return Err(self.fail());
            }
            self.start_at(checkpoint, Kind::Node(NodeKind::Binary));
            self.bump();
            // `^` groups to the right: `2^3^2` is `2^(3^2)`.
            if level == LEVELS.len() - 1 {
                self.deeper(|parser| parser.operation(level))?;
            } else {
                self.operation(level + 1)?;
            }
            self.finish();
        }
        self.nesting = nesting;
        Ok(())
    }

    /// Reads what `read` reads one level deeper, within the bound on nesting
    /// that keeps any input from exhausting the stack.
    fn deeper(&mut self, read: impl FnOnce(&mut Self) -> Result) -> Result {
        if self.nesting > MAX_NESTING {
            self.note(Expect::Text("fewer nested operations"));
            return Err(self.fail());
        }
        self.nesting += 1;
        let read = read(self);
        self.nesting -= 1;
        read
    }

    fn sum(&mut self) -> Result {
        self.operation(0)
    }

    /// `-a` or a term.
    fn signed(&mut self) -> Result {
        if self.peek() == Some(TokenKind::Minus) {
            self.start(Kind::Node(NodeKind::Negative));
            self.bump();
            // The sign applies to a power: `-2^2` is `-(2^2)`.
            self.deeper(|parser| parser.operation(2))?;
            self.finish();
            return Ok(());
        }
        self.term()
    }

    fn term(&mut self) -> Result {
        if self.nesting > MAX_NESTING {
            self.note(Expect::Text("fewer nested brackets"));
            return Err(self.fail());
        }
        match self.peek() {
            Some(TokenKind::Number) => self.leaf(NodeKind::Quantity),
            Some(TokenKind::Str) => self.leaf(NodeKind::Text),
            Some(TokenKind::LBracket) => {
                self.start(Kind::Node(NodeKind::List));
                self.bump();
                self.values(TokenKind::RBracket)?;
                self.punct("]")?;
                self.finish();
                Ok(())
            }
            Some(TokenKind::LParen) => {
                self.start(Kind::Node(NodeKind::Paren));
                self.bump();
                self.value()?;
                self.punct(")")?;
                self.finish();
                Ok(())
            }
            Some(TokenKind::Ident) => {
                let checkpoint = self.checkpoint();
                self.bump();
                match self.peek() {
                    Some(TokenKind::LParen) => {
                        self.start_at(checkpoint, Kind::Node(NodeKind::Call));
                        self.start(Kind::Node(NodeKind::Args));
                        self.bump();
                        self.values(TokenKind::RParen)?;
                        self.punct(")")?;
                        self.finish();
                    }
                    Some(TokenKind::Dot) => {
                        self.start_at(checkpoint, Kind::Node(NodeKind::Path));
                        while self.peek() == Some(TokenKind::Dot) {
                            self.bump();
                            if self.peek() != Some(TokenKind::Ident) {
                                self.note(Expect::Text("a name"));
                                return Err(self.fail());
                            }
                            self.bump();
                        }
                    }
                    Some(TokenKind::LBracket) => {
                        self.start_at(checkpoint, Kind::Node(NodeKind::Indexed));
                        self.index()?;
                    }
                    _ => self.start_at(checkpoint, Kind::Node(NodeKind::Word)),
                }
                self.finish();
                Ok(())
            }
            _ => {
                self.note(Expect::Text("a value"));
                Err(self.fail())
            }
        }
    }

    fn leaf(&mut self, kind: NodeKind) -> Result {
        self.start(Kind::Node(kind));
        self.bump();
        self.finish();
        Ok(())
    }

    /// Values separated by `,` up to `close` (a trailing `,` is allowed).
    fn values(&mut self, close: TokenKind) -> Result {
        if self.peek() == Some(close) {
            return Ok(());
        }
        self.value()?;
        while self.peek() == Some(TokenKind::Comma) {
            self.bump();
            if self.peek() == Some(close) {
                break;
            }
            self.value()?;
        }
        Ok(())
    }

    // ------------------------------------------------------------ diagnostics

    fn note(&mut self, expected: Expect) {
        self.expected.push(expected);
    }

    /// What is at the current position, in words; where it starts and how
    /// long it is.
    fn found(&self) -> (String, usize, usize) {
        let mut i = self.pos;
        while let Some(&(kind, start, end)) = self.tokens.get(i) {
            match kind {
                TokenKind::Space | TokenKind::BlockComment => i += 1,
                TokenKind::Newline if self.brackets > 0 => i += 1,
                TokenKind::Newline | TokenKind::LineComment => return ("the end of the line".to_string(), start, 0),
                _ => {
                    let shown: String = self.text[start..end].chars().take(40).collect();
                    return (format!("`{shown}`"), start, end - start);
                }
            }
        }
        let end = match self.overriding {
            true => "the end of the parameter",
            false => "the end of the file",
        };
        (end.to_string(), self.text.len(), 0)
    }

    /// The diagnostic of a statement that does not fit its shape.
    fn fail(&mut self) -> Failed {
        let (found, at, len) = self.found();
        if at == self.text.len() && self.at_end.is_none() {
            self.at_end = Some(self.expected.clone());
        }
        // Past the cap a mistake is only counted: explaining it costs a
        // search of what was expected.
        if self.diagnostics.is_full() {
            self.diagnostics.suppress(1);
            return Failed;
        }
        let mut expected: Vec<String> = Vec::new();
        for e in &self.expected {
            for text in e.describe() {
                if !expected.contains(&text) {
                    expected.push(text);
                }
            }
        }
        let specific: Vec<&str> = expected.iter().map(String::as_str).filter(|e| *e != "`..`").collect();
        let shown: Vec<&str> = if specific.is_empty() {
            expected.iter().map(String::as_str).collect()
        } else {
            specific
        };
        let message = if shown.is_empty() {
            format!("unexpected {found}")
        } else {
            format!("expected {}, found {found}", list_words(&shown))
        };
        let found_word = found.trim_matches('`');
        let before = self.text[..at].trim_end_matches([' ', '\t']);
        let detached_unit = found_word.chars().all(char::is_alphabetic)
            && !found_word.is_empty()
            && before.ends_with(|c: char| c.is_ascii_digit())
            && before.len() < at;
        let diagnostic = if detached_unit {
            let number_start = before
                .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '.')
                .len();
            let number = &before[number_start..];
            Diagnostic::new(
                Code::ParseDetachedUnit,
                format!("the unit `{found_word}` is apart from its number"),
                Span::new(self.file, number_start, at + len),
                "a space splits this quantity",
            )
            .with_help(format!("write the unit right after the number: `{number}{found_word}`"))
        } else {
            let words: Vec<&str> = shown
                .iter()
                .filter_map(|n| n.strip_prefix('`').and_then(|n| n.strip_suffix('`')))
                .filter(|n| n.chars().all(|c| c.is_ascii_alphabetic()))
                .collect();
            let meant = crate::language::synonyms::meant(found_word).filter(|word| words.contains(word));
            // `ram: 512MB` or `ram = 512MB`, as other configuration languages write it.
            let property = &before[before
                .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_')
                .len()..];
            let help = if let Some(best) = did_you_mean(found_word, words.iter().copied()) {
                format!("did you mean `{best}`?")
            } else if let Some(word) = meant {
                format!("`{found_word}` is written `{word}` here")
            } else if (found == "`:`" || found == "`=`")
                && property.starts_with(|c: char| c.is_ascii_alphabetic())
                && !self.overriding
            {
                let value = self.text[at + len..]
                    .split(['\n', ';', '}'])
                    .next()
                    .unwrap_or("")
                    .trim_start_matches([':', '=', ' ', '\t'])
                    .trim_end();
                let value = if value.is_empty() { "VALUE" } else { value };
                format!("write the value after a space, without `:` or `=`: `{property} {value}`")
            } else if self.overriding {
                "write the parameter as `name=value`, the value as the script writes it (like `rate=10/s`)".to_string()
            } else if shown == ["`->`"] && (found.contains("end of the line") || found == "`;`" || found == "`}`") {
                // A workflow's line of one group: `workflow solo { a }`.
                let name = if property.is_empty() { "NAME" } else { property };
                format!(
                    "a workflow joins functions with `->` (`first -> second`); one function alone needs no workflow: invoke it (`invoke {name} every 1s`)"
                )
            } else if found.contains("end of the line") || found == "`;`" || found == "`}`" {
                "the statement is incomplete: finish it on this line".to_string()
            } else {
                "see the language tour in README.md for the shape of each statement".to_string()
            };
            Diagnostic::new(
                Code::ParseUnexpected,
                message,
                Span::new(self.file, at, at + len),
                "unexpected here",
            )
            .with_help(help)
        };
        self.diagnostics.push(diagnostic);
        Failed
    }

    /// A statement that starts with no keyword of its block.
    fn unknown_statement(&mut self, context: Context) {
        let Some(word) = self.peek_word() else {
            self.fail();
            return;
        };
        if self.diagnostics.is_full() {
            self.diagnostics.suppress(1);
            self.expected.clear();
            return;
        }
        let start = self.tokens[self.next_index()].1;
        let span = Span::new(self.file, start, start + word.len());
        let homes: Vec<&str> = Context::ALL
            .iter()
            .filter(|c| **c != context && c.statement(word).is_some())
            .map(|c| c.written())
            .collect();
        let diagnostic = if !homes.is_empty() {
            let homes: Vec<String> = homes.iter().map(|h| format!("`{h}`")).collect();
            Diagnostic::new(
                Code::ParseMisplaced,
                format!("`{word}` cannot be used {}", context.describe()),
                span,
                "misplaced statement",
            )
            .with_help(format!("`{word}` belongs inside {}", list_words(&homes)))
        } else {
            let keywords: Vec<&str> = context.statements().filter_map(|c| c.row().keyword).collect();
            let help = match did_you_mean(word, keywords.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("expected one of {}", list_words(&keywords)),
            };
            Diagnostic::new(
                Code::ParseUnknownStatement,
                format!("unknown statement `{word}` {}", context.describe()),
                span,
                "not a statement here",
            )
            .with_help(help)
        };
        self.diagnostics.push(diagnostic);
        self.expected.clear();
    }
}

/// What could have come where a statement broke, kept cheap until a
/// message needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Expect {
    Part(Part),
    /// A statement keyword of the block.
    Statements(Context),
    Text(&'static str),
}

impl Expect {
    /// How it is named in messages.
    pub fn describe(self) -> Vec<String> {
        match self {
            Expect::Part(part) => vec![describe(part)],
            Expect::Statements(context) => context
                .statements()
                .filter_map(|c| c.row().keyword)
                .map(|k| format!("`{k}`"))
                .collect(),
            Expect::Text(text) => vec![text.to_string()],
        }
    }
}

/// How an expected part is named in messages.
fn describe(part: Part) -> String {
    match part {
        Part::Word(text) | Part::Punct(text) => format!("`{text}`"),
        Part::Name(Role::Property) => "a property name".to_string(),
        Part::Name(_) => "a name".to_string(),
        Part::Declared(_) => "a name, or `name[1..n]` for an array".to_string(),
        Part::Element(Role::UseHost) => "a host such as `node[1]`".to_string(),
        Part::Element(Role::UseLink) => "a link such as `local[i]`".to_string(),
        Part::Element(_) => "a name".to_string(),
        Part::Disk => "a disk such as `gateway:\"/\"`".to_string(),
        Part::Text => "a string in double quotes".to_string(),
        Part::Value | Part::Measure(_) | Part::Choice(_) => "a value".to_string(),
        Part::Block(_) => "a `{ ... }` block".to_string(),
        Part::Properties(_) => "a `{ ... }` block of properties".to_string(),
        Part::Optional(parts) | Part::Repeated(parts) | Part::Repeated1(parts) | Part::Separated(parts) => {
            describe(parts[0])
        }
        Part::Either(alternatives) => {
            let names: Vec<String> = alternatives.iter().map(|a| describe(a[0])).collect();
            list_words(&names)
        }
        Part::Child(construct) => match construct.row().keyword {
            Some(keyword) => format!("`{keyword}`"),
            None => describe(construct.row().shape[0]),
        },
        Part::Clauses(constructs) => {
            let names: Vec<String> = constructs.iter().map(|c| describe(Part::Child(*c))).collect();
            list_words(&names)
        }
        Part::Group => "a function, `[a, b]` or `either [a 50%, b 50%]`".to_string(),
    }
}

/// The value of a percentage token (`30%` is 30), if it is one.
pub fn percent(text: &str) -> Option<f64> {
    text.strip_suffix('%')?.parse().ok()
}

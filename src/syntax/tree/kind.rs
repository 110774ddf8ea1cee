//! The kinds of the lossless syntax tree's tokens and nodes. A statement's
//! node kind is its construct of the grammar of record, and a name's node
//! kind says what the name is (declared, referred to, a property, a word of
//! a set), so tools read meaning off the tree without re-parsing.

use crate::language::grammar::{Construct, Role};
use crate::language::listed_enum;

listed_enum! {
    /// What a token is. Every byte of a file is in exactly one token.
    pub enum TokenKind {
        Space,
        Newline,
        LineComment,
        BlockComment,
        /// A name that is not a keyword where it stands.
        Ident,
        /// A word used as a keyword where it stands.
        Keyword,
        /// A number with its unit, per-unit or percent sign: `10Gf/s`.
        Number,
        Str,
        UnclosedStr,
        LBrace,
        RBrace,
        LBracket,
        RBracket,
        LParen,
        RParen,
        BothWays,
        Arrow,
        DotDot,
        Eq,
        Comma,
        Semicolon,
        Colon,
        Dot,
        Star,
        Slash,
        Percent,
        Plus,
        Minus,
        Caret,
        /// Text no token matches.
        Unknown,
    }
}

impl TokenKind {
    /// Whitespace and comments: never significant to the grammar.
    pub fn is_trivia(self) -> bool {
        matches!(
            self,
            TokenKind::Space | TokenKind::LineComment | TokenKind::BlockComment
        )
    }

    /// The punctuation written `text`, if it is one.
    pub fn punctuation(text: &str) -> Option<TokenKind> {
        Some(match text {
            "{" => TokenKind::LBrace,
            "}" => TokenKind::RBrace,
            "[" => TokenKind::LBracket,
            "]" => TokenKind::RBracket,
            "(" => TokenKind::LParen,
            ")" => TokenKind::RParen,
            "<->" => TokenKind::BothWays,
            "->" => TokenKind::Arrow,
            ".." => TokenKind::DotDot,
            "=" => TokenKind::Eq,
            "," => TokenKind::Comma,
            ";" => TokenKind::Semicolon,
            ":" => TokenKind::Colon,
            "." => TokenKind::Dot,
            "*" => TokenKind::Star,
            "/" => TokenKind::Slash,
            "%" => TokenKind::Percent,
            "+" => TokenKind::Plus,
            "-" => TokenKind::Minus,
            "^" => TokenKind::Caret,
            _ => return None,
        })
    }
}

listed_enum! {
    /// Nodes that are not statements.
    pub enum NodeKind {
        /// The whole file.
        File,
        /// `{ ... }` holding statements.
        Block,
        /// Text that could not be read: a bad statement, or the broken rest of one.
        Error,
        /// `name` or `name[range]`.
        Declared,
        /// `name` or `name[index]`.
        Element,
        /// `host:"mount"`.
        DiskRef,
        /// `[index]` after an element or a name.
        Index,
        /// A workflow group: `f`, `[f, g]`, `either [f 90%, g 10%]`.
        Group,
        /// A function in a workflow group, maybe with its percentage.
        Flow,
        /// A number as a value.
        Quantity,
        /// A string as a value.
        Text,
        /// A bare name as a value: a parameter or a word of a set.
        Word,
        /// `uniform(10s, 90s)`.
        Call,
        /// The parenthesized arguments of a call.
        Args,
        /// `trace.duration`.
        Path,
        /// `node[3]` as a value.
        Indexed,
        /// `[1, 2]`.
        List,
        /// `1..nodes`.
        Range,
        /// `(value)`.
        Paren,
        /// `a + b`, `a - b`, `a * b`, `a / b`, `a ^ b`: arithmetic.
        Binary,
        /// `-a`.
        Negative,
        /// `k in` before the range of a family: the name of its index.
        Variable,
    }
}

/// Any kind of the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Token(TokenKind),
    Node(NodeKind),
    /// A statement or clause of the grammar of record.
    Construct(Construct),
    /// A name, with what it is.
    Name(Role),
}

impl Kind {
    /// The token kind, for a token.
    pub fn token(self) -> Option<TokenKind> {
        match self {
            Kind::Token(t) => Some(t),
            _ => None,
        }
    }
}

const NODES: u16 = 100;
const CONSTRUCTS: u16 = 200;
const NAMES: u16 = 400;

impl From<Kind> for rowan::SyntaxKind {
    fn from(kind: Kind) -> Self {
        rowan::SyntaxKind(match kind {
            Kind::Token(t) => t.index() as u16,
            Kind::Node(n) => NODES + n.index() as u16,
            Kind::Construct(c) => CONSTRUCTS + c.index() as u16,
            Kind::Name(r) => NAMES + r.index() as u16,
        })
    }
}

impl From<rowan::SyntaxKind> for Kind {
    fn from(raw: rowan::SyntaxKind) -> Self {
        let n = raw.0;
        let at = |base: u16| (n - base) as usize;
        if n >= NAMES {
            Kind::Name(Role::ALL[at(NAMES)])
        } else if n >= CONSTRUCTS {
            Kind::Construct(Construct::ALL[at(CONSTRUCTS)])
        } else if n >= NODES {
            Kind::Node(NodeKind::ALL[at(NODES)])
        } else {
            Kind::Token(TokenKind::ALL[n as usize])
        }
    }
}

/// The rowan language of `.sls` trees.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Sls {}

impl rowan::Language for Sls {
    type Kind = Kind;

    fn kind_from_raw(raw: rowan::SyntaxKind) -> Kind {
        raw.into()
    }

    fn kind_to_raw(kind: Kind) -> rowan::SyntaxKind {
        kind.into()
    }
}

pub type SyntaxNode = rowan::SyntaxNode<Sls>;
pub type SyntaxToken = rowan::SyntaxToken<Sls>;
pub type SyntaxElement = rowan::SyntaxElement<Sls>;

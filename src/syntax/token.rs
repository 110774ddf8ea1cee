//! The token stream of a script (logos): every byte in exactly one token,
//! whitespace and comments kept. The parser builds the lossless tree from
//! it; the pre-pass checks it for look-alike characters, unclosed strings
//! and unbalanced brackets.

use logos::Logos;

/// One token; whitespace and comments are kept so the stream covers every byte.
#[derive(Logos, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Token {
    #[regex(r"[ \t\u{FEFF}]+")]
    Space,
    #[regex(r"\r?\n")]
    Newline,
    #[regex(r"//[^\n]*", allow_greedy = true)]
    LineComment,
    #[regex(r"/\*([^*]|\*+[^*/])*\*+/")]
    BlockComment,
    #[regex(r"[A-Za-z_][A-Za-z0-9_]*")]
    Word,
    #[regex(r"[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?([A-Za-zµ]+)?(/[A-Za-z]+)?%?")]
    Number,
    #[regex(r#""([^"\\\n]|\\.)*""#)]
    Str,
    #[regex(r#""([^"\\\n]|\\.)*"#)]
    UnclosedStr,
    #[token("{")]
    OpenBrace,
    #[token("}")]
    CloseBrace,
    #[token("[")]
    OpenBracket,
    #[token("]")]
    CloseBracket,
    #[token("(")]
    OpenParen,
    #[token(")")]
    CloseParen,
    #[token("<->")]
    BothWays,
    #[token("->")]
    Arrow,
    #[token("..")]
    DotDot,
    #[regex(r"[=,;:.*/%+^-]")]
    Punct,
}

/// A token with its byte range; `None` marks text no token matches.
pub type Lexeme = (Option<Token>, std::ops::Range<usize>);

/// Splits `text` into tokens covering every byte.
pub fn tokenize(text: &str) -> impl Iterator<Item = Lexeme> + '_ {
    Token::lexer(text).spanned().map(|(token, range)| (token.ok(), range))
}

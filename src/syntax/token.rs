//! The token stream of a script (logos). The pest grammar does the parsing;
//! tokens serve what needs a flat, lossless view of the text: a pre-pass that
//! catches look-alike characters, unclosed strings and unbalanced brackets
//! with a precise message before the grammar reports something vaguer; token
//! boundaries for robustness tests; and editors' highlighting.

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
    #[regex(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?([A-Za-zµ]+)?(/[A-Za-z]+)?%?")]
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
    #[regex(r"[=,;:.*/%]")]
    Punct,
}

/// A token with its byte range; `None` marks text no token matches.
pub type Lexeme = (Option<Token>, std::ops::Range<usize>);

/// Splits `text` into tokens covering every byte.
pub fn tokenize(text: &str) -> impl Iterator<Item = Lexeme> + '_ {
    Token::lexer(text).spanned().map(|(token, range)| (token.ok(), range))
}

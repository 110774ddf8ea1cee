//! The document's outline (its declarations, nested as written) and its
//! semantic tokens (every token classified from the tree: keywords,
//! declared and referred names by kind, properties, words of a set,
//! numbers, strings, comments, operators).

use lsp_types::{
    DocumentSymbol, SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokensLegend, SymbolKind,
};

use crate::language::choices::Choices;
use crate::language::grammar::{Construct, Role, Space};
use crate::syntax::tree::{Kind, NodeKind, SyntaxNode, TokenKind};

use super::document::Document;
use super::index::Index;

/// Declarations of the document, nested as written; `platform` and
/// `workload` hold theirs.
pub fn symbols(document: &Document, root: &SyntaxNode) -> Vec<DocumentSymbol> {
    let mut out = Vec::new();
    for node in root.children() {
        collect(document, &node, &mut out);
    }
    out
}

fn collect(document: &Document, node: &SyntaxNode, out: &mut Vec<DocumentSymbol>) {
    let Kind::Construct(construct) = node.kind() else {
        return;
    };
    let named = node
        .descendants()
        .take_while(|n| n.kind() != Kind::Node(NodeKind::Block))
        .find(|n| matches!(n.kind(), Kind::Name(role) if role.declares().is_some()));
    let container = matches!(construct, Construct::Platform | Construct::Workload);
    let (name, selection, kind) = match (&named, construct.row().keyword) {
        (Some(name), _) => {
            let Kind::Name(role) = name.kind() else { return };
            (name.text().to_string(), name.text_range(), kind_of(role.declares()))
        }
        (None, Some(keyword)) if container => (keyword.to_string(), node.text_range(), SymbolKind::NAMESPACE),
        _ => return,
    };
    let mut children = Vec::new();
    if let Some(block) = node.children().find(|c| c.kind() == Kind::Node(NodeKind::Block)) {
        for child in block.children() {
            collect(document, &child, &mut children);
        }
    }
    let range = node.text_range();
    #[allow(deprecated)]
    out.push(DocumentSymbol {
        name,
        detail: construct.row().keyword.map(str::to_string),
        kind,
        tags: None,
        deprecated: None,
        range: document.range(range.start().into(), range.end().into()),
        selection_range: document.range(selection.start().into(), selection.end().into()),
        children: (!children.is_empty()).then_some(children),
    });
}

fn kind_of(space: Option<Space>) -> SymbolKind {
    match space {
        Some(Space::Param) => SymbolKind::CONSTANT,
        Some(Space::Host | Space::Link) => SymbolKind::OBJECT,
        Some(Space::Storage | Space::Service) => SymbolKind::MODULE,
        Some(Space::Layer | Space::Image) => SymbolKind::PACKAGE,
        Some(Space::Function) => SymbolKind::FUNCTION,
        Some(Space::Workflow) => SymbolKind::EVENT,
        Some(Space::Format) => SymbolKind::STRUCT,
        Some(Space::Policy) => SymbolKind::INTERFACE,
        None => SymbolKind::NULL,
    }
}

/// The token types, in the order the legend gives them.
const TYPES: &[SemanticTokenType] = &[
    SemanticTokenType::KEYWORD,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::TYPE,
    SemanticTokenType::FUNCTION,
    SemanticTokenType::PARAMETER,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::ENUM_MEMBER,
    SemanticTokenType::NUMBER,
    SemanticTokenType::STRING,
    SemanticTokenType::COMMENT,
    SemanticTokenType::OPERATOR,
];

/// The legend the server announces.
pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: vec![SemanticTokenModifier::DECLARATION],
    }
}

fn type_index(kind: &SemanticTokenType) -> u32 {
    TYPES.iter().position(|t| t == kind).unwrap_or(0) as u32
}

/// Every token of file 0 with its type, relative positions as LSP wants.
pub fn semantic_tokens(document: &Document, index: &Index) -> Vec<SemanticToken> {
    let root = &index.files[0].root;
    let mut out = Vec::new();
    let (mut line, mut column) = (0u32, 0u32);
    for token in root.descendants_with_tokens().filter_map(|e| e.into_token()) {
        let Some((kind, declaration)) = classify(index, &token) else {
            continue;
        };
        let start = usize::from(token.text_range().start());
        // A token over several lines (a block comment) is given line by line.
        let mut offset = start;
        for piece in token.text().split('\n') {
            let position = document.lines.position(&document.text, offset);
            let length: u32 = piece.chars().map(|c| c.len_utf16() as u32).sum();
            if length > 0 {
                let delta_line = position.line - line;
                let delta_start = if delta_line == 0 {
                    position.character - column
                } else {
                    position.character
                };
                out.push(SemanticToken {
                    delta_line,
                    delta_start,
                    length,
                    token_type: type_index(&kind),
                    token_modifiers_bitset: u32::from(declaration),
                });
                (line, column) = (position.line, position.character);
            }
            offset += piece.len() + 1;
        }
    }
    out
}

fn classify(index: &Index, token: &crate::syntax::tree::SyntaxToken) -> Option<(SemanticTokenType, bool)> {
    let parent = token.parent()?;
    Some(match token.kind().token()? {
        TokenKind::Keyword => (SemanticTokenType::KEYWORD, false),
        TokenKind::Number => (SemanticTokenType::NUMBER, false),
        TokenKind::Str | TokenKind::UnclosedStr => (SemanticTokenType::STRING, false),
        TokenKind::LineComment | TokenKind::BlockComment => (SemanticTokenType::COMMENT, false),
        TokenKind::Arrow | TokenKind::BothWays | TokenKind::Eq | TokenKind::DotDot | TokenKind::Star => {
            (SemanticTokenType::OPERATOR, false)
        }
        TokenKind::Ident => match parent.kind() {
            Kind::Name(Role::Property) => (SemanticTokenType::PROPERTY, false),
            Kind::Name(role) if role.choices().is_some() => (SemanticTokenType::ENUM_MEMBER, false),
            Kind::Name(role) => {
                let space = role.declares().or_else(|| role.refers().first().copied());
                (space_type(space), role.declares().is_some())
            }
            Kind::Node(NodeKind::Call) => (SemanticTokenType::FUNCTION, false),
            Kind::Node(NodeKind::Path) => (SemanticTokenType::PROPERTY, false),
            _ => {
                let offset = usize::from(token.text_range().start());
                match index.symbol_at(0, offset) {
                    Some(symbol) => (space_type(Some(symbol.space)), false),
                    None if Choices::ALL.iter().any(|c| c.words().any(|w| w == token.text())) => {
                        (SemanticTokenType::ENUM_MEMBER, false)
                    }
                    None => (SemanticTokenType::VARIABLE, false),
                }
            }
        },
        _ => return None,
    })
}

fn space_type(space: Option<Space>) -> SemanticTokenType {
    match space {
        Some(Space::Param) => SemanticTokenType::PARAMETER,
        Some(Space::Function | Space::Workflow) => SemanticTokenType::FUNCTION,
        Some(_) => SemanticTokenType::TYPE,
        None => SemanticTokenType::VARIABLE,
    }
}

//! Completion: what may be written at the cursor, asked of the parser
//! itself. The text before the cursor (less the word being typed) is read,
//! and where it stops the parser knows what could come: statement keywords
//! of the block, clause keywords, a property name, a declared name of some
//! kind, a value. After a number, its units.

use lsp_types::{CompletionItem, CompletionItemKind, CompletionTextEdit, Documentation, Range, TextEdit};

use crate::language::choices::Choices;
use crate::language::grammar::{Construct, Part, Role, Space};
use crate::language::properties::Value;
use crate::language::units::{self, Dim};
use crate::syntax::source::FileId;
use crate::syntax::tree::lower::split_quantity;
use crate::syntax::tree::parser::{Expect, expected_at_end};
use crate::syntax::tree::{Kind, NodeKind, SyntaxNode, TokenKind};

use super::hover::token_at;
use super::index::{Index, kind_word, owner_of, property_value};

/// The completions at `offset` of file 0; `range` makes a range of the
/// document from byte offsets.
pub fn complete(index: &Index, offset: usize, range: &dyn Fn(usize, usize) -> Range) -> Vec<CompletionItem> {
    let text = &index.files[0].text;
    let before = &text[..offset.min(text.len())];
    let typed = before.len()
        - before
            .trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == 'µ' || c == '.')
            .len();
    let word = &before[before.len() - typed..];
    if word.starts_with(|c: char| c.is_ascii_digit()) {
        return number_units(index, offset, word, range);
    }
    let word = word.rsplit('.').next().unwrap_or(word);
    let head = &before[..before.len() - word.len()];
    let mut items = Items::default();
    for expect in expected_at_end(FileId(0), head) {
        match expect {
            Expect::Statements(context) => {
                for construct in context.statements() {
                    items.keyword(construct);
                }
            }
            Expect::Part(part) => items.part(index, offset, part),
            Expect::Text(_) => {}
        }
    }
    items.0
}

#[derive(Default)]
struct Items(Vec<CompletionItem>);

impl Items {
    fn add(&mut self, label: &str, kind: CompletionItemKind, detail: Option<String>, doc: Option<String>) {
        if self.0.iter().any(|i| i.label == label) {
            return;
        }
        self.0.push(CompletionItem {
            label: label.to_string(),
            kind: Some(kind),
            detail,
            documentation: doc.map(Documentation::String),
            ..CompletionItem::default()
        });
    }

    fn keyword(&mut self, construct: Construct) {
        let row = construct.row();
        if let Some(keyword) = row.keyword {
            self.add(
                keyword,
                CompletionItemKind::KEYWORD,
                Some(row.example.to_string()),
                Some(row.doc.to_string()),
            );
        }
    }

    fn names(&mut self, index: &Index, spaces: &[Space]) {
        for symbol in index.declared(spaces) {
            let kind = match symbol.space {
                Space::Param => CompletionItemKind::VARIABLE,
                Space::Function | Space::Workflow => CompletionItemKind::FUNCTION,
                _ => CompletionItemKind::REFERENCE,
            };
            self.add(&symbol.name, kind, Some(symbol.space.noun().to_string()), None);
        }
    }

    fn choices(&mut self, choices: Choices) {
        for choice in choices.choices() {
            self.add(
                choice.word,
                CompletionItemKind::ENUM_MEMBER,
                Some(choice.call.unwrap_or(choice.word).to_string()),
                Some(choice.doc.to_string()),
            );
        }
    }

    fn part(&mut self, index: &Index, offset: usize, part: Part) {
        match part {
            Part::Word(word) => self.add(word, CompletionItemKind::KEYWORD, None, None),
            Part::Child(construct) => self.keyword(construct),
            Part::Name(Role::Property) => self.properties(index, offset),
            Part::Name(role) | Part::Element(role) => {
                self.names(index, role.refers());
                if let Some(choices) = role.choices() {
                    self.choices(choices);
                }
            }
            Part::Disk => self.names(index, &[Space::Host]),
            Part::Choice(choices) => {
                self.choices(choices);
                self.names(index, &[Space::Param]);
            }
            Part::Value | Part::Measure(_) => {
                self.value(index, offset);
                self.names(index, &[Space::Param]);
            }
            Part::Group => {
                self.names(index, &[Space::Function]);
                self.add(
                    crate::language::grammar::EITHER,
                    CompletionItemKind::KEYWORD,
                    None,
                    None,
                );
            }
            _ => {}
        }
    }

    /// The properties the block at the cursor accepts.
    fn properties(&mut self, index: &Index, offset: usize) {
        let Some(block) = enclosing_block(&index.files[0].root, offset) else {
            return;
        };
        let Some(holder) = block.parent() else { return };
        let Kind::Construct(construct) = holder.kind() else {
            return;
        };
        let Some(owner) = construct.owner() else { return };
        for property in owner.accepted(&kind_word(&holder)) {
            self.add(
                property.name,
                CompletionItemKind::PROPERTY,
                Some(owner.noun().to_string()),
                Some(property.doc.to_string()),
            );
        }
    }

    /// The values a property at the cursor takes: words of its set, names.
    fn value(&mut self, index: &Index, offset: usize) {
        let root = &index.files[0].root;
        let Some(statement) = statement_at(root, offset) else {
            return;
        };
        if statement.kind() == Kind::Construct(Construct::Property)
            && let Some((owner, kind)) = owner_of(&statement)
            && let Some(name) = statement.children().find(|c| c.kind() == Kind::Name(Role::Property))
        {
            let name = name.text().to_string();
            match owner.accepted(&kind).find(|p| p.name == name).map(|p| p.value) {
                Some(Value::Choice(choices)) => self.choices(choices),
                Some(Value::Name(space) | Value::Names(space)) => self.names(index, &[space]),
                Some(Value::Measure(_)) => self.choices(Choices::Distribution),
                _ => {}
            }
        } else {
            self.choices(Choices::Distribution);
        }
    }
}

/// The innermost `{ ... }` around an offset.
fn enclosing_block(root: &SyntaxNode, offset: usize) -> Option<SyntaxNode> {
    let token = token_at(root, offset)?;
    token.parent_ancestors().find(|n| {
        n.kind() == Kind::Node(NodeKind::Block)
            && usize::from(n.text_range().start()) < offset
            && (offset < usize::from(n.text_range().end()) || !n.text().to_string().ends_with('}'))
    })
}

/// The innermost statement holding the token before an offset.
fn statement_at(root: &SyntaxNode, offset: usize) -> Option<SyntaxNode> {
    let token = token_at(root, offset.saturating_sub(1))?;
    token
        .parent_ancestors()
        .find(|n| matches!(n.kind(), Kind::Construct(_)))
}

/// Units after a number being typed, for the dimension expected there.
fn number_units(
    index: &Index,
    offset: usize,
    word: &str,
    range: &dyn Fn(usize, usize) -> Range,
) -> Vec<CompletionItem> {
    let number_end = offset - word.len() + split_quantity(word).digits;
    let dim = expected_dim(&index.files[0].root, offset);
    unit_suffixes(dim)
        .into_iter()
        .map(|(unit, dim)| CompletionItem {
            label: unit.clone(),
            kind: Some(CompletionItemKind::UNIT),
            detail: Some(dim.describe().to_string()),
            filter_text: Some(format!("{}{unit}", &word[..split_quantity(word).digits])),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(range(number_end, offset), unit))),
            ..CompletionItem::default()
        })
        .collect()
}

/// The dimension of the value being written at an offset, when known: a
/// property's, or the construct's (`sleep` takes a time).
fn expected_dim(root: &SyntaxNode, offset: usize) -> Option<Dim> {
    let token = token_at(root, offset.saturating_sub(1))?;
    if token.kind().token() != Some(TokenKind::Number) {
        return None;
    }
    let value = token.parent()?;
    if let Some(value) = property_value(&value) {
        return match value {
            Value::Measure(dim) => Some(dim),
            _ => None,
        };
    }
    let statement = value.ancestors().find(|n| matches!(n.kind(), Kind::Construct(_)))?;
    let Kind::Construct(construct) = statement.kind() else {
        return None;
    };
    let position = statement
        .children()
        .filter(|c| {
            !matches!(
                c.kind(),
                Kind::Name(_) | Kind::Construct(_) | Kind::Node(NodeKind::Block | NodeKind::Error)
            )
        })
        .position(|c| c.text_range().contains_range(value.text_range()))?;
    let mut measures = Vec::new();
    flatten(construct.row().shape, &mut measures);
    measures.get(position).copied().flatten()
}

/// The value parts of a shape in order: their dimension when they measure one.
fn flatten(parts: &[Part], out: &mut Vec<Option<Dim>>) {
    for part in parts {
        match part {
            Part::Value | Part::Choice(_) => out.push(None),
            Part::Measure(dim) => out.push(Some(*dim)),
            Part::Optional(p) | Part::Repeated(p) | Part::Repeated1(p) | Part::Separated(p) => flatten(p, out),
            Part::Either(alternatives) => {
                if let Some(last) = alternatives.last() {
                    flatten(last, out);
                }
            }
            _ => {}
        }
    }
}

/// Unit suffixes of a dimension (every unit without one), with what each measures.
pub fn unit_suffixes(dim: Option<Dim>) -> Vec<(String, Dim)> {
    let mut out: Vec<(String, Dim)> = Vec::new();
    for (unit, info) in units::UNITS {
        if info.bits && dim == Some(Dim::Size) {
            continue;
        }
        out.push((unit.to_string(), info.dim));
        if let Some(rate) = units::per_time(info.dim)
            && info.dim != Dim::Number
        {
            out.push((format!("{unit}/s"), rate));
        }
    }
    for per in ["/s", "/min", "/h"] {
        out.push((per.to_string(), Dim::Frequency));
    }
    out.push(("%".to_string(), Dim::Number));
    match dim {
        Some(dim) => out.into_iter().filter(|(_, d)| *d == dim).collect(),
        None => out,
    }
}

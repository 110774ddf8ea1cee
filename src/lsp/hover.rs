//! Hover: what the thing under the cursor is. A keyword's construct and an
//! example, a property's meaning and unit, a name's declaration (and a
//! parameter's value), a word's meaning in its set, a quantity in SI units.

use crate::language::choices::Choices;
use crate::language::grammar::{Construct, Role, Space};
use crate::language::properties::Value;
use crate::language::units::{self, Dim};
use crate::syntax::tree::lower::split_quantity;
use crate::syntax::tree::{Kind, NodeKind, SyntaxToken, TokenKind};

use super::index::{Index, owner_of};

/// The hover text (markdown) of the token at `offset` of file 0.
pub fn hover(index: &Index, offset: usize) -> Option<(String, rowan::TextRange)> {
    let token = token_at(&index.files[0].root, offset)?;
    let range = token.text_range();
    let text = match token.kind().token()? {
        TokenKind::Keyword => keyword(&token)?,
        TokenKind::Number => quantity(token.text())?,
        TokenKind::Ident => name(index, &token, offset)?,
        _ => return None,
    };
    Some((text, range))
}

/// The token an offset is in, or the one it ends (the cursor after a word).
pub fn token_at(root: &crate::syntax::tree::SyntaxNode, offset: usize) -> Option<SyntaxToken> {
    let offset = rowan::TextSize::try_from(offset).ok()?;
    match root.token_at_offset(offset) {
        rowan::TokenAtOffset::None => None,
        rowan::TokenAtOffset::Single(t) => Some(t),
        rowan::TokenAtOffset::Between(left, right) => {
            let significant = |t: &SyntaxToken| {
                !matches!(
                    t.kind().token(),
                    Some(TokenKind::Space | TokenKind::Newline | TokenKind::LineComment | TokenKind::BlockComment)
                )
            };
            if significant(&right) { Some(right) } else { Some(left) }
        }
    }
}

fn keyword(token: &SyntaxToken) -> Option<String> {
    let construct = token.parent_ancestors().find_map(|n| match n.kind() {
        Kind::Construct(c) if c.row().words().contains(&token.text()) => Some(c),
        _ => None,
    })?;
    let row = construct.row();
    Some(format!(
        "**`{}`**: {}\n\n```sls\n{}\n```",
        token.text(),
        row.doc,
        row.example
    ))
}

/// `250MB`: its value in SI units and what it measures.
pub fn quantity(text: &str) -> Option<String> {
    let parts = split_quantity(text);
    let number: f64 = text[..parts.digits].parse().ok()?;
    let unit = &text[parts.unit.clone()];
    if parts.percent {
        return Some(format!("`{text}` = {} (a fraction)", number / 100.0));
    }
    let (mut value, mut dim) = if unit.is_empty() {
        (number, Dim::Number)
    } else {
        let info = units::lookup(unit)?;
        (number * info.mul / info.div, info.dim)
    };
    if let Some(per) = parts.per {
        let time = units::lookup(&text[per])?;
        if time.dim != Dim::Time {
            return None;
        }
        value /= time.mul / time.div;
        dim = units::per_time(dim)?;
    }
    let si = match dim {
        Dim::Number => "",
        Dim::Time => " s",
        Dim::Size => " bytes",
        Dim::ByteRate => " bytes/s",
        Dim::Flops => " flops",
        Dim::FlopRate => " flops/s",
        Dim::Frequency => " /s",
    };
    Some(format!("`{text}` = {value}{si} ({})", dim.describe()))
}

fn name(index: &Index, token: &SyntaxToken, offset: usize) -> Option<String> {
    let parent = token.parent()?;
    if let Kind::Name(role) = parent.kind() {
        if role == Role::Property {
            return property(&parent);
        }
        if let Some(choices) = role.choices() {
            return choice(choices, token.text());
        }
    }
    if let Some(symbol) = index.symbol_at(0, offset) {
        let file = &index.files[symbol.file];
        let statement = &file.text[symbol.statement];
        let shown: String = statement.lines().next().unwrap_or("").chars().take(120).collect();
        let place = match &file.path {
            Some(path) if symbol.file != 0 => format!(" in `{}`", path.display()),
            _ => String::new(),
        };
        let mut text = format!(
            "{} `{}`{place}\n\n```sls\n{shown}\n```",
            symbol.space.noun(),
            symbol.name
        );
        if symbol.space == Space::Param {
            text.push_str("\n\nchange it with `-p ");
            text.push_str(&symbol.name);
            text.push_str("=VALUE`");
        }
        return Some(text);
    }
    // A word of a set, written as a value.
    if parent.kind() == Kind::Node(NodeKind::Word) || parent.kind() == Kind::Node(NodeKind::Call) {
        if let Some(Value::Choice(choices)) = super::index::property_value(&parent) {
            return choice(choices, token.text());
        }
        let statement = parent.ancestors().find(|n| matches!(n.kind(), Kind::Construct(_)))?;
        if statement.kind() == Kind::Construct(Construct::Scheduler) {
            return choice(Choices::Scheduler, token.text());
        }
        if statement.kind() == Kind::Construct(Construct::Autoscaler) {
            return choice(Choices::Autoscaler, token.text());
        }
        return choice(Choices::Distribution, token.text());
    }
    None
}

fn property(name: &crate::syntax::tree::SyntaxNode) -> Option<String> {
    let statement = name.parent()?;
    let (owner, kind) = owner_of(&statement)?;
    let text = name.text().to_string();
    let property = owner
        .accepted(&kind)
        .find(|p| p.name == text)
        .or_else(|| owner.property(&text))?;
    let value = match property.value {
        Value::Measure(Dim::Number) => "a plain number".to_string(),
        Value::Measure(dim) => format!("{}, in {}", dim.describe(), dim.units()),
        Value::Count => "a whole number".to_string(),
        Value::Choice(choices) => format!(
            "{}: {}",
            choices.what(),
            crate::syntax::words::list_names(choices.words())
        ),
        Value::Name(space) => format!("the name of a {}", space.noun()),
        Value::Names(space) => format!("a list of {} names", space.noun()),
        Value::Other(what) => what.to_string(),
    };
    Some(format!(
        "**`{text}`** ({}): {}\n\nvalue: {value}",
        owner.noun(),
        property.doc
    ))
}

fn choice(choices: Choices, word: &str) -> Option<String> {
    let choice = choices.choices().iter().find(|c| c.word == word)?;
    let written = choice.call.unwrap_or(choice.word);
    Some(format!("**`{written}`** ({}): {}", choices.what(), choice.doc))
}

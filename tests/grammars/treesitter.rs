//! The tree-sitter grammar and its highlight queries, generated from the
//! grammar of record (`sls::language::grammar`): one rule per construct,
//! one block rule per context, the keywords of the highlight query from the
//! same table.

use std::fmt::Write;

use sls::language::grammar::{Construct, Context, Part, Role};

/// `SweepAxis` -> `sweep_axis`.
pub fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn construct_rule(construct: Construct) -> String {
    snake(&format!("{construct:?}"))
}

fn context_rule(context: Context) -> String {
    format!("_{}_statement", snake(&format!("{context:?}")))
}

fn block_rule(context: Context) -> String {
    format!("_{}_block", snake(&format!("{context:?}")))
}

/// The node a name of this role is shown as.
fn name_node(role: Role) -> &'static str {
    if role.declares().is_some() {
        "name"
    } else if !role.refers().is_empty() && role.choices().is_none() {
        // A word of a set that may also name a declaration (a trace
        // format) stays a constant.
        "reference"
    } else if role == Role::Property {
        "property_name"
    } else {
        "constant"
    }
}

fn js_string(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn seq(parts: &[Part]) -> String {
    let items: Vec<String> = parts.iter().map(|p| part(*p)).collect();
    match items.len() {
        0 => "blank()".to_string(),
        1 => items[0].clone(),
        _ => format!("seq({})", items.join(", ")),
    }
}

fn name(role: Role) -> String {
    format!("alias($.identifier, $.{})", name_node(role))
}

fn part(part: Part) -> String {
    match part {
        Part::Word(w) => js_string(w),
        // New lines are free after an arrow.
        Part::Punct("->") => "seq('->', optional($._newlines))".to_string(),
        Part::Punct(p) => js_string(p),
        Part::Name(role) => name(role),
        Part::Declared(role) => format!("seq({}, optional($.range_index))", name(role)),
        Part::Element(role) => format!("seq({}, optional($.index))", name(role)),
        Part::Disk => format!("seq({}, optional($.index), ':', $.string)", name(Role::UseHost)),
        Part::Text => "$.string".to_string(),
        Part::Value | Part::Measure(_) | Part::Choice(_) => "$._value".to_string(),
        Part::Block(context) => format!("alias($.{}, $.block)", block_rule(context)),
        Part::Properties(_) => "alias($._properties_block, $.block)".to_string(),
        Part::Optional(p) => format!("optional({})", seq(p)),
        Part::Repeated(p) => format!("repeat({})", seq(p)),
        Part::Repeated1(p) => format!("repeat1({})", seq(p)),
        Part::Separated(p) => format!("seq({0}, repeat(seq(',', optional($._newlines), {0})))", seq(p)),
        Part::Either(alternatives) => {
            let alternatives: Vec<String> = alternatives.iter().map(|a| seq(a)).collect();
            format!("choice({})", alternatives.join(", "))
        }
        Part::Child(c) => format!("$.{}", construct_rule(c)),
        Part::Clauses(cs) => {
            let rules: Vec<String> = cs.iter().map(|c| format!("$.{}", construct_rule(*c))).collect();
            format!("repeat(choice({}))", rules.join(", "))
        }
        Part::Group => "$._group".to_string(),
    }
}

/// Statements separated by new lines or `;`.
fn lines(statement: &str) -> String {
    format!("seq(repeat($._sep), repeat(seq($.{statement}, repeat1($._sep))), optional($.{statement}))")
}

/// `editors/tree-sitter-sls/grammar.js`.
pub fn grammar_js() -> String {
    let mut rules = String::new();
    let statements = |context: Context| -> Vec<String> {
        context
            .statements()
            .chain(context.fallback())
            .map(|c| format!("$.{}", construct_rule(c)))
            .collect()
    };
    let _ = writeln!(
        rules,
        "    source_file: $ => {},\n",
        lines(&context_rule(Context::File))
    );
    for &context in Context::ALL {
        let _ = writeln!(
            rules,
            "    {}: $ => choice({}),",
            context_rule(context),
            statements(context).join(", ")
        );
        if context != Context::File {
            let _ = writeln!(
                rules,
                "    {}: $ => seq('{{', {}, '}}'),",
                block_rule(context),
                lines(&context_rule(context))
            );
        }
        rules.push('\n');
    }
    for &construct in Construct::ALL {
        let row = construct.row();
        let mut shape: Vec<String> = row.keyword.map(js_string).into_iter().collect();
        shape.extend(row.shape.iter().map(|p| part(*p)));
        let body = match shape.len() {
            1 => shape[0].clone(),
            _ => format!("seq({})", shape.join(", ")),
        };
        let _ = writeln!(
            rules,
            "    // {}\n    {}: $ => {body},",
            row.doc,
            construct_rule(construct)
        );
    }
    format!(
        "// Generated from the grammar of record (src/language/grammar.rs) by\n\
         // tests/editors.rs; run `SLS_UPDATE_EDITORS=1 cargo test --release --test integration editors::`\n\
         // after changing the language. Do not edit by hand.\n\
         module.exports = grammar({{\n  name: 'sls',\n\n  \
         extras: $ => [/[ \\t\\uFEFF]/, $.comment],\n\n  \
         word: $ => $.identifier,\n\n  \
         rules: {{\n{rules}\n{TEMPLATE}  }},\n}});\n"
    )
}

/// The rules every version of the language shares: separators, values,
/// workflow groups and tokens.
const TEMPLATE: &str = r#"    _properties_block: $ => seq('{', repeat($._sep), repeat(seq($.property, repeat1($._sep))), optional($.property), '}'),

    // Statements end at a new line or `;`.
    _sep: $ => choice($._newline, ';'),
    _newline: $ => /\r?\n/,
    _newlines: $ => repeat1($._newline),

    _group: $ => choice($.flow, $.all, $.either),
    flow: $ => seq(alias($.identifier, $.reference), optional($.quantity)),
    all: $ => seq('[', optional($._newlines), $._flows, ']'),
    either: $ => seq('either', '[', optional($._newlines), $._flows, ']'),
    _flows: $ => seq($.flow, repeat(seq(',', optional($._newlines), $.flow)), optional(','), optional($._newlines)),

    range_index: $ => seq('[', optional($.variable), $._value, ']'),
    index: $ => seq('[', choice('*', seq(optional($.variable), $._value)), ']'),
    variable: $ => seq(alias($.identifier, $.index_name), 'in'),

    _value: $ => choice($.range, $._expression),
    range: $ => seq($._expression, '..', $._expression),
    _expression: $ => choice($.binary, $.negative, $._term),
    binary: $ => choice(
      prec.left(1, seq($._expression, choice('+', '-'), $._expression)),
      prec.left(2, seq($._expression, choice('*', '/'), $._expression)),
      prec.right(3, seq($._expression, '^', $._expression)),
    ),
    negative: $ => prec.right(3, seq('-', $._expression)),
    _term: $ => choice($.quantity, $.string, $.list, $.call, $.path, $.indexed, $.identifier, $.parenthesized),
    call: $ => seq(field('function', $.identifier), '(', optional($._newlines), optional($._values), ')'),
    list: $ => seq('[', optional($._newlines), optional($._values), ']'),
    _values: $ => seq($._value, repeat(seq(',', optional($._newlines), $._value)), optional(','), optional($._newlines)),
    path: $ => seq($.identifier, repeat1(seq('.', $.identifier))),
    indexed: $ => seq($.identifier, $.index),
    parenthesized: $ => seq('(', optional($._newlines), $._value, optional($._newlines), ')'),

    // `10`, `2.5e3`, `250MB`, `10Gf/s`, `50/s`, `30%`.
    quantity: $ => /[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?([A-Za-zµ]+)?(\/[A-Za-z]+)?%?/,
    string: $ => /"([^"\\\n]|\\.)*"/,
    identifier: $ => /[A-Za-z_][A-Za-z0-9_]*/,
    comment: $ => token(choice(seq('//', /[^\n]*/), seq('/*', /[^*]*\*+([^/*][^*]*\*+)*/, '/'))),
"#;

/// The captures of a highlight query: nvim-treesitter's names, or Helix's.
pub struct Captures {
    pub keyword: &'static str,
    pub number: &'static str,
    pub property: &'static str,
    pub constant: &'static str,
    pub function: &'static str,
    pub definition: &'static str,
    pub reference: &'static str,
    /// Whether the first matching pattern wins (Helix) rather than the last
    /// (Neovim): decides where the generic `(identifier)` pattern goes.
    pub first_wins: bool,
}

pub const NVIM: Captures = Captures {
    keyword: "@keyword",
    number: "@number",
    property: "@property",
    constant: "@constant.builtin",
    function: "@function.call",
    definition: "@type.definition",
    reference: "@variable",
    first_wins: false,
};

pub const HELIX: Captures = Captures {
    keyword: "@keyword",
    number: "@constant.numeric",
    property: "@variable.other.member",
    constant: "@constant.builtin",
    function: "@function",
    definition: "@type",
    reference: "@variable",
    first_wins: true,
};

/// A `highlights.scm` whose keywords are the table's.
pub fn highlights(captures: &Captures) -> String {
    // A construct that is its keyword alone is a token of its own, named
    // after the construct: it is captured by that name.
    let alone: Vec<Construct> = Construct::ALL
        .iter()
        .copied()
        .filter(|c| c.row().shape.is_empty())
        .collect();
    let alone_words: Vec<&str> = alone.iter().filter_map(|c| c.row().keyword).collect();
    let keywords: Vec<String> = sls::language::keywords()
        .into_iter()
        .filter(|k| !alone_words.contains(k))
        .map(|k| format!("  \"{k}\""))
        .collect();
    let alone: Vec<String> = alone
        .iter()
        .map(|c| format!("({}) {}\n", construct_rule(*c), captures.keyword))
        .collect();
    format!(
        "; Generated from src/language/grammar.rs by tests/editors.rs.\n\
         (comment) @comment\n\
         (string) @string\n\
         (quantity) {number}\n\
         [\n{keywords}\n] {keyword}\n\
         {alone}\
         (name) {definition}\n\
         (reference) {reference}\n\
         (property_name) {property}\n\
         (constant) {constant}\n\
         {calls}\n\
         [\"{{\" \"}}\" \"[\" \"]\" \"(\" \")\"] @punctuation.bracket\n\
         [\",\" \";\" \":\" \".\"] @punctuation.delimiter\n\
         [\"=\" \"->\" \"<->\" \"..\" \"*\"] @operator\n",
        keywords = keywords.join("\n"),
        alone = alone.concat(),
        keyword = captures.keyword,
        number = captures.number,
        definition = captures.definition,
        reference = captures.reference,
        property = captures.property,
        constant = captures.constant,
        calls = if captures.first_wins {
            format!(
                "(call function: (identifier) {})\n(identifier) {}",
                captures.function, captures.reference
            )
        } else {
            format!(
                "(identifier) {}\n(call function: (identifier) {})",
                captures.reference, captures.function
            )
        },
    )
}

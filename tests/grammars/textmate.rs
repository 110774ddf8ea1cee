//! The VS Code (TextMate) grammar and the Vim syntax, generated from the
//! language's tables: keywords from the grammar of record, property names
//! and choice words from their tables. A TextMate grammar cannot follow the
//! blocks, so a word is scoped by what it is anywhere; every other name is
//! a variable, so no token is left without a scope.

use serde_json::{Value, json};

use sls::language::choices::Choices;
use sls::language::grammar::{Construct, Context, Part};
use sls::language::properties;

/// Keywords that start a top-level declaration, and the others.
fn keyword_groups() -> (Vec<&'static str>, Vec<&'static str>) {
    let declarations: Vec<&'static str> = Context::File.statements().filter_map(|c| c.row().keyword).collect();
    let others = sls::language::keywords()
        .into_iter()
        .filter(|k| !declarations.contains(k))
        .collect();
    (declarations, others)
}

/// Keywords followed by the name they declare (`host node`, `image runtime`).
fn declaring_keywords() -> Vec<&'static str> {
    let mut words: Vec<&'static str> = Construct::ALL
        .iter()
        .filter_map(|c| {
            let row = c.row();
            match row.shape.first() {
                Some(Part::Name(role) | Part::Declared(role)) if role.declares().is_some() => row.keyword,
                _ => None,
            }
        })
        .collect();
    words.sort_unstable();
    words.dedup();
    words
}

/// Choice words that are written as calls (`random(42)`, `uniform(..)`), and the others.
fn choice_groups() -> (Vec<&'static str>, Vec<&'static str>) {
    let keywords = sls::language::keywords();
    let mut calls = Vec::new();
    let mut words = Vec::new();
    for set in Choices::ALL {
        for choice in set.choices() {
            if choice.call.is_some() {
                calls.push(choice.word);
            } else if !keywords.contains(&choice.word) {
                words.push(choice.word);
            }
        }
    }
    for list in [&mut calls, &mut words] {
        list.sort_unstable();
        list.dedup();
    }
    words.retain(|w| !calls.contains(w));
    (calls, words)
}

/// Property names that are not keywords too.
fn property_names() -> Vec<&'static str> {
    let keywords = sls::language::keywords();
    properties::all_names()
        .into_iter()
        .filter(|p| !keywords.contains(p))
        .collect()
}

fn alternatives(words: &[&str]) -> String {
    format!("\\b({})\\b", words.join("|"))
}

/// `editors/vscode/syntaxes/sls.tmLanguage.json`.
pub fn tm_language() -> String {
    let (declarations, others) = keyword_groups();
    let (calls, words) = choice_groups();
    let grammar = json!({
        "$schema": "https://raw.githubusercontent.com/martinring/tmlanguage/master/tmlanguage.json",
        "name": "sls",
        "scopeName": "source.sls",
        "comment": "Generated from src/language by tests/editors.rs; do not edit by hand.",
        "patterns": [
            { "include": "#comments" },
            { "include": "#strings" },
            { "include": "#quantities" },
            { "include": "#declarations" },
            { "include": "#keywords" },
            { "include": "#calls" },
            { "include": "#constants" },
            { "include": "#properties" },
            { "include": "#names" },
            { "include": "#punctuation" }
        ],
        "repository": {
            "comments": { "patterns": [
                { "name": "comment.line.double-slash.sls", "match": "//.*$" },
                { "name": "comment.block.sls", "begin": "/\\*", "end": "\\*/" }
            ]},
            "strings": {
                "name": "string.quoted.double.sls",
                "begin": "\"",
                "end": "\"|$",
                "patterns": [{ "name": "constant.character.escape.sls", "match": "\\\\." }]
            },
            "quantities": {
                "match": "-?\\b([0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)((?:[A-Za-zµ]+)?(?:/[A-Za-z]+)?%?)",
                "name": "constant.numeric.sls",
                "captures": { "2": { "name": "keyword.other.unit.sls" } }
            },
            "declarations": {
                "match": format!("\\b({})\\s+([A-Za-z_][A-Za-z0-9_]*)", declaring_keywords().join("|")),
                "captures": {
                    "1": { "name": "keyword.declaration.sls" },
                    "2": { "name": "entity.name.type.sls" }
                }
            },
            "keywords": { "patterns": [
                { "name": "keyword.declaration.sls", "match": alternatives(&declarations) },
                { "name": "keyword.control.sls", "match": alternatives(&others) }
            ]},
            "calls": {
                "name": "support.function.sls",
                "match": alternatives(&calls)
            },
            "constants": {
                "name": "constant.language.sls",
                "match": alternatives(&words)
            },
            "properties": {
                "name": "variable.other.property.sls",
                "match": alternatives(&property_names())
            },
            "names": {
                "name": "variable.other.sls",
                "match": "\\b[A-Za-z_][A-Za-z0-9_]*\\b"
            },
            "punctuation": { "patterns": [
                { "name": "keyword.operator.sls", "match": "<->|->|\\.\\.|=|\\*|\\+|-|\\^" },
                { "name": "punctuation.section.braces.sls", "match": "[{}]" },
                { "name": "punctuation.section.brackets.sls", "match": "[\\[\\]]" },
                { "name": "punctuation.section.parens.sls", "match": "[()]" },
                { "name": "punctuation.accessor.sls", "match": "\\." },
                { "name": "punctuation.separator.sls", "match": "[,;:/%]" }
            ]}
        }
    });
    pretty(&grammar)
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).expect("JSON") + "\n"
}

/// `editors/vim/syntax/sls.vim`.
pub fn vim_syntax() -> String {
    let (declarations, others) = keyword_groups();
    let (calls, words) = choice_groups();
    let wrap = |group: &str, list: &[&str]| -> String {
        list.chunks(12)
            .map(|chunk| format!("syn keyword {group} {}\n", chunk.join(" ")))
            .collect()
    };
    format!(
        "\" Syntax highlighting for sls serverless simulation scripts.\n\
         \" Generated from src/language by tests/editors.rs; do not edit by hand.\n\
         if exists(\"b:current_syntax\")\n  finish\nendif\n\n\
         {decl}{kw}{calls}{consts}{props}\
         syn match slsNumber \"-\\?\\<\\d\\+\\(\\.\\d\\+\\)\\?\\([eE][+-]\\?\\d\\+\\)\\?\\([A-Za-zµ]\\+\\)\\?\\(/[A-Za-z]\\+\\)\\?%\\?\"\n\
         syn match slsOperator \"<->\\|->\\|\\.\\.\\|=\\|\\*\\|+\\|-\\|\\^\"\n\
         syn region slsString start=+\"+ skip=+\\\\.+ end=+\"\\|$+\n\
         syn match slsComment \"//.*$\"\n\
         syn region slsComment start=\"/\\*\" end=\"\\*/\"\n\n\
         hi def link slsDeclaration Structure\n\
         hi def link slsKeyword Keyword\n\
         hi def link slsFunction Function\n\
         hi def link slsConstant Constant\n\
         hi def link slsProperty Identifier\n\
         hi def link slsNumber Number\n\
         hi def link slsOperator Operator\n\
         hi def link slsString String\n\
         hi def link slsComment Comment\n\n\
         let b:current_syntax = \"sls\"\n",
        decl = wrap("slsDeclaration", &declarations),
        kw = wrap("slsKeyword", &others),
        calls = wrap("slsFunction", &calls),
        consts = wrap("slsConstant", &words),
        props = wrap("slsProperty", &property_names()),
    )
}

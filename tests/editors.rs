//! The editors' grammars agree with the language's tables: the TextMate
//! grammar, the Vim syntax and the tree-sitter grammar and queries are
//! generated from them (this test says when a committed file is stale and
//! rewrites it under `SLS_UPDATE_EDITORS=1`), and VS Code's grammar, run by
//! VS Code's own tokenizer, gives every token of every example a scope.

#[path = "grammars/mod.rs"]
mod grammars;
use crate::support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use grammars::{ebnf, textmate, treesitter};
use sls::syntax::token::{Token, tokenize};

/// Every generated editor file, with its content.
fn generated() -> Vec<(&'static str, String)> {
    vec![
        ("editors/vscode/syntaxes/sls.tmLanguage.json", textmate::tm_language()),
        ("editors/vim/syntax/sls.vim", textmate::vim_syntax()),
        ("editors/tree-sitter-sls/grammar.js", treesitter::grammar_js()),
        ("grammar/sls.ebnf", ebnf::ebnf()),
        (
            "editors/tree-sitter-sls/queries/highlights.scm",
            treesitter::highlights(&treesitter::NVIM),
        ),
        (
            "editors/helix/runtime/queries/sls/highlights.scm",
            treesitter::highlights(&treesitter::HELIX),
        ),
    ]
}

#[test]
fn generated_editor_files_are_current() {
    let update = std::env::var_os("SLS_UPDATE_EDITORS").is_some();
    let mut stale = Vec::new();
    for (path, content) in generated() {
        let full = support::root().join(path);
        if std::fs::read_to_string(&full).ok().as_deref() == Some(content.as_str()) {
            continue;
        }
        if update {
            std::fs::create_dir_all(full.parent().expect("a folder")).expect("folder can be made");
            std::fs::write(&full, content).expect("editor file can be written");
        } else {
            stale.push(path);
        }
    }
    assert!(
        stale.is_empty(),
        "stale generated files {stale:?}: run `SLS_UPDATE_EDITORS=1 cargo test --release --test integration editors::`"
    );
}

#[test]
fn every_keyword_is_highlighted() {
    let keywords = sls::language::keywords();
    assert!(keywords.len() > 40, "found {} keywords", keywords.len());
    for (path, content) in generated() {
        let words: Vec<&str> = content
            .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .collect();
        for k in &keywords {
            assert!(words.contains(k), "`{k}` is not in {path}");
        }
    }
}

/// The vscode-textmate and vscode-oniguruma packages (VS Code's own
/// tokenizer), installed from the npm registry on first use.
fn vscode_tokenizer() -> std::path::PathBuf {
    let folder = support::root().join("editors/vscode");
    if !folder.join("node_modules/vscode-textmate").is_dir() {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&folder)
            .status()
            .expect("npm runs (node and npm are needed to test the VS Code grammar)");
        assert!(status.success(), "npm ci in editors/vscode failed");
    }
    folder.join("test/scopes.js")
}

/// UTF-16 offset of every char boundary of a line, by byte offset.
fn utf16_offsets(line: &str) -> BTreeMap<usize, usize> {
    let mut map = BTreeMap::new();
    let mut units = 0;
    for (byte, c) in line.char_indices() {
        map.insert(byte, units);
        units += c.len_utf16();
    }
    map.insert(line.len(), units);
    map
}

type Scoped = BTreeMap<String, Vec<Vec<(usize, usize, Vec<String>)>>>;

#[test]
fn vscode_grammar_scopes_every_token() {
    let script = vscode_tokenizer();
    let files = support::example_scripts();
    let output = Command::new("node")
        .arg(&script)
        .args(&files)
        .output()
        .expect("node runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let scoped: Scoped = serde_json::from_slice(&output.stdout).expect("JSON from scopes.js");
    let mut total = 0;
    let mut unscoped = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("example");
        let lines = &scoped[&file.display().to_string()];
        let starts: Vec<usize> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        for (token, range) in tokenize(&text) {
            if matches!(token, Some(Token::Space | Token::Newline)) {
                continue;
            }
            total += 1;
            let number = starts.partition_point(|s| *s <= range.start) - 1;
            let line_start = starts[number];
            let line = text[line_start..].split('\n').next().unwrap_or("");
            let offsets = utf16_offsets(line);
            // A block comment may run over several lines: its first line is enough.
            let end = range.end.min(line_start + line.len());
            let (start16, end16) = (offsets[&(range.start - line_start)], offsets[&(end - line_start)]);
            let covered = lines[number]
                .iter()
                .filter(|(s, e, _)| *s < end16 && *e > start16)
                .all(|(_, _, scopes)| scopes.len() > 1);
            if !covered {
                unscoped.push(format!(
                    "{}:{}: `{}`",
                    support::relative(file).display(),
                    number + 1,
                    &text[range.start..end]
                ));
            }
        }
    }
    assert!(total > 5000, "only {total} tokens read");
    assert!(
        unscoped.is_empty(),
        "{} of {total} tokens have no scope:\n{}",
        unscoped.len(),
        unscoped.join("\n")
    );
}

#[test]
fn tree_sitter_queries_name_real_nodes() {
    // Every node a query names is a rule of the generated grammar.
    let grammar = treesitter::grammar_js();
    for query in [
        treesitter::highlights(&treesitter::NVIM),
        std::fs::read_to_string(support::root().join("editors/tree-sitter-sls/queries/folds.scm")).expect("folds"),
        std::fs::read_to_string(support::root().join("editors/tree-sitter-sls/queries/indents.scm")).expect("indents"),
    ] {
        let nodes = query
            .split('(')
            .skip(1)
            .filter_map(|s| s.split([')', ' ']).next())
            .filter(|n| n.starts_with(|c: char| c.is_ascii_lowercase()));
        for node in nodes {
            assert!(
                grammar.contains(&format!("$.{node}")) || grammar.contains(&format!("{node}:")),
                "`{node}` is not a node of the grammar"
            );
        }
    }
    assert!(Path::new(&support::root().join("editors/tree-sitter-sls/test/corpus")).is_dir());
}

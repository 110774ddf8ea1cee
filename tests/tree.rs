//! The lossless tree: it gives back every byte of every file, and lowered
//! to the AST it reads what the pest grammar read, span for span, on every
//! example and every bad input; where the grammar rejects a file, the tree
//! rejects it too.

mod support;

use std::path::PathBuf;

use sls::syntax::source::FileId;
use sls::syntax::token::{Token, tokenize};
use sls::syntax::tree;

fn inputs() -> Vec<PathBuf> {
    let mut files = support::example_scripts();
    let mut bad: Vec<PathBuf> = std::fs::read_dir(support::root().join("tests/bad"))
        .expect("tests/bad")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sls"))
        .collect();
    bad.sort();
    files.extend(bad);
    files
}

/// pest's spans of a statement take in a comment after its last token (its
/// implicit blanks are read while looking for an optional part); the
/// tree's end at the last token. The difference is cut off here.
fn without_trailing_comments(value: &mut serde_json::Value, text: &str) {
    match value {
        serde_json::Value::Object(fields) => {
            if let (Some(start), Some(end)) = (
                fields.get("start").and_then(|v| v.as_u64()),
                fields.get("end").and_then(|v| v.as_u64()),
            ) {
                let (start, end) = (start as usize, end as usize);
                let kept = tokenize(&text[start..end])
                    .filter(|(t, _)| {
                        !matches!(
                            t,
                            Some(Token::Space | Token::Newline | Token::LineComment | Token::BlockComment)
                        )
                    })
                    .map(|(_, r)| r.end)
                    .last()
                    .unwrap_or(0);
                fields.insert("end".to_string(), (start + kept).into());
            }
            fields.values_mut().for_each(|v| without_trailing_comments(v, text));
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(|v| without_trailing_comments(v, text)),
        _ => {}
    }
}

#[test]
fn the_tree_keeps_every_byte() {
    for path in inputs() {
        let text = std::fs::read_to_string(&path).expect("input");
        let read = tree::read(FileId(0), &text);
        assert_eq!(read.root.text().to_string(), text, "{}", path.display());
    }
}

#[test]
fn the_tree_reads_what_pest_reads() {
    let mut differ = Vec::new();
    for path in inputs() {
        let text = std::fs::read_to_string(&path).expect("input");
        let (pest_ast, pest_diagnostics) = sls::syntax::parse::parse_file(FileId(0), &text);
        let (tree_ast, tree_diagnostics) = tree::parse_file(FileId(0), &text);
        let mut pest_ast = serde_json::to_value(&pest_ast).expect("AST as JSON");
        without_trailing_comments(&mut pest_ast, &text);
        let tree_ast = serde_json::to_value(&tree_ast).expect("AST as JSON");
        let name = support::relative(&path).display().to_string();
        if pest_diagnostics.is_empty() {
            if !tree_diagnostics.is_empty() || pest_ast != tree_ast {
                let (pest, tree) = (format!("{pest_ast:#?}"), format!("{tree_ast:#?}"));
                let first = pest.lines().zip(tree.lines()).position(|(a, b)| a != b);
                let context = |text: &str| {
                    let lines: Vec<&str> = text.lines().collect();
                    let at = first.unwrap_or(lines.len().saturating_sub(1));
                    lines[at.saturating_sub(8)..(at + 2).min(lines.len())].join("\n")
                };
                differ.push(format!(
                    "{name}: {:?}\npest:\n{}\ntree:\n{}",
                    tree_diagnostics.0.first().map(|d| &d.message),
                    context(&pest),
                    context(&tree)
                ));
            }
        } else if tree_diagnostics.is_empty() {
            differ.push(format!("{name}: pest rejects it, the tree accepts it"));
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
}

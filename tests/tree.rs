//! The lossless tree: it gives back every byte of every file; examples read
//! without an error node, and a broken statement is one diagnostic and one
//! error node while the rest of its file is read. (Before the tree replaced
//! pest, its AST was compared with pest's, span for span, on every example
//! and bad input: commit "check reads the lossless tree".)

use crate::support;

use std::path::PathBuf;

use sls::syntax::source::FileId;
use sls::syntax::tree;

fn inputs() -> Vec<PathBuf> {
    let mut files = support::example_scripts();
    files.extend(support::diagnosed_scripts());
    files
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
fn examples_read_cleanly_and_broken_statements_are_error_nodes() {
    for path in inputs() {
        let text = std::fs::read_to_string(&path).expect("input");
        let read = tree::read(FileId(0), &text);
        let name = support::relative(&path).display().to_string();
        let errors = read
            .root
            .descendants()
            .filter(|n| n.kind() == tree::Kind::Node(tree::NodeKind::Error))
            .count();
        let parse_error = name.starts_with("tests/bad/parse_");
        if !parse_error {
            assert!(read.diagnostics().is_empty(), "{name}: {:?}", read.diagnostics());
            assert_eq!(errors, 0, "{name} has error nodes");
        } else if read.early.is_empty() {
            // One diagnostic and one error node per broken statement; an
            // unknown escape or a number too large is found when lowering.
            assert_eq!(read.syntax.len(), errors, "{name}");
            assert!(!tree::parse_file(FileId(0), &text).diagnostics.is_empty(), "{name}");
        }
    }
}

#[test]
fn a_broken_statement_leaves_the_rest_of_the_file_read() {
    let text = "platform {\n  host a { speed 1Gf/s; cores; ram 1GB }\n  lnk b { bandwidth 1Gbps }\n  host c { speed 2Gf/s }\n}\n";
    let tree::Parsed {
        ast: file, diagnostics, ..
    } = tree::parse_file(FileId(0), text);
    let messages: Vec<&str> = diagnostics.0.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        messages,
        ["expected a value, found `;`", "unknown statement `lnk` in `platform`"]
    );
    let sls::syntax::ast::Item::Platform(platform) = &file.items[0] else {
        panic!("a platform");
    };
    let hosts: Vec<(&str, Vec<&str>)> = platform
        .hosts
        .iter()
        .map(|h| {
            (
                h.name.name.name.as_str(),
                h.properties.iter().map(|p| p.name.name.as_str()).collect(),
            )
        })
        .collect();
    assert_eq!(hosts, [("a", vec!["speed", "ram"]), ("c", vec!["speed"])]);
}

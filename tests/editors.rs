//! The editor grammars highlight every keyword the language has: a keyword
//! added to the grammar must be added to `editors/` too.

use std::path::Path;

fn grammar_keywords() -> Vec<String> {
    let grammar =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("grammar/sls.pest")).expect("grammar");
    grammar
        .lines()
        .filter_map(|l| l.strip_prefix("kw_"))
        .filter_map(|l| l.split('"').nth(1))
        .map(str::to_string)
        .collect()
}

#[test]
fn editors_know_every_keyword() {
    let keywords = grammar_keywords();
    assert!(keywords.len() > 40, "found {} keywords", keywords.len());
    for file in [
        "editors/vscode/syntaxes/sls.tmLanguage.json",
        "editors/vim/syntax/sls.vim",
    ] {
        let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).expect("editor file");
        let words: Vec<&str> = text.split(|c: char| !c.is_ascii_alphanumeric() && c != '_').collect();
        for k in &keywords {
            assert!(words.contains(&k.as_str()), "`{k}` is not highlighted by {file}");
        }
    }
}

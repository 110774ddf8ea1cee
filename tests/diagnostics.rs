//! Every bad input under `tests/bad/` is a distinct user mistake: its
//! diagnostics are snapshotted as the user sees them, and each must carry a
//! stable code, a label on a real span and help.

mod support;

use std::collections::BTreeSet;

use sls::diagnostic::Diagnostic;

fn assert_well_formed(diagnostics: &[Diagnostic], sources: &sls::syntax::source::Sources, input: &str) {
    assert!(!diagnostics.is_empty(), "{input}: a bad input must be rejected");
    for d in diagnostics {
        assert!(d.code.starts_with("sls::"), "{input}: code `{}`", d.code);
        assert!(
            !d.message.is_empty() && !d.primary.text.is_empty(),
            "{input}: empty message or label"
        );
        assert!(
            d.help.as_deref().is_some_and(|h| !h.is_empty()),
            "{input}: `{}` has no help",
            d.code
        );
        let file = sources.get(d.primary.span.file);
        assert!(
            d.primary.span.end as usize <= file.text.len(),
            "{input}: span past the end of `{}`",
            file.name
        );
    }
}

#[test]
fn bad_inputs() {
    support::generate_bad_inputs();
    insta::glob!("bad/*.sls", |path| {
        let checked = support::check_file(path);
        let input = support::relative(path).display().to_string();
        let diagnostics = checked.program.err().unwrap_or_default();
        assert_well_formed(&diagnostics.0, &checked.sources, &input);
        insta::assert_snapshot!(diagnostics.render(&checked.sources, false, 80));
    });
}

/// Every diagnostic code the front end can produce is exercised by a bad input.
#[test]
fn every_code_has_a_bad_input() {
    support::generate_bad_inputs();
    let mut defined = BTreeSet::new();
    for dir in ["src/syntax", "src/check"] {
        collect_codes(&support::root().join(dir), &mut defined);
    }
    let mut seen = BTreeSet::new();
    for entry in std::fs::read_dir(support::root().join("tests/bad")).expect("tests/bad exists") {
        let path = entry.expect("readable entry").path();
        if path.extension().is_some_and(|e| e == "sls")
            && let Err(diagnostics) = support::check_file(&path).program
        {
            seen.extend(diagnostics.0.iter().map(|d| d.code.to_string()));
        }
    }
    let missing: Vec<&String> = defined.difference(&seen).collect();
    assert!(
        missing.is_empty(),
        "codes without a bad input in tests/bad: {missing:?}"
    );
}

fn collect_codes(dir: &std::path::Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).expect("source folder") {
        let path = entry.expect("readable entry").path();
        if path.is_dir() {
            collect_codes(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("source file");
            for piece in text.split("\"sls::").skip(1) {
                if let Some(end) = piece.find('"') {
                    out.insert(format!("sls::{}", &piece[..end]));
                }
            }
        }
    }
}

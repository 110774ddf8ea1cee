//! `sls fmt`: the canonical layout of a carelessly written script
//! (snapshot); on every example and every bad input, formatting twice
//! gives what formatting once gives, keeps every comment, and changes
//! nothing `check` reports; every example is in that layout; the command
//! formats in place, checks, and reads standard input.

use crate::support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use sls::format::format;
use sls::syntax::token::{Token, tokenize};

fn inputs() -> Vec<PathBuf> {
    let mut files = support::example_scripts();
    files.extend(support::diagnosed_scripts());
    files.push(support::root().join("tests/format/messy.sls"));
    files
}

/// What `check` says of a script ([`support::lowered`]): the program it
/// lowers to, or its diagnostics.
fn report(path: &Path, text: &str) -> Vec<String> {
    support::lowered(path, text).map_or_else(|diagnostics| diagnostics, |program| vec![program])
}

fn comments(text: &str) -> Vec<String> {
    tokenize(text)
        .filter(|(t, _)| matches!(t, Some(Token::LineComment | Token::BlockComment)))
        .map(|(_, r)| text[r].trim_end().to_string())
        .collect()
}

#[test]
fn formatting_is_stable_and_changes_no_meaning() {
    let mut formatted_files = 0;
    for path in inputs() {
        let text = std::fs::read_to_string(&path).expect("input");
        let name = support::relative(&path).display().to_string();
        let Ok(once) = format(&text) else {
            // Unbalanced brackets or an unclosed string: left as it is.
            continue;
        };
        formatted_files += 1;
        let twice = format(&once).expect("formatted text has a structure");
        assert_eq!(once, twice, "{name}: formatting twice differs from once");
        assert_eq!(comments(&text), comments(&once), "{name}: comments changed");
        assert_eq!(
            report(&path, &text),
            report(&path, &once),
            "{name}: `check` reports otherwise"
        );
    }
    assert!(formatted_files > 140, "only {formatted_files} files formatted");
}

/// The examples show the layout `sls fmt` writes (an editor formatting
/// one on save changes nothing).
#[test]
fn every_example_is_in_the_canonical_layout() {
    let examples = support::example_scripts();
    assert!(examples.len() > 60, "only {} examples", examples.len());
    let unformatted: Vec<String> = examples
        .iter()
        .filter(|path| {
            let text = std::fs::read_to_string(path).expect("example");
            format(&text).expect("an example formats") != text
        })
        .map(|path| support::relative(path).display().to_string())
        .collect();
    assert!(
        unformatted.is_empty(),
        "not in the canonical layout (run `sls fmt` on them): {unformatted:?}"
    );
}

#[test]
fn canonical_layout() {
    let text = std::fs::read_to_string(support::root().join("tests/format/messy.sls")).expect("input");
    insta::assert_snapshot!(format(&text).expect("formats"));
}

/// `poisson`'s bracketed rate follows it without a space, as the
/// documentation writes it, but a bracket that opens only the rate's
/// first operand keeps its space: `poisson(n * 3) * 1/s` would read as
/// `poisson(n * 3)` times `1/s`, where the rate is the whole product.
#[test]
fn poisson_is_tight_to_its_whole_bracketed_rate_only() {
    let text = "workload {\n  invoke f poisson (2/s) for 60s\n  invoke f poisson (n * 3) * 1/s for 60s\n}\n";
    assert_eq!(
        format(text).expect("formats"),
        "workload {\n  invoke f poisson(2/s) for 60s\n  invoke f poisson (n * 3) * 1/s for 60s\n}\n"
    );
}

/// Found by the `formatting` fuzz target: a `;` ending a text without a
/// final new line was kept, and formatting again dropped it (`;;` at the
/// end of a line too: one `;` was kept); a `;` alone on the last line
/// left the blank line before it.
#[test]
fn the_text_ends_its_last_line_as_a_new_line_would() {
    for (text, formatted) in [
        ("param a = 1;", "param a = 1\n"),
        ("param a = 1;;", "param a = 1\n"),
        ("param a = 1 ; ;\n", "param a = 1\n"),
        ("param a = 1;; param b = 2", "param a = 1; param b = 2\n"),
        ("param a = 1;\n", "param a = 1\n"),
        ("param a = 1; // one", "param a = 1 // one\n"),
        ("param a = 1\n\n;", "param a = 1\n"),
        ("param a = 1\n\n;\nparam b = 2", "param a = 1\n\nparam b = 2\n"),
    ] {
        assert_eq!(format(text).expect("formats"), formatted, "{text:?}");
    }
}

/// Found by the `formatting` fuzz target (fifteen minutes, 2026-12-06): a
/// statement's unread rest that starts on a line of its own with a
/// comment was joined to the line before (`ramp(//`), so the next
/// formatting read that comment as the line's and put the rest on a line
/// of its own, indented. The line break before unread text stays.
#[test]
fn unread_text_after_a_line_break_starts_its_own_line() {
    for (text, formatted) in [
        (
            "workload{invoke e ramp(\n//\n)}",
            "workload {\n  invoke e ramp(\n    //\n)\n}\n",
        ),
        (
            "workload {\n  invoke e ramp( // c\n  )\n}\n",
            "workload {\n  invoke e ramp( // c\n    )\n}\n",
        ),
    ] {
        let once = format(text).expect("formats");
        assert_eq!(once, formatted, "{text:?}");
        assert_eq!(format(&once).expect("formats"), once, "{text:?} formatted twice");
    }
}

fn sls() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sls"))
}

#[test]
fn the_command_formats_checks_and_reads_standard_input() {
    let scratch = support::Scratch::new("fmt");
    let messy = std::fs::read_to_string(support::root().join("tests/format/messy.sls")).expect("input");
    let file = scratch.join("messy.sls");
    std::fs::write(&file, &messy).expect("write");

    let check = sls().args(["fmt", "--check"]).arg(&file).output().expect("runs");
    assert_eq!(check.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&check.stdout).trim(),
        file.display().to_string()
    );
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        messy,
        "--check changes nothing"
    );

    let status = sls().arg("fmt").arg(&file).status().expect("runs");
    assert!(status.success());
    let formatted = std::fs::read_to_string(&file).expect("read");
    assert_eq!(formatted, format(&messy).expect("formats"));
    assert!(
        sls()
            .args(["fmt", "--check"])
            .arg(&file)
            .status()
            .expect("runs")
            .success()
    );

    let mut child = sls()
        .arg("fmt")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(messy.as_bytes())
        .expect("write");
    let output = child.wait_with_output().expect("finishes");
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stdout), formatted);

    let broken = scratch.join("broken.sls");
    std::fs::write(&broken, "platform {\n  host a { speed 1Gf/s\n").expect("write");
    let output = sls().arg("fmt").arg(&broken).output().expect("runs");
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("never closed"));
    assert_eq!(
        std::fs::read_to_string(&broken).expect("read"),
        "platform {\n  host a { speed 1Gf/s\n"
    );
}

//! Every bad input under `tests/bad/` is a distinct user mistake, and every
//! script under `tests/warn/` runs with a distinct warning: their
//! diagnostics are snapshotted as the user sees them, and each must carry a
//! stable code, a label on a real span and help.

use crate::support;

use std::collections::BTreeSet;

use sls::code::{Code, Example};
use sls::diagnostic::{Diagnostic, Severity};

fn assert_well_formed(
    diagnostics: &[Diagnostic],
    severity: Severity,
    sources: &sls::syntax::source::Sources,
    input: &str,
) {
    assert!(!diagnostics.is_empty(), "{input}: a bad input must be rejected");
    for d in diagnostics {
        assert!(d.code.as_str().starts_with("sls::"), "{input}: code `{}`", d.code);
        assert_eq!(d.severity, severity, "{input}: `{}`", d.code);
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
        assert_well_formed(&diagnostics.0, Severity::Error, &checked.sources, &input);
        insta::assert_snapshot!(diagnostics.render(&checked.sources, false, 80));
    });
}

/// A script with a warning checks, and says the warning.
#[test]
fn warned_inputs() {
    insta::glob!("warn/*.sls", |path| {
        let checked = support::check_file(path);
        let input = support::relative(path).display().to_string();
        assert!(checked.program.is_ok(), "{input}: a warning does not stop the script");
        assert_well_formed(&checked.warnings.0, Severity::Warning, &checked.sources, &input);
        insta::assert_snapshot!(checked.warnings.render(&checked.sources, false, 80));
    });
}

/// The code of a script's every diagnostic, errors and warnings.
fn codes_made(path: &std::path::Path) -> Vec<Code> {
    let checked = support::check_file(path);
    let errors = checked.program.err().unwrap_or_default();
    errors.0.iter().chain(&checked.warnings.0).map(|d| d.code).collect()
}

/// Every code of the table with a script for example is made by that
/// script, and every script of `tests/bad/` and `tests/warn/` is the example
/// of a code it makes or makes codes that have examples: each mistake the
/// front end can report, and each warning, has an input, and `sls explain`
/// shows a real one.
#[test]
fn every_code_has_a_bad_input() {
    support::generate_bad_inputs();
    let mut examples = BTreeSet::new();
    let scripts = support::diagnosed_scripts();
    for &code in Code::ALL {
        let Example::Script(script) = code.example() else {
            continue;
        };
        let path = scripts
            .iter()
            .find(|p| std::fs::read_to_string(p).is_ok_and(|t| t == script))
            .unwrap_or_else(|| panic!("the example of `{code}` is not a file of tests/bad or tests/warn"));
        assert!(
            codes_made(path).contains(&code),
            "{}: its example does not make `{code}`",
            path.display()
        );
        examples.insert(code);
    }
    for path in &scripts {
        for code in codes_made(path) {
            assert!(
                examples.contains(&code),
                "`{code}` (made by {}) has no example in the table",
                path.display()
            );
        }
    }
}

/// The table's explanations state the bounds the readers and runs apply,
/// which are constants of their own: changing one must change the text.
#[test]
fn the_table_states_the_bounds_in_force() {
    let grouped = |n: u64| {
        let digits = n.to_string();
        let mut out = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(',');
            }
            out.push(c);
        }
        out
    };
    let stated = [
        (Code::TraceTooManyArrivals, sls::workload::trace::MAX_ARRIVALS_AT_ONCE),
        (Code::RunTooManyInFlight, sls::ir::workload::MAX_IN_FLIGHT),
    ];
    for (code, bound) in stated {
        let bound = grouped(bound);
        assert!(
            code.summary().contains(&bound),
            "`{code}` does not state {bound}: {}",
            code.summary()
        );
    }
}

/// No code is written outside the table: the trace readers' miette codes
/// are the table's too.
#[test]
fn every_code_is_in_the_table() {
    let mut written = BTreeSet::new();
    collect_codes(&support::root().join("src"), &mut written);
    let known: BTreeSet<String> = Code::ALL.iter().map(|c| c.as_str().to_string()).collect();
    let unknown: Vec<&String> = written.difference(&known).collect();
    assert!(unknown.is_empty(), "codes missing from src/code.rs: {unknown:?}");
}

#[test]
fn explain_prints_a_code() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_sls"))
        .args(["explain", "unknown_host"])
        .output()
        .expect("sls runs");
    assert!(output.status.success());
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("sls::unknown_host\n"), "{text}");
    assert!(text.contains(include_str!("bad/unknown_host.sls").lines().last().unwrap_or_default()));
    assert!(text.contains("To fix it: "));
    let unknown = std::process::Command::new(env!("CARGO_BIN_EXE_sls"))
        .args(["explain", "sls::no_such_code"])
        .output()
        .expect("sls runs");
    assert_eq!(unknown.status.code(), Some(2));
    for &code in Code::ALL {
        assert!(!code.summary().is_empty() && !code.fix().is_empty(), "{code}");
    }
}

#[test]
fn explain_finds_a_code_by_its_last_part_when_no_other_ends_so() {
    let explain = |name: &str| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_sls"))
            .args(["explain", name])
            .output()
            .expect("sls runs");
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        (output.status.code(), text(&output.stdout), text(&output.stderr))
    };
    // A trace's or an empirical distribution's code, as its message shows it
    // last (`sls::trace::too_large`): it said "no diagnostic code".
    let (status, stdout, _) = explain("too_large");
    assert_eq!(status, Some(0));
    assert!(stdout.starts_with("sls::trace::too_large\n"), "{stdout}");
    let (status, _, stderr) = explain("negative_value");
    assert_eq!(status, Some(2));
    assert!(
        stderr.contains(
            "more than one code ends with `negative_value`: `sls::empirical::negative_value`, `sls::trace::negative_value`; write the one meant"
        ),
        "{stderr}"
    );
    for &code in Code::ALL {
        let last = code.as_str().rsplit("::").next().unwrap_or_default();
        if Code::ending_with(last).len() == 1 {
            assert_eq!(Code::find(last), Some(code), "{last}");
        }
    }
}

/// Codes written in the sources outside the table: `code(sls::...)` of the
/// trace readers' derives, and any left in a string.
fn collect_codes(dir: &std::path::Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).expect("source folder") {
        let path = entry.expect("readable entry").path();
        if path.is_dir() {
            collect_codes(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("code.rs") {
            let text = std::fs::read_to_string(&path).expect("source file");
            for marker in ["code(sls::", "\"sls::"] {
                for piece in text.split(marker).skip(1) {
                    let name: String = piece
                        .chars()
                        .take_while(|c| c.is_ascii_lowercase() || *c == '_' || *c == ':')
                        .collect();
                    out.insert(format!("sls::{name}"));
                }
            }
        }
    }
}

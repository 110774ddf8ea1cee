//! Parsing does work linear in the input, whatever the input: pest counts
//! the rule calls of a parse and fails one that exceeds its budget (a
//! process-wide setting, so this file holds one test). Measured in calls,
//! not seconds, so the bound holds on any machine.

mod support;

use std::num::NonZeroUsize;

use sls::syntax::parse::parse_file;
use sls::syntax::source::FileId;

/// Rule calls a parse may make per byte of input (plus a constant). The
/// most any input below needs is 84 (a megabyte of `x` lines, each tried as
/// every kind of declaration); before comments were skipped whole, 24 lines
/// of `// {` in a skipped block needed 2^24 times more.
const CALLS_PER_BYTE: usize = 128;
const BASE_CALLS: usize = 10_000;

/// Whether parsing `text` stays within its budget of rule calls.
fn within_budget(text: &str) -> bool {
    let budget = BASE_CALLS + CALLS_PER_BYTE * text.len();
    pest::set_call_limit(NonZeroUsize::new(budget));
    let (_, diagnostics) = parse_file(FileId(0), text);
    pest::set_call_limit(None);
    !diagnostics.0.iter().any(|d| d.message.contains("call limit"))
}

fn main_block(lines: &[String]) -> String {
    format!("platform {{\n  bogus thing {{\n{}\n  }}\n}}\n", lines.join("\n"))
}

#[test]
fn parsing_is_linear_in_the_input() {
    let mut inputs: Vec<(String, String)> = Vec::new();
    for path in support::example_scripts() {
        inputs.push((
            path.display().to_string(),
            std::fs::read_to_string(&path).expect("example"),
        ));
    }
    for n in [24, 200] {
        let comments: Vec<String> = (0..n).map(|_| "    // a { brace".to_string()).collect();
        inputs.push((format!("{n} comment lines with a brace"), main_block(&comments)));
        let strings: Vec<String> = (0..n).map(|_| "    x \"{\" \"}\" { // }".to_string()).collect();
        inputs.push((format!("{n} lines of braces in strings"), main_block(&strings)));
        let top: Vec<String> = (0..n).map(|_| "bogus // {".to_string()).collect();
        inputs.push((format!("{n} top-level lines with a brace in a comment"), top.join("\n")));
    }
    let megabyte = 1 << 20;
    inputs.push(("a megabyte of bad lines".into(), "x\n".repeat(megabyte / 2)));
    inputs.push((
        "a megabyte of bad statements on one line".into(),
        format!("platform {{ {} }}", "x;".repeat(megabyte / 2)),
    ));
    inputs.push((
        "a megabyte of functions".into(),
        "function f { image i; body { sleep 1s } }\n".repeat(megabyte / 42),
    ));
    inputs.push((
        "brackets nested 64 deep".into(),
        format!("param x = {}1{}", "[".repeat(64), "]".repeat(64)),
    ));
    for (name, text) in &inputs {
        assert!(
            within_budget(text),
            "{name}: more than {CALLS_PER_BYTE} rule calls per byte"
        );
    }
}

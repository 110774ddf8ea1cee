//! An Azure 2019 replay whose template draws `trace.duration` or
//! `trace.memory` from the percentile files, of a trace with gaps in them
//! (as the published trace has): a function without a durations row slept
//! 0 s, one whose application has no memory row reserved no RAM, and the
//! run said nothing. A strict run now refuses such a trace before it
//! starts; a lenient one leaves those functions out, and its warning
//! counts them and their invocations, checked here against a count of the
//! trace's own rows.

use std::path::Path;

use crate::support::{self, Scratch, sls};

const EXAMPLE: &str = "examples/traces/azure2019";
const COUNTS: &str = "invocations_per_function_md.anon.d01.csv";
const DURATIONS: &str = "function_durations_percentiles.anon.d01.csv";
const MEMORY: &str = "app_memory_percentiles.anon.d01.csv";

/// The example's trace in `dir`, without the rows of `file` that start
/// with `key` (its owner, application and function cells).
fn trace_without(dir: &Path, file: &str, key: &str) {
    for name in [COUNTS, DURATIONS, MEMORY] {
        let text = std::fs::read_to_string(support::root().join(EXAMPLE).join(name)).expect("example trace");
        let kept: String = text
            .lines()
            .filter(|line| name != file || !line.starts_with(key))
            .map(|line| format!("{line}\n"))
            .collect();
        assert!(name != file || kept.len() < text.len(), "{key} has a row in {name}");
        std::fs::write(dir.join(name), kept).expect("trace file");
    }
}

/// Invocations of each function (`app/function`) in the example's minutes
/// 1..120, counted from its counts file.
fn invocations_by_function() -> Vec<(String, u64)> {
    let text = std::fs::read_to_string(support::root().join(EXAMPLE).join(COUNTS)).expect("counts");
    text.lines()
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            let total = cells[4..4 + 120]
                .iter()
                .map(|c| c.parse::<u64>().expect("a count"))
                .sum();
            (format!("{}/{}", cells[1], cells[2]), total)
        })
        .collect()
}

/// Runs the example script on the trace in `dir` with `extra` options.
fn run(dir: &Path, extra: &[&str]) -> (i32, String, String) {
    let trace = format!("trace={:?}", dir.to_str().expect("utf-8 path"));
    let out = dir.join("out");
    let mut args = vec![
        "run",
        "examples/traces/azure2019.sls",
        "-p",
        &trace,
        "--out",
        out.to_str().expect("utf-8 path"),
    ];
    args.extend(extra);
    sls(&args)
}

/// What `sls` printed as one line: a diagnostic's message wraps at the
/// terminal's width, its continuation lines marked `│`.
fn flat(printed: &str) -> String {
    printed
        .split_whitespace()
        .filter(|w| *w != "│")
        .collect::<Vec<_>>()
        .join(" ")
}

/// The function names of `invocations.csv`'s rows in `dir/out`.
fn functions_run(dir: &Path) -> Vec<String> {
    let csv = std::fs::read_to_string(dir.join("out/invocations.csv")).expect("invocations.csv");
    csv.lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).expect("function").to_string())
        .collect()
}

#[test]
fn a_function_without_durations_is_refused_or_left_out_and_counted() {
    let dir = Scratch::new("gaps-durations");
    trace_without(&dir, DURATIONS, "o00000,a00000,f1,");
    let (code, _, err) = run(&dir, &[]);
    let err = flat(&err);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("sls::trace::no_percentiles"), "{err}");
    assert!(
        err.contains("1 of the 7 replayed functions has no row in `function_durations_percentiles.anon.d01.csv`")
            && err.contains("`a00000/f1`")
            && err.contains("uses `trace.duration`"),
        "{err}"
    );

    let (code, _, err) = run(&dir, &["--lenient", "-q"]);
    let err = flat(&err);
    assert_eq!(code, 0, "{err}");
    let counts = invocations_by_function();
    let left: u64 = counts.iter().filter(|(f, _)| f == "a00000/f1").map(|(_, n)| n).sum();
    let all: u64 = counts.iter().map(|(_, n)| n).sum();
    assert!(left > 0, "the function left out is invoked in the replayed minutes");
    assert!(
        err.contains(&format!(
            "1 function left out, with {left} invocations of the replayed minutes"
        )),
        "{err}"
    );
    let run = functions_run(&dir);
    assert_eq!(run.len() as u64, all - left, "every other invocation runs");
    assert!(!run.iter().any(|f| f == "a00000/f1"), "none of the function left out");
}

#[test]
fn an_application_without_memory_leaves_out_all_its_functions() {
    let dir = Scratch::new("gaps-memory");
    trace_without(&dir, MEMORY, "o00002,a00002,");
    let (code, _, err) = run(&dir, &[]);
    let err = flat(&err);
    assert_eq!(code, 1, "{err}");
    let counts = invocations_by_function();
    let of_app: Vec<&(String, u64)> = counts.iter().filter(|(f, _)| f.starts_with("a00002/")).collect();
    assert!(
        err.contains(&format!(
            "{} of the 7 replayed functions have no row for their application in `app_memory_percentiles.anon.d01.csv`",
            of_app.len()
        )) && err.contains("uses `trace.memory`"),
        "{err}"
    );

    let (code, _, err) = run(&dir, &["--lenient", "-q"]);
    let err = flat(&err);
    assert_eq!(code, 0, "{err}");
    let left: u64 = of_app.iter().map(|(_, n)| n).sum();
    let all: u64 = counts.iter().map(|(_, n)| n).sum();
    assert!(
        err.contains(&format!("{} functions left out, with {left} invocations", of_app.len())),
        "{err}"
    );
    let run = functions_run(&dir);
    assert_eq!(run.len() as u64, all - left);
    assert!(!run.iter().any(|f| f.starts_with("a00002/")));
}

#[test]
fn a_whole_trace_runs_without_a_warning() {
    let dir = Scratch::new("gaps-none");
    trace_without(&dir, "no file", "");
    let (code, _, err) = run(&dir, &["-q"]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("warning"), "{err}");
    let all: u64 = invocations_by_function().iter().map(|(_, n)| n).sum();
    assert_eq!(functions_run(&dir).len() as u64, all);
}

//! Bounded on any input, through the real binary: caps on declared work
//! refuse a script before anything runs and name the flag that raises them;
//! scripts are read within a size cap; diagnostics are capped and a long
//! line is not reprinted; text echoed from a script or a trace is escaped
//! and shortened; megabyte inputs are answered promptly.

use crate::support;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use support::pathological::{PLATFORM, inputs};
use support::{Scratch, sls};

/// Writes a script of the standard platform and `rest` into `dir`.
fn script(dir: &Path, name: &str, rest: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, format!("{PLATFORM}{rest}\n")).expect("a scratch script");
    path.display().to_string()
}

#[test]
fn each_cap_names_its_flag_which_raises_it() {
    let dir = Scratch::new("bounds-caps");
    let long_name = "g".repeat(150);
    let cases = [
        // 150 million invocations, over the default 100 million.
        (
            "invocations.sls",
            "workload { invoke f every 1ms count 150000000 }".to_string(),
            ["--max-invocations", "150000000"],
        ),
        // An Azure 2019 replay rescaled to 20,000/s over two hours: 144
        // million invocations, whatever its trace counts.
        (
            "replay.sls",
            format!(
                "workload {{ replay azure2019 \"{}\" as f {{ days 1; minutes 1..120; apps top(3); rate 20000/s }} }}",
                support::root().join("examples/traces/azure2019").display()
            ),
            ["--max-invocations", "144000000"],
        ),
        // At one instant, over the 10 million a run holds in flight: a
        // burst, a closed loop's users, a service's prewarmed containers.
        (
            "burst.sls",
            "workload { invoke f at 1s burst 20000000 }".to_string(),
            ["--max-in-flight", "20000000"],
        ),
        (
            "users.sls",
            "workload { invoke f closed 20000000 users think 1s for 1s }".to_string(),
            ["--max-in-flight", "20000000"],
        ),
        (
            "prewarm.sls",
            "serverless warm { head gw:\"/\"; compute node[1]; idle_timeout 10min; prewarm f 20000000 }\nworkload { invoke f on warm count 1 }"
                .to_string(),
            ["--max-in-flight", "20000000"],
        ),
        // A workflow's instances each start its three roots together:
        // 4 million instances send 12 million invocations at once.
        (
            "workflow.sls",
            "function g { image img; limits { ram 1GB }; body { sleep 1s } }\nfunction h { image img; limits { ram 1GB }; body { sleep 1s } }\nfunction k { image img; limits { ram 1GB }; body { sleep 1s } }\nworkflow fan { [f, g, h] -> k }\nworkload { invoke fan at 1s burst 4000000 }"
                .to_string(),
            ["--max-in-flight", "12000000"],
        ),
        // 20 points repeated 100 times: 2000 runs, over the default 1000.
        (
            "runs.sls",
            "param a = 1\nworkload { invoke f count 1 }\nsweep a in 1..20 repeat 100".to_string(),
            ["--max-runs", "2000"],
        ),
        // Two more hosts than the default 100,000.
        (
            "hosts.sls",
            "platform { host extra[1..100000] { speed 1Gf/s } }\nworkload { invoke f count 1 }".to_string(),
            ["--max-hosts", "100003"],
        ),
        // Rows naming a 150-character function, 90 million times: ~25 GB.
        (
            "output.sls",
            format!(
                "function {long_name} {{ image img; limits {{ ram 1GB }}; body {{ sleep 1s }} }}\nworkload {{ invoke {long_name} every 1ms count 90000000 }}"
            ),
            ["--max-output", "30000000000"],
        ),
    ];
    for (name, rest, [flag, value]) in cases {
        let path = script(&dir, name, &rest);
        let (code, _, err) = sls(&["check", &path]);
        assert_eq!(code, 1, "{name}: {err}");
        assert!(err.contains("sls::over_limit"), "{name}: {err}");
        assert!(err.contains(flag), "{name} names `{flag}`: {err}");
        let (code, out, err) = sls(&["check", &path, flag, value]);
        assert_eq!(code, 0, "{name} with {flag} {value}: {err}");
        assert!(out.starts_with("ok:"), "{out}");
    }
}

#[test]
fn run_refuses_over_a_cap_before_running() {
    let dir = Scratch::new("bounds-run");
    let path = script(&dir, "huge.sls", "workload { invoke f burst 1e12 }");
    let out = dir.join("out");
    let (code, _, err) = sls(&["run", &path, "--out", &out.display().to_string()]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("sls::over_limit") && err.contains("--max-invocations"),
        "{err}"
    );
    assert!(!out.exists(), "nothing is written for a refused script");
}

/// Huge amounts of every kind: each refused by the checker, with a code,
/// before the run allocates or writes anything.
#[test]
fn huge_workloads_are_refused_before_the_run() {
    let dir = Scratch::new("bounds-huge");
    let cases = [
        ("burst", "invoke f burst 1e12", "sls::over_limit"),
        ("count", "invoke f every 1ms count 1e12", "sls::over_limit"),
        ("rate", "invoke f poisson 1e12/s for 1min", "sls::over_limit"),
        (
            "closed",
            "invoke f closed 1e12 users think 1s for 1min",
            "sls::over_limit",
        ),
        (
            "ramp",
            "invoke f ramp(1/s -> 1e12/s) over 1e12s for 1e12s",
            "sls::over_limit",
        ),
        ("duration", "invoke f every 1s for 1e12s", "sls::over_limit"),
        ("endless", "invoke f every 1s for 1e300s", "sls::out_of_range"),
        ("huge rate", "invoke f rate 1e300/s for 1s", "sls::out_of_range"),
        ("users", "invoke f closed 1e23 users for 1s", "sls::out_of_range"),
    ];
    for (name, stream, code) in cases {
        let path = script(&dir, &format!("{name}.sls"), &format!("workload {{ {stream} }}"));
        let out = dir.join(format!("out-{name}"));
        let (exit, _, err) = sls(&["run", &path, "--out", &out.display().to_string()]);
        assert_eq!(exit, 1, "{name}: {err}");
        assert!(err.contains(code), "{name}: {err}");
        assert!(err.len() < 2000, "{name}: {err}");
        assert!(!out.exists(), "{name}: nothing is written for a refused script");
    }
}

#[test]
fn scripts_are_read_only_from_regular_files_within_a_size() {
    let (code, _, err) = sls(&["check", "/dev/zero"]);
    assert_eq!(code, 2);
    assert!(err.contains("not a regular file"), "{err}");

    let dir = Scratch::new("bounds-read");
    let fifo = dir.join("fifo.sls");
    let made = Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(made.success());
    let (code, _, err) = sls(&["check", &fifo.display().to_string()]);
    assert_eq!(code, 2, "a FIFO is refused, not waited on");
    assert!(err.contains("not a regular file"), "{err}");

    // An included FIFO is refused as well, not waited on.
    let includer = dir.join("includer.sls");
    std::fs::write(&includer, "include \"fifo.sls\"\n").unwrap();
    let (code, _, err) = sls(&["check", &includer.display().to_string()]);
    assert_eq!(code, 1);
    assert!(err.contains("sls::not_a_file"), "{err}");

    let big = dir.join("big.sls");
    std::fs::write(&big, "// x\n".repeat((1 << 20) / 5 + 1)).unwrap();
    let (code, _, err) = sls(&["check", &big.display().to_string()]);
    assert_eq!(code, 2);
    assert!(err.contains("larger than 1 MiB"), "{err}");
}

#[test]
fn diagnostics_are_capped_and_the_rest_counted() {
    let dir = Scratch::new("bounds-many");
    let path = dir.join("many.sls");
    std::fs::write(&path, "bogus\n".repeat(1000)).unwrap();
    let (code, _, err) = sls(&["check", &path.display().to_string()]);
    assert_eq!(code, 1);
    assert_eq!(err.matches("sls::parse::unknown_statement").count(), 50, "{err}");
    assert!(err.contains("950 more errors not shown"), "{err}");
    assert!(err.contains("sls: 1000 errors in"), "{err}");
}

#[test]
fn a_long_line_is_not_reprinted_per_mistake() {
    let dir = Scratch::new("bounds-long");
    // A megabyte line holding a hundred thousand mistakes.
    let steps = "sleep 1; ".repeat(110_000);
    let path = script(
        &dir,
        "long.sls",
        &format!("function g {{ image img; body {{ {steps} }} }}"),
    );
    let (code, _, err) = sls(&["check", &path]);
    assert_eq!(code, 1);
    assert_eq!(err.matches("sls::missing_unit").count(), 50);
    // Fifty reports of one cropped line each.
    assert!(err.len() < 50 * 1000, "{} bytes of diagnostics", err.len());
    assert!(err.lines().all(|l| l.chars().count() < 200), "a line is shown cropped");
}

/// A trace replay naming functions the script lacks, with `name` as the
/// trace's function: what `sls run` says about it.
fn run_unknown_trace_function(dir: &Path, name: &[u8]) -> String {
    let trace = dir.join("trace.csv");
    let mut rows = b"time,function\n0,".to_vec();
    rows.extend_from_slice(name);
    rows.push(b'\n');
    std::fs::write(&trace, rows).unwrap();
    let path = script(dir, "replay.sls", "workload { replay csv \"trace.csv\" }");
    let out = dir.join("out").display().to_string();
    let (code, _, err) = sls(&["run", &path, "--out", &out]);
    assert_eq!(code, 1, "{err}");
    err
}

#[test]
fn echoed_trace_text_is_escaped_and_shortened() {
    let dir = Scratch::new("bounds-echo");
    let err = run_unknown_trace_function(&dir, b"\x1b[31mred\x1b[0m\x07");
    assert!(err.contains("\\u{1b}[31mred"), "{err}");
    assert!(
        !err.contains('\u{1b}') && !err.contains('\u{7}'),
        "raw control characters: {err:?}"
    );

    // A 50 MB cell is shown as its first few characters.
    let cell = vec![b'x'; 50 << 20];
    let err = run_unknown_trace_function(&dir, &cell);
    assert!(err.contains("xxx…"), "{}", &err[..err.len().min(500)]);
    assert!(err.len() < 2000, "{} bytes for one message", err.len());
}

#[test]
fn a_bad_trace_row_is_shown_escaped() {
    let dir = Scratch::new("bounds-row");
    std::fs::write(dir.join("trace.csv"), b"time,function\n\x1b[2J,f\n").unwrap();
    let path = script(&dir, "replay.sls", "workload { replay csv \"trace.csv\" }");
    let out = dir.join("out").display().to_string();
    let (code, _, err) = sls(&["run", &path, "--out", &out]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("sls::trace::not_a_number"), "{err}");
    assert!(err.contains("\\u{1b}[2J"), "{err}");
    assert!(!err.contains('\u{1b}'), "raw escape: {err:?}");
}

/// Megabyte inputs of every kind known to have been slow: each is answered
/// with a bounded report, well within a generous guard (the budget is a
/// second; `cargo bench --bench bounds` measures it).
#[test]
fn megabyte_inputs_are_answered_promptly() {
    let dir = Scratch::new("bounds-megabyte");
    for (name, text) in inputs() {
        assert!(text.len() <= 1 << 20, "{name} is {} bytes", text.len());
        let path = dir.join(format!("{name}.sls"));
        std::fs::write(&path, text).unwrap();
        let started = Instant::now();
        let (code, _, err) = sls(&["check", &path.display().to_string()]);
        let took = started.elapsed();
        let expected = if name.ends_with("_ok") { 0 } else { 1 };
        assert_eq!(code, expected, "{name}: {}", &err[..err.len().min(2000)]);
        assert!(took < Duration::from_secs(30), "{name} took {took:?}");
        assert!(err.len() < 100_000, "{name}: {} bytes of diagnostics", err.len());
    }
}

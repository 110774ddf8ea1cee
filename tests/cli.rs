//! The command line as a user meets it: exit codes (0 clean, 1 diagnostics,
//! 2 usage error) and what `check`, `graph` and `run` print.

use crate::support;

use std::process::Command;

use support::sls;

#[test]
fn check_accepts_a_good_script() {
    let (code, out, _) = sls(&["check", "examples/basic.sls"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("ok: 6 hosts"), "{out}");
}

/// The benchmark programs (`bench/*.sls`) check clean as their scripts
/// run them, so a change to the language cannot leave one broken until
/// the next measurement: those replaying a day get the example trace for
/// their `trace` parameter (their scripts give a generated one).
#[test]
fn every_benchmark_program_checks() {
    let mut programs: Vec<_> = std::fs::read_dir(support::root().join("bench"))
        .expect("bench/")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "sls"))
        .collect();
    programs.sort();
    assert!(programs.len() >= 12, "{programs:?}");
    for path in &programs {
        let text = std::fs::read_to_string(path).expect("a benchmark program");
        let program = support::relative(path).to_string_lossy().into_owned();
        let mut args = vec!["check", program.as_str()];
        if text.contains("param trace =") {
            args.extend(["-p", "trace=\"examples/traces/azure2019\""]);
        }
        let (code, out, err) = sls(&args);
        assert_eq!(code, 0, "{program}: {err}");
        assert!(out.starts_with("ok: "), "{program}: {out}");
        assert!(err.is_empty(), "{program} checks with warnings: {err}");
    }
}

#[test]
fn check_rejects_a_bad_script_with_exit_code_1() {
    let (code, _, err) = sls(&["check", "tests/bad/unknown_host.sls"]);
    assert_eq!(code, 1);
    assert!(err.contains("sls::unknown_host"), "{err}");
    assert!(
        err.contains("tests/bad/unknown_host.sls:"),
        "diagnostics name file:line:col: {err}"
    );
}

#[test]
fn usage_errors_exit_with_2() {
    assert_eq!(sls(&["check", "no/such/file.sls"]).0, 2);
    assert_eq!(sls(&["frobnicate"]).0, 2);
    assert_eq!(sls(&["check"]).0, 2);
    // A folder given for a script is told as one, with the shape to give.
    let (code, _, err) = sls(&["run", "examples"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("`examples` is a folder; give a `.sls` script (`examples/NAME.sls`)"),
        "{err}"
    );
    // So is a trace given for a script (it was read as one: its first
    // cell an unknown statement).
    let (code, _, err) = sls(&["check", "examples/data/checkout_latency.csv"]);
    assert_eq!(code, 2);
    assert!(err.contains("is a .csv file, not a `.sls` script"), "{err}");
    assert!(
        err.contains("replay csv \"examples/data/checkout_latency.csv\""),
        "{err}"
    );
}

#[test]
fn param_overrides_are_checked_like_source() {
    let (code, out, _) = sls(&["check", "examples/basic.sls", "-p", "nodes=8"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("ok: 10 hosts"), "{out}");
    let (code, _, err) = sls(&["check", "examples/basic.sls", "-p", "nodes=8GB"]);
    assert_eq!(code, 1);
    assert!(err.contains("sls::unit_mismatch"), "{err}");
}

#[test]
fn a_parameter_hiding_a_policy_given_on_the_command_line_is_named() {
    // `-p ev=ram` means the eviction policy `ram`, which the script's
    // `param ram` (a size) hides: the error said the size was the wrong
    // kind of value, and its help to write `ram`, what was written.
    let bad = std::fs::read_to_string(support::root().join("tests/bad/param_hides_word.sls")).expect("the script");
    let dir = support::Scratch::new("cli-param-hides-word");
    let script = dir.join("script.sls");
    let text = bad
        .replace("eviction ram", "eviction ev")
        .replace("param ram", "param ev = lru\nparam ram");
    std::fs::write(&script, text).expect("written");
    let script = script.to_str().expect("a path");
    assert_eq!(sls(&["check", script]).0, 0);
    let (code, _, err) = sls(&["check", script, "-p", "ev=ram"]);
    assert_eq!(code, 1);
    assert!(err.contains("sls::param_hides_word"), "{err}");
    assert!(
        err.contains("the parameter `ram` hides the word `ram` (an eviction policy)"),
        "{err}"
    );
    assert!(!err.contains("sls::type_mismatch"), "{err}");
}

#[test]
fn a_parameter_that_empties_a_family_is_named_with_its_value() {
    // `-p nodes=0` makes `node[1..nodes]` empty: the slip is the value
    // given, not the order of the bounds (the help once said to write
    // `0..1`).
    let (code, _, err) = sls(&["check", "examples/basic.sls", "-p", "nodes=0"]);
    assert_eq!(code, 1);
    assert!(err.contains("sls::empty_range"), "{err}");
    assert!(err.contains("give `nodes` a value of at least 1"), "{err}");
    assert!(err.contains("`nodes` is 0 (-p nodes=0:1:7)"), "{err}");
    assert!(!err.contains("smaller bound first"), "{err}");
}

#[test]
fn a_malformed_param_override_shows_the_options_shape() {
    // Not the script's language tour: the help shows `-p`'s own shape, and
    // the text ends at the parameter's end, not a file's.
    for (given, found) in [
        ("nodes", "expected `=`, found the end of the parameter"),
        ("nodes=", "expected a value, found the end of the parameter"),
        ("nodes=8=9", "expected the end of the value, found `=`"),
    ] {
        let (code, _, err) = sls(&["check", "examples/basic.sls", "-p", given]);
        assert_eq!(code, 1, "{given}");
        assert!(
            err.contains("sls::parse::unexpected") && err.contains(found),
            "{given}: {err}"
        );
        assert!(
            err.contains("help: write the parameter as `name=value`"),
            "{given}: {err}"
        );
        assert!(!err.contains("language tour"), "{given}: {err}");
    }
}

/// `sls` with `args`, its standard output and error a pipe nobody reads
/// (`sls ... 2>&1 | head -1` once `head` is gone): its exit code.
fn into_a_closed_pipe(args: &[&str]) -> Option<i32> {
    let (reader, writer) = std::io::pipe().expect("a pipe");
    drop(reader);
    let status = Command::new(env!("CARGO_BIN_EXE_sls"))
        .args(args)
        .current_dir(support::root())
        .stdout(writer.try_clone().expect("the pipe's writer twice"))
        .stderr(writer)
        .status()
        .expect("the sls binary runs");
    status.code()
}

#[test]
fn a_closed_pipe_ends_the_message_not_the_command() {
    // Diagnostics and usage errors to standard error: their usual codes,
    // not a panic's (101) for failing to print.
    assert_eq!(
        into_a_closed_pipe(&["check", "examples/basic.sls", "-p", "nodes=x"]),
        Some(1)
    );
    assert_eq!(into_a_closed_pipe(&["check", "no/such/file.sls"]), Some(2));
    assert_eq!(into_a_closed_pipe(&["explain", "no_such_code"]), Some(2));
    // A run whose summary nobody reads still writes every result.
    let dir = support::Scratch::new("cli-closed-pipe");
    let out = dir.join("out");
    let out = out.to_str().expect("utf-8 path");
    assert_eq!(
        into_a_closed_pipe(&["run", "examples/basic.sls", "--out", out]),
        Some(0)
    );
    let rows = std::fs::read_to_string(dir.join("out/invocations.csv")).expect("the rows");
    assert_eq!(rows.lines().count(), 201, "200 invocations and the header");
    assert!(dir.join("out/summary.json").exists() && dir.join("out/manifest.json").exists());
}

#[test]
fn graph_prints_dot() {
    let (code, out, _) = sls(&["graph", "examples/workflow.sls"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("digraph sls {"), "{out}");
    assert!(out.contains("label=\"analyse\""), "{out}");
}

/// Writes `dir/name`: one worker replaying the CSV trace at `trace` (as
/// written in the script, relative to `dir`); returns its path.
fn csv_replay(dir: &std::path::Path, name: &str, trace: &str) -> std::path::PathBuf {
    let script = dir.join(name);
    std::fs::write(
        &script,
        format!(
            r#"platform {{
  host gateway {{ speed 1Gf/s; cores 1; disk "/" {{ size 1TB; read 1GBps; write 1GBps }} }}
  host worker {{ speed 1Gf/s; cores 2; ram 4GB; disk "/" {{ size 100GB; read 1GBps; write 1GBps }} }}
  link lan {{ bandwidth 1Gbps; latency 10us }}
  route gateway <-> worker via lan
}}
serverless faas {{ head gateway:"/"; compute worker }}
image base {{ size 10MB; ram 10MB }}
function template {{ image base; limits {{ ram 128MB }}; body {{ sleep trace.duration }} }}
workload {{ replay csv {trace:?} as template }}
"#
        ),
    )
    .expect("script");
    script
}

#[test]
fn lenient_runs_say_how_many_bad_rows_they_skipped() {
    let dir = support::Scratch::new("cli-lenient");
    let trace = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/traces/bad/csv_many_bad.csv");
    let script = csv_replay(&dir, "lenient.sls", trace.to_str().expect("utf-8 path"));
    let script = script.to_str().expect("utf-8 path");
    let out = dir.join("out");
    let out = out.to_str().expect("utf-8 path");

    let (code, _, err) = sls(&["run", script, "--out", out]);
    assert_eq!(code, 1, "strict mode refuses the trace");
    assert!(err.contains("sls::trace::bad_rows"), "{err}");

    let (code, stdout, err) = sls(&["run", script, "--lenient", "--out", out]);
    assert_eq!(code, 0, "{err}");
    assert!(
        stdout.lines().any(|l| l.split_whitespace().eq(["invocations", "2"])),
        "the two good rows run: {stdout}"
    );
    assert!(
        err.contains("csv_many_bad.csv`: 4 bad rows skipped (1 sls::trace::missing_column, 1 sls::trace::not_a_number, 1 sls::trace::negative_value, 1 sls::trace::out_of_order)"),
        "{err}"
    );
}

/// A replay that gives no arrival at all (a trace of its header alone,
/// every row bad and skipped, counts all zero) ran as a quiet trace does,
/// with 0 invocations and not a word; the run now says why it replayed
/// nothing.
#[test]
fn a_replay_of_nothing_says_so() {
    let dir = support::Scratch::new("cli-nothing");
    let out = dir.join("out");
    let out = out.to_str().expect("utf-8 path");
    let warned = |err: &str, why: &str| {
        err.lines()
            .any(|l| l.starts_with("sls: warning: trace `") && l.ends_with(&format!("`: nothing replayed: {why}")))
    };

    let header = dir.join("header.csv");
    std::fs::write(&header, "time,function,duration\n").expect("trace");
    let script = csv_replay(&dir, "header.sls", header.to_str().expect("utf-8 path"));
    let (code, stdout, err) = sls(&["run", script.to_str().expect("utf-8 path"), "--out", out]);
    assert_eq!(code, 0, "{err}");
    assert!(
        stdout.lines().any(|l| l.split_whitespace().eq(["invocations", "0"])),
        "{stdout}"
    );
    assert!(warned(&err, "the file holds no invocation"), "{err}");

    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "time,function,duration\nsoon,f,1\n").expect("trace");
    let script = csv_replay(&dir, "bad.sls", bad.to_str().expect("utf-8 path"));
    let (code, _, err) = sls(&[
        "run",
        script.to_str().expect("utf-8 path"),
        "--lenient",
        "--force",
        "--out",
        out,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(warned(&err, "every row of it was bad and skipped"), "{err}");

    // The example's Azure 2019 day with every count made zero: its
    // applications are still selected, and none is ever invoked.
    let example = support::root().join("examples/traces/azure2019");
    let zeroed = dir.join("zeroed");
    std::fs::create_dir(&zeroed).expect("folder");
    for entry in std::fs::read_dir(&example).expect("example trace") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("file name");
        let text = std::fs::read_to_string(&path).expect("trace file");
        let text = if name.to_string_lossy().starts_with("invocations_per_function") {
            let mut lines = text.lines();
            let mut zero = vec![lines.next().expect("header").to_string()];
            zero.extend(lines.map(|row| {
                let cells: Vec<&str> = row.split(',').collect();
                let mut kept = cells[..4].to_vec();
                kept.extend(std::iter::repeat_n("0", cells.len() - 4));
                kept.join(",")
            }));
            zero.join("\n") + "\n"
        } else {
            text
        };
        std::fs::write(zeroed.join(name), text).expect("trace file");
    }
    let trace = format!("trace={:?}", zeroed.display().to_string());
    let (code, stdout, err) = sls(&[
        "run",
        "examples/traces/azure2019.sls",
        "-p",
        &trace,
        "--force",
        "--out",
        out,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        stdout.lines().any(|l| l.split_whitespace().eq(["invocations", "0"])),
        "{stdout}"
    );
    assert!(
        warned(
            &err,
            "the selected applications have no invocation in the replayed days and minutes"
        ),
        "{err}"
    );
}

/// A trace dated in Unix time (seconds since 1970) was replayed from its
/// dates as seconds since the start: a run idle for 54 years, utilisation
/// 0 %, every date rounded to 0.24 us (`2.116796928` for `2.116796767`),
/// exit 0. Such a first date is an error naming the fix, and the fix it
/// names (a format reading the column as Unix time) replays the trace as
/// dates counted from its start do, byte for byte.
#[test]
fn a_trace_in_unix_time_is_refused_with_the_format_that_reads_it() {
    let dir = support::Scratch::new("cli-epoch");
    let rows = [("0.0", "0.8"), ("0.5", "1.2"), ("0.7", "4.5"), ("1.9", "0.9")];
    let write = |name: &str, start: f64| {
        let path = dir.join(name);
        let mut text = String::from("time,function,duration\n");
        for (time, duration) in rows {
            let time: f64 = time.parse().expect("a date");
            text += &format!("{},resize,{duration}\n", start + time);
        }
        std::fs::write(&path, text).expect("trace");
        path
    };
    let relative = write("relative.csv", 0.0);
    let unix = write("unix.csv", 1_700_000_000.0);
    let late = write("late.csv", 300.0 * 86_400.0);
    let run = |script: &std::path::Path, out: &str| {
        let out = dir.join(out);
        let result = sls(&[
            "run",
            script.to_str().expect("utf-8 path"),
            "--out",
            out.to_str().expect("utf-8 path"),
            "-q",
        ]);
        (result, out)
    };

    // The replay script of `trace` read through format `name`, declared
    // with `mapping`, written as `file`.
    let through_format = |file: &str, trace: &std::path::Path, name: &str, mapping: &str| {
        let text =
            std::fs::read_to_string(csv_replay(&dir, file, trace.to_str().expect("utf-8 path"))).expect("script");
        let text = format!(
            "format {name} {{ {mapping} }}\n{}",
            text.replace("replay csv", &format!("replay {name}"))
        );
        let path = dir.join(file);
        std::fs::write(&path, text).expect("script");
        path
    };

    // Messages read with the terminal's wrapping undone (where it wraps
    // depends on the scratch folder's path).
    let unwrapped = |err: &str| err.replace('│', " ").split_whitespace().collect::<Vec<_>>().join(" ");
    let script = csv_replay(&dir, "unix.sls", unix.to_str().expect("utf-8 path"));
    let ((code, _, err), _) = run(&script, "unix");
    assert_eq!(code, 1, "{err}");
    let err = unwrapped(&err);
    assert!(
        err.contains("sls::trace::epoch_dates")
            && err.contains("replayed here")
            && err.contains("comes 1700000000 s")
            && err.contains("(53.9 years)")
            && err.contains(r#"time column("time", timestamp("%s"))"#),
        "{err}"
    );

    // A mapped trace in Unix milliseconds: the help names its column.
    let logs = dir.join("logs.csv");
    std::fs::write(&logs, "ts,fn,duration\n1700000000000,a,0.5\n1700000000250,b,0.5\n").expect("trace");
    let logs_script = through_format(
        "logs.sls",
        &logs,
        "logs",
        r#"time column("ts", 1ms); function column("fn"); duration column("duration", 1s)"#,
    );
    let ((code, _, err), _) = run(&logs_script, "logs");
    assert_eq!(code, 1, "{err}");
    let err = unwrapped(&err);
    assert!(
        err.contains("sls::trace::epoch_dates")
            && err.contains("format `logs` reads `ts` as a count of its unit")
            && err.contains(r#"time column("ts", timestamp("%s"))"#),
        "{err}"
    );

    // Dates a few hundred days in are a trace's own: they run.
    let script = csv_replay(&dir, "late.sls", late.to_str().expect("utf-8 path"));
    let ((code, _, err), _) = run(&script, "late");
    assert_eq!(code, 0, "{err}");

    // The format the help names replays the Unix dates from the first row.
    let script = csv_replay(&dir, "relative.sls", relative.to_str().expect("utf-8 path"));
    let ((code, _, err), expected) = run(&script, "relative");
    assert_eq!(code, 0, "{err}");
    let mapped = through_format(
        "mapped.sls",
        &unix,
        "unix",
        r#"time column("time", timestamp("%s")); function column("function"); duration column("duration", 1s)"#,
    );
    let ((code, _, err), got) = run(&mapped, "mapped");
    assert_eq!(code, 0, "{err}");
    let rows = |out: &std::path::Path| std::fs::read_to_string(out.join("invocations.csv")).expect("rows");
    assert_eq!(rows(&got), rows(&expected));
    assert_eq!(rows(&got).lines().count(), 1 + 4);
}

/// Two replays of traces naming their functions alike ran distinct
/// functions under one name: `invocations.csv` and `summary.json` could
/// not tell them apart. The second replay's are named after it.
#[test]
fn functions_of_two_replays_sharing_a_name_keep_apart_in_the_results() {
    let dir = support::Scratch::new("cli-same-names");
    let trace = dir.join("trace.csv");
    std::fs::write(&trace, "time,function,duration\n0.0,a,0.5\n0.1,b,0.5\n0.2,a,0.5\n").expect("trace");
    let script = csv_replay(&dir, "twice.sls", trace.to_str().expect("utf-8 path"));
    let text = std::fs::read_to_string(&script).expect("script");
    let path = trace.to_str().expect("utf-8 path");
    let doubled = format!(
        "{}workload {{\n  replay csv {path:?} as template\n  replay csv {path:?} as template\n}}\n",
        text.split("workload").next().expect("the script before its workload")
    );
    std::fs::write(&script, doubled).expect("script");
    let out = dir.join("out");
    let (code, _, err) = sls(&[
        "run",
        script.to_str().expect("utf-8 path"),
        "--out",
        out.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("2 of its functions share their names with other functions of `faas`: the results name them after the replay (the script's replay 2), `a#2` for `a` and `b#2` for `b`"),
        "{err}"
    );
    let rows = std::fs::read_to_string(out.join("invocations.csv")).expect("rows");
    let count = |name: &str| rows.lines().filter(|l| l.split(',').nth(1) == Some(name)).count();
    assert_eq!(
        [count("a"), count("b"), count("a#2"), count("b#2")],
        [2, 1, 2, 1],
        "{rows}"
    );
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).expect("summary")).expect("JSON");
    let names: Vec<&str> = summary["functions"]
        .as_array()
        .expect("functions")
        .iter()
        .map(|f| f["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(names, ["a", "b", "a#2", "b#2"]);

    // A trace function named as a declared function that a stream runs is
    // named after its replay; one named as a declared function nothing
    // runs keeps its name.
    let declared = format!(
        "{}function a {{ image base; body {{ sleep 1s }} }}\nfunction b {{ image base; body {{ sleep 1s }} }}\nworkload {{\n  invoke a every 1s count 2\n  replay csv {path:?} as template\n}}\n",
        text.split("workload").next().expect("the script before its workload")
    );
    std::fs::write(&script, declared).expect("script");
    let (code, _, err) = sls(&[
        "run",
        script.to_str().expect("utf-8 path"),
        "--out",
        out.to_str().expect("utf-8 path"),
        "--force",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("(the script's replay 1), `a#1` for `a`"), "{err}");
    let rows = std::fs::read_to_string(out.join("invocations.csv")).expect("rows");
    let count = |name: &str| rows.lines().filter(|l| l.split(',').nth(1) == Some(name)).count();
    assert_eq!([count("a"), count("b"), count("a#1")], [2, 1, 2], "{rows}");
}

/// An Azure 2019 replay asking for more applications than its trace has
/// replays them all, and the run says so (it did not).
#[test]
fn a_selection_of_more_applications_than_the_trace_has_is_a_warning() {
    let dir = support::Scratch::new("cli-top");
    let out = dir.join("out");
    let (code, _, err) = sls(&[
        "run",
        "examples/traces/azure2019.sls",
        "-p",
        "trace=examples/traces/azure2019",
        "--out",
        out.to_str().expect("utf-8 path"),
        "-q",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("warning"), "top(3) of 3: {err}");
    let script = std::fs::read_to_string(support::root().join("examples/traces/azure2019.sls")).expect("example");
    let wider = dir.join("wider.sls");
    std::fs::write(&wider, script.replace("apps top(3)", "apps top(300)")).expect("script");
    let trace = format!(
        "trace={:?}",
        support::root().join("examples/traces/azure2019").display().to_string()
    );
    let (code, _, err) = sls(&[
        "run",
        wider.to_str().expect("utf-8 path"),
        "-p",
        &trace,
        "--out",
        out.to_str().expect("utf-8 path"),
        "--force",
        "-q",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("sls: warning: trace `")
            && err.contains(
                "`apps top(300)` asks for more applications than the replayed days hold (3): all are replayed"
            ),
        "{err}"
    );
}

/// A sweep's runs of one trace give the same warning: it is said once,
/// with how many runs gave it (it was said once per run, 20 times here).
#[test]
fn a_sweep_says_each_warning_once() {
    let dir = support::Scratch::new("cli-sweep-warning");
    let out = dir.join("out");
    let (code, _, err) = sls(&[
        "run",
        "examples/notebooks/keep_alive.sls",
        "--invocations",
        "none",
        "--out",
        out.to_str().expect("utf-8 path"),
        "-q",
    ]);
    assert_eq!(code, 0, "{err}");
    let said: Vec<&str> = err.lines().filter(|l| l.starts_with("sls: warning:")).collect();
    assert_eq!(said.len(), 1, "{err}");
    assert!(
        said[0].contains("`apps quantile(0.5..0.9, 20)` asks for more applications than its band holds")
            && said[0].ends_with("(in every run)"),
        "{err}"
    );
}

/// A trace path typed in a shell reaches `sls` without quotes, and is
/// relative to the current folder: `-p trace=examples/traces/azure2019`
/// runs the example's own trace as the script's default does.
#[test]
fn string_parameters_take_unquoted_paths_from_the_current_folder() {
    let dir = support::Scratch::new("cli-unquoted");
    let run = |extra: &[&str], out: &str| {
        let out = dir.join(out);
        let mut args = vec![
            "run",
            "examples/traces/azure2019.sls",
            "--out",
            out.to_str().expect("utf-8 path"),
        ];
        args.extend_from_slice(extra);
        sls(&args)
    };
    let (code, by_default, err) = run(&[], "default");
    assert_eq!(code, 0, "{err}");
    let (code, overridden, err) = run(&["-p", "trace=examples/traces/azure2019"], "unquoted");
    assert_eq!(code, 0, "{err}");
    let summary = |stdout: String| -> Vec<String> {
        stdout
            .lines()
            .filter(|l| !l.starts_with("results in"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(summary(by_default), summary(overridden), "the same trace, the same run");
    let (code, _, err) = run(&["-p", "trace=examples/traces/nowhere"], "missing");
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("sls::trace::missing_file") && err.contains("-p trace=examples/traces/nowhere"),
        "{err}"
    );
}

#[test]
fn a_trace_path_naming_no_trace_file_says_what_it_names() {
    let dir = support::Scratch::new("cli-trace-kinds");
    for (path, told, label) in [
        ("nowhere.csv", "no trace at", "not found"),
        (".", "is a folder, not a trace file", "a folder"),
        ("/dev/null", "`/dev/null` is not a regular file", "not a regular file"),
    ] {
        let script = csv_replay(&dir, "replay.sls", path);
        let (code, _, err) = sls(&["check", script.to_str().expect("utf-8 path")]);
        assert_eq!(code, 1, "{path}: {err}");
        assert!(
            err.contains("sls::trace::missing_file") && err.contains(told) && err.contains(label),
            "{path}: {err}"
        );
    }
    // An Azure 2019 trace is a folder: a file there is told so.
    let (code, _, err) = sls(&[
        "check",
        "examples/traces/azure2019.sls",
        "-p",
        "trace=examples/basic.sls",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("`examples/basic.sls` is not a folder"), "{err}");
    // A folder of day 1 asked for day 2: the days asked for are the slip,
    // and the help names the days the folder holds.
    let script = std::fs::read_to_string(support::root().join("examples/traces/azure2019.sls")).expect("the example");
    assert!(script.contains("    days 1\n"));
    let asks_day_2 = dir.join("day2.sls");
    std::fs::write(&asks_day_2, script.replace("    days 1\n", "    days 2\n")).expect("written");
    let (code, _, err) = sls(&[
        "check",
        asks_day_2.to_str().expect("utf-8 path"),
        "-p",
        "trace=examples/traces/azure2019",
    ]);
    assert_eq!(code, 1, "{err}");
    let err = err.replace('│', " ").split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        err.contains("`invocations_per_function_md.anon.d02.csv` is missing from the trace folder"),
        "{err}"
    );
    assert!(err.contains("the days asked for"), "{err}");
    assert!(
        err.contains("the folder holds the files of day 1: ask for it (`days 1`)"),
        "{err}"
    );
}

#[test]
fn graph_shows_the_platform_stream_targets_and_data_sizes() {
    let (code, out, err) = sls(&["graph", "examples/sand/pipeline.sls"]);
    assert_eq!(code, 0, "{err}");
    // Links with their bandwidth and latency, and routes as host-link chains.
    assert!(
        out.contains("l0 [shape=ellipse, style=dashed, label=\"lan[1]\\n1.25 GBps, 50 us\"]"),
        "{out}"
    );
    assert!(out.contains("h0 -> l0 -> h1 [dir=none"), "{out}");
    // Each stream names its service; workflow edges carry their data.
    assert!(out.contains("s0 -> v0 [style=dotted, label=\"on\"]"), "{out}");
    assert!(out.contains("w0n0 -> w0n1 [label=\"3 MB\"]"), "{out}");
}

#[test]
fn graph_draws_a_large_family_as_one() {
    // 20,000 nodes, each behind its own link: drawn one by one, Graphviz
    // had not laid the graph out after two minutes.
    let (code, out, err) = sls(&["graph", "examples/basic.sls", "-p", "nodes=20000"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("h2 [shape=box3d, peripheries=2, label=\"node[1..20000]\\n20000 hosts\"]"),
        "{out}"
    );
    assert!(
        out.contains("l1 [shape=ellipse, style=dashed, label=\"local[1..20000]\\n20000 links, 100 MBps, 2 us\"]"),
        "{out}"
    );
    // The service's edge and each route's chain once for the family.
    assert_eq!(out.matches("v0 -> h2;").count(), 1, "{out}");
    assert_eq!(out.matches("h1 -> l1 -> h2 [dir=none").count(), 1, "{out}");
    assert_eq!(out.matches("h0 -> l0 -> l1 -> h2 [dir=none").count(), 1, "{out}");
    assert!(out.lines().count() < 30, "{out}");
    // Functions, their images and the streams invoking them fold alike:
    // `examples/families.sls` declares 50 of each.
    let (code, out, err) = sls(&["graph", "examples/families.sls"]);
    assert_eq!(code, 0, "{err}");
    for line in [
        "s0 [shape=plaintext, label=\"f[1..50]#0\\n50 streams\"];",
        "s0 -> f1 [style=dashed];",
        "f1 [shape=box, peripheries=2, label=\"f[1..50]\\n50 functions\"];",
        "f1 -> i0;",
        "i0 [shape=folder, peripheries=2, label=\"runtime[1..50]\\n50 images\"];",
    ] {
        assert_eq!(out.matches(line).count(), 1, "{line}: {out}");
    }
    assert!(out.lines().count() < 40, "{out}");
    // A family at the bound is drawn member by member.
    let bound = sls::ir::fold::FOLD_OVER.to_string();
    let (code, out, err) = sls(&["graph", "examples/basic.sls", "-p", &format!("nodes={bound}")]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains(&format!("label=\"node[{bound}]\"")) && !out.contains("peripheries"),
        "{out}"
    );
}

#[test]
fn graph_draws_svg_with_graphviz_and_says_when_it_is_missing() {
    let (code, out, err) = sls(&["graph", "examples/workflow.sls", "--format", "svg"]);
    assert_eq!(code, 0, "Graphviz (`dot`) is installed by .ci/run: {err}");
    assert!(out.contains("<svg") && out.contains("analyse"), "{out}");
    let output = Command::new(env!("CARGO_BIN_EXE_sls"))
        .args(["graph", "examples/workflow.sls", "--format", "svg"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("PATH", "/nonexistent")
        .output()
        .expect("sls runs");
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(
        err.contains("needs Graphviz's `dot`") && err.contains("apt-get install graphviz"),
        "{err}"
    );
    assert!(output.stdout.is_empty());
}

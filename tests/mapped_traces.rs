//! Traces read through a declared mapping of their columns, and arguments
//! per invocation (`invoke ... with { ... }`): every row of a mapped trace
//! is one invocation (or, for a table counting invocations per period, as
//! many as it counts), each with the values its row gives; a hand-written
//! list of invocations and the same rows replayed give the same results.

use crate::support;

use std::collections::HashMap;
use std::path::Path;

use sls::ir::Distribution;
use sls::ir::mapping::{Field, FunctionColumns, Mapping, TimeColumn, TimeUnit};
use sls::ir::workload::{MinuteSpread, TraceFormat};
use sls::workload::trace::{Needs, ReaderOptions, TraceArrival, TraceReader};

fn reader_options(lenient: bool) -> ReaderOptions {
    ReaderOptions {
        seed: 7,
        stream: "replay#0".into(),
        lenient,
        needs: Needs::default(),
    }
}

fn rows_mapping(time: TimeUnit) -> Mapping {
    Mapping {
        name: "test".into(),
        time: TimeColumn {
            column: "when".into(),
            unit: time,
        },
        function: FunctionColumns::Column("func".into()),
        app: Some("user".into()),
        duration: Some(Field::Column {
            column: "ms".into(),
            scale: 1e-3,
        }),
        memory: Some(Field::Drawn(Distribution::Constant(128e6))),
        request_payload: None,
        response_payload: None,
    }
}

fn read(mapping: Mapping, path: &Path) -> (Vec<TraceArrival>, Vec<String>) {
    let reader = TraceReader::open(&TraceFormat::Mapped(Box::new(mapping)), path, &reader_options(false))
        .expect("the trace is valid");
    let names = reader
        .functions()
        .iter()
        .map(|f| format!("{:?}/{}", f.app, f.name))
        .collect();
    (reader.map(|a| a.expect("no I/O error")).collect(), names)
}

/// The rows of an `invocations.csv`, by column name.
fn rows(csv: &str) -> Vec<HashMap<String, String>> {
    support::csv_text_rows(csv)
}

fn number(row: &HashMap<String, String>, column: &str) -> f64 {
    row[column].parse().unwrap_or_else(|_| panic!("`{column}` of {row:?}"))
}

fn run(script: &Path, out: &Path) -> String {
    support::run_into(script, out, &[])
}

#[test]
fn rows_map_units_apps_and_timestamps() {
    let dir = support::Scratch::new("mapped-rows");
    let path = dir.join("t.csv");
    std::fs::write(
        &path,
        "user,when,func,ms\nu1,2023-05-01 10:00:00,f,250\nu2,2023-05-01 10:00:01.5,f,1000\nu1,2023-05-01 10:01:00,g,0\n",
    )
    .expect("written");
    let (arrivals, names) = read(rows_mapping(TimeUnit::Timestamp("%Y-%m-%d %H:%M:%S".into())), &path);
    let seen: Vec<(f64, u32, Option<f64>, Option<f64>)> = arrivals
        .iter()
        .map(|a| (a.time, a.function, a.duration, a.memory))
        .collect();
    assert_eq!(
        seen,
        vec![
            (0.0, 0, Some(0.25), Some(128e6)),
            (1.5, 1, Some(1.0), Some(128e6)),
            (60.0, 2, Some(0.0), Some(128e6))
        ]
    );
    // The same function name of two users is two functions.
    assert_eq!(names, ["Some(\"u1\")/f", "Some(\"u2\")/f", "Some(\"u1\")/g"]);
}

#[test]
fn a_table_of_counts_gives_as_many_invocations_as_it_counts() {
    let path = support::root().join("examples/traces/huawei/requests_minute_day_00.csv");
    let mapping = Mapping {
        name: "huawei2023".into(),
        time: TimeColumn {
            column: "time".into(),
            unit: TimeUnit::Seconds(1.0),
        },
        function: FunctionColumns::Header {
            period: 60.0,
            spread: MinuteSpread::Uniform,
            ignore: vec!["day".into()],
        },
        app: None,
        duration: None,
        memory: None,
        request_payload: None,
        response_payload: None,
    };
    let (arrivals, names) = read(mapping, &path);
    // Counted independently: the sum of every count cell.
    let text = std::fs::read_to_string(&path).expect("sample");
    let total: f64 = text
        .lines()
        .skip(1)
        .flat_map(|l| l.split(',').skip(2).map(|c| c.parse::<f64>().unwrap_or(0.0)))
        .filter(|c| !c.is_nan())
        .sum();
    assert_eq!(arrivals.len() as f64, total);
    assert_eq!(total, 34.0);
    // Column `0` never counts an invocation: no function is made for it.
    assert_eq!(names, ["None/1", "None/2", "None/3", "None/4"]);
    // Minute 2 (120 s..180 s) holds column 2's two and column 3's six, spread evenly.
    let minute: Vec<(f64, u32)> = arrivals
        .iter()
        .filter(|a| (120.0..180.0).contains(&a.time))
        .map(|a| (a.time, a.function))
        .collect();
    assert_eq!(minute.len(), 8);
    assert!(
        minute.contains(&(135.0, 1)) && minute.contains(&(165.0, 1)),
        "{minute:?}"
    );
    assert!(minute.windows(2).all(|w| w[0].0 <= w[1].0));
}

#[test]
fn a_thousand_sleeps_with_one_function() {
    let dir = support::Scratch::new("mapped-sleeps");
    let csv = run(Path::new("examples/traces/sleeps.sls"), &dir);
    let trace = std::fs::read_to_string(support::root().join("examples/traces/sleeps.csv")).expect("trace");
    let expected: Vec<(f64, f64)> = trace
        .lines()
        .skip(1)
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[0].parse::<f64>().unwrap() / 1000.0, cells[2].parse().unwrap())
        })
        .collect();
    let rows = rows(&csv);
    assert_eq!(rows.len(), expected.len());
    assert_eq!(rows.len(), 1000);
    for row in &rows {
        // Ids number submissions: row `id` of the trace.
        let (submit, sleep) = expected[number(row, "id") as usize];
        assert_eq!(row["status"], "success", "{row:?}");
        assert!((number(row, "submit") - submit).abs() < 1e-9, "{row:?}");
        assert!(
            (number(row, "end") - number(row, "start") - sleep).abs() < 1e-6,
            "{row:?}"
        );
    }
    let distinct: std::collections::BTreeSet<u64> = expected.iter().map(|(_, s)| *s as u64).collect();
    assert_eq!(distinct.len(), 81);
}

#[test]
fn a_hand_written_list_is_a_replay() {
    let dir = support::Scratch::new("mapped-list");
    let platform = std::fs::read_to_string(support::root().join("examples/traces/sleeps.sls")).expect("example");
    let declarations = platform.split("workload {").next().expect("declarations").replace(
        "limits { time 2min; ram 200MB }",
        "limits { time 2min; ram trace.memory }",
    );
    let rows: Vec<(f64, u64, u64)> = (0..60u64)
        .map(|i| (i as f64 * 0.75, 1 + (i * 7) % 23, 128 << (i % 3)))
        .collect();
    // The trace's rows give `work` three memories: a replay makes its
    // containers with the largest (one size per function), as a list
    // giving every invocation 512 MB does.
    let mut trace = String::from("at,name,seconds,mb\n");
    let mut list = format!("{declarations}workload {{\n");
    for (at, seconds, mb) in &rows {
        trace.push_str(&format!("{at},work,{seconds},{mb}\n"));
        list.push_str(&format!(
            "  invoke work at {at}s with {{ duration {seconds}s; memory 512MB }}\n"
        ));
    }
    list.push_str("}\n");
    let replay = format!(
        "{declarations}workload {{\n  replay csv \"list.csv\" as work {{ time column(\"at\", 1s); function column(\"name\"); duration column(\"seconds\", 1s); memory column(\"mb\", 1MB) }}\n}}\n"
    );
    // The same table as R's `write.csv` writes it: header cells and names
    // quoted, lines ending in CRLF (its header was a diagnostic).
    let quoted: String = trace
        .lines()
        .map(|line| {
            let cells: Vec<String> = line
                .split(',')
                .map(|c| {
                    if c.parse::<f64>().is_ok() {
                        c.to_string()
                    } else {
                        format!("\"{c}\"")
                    }
                })
                .collect();
            format!("{}\r\n", cells.join(","))
        })
        .collect();
    std::fs::write(dir.join("list.csv"), trace).expect("trace");
    std::fs::write(dir.join("quoted.csv"), quoted).expect("trace");
    std::fs::write(dir.join("list.sls"), list).expect("list");
    std::fs::write(dir.join("replay.sls"), &replay).expect("replay");
    std::fs::write(dir.join("quoted.sls"), replay.replace("list.csv", "quoted.csv")).expect("replay");
    let listed = run(&dir.join("list.sls"), &dir.join("out-list"));
    let replayed = run(&dir.join("replay.sls"), &dir.join("out-replay"));
    let quoted = run(&dir.join("quoted.sls"), &dir.join("out-quoted"));
    assert_eq!(listed.lines().count(), rows.len() + 1);
    assert_eq!(listed, replayed);
    assert_eq!(listed, quoted);
    let functions = |out: &str| {
        let text = std::fs::read_to_string(dir.join(out).join("summary.json")).expect("summary");
        let summary: serde_json::Value = serde_json::from_str(&text).expect("json");
        summary["functions"].clone()
    };
    let listed = functions("out-list");
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(
        (&listed[0]["name"], &listed[0]["invocations"]),
        (&"work".into(), &rows.len().into())
    );
    assert_eq!(listed, functions("out-replay"));
    // On a node of 1 GB the memory decides what waits: a replay gave every
    // row its function's first memory (128 MB), and its invocations waited
    // a ninth of the time (mean latency 45 s, 376 s), without a word.
    let small = |text: &str| text.replace("ram 64GB", "ram 1GB");
    let list_text = std::fs::read_to_string(dir.join("list.sls")).expect("list");
    std::fs::write(dir.join("list-1gb.sls"), small(&list_text)).expect("list");
    std::fs::write(dir.join("replay-1gb.sls"), small(&replay)).expect("replay");
    // The same rows as a plain CSV (`time,function,duration,memory`).
    let plain: String = std::iter::once("time,function,duration,memory\n".to_string())
        .chain(
            rows.iter()
                .map(|(at, seconds, mb)| format!("{at},work,{seconds},{mb}\n")),
        )
        .collect();
    std::fs::write(dir.join("plain.csv"), plain).expect("trace");
    let plain_replay = format!("{declarations}workload {{\n  replay csv \"plain.csv\" as work\n}}\n");
    std::fs::write(dir.join("plain-1gb.sls"), small(&plain_replay)).expect("replay");
    let listed = run(&dir.join("list-1gb.sls"), &dir.join("out-list-1gb"));
    assert_eq!(listed, run(&dir.join("replay-1gb.sls"), &dir.join("out-replay-1gb")));
    assert_eq!(listed, run(&dir.join("plain-1gb.sls"), &dir.join("out-plain-1gb")));
    assert_eq!(functions("out-list-1gb"), functions("out-replay-1gb"));
    assert_eq!(functions("out-list-1gb"), functions("out-plain-1gb"));
    let mean = |out: &str| functions(out)[0]["latency"]["mean"].as_f64().expect("a mean");
    assert!(
        mean("out-list-1gb") > 2.0 * mean("out-list"),
        "invocations wait for memory on 1 GB"
    );
    let (_, _, told) = support::sls(&[
        "run",
        path(&dir.join("plain-1gb.sls")),
        "--force",
        "--out",
        path(&dir.join("told")),
    ]);
    assert!(
        told.contains(
            "plain.csv`: 1 function's rows give several memories; each function's containers are made with its largest"
        ) && told.contains("(`work` 128 to 512 MB)"),
        "{told}"
    );
}

/// Trace functions named with a comma and a quote are written quoted in
/// `invocations.csv`, and read back whole: each row as wide as the header,
/// every trace row once, under its own name.
#[test]
fn names_with_commas_and_quotes_come_back_whole() {
    let dir = support::Scratch::new("mapped-quoted-names");
    let platform = std::fs::read_to_string(support::root().join("examples/traces/sleeps.sls")).expect("example");
    let declarations = platform.split("workload {").next().expect("declarations");
    let names = ["a,b", "say \"hi\"", "plain"];
    let mut trace = String::from("time,function,duration,memory\n");
    for i in 0..30 {
        let name = names[i % names.len()].replace('"', "\"\"");
        trace.push_str(&format!("{},\"{name}\",1,128\n", i as f64 * 0.5));
    }
    std::fs::write(dir.join("names.csv"), trace).expect("trace");
    let script = format!("{declarations}workload {{\n  replay csv \"names.csv\" as work\n}}\n");
    std::fs::write(dir.join("names.sls"), script).expect("script");
    run(&dir.join("names.sls"), &dir.join("out"));
    let rows = support::csv_rows(&dir.join("out/invocations.csv"));
    assert_eq!(rows.len(), 30);
    for name in names {
        let of = rows.iter().filter(|row| row["function"] == name).count();
        assert_eq!(of, 10, "{name}: {rows:?}");
    }
    assert!(rows.iter().all(|row| row["status"] == "success"), "{rows:?}");
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

#[test]
fn huawei_samples_replay_every_row_once() {
    let dir = support::Scratch::new("mapped-huawei");
    let csv = run(Path::new("examples/traces/huawei.sls"), &dir);
    let sample = |name: &str| {
        std::fs::read_to_string(support::root().join("examples/traces/huawei").join(name)).expect("sample")
    };
    let requests = sample("requests.csv").lines().skip(1).count();
    let cold_starts = sample("cold_starts.csv").lines().skip(1).count();
    let counted: usize = sample("requests_minute_day_00.csv")
        .lines()
        .skip(1)
        .flat_map(|l| {
            l.split(',')
                .skip(2)
                .map(|c| c.parse::<f64>().unwrap_or(0.0) as usize)
                .collect::<Vec<_>>()
        })
        .sum();
    let rows = rows(&csv);
    assert_eq!((requests, cold_starts, counted), (8, 6, 34));
    assert_eq!(rows.len(), requests + cold_starts + counted);
    let ids: std::collections::BTreeSet<u64> = rows.iter().map(|r| number(r, "id") as u64).collect();
    assert_eq!(ids.len(), rows.len(), "every id once");
    // Request rows run their `runtimeCost`: function 296 of user 224, first row.
    let first = rows.iter().find(|r| number(r, "id") == 0.0).expect("row 0");
    assert_eq!(first["function"], "224/296");
    assert!((number(first, "end") - number(first, "start") - 0.023637).abs() < 1e-9);
}

#[test]
fn bad_rows_name_their_line_and_column() {
    let dir = support::Scratch::new("mapped-bad");
    let script = std::fs::read_to_string(support::root().join("examples/traces/sleeps.sls")).expect("example");
    std::fs::write(
        dir.join("sleeps.csv"),
        "submit_ms,function,sleep_s\n0,work,1\n500,work,soon\n800,work,2\n300,work,1\n",
    )
    .expect("trace");
    std::fs::write(dir.join("bad.sls"), &script).expect("script");
    let (code, _, stderr) = support::sls(&[
        "run",
        dir.join("bad.sls").to_str().unwrap(),
        "--out",
        dir.join("o").to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("sls::trace::not_a_number") && stderr.contains("sleeps.csv:3:"),
        "{stderr}"
    );
    assert!(
        stderr.contains("sls::trace::out_of_order") && stderr.contains("sleeps.csv:5:"),
        "{stderr}"
    );
    // Lenient: both bad rows are skipped; the two good ones run.
    let (code, _, stderr) = support::sls(&[
        "run",
        dir.join("bad.sls").to_str().unwrap(),
        "--out",
        dir.join("o2").to_str().unwrap(),
        "--lenient",
        "-q",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let csv = std::fs::read_to_string(dir.join("o2/invocations.csv")).expect("csv");
    assert_eq!(csv.lines().count(), 3);
}

#[test]
fn a_row_counting_more_than_a_row_may_is_refused() {
    let dir = support::Scratch::new("mapped-too-many");
    std::fs::create_dir_all(dir.join("formats")).expect("folder");
    std::fs::copy(
        support::root().join("examples/traces/formats/huawei2023.sls"),
        dir.join("formats/huawei2023.sls"),
    )
    .expect("format");
    // The second row counts one arrival past the bound (2^24), over two
    // columns: expanding it would have taken some 1.3 GB (a count of
    // 2^31, found by editing the example's table at random, took 22 GB
    // before the kernel stopped the run).
    std::fs::write(
        dir.join("table.csv"),
        "day,time,a,b\n0,0,2,1\n0,60,16777216,1\n0,120,,2\n",
    )
    .expect("trace");
    let script = r#"include "formats/huawei2023.sls"
platform {
  host gateway { speed 10Gf/s; cores 4; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..2] { speed 2Gf/s; cores 8; ram 16GB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link lan[1..2] { bandwidth 10Gbps; latency 10us }
  route gateway <-> node[i] via lan[i]
}
serverless faas { head gateway:"/"; compute node[*]; container_startup 500ms; idle_timeout 1min }
image runtime { size 200MB; ram 100MB }
function counted { image runtime; limits { ram 128MB }; body { sleep trace.duration } }
workload { replay huawei2023_requests_minute "table.csv" as counted { duration 200ms } }
"#;
    std::fs::write(dir.join("counts.sls"), script).expect("script");
    let (code, _, stderr) = support::sls(&["run", path(&dir.join("counts.sls")), "--out", path(&dir.join("o"))]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("sls::trace::too_many_arrivals") && stderr.contains("table.csv:3:"),
        "{stderr}"
    );
    assert!(stderr.contains("counts 16777217 up to this column"), "{stderr}");
    // Lenient: the row is skipped, the others' 5 arrivals run.
    let (code, _, stderr) = support::sls(&[
        "run",
        path(&dir.join("counts.sls")),
        "--out",
        path(&dir.join("o2")),
        "--lenient",
        "-q",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let csv = std::fs::read_to_string(dir.join("o2/invocations.csv")).expect("csv");
    assert_eq!(rows(&csv).len(), 5);
    assert!(stderr.contains("1 sls::trace::too_many_arrivals"), "{stderr}");
}

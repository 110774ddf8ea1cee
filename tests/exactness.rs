//! Runs whose answers were once silently wrong, each checked against a hand
//! calculation: replayed arrivals overtaken by a transfer's latency, SAND
//! instances served before their sandbox was up, a body ending exactly at
//! its time limit, failures reaching the wrong invocation, work that never
//! resumed after a recovery, workflow instances and closed-loop users lost
//! when something could never run, a replay's later rows changing what
//! happened before them, prewarmed containers kept from invocations.

use crate::support;

use support::expect::{Row, read_rows};

/// What a run wrote: invocation rows sorted by id, `workflows.csv`, the summary.
struct Outcome {
    rows: Vec<Row>,
    workflows: String,
    summary: sls::report::Summary,
}

/// Checks and runs a script written into a scratch folder (with the files
/// it reads); returns the rows of `invocations.csv`, sorted by id.
fn run(name: &str, script: &str, files: &[(&str, &str)]) -> Vec<Row> {
    run_all(name, script, files).rows
}

fn run_all(name: &str, script: &str, files: &[(&str, &str)]) -> Outcome {
    let dir = support::Scratch::new(&format!("exactness-{name}"));
    for (file, text) in files {
        std::fs::write(dir.join(file), text).expect("a scratch file");
    }
    let path = dir.join(format!("{name}.sls"));
    std::fs::write(&path, script).expect("the script");
    let checked = sls::check::check(&path, script.to_string(), &Default::default());
    let program = checked
        .program
        .unwrap_or_else(|d| panic!("{}", d.render(&checked.sources, false, 80)));
    let model = &program.points[0].model;
    let out = dir.join("out");
    let summary = sls::driver::run_to_end(model, model.seed, &Default::default(), &out).expect("the run completes");
    let csv = std::fs::read_to_string(out.join("invocations.csv")).expect("invocations.csv");
    let mut rows: Vec<(u64, Row)> = read_rows(&csv).into_iter().collect();
    rows.sort_by_key(|(id, _)| *id);
    Outcome {
        rows: rows.into_iter().map(|(_, row)| row).collect(),
        workflows: std::fs::read_to_string(out.join("workflows.csv")).unwrap_or_default(),
        summary,
    }
}

fn date(row: &Row, column: &str) -> f64 {
    row[column]
        .parse()
        .unwrap_or_else(|_| panic!("`{column}` is a date: {row:?}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

const PLATFORM: &str = r#"
platform {
  host gw { speed 1Gf/s; cores 1; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host n { speed 1Gf/s; cores 8; ram 16GB; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  link l { bandwidth 1GBps; latency 10ms }
  route gw <-> n via l
}
storage repo on gw:"/"
"#;

/// The first replayed invocation copies a 1 GB image over a link with
/// latency: the latency phase ends inside the engine while the next rows
/// wait. Every row must run, at its own date.
#[test]
fn replayed_rows_are_never_overtaken_by_a_transfer() {
    let script = format!(
        r#"{PLATFORM}
serverless faas {{ head gw:"/"; compute n; container_startup 1s; idle_timeout 10min }}
image big {{ size 1GB; ram 100MB; from repo }}
function work {{ image big; limits {{ ram 256MB }}; body {{ sleep 100ms }} }}
workload {{ replay csv "rows.csv" }}
"#
    );
    let rows = run(
        "replay",
        &script,
        &[("rows.csv", "time,function\n0,work\n1,work\n2,work\n")],
    );
    assert_eq!(rows.len(), 3, "one row per trace row: {rows:?}");
    for (row, submit) in rows.iter().zip([0.0, 1.0, 2.0]) {
        assert!(close(date(row, "submit"), submit), "{row:?}");
        assert_eq!(row["status"], "success", "{row:?}");
    }
}

/// SAND, one sandbox per application with a 500 ms start-up: instances
/// arriving while it starts wait for it (and for their worker), then fork.
#[test]
fn sand_instances_wait_for_a_starting_sandbox() {
    let script = format!(
        r#"{PLATFORM}
serverless faas {{
  head gw:"/"; compute n; container_startup 500ms; idle_timeout 10min; image_downloads off
  sandbox per_application {{ worker_start 60ms; library_load 250ms; fork 2ms; base_memory 16MB; instance_memory 1MB }}
}}
image img {{ size 0B; ram 0B }}
function f {{ image img; app a; limits {{ ram 256MB }}; body {{ sleep 1s }} }}
function g {{ image img; app a; limits {{ ram 256MB }}; body {{ sleep 1s }} }}
workload {{
  invoke f at 0s
  invoke f at 300ms
  invoke g at 400ms
  invoke f at 3s
  invoke g at 3.5s
}}
"#
    );
    let rows = run("sand", &script, &[]);
    assert_eq!(rows.len(), 5);
    // By hand: the sandbox starts at the first dispatch (once the image is
    // on the node) and is up 500 ms later; f's and g's workers 310 ms after
    // that; a fork takes 2 ms. The second and third arrive while it starts.
    let first = date(&rows[0], "dispatch");
    assert!(first < 0.3, "the sandbox starts before the next arrivals: {first}");
    let worker_up = first + 0.5 + 0.06 + 0.25;
    let want = [
        (worker_up + 0.002, "cold", "container"),
        (worker_up + 0.002, "cold", "container"),
        (worker_up + 0.002, "cold", "container"),
        (3.002, "warm", "fork"),
        (3.502, "warm", "fork"),
    ];
    for (row, (start, container, startup)) in rows.iter().zip(want).skip(1) {
        assert!(close(date(row, "dispatch"), date(row, "submit")), "{row:?}");
        assert!(close(date(row, "start"), start), "start {start}: {row:?}");
        assert_eq!(
            (row["container"].as_str(), row["startup"].as_str()),
            (container, startup),
            "{row:?}"
        );
    }
    assert!(close(date(&rows[0], "start"), want[0].0), "{:?}", rows[0]);
}

/// A body that ends exactly at its time limit keeps its end date and fails
/// with a timeout, as in WRENCH; one that ends before succeeds; one still
/// running at the limit has no end date.
#[test]
fn a_body_ending_at_its_limit_times_out_with_its_end_date() {
    let script = format!(
        r#"{PLATFORM}
serverless faas {{ head gw:"/"; compute n; container_startup 1s; idle_timeout 10min; image_downloads off }}
image img {{ size 0B; ram 0B }}
function at_limit {{ image img; limits {{ time 60s; ram 256MB }}; body {{ sleep 60s }} }}
function steps_at_limit {{ image img; limits {{ time 3s; ram 256MB }}; body {{ sleep 1s; compute 2Gf }} }}
function under {{ image img; limits {{ time 10s; ram 256MB }}; body {{ sleep 9s }} }}
function over {{ image img; limits {{ time 10s; ram 256MB }}; body {{ sleep 50s }} }}
workload {{
  invoke at_limit at 0s
  invoke steps_at_limit at 0s
  invoke under at 0s
  invoke over at 0s
}}
"#
    );
    let rows = run("timeout", &script, &[]);
    let by_function = |name: &str| rows.iter().find(|r| r["function"] == name).expect("a row");
    for (name, limit) in [("at_limit", 60.0), ("steps_at_limit", 3.0)] {
        let row = by_function(name);
        assert_eq!(
            (row["status"].as_str(), row["cause"].as_str()),
            ("failure", "timeout"),
            "{row:?}"
        );
        assert!(close(date(row, "end"), date(row, "start") + limit), "{row:?}");
        assert!(close(date(row, "finish"), date(row, "end")), "{row:?}");
    }
    let under = by_function("under");
    assert_eq!(under["status"], "success", "{under:?}");
    let over = by_function("over");
    assert_eq!(
        (over["cause"].as_str(), over["end"].as_str()),
        ("timeout", ""),
        "{over:?}"
    );
    assert!(close(date(over, "finish"), date(over, "start") + 10.0), "{over:?}");
}

/// Two nodes behind links; node[1] fails at 13 s for 1 s, lan[2] at 1 s for
/// 6 s; a 1 GB image copied to each node; SAND sandboxes; 1 s time limits.
const FAILING: &str = r#"
platform {
  host gw { speed 10Gf/s; cores 4; disk "/" { size 10TB; read 1GBps; write 1GBps } }
  host node[1..2] { speed 1Gf/s; cores 1; ram 1GB; disk "/" { size 100GB; read 500MBps; write 500MBps } }
  link lan[1..2] { bandwidth 1Gbps; latency 0ms }
  route gw <-> node[i] via lan[i]
  network raw
  FAILURES
}
storage repo on gw:"/"
serverless faas {
  head gw:"/"; compute node[*]; container_startup 0ms; idle_timeout 0s; image_downloads off
  sandbox per_application { worker_start 50ms; library_load 100ms; fork 2ms; base_memory 16MB; instance_memory 1MB }
}
image img { size 1000MB; ram 50MB; from repo }
function f1 { image img; app a; limits { ram 256MB; time 1000ms }; body { compute 1Gf; compute 1Gf } }
function w1 { image img; app b; limits { ram 128MB }; body { sleep 200ms; output 1MB } }
function w2 { image img; app b; limits { ram 128MB }; body { sleep 200ms; output 1MB } }
function w3 { image img; app b; limits { ram 128MB }; body { sleep 200ms; output 1MB } }
workflow flow { w1 -> [w2, w3 40%] }
workload {
  invoke f1 every 1537ms count 8 burst 2
  invoke flow every 1500ms count 2
  invoke f1 closed 1 users think 1s count 3
}
"#;

/// A body step cancelled by its time limit stayed watched for failures:
/// when its node failed later, the failure reached whatever invocation had
/// taken its table slot by then (one not even dispatched). Every
/// invocation here is either run, timed out, or killed by the node's
/// failure while dispatched on it.
#[test]
fn failures_reach_only_the_work_that_used_what_failed() {
    let script = FAILING.replace(
        "FAILURES",
        "fail host node[1] at 13s for 1s\n  fail link lan[2] at 1s for 6s",
    );
    let out = run_all("stale-failure", &script, &[]);
    assert_eq!(out.rows.len(), 16 + 3 + 2 + 3, "f1, the closed user's, w1 twice, w2/w3");
    for row in &out.rows {
        match row["cause"].as_str() {
            "" | "timeout" => assert!(row["start"].parse::<f64>().is_ok(), "{row:?}"),
            "host_failure" => {
                assert_eq!(row["node"], "node[1]", "{row:?}");
                assert!(close(date(row, "finish"), 13.0), "{row:?}");
            }
            other => panic!("cause `{other}`: {row:?}"),
        }
    }
    assert_eq!(out.workflows.lines().count(), 1 + 2, "{}", out.workflows);
}

/// Both nodes fail for good at 1 s: nothing can run. Every declared
/// invocation still appears (as `not_run`), the closed-loop user goes on
/// after each, both workflow instances are recorded as failed, and the run
/// says why.
#[test]
fn what_can_never_run_is_recorded_and_reported() {
    let script = FAILING.replace("FAILURES", "fail host node[1] at 1s\n  fail host node[2] at 1s");
    let out = run_all("never-run", &script, &[]);
    assert_eq!(
        out.rows.len(),
        16 + 3 + 2,
        "f1, the closed user's three, the two roots w1"
    );
    assert!(out.rows.iter().all(|r| r["cause"] == "not_run"), "{:?}", out.rows);
    let flows: Vec<&str> = out.workflows.lines().skip(1).collect();
    assert_eq!(flows.len(), 2, "{}", out.workflows);
    assert!(flows.iter().all(|l| l.contains(",failure,1,2,")), "{}", out.workflows);
    let warnings = out.summary.warnings.join("\n");
    assert!(warnings.contains("19 invocations of `f1` never ran"), "{warnings}");
    assert!(warnings.contains("2 invocations of `w1` never ran"), "{warnings}");
}

/// A copy fails because its node fails at 4 s; the node comes back at 8 s,
/// as its link does: the copy is retried then and the invocation runs.
#[test]
fn work_resumes_after_a_recovery() {
    let script = FAILING
        .replace(
            "FAILURES",
            "fail host node[1] at 4s for 4s\n  fail link lan[1] at 6s for 2s",
        )
        .replace("node[1..2]", "node[1..1]")
        .replace("link lan[1..2]", "link lan[1..1]");
    let script =
        script[..script.find("workload {").expect("a workload")].to_string() + "workload { invoke f1 at 0s }\n";
    let rows = run("recovery", &script, &[]);
    assert_eq!(rows.len(), 1);
    assert_eq!(
        rows[0]["cause"], "timeout",
        "two 1 Gf steps under a 1 s limit: {:?}",
        rows[0]
    );
    assert!(date(&rows[0], "dispatch") >= 8.0, "{:?}", rows[0]);
}

/// Five invocations at 0 wait for one image, copied to two nodes of 2 GB
/// at once (the copies share the head's disk and end together); then two
/// containers of 700 MB fit on each node. A replay's later rows changed
/// this: with a sixth row at 30 s the copies' tie went the other way, and
/// the first invocations ran elsewhere and at other dates (the engine
/// shared changes at every event while a replay had rows to come). The
/// same arrivals written as `invoke ... at` run alike too.
#[test]
fn a_replays_later_rows_change_nothing_before_them() {
    let platform = r#"
platform {
  host head { speed 10Gf/s; cores 1; ram 16GB; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  host node[1..2] { speed 1Gf/s; cores 4; ram 2GB; disk "/" { size 5000GiB; read 100MBps; write 100MBps } }
  link local[1..2] { bandwidth 1Gbps; latency 1ms }
  route head <-> node[i] via local[i]
}
storage repo on head:"/"
serverless faas { head head:"/"; compute node[*]; container_startup 500ms; idle_timeout 3s }
image runtime { size 100MB; ram 100MB; from repo }
"#;
    let durations = [1.5, 3.5, 3.0, 3.5, 0.5];
    let rows: String = durations.iter().map(|d| format!("0,b,{d},700\n")).collect();
    let header = "time,function,duration,memory\n";
    let replay = format!(
        "{platform}function work {{ image runtime; limits {{ ram trace.memory }}; body {{ sleep trace.duration }} }}\nworkload {{ replay csv \"rows.csv\" as work }}\n"
    );
    let alone = run("replay-alone", &replay, &[("rows.csv", &format!("{header}{rows}"))]);
    let later = run(
        "replay-later",
        &replay,
        &[("rows.csv", &format!("{header}{rows}30,a,1,300\n"))],
    );
    let invokes: String = durations
        .iter()
        .map(|d| format!("  invoke b at 0s with {{ duration {d}s; memory 700MB }}\n"))
        .collect();
    let listed = run(
        "listed",
        &format!(
            "{platform}function b {{ image runtime; limits {{ ram trace.memory }}; body {{ sleep trace.duration }} }}\nworkload {{\n{invokes}}}\n"
        ),
        &[],
    );
    assert_eq!(alone.len(), 5);
    assert_eq!(later.len(), 6);
    assert_eq!(alone[..], later[..5], "a row at 30 s changed the first five");
    assert_eq!(alone, listed, "the replay and the same arrivals listed differ");
    // The copies end together, and the first node's load a moment before
    // the second's: FCFS sends four to the first (cores, not RAM, decide
    // its passes, as in WRENCH), where two fit; the others are dropped and
    // retried, and the next round sends one to the second node (ids 2 and
    // 3 go to the first again). Three start at once.
    let dispatched_first = alone
        .iter()
        .filter(|r| close(date(r, "dispatch"), date(&alone[0], "dispatch")))
        .count();
    assert_eq!(dispatched_first, 3, "{alone:?}");
}

/// Three nodes of two slots, five containers prewarmed (100 s start-up):
/// the first two nodes fill, the fifth goes to the third node. Five
/// invocations, one a second from 0, each take a prewarming container,
/// first node first, and start when it is up, at 100 s; none is wasted.
/// The classic choice once offered the fifth prewarm request an existing
/// prewarming container (which a prewarm cannot use): it was refused and
/// parked, never started on the free node, and in each round kept the
/// container it was offered from the invocations behind it, which then
/// started cold containers while prewarmed ones idled.
#[test]
fn prewarm_requests_start_containers_of_their_own_and_invocations_take_them() {
    let script = |scheduler: &str| {
        format!(
            r#"platform {{
  host gw {{ speed 1Gf/s; cores 1; disk "/" {{ size 1TB; read 1GBps; write 1GBps }} }}
  host node[1..3] {{ speed 1Gf/s; cores 100; ram 1000GB; disk "/" {{ size 1TB; read 1GBps; write 1GBps }} }}
  link l[1..3] {{ bandwidth 1GBps; latency 0s }}
  route gw <-> node[i] via l[i]
  network raw
}}
serverless faas {{ head gw:"/"; compute node[*]; scheduler {scheduler}; container_startup 100s; idle_timeout 10min; slots 2; prewarm f 5; image_downloads off }}
image img {{ size 0B; ram 0B }}
function f {{ image img; limits {{ ram 1MB }}; body {{ sleep 1s }} }}
workload {{ invoke f every 1s count 5 }}
"#
        )
    };
    for scheduler in ["fcfs", "greedy"] {
        let outcome = run_all(&format!("prewarm-{scheduler}"), &script(scheduler), &[]);
        let nodes: Vec<&str> = outcome.rows.iter().map(|r| r["node"].as_str()).collect();
        assert_eq!(
            nodes,
            ["node[1]", "node[1]", "node[2]", "node[2]", "node[3]"],
            "{scheduler}"
        );
        for row in &outcome.rows {
            assert_eq!(row["container"], "prewarmed", "{scheduler}: {row:?}");
            assert!(close(date(row, "start"), 100.0), "{scheduler}: {row:?}");
        }
        let used = outcome.summary.services[0]
            .keep_alive
            .as_ref()
            .expect("keep-alive")
            .containers;
        assert_eq!(
            (used.prewarms, used.prewarms_used, used.prewarms_wasted),
            (5, 5, 0),
            "{scheduler}"
        );
    }
}

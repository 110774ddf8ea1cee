//! A body whose last step is a sleep returns when that sleep's timer fires,
//! without a second pass of the step runner, and its service is told at
//! once rather than through the outbox (`Tag::LastSleep`); a lone sleep
//! with no time limit, payload or inputs starts without the step runner
//! at all. The same script
//! with a no-op step (`sleep 0s`) after every body's last takes the general
//! path: both runs must give the same bytes, for lone sleeps, sleeps after
//! other steps and before them, random durations, time limits reached
//! exactly at a sleep's end and before it, request and response payloads,
//! failures, workflows (a lone sleep as a root and after its inputs) and
//! requests queueing for the nodes.

use crate::support;

const SCRIPT: &str = r#"
platform {
  host gateway { speed 10Gf/s; cores 8; disk "/" { size 1TB; read 500MBps; write 400MBps } }
  host node[1..2] { speed 2Gf/s; cores 4; ram 4GB; disk "/" { size 1TB; read 500MBps; write 400MBps } }
  link port[1..2] { bandwidth 1Gbps; latency 1ms }
  route gateway <-> node[i] via port[i]
}

serverless faas {
  head gateway:"/"
  compute node[*]
  scheduler fcfs
  container_startup 300ms
  idle_timeout 5s
}

image runtime { size 50MB; ram 100MB }

function lone    { image runtime; limits { ram 1GB }; body { sleep uniform(100ms, 900ms) END} }
function exact   { image runtime; limits { time 1s; ram 1GB }; body { sleep 1s END} }
function late    { image runtime; limits { time 400ms; ram 1GB }; body { sleep 700ms END} }
function after   { image runtime; limits { ram 1GB }; body { compute 1Gf; output 1kB; sleep 250ms END} }
function before  { image runtime; limits { ram 1GB }; body { sleep 150ms; compute 2Gf END} }
function flaky   { image runtime; limits { ram 1GB }; body { fail 30%; sleep 200ms END} }
function zero    { image runtime; limits { ram 1GB }; body { sleep 0s END} }

workflow chain {
  lone -> [after, flaky] -> exact
}

workflow pair {
  after -> [lone, zero]
}

workload {
  invoke lone poisson(40/s) for 20s with { response_payload 50KB }
  invoke exact every 170ms for 20s
  invoke late every 230ms for 20s
  invoke after poisson(10/s) for 20s
  invoke before every 90ms for 20s
  invoke flaky poisson(15/s) for 20s
  invoke zero every 50ms for 20s
  invoke chain every 1s for 20s
  invoke pair every 700ms for 20s
  invoke lone every 300ms for 20s with { request_payload 100KB }
}
"#;

#[test]
fn a_last_sleep_ends_its_body_as_the_step_runner_would() {
    let dir = support::Scratch::new("last-sleep");
    let outputs = |name: &str, end: &str| {
        let out = dir.join(name);
        let script = dir.join(format!("{name}.sls"));
        std::fs::write(&script, SCRIPT.replace("END", end)).expect("script written");
        support::run_to(&script, &out, &["-q"]);
        let read = |file: &str| std::fs::read_to_string(out.join(file)).expect("output file");
        // The summary names its script and the script's hash: the two
        // runs' differ.
        let summary: Vec<String> = read("summary.json")
            .lines()
            .filter(|line| !line.trim_start().starts_with("\"script"))
            .map(String::from)
            .collect();
        (read("invocations.csv"), summary)
    };
    let (shortcut, shortcut_summary) = outputs("last", "");
    let (general, general_summary) = outputs("noop", "; sleep 0s ");
    assert!(shortcut.lines().count() > 2000, "the script runs its invocations");
    assert!(
        shortcut.lines().skip(1).any(|row| !row.ends_with(',')),
        "workflow instances run"
    );
    for cause in ["timeout", "body_error", "success"] {
        assert!(shortcut.contains(cause), "some invocation ends with {cause}");
    }
    let differ = shortcut.lines().zip(general.lines()).find(|(a, b)| a != b);
    assert_eq!(differ, None, "the first row that differs, last sleep then no-op");
    assert_eq!(shortcut.len(), general.len());
    assert_eq!(shortcut_summary, general_summary);
}

/// A replay's lone `sleep trace.duration` takes the row's duration off the
/// invocation's entry, without the model (`LoneSleep::TraceDuration`):
/// the same rows with a no-op step after the sleep, through the step
/// runner, give the same bytes. Durations and memories differ row by row.
#[test]
fn a_lone_sleep_of_a_trace_duration_is_the_step_runners() {
    let dir = support::Scratch::new("last-sleep-trace");
    let rows: String = (0..400u64)
        .map(|i| {
            let func = ["fa", "fb", "fc"][(i % 3) as usize];
            let mb = [128, 256, 512][(i % 5 % 3) as usize];
            format!("{},{func},{},{mb}\n", i * 37, 50 + (i * 7919) % 850)
        })
        .collect();
    let trace = dir.join("rows.csv");
    std::fs::write(&trace, format!("when_ms,func,ms,mb\n{rows}")).expect("trace written");
    let platform = &SCRIPT[..SCRIPT.find("function ").expect("SCRIPT declares functions")];
    let script = |end: &str| {
        let rest = TRACE_FUNCTION_AND_WORKLOAD.replace("END", end);
        format!("{platform}{}", rest.replace("TRACE", &trace.display().to_string()))
    };
    let outputs = |name: &str, end: &str| {
        let out = dir.join(name);
        let path = dir.join(format!("{name}.sls"));
        std::fs::write(&path, script(end)).expect("script written");
        support::run_to(&path, &out, &["-q"]);
        std::fs::read_to_string(out.join("invocations.csv")).expect("output file")
    };
    let shortcut = outputs("lone", "");
    let general = outputs("noop", "; sleep 0s ");
    assert_eq!(shortcut.lines().count(), 401, "a row per trace row and a header");
    let differ = shortcut.lines().zip(general.lines()).find(|(a, b)| a != b);
    assert_eq!(differ, None, "the first row that differs, lone sleep then no-op");
    assert_eq!(shortcut.len(), general.len());
}

/// What follows [`SCRIPT`]'s platform, service and image (all before its
/// first function) in the trace test: a function and a replay.
const TRACE_FUNCTION_AND_WORKLOAD: &str = r#"
function dur { image runtime; limits { ram trace.memory }; body { sleep trace.duration END} }

workload {
  replay csv "TRACE" as dur { time column("when_ms", 1ms); function column("func"); duration column("ms", 1ms); memory column("mb", 1MB) }
}
"#;

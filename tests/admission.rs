//! The wait for a service's processing overhead, through the real binary,
//! against a hand calculation. The service pays each request's overhead in
//! turn and submits the invocation once it is paid (WRENCH's submission
//! date), so latency (`end - submit`) leaves the wait out; `admission`
//! counts it per service, from each request's arrival to its submission.
//!
//! By hand: requests every 5 ms from 0 for 1 s (200, the k-th at 5k ms)
//! into a 10 ms overhead. The service is never idle once the first comes:
//! the k-th is submitted at 10 (k + 1) ms, after waiting 5k + 10 ms. Over
//! k = 0..199 the mean wait is 5 * 199 / 2 + 10 = 507.5 ms and the longest
//! 5 * 199 + 10 = 1005 ms. A workflow instance's latency starts at its
//! arrival, so it holds its first node's wait.

use crate::support;

use support::{Scratch, csv_rows};

const PLATFORM: &str = r#"platform {
  host gw { speed 1Gf/s; cores 1; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node { speed 1Gf/s; cores 512; ram 64GB; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  link l { bandwidth 1GBps; latency 0s }
  route gw <-> node via l
  network raw
}
image img { size 0B }
function f { image img; body { sleep 100ms } }
function g { image img; body { sleep 100ms } }
workflow both { f -> g }
"#;

fn summary(dir: &Scratch) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("out/summary.json")).expect("summary.json");
    serde_json::from_str(&text).expect("json")
}

fn close(actual: &serde_json::Value, expected: f64, what: &str) {
    let actual = actual.as_f64().unwrap_or_else(|| panic!("{what}: {actual}"));
    assert!((actual - expected).abs() < 1e-9, "{what}: {actual} vs {expected}");
}

#[test]
fn requests_wait_for_the_overheads_ahead_of_them_as_counted_by_hand() {
    let dir = Scratch::new("admission");
    let script = format!(
        "{PLATFORM}serverless faas {{ head gw:\"/\"; compute node; container_startup 0s; idle_timeout 1min; processing_overhead 10ms }}\n\
         workload {{ invoke f every 5ms for 1s }}\n"
    );
    let printed = support::run_in(&dir, "admission.sls", &script, &[]);
    let rows = csv_rows(&dir.join("out/invocations.csv"));
    assert_eq!(rows.len(), 200);
    for row in &rows {
        let k: f64 = row["id"].parse().expect("an id");
        let submit: f64 = row["submit"].parse().expect("a submit date");
        assert!((submit - 0.01 * (k + 1.0)).abs() < 1e-9, "{row:?}");
    }
    let summary = summary(&dir);
    let admission = &summary["services"][0]["admission"];
    assert_eq!(admission["requests"], 200, "{admission}");
    close(&admission["mean"], 0.5075, "mean wait");
    close(&admission["max"], 1.005, "longest wait");
    // Latency is from submission: from the eleventh on, each body runs
    // 100 ms on a core of its own once submitted (a body's end waits in the
    // mailbox behind the requests' overheads, keeping its core: cores
    // enough for all), its container started at once. (The first ten wait
    // for the image's copy, whose news waits behind their overheads.)
    for row in rows.iter().filter(|r| r["id"].parse::<u32>().ok() >= Some(10)) {
        let date = |column: &str| row[column].parse::<f64>().expect("a date");
        assert!((date("end") - date("submit") - 0.1).abs() < 1e-9, "{row:?}");
    }
    let p50 = summary["latency"]["p50"].as_f64().expect("a p50");
    assert!((0.1 * (1.0 - 1.0 / 4096.0)..=0.1 + 1e-9).contains(&p50), "{p50}");
    assert!(printed.contains("admission per service"), "{printed}");
    assert!(printed.contains("507.500 ms"), "{printed}");
    let runs = csv_rows(&dir.join("out/runs.csv"));
    let max: f64 = runs[0]["admission_wait_max:faas [s]"].parse().expect("a wait");
    assert!((max - 1.005).abs() < 1e-9, "{max}");
}

#[test]
fn a_service_without_overhead_says_nothing_of_admission() {
    let dir = Scratch::new("admission-none");
    let script = format!(
        "{PLATFORM}serverless faas {{ head gw:\"/\"; compute node; container_startup 0s }}\n\
         workload {{ invoke f every 5ms for 1s }}\n"
    );
    let printed = support::run_in(&dir, "none.sls", &script, &[]);
    assert!(summary(&dir)["services"][0].get("admission").is_none());
    assert!(!printed.contains("admission per service"), "{printed}");
    let header = std::fs::read_to_string(dir.join("out/runs.csv")).expect("runs.csv");
    assert!(!header.contains("admission"), "{header}");
}

#[test]
fn a_workflows_latency_holds_its_first_nodes_wait_for_the_overhead() {
    let dir = Scratch::new("admission-workflow");
    let script = format!(
        "{PLATFORM}serverless faas {{ head gw:\"/\"; compute node; container_startup 0s; idle_timeout 1min; processing_overhead 10ms }}\n\
         workload {{ invoke both at 1s }}\n"
    );
    support::run_in(&dir, "workflow.sls", &script, &[]);
    let rows = csv_rows(&dir.join("out/invocations.csv"));
    let submit = |f: &str| -> f64 {
        let row = rows.iter().find(|r| r["function"] == f).expect("a row");
        row["submit"].parse().expect("a date")
    };
    // f: arrives at 1 s, submitted at 1.01 s, ends at 1.11 s; g: its
    // request arrives then, is submitted at 1.12 s and ends at 1.22 s.
    assert!((submit("f") - 1.01).abs() < 1e-9);
    assert!((submit("g") - 1.12).abs() < 1e-9);
    let instances = csv_rows(&dir.join("out/workflows.csv"));
    let latency: f64 = instances[0]["latency"].parse().expect("a latency");
    assert!((latency - 0.22).abs() < 1e-9, "{instances:?}");
    let admission = &summary(&dir)["services"][0]["admission"];
    assert_eq!(admission["requests"], 2, "{admission}");
    close(&admission["mean"], 0.01, "mean wait");
}

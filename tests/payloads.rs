//! Payload sizes per invocation, and values drawn per invocation: a trace
//! column or a `with` gives an invocation's own request and response
//! payloads, which cross the head-node link (latency + size / bandwidth,
//! on a `network raw` platform) instead of its service's; random `with`
//! values are drawn for each invocation, the same for a seed.

use crate::support;

use std::collections::HashMap;
use std::path::Path;

use support::expect::read_rows;

/// A head and one node 1 ms and 100 MB/s apart; the service sends 2 MB
/// with a request that gives no payload of its own.
const PLATFORM: &str = r#"
platform {
  host gw { speed 10Gf/s; cores 4; disk "/" { size 10TB; read 1GBps; write 1GBps } }
  host node { speed 1Gf/s; cores 4; ram 8GB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link lan { bandwidth 100MBps; latency 1ms }
  route gw <-> node via lan
  network raw
}
serverless faas { head gw:"/"; compute node; container_startup 0ms; idle_timeout 10min; image_downloads off; request_payload 2MB }
image img { size 100MB; ram 50MB }
function f { image img; limits { ram 256MB }; body { sleep 1s } }
function g { image img; limits { ram 256MB }; body { sleep trace.duration } }
"#;

/// Seconds a payload of `bytes` takes over the link.
fn transfer(bytes: f64) -> f64 {
    1e-3 + bytes / 100e6
}

fn date(row: &HashMap<String, String>, column: &str) -> f64 {
    row[column].parse().unwrap_or_else(|_| panic!("`{column}` of {row:?}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn run(dir: &Path, script: &str, seed: &str) -> String {
    let path = dir.join("script.sls");
    std::fs::write(&path, script).expect("script");
    support::run_into(&path, &dir.join(format!("out-{seed}")), &["--seed", seed])
}

#[test]
fn with_payloads_replace_the_services() {
    let dir = support::Scratch::new("payloads-with");
    // One closed-loop user: its second request leaves when the first one's
    // answer has arrived. Then one invocation with the service's payload.
    let script = format!(
        "{PLATFORM}workload {{\n  invoke f closed 1 users think 0s count 2 with {{ request_payload 10MB; response_payload 1MB }}\n  invoke f at 20s\n}}\n"
    );
    let rows = read_rows(&run(&dir, &script, "0"));
    assert_eq!(rows.len(), 3);
    let (first, second, plain) = (&rows[&0], &rows[&1], &rows[&2]);
    for row in [first, second] {
        // Request payload, then the 1 s sleep.
        assert!(
            close(date(row, "end") - date(row, "start"), transfer(10e6) + 1.0),
            "{row:?}"
        );
    }
    // The answer (1 MB) crossed back before the user sent again.
    assert!(
        close(date(second, "submit"), date(first, "end") + transfer(1e6)),
        "{first:?} {second:?}"
    );
    assert_eq!(date(plain, "submit"), 20.0);
    assert!(
        close(date(plain, "end") - date(plain, "start"), transfer(2e6) + 1.0),
        "{plain:?}"
    );
}

#[test]
fn trace_columns_give_each_invocation_its_payload() {
    let dir = support::Scratch::new("payloads-trace");
    // Sizes in KB; a size of 0 moves nothing (it replaces the service's 2 MB).
    let trace = [(0.0, 500.0, 5000.0), (10.0, 250.0, 0.0), (20.0, 1200.0, 12345.0)];
    let mut csv = String::from("t,fn,d_ms,req_kb\n");
    for (t, d, kb) in trace {
        csv.push_str(&format!("{t},a,{d},{kb}\n"));
    }
    std::fs::write(dir.join("trace.csv"), csv).expect("trace");
    let script = format!(
        "{PLATFORM}workload {{\n  replay csv \"trace.csv\" as g {{ time column(\"t\", 1s); function column(\"fn\"); duration column(\"d_ms\", 1ms); request_payload column(\"req_kb\", 1KB); response_payload 500KB }}\n}}\n"
    );
    let rows = read_rows(&run(&dir, &script, "0"));
    assert_eq!(rows.len(), trace.len());
    for (id, (t, d, kb)) in trace.iter().enumerate() {
        let row = &rows[&(id as u64)];
        assert_eq!(date(row, "submit"), *t);
        let request = if *kb > 0.0 { transfer(kb * 1e3) } else { 0.0 };
        assert!(
            close(date(row, "end") - date(row, "start"), request + d / 1e3),
            "{row:?}"
        );
    }
}

#[test]
fn random_arguments_are_drawn_per_invocation_and_fixed_by_the_seed() {
    let dir = support::Scratch::new("payloads-random");
    // No service payload here: a body's time is its drawn duration alone.
    let script = format!(
        "{}workload {{\n  invoke g every 10s count 20 with {{ duration uniform(1s, 3s) }}\n}}\n",
        PLATFORM.replace("; request_payload 2MB", "")
    );
    let once = run(&dir, &script, "1");
    assert_eq!(once, run(&dir, &script, "1"), "same seed, same bytes");
    assert_ne!(once, run(&dir, &script, "2"), "another seed, other draws");
    let rows = read_rows(&once);
    assert_eq!(rows.len(), 20);
    let sleeps: Vec<f64> = (0..20u64)
        .map(|id| date(&rows[&id], "end") - date(&rows[&id], "start"))
        .collect();
    assert!(sleeps.iter().all(|s| (1.0..=3.0).contains(s)), "{sleeps:?}");
    let distinct: std::collections::BTreeSet<u64> = sleeps.iter().map(|s| s.to_bits()).collect();
    assert_eq!(distinct.len(), 20, "one draw per invocation: {sleeps:?}");
}

/// A function invoked with two memories runs one registration per memory,
/// both named as the function: the results show one function, their counts
/// summed, checked against the invocations' rows (the bill alone keeps a
/// line per memory, which its `memory` tells apart). The summary listed
/// `work` twice, and `runs.csv`'s `cost:work@faas` held one memory's bill.
#[test]
fn a_function_invoked_with_several_memories_is_one_function_in_the_results() {
    let dir = support::Scratch::new("payloads-memories");
    let out = dir.join("out");
    let script = Path::new("examples/patterns/arguments.sls");
    let csv = support::run_into(script, &out, &["--cost", "aws-lambda", "--timeseries", "10s"]);
    let rows = read_rows(&csv);
    // The example's own count: 3 + 4 + 3, one of them with 1 GB.
    assert_eq!(rows.len(), 10);
    let cold = rows.values().filter(|r| r["container"] == "cold").count() as u64;
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).expect("summary")).expect("json");
    let functions = summary["functions"].as_array().expect("functions");
    assert_eq!(functions.len(), 1, "{functions:?}");
    let work = &functions[0];
    let service = &summary["services"][0];
    assert_eq!(work["name"], "work");
    assert_eq!(work["invocations"], 10);
    assert_eq!(work["cold_starts"], cold);
    assert_eq!(work["warm_starts"], 10 - cold);
    // The service runs this function alone: the same counts and containers.
    for field in ["succeeded", "cold_starts", "latency", "keep_alive"] {
        assert_eq!(work[field], service[field], "{field}");
    }
    let bills = summary["cost"]["functions"].as_array().expect("bills");
    let lines: Vec<(f64, u64)> = bills
        .iter()
        .map(|b| {
            (
                b["memory"].as_f64().expect("memory"),
                b["requests"].as_u64().expect("requests"),
            )
        })
        .collect();
    assert_eq!(lines, [(256e6, 9), (1e9, 1)]);
    let billed: f64 = bills.iter().map(|b| b["cost"].as_f64().expect("cost")).sum();
    let runs = support::csv_rows(&out.join("runs.csv"));
    let columns: Vec<&String> = runs[0].keys().filter(|k| k.starts_with("cost:work")).collect();
    assert_eq!(columns, ["cost:work@faas"]);
    let column: f64 = runs[0]["cost:work@faas"].parse().expect("a cost");
    assert!((column - billed).abs() <= 1e-15, "{column} against {billed}");
    // One row per interval, every arrival and cold start counted once.
    let series = support::csv_rows(&out.join("series-functions.csv"));
    let times: std::collections::BTreeSet<&String> = series.iter().map(|r| &r["time"]).collect();
    assert_eq!(times.len(), series.len(), "one row per interval");
    let total = |column: &str| {
        series
            .iter()
            .map(|r| r[column].parse::<f64>().expect("a number"))
            .sum::<f64>()
    };
    assert_eq!((total("arrivals"), total("cold_starts")), (10.0, cold as f64));
}

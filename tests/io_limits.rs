//! The limits on what a body moves (`limits { disk; ingress; egress }`),
//! through the binary: which invocations fail with which cause, and when,
//! by hand. The node's disk writes and reads 1 GB/s, so a scratch write of
//! 300 MB takes 0.3 s; containers start at once and images are there, so
//! a body starts at its arrival.

use crate::support;

const PLATFORM: &str = r#"platform {
  host gateway { speed 1Gf/s; cores 1; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node { speed 1Gf/s; cores 8; ram 16GB; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  link lan { bandwidth 10Gbps; latency 0us }
  route gateway <-> node via lan
}
storage repo on gateway:"/"
serverless faas { head gateway:"/"; compute node; container_startup 0s; image_downloads off; idle_timeout 1min }
image runtime { size 0B; ram 0B }
"#;

/// Per invocation id: (function, status, cause, body seconds: end - start).
fn outcomes(name: &str, functions: &str, workload: &str) -> Vec<(String, String, String, f64)> {
    let dir = support::Scratch::new(&format!("io-limits-{name}"));
    let text = format!("{PLATFORM}{functions}\nworkload {{\n{workload}\n}}\n");
    support::run_in(&dir, "script.sls", &text, &["-q"]);
    let mut rows = support::csv_rows(&dir.join("out/invocations.csv"));
    rows.sort_by_key(|row| row["id"].parse::<u64>().expect("an id"));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out/summary.json")).expect("summary.json"))
            .expect("JSON");
    // The summary's failures by cause are the rows' causes, counted apart.
    for failure in summary["failures"].as_array().expect("failures") {
        let cause = failure["cause"].as_str().expect("a cause");
        let rows_of = rows.iter().filter(|row| row["cause"] == cause).count();
        assert_eq!(failure["count"].as_u64(), Some(rows_of as u64), "{cause}");
    }
    rows.into_iter()
        .map(|row| {
            let date = |column: &str| row[column].parse::<f64>().expect("a date");
            let seconds = date("end") - date("start");
            (
                row["function"].clone(),
                row["status"].clone(),
                row["cause"].clone(),
                seconds,
            )
        })
        .collect()
}

fn assert_outcome(got: &(String, String, String, f64), function: &str, cause: Option<&str>, seconds: f64) {
    let (name, status, why, took) = got;
    assert_eq!(name, function);
    match cause {
        Some(cause) => assert_eq!((status.as_str(), why.as_str()), ("failure", cause), "{got:?}"),
        None => assert_eq!((status.as_str(), why.as_str()), ("success", ""), "{got:?}"),
    }
    assert!((took - seconds).abs() < 1e-6, "{function}: {took} s, not {seconds} s");
}

/// A body writing more to its scratch disk than its `disk` limit fails
/// with `disk_exceeded` when the write that goes over starts (a 500 MB
/// scratch took 600 MB without a word before); writes up to the limit,
/// reads, and a function without a `disk` limit are not stopped, and each
/// invocation has the whole scratch (wiped after each run: the second,
/// warm invocation of `exact` writes its 500 MB too).
#[test]
fn scratch_writes_past_the_disk_limit_fail_the_invocation() {
    let functions = r#"
function over      { image runtime; limits { disk 500MB }; body { write 300MB; write 300MB } }
function exact     { image runtime; limits { disk 500MB }; body { write 250MB; write 250MB } }
function unlimited { image runtime; body { write 300MB; write 300MB } }
function reads     { image runtime; limits { disk 100MB }; body { write 100MB; read 900MB } }
function at_once   { image runtime; limits { disk 500MB }; body { sleep 1s; write 501MB } }"#;
    // Ten seconds apart: no two share the disk.
    let workload = "  invoke over at 0s\n  invoke exact at 10s\n  invoke unlimited at 20s\n  invoke reads at 30s\n  \
                    invoke at_once at 40s\n  invoke exact at 50s";
    let got = outcomes("scratch", functions, workload);
    assert_eq!(got.len(), 6);
    // The first write takes 0.3 s; the second would pass 500 MB.
    assert_outcome(&got[0], "over", Some("disk_exceeded"), 0.3);
    assert_outcome(&got[1], "exact", None, 0.5);
    assert_outcome(&got[2], "unlimited", None, 0.6);
    // Reads take no scratch space: 0.1 s of writing, 0.9 s of reading.
    assert_outcome(&got[3], "reads", None, 1.0);
    // One write larger than the scratch fails as it starts.
    assert_outcome(&got[4], "at_once", Some("disk_exceeded"), 1.0);
    assert_outcome(&got[5], "exact", None, 0.5);
}

/// `ingress` counts what a body reads from storages over the network,
/// `egress` what it writes to them: the read or write that goes over fails
/// the invocation as it starts (`ingress_exceeded`, `egress_exceeded`),
/// and scratch-disk I/O counts against neither.
#[test]
fn network_reads_and_writes_past_their_limits_fail_the_invocation() {
    let functions = r#"
function reads_over  { image runtime; limits { ingress 30MB }; body { read 20MB from repo; sleep 1s; read 20MB from repo } }
function reads_fit   { image runtime; limits { ingress 40MB }; body { read 20MB from repo; read 20MB from repo; read 1GB } }
function writes_over { image runtime; limits { egress 30MB }; body { sleep 2s; write 20MB to repo; write 20MB to repo } }
function writes_fit  { image runtime; limits { egress 40MB }; body { write 20MB to repo; write 20MB to repo; write 1GB } }"#;
    let workload =
        "  invoke reads_over at 0s\n  invoke reads_fit at 10s\n  invoke writes_over at 20s\n  invoke writes_fit at 30s";
    let got = outcomes("network", functions, workload);
    assert_eq!(got.len(), 4);
    let (reads_over, writes_over) = (got[0].3, got[2].3);
    // The first 20 MB moved, then the sleep, then the second read or write
    // failed as it started: more than the sleep, less than twice it.
    assert_outcome(&got[0], "reads_over", Some("ingress_exceeded"), reads_over);
    assert!(reads_over > 1.0 && reads_over < 1.1, "{reads_over}");
    assert_eq!(got[1].1, "success", "{:?}", got[1]);
    assert_outcome(&got[2], "writes_over", Some("egress_exceeded"), writes_over);
    assert!(writes_over > 2.0 && writes_over < 2.1, "{writes_over}");
    assert_eq!(got[3].1, "success", "{:?}", got[3]);
}

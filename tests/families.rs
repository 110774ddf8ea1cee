//! Families, templates and the words `sls check` and `sls run` say about
//! them, through the real binary: what a family declares is counted by
//! hand and compared with what runs.

use crate::support;

use support::{Scratch, sls};

/// `examples/families.sls`: function k is invoked at 300^((k - 1) / 49) a
/// minute, evenly paced for 10 minutes from 0 s, so ceil(10 * 300^((k - 1) / 49))
/// times; the run completes every one of them.
#[test]
fn the_keep_alive_study_runs_every_declared_invocation() {
    let by_hand: u64 = (1..=50)
        .map(|k| (10.0 * 300f64.powf((k as f64 - 1.0) / 49.0)).ceil() as u64)
        .sum();
    assert_eq!(by_hand, 27_247);
    let (code, out, err) = sls(&["check", "examples/families.sls"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("51 functions (50 from families)") && out.contains("50 streams (50 from families)"),
        "{out}"
    );
    let dir = Scratch::new("families-run");
    let results = dir.join("out");
    let (code, out, err) = sls(&[
        "run",
        "examples/families.sls",
        "--out",
        results.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{err}");
    let line = out.lines().next().expect("a summary");
    assert_eq!(
        line.split_whitespace().collect::<Vec<_>>(),
        ["invocations", "27247"],
        "{out}"
    );
    assert!(
        out.contains("ServerlessComputeNode1"),
        "hosts are shown as named: {out}"
    );
}

/// A template's child keeps the base's properties and body unless it
/// writes its own; a family member's index reaches its body.
#[test]
fn templates_and_families_write_out_what_they_stand_for() {
    let dir = Scratch::new("families-templates");
    let script = dir.join("t.sls");
    std::fs::write(
        &script,
        r#"platform {
  host gw { speed 1Gf/s; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host node { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link l { bandwidth 100MBps; latency 10us }
  route gw <-> node via l
}
storage repo on gw:"/"
serverless cold { head gw:"/"; compute node; idle_timeout 0s }
serverless warm extends cold { idle_timeout 1h }
image img { size 100MB; ram 100MB; from repo }
function base { image img; limits { ram 1GB }; body { sleep 1s } }
function slow extends base { body { sleep 3s } }
function f[k in 1..3] extends base { body { sleep k * 1s } }
workload {
  invoke slow on cold at 0s
  invoke f[*] on warm at 10s
  invoke f[2] on warm at 20s
}
"#,
    )
    .expect("script written");
    let path = script.to_str().expect("utf-8");
    let (code, out, err) = sls(&["check", path]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("5 functions (3 from families)"), "{out}");
    assert!(out.contains("5 streams (3 from families)"), "{out}");
    let results = dir.join("out");
    let (code, out, err) = sls(&["run", path, "--out", results.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
    let csv = std::fs::read_to_string(results.join("invocations.csv")).expect("invocations.csv");
    assert_eq!(csv.lines().count(), 1 + 5, "{csv}");
    assert!(out.contains("invocations             5"), "{out}");
}

/// A file of shared parts says it has nothing to run, both ways.
#[test]
fn an_include_only_file_declares_nothing_to_run() {
    let (code, out, err) = sls(&["check", "examples/common/cluster.sls"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("declares nothing to run"), "{out}");
    let dir = Scratch::new("families-nothing");
    let results = dir.join("out");
    let (code, _, err) = sls(&[
        "run",
        "examples/common/cluster.sls",
        "--out",
        results.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("declares nothing to run"), "{err}");
}

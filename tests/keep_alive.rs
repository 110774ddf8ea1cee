//! Keep-alive policies through the real binary: the policy chosen per
//! service and per function, swept like any choice (with the service's
//! sandbox granularity, a statement's kind, swept by a parameter too), and
//! what each did in `summary.json` (`report::containers`).

use crate::support;

use std::process::Command;

use support::Scratch;

const EXAMPLE: &str = "examples/policies/keep_alive.sls";

fn run(args: &[&str]) -> std::process::Output {
    let out = Command::new(env!("CARGO_BIN_EXE_sls"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the sls binary runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out
}

fn summary(dir: &std::path::Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).expect("summary.json")).expect("json")
}

fn function<'a>(s: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    let f = s["functions"]
        .as_array()
        .expect("functions")
        .iter()
        .find(|f| f["name"] == name);
    &f.expect("the function's part")["keep_alive"]
}

/// Thirty invocations every 10 minutes, 1 s each after a 2 s start-up.
#[test]
fn each_function_is_kept_by_its_own_policy() {
    let scratch = Scratch::new("keep-alive-example");
    let out = scratch.join("out");
    run(&["run", EXAMPLE, "--out", out.to_str().expect("utf-8"), "-q"]);
    let s = summary(&out);
    // `none`: 30 cold containers of 3 s each (start-up and body), never idle;
    // 512 MB reserved: 30 x 3 s x 0.512 GB.
    let frugal = function(&s, "frugal");
    assert_eq!(frugal["cold_start_ratio"], 1.0);
    assert_eq!(frugal["containers"], 30);
    assert_eq!(frugal["idle_seconds"], 0.0);
    assert!((frugal["reserved_gb_seconds"].as_f64().expect("number") - 30.0 * 3.0 * 0.512).abs() < 1e-9);
    // fixed(20min): one container, idle but for its 30 bodies and start-up.
    let steady = function(&s, "steady");
    assert_eq!(steady["containers"], 1);
    let (reserved, idle) = (
        steady["reserved_seconds"].as_f64().unwrap(),
        steady["idle_seconds"].as_f64().unwrap(),
    );
    assert!((reserved - idle - 32.0).abs() < 1e-6, "{reserved} {idle}");
    // hybrid: one cold start, then prewarmed before each arrival (the last
    // prewarm, after the last invocation, wasted); far less idle time.
    let learned = function(&s, "learned");
    assert_eq!(learned["cold_start_ratio"].as_f64().unwrap(), 1.0 / 30.0);
    assert_eq!(learned["prewarms"], 29);
    assert_eq!(learned["prewarms_used"], 28);
    assert_eq!(learned["prewarms_wasted"], 1);
    assert!(learned["idle_gb_seconds"].as_f64().unwrap() < steady["idle_gb_seconds"].as_f64().unwrap() / 3.0);
}

/// The service's keep-alive and its sandbox granularity swept as choices.
#[test]
fn keep_alive_and_sandbox_kind_are_swept_by_parameters() {
    let scratch = Scratch::new("keep-alive-sweep");
    let script = std::fs::read_to_string(EXAMPLE)
        .expect("example")
        .replace("compute node\n", "compute node\n  sandbox mode\n")
        .replace("param window", "param mode = per_function\nparam window")
        + "sweep window in [fixed(10min), none, hybrid] x mode in [per_function, per_invocation]\n";
    let path = scratch.join("sweep.sls");
    std::fs::write(&path, script).expect("write");
    let out = scratch.join("out");
    run(&["run", path.to_str().unwrap(), "--out", out.to_str().unwrap(), "-q"]);
    let runs = std::fs::read_to_string(out.join("runs.csv")).expect("runs.csv");
    assert_eq!(runs.lines().count(), 1 + 6, "{runs}");
    for window in ["fixed(10min)", "none", "hybrid"] {
        for mode in ["per_function", "per_invocation"] {
            assert!(
                runs.lines().any(|l| l.contains(window) && l.contains(mode)),
                "{window} {mode}: {runs}"
            );
        }
    }
}

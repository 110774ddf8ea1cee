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

/// A `prewarm` of a function whose written keep-alive policy keeps no
/// container idle: the checker cannot judge a written policy, so the run
/// does not start the prewarms (each would be shut down once ready), says
/// so in its warnings, and runs every invocation cold.
#[test]
fn prewarms_a_written_policy_never_keeps_are_not_started_and_said() {
    let scratch = Scratch::new("keep-alive-prewarm-never-kept");
    let script = r#"platform {
  host gw { speed 1Gf/s; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host node[1..2] { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link l[1..2] { bandwidth 100MBps; latency 10us }
  route gw <-> node[i] via l[i]
}
storage repo on gw:"/"
keep_alive never { idle 0s }
serverless faas {
  head gw:"/"
  compute node[*]
  keep_alive never
  prewarm f 2
}
image img { size 100MB; from repo }
function f { image img; limits { ram 1GB }; body { sleep 1s } }
workload { invoke f every 1s count 10 }
"#;
    support::run_in(&scratch, "script.sls", script, &["-q"]);
    let s = summary(&scratch.join("out"));
    assert_eq!(
        s["warnings"],
        serde_json::json!([
            "2 prewarmed containers of `f` never started: its keep-alive policy keeps no container idle, so each would be shut down as soon as it was ready"
        ])
    );
    let f = function(&s, "f");
    assert_eq!(f["prewarms"], 0);
    // Ten arrivals, each in a container of its own.
    assert_eq!(f["containers"], 10);
    assert_eq!(f["cold_start_ratio"], 1.0);
}

/// A `prewarm` the checker refuses: its function's containers are kept by
/// `keep_alive none`, or by the service's default idle timeout (0s).
#[test]
fn prewarms_a_built_in_policy_never_keeps_are_refused() {
    let scratch = Scratch::new("keep-alive-prewarm-refused");
    let script = std::fs::read_to_string(support::root().join("tests/bad/prewarm_never_kept.sls")).expect("script");
    let cases = [
        (
            script.replace("  idle_timeout 0s\n", ""),
            "`f` keeps no idle container: an idle timeout of 0s",
            None,
        ),
        (
            script
                .replace("idle_timeout 0s", "idle_timeout 10min")
                .replace("image img; limits", "image img; keep_alive none; limits"),
            "`f` keeps no idle container: its keep-alive is `none`",
            // The function's own `keep_alive` property is labelled too.
            Some("keeps no container idle"),
        ),
        (
            script.replace("idle_timeout 0s", "keep_alive fixed(0s)"),
            "`f` keeps no idle container: its keep-alive is `fixed(0s)`",
            Some("shuts idle containers down at once"),
        ),
    ];
    for (i, (text, label, property)) in cases.iter().enumerate() {
        let path = scratch.join(format!("case{i}.sls"));
        std::fs::write(&path, text).expect("write");
        let (code, _, err) = support::sls(&["check", path.to_str().expect("utf-8")]);
        assert_eq!(code, 1, "{err}");
        assert!(err.contains("sls::prewarm_never_kept"), "{err}");
        assert!(err.contains(label), "{label}: {err}");
        if let Some(property) = property {
            assert!(err.contains(property), "{property}: {err}");
        }
    }
    // Kept for a while: the same prewarm is fine.
    let path = scratch.join("kept.sls");
    std::fs::write(&path, script.replace("idle_timeout 0s", "idle_timeout 10min")).expect("write");
    let (code, _, err) = support::sls(&["check", path.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
}

//! Results folders that never lie, through the real binary: a write error
//! is the system's own, a folder that is no folder is a usage error, a
//! second run into a folder in use is refused, a stopped run leaves no
//! summary of a previous run beside its rows and says when it stopped, and
//! a folder holding another experiment is replaced only with `--force`.

use crate::support;

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use support::Scratch;

/// A run of a few seconds (over a million invocations) when not stopped.
const LONG: &str = r#"param count = 3000000
platform {
  host gateway { speed 1Gf/s; cores 1; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host worker { speed 1Gf/s; cores 64; ram 64GB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link lan { bandwidth 1Gbps; latency 10us }
  route gateway <-> worker via lan
}
serverless faas { head gateway:"/"; compute worker; idle_timeout 1h }
image base { size 10MB; ram 10MB }
function f { image base; limits { ram 64MB }; body { sleep 5ms } }
workload { invoke f every 1ms count count }
"#;

fn sls() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_sls"));
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    command
}

fn run(args: &[&str]) -> Output {
    sls().arg("run").args(args).output().expect("the sls binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Starts a long run into `out` and waits until it has claimed the folder
/// and written rows.
fn start_long(script: &Path, out: &Path, extra: &[&str]) -> Child {
    let child = sls()
        .args(["run", path(script), "--out", path(out)])
        .args(extra)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the sls binary starts");
    let deadline = Instant::now() + Duration::from_secs(60);
    // The marker comes once the previous results are gone; rows after it are new.
    let (marker, csv) = (out.join("INCOMPLETE"), out.join("invocations.csv"));
    while !marker.exists() || std::fs::metadata(&csv).map_or(true, |m| m.len() == 0) {
        assert!(Instant::now() < deadline, "the long run wrote no rows");
        std::thread::sleep(Duration::from_millis(20));
    }
    child
}

fn signal(child: &Child, name: &str) {
    let status = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(status.success());
}

#[test]
fn a_write_error_is_reported_in_the_systems_words() {
    let dir = Scratch::new("outputs-enospc");
    let out = dir.join("out");
    std::fs::create_dir_all(&out).expect("folder");
    std::os::unix::fs::symlink("/dev/full", out.join("invocations.csv")).expect("symlink");
    let output = run(&["examples/basic.sls", "--out", path(&out), "--force"]);
    let err = text(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("No space left on device"), "{err}");
    assert!(err.contains("invocations.csv"), "{err}");
    assert!(!err.contains("writer stopped"), "{err}");
    assert!(!out.join("summary.json").exists(), "no summary of a failed run");
    let marker = std::fs::read_to_string(out.join("INCOMPLETE")).expect("the folder says it is incomplete");
    assert!(
        marker.contains("failed:") && marker.contains("No space left on device"),
        "{marker}"
    );
}

#[test]
fn an_out_that_is_no_folder_is_a_usage_error() {
    for out in ["/dev/null", "examples/basic.sls"] {
        let output = run(&["examples/basic.sls", "--out", out]);
        let err = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{out}: {err}");
        assert!(err.contains("is not a folder"), "{err}");
    }
}

#[test]
fn a_stopped_run_says_when_and_leaves_no_previous_summary() {
    let dir = Scratch::new("outputs-signals");
    let script = dir.join("long.sls");
    std::fs::write(&script, LONG).expect("script");
    let out = dir.join("out");
    for (name, code) in [("INT", 130), ("TERM", 143)] {
        // A finished short run first: its summary must not survive.
        let output = run(&[path(&script), "--out", path(&out), "-p", "count=10", "--force"]);
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        assert!(out.join("summary.json").exists());
        let child = start_long(&script, &out, &["--force"]);
        signal(&child, name);
        let output = child.wait_with_output().expect("the run ends");
        let err = text(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "SIG{name}: {err}");
        assert!(err.contains(&format!("interrupted by SIG{name}")), "{err}");
        assert!(
            !out.join("summary.json").exists(),
            "SIG{name} left a summary beside new rows"
        );
        let marker = std::fs::read_to_string(out.join("INCOMPLETE")).expect("marker");
        assert!(
            marker.contains("interrupted: ") && marker.contains(&format!("by SIG{name}")),
            "{marker}"
        );
        let csv = std::fs::read_to_string(out.join("invocations.csv")).expect("rows");
        assert!(
            csv.starts_with("id,") && csv.ends_with('\n'),
            "whole rows up to the stop"
        );
        assert!(csv.lines().count() > 1);
    }
    // A run into the stopped folder completes it: unmarked.
    let output = run(&[path(&script), "--out", path(&out), "-p", "count=10", "--force"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(!out.join("INCOMPLETE").exists());
    assert!(out.join("summary.json").exists());
}

#[test]
fn a_second_run_into_a_folder_in_use_is_refused() {
    let dir = Scratch::new("outputs-lock");
    let script = dir.join("long.sls");
    std::fs::write(&script, LONG).expect("script");
    let out = dir.join("out");
    let first = start_long(&script, &out, &[]);
    let second = run(&[path(&script), "--out", path(&out)]);
    let err = text(&second.stderr);
    assert_eq!(second.status.code(), Some(2), "{err}");
    assert!(
        err.contains("is in use by another `sls run`") && err.contains(&format!("process {}", first.id())),
        "{err}"
    );
    signal(&first, "TERM");
    let first = first.wait_with_output().expect("the first run ends");
    assert_eq!(first.status.code(), Some(143), "{}", text(&first.stderr));
}

#[test]
fn a_folder_of_another_experiment_is_replaced_only_when_forced() {
    let dir = Scratch::new("outputs-foreign");
    let out = dir.join("out");
    let out = path(&out);
    assert_eq!(run(&["examples/basic.sls", "--out", out]).status.code(), Some(0));
    // The same experiment again: allowed.
    assert_eq!(run(&["examples/basic.sls", "--out", out]).status.code(), Some(0));
    for other in [
        vec!["examples/basic.sls", "-p", "nodes=3"],
        vec!["examples/basic.sls", "--seed", "3"],
        vec!["examples/layers.sls"],
    ] {
        let mut args = other.clone();
        args.extend(["--out", out]);
        let output = run(&args);
        let err = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{other:?}: {err}");
        assert!(err.contains("--force"), "{err}");
    }
    // A sweep replaces the single run with --force: nothing of it is left.
    let output = run(&["examples/sweep.sls", "--out", out, "-p", "nodes=2", "--force", "-q"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let out = Path::new(out);
    assert!(!out.join("summary.json").exists() && !out.join("invocations.csv").exists());
    // A folder sls did not write is refused too.
    let foreign = dir.join("foreign");
    std::fs::create_dir_all(&foreign).expect("folder");
    std::fs::write(foreign.join("notes.txt"), "mine").expect("file");
    let output = run(&["examples/basic.sls", "--out", path(&foreign)]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("no manifest.json"));
}

//! Errors found while a script runs carry a code of the table and point at
//! what the script declares: the service whose head disk is full, the
//! replay whose trace names an undeclared function. A run allowed for
//! WRENCH's sake that may hold more than a node has says so.

use crate::support;

use std::process::Command;

const PLATFORM: &str = "platform {
  host gw { speed 1Gf/s; disk \"/\" { size 100MB; read 100MBps; write 100MBps } }
  host n { speed 1Gf/s; cores 2; ram 8GB; disk \"/\" { size 1TB; read 100MBps; write 100MBps } }
  link l { bandwidth 100MBps; latency 1ms }
  route gw <-> n via l
}
serverless faas { head gw:\"/\"; compute n }
";

fn run(folder: &std::path::Path, script: &str) -> String {
    run_with(folder, script, &[])
}

/// Runs `script` with `options` too; the run must fail: what it says.
fn run_with(folder: &std::path::Path, script: &str, options: &[&str]) -> String {
    let path = folder.join("script.sls");
    std::fs::write(&path, script).expect("write");
    let output = Command::new(env!("CARGO_BIN_EXE_sls"))
        .arg("run")
        .arg(&path)
        .arg("--out")
        .arg(folder.join("out"))
        .args(options)
        .output()
        .expect("sls runs");
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_full_head_disk_points_at_the_service() {
    let scratch = support::Scratch::new("run-head-full");
    let script = format!(
        "{PLATFORM}storage repo on n:\"/\"\nimage big {{ size 1GB; ram 100MB; from repo }}\nfunction f {{ image big; body {{ sleep 1s }} }}\nworkload {{ invoke f at 1s burst 1 }}\n"
    );
    let shown = run(&scratch, &script);
    assert!(shown.starts_with("sls::run::head_full"), "{shown}");
    assert!(shown.contains("script.sls:7:12"), "{shown}");
    assert!(shown.contains("its head disk is full"), "{shown}");
}

#[test]
fn an_undeclared_trace_function_points_at_the_replay() {
    let scratch = support::Scratch::new("run-trace-function");
    std::fs::write(scratch.join("trace.csv"), "time,function\n0.5,nosuch\n").expect("write");
    let script = format!(
        "{PLATFORM}image small {{ size 10MB; ram 100MB }}\nfunction f {{ image small; body {{ sleep 1s }} }}\nworkload {{ replay csv \"trace.csv\" }}\n"
    );
    let shown = run(&scratch, &script);
    assert!(shown.starts_with("sls::run::unknown_trace_function"), "{shown}");
    assert!(shown.contains("script.sls:10:12"), "{shown}");
    assert!(shown.contains("invokes `nosuch`"), "{shown}");
}

/// Arrivals every millisecond onto eight slots of one-second bodies: the
/// backlog only grows. Past `--max-in-flight` the run stops, says when,
/// and points at the service holding them (not `other`, which keeps up);
/// its folder is marked incomplete. With room for the whole backlog the
/// same script runs to the end, every invocation a row.
#[test]
fn a_backlog_past_the_bound_stops_the_run_at_its_service() {
    let scratch = support::Scratch::new("run-in-flight");
    let script = format!(
        "{PLATFORM}serverless other {{ head gw:\"/\"; compute n }}\nimage small {{ size 0B; ram 0B }}\nfunction f {{ image small; limits {{ ram 1GB }}; body {{ sleep 1s }} }}\nworkload {{\n  invoke f on faas every 1ms count 3000\n  invoke f on other every 1s count 3\n}}\n"
    );
    let shown = run_with(&scratch, &script, &["--max-in-flight", "1000"]);
    // After the checker's warning that both services count `n` as theirs.
    assert!(shown.contains("sls::run::too_many_in_flight"), "{shown}");
    let flat = shown.replace('│', " ").split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("more than 1000 invocations were in flight at once"),
        "{shown}"
    );
    assert!(shown.contains("script.sls:7:12"), "{shown}");
    assert!(shown.contains("of them in flight here"), "{shown}");
    assert!(flat.contains("raise the bound with `--max-in-flight N`"), "{shown}");
    let incomplete = std::fs::read_to_string(scratch.join("out").join("INCOMPLETE")).expect("marked");
    assert!(incomplete.contains("more than 1000 invocations"), "{incomplete}");

    let out = scratch.join("whole");
    let output = Command::new(env!("CARGO_BIN_EXE_sls"))
        .args(["run", "--max-in-flight", "3003", "--out"])
        .arg(&out)
        .arg(scratch.join("script.sls"))
        .output()
        .expect("sls runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let rows = std::fs::read_to_string(out.join("invocations.csv")).expect("rows");
    assert_eq!(rows.lines().count(), 1 + 3003);
}

/// A mapped trace (whose function column the checker does not read) naming
/// a template, replayed without `as`: the script does declare it, as a
/// template. The message said "which the script does not declare".
#[test]
fn a_trace_naming_a_template_without_as_says_so() {
    let scratch = support::Scratch::new("run-trace-template");
    std::fs::write(scratch.join("trace.csv"), "at,name,seconds\n0.5,work,1\n").expect("write");
    let script = format!(
        "{PLATFORM}image small {{ size 10MB; ram 100MB }}\nfunction work {{ image small; body {{ sleep trace.duration }} }}\nworkload {{ replay csv \"trace.csv\" {{ time column(\"at\", 1s); function column(\"name\"); duration column(\"seconds\", 1s) }} }}\n"
    );
    let shown = run(&scratch, &script);
    assert!(shown.starts_with("sls::run::unknown_trace_function"), "{shown}");
    // The message wraps at the terminal's width, where its path puts it.
    let flat = shown.replace('│', " ").split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("invokes `work`, a trace template (its body or limits read `trace.` values), which only a replay's `as` runs"),
        "{shown}"
    );
    assert!(shown.contains("this replay has no `as`"), "{shown}");
}

/// Two services on one node of 1 GB each reserve 600 MB there at once:
/// each counts the node's RAM as its own (WRENCH's services do, and
/// `examples/wrench/image_download_simulation.sls` reproduces it), so the
/// node holds 1.2 GB. The check warns of it at the second service's
/// `compute` before the run, once; `summary.json` keeps it in words.
#[test]
fn services_sharing_a_node_are_told_they_count_it_apart() {
    let scratch = support::Scratch::new("run-shared-node");
    let platform = PLATFORM.replace("ram 8GB", "ram 1GB");
    let script = format!(
        "{platform}serverless other {{ head gw:\"/\"; compute n }}\nimage small {{ size 0B; ram 0B }}\nfunction f {{ image small; limits {{ ram 600MB }}; body {{ sleep 10s }} }}\nworkload {{\n  invoke f on faas at 0s\n  invoke f on other at 0s\n}}\n"
    );
    let path = scratch.join("script.sls");
    std::fs::write(&path, script).expect("write");
    let out = scratch.join("out");
    let output = Command::new(env!("CARGO_BIN_EXE_sls"))
        .arg("run")
        .arg(&path)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("sls runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let warning = "service `other` shares the compute host `n` with `faas`";
    assert_eq!(stderr.matches(warning).count(), 1, "{stderr}");
    // Drawn as a warning (miette's sign), with its code.
    assert!(
        stderr.contains(&format!("⚠ {warning}")) && stderr.contains("sls::shared_compute_hosts"),
        "{stderr}"
    );
    let drawn = stderr
        .lines()
        .skip_while(|l| !l.contains(warning))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(drawn.contains("`n` is also a compute host of `faas`"), "{stderr}");
    assert!(drawn.contains("`faas` lists it here"), "{stderr}");
    assert!(!stderr.contains("sls: warning:"), "said again after the run: {stderr}");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).expect("summary")).expect("json");
    assert_eq!(
        summary["warnings"],
        serde_json::json!([format!(
            "{warning}: each service counts a node's RAM, disk and slots as its own (as WRENCH's services do), so together they may hold more than the node has; give each service its own hosts for one account"
        )]),
        "{summary}"
    );
    // What the warning is about: 1.2 GB held on a node of 1 GB.
    assert_eq!(summary["nodes"][0]["peak_memory"], 1.2e9);
}

//! Policies written in the script (`keep_alive NAME { ... }`, `placement
//! NAME { ... }`): re-expressed built-ins decide exactly as the built-ins
//! (the same bytes), their parameters are swept, and a policy that cannot
//! decide stops the run with a diagnostic at its expression.

use crate::support;

use std::path::Path;

const PLACEMENT: &str = "examples/policies/written/placement.sls";
const KEEP_ALIVE: &str = "examples/policies/written/keep_alive.sls";
const HYBRID: &str = "examples/policies/written/hybrid.sls";
const EVICTION: &str = "examples/policies/written/eviction.sls";
const AUTOSCALER: &str = "examples/policies/written/autoscaler.sls";

/// Runs `script` with `params` into `out`; its exit code and stderr.
fn run(script: &str, params: &[&str], out: &Path) -> (i32, String) {
    let out = out.to_str().expect("a UTF-8 path");
    let mut args = vec!["run", script, "--out", out, "-q"];
    for p in params {
        args.extend(["-p", p]);
    }
    let (code, _, stderr) = support::sls(&args);
    (code, stderr)
}

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The invocations two policies of `script` write, with the others equal.
fn both(script: &str, name: &str, params: &[&str], built_in: &str, written: &str) -> (Vec<u8>, Vec<u8>) {
    let scratch = support::Scratch::new(name);
    let one = |policy: &str, folder: &str| {
        let out = scratch.join(folder);
        let mut all: Vec<&str> = params.to_vec();
        let assignment = format!("policy={policy}");
        all.push(&assignment);
        let (code, stderr) = run(script, &all, &out);
        assert_eq!(code, 0, "{stderr}");
        read(&out.join("invocations.csv"))
    };
    (one(built_in, "built_in"), one(written, "written"))
}

#[test]
fn least_loaded_written_in_the_script_places_exactly_as_the_built_in() {
    let (built_in, written) = both(PLACEMENT, "written-placement", &[], "least_loaded", "fewest_busy");
    // 300 + 150 + 40 invocations and the header.
    assert_eq!(built_in.iter().filter(|b| **b == b'\n').count(), 491);
    assert!(built_in == written, "the written least_loaded decided otherwise");
}

#[test]
fn a_written_placement_of_its_own_decides_otherwise() {
    let (built_in, written) = both(PLACEMENT, "written-roomiest", &[], "least_loaded", "roomiest");
    assert_eq!(written.iter().filter(|b| **b == b'\n').count(), 491);
    assert!(built_in != written, "a different score placed the same");
}

#[test]
fn a_fixed_window_written_in_the_script_keeps_exactly_as_the_built_in() {
    let (built_in, written) = both(
        KEEP_ALIVE,
        "written-keep-alive",
        &["history=4h"],
        "fixed(10min)",
        "ten_minutes",
    );
    assert!(built_in == written, "the written fixed window kept otherwise");
}

/// The summary of a run with the policy's name (a parameter and the
/// service's policy) taken out.
fn summary_without_policy(out: &Path, policy: &str) -> String {
    String::from_utf8(read(&out.join("summary.json")))
        .expect("UTF-8")
        .replace(&format!("\"policy={policy}\""), "POLICY")
        .replace(&format!("\"policy\": \"{policy}\""), "POLICY")
}

/// Runs `script` with `policy` into `scratch/folder`: its invocations and
/// summary (the policy's name taken out).
fn outputs(scratch: &Path, folder: &str, script: &str, params: &[&str], policy: &str) -> (Vec<u8>, String) {
    let out = scratch.join(folder);
    let assignment = format!("policy={policy}");
    let mut all = params.to_vec();
    all.push(&assignment);
    let (code, stderr) = run(script, &all, &out);
    assert_eq!(code, 0, "{stderr}");
    (read(&out.join("invocations.csv")), summary_without_policy(&out, policy))
}

#[test]
fn the_hybrid_histogram_written_in_the_script_keeps_exactly_as_the_built_in() {
    let scratch = support::Scratch::new("written-hybrid");
    let (built_in, built_in_summary) = outputs(&scratch, "built_in", HYBRID, &[], "hybrid");
    let (written, written_summary) = outputs(&scratch, "written", HYBRID, &[], "written_hybrid");
    let text = String::from_utf8(built_in.clone()).expect("UTF-8");
    // The declared counts, and the trace's rows (its first three hours).
    assert_eq!(text.matches(",periodic,").count(), 100);
    assert_eq!(text.matches(",rare,").count(), 8);
    assert!(text.matches(",a0000").count() > 20_000, "the trace replayed");
    assert!(built_in == written, "the written hybrid kept otherwise");
    assert_eq!(built_in_summary, written_summary);
    // Both prewarmed (the histogram's and the prediction's branches).
    assert!(built_in_summary.contains("\"prewarms\": 135,"), "{built_in_summary}");
}

/// Each branch of the written hybrid decides some container's fate: a
/// script changing only that branch's value keeps otherwise (its
/// invocations, or its containers' idle time).
#[test]
fn every_branch_of_the_written_hybrid_is_taken() {
    let scratch = support::Scratch::new("written-hybrid-branches");
    let original = std::fs::read_to_string(support::root().join(HYBRID)).expect("the example");
    let trace = format!(
        "trace=\"{}\"",
        support::root().join("examples/traces/azure2019").display()
    );
    let reference = outputs(&scratch, "reference", HYBRID, &[], "written_hybrid");
    let branches = [
        (
            "never idle yet",
            "idle if(below(seen, 1), 4h,",
            "idle if(below(seen, 1), 3h,",
        ),
        ("beyond the range", "predicted * (1 - 15%)))", "predicted * (1 - 20%)))"),
        ("too even", "if(below(cv(idle), 2), 4h,", "if(below(cv(idle), 2), 3h,"),
        (
            "percentiles",
            "percentile(idle, 5%) * (1 - 10%)",
            "percentile(idle, 5%) * (1 - 20%)",
        ),
    ];
    for (branch, from, to) in branches {
        assert_eq!(original.matches(from).count(), 1, "{from}");
        let script = scratch.join(format!("{}.sls", branch.replace(' ', "_")));
        std::fs::write(&script, original.replace(from, to)).expect("write");
        let changed = outputs(
            &scratch,
            branch,
            script.to_str().expect("UTF-8"),
            &[&trace],
            "written_hybrid",
        );
        assert!(changed != reference, "the branch `{branch}` decided nothing");
    }
}

#[test]
fn greedy_dual_written_in_the_script_evicts_exactly_as_the_built_in() {
    let scratch = support::Scratch::new("written-greedy-dual");
    let (built_in, built_in_summary) = outputs(&scratch, "built_in", EVICTION, &[], "greedy_dual");
    let (written, written_summary) = outputs(&scratch, "written", EVICTION, &[], "written_greedy_dual");
    let text = String::from_utf8(built_in.clone()).expect("UTF-8");
    // 1800 + 720 + 327 + 514 + 180 + 20 + 80 + 6 arrivals and the header.
    assert_eq!(text.lines().count(), 3648);
    // A full node: cold starts evict (more than one per function).
    assert!(text.matches(",cold,").count() > 100, "too few cold starts");
    assert!(built_in == written, "the written greedy-dual evicted otherwise");
    assert_eq!(built_in_summary, written_summary);
    // Its clock decides: the same priority without it evicts otherwise.
    let original = std::fs::read_to_string(support::root().join(EVICTION)).expect("the example");
    let script = scratch.join("no_clock.sls");
    std::fs::write(
        &script,
        original.replace("priority c = inflation(c) + ", "priority c = "),
    )
    .expect("write");
    let (without_clock, _) = outputs(
        &scratch,
        "no_clock",
        script.to_str().expect("UTF-8"),
        &[],
        "written_greedy_dual",
    );
    assert!(without_clock != written, "the clock changed nothing");
}

#[test]
fn lru_written_in_the_script_evicts_exactly_as_the_built_in() {
    let scratch = support::Scratch::new("written-lru");
    let (built_in, built_in_summary) = outputs(&scratch, "built_in", EVICTION, &[], "lru");
    let (written, written_summary) = outputs(&scratch, "written", EVICTION, &[], "oldest_idle");
    assert!(built_in == written, "the written LRU evicted otherwise");
    assert_eq!(built_in_summary, written_summary);
    let (greedy, _) = outputs(&scratch, "greedy", EVICTION, &[], "greedy_dual");
    assert!(greedy != written, "LRU and greedy-dual agreed: nothing was evicted");
}

/// The autoscaling table of a run's text output: (scale-ups, scale-downs,
/// started, stopped) of its service.
fn autoscaled(script: &str, out: &Path) -> (u64, u64, u64, u64, serde_json::Value) {
    let (code, stderr) = run(script, &[], out);
    assert_eq!(code, 0, "{stderr}");
    let summary: serde_json::Value = serde_json::from_slice(&read(&out.join("summary.json"))).expect("summary.json");
    let a = &summary["services"][0]["autoscaler"];
    let n = |k: &str| a[k].as_u64().unwrap_or_else(|| panic!("{k} in {a}"));
    (n("scale_ups"), n("scale_downs"), n("started"), n("stopped"), summary)
}

#[test]
fn a_written_autoscaler_holds_the_count_it_desires() {
    let scratch = support::Scratch::new("written-autoscaler-constant");
    let text = std::fs::read_to_string(support::root().join(AUTOSCALER)).expect("the example");
    let script = scratch.join("three.sls");
    let text = text
        .replace("desired clamp(ceil(concurrency(function, 10s)), 0, most)", "desired 3")
        .replace(
            "invoke api stages { 5/s for 2min; 50/s for 1min; 5/s for 2min }",
            "invoke api every 10s count 30",
        );
    std::fs::write(&script, text).expect("write");
    let (ups, downs, started, stopped, summary) = autoscaled(script.to_str().expect("UTF-8"), &scratch.join("out"));
    // Three started at time 0; the first arrival, at 0, finds them
    // starting and cold-starts a fourth, which is stopped once idle; the
    // 29 others find one of the three idle.
    assert_eq!((ups, downs, started, stopped), (1, 1, 3, 1));
    assert_eq!(summary["services"][0]["keep_alive"]["containers"], 4);
}

#[test]
fn a_written_autoscaler_follows_the_load() {
    let scratch = support::Scratch::new("written-autoscaler");
    let (ups, downs, started, _, summary) = autoscaled(AUTOSCALER, &scratch.join("out"));
    // 600 + 3000 + 600 arrivals, all served.
    assert_eq!(summary["invocations"], 4200, "{summary}");
    // Up to 5 for the first stage, down after the step.
    assert!(ups >= 1 && started >= 5 && downs >= 1, "{ups} {started} {downs}");
}

#[test]
fn a_written_eviction_and_autoscaler_that_divide_by_zero_stop_the_run_at_their_expression() {
    let scratch = support::Scratch::new("written-faults");
    let cases = [
        (
            EVICTION,
            "priority c = idle_since(c)",
            "priority c = idle_since(c) / (invocations(function) - invocations(function))",
            "policy=oldest_idle",
        ),
        (
            AUTOSCALER,
            "desired clamp(ceil(concurrency(function, 10s)), 0, most)",
            "desired clamp(ceil(concurrency(function, 10s) / (most - 30)), 0, most)",
            "most=30",
        ),
    ];
    for (example, from, to, param) in cases {
        let text = std::fs::read_to_string(support::root().join(example)).expect("the example");
        assert_eq!(text.matches(from).count(), 1, "{from}");
        let name = Path::new(example).file_name().expect("a name").to_str().expect("UTF-8");
        let script = scratch.join(name);
        std::fs::write(&script, text.replace(from, to)).expect("write");
        let out = scratch.join(format!("{name}.out"));
        let (code, stderr) = run(script.to_str().expect("UTF-8"), &[param], &out);
        assert_eq!(code, 1, "{stderr}");
        assert!(stderr.starts_with("sls::run::policy"), "{stderr}");
        assert!(stderr.contains("divides by zero at "), "{stderr}");
        assert!(stderr.contains("deciding for function"), "{stderr}");
        let line = text.lines().position(|l| l.contains(from)).expect("the line") + 1;
        assert!(stderr.contains(&format!("{name}:{line}:")), "{stderr}");
        assert!(out.join("INCOMPLETE").exists());
    }
}

/// A written keep-alive that never keeps (`idle 0s`) does not start a
/// container prewarmed ahead of any invocation: the run writes the same
/// rows as without the `prewarm`, no prewarm, and a warning that says so.
/// `none` is refused by the checker instead (`sls::prewarm_never_kept`);
/// one that keeps (`idle 10min`) takes the prewarm.
#[test]
fn a_written_keep_alive_that_never_keeps_starts_no_prewarm_and_says_so() {
    let scratch = support::Scratch::new("written-keeps");
    let without = std::fs::read_to_string(support::root().join(KEEP_ALIVE))
        .expect("the example")
        .replace(
            "keep_alive ten_minutes { idle 10min }",
            "keep_alive never { idle 0s }\nkeep_alive ten_minutes { idle 10min }",
        )
        .replace("sweep history in [1h, 4h]", "");
    let with = without.replace("  keep_alive policy\n", "  keep_alive policy\n  prewarm steady 2\n");
    let write = |name: &str, text: &str| {
        let path = scratch.join(name);
        std::fs::write(&path, text).expect("write");
        path.to_str().expect("UTF-8").to_owned()
    };
    let (with, without) = (write("prewarmed.sls", &with), write("plain.sls", &without));
    let (code, stderr) = run(&with, &["policy=none"], &scratch.join("none"));
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("sls::prewarm_never_kept"), "{stderr}");
    let (never, _) = outputs(&scratch, "never", &with, &[], "never");
    let (plain, _) = outputs(&scratch, "plain", &without, &[], "never");
    assert!(never == plain, "a refused prewarm changed the rows");
    let summary = |folder: &str| -> serde_json::Value {
        serde_json::from_slice(&read(&scratch.join(folder).join("summary.json"))).expect("JSON")
    };
    let prewarms = |folder: &str| summary(folder)["services"][0]["keep_alive"]["prewarms"].as_u64();
    assert_eq!(prewarms("never"), Some(0));
    assert_eq!(
        summary("never")["warnings"],
        serde_json::json!([
            "2 prewarmed containers of `steady` never started: its keep-alive policy keeps no container idle, so each would be shut down as soon as it was ready"
        ])
    );
    outputs(&scratch, "kept", &with, &[], "ten_minutes");
    assert_eq!(prewarms("kept"), Some(2));
}

/// Two nodes, a 10 s start-up, one arrival a second: each waits 10 s for
/// its container, so at the n-th arrival the n - 1 before it are queued.
const QUEUED: &str = r#"param policy = fewest_queued
placement fewest_queued { score node = queued(node); pick min }
placement most_queued { score node = queued(node); pick max }
platform {
  host gateway { speed 10Gf/s; cores 1; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..2] { speed 1Gf/s; cores 8; ram 16GB; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  link lan[1..2] { bandwidth 10Gbps; latency 1us }
  route gateway <-> node[i] via lan[i]
}
serverless faas { head gateway:"/"; compute node[*]; scheduler policy; container_startup 10s; idle_timeout 0s; image_downloads off }
image runtime { size 100MB; ram 100MB }
function f { image runtime; limits { ram 256MB }; body { sleep 1s } }
workload { invoke f every 1s count 4 }
"#;

/// `queued(node)`: the fewest queued alternates the nodes (0 and 0, then 1
/// and 0, then 1 and 1, then 2 and 1), the most queued piles them on the
/// first.
#[test]
fn queued_counts_the_invocations_waiting_on_a_node() {
    let scratch = support::Scratch::new("written-queued");
    let script = scratch.join("queued.sls");
    std::fs::write(&script, QUEUED).expect("write");
    let nodes = |policy: &str| -> Vec<String> {
        let (invocations, _) = outputs(&scratch, policy, script.to_str().expect("UTF-8"), &[], policy);
        let text = String::from_utf8(invocations).expect("UTF-8");
        let column = text
            .lines()
            .next()
            .expect("a header")
            .split(',')
            .position(|c| c == "node");
        let column = column.expect("a node column");
        text.lines()
            .skip(1)
            .map(|row| row.split(',').nth(column).expect("a node").to_string())
            .collect()
    };
    assert_eq!(nodes("fewest_queued"), ["node[1]", "node[2]", "node[1]", "node[2]"]);
    assert_eq!(nodes("most_queued"), ["node[1]"; 4]);
}

#[test]
fn a_written_policy_parameter_is_swept() {
    let scratch = support::Scratch::new("written-sweep");
    let (code, stderr) = run(KEEP_ALIVE, &["policy=early"], &scratch);
    assert_eq!(code, 0, "{stderr}");
    let runs = String::from_utf8(read(&scratch.join("runs.csv"))).expect("UTF-8");
    let rows: Vec<&str> = runs.lines().collect();
    assert_eq!(rows.len(), 3, "{runs}");
    assert!(rows[1].starts_with("history=1h,0,0,0,3600,early,"), "{runs}");
    assert!(rows[2].starts_with("history=4h,1,0,0,14400,early,"), "{runs}");
}

#[test]
fn a_policy_that_divides_by_zero_stops_the_run_at_its_expression() {
    let scratch = support::Scratch::new("written-fault");
    let script = scratch.join("broken.sls");
    let text = std::fs::read_to_string(support::root().join(KEEP_ALIVE)).expect("the example");
    let text = text
        .replace(
            "keep_alive ten_minutes { idle 10min }",
            "keep_alive broken { idle 10min / count(idle_times(function, 1h)) }",
        )
        .replace("sweep history in [1h, 4h]", "");
    std::fs::write(&script, text).expect("write");
    let out = scratch.join("out");
    let (code, stderr) = run(script.to_str().expect("UTF-8"), &["policy=broken"], &out);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.starts_with("sls::run::policy"), "{stderr}");
    // The first invocation ends at 5.0825 s: 1 s to download the 100MB
    // image at 100MBps, 2 s of start-up, 1 s of body, and the transfers.
    assert!(
        stderr.contains("divides by zero at 5.082500 s of simulated time"),
        "{stderr}"
    );
    assert!(stderr.contains("`steady`"), "{stderr}");
    assert!(stderr.contains("broken.sls:10:26"), "{stderr}");
    // The run stopped cleanly: its rows so far written, the folder marked.
    assert!(out.join("INCOMPLETE").exists());
    let rows = String::from_utf8(read(&out.join("invocations.csv"))).expect("UTF-8");
    assert!(rows.starts_with("id,function,"), "{rows}");
}

#[test]
fn every_observable_and_function_is_documented() {
    use sls::language::observables::{Function, Observable, Series};
    let doc = std::fs::read_to_string(support::root().join("docs/policies.md")).expect("docs/policies.md");
    let names = Observable::ALL
        .iter()
        .map(|o| o.row().name)
        .chain(Series::ALL.iter().map(|s| s.row().name))
        .chain(Function::ALL.iter().map(|f| f.row().0));
    for name in names {
        assert!(
            doc.contains(&format!("`{name}")),
            "docs/policies.md does not show `{name}`"
        );
    }
}

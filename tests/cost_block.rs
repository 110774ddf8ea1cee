//! The `cost` block, through the real binary: a bill counted by hand (the
//! two dates it needs read from the rows), `--cost` winning over the block
//! and saying so, the shipped AWS Lambda price list as an include, and the
//! bill per run, service and function in a sweep's `runs.csv`.
//!
//! By hand, with 1 GB of memory = 1024 MB and 1 GB transferred = 2^30 B:
//! `f` (512 MB = 0.5 GB) runs 250 ms four times: 4 requests, 0.5 GB-s; its
//! container idles from its first end to 1 s, 0.75 s twice, then 10 s (the
//! idle timeout). `g` (2048 MB = 2 GB) runs once, reads 1 GiB and writes
//! 0.5 GiB from and to the storage (1.5 GB transferred) and idles 10 s: 20
//! idle GB-s.

use crate::support;

use std::path::Path;

use support::{Scratch, csv_rows};

const PLATFORM: &str = r#"platform {
  host gw { speed 1Gf/s; cores 1; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  link l { bandwidth 1GBps; latency 0s }
  route gw <-> node via l
  network raw
}
storage repo on gw:"/"
serverless faas { head gw:"/"; compute node; container_startup 0s; idle_timeout 10s }
image img { size 100MB; ram 100MB; from repo }
function f { image img; limits { ram 512MB }; body { sleep 250ms } }
function g { image img; limits { ram 2048MB }; body { read 1GiB from repo; write 512MiB to repo } }
"#;

const WORKLOAD: &str = "workload {\n  invoke f every 1s count 4\n  invoke g at 20s\n}\n";

const PRICES: &str = "cost { per_gb_second 0.5; per_request 0.25; per_gb_transferred 2; per_idle_gb_second 0.125 }\n";

/// Runs `script` (written into `dir`) with `args`; returns what it printed.
fn run(dir: &Path, script: &str, args: &[&str]) -> String {
    support::run_in(dir, "bill.sls", script, args)
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("summary")).expect("json")
}

fn close(actual: &serde_json::Value, expected: f64, what: &str) {
    let actual = actual.as_f64().unwrap_or_else(|| panic!("{what}: {actual}"));
    assert!(
        (actual - expected).abs() <= 1e-12 * expected.abs().max(1.0),
        "{what}: {actual} vs {expected}"
    );
}

#[test]
fn a_cost_block_bills_memory_requests_transfer_and_idle_memory_as_counted_by_hand() {
    let dir = Scratch::new("cost-block");
    let printed = run(&dir, &format!("{PLATFORM}{WORKLOAD}{PRICES}"), &[]);
    assert!(printed.contains("prices from the script's `cost` block"), "{printed}");
    let rows = csv_rows(&dir.join("out/invocations.csv"));
    let date = |id: &str, column: &str| -> f64 {
        let row = rows.iter().find(|r| r["id"] == id).expect("row");
        row[column].parse().expect("date")
    };
    // The two dates hand counting cannot know: `f`'s first end (after its
    // image arrived) and `g`'s run (its transfers), in whole milliseconds.
    let first_end = date("0", "end");
    let g_ms = ((date("4", "end") - date("4", "start")) * 1e3).ceil();
    let f_idle_gb_seconds = 0.5 * ((1.0 - first_end) + 0.75 + 0.75 + 10.0);
    let g_gb_seconds = 2.0 * g_ms / 1e3;
    let f_cost = 0.5 * 0.5 + 4.0 * 0.25 + 0.125 * f_idle_gb_seconds;
    let g_cost = 0.5 * g_gb_seconds + 0.25 + 2.0 * 1.5 + 0.125 * 20.0;

    let summary = json(&dir.join("out/summary.json"));
    let cost = &summary["cost"];
    assert_eq!(cost["prices_from"], "script");
    assert_eq!(cost["prices"]["per_idle_gb_second"], 0.125);
    assert_eq!(cost["requests"], 5);
    close(&cost["gb_seconds"], 0.5 + g_gb_seconds, "GB-s");
    close(&cost["transferred_gb"], 1.5, "transferred");
    close(&cost["idle_gb_seconds"], f_idle_gb_seconds + 20.0, "idle GB-s");
    close(&cost["total"], f_cost + g_cost, "total");
    let functions = cost["functions"].as_array().expect("functions");
    assert_eq!(functions.len(), 2);
    assert_eq!(
        (&functions[0]["name"], &functions[1]["name"]),
        (&"f".into(), &"g".into())
    );
    close(&functions[0]["cost"], f_cost, "f");
    close(&functions[0]["billed_seconds"], 1.0, "f's billed seconds");
    close(&functions[1]["cost"], g_cost, "g");
    close(&functions[1]["transferred_bytes"], 1.5 * 1_073_741_824.0, "g's bytes");
    let services = cost["services"].as_array().expect("services");
    assert_eq!(services.len(), 1);
    close(&services[0]["cost"], f_cost + g_cost, "faas");
}

#[test]
fn the_command_line_wins_over_the_cost_block_and_says_so() {
    let dir = Scratch::new("cost-override");
    let script = format!("{PLATFORM}{WORKLOAD}{PRICES}");
    let printed = run(&dir, &script, &["--cost", "per_request=1"]);
    assert!(
        printed.contains("prices from --cost, over the script's `cost` block"),
        "{printed}"
    );
    let cost = &json(&dir.join("out/summary.json"))["cost"];
    assert_eq!(cost["prices_from"], "command_line_over_script");
    assert_eq!(cost["prices"]["per_gb_second"], 0.0);
    close(&cost["total"], 5.0, "five requests at 1");

    // Without a block, the command line's prices, said as such; with
    // neither, no bill.
    let plain = format!("{PLATFORM}{WORKLOAD}");
    let printed = run(&dir, &plain, &["--cost", "per_request=1"]);
    assert!(printed.contains("prices from --cost\n"), "{printed}");
    assert_eq!(
        json(&dir.join("out/summary.json"))["cost"]["prices_from"],
        "command_line"
    );
    let printed = run(&dir, &plain, &[]);
    assert!(!printed.contains("prices from"), "{printed}");
    assert!(json(&dir.join("out/summary.json")).get("cost").is_none());
}

#[test]
fn the_shipped_aws_lambda_price_list_is_an_include() {
    let dir = Scratch::new("cost-include");
    let list = support::root().join("examples/common/aws_lambda.sls");
    let script = format!("{PLATFORM}{WORKLOAD}include {:?}\n", list.display().to_string());
    run(&dir, &script, &[]);
    let prices = &json(&dir.join("out/summary.json"))["cost"]["prices"];
    // The same duration and request prices as `--cost aws-lambda`.
    assert_eq!(prices["per_gb_second"], 0.0000166667);
    assert_eq!(prices["per_request"], 0.0000002);
    assert_eq!(prices["per_gb_transferred"], 0.09);
    assert_eq!(prices["per_idle_gb_second"], 0.0);
}

#[test]
fn a_sweep_has_the_bill_per_run_service_and_function_in_runs_csv() {
    let dir = Scratch::new("cost-sweep");
    let script = format!(
        "param n = 4\n{PLATFORM}workload {{ invoke f every 1s count n }}\n{PRICES}sweep n in [2, 4] repeat 2\n"
    );
    run(&dir, &script, &["-q"]);
    let runs = csv_rows(&dir.join("out/runs.csv"));
    assert_eq!(runs.len(), 4);
    for row in &runs {
        let cost = &json(&dir.join("out").join(&row["folder"]).join("summary.json"))["cost"];
        let cell = |column: &str| -> f64 { row[column].parse().unwrap_or_else(|_| panic!("{column}: {row:?}")) };
        assert_eq!(cell("cost"), cost["total"].as_f64().expect("total"));
        assert_eq!(
            cell("cost:faas"),
            cost["services"][0]["cost"].as_f64().expect("service")
        );
        assert_eq!(
            cell("cost:f@faas"),
            cost["functions"][0]["cost"].as_f64().expect("function")
        );
        // n requests of 250 ms at 0.5 GB: n x (0.25 + 0.5 x 0.25 x 0.5), plus idle memory.
        let n = cell("n");
        assert_eq!(cell("billed_requests"), n);
        assert!(cell("cost") > n * (0.25 + 0.0625), "{row:?}");
    }
}

//! The bill (`sls run --cost`), through the real binary: per function, the
//! requests are the rows with a start, the billed seconds their durations
//! (start to end, or to finish without an end) rounded up to the
//! millisecond, counted again here from the exact dates of the Parquet
//! rows; GB-seconds are those times the function's RAM in GB of 1024 MB.

#![cfg(feature = "parquet")]

use crate::support;

use std::collections::BTreeMap;
use std::fs::File;
use std::process::Command;

use arrow_array::Array;
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, UInt32Type};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use support::Scratch;

/// Two functions of 128 MB and 1 GB; some time out, some are refused.
const SCRIPT: &str = r#"platform {
  host gateway { speed 1Gf/s; cores 1; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host worker { speed 1Gf/s; cores 4; ram 3GB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link lan { bandwidth 1Gbps; latency 10us }
  route gateway <-> worker via lan
}
serverless faas { head gateway:"/"; compute worker; idle_timeout 1s }
image base { size 10MB; ram 10MB }
function small { image base; limits { ram 128MB; time 40ms }; body { sleep exponential(20ms) } }
function large { image base; limits { ram 1GB }; body { sleep exponential(300ms) } }
workload {
  invoke small poisson 50/s for 20s
  invoke large poisson 5/s for 20s
}
"#;

fn run(dir: &std::path::Path, args: &[&str]) -> String {
    support::run_in(dir, "cost.sls", SCRIPT, args)
}

/// Per function: requests and billed milliseconds, from the rows.
fn usage_from_rows(path: &std::path::Path) -> BTreeMap<String, (u64, u64)> {
    let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(path).expect("parquet")).expect("parquet");
    let mut usage = BTreeMap::new();
    for batch in reader.build().expect("reader") {
        let batch = batch.expect("batch");
        let column = |name: &str| batch.column_by_name(name).expect("column");
        let functions = column("function").as_dictionary::<UInt32Type>().clone();
        let names = functions.values().as_string::<i32>().clone();
        let (start, end, finish) = (
            column("start").as_primitive::<Float64Type>().clone(),
            column("end").as_primitive::<Float64Type>().clone(),
            column("finish").as_primitive::<Float64Type>().clone(),
        );
        for row in 0..batch.num_rows() {
            if start.is_null(row) {
                continue;
            }
            let stop = if end.is_null(row) {
                finish.value(row)
            } else {
                end.value(row)
            };
            let nanos = ((stop - start.value(row)) * 1e9).round() as u64;
            let name = names.value(functions.keys().value(row) as usize).to_string();
            let entry = usage.entry(name).or_insert((0, 0));
            entry.0 += 1;
            entry.1 += nanos.div_ceil(1_000_000);
        }
    }
    usage
}

#[test]
fn the_bill_is_the_rows_durations_times_memory() {
    let dir = Scratch::new("cost");
    let printed = run(
        &dir,
        &[
            "--invocations",
            "parquet",
            "--cost",
            "per_gb_second=0.00002,per_million_requests=0.4",
        ],
    );
    assert!(printed.contains("cost  "), "{printed}");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out/summary.json")).expect("summary")).expect("json");
    let cost = &summary["cost"];
    assert_eq!(cost["prices"]["per_gb_second"], 0.00002);
    let from_rows = usage_from_rows(&dir.join("out/invocations.parquet"));
    let memory = BTreeMap::from([("small", 128e6), ("large", 1e9)]);
    let (mut requests, mut total) = (0, 0.0);
    for function in cost["functions"].as_array().expect("functions") {
        let name = function["name"].as_str().expect("name");
        let (n, ms) = from_rows[name];
        assert_eq!(function["requests"], n, "{name}");
        assert_eq!(function["billed_seconds"].as_f64(), Some(ms as f64 / 1e3), "{name}");
        assert_eq!(function["memory"].as_f64(), Some(memory[name]), "{name}");
        let gb_seconds = memory[name] / 1.024e9 * ms as f64 / 1e3;
        assert!(
            (function["gb_seconds"].as_f64().unwrap() - gb_seconds).abs() < 1e-9,
            "{name}"
        );
        let bill = gb_seconds * 0.00002 + n as f64 * 0.4e-6;
        assert!((function["cost"].as_f64().unwrap() - bill).abs() < 1e-12, "{name}");
        requests += n;
        total += bill;
    }
    assert_eq!(cost["functions"].as_array().map(Vec::len), Some(2));
    assert_eq!(cost["requests"], requests);
    assert!((cost["total"].as_f64().unwrap() - total).abs() < 1e-12);
    // Some small invocations timed out: billed to their finish, not counted twice.
    assert!(
        summary["failures"].as_array().is_some_and(|f| !f.is_empty()),
        "{summary}"
    );

    // A named provider's prices; without --cost, no bill.
    run(&dir, &["--cost", "aws-lambda"]);
    let summary = std::fs::read_to_string(dir.join("out/summary.json")).expect("summary");
    assert!(
        summary.contains("\"per_gb_second\": 0.0000166667,\n      \"per_request\": 2e-7"),
        "{summary}"
    );
    run(&dir, &[]);
    let summary = std::fs::read_to_string(dir.join("out/summary.json")).expect("summary");
    assert!(!summary.contains("\"cost\""));
}

#[test]
fn a_price_that_is_no_price_is_a_usage_error() {
    let dir = Scratch::new("cost-error");
    let output = Command::new(env!("CARGO_BIN_EXE_sls"))
        .args(["run", "examples/basic.sls", "--cost", "azure", "--out"])
        .arg(dir.join("out"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the sls binary runs");
    assert_eq!(output.status.code(), Some(2));
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(err.contains("aws-lambda"), "{err}");
}

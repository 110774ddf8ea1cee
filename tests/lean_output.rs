//! Lean output through the real binary: `--invocations parquet` writes the
//! rows of `invocations.csv` as Parquet (read back and printed the way the
//! CSV writer prints them, they are its bytes), in several row groups on a
//! long run; `--invocations none` writes no rows and the same summary; a
//! run in another format leaves no rows of the previous one behind.

#![cfg(feature = "parquet")]

use crate::support;

use std::fs::File;
use std::path::Path;
use std::process::Command;

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, UInt32Type, UInt64Type};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use sls::report::{HEADER, date_text, quote};
use support::Scratch;

/// About 150,000 invocations: more than two row groups.
const LONG: &str = r#"platform {
  host gateway { speed 1Gf/s; cores 1; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host worker { speed 1Gf/s; cores 8; ram 8GB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link lan { bandwidth 1Gbps; latency 10us }
  route gateway <-> worker via lan
}
serverless faas { head gateway:"/"; compute worker; idle_timeout 100ms }
image base { size 10MB; ram 10MB }
function f { image base; limits { ram 64MB; time 9ms }; body { sleep exponential(5ms) } }
workload { invoke f poisson 1000/s for 150s }
"#;

fn run(script: &Path, out: &Path, format: &str) {
    let output = Command::new(env!("CARGO_BIN_EXE_sls"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["run", "--quiet", "--force", "--invocations", format, "--out"])
        .arg(out)
        .arg(script)
        .output()
        .expect("the sls binary runs");
    assert!(
        output.status.success(),
        "{}: {}",
        script.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The batches' rows as `invocations.csv` has them.
fn as_csv(batches: &[RecordBatch]) -> String {
    let mut floats = ryu::Buffer::new();
    let mut out = HEADER.to_string();
    for batch in batches {
        for row in 0..batch.num_rows() {
            let cells: Vec<String> = batch
                .columns()
                .iter()
                .map(|column| {
                    if column.is_null(row) {
                        return String::new();
                    }
                    match column.data_type() {
                        DataType::UInt64 => column.as_primitive::<UInt64Type>().value(row).to_string(),
                        DataType::Float64 => date_text(&mut floats, column.as_primitive::<Float64Type>().value(row)),
                        DataType::Dictionary(..) => {
                            let names = column.as_dictionary::<UInt32Type>();
                            let key = names.keys().value(row) as usize;
                            quote(names.values().as_string::<i32>().value(key))
                        }
                        other => panic!("a column of type {other} in invocations.parquet"),
                    }
                })
                .collect();
            out.push_str(&cells.join(","));
            out.push('\n');
        }
    }
    out
}

/// Reads `invocations.parquet`: its batches and row groups.
fn read_parquet(path: &Path) -> (Vec<RecordBatch>, usize) {
    let reader = ParquetRecordBatchReaderBuilder::try_new(File::open(path).expect("invocations.parquet"))
        .expect("a Parquet file");
    let groups = reader.metadata().num_row_groups();
    let batches = reader
        .build()
        .expect("a reader")
        .collect::<Result<_, _>>()
        .expect("batches");
    (batches, groups)
}

fn check_parquet_equals_csv(script: &Path, scratch: &Path, name: &str) -> usize {
    let (csv_out, parquet_out) = (
        scratch.join(format!("{name}-csv")),
        scratch.join(format!("{name}-parquet")),
    );
    run(script, &csv_out, "csv");
    run(script, &parquet_out, "parquet");
    let csv = std::fs::read_to_string(csv_out.join("invocations.csv")).expect("invocations.csv");
    assert!(!parquet_out.join("invocations.csv").exists());
    let (batches, groups) = read_parquet(&parquet_out.join("invocations.parquet"));
    let from_parquet = as_csv(&batches);
    assert!(csv.lines().count() > 1, "{name}: no rows");
    assert!(from_parquet == csv, "{name}: the Parquet rows differ from the CSV's");
    let summary = |dir: &Path| std::fs::read_to_string(dir.join("summary.json")).expect("summary.json");
    assert_eq!(summary(&csv_out), summary(&parquet_out), "{name}");
    groups
}

#[test]
fn parquet_rows_are_the_csv_rows() {
    let scratch = Scratch::new("lean-parquet");
    let root = support::root();
    // Failures of every kind, nulls, several functions, services and
    // nodes; workflow instances.
    for example in ["failures", "multi_service", "workflow"] {
        check_parquet_equals_csv(&root.join(format!("examples/{example}.sls")), &scratch, example);
    }
    let long = scratch.join("long.sls");
    std::fs::write(&long, LONG).expect("script written");
    let groups = check_parquet_equals_csv(&long, &scratch, "long");
    assert!(groups >= 3, "{groups} row groups");
}

#[test]
fn no_rows_keep_the_summary_and_a_new_format_replaces_the_old_rows() {
    let scratch = Scratch::new("lean-none");
    let script = support::root().join("examples/failures.sls");
    let out = scratch.join("out");
    run(&script, &out, "csv");
    let with_rows = std::fs::read_to_string(out.join("summary.json")).expect("summary.json");
    run(&script, &out, "none");
    assert!(!out.join("invocations.csv").exists() && !out.join("invocations.parquet").exists());
    assert_eq!(
        std::fs::read_to_string(out.join("summary.json")).expect("summary.json"),
        with_rows
    );
    run(&script, &out, "parquet");
    assert!(out.join("invocations.parquet").exists());
    run(&script, &out, "csv");
    assert!(out.join("invocations.csv").exists() && !out.join("invocations.parquet").exists());
}

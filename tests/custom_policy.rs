//! `examples/custom-policy/`, the tutorial of policies written in Rust: the
//! program builds against the library (by `cargo test`, as an example of
//! `sls`: see `Cargo.toml`), registers `last_gap` and `warm_first`, and
//! runs its `study.sls`, whose outcome is checked against a count by
//! hand; the command line, which registers neither, rejects the script
//! with today's diagnostics.

mod support;

use std::collections::BTreeMap;
use std::process::Command;

/// Two functions invoked every minute, 30 times each, on two nodes of 4
/// cores: `last_gap` keeps no container before a function's second arrival
/// (no gap seen) and then 2 minutes, so each function starts cold twice
/// and warm 28 times; `warm_first` then keeps each function on the node of
/// its warm container, the two on different nodes (the one with the most
/// free slots for the second).
#[test]
fn the_example_program_runs_its_script_with_its_policies() {
    let scratch = support::Scratch::new("custom-policy");
    let results = scratch.join("results");
    // Examples are built beside the binaries, in `examples/`.
    let binary = std::path::Path::new(env!("CARGO_BIN_EXE_sls"))
        .with_file_name("examples")
        .join(format!("custom-policy{}", std::env::consts::EXE_SUFFIX));
    assert!(
        binary.exists(),
        "{} is built by `cargo test` (all targets); alone: `cargo build --release --example custom-policy`",
        binary.display()
    );
    let output = Command::new(&binary)
        .arg(support::root().join(support::CUSTOM_POLICY).join("study.sls"))
        .arg(&results)
        .output()
        .unwrap_or_else(|error| panic!("{} runs: {error}", binary.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        stdout.starts_with("invocations 60  succeeded 60  cold starts 4  warm starts 56\n"),
        "{stdout}"
    );
    let csv = std::fs::read_to_string(results.join("invocations.csv")).expect("invocations.csv");
    let mut nodes: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for row in csv.lines().skip(1) {
        let cells: Vec<&str> = row.split(',').collect();
        nodes.entry(cells[1]).or_default().push(cells[8]);
    }
    assert_eq!(nodes.len(), 2);
    let homes: Vec<&str> = nodes
        .values()
        .map(|on| {
            assert_eq!(on.len(), 30);
            // From its second (cold) start on, where its container stays.
            assert!(on[1..].iter().all(|n| *n == on[1]), "{on:?}");
            on[1]
        })
        .collect();
    assert_ne!(homes[0], homes[1]);
}

#[test]
fn the_command_line_registers_no_policy() {
    let script = format!("{}/study.sls", support::CUSTOM_POLICY);
    let (code, _, err) = support::sls(&["check", &script]);
    assert_eq!(code, 1);
    assert!(err.contains("`warm_first` is not a scheduler"), "{err}");
    assert!(err.contains("`last_gap` is not a keep-alive policy"), "{err}");
    assert!(err.contains("write one of `fixed`, `none` or `hybrid`"), "{err}");
}

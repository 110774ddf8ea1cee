//! `examples/custom-policy/`, the tutorial of policies written in Rust: the
//! program builds against the library (by `cargo test`, as an example of
//! `sls`: see `Cargo.toml`), registers `last_gap` and `warm_first`, and
//! runs its `study.sls`, whose outcome is checked against a count by
//! hand; the command line, which registers neither, rejects the script
//! with today's diagnostics.

use crate::support;

use std::collections::BTreeMap;
use std::process::Command;

/// The program, built as an example of `sls` in the tests' profile (a
/// no-op after `cargo test`, which builds every example; run alone, as
/// `cargo test --test integration custom_policy::`, the test builds it, and never runs
/// an earlier build of it). Examples may use dev-dependencies, so this
/// build has the tests' features and builds only the program.
fn example_program() -> std::path::PathBuf {
    let sls = std::path::Path::new(env!("CARGO_BIN_EXE_sls"));
    // Binaries are built in the profile's folder, examples beside them.
    let folder = sls.parent().expect("the binaries' folder");
    let profile = folder
        .file_name()
        .and_then(|name| name.to_str())
        .expect("a profile's folder");
    let profile = if profile == "debug" { "dev" } else { profile };
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--example", "custom-policy", "--profile", profile])
        .current_dir(support::root())
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cargo could not build the custom-policy example");
    folder
        .join("examples")
        .join(format!("custom-policy{}", std::env::consts::EXE_SUFFIX))
}

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
    let binary = example_program();
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

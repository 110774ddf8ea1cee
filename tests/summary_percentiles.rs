//! The latency percentiles of `summary.json` (p50, p95, p99, per function,
//! per service and for the run) against the nearest rank of the latencies
//! written in `invocations.csv`, counted here: at most the histogram's
//! 1/4096 below, never above. The functions span the summary's paths: a
//! few dozen latencies (read sorted), a few hundred (pending, selected), a
//! few thousand spread over many buckets (pages skipped by their totals),
//! thousands equal (a page of wide counters); the services' and the run's
//! histograms are their functions' merged. The same check on every run of
//! every example (sweeps' points too). Run by the `sls` binary, as
//! built: the answer a user gets, not the histogram's units alone (whose
//! tests, in `report::histogram`, caught a page total rustc 1.95
//! miscompiles).

use std::collections::BTreeMap;
use std::path::Path;

use crate::support::{self, Scratch};

const SCRIPT: &str = r#"
platform {
  host gateway { speed 10Gf/s; cores 8; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..4] { speed 1Gf/s; cores 64; ram 256GB; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  link lan[1..4] { bandwidth 10Gbps; latency 10us }
  route gateway <-> node[i] via lan[i]
}

serverless front {
  head gateway:"/"
  compute node[1..2]
  container_startup 200ms
  idle_timeout 10min
  image_downloads off
}

serverless back {
  head gateway:"/"
  compute node[3..4]
  container_startup 1s
  idle_timeout 0s
  image_downloads off
}

image runtime { size 0B; ram 0B }

function spread { image runtime; limits { ram 128MB }; body { sleep uniform(1ms, 3s) } }
function flat   { image runtime; limits { ram 128MB }; body { sleep 250ms } }
function some   { image runtime; limits { ram 128MB }; body { sleep uniform(100ms, 900ms) } }
function few    { image runtime; limits { ram 128MB }; body { sleep uniform(2s, 20s) } }

workload {
  invoke spread on front poisson 60/s for 1min
  invoke flat on front every 20ms count 2500
  invoke some on back poisson 8/s for 1min
  invoke few on back every 1s count 40
}
"#;

/// The nearest-rank `p`-th percentile of `sorted` (ascending).
fn nearest_rank(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0 * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Checks a summary part's latency against the latencies counted here
/// (none: no percentiles); dates are written to 1e-9 s, hence the slack.
/// Returns 1 for a part with latencies, 0 for one without.
fn check(name: &str, part: &serde_json::Value, latencies: &mut [f64]) -> usize {
    latencies.sort_by(f64::total_cmp);
    assert_eq!(part["succeeded"], latencies.len() as u64, "{name}: successes");
    for p in [50.0, 95.0, 99.0] {
        let got = part["latency"][format!("p{p}")].as_f64();
        if latencies.is_empty() {
            assert_eq!(got, None, "{name}: p{p} of no latencies");
            continue;
        }
        let exact = nearest_rank(latencies, p).max(0.0);
        let got = got.unwrap_or_else(|| panic!("{name}: p{p} is a number: {part}"));
        let slack = 2e-9;
        assert!(
            got <= exact + slack && exact - got <= exact / 4096.0 + slack,
            "{name}: p{p} is {got}, the nearest rank of its {} latencies {exact}",
            latencies.len()
        );
    }
    usize::from(!latencies.is_empty())
}

/// Checks every latency part of the summary in `out` against its
/// `invocations.csv`: the run, each service, each function of a service;
/// returns how many parts had latencies.
fn check_folder(out: &Path) -> usize {
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).expect("summary.json"))
            .expect("summary.json is JSON");
    let (mut by_function, mut by_service, mut all) = (BTreeMap::new(), BTreeMap::new(), Vec::new());
    for row in support::csv_rows(&out.join("invocations.csv")) {
        if row["status"] != "success" {
            continue;
        }
        let date = |column: &str| row[column].parse::<f64>().expect("a date");
        let latency = date("end") - date("submit");
        let function = (row["service"].clone(), row["function"].clone());
        by_function.entry(function).or_insert_with(Vec::new).push(latency);
        by_service
            .entry(row["service"].clone())
            .or_insert_with(Vec::new)
            .push(latency);
        all.push(latency);
    }
    let mut checked = check(&out.display().to_string(), &summary, &mut all);
    for part in summary["services"].as_array().expect("services") {
        let name = part["name"].as_str().expect("a name");
        checked += check(name, part, by_service.get_mut(name).unwrap_or(&mut Vec::new()));
    }
    for part in summary["functions"].as_array().expect("functions") {
        let key = (
            part["service"].as_str().unwrap_or("").to_string(),
            part["name"].as_str().expect("a name").to_string(),
        );
        checked += check(
            &format!("{key:?}"),
            part,
            by_function.get_mut(&key).unwrap_or(&mut Vec::new()),
        );
    }
    checked
}

#[test]
fn percentiles_are_the_nearest_rank_of_the_written_latencies() {
    let dir = Scratch::new("summary-percentiles");
    support::run_in(&dir, "percentiles.sls", SCRIPT, &["-q"]);
    let rows = support::csv_rows(&dir.join("out/invocations.csv"));
    assert!(
        rows.iter().all(|row| row["status"] == "success"),
        "every invocation succeeds"
    );
    // The declared workload, counted by hand: Poisson 60/s and 8/s over a
    // minute (about 3,600 and 480), 2,500 and 40.
    let count = |f: &str| rows.iter().filter(|row| row["function"] == f).count();
    assert!((3_300..3_900).contains(&count("spread")), "{}", count("spread"));
    assert_eq!(count("flat"), 2_500);
    assert!((380..580).contains(&count("some")), "{}", count("some"));
    assert_eq!(count("few"), 40);
    // The run, two services, four functions.
    assert_eq!(check_folder(&dir.join("out")), 7);
}

/// Every example's runs (each point of a sweep), the same check; files of
/// shared parts, which declare nothing to run, are refused and left out.
#[test]
fn every_example_reports_the_nearest_rank_of_its_latencies() {
    let scratch = Scratch::new("summary-percentiles-examples");
    let (mut runs, mut parts, mut shared) = (0, 0, 0);
    for (i, script) in support::example_scripts().iter().enumerate() {
        let out = scratch.join(i.to_string());
        let (path, folder) = (script.to_str().expect("utf-8"), out.to_str().expect("utf-8"));
        let (code, _, errors) = support::sls(&["run", path, "--out", folder, "--force", "-q"]);
        if code != 0 {
            assert!(errors.contains("declares nothing to run"), "{path}: {errors}");
            shared += 1;
            continue;
        }
        let mut folders = vec![out];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).expect("a results folder") {
                let path = entry.expect("an entry").path();
                if path.is_dir() {
                    folders.push(path);
                }
            }
            if folder.join("summary.json").exists() && folder.join("invocations.csv").exists() {
                parts += check_folder(&folder);
                runs += 1;
            }
        }
    }
    // Counted when written: 137 runs, 696 parts with latencies, 5 files
    // of shared parts.
    assert!(
        runs >= 130 && parts >= 650 && shared <= 5,
        "{runs} runs, {parts} parts, {shared} shared"
    );
}

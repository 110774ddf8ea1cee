//! The latency percentiles of `summary.json` (p50, p95, p99, per function,
//! per service and for the run) against the nearest rank of the latencies
//! written in `invocations.csv`, counted here: at most the histogram's
//! 1/4096 below, never above. The functions span the summary's paths: a
//! few dozen latencies (read sorted), a few hundred (pending, selected), a
//! few thousand spread over many buckets (pages skipped by their totals),
//! thousands equal (a page of wide counters); the services' and the run's
//! histograms are their functions' merged. Run by the `sls` binary, as
//! built: the answer a user gets, not the histogram's units alone (whose
//! tests, in `report::histogram`, caught a page total rustc 1.95
//! miscompiles).

use std::collections::BTreeMap;

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

/// Checks a summary part's latency against the latencies counted here;
/// dates are written to 1e-9 s, hence the slack.
fn check(name: &str, part: &serde_json::Value, latencies: &mut [f64]) {
    latencies.sort_by(f64::total_cmp);
    assert_eq!(part["succeeded"], latencies.len() as u64, "{name}: successes");
    for p in [50.0, 95.0, 99.0] {
        let exact = nearest_rank(latencies, p);
        let got = part["latency"][format!("p{p}")]
            .as_f64()
            .unwrap_or_else(|| panic!("{name}: p{p} is a number: {part}"));
        let slack = 2e-9;
        assert!(
            got <= exact + slack && exact - got <= exact / 4096.0 + slack,
            "{name}: p{p} is {got}, the nearest rank of its {} latencies {exact}",
            latencies.len()
        );
    }
}

#[test]
fn percentiles_are_the_nearest_rank_of_the_written_latencies() {
    let dir = Scratch::new("summary-percentiles");
    support::run_in(&dir, "percentiles.sls", SCRIPT, &["-q"]);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("out/summary.json")).expect("summary.json"))
            .expect("summary.json is JSON");
    let (mut by_function, mut by_service, mut all) = (BTreeMap::new(), BTreeMap::new(), Vec::new());
    for row in support::csv_rows(&dir.join("out/invocations.csv")) {
        assert_eq!(row["status"], "success", "every invocation succeeds: {row:?}");
        let date = |column: &str| row[column].parse::<f64>().expect("a date");
        let latency = date("end") - date("submit");
        by_function
            .entry(row["function"].clone())
            .or_insert_with(Vec::new)
            .push(latency);
        by_service
            .entry(row["service"].clone())
            .or_insert_with(Vec::new)
            .push(latency);
        all.push(latency);
    }
    // The declared workload, counted by hand: Poisson 60/s and 8/s over a
    // minute (about 3,600 and 480), 2,500 and 40.
    let count = |f: &str| by_function.get(f).map_or(0, Vec::len);
    assert!((3_300..3_900).contains(&count("spread")), "{}", count("spread"));
    assert_eq!(count("flat"), 2_500);
    assert!((380..580).contains(&count("some")), "{}", count("some"));
    assert_eq!(count("few"), 40);
    check("the run", &summary, &mut all);
    for (key, parts) in [("functions", &mut by_function), ("services", &mut by_service)] {
        let listed = summary[key].as_array().expect("a list of parts");
        assert_eq!(listed.len(), parts.len(), "{key}");
        for part in listed {
            let name = part["name"].as_str().expect("a name");
            check(name, part, parts.get_mut(name).expect("a part with invocations"));
        }
    }
}

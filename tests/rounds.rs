//! The rounds' shortcuts decide what full rounds decide: over generated
//! scripts (`support::scenario`: every placement policy, RAM and slots
//! short on a few nodes, image downloads, failures, prewarming, eviction
//! and autoscaling, SAND sandboxes, workflows and traces), a run with the
//! shortcuts (a request placed at once, a round ended or resumed early, a
//! list judged alike) and a run with every request decided by a full
//! round (`RunOptions::rounds_only`) write the same bytes, file by file.
//! The shortcuts are kept right by hand at each change of the state they
//! read (`Queues::stir`, `forget_walk`); this property is their net beyond
//! the cases `runs.rs` writes out.

use crate::support;
use crate::support::scenario::{self, POLICIES, Scenario, Stream};

use std::collections::BTreeMap;
use std::path::Path;

use proptest::prelude::*;
use sls::serverless::RunOptions;

/// Every file a run wrote into `dir`, by name, with its bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .expect("the run's folder")
        .map(|entry| {
            let path = entry.expect("a folder entry").path();
            let name = path.file_name().expect("a name").to_string_lossy().into_owned();
            (name, std::fs::read(&path).expect("an output file"))
        })
        .collect()
}

/// Runs the scenario both ways; an error names the files that differ, with
/// the script.
fn check_scenario(s: &Scenario, case: u64) -> Result<(), TestCaseError> {
    let dir = support::Scratch::new(&format!("rounds-{case}"));
    let (path, text) = scenario::write(&dir, s);
    let checked = sls::check::check(&path, text.clone(), &Default::default());
    let program = match checked.program {
        Ok(p) => p,
        Err(d) => {
            return Err(TestCaseError::fail(format!(
                "{}\n{text}",
                d.render(&checked.sources, false, 100)
            )));
        }
    };
    let model = &program.points[0].model;
    let rounds_only = RunOptions {
        rounds_only: true,
        ..RunOptions::default()
    };
    let mut outputs = Vec::new();
    for (name, options) in [("shortcuts", RunOptions::default()), ("rounds", rounds_only)] {
        let out = dir.join(name);
        sls::driver::run_to_end(model, model.seed, &options, &out)
            .map_err(|e| TestCaseError::fail(format!("{name}: run error {e:?}\n{text}")))?;
        outputs.push(files(&out));
    }
    let (fast, slow) = (&outputs[0], &outputs[1]);
    prop_assert!(fast.contains_key("invocations.csv"), "the run wrote its rows\n{}", text);
    prop_assert_eq!(
        fast.keys().collect::<Vec<_>>(),
        slow.keys().collect::<Vec<_>>(),
        "the same files\n{}",
        text
    );
    let differ: Vec<&String> = fast.keys().filter(|name| fast[*name] != slow[*name]).collect();
    prop_assert!(
        differ.is_empty(),
        "{:?} differ between the shortcuts and full rounds\n{}",
        differ,
        text
    );
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn shortcuts_decide_as_full_rounds(s in scenario::scenario(), case in any::<u64>()) {
        check_scenario(&s, case)?;
    }
}

/// A case the property found (shrunk): a prewarming container lost with
/// its node at 1 s still finished starting at 1.1 s, on a record another
/// container had taken by then, and gave the failed node a slot; a full
/// round then sent a request to that node for ever (`not_run`), where the
/// shortcut ran it.
#[test]
fn shrunk_case_of_a_prewarm_lost_with_its_node() {
    let s = Scenario {
        nodes: 2,
        cores: 3,
        ram_gb: 1,
        latency_ms: 0,
        lv08: false,
        image_mb: 0,
        downloads: false,
        startup_ms: 1000,
        idle_s: 2,
        sand: false,
        scheduler: "greedy { order fcfs }",
        concurrency: 1,
        cpu: None,
        policy: POLICIES[0],
        host_failure: Some((1, None)),
        prewarm: true,
        link_failure: None,
        time_limit_ms: None,
        bodies: [vec!["compute 1Gf"], vec!["sleep uniform(100ms, 2s)"]],
        either: false,
        streams: vec![Stream::Azure2021Replay {
            rows: vec![(271, 1), (11, 1), (200, 163), (11, 1), (102, 1), (201, 1), (122, 1)],
        }],
    };
    check_scenario(&s, 0).unwrap();
}

/// A case the property found (shrunk): `random` passed an entry drawn to
/// an inert node without claiming the slot the full round's would; once a
/// dispatch of a function serving two invocations at once ended the
/// judging, a later entry took that slot there.
#[test]
fn shrunk_case_of_a_slot_unclaimed_at_an_inert_node() {
    let sleep = vec!["sleep uniform(100ms, 2s)"];
    let s = Scenario {
        nodes: 3,
        cores: 4,
        ram_gb: 1,
        latency_ms: 0,
        lv08: false,
        image_mb: 1000,
        downloads: false,
        startup_ms: 0,
        idle_s: 0,
        sand: false,
        scheduler: "random(3)",
        concurrency: 2,
        cpu: None,
        policy: POLICIES[0],
        host_failure: None,
        prewarm: false,
        link_failure: None,
        time_limit_ms: None,
        bodies: [sleep.clone(), sleep],
        either: false,
        streams: vec![
            Stream::Poisson {
                rate: 3,
                count: 22,
                burst: 1,
            },
            Stream::RandomGaps { mean_ms: 50, count: 3 },
            Stream::Paced { rate: 1, count: 3 },
        ],
    };
    check_scenario(&s, 1).unwrap();
}

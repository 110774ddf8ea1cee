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
use std::fmt::Write as _;
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
    both_ways(&dir, &path, &text)
}

/// Checks the script at `path` (its `text`) and runs it into `dir` both
/// ways, comparing the files written.
fn both_ways(dir: &Path, path: &Path, text: &str) -> Result<(), TestCaseError> {
    let program = scenario::checked(path, text)?;
    let model = &program.points[0].model;
    let rounds_only = RunOptions {
        rounds_only: true,
        ..support::registered::run_options()
    };
    let mut outputs = Vec::new();
    for (name, options) in [
        ("shortcuts", support::registered::run_options()),
        ("rounds", rounds_only),
    ] {
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

/// The platform of the throwaway differentials the hand-shrunk scripts
/// come from: a head holding the image repository, `nodes` alike nodes,
/// each behind its own link and one core link shared by all.
struct Differential {
    nodes: u32,
    cores: u32,
    ram: &'static str,
    disk: &'static str,
    read: &'static str,
    core_link: &'static str,
    local_links: &'static str,
}

impl Differential {
    /// The platform most differential scripts draw: `nodes` nodes of
    /// `cores` cores and `ram`, 3 GB disks read at 1 GBps, 100 MBps local
    /// links and a core link of `core_link`.
    fn drawn(nodes: u32, cores: u32, ram: &'static str, core_link: &'static str) -> Differential {
        Differential {
            nodes,
            cores,
            ram,
            disk: "3GB",
            read: "1GBps",
            core_link,
            local_links: "100MBps",
        }
    }

    /// The script of this platform with `rest` (service, images,
    /// functions, workload) after it.
    fn script(&self, rest: &str) -> String {
        let Differential {
            nodes,
            cores,
            ram,
            disk,
            read,
            core_link,
            local_links,
        } = self;
        format!(
            r#"platform {{
  host head {{ speed 10Gf/s; cores 8; disk "/" {{ size 100TB; read 10GBps; write 10GBps }} }}
  host node[1..{nodes}] {{ speed 1Gf/s; cores {cores}; ram {ram}; disk "/" {{ size {disk}; read {read}; write 1GBps }} }}
  link core {{ bandwidth {core_link}; latency 100us }}
  link local[1..{nodes}] {{ bandwidth {local_links}; latency 10us }}
  route head <-> node[i] via core, local[i]
}}
storage repo on head:"/"
{rest}"#
        )
    }
}

/// Writes `text` as a script of its own (`NAME.sls` in a scratch folder)
/// and runs it both ways: the cases found and shrunk by hand.
fn script_both_ways(name: &str, text: &str) {
    let dir = support::Scratch::new(&format!("rounds-{name}"));
    let path = dir.join(format!("{name}.sls"));
    std::fs::write(&path, text).expect("the script");
    both_ways(&dir, &path, text).unwrap();
}

/// Runs the script at `path` both ways into `dir` (they must agree) and
/// returns the rows the run with shortcuts wrote (`invocations.csv`).
fn rows_both_ways(dir: &Path, path: &Path, text: &str) -> String {
    both_ways(dir, path, text).unwrap();
    std::fs::read_to_string(dir.join("shortcuts").join("invocations.csv")).expect("the rows")
}

/// Per row of `rows` after the header, its fields at `columns`.
fn columns<'a>(rows: &'a str, columns: &[usize]) -> Vec<Vec<&'a str>> {
    rows.lines()
        .skip(1)
        .map(|row| {
            let fields: Vec<&str> = row.split(',').collect();
            columns.iter().map(|&k| fields[k]).collect()
        })
        .collect()
}

/// A platform under pressure, where the rounds' shortcuts do their work:
/// crowds of requests of several functions and images, larger than the
/// nodes' slots and RAM, copies sharing one core link.
#[derive(Debug, Clone)]
struct Pressure {
    nodes: u32,
    cores: u32,
    ram_gb: u32,
    /// The service's `slots` (else one per core).
    slots: Option<u32>,
    /// Containers' start-up, in ms: long ones keep prewarming containers
    /// unclaimed while requests wait past the slots.
    startup_ms: u32,
    core_mbps: u32,
    downloads: bool,
    sand: bool,
    /// Images `i1` and `i2` share a base layer (else each is one file).
    layered: bool,
    scheduler: &'static str,
    /// The service's eviction policy (how idle containers make room).
    eviction: &'static str,
    idle_ms: u32,
    /// The service's keep-alive policy (of [`KEEP_ALIVES`]); empty:
    /// `idle_timeout` of `idle_ms`.
    keep_alive: &'static str,
    prewarm: Option<(u32, u32)>,
    /// The service's autoscaler (of [`AUTOSCALERS`]); empty: none.
    autoscaler: &'static str,
    /// `node[1]` fails at this date in ms, for this long (else for good).
    failure: Option<(u32, Option<u32>)>,
    /// Per function: its image (of three), RAM in MB, concurrency.
    functions: Vec<(u32, u32, u32)>,
    /// Time limits in ms (0: none), function `k` the `k mod len`-th (none
    /// if empty): they weigh `balanced`'s shares, some exactly summed
    /// (whole seconds), some not (0.3 s).
    time_limits: Vec<u32>,
    /// Bursts: function, date in ms, size.
    bursts: Vec<(u32, u32, u32)>,
    /// Poisson streams: function, rate per second, count.
    streams: Vec<(u32, u32, u32)>,
}

impl Pressure {
    /// The plainest pressure, which the shrunk cases amend with what they
    /// need (functions and arrivals at least): one node of 8 cores and
    /// 2 GB behind a 50 MB/s core link, plain images copied from the
    /// repository, `fcfs`, `lru`, no keep-alive, no prewarm, no failure.
    fn plain() -> Pressure {
        Pressure {
            nodes: 1,
            cores: 8,
            ram_gb: 2,
            slots: None,
            startup_ms: 200,
            core_mbps: 50,
            downloads: false,
            sand: false,
            layered: false,
            scheduler: "fcfs",
            eviction: "lru",
            idle_ms: 0,
            keep_alive: "",
            prewarm: None,
            autoscaler: "",
            failure: None,
            functions: Vec::new(),
            time_limits: Vec::new(),
            bursts: Vec::new(),
            streams: Vec::new(),
        }
    }
}

fn pressure() -> impl Strategy<Value = Pressure> {
    let function = (
        0..3u32,
        prop::sample::select(vec![128u32, 256, 700]),
        prop::sample::select(vec![1u32, 1, 3]),
    );
    (
        (
            1..7u32,
            prop::sample::select(vec![1u32, 2, 8, 64]),
            2..5u32,
            prop::sample::select(vec![50u32, 1000]),
            prop::option::of(1..5u32),
            prop::sample::select(vec![200u32, 200, 5000]),
        ),
        (
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            prop::sample::select(SCHEDULERS.to_vec()),
        ),
        (
            prop::sample::select(vec![0u32, 300, 60_000]),
            prop::option::of((0..6u32, prop::sample::select(vec![1u32, 2, 25]))),
            prop::option::of((0..5000u32, prop::option::of(1..3000u32))),
            prop::sample::select(EVICTIONS.to_vec()),
            prop::sample::select(KEEP_ALIVES.to_vec()),
            prop::sample::select(AUTOSCALERS.to_vec()),
        ),
        (
            prop::collection::vec(function, 1..6),
            prop::collection::vec(prop::sample::select(vec![0u32, 0, 300, 1000, 2000]), 0..4),
        ),
        prop::collection::vec((0..6u32, 0..4000u32, 1..60u32), 1..5),
        prop::collection::vec((0..6u32, 1..200u32, 1..80u32), 0..3),
    )
        .prop_map(
            |(
                (nodes, cores, ram_gb, core_mbps, slots, startup_ms),
                (downloads, sand, layered, scheduler),
                (idle_ms, prewarm, failure, eviction, keep_alive, autoscaler),
                (functions, time_limits),
                bursts,
                streams,
            )| {
                Pressure {
                    nodes,
                    cores,
                    ram_gb,
                    slots,
                    startup_ms,
                    core_mbps,
                    downloads,
                    // SAND places by application with `fcfs`'s dispatch;
                    // an autoscaler needs a container per function.
                    sand: sand && scheduler == "fcfs" && autoscaler.is_empty(),
                    layered,
                    scheduler,
                    eviction,
                    idle_ms,
                    keep_alive,
                    prewarm,
                    autoscaler,
                    failure,
                    functions,
                    time_limits,
                    bursts,
                    streams,
                }
            },
        )
}

/// A crowd (as [`crowd`]'s) under `random` or `consistent_hash`, on up
/// to ten nodes, with or without sandboxes: registrations outnumber the
/// images waiting by far, so that nodes without a free slot are judged
/// inert by image (`InertNodes::at`), whatever the round decided there.
fn crowd_at_chosen_nodes() -> impl Strategy<Value = Pressure> {
    (
        crowd(),
        prop::sample::select(vec!["random(3)", "consistent_hash(1.25)"]),
        1..11u32,
        any::<bool>(),
    )
        .prop_map(|(crowd, scheduler, nodes, sand)| Pressure {
            scheduler,
            nodes,
            // An autoscaler needs a container per function.
            sand: sand && crowd.autoscaler.is_empty(),
            ..crowd
        })
}

/// A crowd under `balanced`: 64 to 100 functions on up to three small
/// nodes, bursts of each crowding in within a second and a half, and a
/// few large ones: past 64 registrations waiting at once, and with fewer
/// free slots than registrations, a round makes groups only for the
/// shares that take a slot (`Balanced::group_crowd`), whose works the
/// list keeps (`placement/works.rs`): weights of whole seconds, none, or
/// 0.3 s (whose sums round, and are then grouped entry by entry).
fn crowd() -> impl Strategy<Value = Pressure> {
    (
        (
            1..4u32,
            prop::sample::select(vec![1u32, 2, 4]),
            2..4u32,
            any::<bool>(),
            prop::sample::select(vec![0u32, 2000]),
            prop::sample::select(AUTOSCALERS.to_vec()),
        ),
        prop::collection::vec(
            (0..3u32, prop::sample::select(vec![128u32, 256, 700]), Just(1u32)),
            64..100,
        ),
        prop::collection::vec(prop::sample::select(vec![0u32, 1000, 2000, 4000, 300]), 1..4),
        prop::collection::vec((0..100u32, 0..1500u32, 1..4u32), 60..120),
        prop::collection::vec((0..100u32, 0..1500u32, 10..60u32), 0..3),
    )
        .prop_map(
            |((nodes, cores, ram_gb, downloads, idle_ms, autoscaler), functions, time_limits, mut bursts, large)| {
                bursts.extend(large);
                Pressure {
                    nodes,
                    cores,
                    ram_gb,
                    core_mbps: 1000,
                    downloads,
                    scheduler: "balanced",
                    idle_ms,
                    autoscaler,
                    functions,
                    time_limits,
                    bursts,
                    ..Pressure::plain()
                }
            },
        )
}

/// The placement policies: built in, written in the script and
/// registered through the library (`support::registered::WANDERER`).
const SCHEDULERS: [&str; 13] = [
    "fcfs",
    "random(3)",
    "balanced",
    "greedy { order fcfs }",
    "greedy { order random(0); eviction fewest_evictions; plan eviction_averse }",
    "greedy { order fcfs; plan random(5) }",
    "least_loaded",
    "round_robin",
    "openwhisk",
    "consistent_hash(1.25)",
    "fewest_busy",
    "roomiest",
    support::registered::WANDERER,
];

/// The eviction policies: each lists victims its own way, and a round
/// judges a cold start refused only when no choice of victims could cover
/// it (`oldest_idle` is `lru` written in the script).
const EVICTIONS: [&str; 5] = ["lru", "ram", "greedy_dual", "size", "oldest_idle"];

/// The keep-alive policies: `idle_timeout` (twice as likely), the hybrid
/// histogram over the seconds a pressure lasts, and one written below
/// that unloads every container at the end of an invocation and prewarms
/// one 300 ms later (through the service's list, as a request).
const KEEP_ALIVES: [&str; 4] = ["", "", "hybrid(10s, 200ms)", "unload_and_prewarm"];

/// The autoscalers: none (twice as likely), and both built in, asking
/// often and for more containers than RAM holds under a burst: their
/// requests wait in the list, refused on full nodes, while invocations
/// queue behind and among them.
const AUTOSCALERS: [&str; 4] = [
    "",
    "",
    "autoscaler kpa { target 1; max 12; tick 300ms; stable_window 6s }",
    "autoscaler hpa { target 1; max 12; period 1s; stabilization 3s }",
];

/// The script of a [`Pressure`] scenario.
fn pressure_script(s: &Pressure) -> String {
    let mut t = format!(
        r#"placement fewest_busy {{ score node = busy(node); pick min }}
eviction oldest_idle {{ priority c = idle_since(c) }}
keep_alive unload_and_prewarm {{ idle 2s; prewarm 300ms }}
placement roomiest {{ score node = free_ram(node) + 2GB * has_image(node, function) - memory(function) * busy(node); pick max }}
platform {{
  host head {{ speed 10Gf/s; cores 8; disk "/" {{ size 100TB; read 10GBps; write 10GBps }} }}
  host node[1..{n}] {{ speed 1Gf/s; cores {c}; ram {r}GB; disk "/" {{ size 3GB; read 1GBps; write 1GBps }} }}
  link core {{ bandwidth {core}MBps; latency 100us }}
  link local[1..{n}] {{ bandwidth 100MBps; latency 10us }}
  route head <-> node[i] via core, local[i]
{failure}}}
storage repo on head:"/"
serverless faas {{
  head head:"/"
  compute node[*]
  scheduler {scheduler}
  container_startup {startup}ms
  eviction {eviction}
  {keep}
  image_downloads {downloads}
{slots}"#,
        failure = match s.failure {
            Some((at, Some(d))) => format!("  fail host node[1] at {at}ms for {d}ms\n"),
            Some((at, None)) => format!("  fail host node[1] at {at}ms\n"),
            None => String::new(),
        },
        n = s.nodes,
        c = s.cores,
        r = s.ram_gb,
        core = s.core_mbps,
        scheduler = s.scheduler,
        startup = s.startup_ms,
        slots = s.slots.map_or(String::new(), |n| format!("  slots {n}\n")),
        eviction = s.eviction,
        // A prewarm beside `idle_timeout 0ms` is refused by the checker;
        // a written policy that keeps nothing is judged at run time.
        keep = if !s.keep_alive.is_empty() {
            format!("keep_alive {}", s.keep_alive)
        } else if s.prewarm.is_some() && s.idle_ms == 0 {
            "keep_alive shut_at_once".to_owned()
        } else {
            format!("idle_timeout {}ms", s.idle_ms)
        },
        downloads = if s.downloads { "on" } else { "off" },
    );
    if s.sand {
        t.push_str("  sandbox per_application { worker_start 50ms; library_load 100ms; fork 2ms; base_memory 16MB; instance_memory 1MB }\n");
    }
    if !s.autoscaler.is_empty() {
        let _ = writeln!(t, "  {}", s.autoscaler);
    }
    let functions = s.functions.len() as u32;
    if let Some((f, count)) = s.prewarm {
        let _ = writeln!(t, "  prewarm f{} {count}", f % functions);
    }
    t.push_str("}\n");
    if s.keep_alive.is_empty() && s.prewarm.is_some() && s.idle_ms == 0 {
        t.push_str("keep_alive shut_at_once { idle 0s }\n");
    }
    if s.layered {
        // The same sizes as the plain images: 300 MB (400 MB in RAM) and
        // 1000 MB (600 MB), a base of 200 MB (200 MB) shared.
        t.push_str(
            "layer base { size 200MB; ram 200MB }\nlayer l1 { size 100MB; ram 200MB }\nlayer l2 { size 800MB; ram 400MB }\n\
             image i0 { size 0MB; ram 100MB; from repo }\nimage i1 { layers [base, l1]; from repo }\nimage i2 { layers [base, l2]; from repo }\n",
        );
    } else {
        for (i, (size, ram)) in [(0, 100), (300, 400), (1000, 600)].into_iter().enumerate() {
            let _ = writeln!(t, "image i{i} {{ size {size}MB; ram {ram}MB; from repo }}");
        }
    }
    for (k, &(image, ram, concurrency)) in s.functions.iter().enumerate() {
        let share = if concurrency > 1 && !s.sand {
            format!("; concurrency {concurrency}")
        } else {
            String::new()
        };
        let time = match s.time_limits.get(k % s.time_limits.len().max(1)) {
            Some(&ms) if ms > 0 => format!("; time {ms}ms"),
            _ => String::new(),
        };
        let _ = writeln!(
            t,
            "function f{k} {{ image i{image}; app a{}; limits {{ ram {ram}MB{share}{time} }}; body {{ sleep uniform(50ms, 3s) }} }}",
            k % 2
        );
    }
    t.push_str("workload {\n");
    for &(f, at, size) in &s.bursts {
        let _ = writeln!(t, "  invoke f{} at {at}ms burst {size}", f % functions);
    }
    for &(f, rate, count) in &s.streams {
        let _ = writeln!(t, "  invoke f{} poisson {rate}/s count {count}", f % functions);
    }
    t.push_str("}\n");
    t
}

/// Runs a [`Pressure`] scenario both ways, as [`check_scenario`].
fn check_pressure(s: &Pressure, case: u64) -> Result<(), TestCaseError> {
    let dir = support::Scratch::new(&format!("rounds-pressure-{case}"));
    let text = pressure_script(s);
    let path = dir.join("pressure.sls");
    std::fs::write(&path, &text).expect("the script");
    both_ways(&dir, &path, &text)
}

/// The seed of both properties, fixed so that every CI run checks the
/// same 1,024 cases of each and a failure reproduces. The divergences they
/// found came one in 5,000 to 15,000 cases (the shrunk cases below), so
/// they are hunted by hand: raise `cases` and drop the seed, and force a
/// feature on in the generators (sandboxes, a node's failure, prewarms):
/// the last two divergences came only so. The last hunts (60,000 cases of
/// each, with 20,000 of the conservation property, plain and with all
/// three forced) found none; nor, once slots and long start-ups were
/// drawn (2026-12-06), 20,000 of each at seed 7 and 20,000 under
/// pressure with a prewarm of 25, `kpa` and 2 slots forced.
const SEED: u64 = 1;

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 1024,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(SEED),
        ..ProptestConfig::default()
    })]

    #[test]
    fn shortcuts_decide_as_full_rounds(s in scenario::scenario(), case in any::<u64>()) {
        check_scenario(&s, case)?;
    }

    #[test]
    fn shortcuts_decide_as_full_rounds_under_pressure(s in pressure(), case in any::<u64>()) {
        check_pressure(&s, case)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 128,
        failure_persistence: None,
        rng_seed: proptest::test_runner::RngSeed::Fixed(SEED),
        ..ProptestConfig::default()
    })]

    #[test]
    fn balanced_crowds_decide_as_full_rounds(s in crowd(), case in any::<u64>()) {
        check_pressure(&s, case)?;
    }

    #[test]
    fn crowds_drawn_or_hashed_to_nodes_decide_as_full_rounds(s in crowd_at_chosen_nodes(), case in any::<u64>()) {
        check_pressure(&s, case)?;
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
        startup_ms: 1000,
        idle_s: 2,
        scheduler: "greedy { order fcfs }",
        host_failure: Some((1, None)),
        prewarm: true,
        bodies: [vec!["compute 1Gf"], vec!["sleep uniform(100ms, 2s)"]],
        streams: vec![Stream::Azure2021Replay {
            rows: vec![(271, 1), (11, 1), (200, 163), (11, 1), (102, 1), (201, 1), (122, 1)],
        }],
        ..Scenario::plain()
    };
    check_scenario(&s, 0).unwrap();
}

/// A case the property found (shrunk): `random` passed an entry drawn to
/// an inert node without claiming the slot the full round's would; once a
/// dispatch of a function serving two invocations at once ended the
/// judging, a later entry took that slot there.
#[test]
fn shrunk_case_of_a_slot_unclaimed_at_an_inert_node() {
    let s = Scenario {
        nodes: 3,
        cores: 4,
        image_mb: 1000,
        scheduler: "random(3)",
        concurrency: 2,
        streams: vec![
            Stream::Poisson {
                rate: 3,
                count: 22,
                burst: 1,
            },
            Stream::RandomGaps { mean_ms: 50, count: 3 },
            Stream::Paced { rate: 1, count: 3 },
        ],
        ..Scenario::plain()
    };
    check_scenario(&s, 1).unwrap();
}

/// A case the property found (shrunk): `fcfs` ended a round at a cold
/// start refused for lack of RAM while entries of a function serving
/// three invocations at once waited behind it; applied, their dispatches
/// joined the containers the round had started, ahead of entries left
/// waiting before them.
#[test]
fn shrunk_case_of_dropped_dispatches_that_join() {
    let s = Pressure {
        nodes: 4,
        functions: vec![(2, 128, 3), (2, 256, 1)],
        bursts: vec![(2, 107, 52)],
        streams: vec![(1, 192, 31), (0, 123, 13)],
        ..Pressure::plain()
    };
    check_pressure(&s, 0).unwrap();
}

/// A case the property found: a prewarm request of a function kept idle
/// for no time, which the service refuses whatever the nodes hold, had
/// `greedy` evict the image the waiting invocations needed, and load it
/// back, 0.6 s apart for ever: the run never ended. (Found with
/// `idle_timeout 0ms`, which the checker now refuses beside a prewarm;
/// the script keeps nothing by a written policy, judged at run time.)
#[test]
fn a_prewarm_never_granted_does_not_keep_the_run_going() {
    let s = Pressure {
        cores: 2,
        scheduler: "greedy { order fcfs }",
        prewarm: Some((0, 2)),
        functions: vec![(0, 700, 3), (0, 256, 3), (2, 128, 1)],
        bursts: vec![(2, 2477, 54), (2, 1240, 46), (1, 1241, 45), (2, 1748, 21)],
        streams: vec![],
        ..Pressure::plain()
    };
    // Run apart, so that a run that never ends fails here (it takes well
    // under a second) rather than holding the suite until CI's timeout.
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || done.send(check_pressure(&s, 1)));
    match finished.recv_timeout(std::time::Duration::from_secs(120)) {
        Ok(result) => result.unwrap(),
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => panic!("the run did not end within 120 s"),
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => panic!("the check panicked (above)"),
    }
}

/// A case the property found (shrunk): `fcfs` took idle container 3 on
/// node[1] for request 117 after deciding a new container there for
/// request 97, and ended the round at request 119, whose new container
/// it counted short of RAM. The service made room for 97 by evicting
/// container 3 (it does not see the round's claims), refused 117 the
/// container, and had room for 119.
#[test]
fn shrunk_case_of_a_take_evicted_by_a_cold_start_before_it() {
    let s = Pressure {
        nodes: 4,
        idle_ms: 60_000,
        prewarm: Some((3, 1)),
        functions: vec![(0, 128, 1), (0, 128, 3), (1, 256, 1)],
        bursts: vec![(4, 2050, 8), (3, 1993, 11), (2, 768, 8), (3, 2205, 2)],
        streams: vec![(2, 95, 43), (2, 26, 48)],
        ..Pressure::plain()
    };
    check_pressure(&s, 2).unwrap();
}

/// A case the property found (shrunk) in the first form of the doomed
/// tail's prewarm requests (`Decisions::refuse_prewarms`): at 3.49 s a
/// round of 13 autoscaler prewarm requests found one free slot where the
/// image is in RAM; a full round decides one entry per free slot and
/// stops, refusing only the first; the loop of rounds then refuses the
/// others one per round, and puts them back in their order. Refusing
/// every prewarm request of the tail at once put the first two back
/// last, and a later round started another one.
#[test]
fn shrunk_case_of_prewarm_requests_past_the_last_free_slot() {
    let s = Pressure {
        nodes: 4,
        core_mbps: 1000,
        downloads: true,
        layered: true,
        autoscaler: AUTOSCALERS[2],
        failure: Some((477, None)),
        functions: vec![(0, 700, 1), (0, 128, 1), (0, 128, 1)],
        bursts: vec![(1, 3282, 1), (1, 156, 48), (0, 0, 8), (0, 0, 19)],
        ..Pressure::plain()
    };
    check_pressure(&s, 5).unwrap();
}

/// A case the property found (shrunk): once `greedy` stopped evicting an
/// idle container of a request's own function (a prewarm request's cold
/// plan took one so), a round judging the registration of the one
/// invocation left by its first entry ever, an autoscaler's request
/// since gone, found no plan (a prewarm request takes no idle container)
/// and refused everything, where a full round gave the invocation the
/// container that had just gone idle. A registration is judged by an
/// invocation of it once one was added.
#[test]
fn shrunk_case_of_a_registration_judged_by_its_prewarm_request() {
    let s = Pressure {
        nodes: 3,
        ram_gb: 4,
        scheduler: "greedy { order fcfs }",
        autoscaler: AUTOSCALERS[3],
        functions: vec![(1, 700, 1), (0, 128, 1), (0, 128, 1), (0, 128, 1)],
        bursts: vec![(4, 0, 16)],
        ..Pressure::plain()
    };
    check_pressure(&s, 7).unwrap();
}

/// A case the property found (shrunk): a prewarm request in a doomed tail
/// is dropped only if the autoscaler has cancelled it since it was asked
/// for, as a round's dispatch of it would (before its node is looked
/// at); dropping every autoscaler request there lost one that waited.
#[test]
fn shrunk_case_of_an_autoscaler_request_in_a_doomed_tail_not_cancelled() {
    let s = Pressure {
        nodes: 4,
        core_mbps: 1000,
        downloads: true,
        layered: true,
        autoscaler: AUTOSCALERS[2],
        failure: Some((477, None)),
        functions: vec![(0, 128, 1), (0, 256, 1), (0, 128, 1)],
        bursts: vec![(1, 885, 19), (0, 377, 43)],
        ..Pressure::plain()
    };
    check_pressure(&s, 6).unwrap();
}

/// The converse of the case above, found by a throwaway differential of
/// random scripts with the cancellation left out: an autoscaler request
/// it has cancelled, in a doomed tail, must be dropped, not put back, or
/// a later request is dropped in its place (a container more started).
#[test]
fn an_autoscaler_request_cancelled_in_a_doomed_tail_is_dropped() {
    let platform = Differential::drawn(1, 8, "4GB", "1000MBps");
    let text = platform.script(
        r#"serverless faas {
  head head:"/"
  compute node[*]
  scheduler fcfs
  container_startup 200ms
  eviction ram
  idle_timeout 60000ms
  image_downloads on
  autoscaler hpa { target 1; max 12; period 1s; stabilization 3s }
}
image i0 { size 0MB; ram 100MB; from repo }
image i1 { size 300MB; ram 400MB; from repo }
image i2 { size 1000MB; ram 600MB; from repo }
function f0 { image i2; limits { ram 256MB; concurrency 3 }; body { sleep uniform(50ms, 3s) } }
function f1 { image i1; limits { ram 256MB; concurrency 3 }; body { sleep uniform(50ms, 3s) } }
function f2 { image i1; limits { ram 1000MB }; body { sleep uniform(50ms, 3s) } }
workload {
  invoke f2 at 1484ms burst 5
  invoke f0 at 2236ms burst 17
  invoke f2 at 96ms burst 1
  invoke f1 poisson 77/s count 100
  invoke f2 poisson 13/s count 29
}
"#,
    );
    script_both_ways("cancelled-in-tail", &text);
}

/// A case a differential of random scripts found (shrunk), with a bug
/// put in by hand: `balanced` takes its shortcuts while the autoscaler's
/// prewarm requests wait, and a share refused on a node with the image
/// in RAM but no room passes, slot by slot, an invocation and the prewarm
/// requests newer than it (each refused for room first), not one entry a
/// slot. Passing `left` entries there decides otherwise than full rounds.
#[test]
fn a_balanced_share_refused_for_room_passes_prewarm_requests_slot_by_slot() {
    let platform = Differential::drawn(2, 2, "2GB", "1000MBps");
    let text = platform.script(
        r#"serverless faas {
  head head:"/"
  compute node[*]
  scheduler balanced
  slots 3
  container_startup 200ms
  eviction ram
  idle_timeout 2000ms
  image_downloads on
  autoscaler hpa { target 1; max 12; period 1s; stabilization 3s }
}
image i2 { size 1000MB; ram 600MB; from repo }
function f0 { image i2; limits { ram 1000MB }; body { sleep uniform(50ms, 3s) } }
workload {
  invoke f0 at 1908ms burst 1
  invoke f0 poisson 171/s count 3
}
"#,
    );
    script_both_ways("balanced-refused-share", &text);
}

/// A case a differential of random scripts found (shrunk), with bugs put
/// in by hand: `balanced` with several registrations waiting and the
/// autoscaler's prewarm requests among them finds each registration's
/// entries by rank among its own (`placement/own.rs`), not by listing
/// them. Counting one invocation too many back when a share is refused
/// for room, judging a registration by an invocation where its newest
/// entry is a prewarm request, or keeping the entry after a
/// registration's newest invocation with its prewarm requests, each
/// decides otherwise than full rounds.
#[test]
fn balanced_finds_each_registrations_entries_by_rank_among_prewarm_requests() {
    let platform = Differential::drawn(2, 64, "3GB", "1000MBps");
    let text = platform.script(
        r#"serverless faas {
  head head:"/"
  compute node[*]
  scheduler balanced
  container_startup 5s
  eviction size
  idle_timeout 60000ms
  image_downloads on
  autoscaler kpa { target 1; max 12; tick 300ms; stable_window 6s }
}
image i0 { size 0MB; ram 100MB; from repo }
image i1 { size 300MB; ram 400MB; from repo }
image i2 { size 1000MB; ram 600MB; from repo }
function f0 { image i2; limits { ram 256MB }; body { sleep uniform(50ms, 3s) } }
function f1 { image i1; limits { ram 700MB }; body { sleep uniform(50ms, 3s) } }
function f2 { image i0; limits { ram 128MB; concurrency 3 }; body { sleep uniform(50ms, 3s) } }
workload {
  invoke f1 at 1336ms burst 2
  invoke f0 poisson 266/s count 47
  invoke f2 poisson 151/s count 125
}
"#,
    );
    script_both_ways("balanced-registrations-by-rank", &text);
}

/// A crowd under `balanced`: eighty functions wait on eight slots (two
/// nodes of four cores, and RAM for a few containers each, so that the
/// order of dispatch on a node matters), the fourth to come with most of
/// the work (forty entries of a 4 s limit), the others a few entries
/// each of 1 s, 2 s or no limit. Past 64 registrations waiting at once
/// (`placement/works.rs`), a round with fewer free slots than
/// registrations waiting (most of them here) makes groups only for the
/// shares that take a slot (the shares of more than one slot found among
/// the largest works, then those of one in order of first appearance,
/// `Balanced::group_crowd`). Decided otherwise than full rounds with the
/// groups made in order of share, with one share of one slot too few, or
/// with the works' total a second off.
#[test]
fn balanced_shares_a_crowd_of_registrations_as_full_rounds() {
    let platform = Differential::drawn(2, 4, "1500MB", "1000MBps");
    let mut text = String::from(
        r#"serverless faas {
  head head:"/"
  compute node[*]
  scheduler balanced
  container_startup 200ms
  eviction lru
  idle_timeout 2s
  image_downloads off
}
image i0 { size 0MB; ram 100MB; from repo }
image i1 { size 300MB; ram 400MB; from repo }
function f0 { image i1; limits { ram 256MB; time 4s }; body { sleep uniform(50ms, 3s) } }
"#,
    );
    for k in 1..80 {
        let time = ["; time 1s", "; time 2s", ""][k % 3];
        let _ = writeln!(
            text,
            "function f{k} {{ image i{}; limits {{ ram 128MB{time} }}; body {{ sleep uniform(50ms, 3s) }} }}",
            k % 2
        );
    }
    text.push_str("workload {\n  invoke f0 at 35ms burst 40\n");
    for k in 1..80 {
        let _ = writeln!(text, "  invoke f{k} at {}ms burst {}", 10 * k, 1 + k % 3);
        let _ = writeln!(text, "  invoke f{k} poisson {}/s count 12", 2 + k);
    }
    text.push_str("}\n");
    script_both_ways("balanced-crowd", &platform.script(&text));
}

/// A case the pressure property found (shrunk), with a bug put in by
/// hand: `balanced` hands out the empty nodes as runs when every node has
/// as many slots (here two, one a core), and a share of nine entries
/// takes every slot of four empty nodes and of the one-slot node between
/// them (`balanced/most_left.rs`). Reading the run of empty nodes before
/// the run of one-slot nodes, not node by node in list order
/// (`balanced/runs.rs`), decides otherwise than full rounds.
#[test]
fn balanced_reads_overlapping_runs_of_empty_and_one_slot_nodes_in_list_order() {
    let platform = Differential::drawn(5, 2, "2GB", "50MBps");
    let text = platform.script(
        r#"serverless faas {
  head head:"/"
  compute node[*]
  scheduler balanced
  container_startup 200ms
  eviction lru
  idle_timeout 0ms
  image_downloads off
}
image i0 { size 0MB; ram 100MB; from repo }
image i1 { size 300MB; ram 400MB; from repo }
image i2 { size 1000MB; ram 600MB; from repo }
function f0 { image i2; app a0; limits { ram 700MB }; body { sleep uniform(50ms, 3s) } }
function f1 { image i0; app a1; limits { ram 128MB }; body { sleep uniform(50ms, 3s) } }
workload {
  invoke f1 at 0ms burst 3
  invoke f0 poisson 1/s count 11
}
"#,
    );
    script_both_ways("balanced-overlapping-runs", &text);
}

/// A case a differential of random scripts found (shrunk), with a bug
/// put in by hand: `fcfs` decides a run of prewarm requests as a whole
/// once the first of them cannot run at once (they take no container
/// that is there), but only when nothing but prewarm requests follows:
/// an invocation after them may claim a container still starting (one
/// the earlier prewarm requests started), which they cannot, so a run of
/// the registration with invocations in it is decided entry by entry.
#[test]
fn a_run_of_prewarm_requests_is_decided_whole_only_without_invocations_after() {
    let platform = Differential::drawn(2, 2, "3GB", "50MBps");
    let text = platform.script(
        r#"serverless faas {
  head head:"/"
  compute node[*]
  scheduler fcfs
  slots 50
  container_startup 200ms
  eviction size
  idle_timeout 300ms
  image_downloads on
  prewarm f0 23
  prewarm f0 58
}
image i1 { size 300MB; ram 400MB; from repo }
function f0 { image i1; limits { ram 128MB }; body { sleep uniform(50ms, 3s) } }
workload {
  invoke f0 at 203ms burst 5
}
"#,
    );
    script_both_ways("prewarm-run", &text);
}

/// A case the property found (shrunk): when node[1] failed at 9 s, the
/// failure of the invocation running there started a round before the
/// node had left the service, and that round gave request 2 the node's
/// prewarming container. The request outlived the container, was never
/// failed, and at the run's end (`not_run`) made the container's record
/// idle again after another container had taken it: full rounds then
/// offered a busy container as idle. Now the node leaves the service
/// before what ran there fails, and every request but the one running at
/// 9 s runs once the node is back at 10 s.
#[test]
fn shrunk_case_of_a_request_placed_on_a_failing_node() {
    let s = Scenario {
        cores: 2,
        lv08: true,
        image_mb: 1000,
        startup_ms: 300,
        scheduler: "greedy { eviction lru }",
        policy: POLICIES[5],
        host_failure: Some((9, Some(1))),
        streams: vec![Stream::Ramp { to: 5, count: 1 }, Stream::Client { first: 2, then: 2 }],
        ..Scenario::plain()
    };
    let dir = support::Scratch::new("rounds-failing-node");
    let (path, text) = scenario::write(&dir, &s);
    let rows = rows_both_ways(&dir, &path, &text);
    let outcomes = columns(&rows, &[9, 10]);
    // One f1 arrival (the ramp's count) and four f2 calls of the client.
    assert_eq!(
        outcomes,
        [
            ["failure", "host_failure"],
            ["success", ""],
            ["success", ""],
            ["success", ""],
            ["success", ""],
        ],
        "{rows}"
    );
}

/// A case the property found (shrunk), a crash: with sandboxes (SAND), the
/// container prewarmed for `f1` started plain; forks went into it as into
/// a sandbox, and each fork's end made it idle again while it was idle,
/// listing it twice among the idle. When it went, one entry stayed; a
/// later fork found its record there, gone, and the run panicked (a
/// worker looked up in a table the container had left). Now a plain
/// container becomes a sandbox at its first fork. Every arrival has its
/// row: two of `f1` (one fails with its node at 2 s), five of `f2`, two
/// of the trace's two applications. Without the failure, the same stale
/// entry was a silent wrong answer: the `f2` of 9.052 s was a warm fork
/// into application `a`'s sandbox, gone at 8.801 s (idle 2 s from
/// 6.801 s); it is a cold start (worker 50 ms, libraries 100 ms, fork
/// 2 ms: it starts at 9.204 s).
#[test]
fn shrunk_case_of_a_prewarmed_container_forked_into_as_a_sandbox() {
    let mut s = Scenario {
        idle_s: 2,
        sand: true,
        host_failure: Some((2, Some(1))),
        prewarm: true,
        bodies: [vec!["sleep uniform(100ms, 2s)"], vec!["write 5MB"]],
        streams: vec![
            Stream::Ramp { to: 3, count: 2 },
            Stream::Every {
                period_ms: 2263,
                count: 5,
                burst: 1,
            },
            Stream::Azure2019Replay {
                minutes: vec![[1, 0, 0], [1, 0, 0]],
            },
        ],
        ..Scenario::plain()
    };
    let dir = support::Scratch::new("rounds-prewarmed-sandbox");
    let (path, text) = scenario::write(&dir, &s);
    let rows = rows_both_ways(&dir, &path, &text);
    let mut outcomes = columns(&rows, &[1, 9, 10]);
    outcomes.sort();
    assert_eq!(
        outcomes,
        [
            ["app0/fn0", "success", ""],
            ["app1/fn1", "success", ""],
            ["f1", "failure", "host_failure"],
            ["f1", "success", ""],
            ["f2", "success", ""],
            ["f2", "success", ""],
            ["f2", "success", ""],
            ["f2", "success", ""],
            ["f2", "success", ""],
        ],
        "{rows}"
    );
    s.host_failure = None;
    let dir = support::Scratch::new("rounds-prewarmed-sandbox-kept");
    let (path, text) = scenario::write(&dir, &s);
    let rows = rows_both_ways(&dir, &path, &text);
    let late = rows
        .lines()
        .find(|row| row.starts_with("8,"))
        .expect("the f2 of 9.052 s");
    let fields: Vec<&str> = late.split(',').collect();
    assert_eq!(
        (fields[1], fields[3], fields[5], fields[11], fields[12]),
        ("f2", "9.052", "9.204", "cold", "container"),
        "{rows}"
    );
}

/// A case the property found (shrunk, with sandboxes forced in the
/// generator): `node[1]` fails for good at 3 s while the image (1 GB)
/// is being copied to it, the only copy decided, for every waiting
/// request. No round followed the failed copy, so with the shortcuts the
/// requests waited for ever when no later event came (`not_run` rows
/// where full rounds, started by an arrival at 3 s, copied the image to
/// `node[2]`). Now a copy or load that fails with its node starts a
/// round: the node has left the service, and the others take what
/// waited. Every declared arrival runs: the closed loop's `f1`, the
/// three `flow` instances' `w1` and `w2`.
#[test]
fn shrunk_case_of_requests_left_waiting_for_a_copy_to_a_failed_node() {
    let s = Scenario {
        nodes: 3,
        cores: 3,
        image_mb: 1000,
        sand: true,
        host_failure: Some((3, None)),
        bodies: [vec!["write 2MB to repo"], vec!["sleep uniform(100ms, 2s)"]],
        streams: vec![Stream::Closed { users: 1, count: 1 }, Stream::Workflow { count: 3 }],
        ..Scenario::plain()
    };
    let dir = support::Scratch::new("rounds-copy-to-failed-node");
    let (path, text) = scenario::write(&dir, &s);
    let rows = rows_both_ways(&dir, &path, &text);
    let count = |function: &str| {
        rows.lines()
            .filter(|row| row.split(',').nth(1) == Some(function) && row.contains(",success,"))
            .count()
    };
    assert_eq!((count("f1"), count("w1"), count("w2")), (1, 3, 3), "{rows}");
    assert!(!rows.contains("not_run"), "{rows}");
}

/// A case the property found: a cold start on node[2] made its room by
/// evicting its own image from RAM (the least recently used layer, not
/// pinned yet), and started its container on it. That container, idle
/// later, was taken by the round, but the service refused the take (its
/// image was not in RAM), so the RAM the round counted as taken was free
/// for a later entry: `fcfs` had ended the round before it. Now a cold
/// start never evicts its own image (`tests/eviction.rs`).
#[test]
fn shrunk_case_of_a_container_started_on_its_evicted_image() {
    let s = Pressure {
        nodes: 2,
        idle_ms: 300,
        functions: vec![(1, 256, 1), (2, 700, 1), (0, 128, 1), (0, 128, 1), (0, 128, 1)],
        bursts: vec![(5, 169, 18), (0, 169, 40)],
        streams: vec![(1, 85, 13)],
        ..Pressure::plain()
    };
    check_pressure(&s, 3).unwrap();
}

/// A case the property found (shrunk by hand, with failures, prewarms and
/// sandboxes forced in the generator; it needs no sandbox): `node[1]`,
/// which held `f0`'s prewarmed containers, fails for good at 502 ms,
/// after a round (at 501 ms, a prewarm's end) that decided nothing with
/// slots left. The next arrival's round went on from that walk, which
/// still saw `node[1]` up: it copied `f1`'s image there, a copy dropped,
/// and the request waited for `node[2]`'s copy and the container of the
/// first request (a warm start at 10.1 s), where a full round copied the
/// image to `node[3]` at once. Now a node's failure makes the next round
/// walk the whole list: both requests start cold, each on its own node.
#[test]
fn shrunk_case_of_a_round_resumed_across_a_node_failure() {
    let s = Pressure {
        nodes: 3,
        cores: 1,
        idle_ms: 300,
        prewarm: Some((0, 2)),
        failure: Some((502, None)),
        functions: vec![(0, 128, 1), (1, 128, 1)],
        streams: vec![(1, 3, 2)],
        ..Pressure::plain()
    };
    let dir = support::Scratch::new("rounds-resumed-across-a-failure");
    let path = dir.join("pressure.sls");
    let text = pressure_script(&s);
    std::fs::write(&path, &text).expect("the script");
    let rows = rows_both_ways(&dir, &path, &text);
    let placed = columns(&rows, &[8, 11]);
    assert_eq!(placed, [["node[2]", "cold"], ["node[3]", "cold"]], "{rows}");
}

/// A case the pressure property found (shrunk) once a placement registered
/// through the library joined the schedulers: a pick that answers from
/// the date (`support::registered::WANDERER`). At 6.449 s its round
/// claimed the one free slot for f0's invocation 0, which waits for its
/// image, and ended there; the shortcuts took that for a round that
/// found no slot and skipped the rounds of the next arrivals, where full
/// rounds asked again: at 6.792 s the pick let invocation 0 wait and sent
/// invocation 6 to the slot. It ran at 10.008 s instead.
#[test]
fn shrunk_case_of_a_pick_that_answers_otherwise_next_round() {
    let s = Pressure {
        cores: 2,
        scheduler: support::registered::WANDERER,
        functions: vec![(1, 128, 1), (0, 128, 1), (0, 128, 1), (0, 128, 1), (0, 128, 1)],
        bursts: vec![(5, 104, 1)],
        streams: vec![(1, 1, 7)],
        ..Pressure::plain()
    };
    let dir = support::Scratch::new("rounds-wanderer");
    let text = pressure_script(&s);
    let path = dir.join("case.sls");
    std::fs::write(&path, &text).expect("the script");
    let rows = rows_both_ways(&dir, &path, &text);
    // id, submit, dispatch
    let six = columns(&rows, &[0, 3, 4])
        .into_iter()
        .find(|r| r[0] == "6")
        .expect("invocation 6");
    assert_eq!(six[1..], ["6.742308904", "6.792363981"]);
}

/// Hand-shrunk from a differential of `consistent_hash` on many nodes,
/// where a walk runs long and what rounds learn of the nodes over the
/// bound is kept from round to round (`consistent_hash/over.rs`): seen
/// failing with a bug put in by hand each, the rounds' claims not logged
/// as nodes that may come under, the slots given back not logged.
#[test]
fn nodes_over_the_bound_are_kept_with_every_node_that_may_come_under() {
    let platform = Differential {
        nodes: 249,
        cores: 4,
        ram: "16GB",
        disk: "100GB",
        read: "100MBps",
        core_link: "10000MBps",
        local_links: "1GBps",
    };
    let text = platform.script(
        r#"serverless faas {
  head head:"/"
  compute node[*]
  scheduler consistent_hash(1.0)
  slots 3
  container_startup 2s
  eviction ram
  idle_timeout 60000ms
  image_downloads off
}
image i0 { size 0MB; ram 100MB; from repo }
function f0 { image i0; limits { ram 256MB }; body { sleep uniform(50ms, 3s) } }
workload {
  invoke f0 at 515ms burst 232
  invoke f0 at 190ms burst 253
  invoke f0 poisson 98/s count 730
  invoke f0 poisson 1780/s count 655
}
"#,
    );
    script_both_ways("over-the-bound", &text);
}

/// Hand-shrunk from a differential of `consistent_hash` crowds waiting on
/// copies at nodes of several slots, each entry walked to the next node
/// under the bound (`consistent_hash/crowd.rs`): seen failing with a bug
/// put in by hand each, the run claiming at nodes where the entry would
/// not only wait, the capacity not read again as the run's claims grow it.
#[test]
fn crowds_at_the_bound_are_decided_as_the_round_walks_them() {
    let platform = Differential {
        nodes: 3,
        cores: 4,
        ram: "6GB",
        disk: "100GB",
        read: "100MBps",
        core_link: "10000MBps",
        local_links: "1GBps",
    };
    let text = platform.script(
        r#"serverless faas {
  head head:"/"
  compute node[*]
  scheduler consistent_hash(1.1)
  slots 2
  container_startup 0ms
  eviction lru
  idle_timeout 60000ms
  image_downloads on
}
image i1 { size 300MB; ram 400MB; from repo }
function f0 { image i1; limits { ram 256MB; concurrency 3 }; body { sleep uniform(50ms, 3s) } }
workload {
  invoke f0 at 3245ms burst 5
}
"#,
    );
    script_both_ways("crowd-at-the-bound", &text);
}

/// Runs that stall (`stalls::a_run_that_only_loads_images_back_and_
/// forth_ends`: `balanced` loading two images over each other into a
/// node's RAM while an autoscaler's idle containers hold the room; and
/// `least_loaded` so for prewarm requests alone) stall alike with full
/// rounds: the same loads, the same stall, the same invocations left as
/// `not_run`.
#[test]
fn a_stall_of_loads_back_and_forth_is_the_same_with_full_rounds() {
    script_both_ways(
        "stall-loads-back-and-forth",
        include_str!("stalls/balanced_loads_back_and_forth.sls"),
    );
    script_both_ways(
        "stall-loads-for-prewarms",
        include_str!("stalls/least_loaded_prewarms_back_and_forth.sls"),
    );
}

/// Hand-shrunk from a differential of `random` on more nodes than a word
/// holds, a round of fewer entries than words judging only the nodes it
/// draws (`Random::find_quiet`): seen failing with a bug put in by hand,
/// such a round counting nodes as inert that it never judged (it then
/// ended before deciding its entries).
#[test]
fn random_rounds_of_few_entries_judge_the_nodes_they_draw() {
    let platform = Differential {
        nodes: 129,
        cores: 4,
        ram: "2GB",
        disk: "3GB",
        read: "100MBps",
        core_link: "50MBps",
        local_links: "1GBps",
    };
    let text = platform.script(
        r#"serverless faas {
  head head:"/"
  compute node[*]
  scheduler random(2)
  slots 20
  container_startup 0ms
  eviction size
  idle_timeout 300ms
  image_downloads on
}
image i0 { size 0MB; ram 100MB; from repo }
function f2 { image i0; limits { ram 700MB }; body { sleep uniform(50ms, 3s) } }
workload {
  invoke f2 at 2398ms burst 2
}
"#,
    );
    script_both_ways("random-few-entries", &text);
}

/// `bench/queue-kpa.sls` under `random`, shrunk: an autoscaler's prewarm
/// requests wait among a queue the RAM cannot start, on nodes of many
/// slots. Once a round has found every node inert, and each keeps a free
/// slot to the round's end, only the prewarm requests decide
/// (`Random::prewarms_only`): seen failing with a bug put in by hand,
/// every other prewarm request left undecided there. Every arrival is
/// in the rows.
#[test]
fn random_rounds_past_the_inert_nodes_decide_the_prewarm_requests() {
    let platform = Differential {
        nodes: 3,
        cores: 100,
        ram: "2GB",
        disk: "100GB",
        read: "1GBps",
        core_link: "1GBps",
        local_links: "1GBps",
    };
    let text = platform.script(
        r#"serverless faas {
  head head:"/"
  compute node[*]
  scheduler random(3)
  slots 1000
  idle_timeout 1h
  autoscaler kpa { target 1; max 20 }
}
image img { size 100MB; ram 1GB }
function f { image img; limits { ram 1GB }; body { sleep 1s } }
workload { invoke f at 0s burst 300 }
"#,
    );
    let dir = support::Scratch::new("rounds-random-prewarms");
    let path = dir.join("random-prewarms.sls");
    std::fs::write(&path, &text).expect("the script");
    let rows = rows_both_ways(&dir, &path, &text);
    assert_eq!(rows.lines().count(), 1 + 300, "a row per invocation");
}

/// Hand-shrunk from a differential of `consistent_hash` with an
/// autoscaler's prewarm requests waiting on a platform out of RAM, where
/// a round ends once every node within reach refuses a new container,
/// naming the prewarm requests it passed (`doomed::refuse`): seen failing
/// with a bug put in by hand, the round naming every entry left rather
/// than those the free slots take before it runs out.
#[test]
fn consistent_hash_refuses_prewarm_requests_up_to_the_last_free_slot() {
    let platform = Differential::drawn(1, 8, "2GB", "50MBps");
    let text = platform.script(
        r#"serverless faas {
  head head:"/"
  compute node[*]
  scheduler consistent_hash(1.0)
  container_startup 5s
  eviction size
  idle_timeout 2000ms
  image_downloads on
  autoscaler kpa { target 2; max 30; tick 1s }
}
image i1 { size 300MB; ram 400MB; from repo }
image i2 { size 1000MB; ram 600MB; from repo }
function f2 { image i1; limits { ram 128MB }; body { sleep uniform(50ms, 3s) } }
function f3 { image i2; limits { ram 256MB }; body { sleep uniform(50ms, 3s) } }
workload {
  invoke f3 at 2203ms burst 3
  invoke f2 poisson 139/s count 983
}
"#,
    );
    script_both_ways("prewarms-refused-to-the-last-slot", &text);
}

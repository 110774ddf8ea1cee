//! A replayed trace runs as the same arrivals written in the script: rows
//! of several functions at dates and with sleeps on a quarter-second grid
//! (so that arrivals, ends and copies tie), under each scheduler, keep-alive
//! (built in and written), eviction and autoscaler, with containers shared
//! under a CPU quota, bodies that compute, and a node failing, replayed
//! `as` a template and listed as `invoke F at T with { duration; memory }`
//! (one function declared per name), write the same `invocations.csv`
//! byte for byte. The two once differed in 42 of 100 runs of the
//! schedulers alone: while a replay had rows to come, the engine shared
//! changes at every event and after every row, where a stream's arrivals
//! at one date, and the events due then, go before any share; ties at
//! later dates went otherwise. The replay also runs alike with
//! every request decided in a full round (`RunOptions::rounds_only`): the
//! schedulers' shortcuts, fuzzed on scripts without replays, hold with
//! them.

use crate::support;

use std::fmt::Write;

use proptest::prelude::*;

/// A trace: per function its memory (MB), and rows (date in quarter
/// seconds, function, sleep in quarter seconds), sorted by date.
#[derive(Debug, Clone)]
struct Trace {
    nodes: u8,
    ram_gb: u8,
    cores: u8,
    scheduler: &'static str,
    keep_alive: &'static str,
    eviction: &'static str,
    autoscaler: &'static str,
    /// A failure of the first node: from and for, in quarter seconds (the
    /// start a tenth of a second off the grid: a row at a failure's date
    /// goes before it when replayed, after it when listed, as both are
    /// scheduled).
    failure: Option<(u32, u32)>,
    /// `limits { concurrency }` and its `cpu`, and the body.
    concurrency: u8,
    cpu: &'static str,
    body: &'static str,
    memories: Vec<u32>,
    rows: Vec<(u32, usize, u32)>,
}

fn trace() -> impl Strategy<Value = Trace> {
    let platform = (1u8..4, 1u8..5, prop::sample::select(vec![1u8, 2, 4]));
    let policies = (
        prop::sample::select(vec![
            "fcfs",
            "random(3)",
            "balanced",
            "least_loaded",
            "round_robin",
            "openwhisk",
            "consistent_hash(1.25)",
            "greedy",
        ]),
        prop::sample::select(vec![
            "idle_timeout 0s",
            "idle_timeout 2s",
            "idle_timeout 10s",
            "keep_alive hybrid",
            "keep_alive none",
            "keep_alive window",
        ]),
        prop::sample::select(vec!["lru", "ram", "greedy_dual"]),
        prop::sample::select(vec!["", "; autoscaler kpa", "; autoscaler hpa"]),
    );
    let functions = (
        prop::option::weighted(0.3, (1u32..40, 1u32..20)),
        prop::sample::select(vec![1u8, 1, 2, 4]),
        prop::sample::select(vec!["", "; cpu 1", "; cpu 0.5"]),
        prop::sample::select(vec![
            "sleep trace.duration",
            "sleep trace.duration; compute 200Mf",
            "compute 300Mf; sleep trace.duration",
        ]),
        prop::collection::vec(prop::sample::select(vec![128u32, 256, 512, 700]), 1..5),
    );
    (platform, policies, functions).prop_flat_map(
        |(
            (nodes, ram_gb, cores),
            (scheduler, keep_alive, eviction, autoscaler),
            (failure, concurrency, cpu, body, memories),
        )| {
            let count = memories.len();
            prop::collection::vec((0u32..120, 0..count, 0u32..17), 5..100).prop_map(move |mut rows| {
                rows.sort_by_key(|row| row.0);
                Trace {
                    nodes,
                    ram_gb,
                    cores,
                    scheduler,
                    keep_alive,
                    eviction,
                    autoscaler,
                    failure,
                    concurrency,
                    cpu,
                    body,
                    memories: memories.clone(),
                    rows,
                }
            })
        },
    )
}

fn declarations(t: &Trace) -> String {
    let failure = t.failure.map_or(String::new(), |(at, length)| {
        format!(
            "  fail host node[1] at {}s for {}s\n",
            quarters(at) + 0.1,
            quarters(length)
        )
    });
    format!(
        r#"platform {{
  host head {{ speed 10Gf/s; cores 1; ram 16GB; disk "/" {{ size 5000GiB; read 100MBps; write 100MBps }} }}
  host node[1..{nodes}] {{ speed 1Gf/s; cores {cores}; ram {ram}GB; disk "/" {{ size 5000GiB; read 100MBps; write 100MBps }} }}
  link local[1..{nodes}] {{ bandwidth 1Gbps; latency 1ms }}
  route head <-> node[i] via local[i]
{failure}}}
storage repo on head:"/"
keep_alive window {{ idle if(above(count(idle_times(function, 1h)), 0), clamp(percentile(idle_times(function, 1h), 99%), 1s, 5s), 2s) }}
serverless faas {{ head head:"/"; compute node[*]; container_startup 500ms; {keep_alive}; scheduler {scheduler}; eviction {eviction}{autoscaler} }}
image runtime {{ size 100MB; ram 100MB; from repo }}
"#,
        nodes = t.nodes,
        cores = t.cores,
        ram = t.ram_gb,
        keep_alive = t.keep_alive,
        scheduler = t.scheduler,
        eviction = t.eviction,
        autoscaler = t.autoscaler,
    )
}

/// A function's block, named `name`.
fn function(t: &Trace, name: &str) -> String {
    format!(
        "function {name} {{ image runtime; limits {{ time 1min; ram trace.memory; concurrency {}{} }}; body {{ {} }} }}\n",
        t.concurrency, t.cpu, t.body
    )
}

/// A quarter-second count as seconds, written exactly.
fn quarters(n: u32) -> f64 {
    f64::from(n) / 4.0
}

/// `invocations.csv` of the script `text`, run in `dir` (every request
/// decided in a full round if `rounds_only`).
fn invocations(dir: &std::path::Path, name: &str, text: &str, rounds_only: bool) -> Result<String, TestCaseError> {
    let path = dir.join(format!("{name}.sls"));
    std::fs::write(&path, text).expect("the script");
    let program = support::scenario::checked(&path, text)?;
    let model = &program.points[0].model;
    let out = dir.join(format!("out-{name}"));
    let options = sls::serverless::RunOptions {
        rounds_only,
        ..Default::default()
    };
    sls::driver::run_to_end(model, model.seed, &options, &out).expect("the run completes");
    Ok(std::fs::read_to_string(out.join("invocations.csv")).expect("invocations.csv"))
}

fn check_alike(t: &Trace) -> Result<(), TestCaseError> {
    let dir = support::Scratch::new("replay-as-list");
    let declared = declarations(t);
    let mut csv = String::from("time,function,duration,memory\n");
    let mut listed = declared.clone();
    for f in 0..t.memories.len() {
        listed.push_str(&function(t, &format!("f{f}")));
    }
    listed.push_str("workload {\n");
    for &(at, f, sleep) in &t.rows {
        let (at, sleep, memory) = (quarters(at), quarters(sleep), t.memories[f]);
        let _ = writeln!(csv, "{at},f{f},{sleep},{memory}");
        let _ = writeln!(
            listed,
            "  invoke f{f} at {at}s with {{ duration {sleep}s; memory {memory}MB }}"
        );
    }
    listed.push_str("}\n");
    std::fs::write(dir.join("rows.csv"), &csv).expect("the trace");
    let replayed = format!(
        "{declared}{}workload {{ replay csv \"rows.csv\" as work }}\n",
        function(t, "work")
    );
    let in_rounds = invocations(&dir, "in-rounds", &replayed, true)?;
    let replayed = invocations(&dir, "replayed", &replayed, false)?;
    let listed = invocations(&dir, "listed", &listed, false)?;
    prop_assert_eq!(&replayed, &in_rounds, "the shortcuts decide otherwise than full rounds");
    prop_assert_eq!(replayed.lines().count(), t.rows.len() + 1, "one row per trace row");
    prop_assert_eq!(replayed, listed, "{:?}", t);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn a_replay_runs_as_its_rows_listed(t in trace()) {
        check_alike(&t)?;
    }
}

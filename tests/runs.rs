//! Running the example programs. Every program reproducing a WRENCH test
//! (`examples/wrench/`) must give the dates its `// expect:` lines state
//! (WRENCH's own expectations, within 0.01 s unless stated), and its
//! invocations are snapshotted; every other example's summary is
//! snapshotted. A second run must give the same bytes.

use crate::support;

use std::path::Path;

use sls::serverless::RunOptions;

/// Runs a program (its first sweep point, first repetition) into a fresh folder.
fn run(path: &Path, tag: &str) -> support::Scratch {
    run_with(path, tag, &RunOptions::default())
}

fn run_with(path: &Path, tag: &str, options: &RunOptions) -> support::Scratch {
    let checked = support::check_file(path);
    let program = match checked.program {
        Ok(p) => p,
        Err(d) => panic!("{}", d.render(&checked.sources, false, 80)),
    };
    let name = support::relative(path).display().to_string().replace(['/', '.'], "_");
    let dir = support::Scratch::new(&format!("runs-{tag}-{name}"));
    let model = &program.points[0].model;
    sls::driver::run_to_end(model, model.seed, options, &dir).expect("the run completes");
    dir
}

/// Runs a program with the rounds' shortcuts and again with every request
/// decided by a full round (`RunOptions::rounds_only`): the shortcut run's
/// folder, and the output files whose bytes differ between the two.
fn shortcut_against_rounds(path: &Path) -> (support::Scratch, Vec<&'static str>) {
    let rounds_only = RunOptions {
        rounds_only: true,
        ..RunOptions::default()
    };
    let fast = run(path, "shortcut");
    let slow = run_with(path, "rounds", &rounds_only);
    let read = |dir: &Path, file: &str| std::fs::read_to_string(dir.join(file)).expect("output file");
    let differ = ["invocations.csv", "summary.json"]
        .into_iter()
        .filter(|file| read(&fast, file) != read(&slow, file))
        .collect();
    (fast, differ)
}

/// Writes `text` to `path` and runs it both ways
/// ([`shortcut_against_rounds`]), asserting the same bytes: the shortcut
/// run's invocation rows, split into cells.
fn rows_same_either_way(path: &Path, text: &str) -> Vec<Vec<String>> {
    std::fs::write(path, text).expect("script written");
    let (fast, differ) = shortcut_against_rounds(path);
    assert!(differ.is_empty(), "{}: {differ:?} differ", path.display());
    let csv = std::fs::read_to_string(fast.join("invocations.csv")).expect("csv");
    csv.lines()
        .skip(1)
        .map(|line| line.split(',').map(str::to_owned).collect())
        .collect()
}

/// The platform of the burst tests: a head and `nodes` compute nodes of
/// `cores` cores, each behind its own link and a core link of bandwidth
/// `core` that all copies from the head share, under an `fcfs` service
/// with `settings` (`;`-separated); images `big` and `small` on the head.
fn copying_platform(nodes: usize, cores: &str, core: &str, settings: &str) -> String {
    format!(
        r#"
platform {{
  host head {{ speed 10Gf/s; cores 8; disk "/" {{ size 100TB; read 100GBps; write 100GBps }} }}
  host node[1..{nodes}] {{ speed 1Gf/s; cores {cores}; ram 64GB; disk "/" {{ size 100GB; read 1GBps; write 1GBps }} }}
  link core {{ bandwidth {core}; latency 100us }}
  link local[1..{nodes}] {{ bandwidth 100MBps; latency 10us }}
  route head <-> node[i] via core, local[i]
}}
serverless faas {{
  head head:"/"
  compute node[*]
  scheduler fcfs
  {settings}
}}
image big {{ size 200MB; ram 1GB }}
image small {{ size 20MB; ram 512MB }}
"#
    )
}

/// The rows dispatched over a second after their submission (columns 4
/// and 3): requests that waited for their image.
fn waited_over_a_second(rows: &[Vec<String>]) -> usize {
    let number = |cells: &[String], k: usize| cells[k].parse::<f64>().unwrap_or(0.0);
    rows.iter()
        .filter(|cells| number(cells, 4) - number(cells, 3) > 1.0)
        .count()
}

#[test]
fn wrench_examples_give_wrench_dates() {
    insta::glob!("../examples", "wrench/*.sls", |path| {
        let dir = run(path, "a");
        let csv = std::fs::read_to_string(dir.join("invocations.csv")).expect("invocations.csv");
        let program = std::fs::read_to_string(path).expect("program");
        let wrong = support::expect::mismatches(&program, &support::expect::read_rows(&csv));
        assert!(wrong.is_empty(), "{}:\n{}", path.display(), wrong.join("\n"));
        insta::assert_snapshot!(csv);
        let again = run(path, "b");
        assert_eq!(
            csv,
            std::fs::read_to_string(again.join("invocations.csv")).expect("csv"),
            "same script, same bytes"
        );
    });
}

#[test]
fn other_examples_run() {
    insta::glob!(
        "../examples",
        "{*.sls,traces/*.sls,sand/*.sls,patterns/*.sls,policies/*.sls}",
        |path| {
            let dir = run(path, "s");
            let summary = std::fs::read_to_string(dir.join("summary.json")).expect("summary.json");
            insta::assert_snapshot!(summary);
        }
    );
}

/// Replays `trace` (a CSV trace, header included) as one function whose
/// body is `body`, on one 16 GB node, into `dir/out`: the run's summary.
fn replay_on_one_node(dir: &Path, trace: &str, body: &str) -> sls::report::Summary {
    std::fs::write(dir.join("trace.csv"), trace).expect("trace");
    let script = dir.join("replay.sls");
    let text = format!(
        r#"platform {{
  host gw {{ speed 1Gf/s; disk "/" {{ size 1TB; read 100MBps; write 100MBps }} }}
  host n {{ speed 1Gf/s; cores 4; ram 16GB; disk "/" {{ size 1TB; read 100MBps; write 100MBps }} }}
  link l {{ bandwidth 1GBps; latency 1ms }}
  route gw <-> n via l
}}
serverless faas {{ head gw:"/"; compute n }}
image img {{ size 0B }}
function t {{ image img; limits {{ ram trace.memory }}; body {{ {body} }} }}
workload {{ replay csv "trace.csv" as t }}
"#
    );
    std::fs::write(&script, &text).expect("script");
    let checked = sls::check::check(&script, text, &Default::default());
    let program = checked
        .program
        .unwrap_or_else(|d| panic!("{}", d.render(&checked.sources, false, 80)));
    let model = &program.points[0].model;
    sls::driver::run_to_end(model, 0, &RunOptions::default(), &dir.join("out")).expect("run")
}

/// A trace function too large for the nodes: its invocations fail with
/// `cannot_fit` and the run says so, instead of waiting forever.
#[test]
fn trace_functions_that_can_never_fit_are_reported() {
    let dir = support::Scratch::new("runs-unfit");
    let summary = replay_on_one_node(
        &dir,
        "time,function,duration,memory\n0,small,1,128\n0.5,huge,1,200000\n1,huge,1,200000\n",
        "sleep trace.duration",
    );
    assert_eq!(summary.totals.invocations, 3);
    assert_eq!(summary.totals.succeeded, 1);
    assert_eq!(summary.totals.failures.len(), 1);
    assert_eq!(summary.totals.failures[0].cause, "cannot_fit");
    assert_eq!(summary.warnings.len(), 1, "{:?}", summary.warnings);
    assert!(
        summary.warnings[0].starts_with("2 invocations of `huge` failed with cannot_fit"),
        "{}",
        summary.warnings[0]
    );
}

/// Twelve trace functions too large, one invocation each but the last
/// with two: ten are named a line each, the other two counted in one line
/// (a trace of twenty thousand printed twenty thousand lines); each is
/// still counted by function in the summary.
#[test]
fn many_functions_that_cannot_fit_are_named_ten_at_most() {
    let dir = support::Scratch::new("runs-unfit-many");
    let mut trace = String::from("time,function,duration,memory\n");
    for i in 0..12 {
        trace.push_str(&format!("{i},huge{i:02},1,200000\n"));
    }
    trace.push_str("12,huge11,1,200000\n");
    let summary = replay_on_one_node(&dir, &trace, "sleep trace.duration");
    assert_eq!(summary.totals.invocations, 13);
    assert_eq!(summary.warnings.len(), 11, "{:?}", summary.warnings);
    assert!(summary.warnings[0].starts_with("1 invocation of `huge00` failed with cannot_fit"));
    assert!(summary.warnings[9].starts_with("1 invocation of `huge09` failed with cannot_fit"));
    assert!(
        summary.warnings[10].starts_with("3 invocations of 2 more functions failed with cannot_fit"),
        "{}",
        summary.warnings[10]
    );
    let failed: Vec<u64> = summary.functions.iter().map(|f| f.outcomes.failed).collect();
    assert_eq!(failed, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]);
}

/// A refused arrival (its trace function can never fit a node) draws no
/// seed: the replay's other invocations draw what they would without it
/// (each arrival's seed is made on the trace's reading thread, counting
/// only the invocations that run).
#[test]
fn refused_trace_arrivals_draw_no_seed() {
    let dates = |rows: &str, tag: &str| -> Vec<String> {
        let dir = support::Scratch::new(&format!("runs-unfit-seeds-{tag}"));
        replay_on_one_node(&dir, &format!("time,function,memory\n{rows}"), "sleep exponential(1s)");
        let csv = std::fs::read_to_string(dir.join("out/invocations.csv")).expect("invocations.csv");
        // The small function's dates: submit, dispatch, start, end, finish.
        csv.lines()
            .filter(|row| row.split(',').nth(1) == Some("small"))
            .map(|row| row.split(',').skip(3).take(5).collect::<Vec<_>>().join(","))
            .collect()
    };
    let alone: String = (0..20).map(|i| format!("{i},small,128\n")).collect();
    let refused: String = (0..20).map(|i| format!("{i},huge,200000\n{i},small,128\n")).collect();
    let alone = dates(&alone, "alone");
    assert_eq!(alone.len(), 20);
    assert_eq!(alone, dates(&refused, "refused"));
}

/// A busy platform for the scheduling shortcut: few slots and little RAM,
/// so that some requests are placed at once and others wait, cold starts
/// evict idle containers, a prewarmed one is taken, idle timeouts expire.
const CROWDED: &str = r#"
platform {
  host gateway { speed 10Gf/s; cores 8; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..6] { speed 1Gf/s; cores 2; ram 1GB; disk "/" { size 10GB; read 1GBps; write 1GBps } }
  link lan[1..6] { bandwidth 10Gbps; latency 10us }
  route gateway <-> node[i] via lan[i]
}
serverless faas {
  head gateway:"/"
  compute node[*]
  scheduler fcfs
  container_startup 300ms
  idle_timeout 5s
  image_downloads off
  eviction EVICTION
  SANDBOX
  SLOTS
  prewarm f1 2
}
image small { size 0B; ram 0B }
function f1 { image small; app one; limits { ram 300MB }; body { sleep uniform(50ms, 2s) } }
function f2 { image small; app two; limits { ram 450MB }; body { sleep exponential(400ms) } }
function f3 { image small; app one; limits { ram 200MB }; body { sleep lognormal(300ms, 0.8) } }
workload {
  invoke f1 poisson 5/s for 2min
  invoke f2 poisson 3/s for 2min
  invoke f3 at 30s poisson 6/s for 1min
}
"#;

/// A queue that outgrows the free slots of the nodes with its image in
/// RAM (`bench/queue.sls` in small): the overflow copies the image to the
/// next node while rounds pass the entries that fill the first ones
/// (`doomed.rs`); a second function with the same image joins for a
/// while, and containers that take several invocations at once may take
/// entries a round passed.
const OVERFLOW: &str = r#"
platform {
  host head { speed 10Gf/s; cores 8; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..5] { speed 1Gf/s; cores 100; ram 4GB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link l[1..5] { bandwidth 1GBps; latency 10us }
  route head <-> node[i] via l[i]
}
serverless faas {
  head head:"/"
  compute node[*]
  scheduler fcfs
  slots 200
  idle_timeout 1h
}
image img { size 100MB; ram 1GB }
function f { image img; limits { ram 1GB; CONCURRENCY }; body { sleep 1s } }
function g { image img; limits { ram 1GB }; body { sleep 500ms } }
workload {
  invoke f poisson 100/s for 30s
  invoke g at 10s poisson 20/s for 5s
}
"#;

/// Cold image pulls crowding one core link (`bench/pull.sls`, small):
/// hundreds of requests wait on copies and loads at once, so that a
/// round meets long runs of alike requests waiting on transfers (decided
/// as a whole, `overlay/alike.rs`); arrivals beyond the slots, nodes with
/// slots to spare (CORES), and a second function (EXTRA) whose requests
/// interleave with the first's.
const PULLS: &str = r#"
platform {
  host head { speed 10Gf/s; cores 8; disk "/" { size 100TB; read 100GBps; write 100GBps } }
  host node[1..120] { speed 1Gf/s; cores CORES; ram 4GB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link core { bandwidth 1GBps; latency 100us }
  link local[1..120] { bandwidth 100MBps; latency 10us }
  route head <-> node[i] via core, local[i]
  network lv08
}
serverless faas {
  head head:"/"
  compute node[*]
  scheduler fcfs
  container_startup 1s
  idle_timeout 20s
}
image big { size 100MB; ram 1GB }
image other { size 50MB; ram 1GB }
function f { image big; limits { ram 1GB }; body { sleep 30s } }
function g { image other; limits { ram 1GB }; body { sleep 5s } }
workload {
  invoke f every 10ms count 400
  EXTRA
}
"#;

/// A platform out of RAM and disk long before slots: layered images
/// cached on small disks, idle containers to evict, arrivals beyond what
/// runs at once, so that rounds meet long queues of cold starts that the
/// nodes refuse (a round may end at the first of them, `doomed.rs`).
const LAYERED: &str = r#"
platform {
  host gateway { speed 10Gf/s; cores 8; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..4] { speed 1Gf/s; cores 2; ram 2GB; disk "/" { size 20GB; read 1GBps; write 1GBps } }
  link lan[1..4] { bandwidth 1GBps; latency 10us }
  route gateway <-> node[i] via lan[i]
}
serverless faas {
  head gateway:"/"
  compute node[*]
  scheduler fcfs
  container_startup 300ms
  idle_timeout 3s
  slots 100
  eviction EVICTION
}
layer os     { size 300MB; ram 100MB }
layer python { size 500MB; ram 200MB }
layer torch  { size 900MB; ram 400MB }
image small  { layers [os, python] }
image big    { layers [os, python, torch] }
function f1 { image small; limits { ram 300MB }; body { sleep uniform(200ms, 2s) } }
function f2 { image big; limits { ram 700MB }; body { sleep exponential(1s) } }
function f3 { image small; limits { ram 500MB; disk 200MB }; body { sleep lognormal(300ms, 0.8) } }
workload {
  invoke f1 poisson 8/s for 1min
  invoke f2 at 10s poisson 3/s for 40s
  invoke f3 at 20s poisson 5/s for 30s
}
"#;

/// [`LAYERED`] on nodes whose RAM and disk both run short for a new
/// container while no cached layer is unpinned in RAM but one is on disk
/// (the big image's last layer, unloaded): room-making once picked that
/// layer to free RAM, freed nothing, and picked it again forever, at one
/// simulated date and deaf to SIGTERM. Every container fits a node alone
/// (the big image: 1.7 GB of 1.8 GB disk, 700 MB + 700 MB of 1.5 GB RAM),
/// so as in WRENCH each invocation waits until room is made and runs. The
/// real binary, killed if it has not ended in a minute (it takes
/// milliseconds): every arrival (8 of f1 at 0..0.875 s, 4 of f2 at
/// 1..1.999 s, 5 of f3 at 2..2.8 s) appears once and succeeds.
#[test]
fn room_made_on_a_node_short_of_ram_and_disk_ends() {
    let dir = support::Scratch::new("runs-disk-thrash");
    let script = dir.join("thrash.sls");
    let text = LAYERED
        .replace(
            "ram 2GB; disk \"/\" { size 20GB",
            "ram 1500MB; disk \"/\" { size 1800MB",
        )
        .replace("EVICTION", "lru")
        .replace("poisson 8/s for 1min", "every 125ms for 1s")
        .replace("at 10s poisson 3/s for 40s", "at 1s every 333ms for 1s")
        .replace("at 20s poisson 5/s for 30s", "at 2s every 200ms for 1s");
    assert!(text.contains("size 1800MB") && !text.contains("poisson"), "{text}");
    std::fs::write(&script, text).expect("the script");
    let out = dir.join("out");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sls"))
        .args(["run", "-q", "--out"])
        .args([&out, &script])
        .spawn()
        .expect("the sls binary runs");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let status = loop {
        if let Some(status) = child.try_wait().expect("the run can be waited for") {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the run did not end within a minute");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert!(status.success(), "{status}");
    let csv = std::fs::read_to_string(out.join("invocations.csv")).expect("invocations.csv");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().expect("a header").split(',').collect();
    let column = |name: &str| header.iter().position(|c| *c == name).expect(name);
    let (id, function, status) = (column("id"), column("function"), column("status"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let mut ids: Vec<u64> = rows.iter().map(|r| r[id].parse().expect("an id")).collect();
    ids.sort_unstable();
    assert_eq!(ids, (0..17).collect::<Vec<u64>>(), "each arrival exactly once");
    let count = |name: &str| rows.iter().filter(|r| r[function] == name).count();
    assert_eq!((count("f1"), count("f2"), count("f3")), (8, 4, 5));
    assert!(rows.iter().all(|r| r[status] == "success"), "{csv}");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).expect("summary.json"))
            .expect("summary.json is JSON");
    assert_eq!(
        (&summary["invocations"], &summary["succeeded"], &summary["failed"]),
        (&17.into(), &17.into(), &0.into()),
        "{summary}"
    );
}

/// A request that finds nobody waiting and that the scheduler places at
/// once skips its scheduling round (`Scheduler::place_alone`). That must
/// be exactly what the round decides, and so must a round that ends where
/// what is left could only be refused (`doomed.rs`, and `refused.rs` for
/// the policies that choose a node per request): every example, and
/// crowded platforms under both eviction policies, sandbox granularities,
/// slots or RAM and disk as the limit, give the same bytes with every
/// request decided by a full round.
#[test]
fn placing_at_once_is_what_a_round_decides() {
    let scratch = support::Scratch::new("runs-rounds");
    let mut scripts = Vec::new();
    for eviction in ["lru", "ram"] {
        for sandbox in ["", "sandbox per_application"] {
            // Slots as many as cores, or RAM the limit.
            for slots in ["", "slots 100"] {
                let path = scratch.join(format!("crowded-{eviction}-{}-{}.sls", sandbox.len(), slots.len()));
                let text = CROWDED
                    .replace("EVICTION", eviction)
                    .replace("SANDBOX", sandbox)
                    .replace("SLOTS", slots);
                std::fs::write(&path, text).expect("script written");
                scripts.push(path);
            }
        }
        let path = scratch.join(format!("layered-{eviction}.sls"));
        std::fs::write(&path, LAYERED.replace("EVICTION", eviction)).expect("script written");
        scripts.push(path);
    }
    // An application whose functions have different images: the idle
    // sandbox a request finds at once may lack its image (a round's
    // dispatch is then dropped, and the request waits).
    let path = scratch.join("crowded-images.sls");
    let text = CROWDED
        .replace("EVICTION", "lru")
        .replace("SANDBOX", "sandbox per_application")
        .replace("SLOTS", "")
        .replace("function f3 { image small", "function f3 { image other")
        .replace("image small {", "image other { size 10MB; ram 10MB }\nimage small {");
    std::fs::write(&path, text).expect("script written");
    scripts.push(path);
    let overflow = scripts.len();
    for concurrency in ["concurrency 1", "concurrency 3"] {
        let path = scratch.join(format!("overflow-{}.sls", &concurrency[12..]));
        std::fs::write(&path, OVERFLOW.replace("CONCURRENCY", concurrency)).expect("script written");
        scripts.push(path);
    }
    let pulls = scripts.len();
    for cores in ["1", "3"] {
        for extra in ["", "invoke g every 35ms count 150"] {
            let path = scratch.join(format!("pulls-{cores}-{}.sls", extra.len()));
            std::fs::write(&path, PULLS.replace("CORES", cores).replace("EXTRA", extra)).expect("script written");
            scripts.push(path);
        }
    }
    // `balanced` under RAM pressure: a long queue of one function (found
    // by rank when dispatched, refusals passed per node), then two
    // functions together.
    let balanced = scripts.len();
    // The last queue twice as long, over several blocks of the waiting
    // set (1,024 positions), dispatched entries among them: a lone
    // registration's entries found by rank across blocks.
    for (concurrency, arrivals) in [
        ("concurrency 1", "30s"),
        ("concurrency 3", "30s"),
        ("concurrency 1", "60s"),
    ] {
        let path = scratch.join(format!("overflow-balanced-{}-{arrivals}.sls", &concurrency[12..]));
        let text = OVERFLOW
            .replace("scheduler fcfs", "scheduler balanced")
            .replace("CONCURRENCY", concurrency)
            .replace("poisson 100/s for 30s", &format!("poisson 100/s for {arrivals}"));
        std::fs::write(&path, text).expect("script written");
        scripts.push(path);
    }
    for sandbox in ["", "sandbox per_application"] {
        let path = scratch.join(format!("crowded-balanced-{}.sls", sandbox.len()));
        let text = CROWDED
            .replace("scheduler fcfs", "scheduler balanced")
            .replace("EVICTION", "lru")
            .replace("SANDBOX", sandbox)
            .replace("SLOTS", "slots 100");
        std::fs::write(&path, text).expect("script written");
        scripts.push(path);
    }
    // The policies that hand each entry to a node of their choice, under
    // RAM pressure: a queue of one function on nodes with the image in
    // RAM (a round ends once what is left would be refused wherever it
    // goes, `round_robin` moving its cursor past it; `random` and
    // `consistent_hash` pass nodes where nothing can change, `inert.rs`),
    // containers that take several invocations, prewarm requests, layers
    // to evict, and pulls; and `greedy` (registrations refused since the
    // round's last decision passed unseen). Random orders and nodes draw
    // as the full rounds do.
    let chosen = scripts.len();
    let schedulers = [
        "least_loaded",
        "round_robin",
        "openwhisk",
        "random(7)",
        "consistent_hash(1.25)",
        "greedy { order fcfs; eviction lru; plan eviction_averse }",
        "greedy { order random(3); eviction fewest_evictions; plan random(5) }",
    ];
    for scheduler in schedulers {
        let label: String = scheduler.chars().filter(char::is_ascii_alphanumeric).take(24).collect();
        let with = |text: &str| text.replace("scheduler fcfs", &format!("scheduler {scheduler}"));
        let mut write = |name: String, text: String| {
            let path = scratch.join(format!("{name}-{label}.sls"));
            std::fs::write(&path, text).expect("script written");
            scripts.push(path);
        };
        for concurrency in ["concurrency 1", "concurrency 3"] {
            write(
                format!("overflow-{}", &concurrency[12..]),
                with(OVERFLOW).replace("CONCURRENCY", concurrency),
            );
        }
        let crowded = with(CROWDED).replace("EVICTION", "lru").replace("SANDBOX", "");
        write("crowded".into(), crowded.replace("SLOTS", "slots 100"));
        write("layered".into(), with(LAYERED).replace("EVICTION", "ram"));
        // One core: a crowd waiting on copies, one node each (runs of
        // waits, nodes inert by the service's node sets); two cores and
        // another function: runs past nodes with a slot to spare.
        let g = "invoke g every 35ms count 150";
        for (cores, extra) in [("3", ""), ("3", g), ("1", ""), ("2", g)] {
            let pulls = with(PULLS).replace("CORES", cores).replace("EXTRA", extra);
            write(format!("pulls-{cores}-{}", extra.len()), pulls);
        }
    }
    // Every runnable example: `examples/common/` holds included parts.
    let common = support::root().join("examples/common");
    scripts.extend(
        support::example_scripts()
            .into_iter()
            .filter(|p| !p.starts_with(&common)),
    );
    let mut differ = Vec::new();
    for path in &scripts {
        let (_, files) = shortcut_against_rounds(path);
        differ.extend(files.into_iter().map(|file| format!("{}: {file}", path.display())));
    }
    assert!(differ.is_empty(), "differ:\n{}", differ.join("\n"));
    // The crowded runs take both paths: some requests wait (dispatched
    // after submission), some start cold.
    let csv = std::fs::read_to_string(run(&scripts[0], "check").join("invocations.csv")).expect("csv");
    let rows: Vec<Vec<&str>> = csv.lines().skip(1).map(|l| l.split(',').collect()).collect();
    let waited = rows.iter().filter(|r| r[4] != r[3]).count();
    let cold = rows.iter().filter(|r| r[11] == "cold").count();
    assert!(
        waited > 100 && waited < rows.len() / 2,
        "{waited} of {} waited",
        rows.len()
    );
    assert!(cold > 100, "{cold} cold starts");
    // The pulls: most of the 400 requests wait over a second for their
    // image, many at once; the rest reuse containers (120 nodes).
    let csv = std::fs::read_to_string(run(&scripts[pulls], "pulls").join("invocations.csv")).expect("csv");
    let rows: Vec<Vec<&str>> = csv.lines().skip(1).map(|l| l.split(',').collect()).collect();
    let waited = rows
        .iter()
        .filter(|r| r[4].parse::<f64>().expect("dispatch") - r[3].parse::<f64>().expect("submit") > 1.0)
        .count();
    let warm = rows.iter().filter(|r| r[11] == "warm").count();
    assert!(
        rows.len() == 400 && waited > 200 && warm > 100,
        "{waited} waited, {warm} warm of {}",
        rows.len()
    );
    // The overflow reaches every node: the image is copied node after node.
    let csv = std::fs::read_to_string(run(&scripts[overflow], "overflow").join("invocations.csv")).expect("csv");
    let nodes: std::collections::BTreeSet<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(8).expect("node"))
        .collect();
    assert_eq!(nodes.len(), 5, "nodes used: {nodes:?}");
    // The balanced overflow queues: many requests wait over a second.
    let csv = std::fs::read_to_string(run(&scripts[balanced], "balanced").join("invocations.csv")).expect("csv");
    let rows: Vec<Vec<&str>> = csv.lines().skip(1).map(|l| l.split(',').collect()).collect();
    let waited = rows
        .iter()
        .filter(|r| r[4].parse::<f64>().expect("dispatch") - r[3].parse::<f64>().expect("submit") > 1.0)
        .count();
    assert!(waited > 1000, "{waited} of {} waited over a second", rows.len());
    // Under the other policies too, the queue of the overflow grows.
    for script in scripts[chosen..chosen + 8 * schedulers.len()].iter().step_by(8) {
        let csv = std::fs::read_to_string(run(script, "chosen").join("invocations.csv")).expect("csv");
        let rows: Vec<Vec<&str>> = csv.lines().skip(1).map(|l| l.split(',').collect()).collect();
        let waited = rows
            .iter()
            .filter(|r| r[4].parse::<f64>().expect("dispatch") - r[3].parse::<f64>().expect("submit") > 1.0)
            .count();
        assert!(
            waited > 1000,
            "{}: {waited} of {} waited over a second",
            script.display(),
            rows.len()
        );
    }
}

/// Activities sharing one bottleneck solved as a class (from two of them)
/// give every example, the crowded platforms and a crowd of image pulls
/// through one core link the general solver's dates to 1e-9 (the CSV
/// prints nanoseconds, so a date may differ in its last digit).
#[test]
fn classes_give_the_general_solver_dates() {
    let scratch = support::Scratch::new("runs-classes");
    let mut scripts: Vec<_> = support::example_scripts()
        .into_iter()
        .filter(|p| !p.starts_with(support::root().join("examples/common")))
        .collect();
    let crowded = scratch.join("crowded.sls");
    let text = CROWDED
        .replace("EVICTION", "lru")
        .replace("SANDBOX", "")
        .replace("SLOTS", "");
    std::fs::write(&crowded, text).expect("script written");
    scripts.push(crowded);
    let pulls = scratch.join("pull.sls");
    let text = std::fs::read_to_string(support::root().join("bench/pull.sls")).expect("bench/pull.sls");
    std::fs::write(&pulls, text.replace("param nodes = 2500", "param nodes = 300")).expect("script written");
    scripts.push(pulls);
    let classes = RunOptions {
        class_threshold: Some(2),
        ..RunOptions::default()
    };
    for path in &scripts {
        let general = run(path, "general");
        let pooled = run_with(path, "classes", &classes);
        // Rows come in the order they end; ties may swap: compare by key columns.
        for (file, key) in [
            ("invocations.csv", &[0][..]),
            ("workflows.csv", &[0]),
            ("workflow_edges.csv", &[0, 2, 3]),
        ] {
            let read = |dir: &Path| {
                let text = std::fs::read_to_string(dir.join(file)).unwrap_or_default();
                let mut rows: Vec<String> = text.lines().map(str::to_string).collect();
                rows.sort_by_cached_key(|row| {
                    let cells: Vec<&str> = row.split(',').collect();
                    key.iter()
                        .map(|&k| {
                            let cell = cells.get(k).copied().unwrap_or("");
                            (cell.parse::<u64>().unwrap_or(u64::MAX), cell.to_string())
                        })
                        .collect::<Vec<_>>()
                });
                rows
            };
            let (a, b) = (read(&general), read(&pooled));
            assert_eq!(a.len(), b.len(), "{}: {file}", path.display());
            for (x, y) in a.iter().zip(&b) {
                for (u, v) in x.split(',').zip(y.split(',')) {
                    let same = u == v
                        || matches!((u.parse::<f64>(), v.parse::<f64>()), (Ok(p), Ok(q))
                            if (p - q).abs() <= 1e-9 * p.abs().max(q.abs()).max(1.0));
                    assert!(same, "{}: {file}: `{x}` against `{y}`", path.display());
                }
            }
        }
    }
}

// ---------------------------------------------------------------------
// Pull crowds under the policies that hand each entry a node of their
// own choice (`least_loaded`, `openwhisk`, `round_robin`): requests alike that come to
// nodes where they only wait for the image are decided as a whole
// (`overlay/alike.rs`, `Overlay::claim_waiting_run` and
// `Overlay::claim_if_waiting`).
// ---------------------------------------------------------------------

/// [`PULLS`] on one-slot nodes (where those runs form), one function,
/// two interleaved or a second crowd behind the first, gives the same
/// bytes decided in runs as entry by entry, under every policy that takes
/// such runs (`openwhisk` also with the probes it keeps from round to
/// round, `openwhisk/prefix.rs`); `balanced` also on
/// three-slot nodes, whose shares end part way through a node, leaving it
/// one slot among the nodes with one (`balanced/most_left.rs`).
#[test]
fn pull_crowds_decided_in_runs_are_what_rounds_decide() {
    let scratch = support::Scratch::new("runs-pull-runs");
    let cases = [
        ("least_loaded", "1"),
        ("openwhisk", "1"),
        ("round_robin", "1"),
        ("balanced", "1"),
        ("balanced", "3"),
        ("consistent_hash(1.25)", "1"),
        ("consistent_hash(1.25)", "3"),
        ("consistent_hash(2)", "1"),
    ];
    for (scheduler, cores) in cases {
        // One function, two interleaved, or a second crowd once the
        // first waits (`openwhisk` keeps what it learns per function).
        for extra in [
            "",
            "invoke g every 35ms count 150",
            "invoke g at 5s every 10ms count 150",
        ] {
            let path = scratch.join(format!("pulls-{scheduler}-{cores}-{}.sls", extra.len()));
            let text = PULLS
                .replace("scheduler fcfs", &format!("scheduler {scheduler}"))
                .replace("CORES", cores)
                .replace("EXTRA", extra);
            std::fs::write(&path, text).expect("script written");
            let (fast, differ) = shortcut_against_rounds(&path);
            assert!(differ.is_empty(), "{}: {differ:?} differ", path.display());
            // A crowd: most requests wait over a second for their image
            // (dispatch, column 4, after submission, column 3).
            let csv = std::fs::read_to_string(fast.join("invocations.csv")).expect("csv");
            let mut rows = 0;
            let mut waited = 0;
            for line in csv.lines().skip(1) {
                let cells: Vec<f64> = line.split(',').take(5).map(|c| c.parse().unwrap_or(0.0)).collect();
                rows += 1;
                waited += usize::from(cells[4] - cells[3] > 1.0);
            }
            let arrivals = if extra.is_empty() { 400 } else { 550 };
            assert!(
                rows == arrivals && waited > 200,
                "{}: {waited} of {rows} waited over a second",
                path.display()
            );
        }
    }
}

/// The crowd over 400 nodes (seven words): runs take stretches of whole
/// words at once, and `round_robin`'s cursor, kept to the next round, must
/// move past the last node of a stretch, not of its first word.
#[test]
fn pull_crowds_over_whole_words_are_what_rounds_decide() {
    let scratch = support::Scratch::new("runs-pull-words");
    for scheduler in ["round_robin", "least_loaded", "openwhisk"] {
        let path = scratch.join(format!("pulls-{scheduler}.sls"));
        let text = PULLS
            .replace("scheduler fcfs", &format!("scheduler {scheduler}"))
            .replace("[1..120]", "[1..400]")
            .replace("CORES", "1")
            .replace("EXTRA", "");
        std::fs::write(&path, text).expect("script written");
        let (_, differ) = shortcut_against_rounds(&path);
        assert!(differ.is_empty(), "{}: {differ:?} differ", path.display());
    }
}

/// The crowd over 400 nodes while the words the rounds keep change
/// between them (`overlay/waiting_words.rs`, `overlay/kept_prefix.rs`):
/// pulls finish and nodes fill as before, and with a one-second body and
/// twice the requests, nodes are freed (an idle container, a free slot
/// again) among the nodes of the crowd while it still waits.
#[test]
fn pull_crowds_whose_words_change_between_rounds_are_what_rounds_decide() {
    let scratch = support::Scratch::new("runs-pull-changes");
    for scheduler in ["round_robin", "least_loaded", "openwhisk", "consistent_hash(1.25)"] {
        let path = scratch.join(format!("pulls-{scheduler}.sls"));
        let text = PULLS
            .replace("scheduler fcfs", &format!("scheduler {scheduler}"))
            .replace("[1..120]", "[1..400]")
            .replace("sleep 30s", "sleep 1s")
            .replace("count 400", "count 800")
            .replace("CORES", "1")
            .replace("EXTRA", "");
        let rows = rows_same_either_way(&path, &text);
        // Requests wait for pulls (dispatch, column 4, after submission,
        // column 3), and some run in a container freed before (column 11).
        let waited = waited_over_a_second(&rows);
        let warm = rows.iter().filter(|cells| cells[11] == "warm").count();
        assert!(
            rows.len() == 800 && waited > 200 && warm > 50,
            "{}: {waited} of {} waited, {warm} warm",
            path.display(),
            rows.len()
        );
    }
}

// Shortcuts of a round against the full round, case by case: a prewarm
// request refused behind a doomed tail, and invocations joining a
// container taken by a round that could end early.

/// One node out of RAM (`h` 400 MB and `f` 3 x 200 MB of 1000 MB, busy)
/// while a prewarm request of `g` (its keep-alive policy unloads the
/// container after each invocation and asks for one 4 s later) waits
/// among invocations of `f` that come before and after it. A full round
/// reaches the prewarm, the node refuses it and it goes to the end of the
/// list (`Service::round`); a round that ends at the doomed head of the
/// queue (`doomed.rs`) must move it the same.
const PREWARM_BEHIND: &str = r#"
keep_alive early { idle 1h; prewarm 4s }
platform {
  host gateway { speed 10Gf/s; cores 8; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node { speed 1Gf/s; cores 2; ram 1000MB; disk "/" { size 10GB; read 1GBps; write 1GBps } }
  link lan { bandwidth 10Gbps; latency 10us }
  route gateway <-> node via lan
}
serverless faas {
  head gateway:"/"
  compute node
  scheduler SCHEDULER
  container_startup 300ms
  idle_timeout 1h
  image_downloads off
  slots 100
}
image small { size 0B; ram 0B }
function h { image small; limits { ram 400MB }; body { sleep 20s } }
function f { image small; limits { ram 200MB }; body { sleep 100s } }
function g { image small; keep_alive early; limits { ram 200MB }; body { sleep 1s } }
workload {
  invoke h at 0s
  invoke g at 0s
  invoke f at 2s every 1s count 5
  invoke g at 60s
}
"#;

/// Invocations of `z` (two at once per container) waiting while the
/// container `c` they may take idles on `node1`, whose slots `w` holds;
/// `z`'s image is copied to `node2` over a slow link (from the start, for
/// 100 s) and fills no RAM of `node3`, where `g` holds all of it. Once a
/// `w` ends, the round under `openwhisk` (probes `node2`, `node1`, `node3`
/// for `z`) gives the first waiting `z` to `node2` (the copy: it waits),
/// the second takes `c`, and the third would be a refused cold start on
/// `node3`: with the round ended there (`refused.rs`), the service would
/// start the first in `c` when it lets waiting invocations join, where
/// the full round's dispatch of the third joins `c` first.
const JOIN_TAKEN: &str = r#"
platform {
  host head { speed 10Gf/s; cores 8; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node1 { speed 1Gf/s; cores 2; ram 1000MB; disk "/" { size 10GB; read 1GBps; write 1GBps } }
  host node2 { speed 1Gf/s; cores 2; ram 1000MB; disk "/" { size 10GB; read 1GBps; write 1GBps } }
  host node3 { speed 1Gf/s; cores 2; ram 1000MB; disk "/" { size 10GB; read 1GBps; write 1GBps } }
  link fast1 { bandwidth 1GBps; latency 10us }
  link slow { bandwidth 1MBps; latency 10us }
  link fast3 { bandwidth 1GBps; latency 10us }
  route head <-> node1 via fast1
  route head <-> node2 via slow
  route head <-> node3 via fast3
}
serverless faas {
  head head:"/"
  compute node1, node2, node3
  scheduler SCHEDULER
  container_startup 300ms
  idle_timeout 1h
  image_downloads off
}
image img { size 100MB; ram 0B }
image other { size 0B; ram 0B }
function z { image img; limits { ram 600MB; concurrency 2 }; body { sleep 5s } }
function w { image img; limits { ram 100MB }; body { sleep 20s } }
function y { image other; limits { ram 100MB }; body { sleep 1000s } }
function g { image img; limits { ram 1000MB }; body { sleep 1000s } }
workload {
  invoke y at 0s
  invoke g at 0s
  invoke w at 0s
  invoke z at 0s every 1ms count 2
  invoke w at 6s
  invoke z at 7s every 1s count 3
}
"#;

/// The rows of a run's `invocations.csv` by id: (function, dispatch, kind).
fn rows_by_id(dir: &Path) -> std::collections::BTreeMap<u64, (String, String, String)> {
    let csv = std::fs::read_to_string(dir.join("invocations.csv")).expect("invocations.csv");
    csv.lines()
        .skip(1)
        .map(|line| {
            let cells: Vec<&str> = line.split(',').collect();
            let id = cells[0].parse().expect("an id");
            (id, (cells[1].to_string(), cells[4].to_string(), cells[11].to_string()))
        })
        .collect()
}

/// An autoscaler asking for a container per request in flight, which the
/// RAM cannot hold: two nodes of 2 GB, each holding the image (500 MB in
/// RAM) and three containers of 500 MB, with 100 slots; 300 requests at
/// 50/s, 1 s bodies. Under `fcfs` every request goes to `node[1]` (the
/// image in RAM, slots free) until the queue outgrows its free slots (97),
/// then the image is copied to `node[2]` (`least_loaded` and
/// `round_robin` spread them from the start); the autoscaler's prewarm
/// requests wait among the invocations, each refused when a round reaches
/// it. The rounds end at their doomed tail and take out the prewarm
/// requests they would have refused (`Decisions::refuse_prewarms`).
const AUTOSCALED_OVER_RAM: &str = r#"
platform {
  host gateway { speed 10Gf/s; cores 8; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..2] { speed 1Gf/s; cores 100; ram 2GB; disk "/" { size 10GB; read 1GBps; write 1GBps } }
  link lan[1..2] { bandwidth 1GBps; latency 10us }
  route gateway <-> node[i] via lan[i]
}
serverless faas {
  head gateway:"/"
  compute node[*]
  scheduler SCHEDULER
  container_startup 300ms
  idle_timeout 1h
  AUTOSCALER
}
image img { size 100MB; ram 500MB }
function f { image img; limits { ram 500MB }; body { sleep 1s } }
workload { invoke f poisson 50/s count 300 }
"#;

/// [`AUTOSCALED_OVER_RAM`] under `kpa` and `hpa`, with each policy that
/// ends such rounds, gives the same bytes with every request decided by a
/// full round, and the hand counts hold: 300 rows, all succeeded, never
/// more than three bodies at once on a node, both nodes used.
#[test]
fn autoscalers_asking_for_more_than_the_ram_holds_decide_as_full_rounds() {
    let scratch = support::Scratch::new("runs-autoscaled-over-ram");
    let autoscalers = [
        ("kpa", "autoscaler kpa { target 1; max 40; tick 500ms }"),
        ("hpa", "autoscaler hpa { target 1; max 40; period 1s }"),
    ];
    for (autoscaler, scheduler) in autoscalers
        .iter()
        .flat_map(|a| ["fcfs", "least_loaded", "round_robin"].map(|s| (a, s)))
    {
        let name = format!("{} under {scheduler}", autoscaler.0);
        let path = scratch.join(format!("{}-{scheduler}.sls", autoscaler.0));
        let text = AUTOSCALED_OVER_RAM
            .replace("AUTOSCALER", autoscaler.1)
            .replace("SCHEDULER", scheduler);
        let rows = rows_same_either_way(&path, &text);
        assert_eq!(rows.len(), 300, "{name}: rows");
        assert!(
            rows.iter().all(|r| r[9] == "success"),
            "{name}: every invocation succeeds"
        );
        for node in ["node[1]", "node[2]"] {
            // Starts and ends of the bodies on the node, ends first at a tie.
            let mut moments: Vec<(f64, i32)> = rows
                .iter()
                .filter(|r| r[8] == node)
                .flat_map(|r| [(r[5].parse::<f64>().unwrap(), 1), (r[6].parse::<f64>().unwrap(), -1)])
                .collect();
            assert!(!moments.is_empty(), "{name}: {node} runs some");
            moments.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            let most = moments
                .iter()
                .scan(0, |running, &(_, step)| {
                    *running += step;
                    Some(*running)
                })
                .max();
            assert_eq!(most, Some(3), "{name}: bodies at once on {node}");
        }
    }
}

/// More prewarmed containers asked for than the nodes have slots (8),
/// starting for 10 s while invocations arrive (`bench/prewarm.sls` in
/// small): the prewarm requests left wait in the list, before every
/// invocation, while the starting containers are claimed one arrival at a
/// time (`fcfs`, `greedy`: a round then steps over the prewarm requests,
/// which no node can take, and ends once every starting container is
/// claimed) or left unclaimed (the other policies take idle containers
/// only; their shortcuts stay on meanwhile).
const PREWARMS_BEYOND_SLOTS: &str = r#"
platform {
  host gateway { speed 10Gf/s; cores 8; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..2] { speed 1Gf/s; cores 4; ram 1GB; disk "/" { size 10GB; read 1GBps; write 1GBps } }
  link lan[1..2] { bandwidth 1GBps; latency 10us }
  route gateway <-> node[i] via lan[i]
}
serverless faas {
  head gateway:"/"
  compute node[*]
  scheduler SCHEDULER
  container_startup 10s
  idle_timeout 1h
  image_downloads off
  prewarm f 12
}
image img { size 0B; ram 0B }
function f { image img; limits { ram 1MB }; body { sleep 1s } }
workload { invoke f every 250ms count 12 }
"#;

/// [`PREWARMS_BEYOND_SLOTS`] under every built-in placement gives the
/// same bytes with every request decided by a full round, and the hand
/// counts hold: 12 rows, all succeeded; under the policies that claim
/// starting containers, the first 8 invocations (one per slot) take the 8
/// started at 0 s and begin at 10 s, when they are up; under the others
/// no invocation takes a starting container.
#[test]
fn prewarms_beyond_the_slots_decide_as_full_rounds() {
    let scratch = support::Scratch::new("runs-prewarms-beyond-slots");
    let claiming = ["fcfs", "greedy { order fcfs }"];
    let others = [
        "balanced",
        "least_loaded",
        "round_robin",
        "openwhisk",
        "random(3)",
        "consistent_hash(1.25)",
    ];
    for scheduler in claiming.iter().chain(&others) {
        let path = scratch.join(format!("{}.sls", scheduler.split(['(', ' ']).next().unwrap()));
        let rows = rows_same_either_way(&path, &PREWARMS_BEYOND_SLOTS.replace("SCHEDULER", scheduler));
        assert_eq!(rows.len(), 12, "{scheduler}: rows");
        assert!(
            rows.iter().all(|r| r[9] == "success"),
            "{scheduler}: every invocation succeeds"
        );
        let prewarmed: Vec<(u64, f64)> = rows
            .iter()
            .filter(|r| r[11] == "prewarmed")
            .map(|r| (r[0].parse().unwrap(), r[5].parse().unwrap()))
            .collect();
        if claiming.contains(scheduler) {
            let first: Vec<(u64, f64)> = prewarmed.iter().copied().filter(|&(_, start)| start < 11.0).collect();
            assert_eq!(
                first.iter().map(|&(id, _)| id).collect::<Vec<_>>(),
                (0..8).collect::<Vec<_>>()
            );
            assert!(
                first.iter().all(|&(_, start)| (start - 10.0001301).abs() < 1e-9),
                "{scheduler}: {first:?}"
            );
        } else {
            assert!(
                prewarmed.is_empty(),
                "{scheduler}: {prewarmed:?} took starting containers"
            );
        }
    }
}

/// A node whose RAM holds one container of `f` (1 GB: the image's 100 MB
/// and 700 MB), six invocations of 3 s, and an autoscaler that asks for a
/// container per invocation in flight: its requests wait (no node has the
/// RAM), newest in the list, while the one container serves the
/// invocations one after the other.
const AUTOSCALED_PAST_THE_RAM: &str = r#"
platform {
  host head { speed 10Gf/s; cores 8; disk "/" { size 100TB; read 10GBps; write 10GBps } }
  host node { speed 1Gf/s; cores 8; ram 1GB; disk "/" { size 3GB; read 1GBps; write 1GBps } }
  link core { bandwidth 1000MBps; latency 100us }
  route head <-> node via core
}
storage repo on head:"/"
serverless faas {
  head head:"/"
  compute node
  scheduler SCHEDULER
  slots SLOTS
  container_startup 200ms
  autoscaler hpa { target 1; max 6; period 1s; stabilization 3s }
}
image runtime { size 0MB; ram 100MB; from repo }
function f { image runtime; limits { ram 700MB }; body { sleep 3s } }
workload {
  invoke f at 500ms
  invoke f at 3500ms burst 2
  invoke f at 3750ms burst 3
}
"#;

/// [`AUTOSCALED_PAST_THE_RAM`] under every built-in placement, with one
/// slot and with three: the one container is idle whenever no invocation
/// runs in it, so each invocation starts warm when it arrives or when the
/// one before it ends: 0.5-3.5, 3.5-6.5, then 6.5, 9.5, 12.5 and 15.5 for
/// the four waiting, the last ending at 18.5 s. Three ways the
/// autoscaler's waiting requests once cost the invocations their
/// container: `balanced` offered it to the newest entry of its share, a
/// prewarm request, which starts a container of its own (3 slots: starts
/// at 13.5 and 17.5 s, the autoscaler's next ticks); a request the
/// autoscaler had cancelled took the round's one slot before it was
/// dropped (`balanced`, 1 slot: the same); `greedy` evicted the idle
/// container to start a prewarm request's (6.7 s, `prewarmed`, then 11.5,
/// 16.1 and 20.5 s).
#[test]
fn prewarm_requests_past_the_ram_leave_the_idle_container_to_invocations() {
    let scratch = support::Scratch::new("runs-autoscaled-past-the-ram");
    let schedulers = [
        "balanced",
        "fcfs",
        "least_loaded",
        "round_robin",
        "openwhisk",
        "random(3)",
        "consistent_hash(1.25)",
        "greedy { order fcfs }",
        "greedy",
    ];
    for (scheduler, slots) in schedulers.iter().flat_map(|s| [(s, "1"), (s, "3")]) {
        let name: String = scheduler.chars().filter(char::is_ascii_alphanumeric).collect();
        let path = scratch.join(format!("{name}-{slots}.sls"));
        let text = AUTOSCALED_PAST_THE_RAM
            .replace("SCHEDULER", scheduler)
            .replace("SLOTS", slots);
        let rows = rows_same_either_way(&path, &text);
        let mut runs: Vec<(f64, f64, &str)> = rows
            .iter()
            .map(|r| (r[5].parse().unwrap(), r[6].parse().unwrap(), r[11].as_str()))
            .collect();
        runs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let back_to_back = [0.5, 3.5, 6.5, 9.5, 12.5, 15.5].map(|start| (start, start + 3.0, "warm"));
        assert_eq!(
            runs, back_to_back,
            "{scheduler}, {slots} slots: (start, end, container) of each invocation"
        );
    }
}

/// [`PREWARM_BEHIND`] and [`JOIN_TAKEN`] give the same bytes with every
/// request decided by a full round, under every policy that ends rounds
/// early, and what the full round decides is the hand count: a refused
/// prewarm goes behind the invocations that came after it, and a dispatch
/// the round would refuse still joins a container with room.
#[test]
fn rounds_ended_early_decide_as_full_rounds() {
    let scratch = support::Scratch::new("runs-ended-early");
    // Every case is run, and what is wrong reported at once.
    let mut wrong = Vec::new();
    // The run with shortcuts (its folder), after comparing it with the
    // full rounds' run.
    let mut compare = |path: &Path, case: &str| {
        let (fast, differ) = shortcut_against_rounds(path);
        wrong.extend(differ.into_iter().map(|file| format!("{case}: {file} differs")));
        fast
    };
    let mut counts = Vec::new();
    for (name, text) in [("prewarm", PREWARM_BEHIND), ("join", JOIN_TAKEN)] {
        for scheduler in ["fcfs", "balanced", "least_loaded", "round_robin", "openwhisk"] {
            let path = scratch.join(format!("{name}-{scheduler}.sls"));
            std::fs::write(&path, text.replace("SCHEDULER", scheduler)).expect("script written");
            let fast = compare(&path, &format!("{name} under {scheduler}"));
            let rows = rows_by_id(&fast);
            let dispatch = |id: u64| rows[&id].1.as_str();
            let counted = match (name, scheduler) {
                // `h` (id 0) starts at 0.0001301 (its request's way to
                // the node), runs 20.3 s; `g` (id 1) ends at 1.3001301 and
                // asks for a prewarm at 5.3001301; `f` at 2, 3, 4 s (ids
                // 2-4) fill the node, at 5 and 6 s (ids 5, 6) wait, the
                // prewarm between them. At 20.3001301 id 5 evicts `h`'s
                // container (400 MB), id 6 takes the 200 MB left, and the
                // prewarm is refused: `g` at 60 s (id 7) starts cold.
                ("prewarm", "fcfs") => {
                    (dispatch(5), dispatch(6), rows[&7].2.as_str()) == ("20.3001301", "20.3001301", "cold")
                }
                // The first `w` (id 2) ends at 20.50027872: `z` at 8 s
                // (id 7) takes the idle container, `z` at 9 s (id 8) joins
                // it, and `z` at 7 s (id 6) joins once id 7 ends, 5 s on.
                ("join", "openwhisk") => {
                    (dispatch(7), dispatch(8), dispatch(6), rows[&6].2.as_str())
                        == ("20.50027872", "20.50027872", "25.50027872", "warm")
                }
                _ => true,
            };
            if !counted {
                counts.push(format!("{name} under {scheduler}: not the hand count: {rows:?}"));
            }
        }
    }
    // `balanced` with two registrations waiting throughout, their groups
    // made from the tally and their entries found stepping back (time
    // limits whose sums are exact products), or listed (0.7 s is not).
    for (name, limits) in [("exact", ("3s", "1500ms")), ("listed", ("3s", "700ms"))] {
        let path = scratch.join(format!("balanced-two-{name}.sls"));
        let text = OVERFLOW
            .replace("scheduler fcfs", "scheduler balanced")
            .replace("CONCURRENCY", &format!("time {}", limits.0))
            .replace(
                "limits { ram 1GB }; body { sleep 500ms }",
                &format!("limits {{ ram 1GB; time {} }}; body {{ sleep 500ms }}", limits.1),
            )
            .replace("invoke g at 10s poisson 20/s for 5s", "invoke g poisson 60/s for 30s");
        assert!(text.contains("invoke g poisson") && text.contains(limits.1), "{text}");
        std::fs::write(&path, text).expect("script written");
        compare(&path, &format!("balanced with two functions ({name})"));
    }
    // `consistent_hash` on nodes with slots to spare: the walks fill the
    // first nodes of every walk (four of five at `bound 1.25`, three at
    // `2`), so the rest, where the image is never copied, are out of
    // reach, and rounds end while they are not inert.
    // `random` there: entries drawn to inert nodes draw, and claim nothing.
    for scheduler in ["consistent_hash(1.25)", "consistent_hash(2)", "random(7)"] {
        let path = scratch.join(format!("overflow-spare-{scheduler}.sls"));
        let text = OVERFLOW
            .replace("scheduler fcfs", &format!("scheduler {scheduler}"))
            .replace("slots 200", "slots 100000")
            .replace("CONCURRENCY", "concurrency 1");
        std::fs::write(&path, text).expect("script written");
        compare(&path, &format!("{scheduler} with slots to spare"));
    }
    wrong.extend(counts);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Nodes of one slot each, kept full by `f` (image `a`), while `g` (image
/// `b`) waits: `random` draws `g`'s entries to full nodes without `b`, where
/// the classic decision still copies `b` (a full node is not inert when
/// it lacks an image waiting entries need).
const FULL_WITHOUT_IMAGE: &str = r#"
platform {
  host head { speed 10Gf/s; cores 8; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..4] { speed 1Gf/s; cores 1; ram 4GB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link l[1..4] { bandwidth 1GBps; latency 10us }
  route head <-> node[i] via l[i]
}
serverless faas {
  head head:"/"
  compute node[*]
  scheduler random(7)
  idle_timeout 1h
}
image a { size 100MB; ram 100MB }
image b { size 100MB; ram 100MB }
function f { image a; limits { ram 1GB }; body { sleep 1s } }
function g { image b; limits { ram 1GB }; body { sleep 300ms } }
workload {
  invoke f poisson 20/s for 20s
  invoke g at 5s poisson 5/s for 10s
}
"#;

/// Shortcuts no case above reaches, against full rounds: rounds of
/// `round_robin` and `least_loaded` on the layered platform (LRU eviction,
/// and RAM eviction on nodes of 1.5 GB) take idle containers whose image
/// left RAM, which the service refuses, so a later cold start on that
/// node may make room by ending them (`refused.rs` keeps such rounds
/// going); `random` draws entries to full nodes lacking their image
/// ([`FULL_WITHOUT_IMAGE`]), where copies are still decided.
#[test]
fn taken_containers_and_full_nodes_decide_as_full_rounds() {
    let scratch = support::Scratch::new("runs-gaps");
    let layered = |scheduler: &str, eviction: &str| {
        LAYERED
            .replace("scheduler fcfs", &format!("scheduler {scheduler}"))
            .replace("EVICTION", eviction)
    };
    let cases = [
        ("layered-round_robin-lru", layered("round_robin", "lru")),
        (
            "layered-least_loaded-ram-1500MB",
            layered("least_loaded", "ram").replace("ram 2GB", "ram 1500MB"),
        ),
        ("full-without-image-random", FULL_WITHOUT_IMAGE.to_string()),
    ];
    let mut wrong = Vec::new();
    for (name, text) in cases {
        assert!(!text.contains("EVICTION") && !text.contains("scheduler fcfs"), "{text}");
        let path = scratch.join(format!("{name}.sls"));
        std::fs::write(&path, text).expect("script written");
        let (_, differ) = shortcut_against_rounds(&path);
        wrong.extend(differ.into_iter().map(|file| format!("{name}: {file} differs")));
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// `greedy` takes a container being prewarmed (`examples/wrench/prewarm.sls`
/// under `greedy`: the only prewarming container holds the only slot), as
/// WRENCH's expectation for that program states: the invocation at 5 s is
/// dispatched at once into it and starts when it is ready, at 10 s.
#[test]
fn greedy_takes_a_container_being_prewarmed() {
    let scratch = support::Scratch::new("runs-greedy-prewarm");
    let text = std::fs::read_to_string(support::root().join("examples/wrench/prewarm.sls")).expect("the example");
    let text = text.replace("  prewarm Function_1 1", "  scheduler greedy\n  prewarm Function_1 1");
    assert!(text.contains("scheduler greedy"), "{text}");
    let path = scratch.join("prewarm-greedy.sls");
    std::fs::write(&path, text).expect("script written");
    let rows = rows_by_id(&run(&path, "greedy-prewarm"));
    let (_, dispatch, kind) = &rows[&0];
    assert_eq!((dispatch.as_str(), kind.as_str()), ("5", "prewarmed"), "{rows:?}");
}

/// More than 64 free nodes (then `greedy` under `eviction_averse` asks
/// them in name order and stops at the first plan nothing can beat,
/// `greedy/stage.rs`), all short of disk for two images: `g` comes first
/// and leaves its image on `node[10]`, the first node by name, so a copy
/// of `f`'s image there must evict it, and the best plan is a plain copy
/// to the next node by name, `node[11]`, not the first plan found.
const BY_NAME: &str = r#"
platform {
  host head { speed 10Gf/s; cores 8; disk "/" { size 100TB; read 100GBps; write 100GBps } }
  host node[1..70] { speed 1Gf/s; cores 1; ram 4GB; disk "/" { size 120MB; read 1GBps; write 1GBps } }
  link l[1..70] { bandwidth 1GBps; latency 10us }
  route head <-> node[i] via l[i]
}
serverless faas {
  head head:"/"
  compute node[*]
  scheduler greedy { order fcfs; eviction lru; plan eviction_averse }
  idle_timeout 1s
}
image big { size 100MB; ram 1GB }
image other { size 50MB; ram 1GB }
function f { image big; limits { ram 1GB }; body { sleep 1s } }
function g { image other; limits { ram 1GB }; body { sleep 1s } }
workload {
  invoke g at 0s
  invoke f at 10s every 10ms count 3
}
"#;

/// [`BY_NAME`]: `greedy` stops asking nodes in name order only at a plan
/// nothing can beat, never at the first plan found, and decides as full
/// rounds do (which ask every node).
#[test]
fn greedy_by_name_stops_only_at_an_unbeatable_plan() {
    let scratch = support::Scratch::new("runs-greedy-by-name");
    let path = scratch.join("by-name.sls");
    std::fs::write(&path, BY_NAME).expect("script written");
    let (fast, differ) = shortcut_against_rounds(&path);
    assert!(differ.is_empty(), "differ: {differ:?}");
    let csv = std::fs::read_to_string(fast.join("invocations.csv")).expect("csv");
    let nodes: Vec<(&str, &str)> = csv
        .lines()
        .skip(1)
        .map(|l| {
            let row: Vec<&str> = l.split(',').collect();
            (row[1], row[8])
        })
        .collect();
    assert_eq!(
        nodes,
        [
            ("g", "node[10]"),
            ("f", "node[11]"),
            ("f", "node[12]"),
            ("f", "node[13]")
        ],
        "{csv}"
    );
}

/// Bursts of functions needing one image while other containers of
/// theirs could take them, a full round against the shortcut's. A walk
/// may judge the entries of many functions needing one image alike only
/// while none of them has a container it would take first:
/// - SAND sandboxes of their applications idle on nodes without the image
///   (the applications' first functions need another one): once `c_big`
///   waits for its copy, `b_big`'s requests go to `b`'s idle sandbox
///   first (and fail there until the image comes), not to a copy of their
///   own;
/// - a container of `warm` prewarming while `cold`'s requests wait for
///   their copies: `warm`'s request takes it, with no copy of its own.
#[test]
fn bursts_needing_one_image_are_what_rounds_decide_where_containers_take_some() {
    const MIXED: &str = r#"
function x_small { image small; app x; body { sleep 5s } }
function y_small { image small; app y; body { sleep 5s } }
function b_small { image small; app b; body { sleep 1s } }
function b_big[k in 1..COUNT] { image big; app b; body { sleep 2s } }
function c_big { image big; app c; body { sleep 2s } }
workload {
  invoke x_small at 0s burst 1
  invoke y_small at 0s burst 1
  invoke b_small at 0s burst 1
  invoke c_big at 9900ms burst 1
  invoke b_big[k in 1..COUNT] at 10s burst 1
}
"#;
    const PREWARMED: &str = r#"
function warm { image big; limits { ram 1GB }; body { sleep 1s } }
function cold[k in 1..3] { image big; limits { ram 1GB }; body { sleep 1s } }
workload {
  invoke cold[k in 1..3] at 4s burst 1
  invoke warm at 4100ms burst 1
}
"#;
    let sand = "container_startup 500ms; idle_timeout 1min; sandbox per_application";
    let prewarm = "container_startup 5s; idle_timeout 1min; prewarm warm 1";
    let scratch = support::Scratch::new("runs-taken");
    // The requests, and how many at least wait for a copy: `b_big`'s
    // (their sandbox's node has not the image), `cold`'s three (`warm`'s
    // takes the prewarming container).
    let cases = [
        (sand, MIXED, 3, 3 + 4, 3),
        (sand, MIXED, 12, 12 + 4, 12),
        (prewarm, PREWARMED, 0, 4, 3),
    ];
    for (k, (service, functions, count, requests, waiting)) in cases.into_iter().enumerate() {
        let path = scratch.join(format!("taken-{k}.sls"));
        // Six one-slot nodes behind a core link their copies share: a copy
        // decided or not moves every other's end.
        let script = copying_platform(6, "1", "150MBps", service) + &functions.replace("COUNT", &count.to_string());
        let rows = rows_same_either_way(&path, &script);
        let succeeded = rows.iter().filter(|cells| cells[9] == "success").count();
        let waited = waited_over_a_second(&rows);
        assert!(
            rows.len() == requests && succeeded == requests && waited >= waiting,
            "{}: {succeeded} of {} succeeded, {waited} waited",
            path.display(),
            rows.len()
        );
    }
}

/// Crowds of many functions (each its own, sharing an image) arriving,
/// all at once or 10 ms apart, while their image is copied to the nodes:
/// each arrival is a round whose
/// walk decides nothing (every entry waits for the copy), and the service
/// goes on from the last walk over the arrival alone
/// (`Placement::resume`) until a round decides a copy or something
/// changes. Classic containers and SAND sandboxes, slots to spare or too
/// few (the walk then stops for lack of slots), a second burst onto warm
/// and copying nodes, and requests of a function that keeps arriving in
/// between: every request as a full round decides it.
#[test]
fn bursts_waiting_for_their_images_are_what_rounds_decide() {
    const BURSTS: &str = r#"
function base { image big; limits { ram 1GB }; body { sleep 2s } }
function f[k in 1..COUNT] extends base { image big }
function g { image small; limits { ram 512MB }; body { sleep 1s } }
workload {
  invoke f[k in 1..COUNT] ARRIVAL burst 1
  invoke f[k in 1..COUNT] at 3s burst 1
  invoke g every 50ms count 80
}
"#;
    let scratch = support::Scratch::new("runs-bursts");
    // 30 requests fill fewer slots than 12 nodes have: how many copies
    // the burst decides follows the slots each walk claims. All at once,
    // something else happens at that instant and a full round there
    // decides again what the resumed walks did; 10 ms apart, each resumed
    // walk's decisions stand until the copies end.
    for (count, cores) in [(150, "16"), (150, "4"), (30, "4")] {
        for (sandbox, arrival) in [("", "at 0s"), ("sandbox per_application", "at 0s"), ("", "at k * 10ms")] {
            let path = scratch.join(format!(
                "bursts-{count}-{cores}-{}-{}.sls",
                sandbox.len(),
                arrival.len()
            ));
            let service = format!("container_startup 500ms; idle_timeout 20s; {sandbox}");
            let text = copying_platform(12, cores, "1GBps", &service)
                + &BURSTS.replace("COUNT", &count.to_string()).replace("ARRIVAL", arrival);
            let rows = rows_same_either_way(&path, &text);
            // Every request ran, most after waiting for the copy (dispatch,
            // column 4, a second or more after submission, column 3).
            let waited = waited_over_a_second(&rows);
            let succeeded = rows.iter().filter(|cells| cells[9] == "success").count();
            let requests = 2 * count + 80;
            assert!(
                rows.len() == requests && succeeded == requests && waited >= count,
                "{}: {succeeded} of {} succeeded, {waited} waited",
                path.display(),
                rows.len()
            );
        }
    }
}

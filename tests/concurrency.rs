//! Containers serving several invocations at once (`limits { concurrency
//! N }`), through the real binary, against dates and container counts
//! computed by hand: simultaneous arrivals share containers (a container
//! is started, its RAM reserved, once per N), a node's slots count
//! containers and not invocations, the bodies still share the node's
//! cores (and their container's CPU quota, when it has one), and a
//! container idles (its keep-alive counting) only when its
//! last invocation ends. `concurrency 1` is what no limit does.

use crate::support;

use std::collections::HashMap;

use support::{Scratch, sls};

/// One row of `invocations.csv`, by column name.
type Row = HashMap<String, String>;

/// Runs `script` (written into the scratch folder) and returns its summary
/// and its invocation rows in submission order (ids within a burst are not
/// the order the service takes its requests in).
fn run(scratch: &Scratch, name: &str, script: &str) -> (serde_json::Value, Vec<Row>) {
    let path = scratch.join(format!("{name}.sls"));
    std::fs::write(&path, script).expect("write the script");
    run_file(path.to_str().expect("utf-8"), &scratch.join(name))
}

/// Runs the script at `path` into `out`: its summary and invocation rows.
fn run_file(path: &str, out: &std::path::Path) -> (serde_json::Value, Vec<Row>) {
    let (code, _, stderr) = sls(&["run", path, "--out", out.to_str().expect("utf-8"), "-q", "--force"]);
    assert_eq!(code, 0, "{stderr}");
    let summary =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).expect("summary.json")).expect("json");
    let text = std::fs::read_to_string(out.join("invocations.csv")).expect("invocations.csv");
    let mut rows: Vec<Row> = support::csv_text_rows(&text);
    rows.sort_by(|a, b| {
        a["submit"]
            .parse::<f64>()
            .expect("a date")
            .total_cmp(&b["submit"].parse().expect("a date"))
    });
    (summary, rows)
}

/// One node (`cores` cores, `slots` slots), an empty image (nothing to
/// copy or load: a container is up `container_startup` after dispatch),
/// function `f` with `limits` and `body`, and the workload.
fn script(cores: u32, slots: u32, service: &str, limits: &str, body: &str, workload: &str) -> String {
    format!(
        r#"platform {{
  host gw {{ speed 1Gf/s; disk "/" {{ size 1TB; read 100MBps; write 100MBps }} }}
  host node {{ speed 1Gf/s; cores {cores}; ram 16GB; disk "/" {{ size 1TB; read 100MBps; write 100MBps }} }}
  link l {{ bandwidth 100MBps; latency 0us }}
  route gw <-> node via l
}}
serverless faas {{ head gw:"/"; compute node; slots {slots}; {service} }}
image img {{ size 0B; ram 0B }}
function f {{ image img; limits {{ ram 1GB; {limits} }}; body {{ {body} }} }}
workload {{ {workload} }}
"#
    )
}

/// A column's dates, sorted.
fn dates(rows: &[Row], column: &str) -> Vec<f64> {
    let mut dates: Vec<f64> = rows.iter().map(|r| r[column].parse().expect("a date")).collect();
    dates.sort_by(f64::total_cmp);
    dates
}

/// A column's values, sorted (rows of one burst come in any order).
fn column<'r>(rows: &'r [Row], column: &str) -> Vec<&'r str> {
    let mut values: Vec<&str> = rows.iter().map(|r| r[column].as_str()).collect();
    values.sort();
    values
}

fn keep_alive(summary: &serde_json::Value) -> &serde_json::Value {
    &summary["services"][0]["keep_alive"]
}

/// 8 arrivals at 0 s, concurrency 4, 1 node (8 slots), 2 s start-up, 1 s
/// bodies, 10 s keep-alive. The first starts container A, the next three
/// join it while it starts (they wait for its start-up: warm starts whose
/// `startup` is `container`), the fifth starts B, the last three join B:
/// 2 containers, 2 GB reserved at the peak, every body 2 s -> 3 s. At
/// 10 s, 4 arrivals: the first takes the oldest idle container, A; the
/// other three join it: 4 warm starts, 10 s -> 11 s, no new container.
/// B is idle 3 s -> 13 s (10 s), A 3 s -> 10 s and 11 s -> 21 s (17 s):
/// 34 s reserved (B 13 s, A 21 s), 27 s idle, at 1 GB.
/// Concurrency 1 starts 8 containers for the burst, 8 GB at the peak.
#[test]
fn eight_simultaneous_arrivals_share_two_containers() {
    let scratch = Scratch::new("concurrency-eight");
    let workload = "invoke f at 0s burst 8; invoke f at 10s burst 4";
    let service = "container_startup 2s; idle_timeout 10s";
    let (s, rows) = run(
        &scratch,
        "four",
        &script(8, 8, service, "concurrency 4", "sleep 1s", workload),
    );
    assert_eq!(rows.len(), 12);
    assert_eq!(s["cold_starts"], 2);
    assert_eq!(s["warm_starts"], 10);
    let mut kinds = vec!["cold"; 2];
    kinds.extend(["warm"; 6]);
    assert_eq!(column(&rows[..8], "container"), kinds);
    assert_eq!(column(&rows[8..], "container"), ["warm"; 4]);
    assert_eq!(column(&rows[..8], "startup"), ["container"; 8]);
    assert_eq!(column(&rows[8..], "startup"), ["none"; 4]);
    assert_eq!(dates(&rows, "start"), [[2.0; 8].as_slice(), &[10.0; 4]].concat());
    assert_eq!(dates(&rows, "end"), [[3.0; 8].as_slice(), &[11.0; 4]].concat());
    assert_eq!(s["nodes"][0]["peak_memory"], 2e9);
    let keep = keep_alive(&s);
    assert_eq!(keep["containers"], 2);
    assert_eq!(keep["reserved_seconds"], 34.0);
    assert_eq!(keep["idle_seconds"], 27.0);
    assert_eq!(keep["reserved_gb_seconds"], 34.0);
    assert_eq!(keep["idle_gb_seconds"], 27.0);

    let (one, _) = run(&scratch, "one", &script(8, 8, service, "", "sleep 1s", workload));
    assert_eq!(one["cold_starts"], 8);
    assert_eq!(keep_alive(&one)["containers"], 8);
    assert_eq!(one["nodes"][0]["peak_memory"], 8e9);
}

/// A slot is a running container: with 1 slot, 3 arrivals at 0 s and
/// concurrency 3 run together in one container (1 s start-up, 2 s sleep:
/// 1 s -> 3 s each). With concurrency 1 they take turns in the one slot:
/// 1 -> 3, then warm 3 -> 5 and 5 -> 7.
#[test]
fn a_slot_holds_a_container_whatever_it_runs() {
    let scratch = Scratch::new("concurrency-slots");
    let service = "container_startup 1s; idle_timeout 1min";
    let workload = "invoke f at 0s burst 3";
    let (s, rows) = run(
        &scratch,
        "three",
        &script(4, 1, service, "concurrency 3", "sleep 2s", workload),
    );
    assert_eq!(dates(&rows, "start"), [1.0, 1.0, 1.0]);
    assert_eq!(dates(&rows, "end"), [3.0, 3.0, 3.0]);
    assert_eq!(keep_alive(&s)["containers"], 1);
    let (_, rows) = run(&scratch, "one", &script(4, 1, service, "", "sleep 2s", workload));
    assert_eq!(dates(&rows, "start"), [1.0, 3.0, 5.0]);
    assert_eq!(dates(&rows, "end"), [3.0, 5.0, 7.0]);
}

/// The bodies of one container share the node's cores like any: 4 bodies
/// of 1 Gf on a node of 2 cores at 1 Gf/s run at 0.5 Gf/s each, 0 s -> 2 s
/// (no start-up: the joiners find the container up, warm starts).
#[test]
fn bodies_in_one_container_share_the_cores() {
    let scratch = Scratch::new("concurrency-cores");
    let (s, rows) = run(
        &scratch,
        "cores",
        &script(
            2,
            2,
            "container_startup 0s; idle_timeout 1min",
            "concurrency 4",
            "compute 1Gf",
            "invoke f at 0s burst 4",
        ),
    );
    assert_eq!(dates(&rows, "start"), [0.0; 4]);
    for end in dates(&rows, "end") {
        assert!((end - 2.0).abs() < 1e-9, "{end}");
    }
    assert_eq!(s["cold_starts"], 1);
    assert_eq!(column(&rows, "startup"), ["container", "none", "none", "none"]);
}

/// Ends of the rows, in submission order.
fn ends(rows: &[Row]) -> Vec<f64> {
    rows.iter().map(|r| r["end"].parse().expect("a date")).collect()
}

fn assert_dates(got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{got:?}");
    for (g, w) in got.iter().zip(want) {
        assert!((g - w).abs() < 1e-9, "{got:?}, not {want:?}");
    }
}

/// With a CPU quota (`cpu`), the invocations one container runs share its
/// quota, as a cgroup's threads do: four `compute 1Gf` at once in a
/// container of `cpu 1`, on a node of four 1 Gf/s cores, take 4 s each
/// (each took 1 s before, as if the container had four cores). Staggered,
/// by hand: the first computes alone at one core for 0.5 s (0.5 Gf), then
/// both at half a core, so it ends at 0.5 + 0.5 / 0.5 = 1.5 s, when the
/// second has 0.5 Gf done and finishes alone at one core at 2 s.
#[test]
fn bodies_in_one_container_share_its_cpu_quota() {
    let scratch = Scratch::new("concurrency-quota");
    let service = "container_startup 0s; idle_timeout 1min";
    let (s, rows) = run(
        &scratch,
        "burst",
        &script(
            4,
            4,
            service,
            "concurrency 4; cpu 1",
            "compute 1Gf",
            "invoke f at 0s burst 4",
        ),
    );
    assert_eq!(s["cold_starts"], 1);
    assert_dates(&ends(&rows), &[4.0; 4]);
    let (_, rows) = run(
        &scratch,
        "staggered",
        &script(
            4,
            4,
            service,
            "concurrency 4; cpu 1",
            "compute 1Gf",
            "invoke f at 0s; invoke f at 0.5s",
        ),
    );
    assert_dates(&ends(&rows), &[1.5, 2.0]);
    // Cores from `cpu_follows_memory` are a quota too: 1GB over 500MB is
    // two cores, shared by two computations of 2 Gf: 2 s each.
    let (_, rows) = run(
        &scratch,
        "follows",
        &script(
            4,
            4,
            &format!("{service}; cpu_follows_memory 500MB"),
            "concurrency 2",
            "compute 2Gf",
            "invoke f at 0s burst 2",
        ),
    );
    assert_dates(&ends(&rows), &[2.0, 2.0]);
    // A computation that ended gives its share back: two at once end at
    // 2 s (1 Gf each at half a core) and sleep; the third, at 3 s, computes
    // alone at one core, to 4 s.
    let (_, rows) = run(
        &scratch,
        "steps",
        &script(
            4,
            4,
            service,
            "concurrency 4; cpu 1",
            "compute 1Gf; sleep 10s",
            "invoke f at 0s burst 2; invoke f at 3s",
        ),
    );
    let computed: Vec<f64> = ends(&rows).iter().map(|end| end - 10.0).collect();
    assert_dates(&computed, &[2.0, 2.0, 4.0]);
    // So does one stopped by its time limit: the first sleeps 1 s and
    // computes from 1 s, past its 1.5 s limit; the second, at 3 s in the
    // same container, computes alone, 3 s to 4 s, within its own.
    let (_, rows) = run(
        &scratch,
        "timeout",
        &script(
            4,
            4,
            service,
            "concurrency 2; cpu 1; time 1.5s",
            "sleep trace.duration; compute 1Gf",
            "invoke f at 0s with { duration 1s }; invoke f at 3s with { duration 0s }",
        ),
    );
    assert_eq!(column(&rows, "cause"), ["", "timeout"]);
    assert_dates(&[rows[1]["end"].parse().expect("a date")], &[4.0]);
}

/// A container idles when its last invocation ends: arrivals at 0 s and
/// 3 s, 2 s start-up, 4 s sleeps. The first runs 2 s -> 6 s, the second
/// joins at 3 s and runs 3 s -> 7 s; the container idles at 7 s (not
/// 6 s) and its 5 s keep-alive ends at 12 s: 12 s reserved, 5 s idle.
#[test]
fn a_container_idles_when_its_last_invocation_ends() {
    let scratch = Scratch::new("concurrency-idle");
    let (s, rows) = run(
        &scratch,
        "idle",
        &script(
            4,
            4,
            "container_startup 2s; idle_timeout 5s",
            "concurrency 2",
            "sleep 4s",
            "invoke f at 0s; invoke f at 3s",
        ),
    );
    assert_eq!(dates(&rows, "start"), [2.0, 3.0]);
    assert_eq!(dates(&rows, "end"), [6.0, 7.0]);
    assert_eq!(column(&rows, "container"), ["cold", "warm"]);
    let keep = keep_alive(&s);
    assert_eq!(keep["containers"], 1);
    assert_eq!(keep["reserved_seconds"], 12.0);
    assert_eq!(keep["idle_seconds"], 5.0);
}

/// A full container sends the next arrival to a new one: concurrency 2, 3
/// arrivals at 0 s: containers A (2) and B (1); at 1.5 s a fourth joins B
/// (up since 1 s: a warm start, no start-up), not a third container.
#[test]
fn a_full_container_is_passed_over() {
    let scratch = Scratch::new("concurrency-full");
    let (s, rows) = run(
        &scratch,
        "full",
        &script(
            4,
            4,
            "container_startup 1s; idle_timeout 1min",
            "concurrency 2",
            "sleep 2s",
            "invoke f at 0s burst 3; invoke f at 1.5s",
        ),
    );
    assert_eq!(keep_alive(&s)["containers"], 2);
    assert_eq!(column(&rows[..3], "container"), ["cold", "cold", "warm"]);
    assert_eq!(
        (rows[3]["container"].as_str(), rows[3]["startup"].as_str()),
        ("warm", "none")
    );
    assert_eq!(dates(&rows, "start"), [1.0, 1.0, 1.0, 1.5]);
    assert_eq!(dates(&rows, "end"), [3.0, 3.0, 3.0, 3.5]);
}

/// `concurrency 1` is the default: the same bytes as no limit.
#[test]
fn concurrency_one_changes_nothing() {
    let scratch = Scratch::new("concurrency-default");
    let service = "container_startup 1s; idle_timeout 3s";
    let workload = "invoke f every 700ms count 20";
    run(&scratch, "plain", &script(2, 2, service, "", "sleep 2s", workload));
    run(
        &scratch,
        "explicit",
        &script(2, 2, service, "concurrency 1", "sleep 2s", workload),
    );
    let read = |d: &str| std::fs::read(scratch.join(d).join("invocations.csv")).expect("a result file");
    assert_eq!(read("plain"), read("explicit"));
}

/// The example: 2 x 2400 arrivals (every 50 ms for 2 minutes), all run;
/// without an autoscaler every container is a cold start; containers of 8
/// need well under half the containers and a quarter of the GB-s that
/// containers of 1 do, and the peak memory of `shared` is its containers'
/// limits (512 MB each, all up at once under the steady load) plus the
/// 100 MB image.
#[test]
fn the_example_packs_its_load_into_fewer_containers() {
    let scratch = Scratch::new("concurrency-example");
    let (s, rows) = run_file("examples/policies/concurrency.sls", &scratch.join("out"));
    assert_eq!(rows.len(), 2 * 2400);
    assert_eq!(s["invocations"], 2 * 2400);
    assert_eq!(s["succeeded"], s["invocations"]);
    let service = |name: &str| {
        s["services"]
            .as_array()
            .expect("services")
            .iter()
            .find(|x| x["name"] == name)
            .expect("the service")
            .clone()
    };
    let (single, shared) = (service("single"), service("shared"));
    for x in [&single, &shared] {
        assert_eq!(x["invocations"], 2400);
        assert_eq!(x["keep_alive"]["containers"], x["cold_starts"]);
    }
    let number = |x: &serde_json::Value, k: &str| x["keep_alive"][k].as_f64().expect("a number");
    assert!(2.0 * number(&shared, "containers") < number(&single, "containers"));
    assert!(4.0 * number(&shared, "reserved_gb_seconds") < number(&single, "reserved_gb_seconds"));
    let peak = s["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .find(|n| n["node"] == "node[2]")
        .expect("node[2]")["peak_memory"]
        .as_f64()
        .expect("a number");
    assert_eq!(peak, number(&shared, "containers") * 512e6 + 100e6);
}

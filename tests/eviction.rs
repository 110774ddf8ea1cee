//! The eviction policies' defining behaviours, through the binary: on one
//! node with RAM for a handful of containers, crafted arrivals leave idle
//! containers of known frequency, cold-start cost, size and recency; a new
//! container then needs room, and the probes after it show which container
//! went (its function's next start is the only cold one: `invocations.csv`).
//!
//! The numbers: container start-up 1 s, node disk read 100 MB/s, so a
//! function of the 100 MB image costs 1 + 1 = 2 s to start cold and one of
//! the 900 MB image 1 + 9 = 10 s (FaasCache's cost). Sizes below in GB
//! (the policies rank in bytes: the same order).

use crate::support;

use support::Scratch;

/// A script of one node of `ram` (disk read at 100 MB/s) in service
/// `faas` (container start-up 1 s, kept an hour, eviction by the `policy`
/// parameter), then `rest` (images, functions, workload).
fn script((ram, rest): (&str, &str)) -> String {
    format!(
        r#"param policy = lru
platform {{
  host gateway {{ speed 1Gf/s; cores 1; disk "/" {{ size 1TB; read 1GBps; write 1GBps }} }}
  host node {{ speed 1Gf/s; cores 4; ram {ram}; disk "/" {{ size 1TB; read 100MBps; write 1GBps }} }}
  link lan {{ bandwidth 10Gbps; latency 10us }}
  route gateway <-> node via lan
}}
serverless faas {{
  head gateway:"/"
  compute node
  container_startup 1s
  idle_timeout 1h
  image_downloads off
  eviction policy
}}
{rest}"#
    )
}

/// Four functions left idle, then `n` (kept by no keep-alive: its
/// container goes when it ends) needs room, then one probe each:
///
/// | function | image | size | uses | idle since | GD = F C / S | FREQ = F C | SIZE = F / S |
/// |---|---|---|---|---|---|---|---|
/// | w | big   | 1    | 4 | 301 s (first) | 40 | 40 | 4   |
/// | x | small | 1    | 2 | 501 s         | 4  | 4  | 2   |
/// | y | small | 0.25 | 1 | 601 s         | 8  | 2  | 4   |
/// | z | big   | 2    | 1 | 701 s         | 5  | 10 | 0.5 |
///
/// The node's 5.5 GB hold both images (1 GB) and the four containers
/// (4.25 GB): `n`'s 0.5 GB lack 0.25 GB, which any one container covers.
/// So LRU takes `w`, greedy-dual `x`, FREQ `y`, SIZE `z` (clocks are 0:
/// no eviction before).
const FOUR_VICTIMS: (&str, &str) = (
    "5.5GB",
    r#"
image small { size 100MB; ram 100MB }
image big { size 900MB; ram 900MB }
function w { image big; limits { ram 1GB }; body { sleep 1s } }
function x { image small; limits { ram 1GB }; body { sleep 1s } }
function y { image small; limits { ram 250MB }; body { sleep 1s } }
function z { image big; limits { ram 2GB }; body { sleep 1s } }
function n { image small; keep_alive none; limits { ram 500MB }; body { sleep 1s } }
workload {
  invoke w on faas at 0s
  invoke w on faas at 100s
  invoke w on faas at 200s
  invoke w on faas at 300s
  invoke x on faas at 400s
  invoke x on faas at 500s
  invoke y on faas at 600s
  invoke z on faas at 700s
  invoke n on faas at 1000s
  invoke w on faas at 1100s
  invoke x on faas at 1200s
  invoke y on faas at 1300s
  invoke z on faas at 1400s
}
"#,
);

/// Greedy-dual's clock: `b` (0.8 GB) serves 3 invocations, `a` (1 GB) 1;
/// `c` needs room at 400 s: `a` goes (priority 1 x 2 / 1 = 2 against
/// `b`'s 3 x 2 / 0.8 = 7.5) and the node's clock becomes 2. `a` then
/// serves 3 invocations in a new container, and `c` needs room again at
/// 800 s: `a` stands at clock 2 + 3 x 2 / 1 = 8, `b` (last used before the
/// clock moved) at 0 + 7.5, so `b` goes. Without the clock `a` (6) would.
const AGEING: (&str, &str) = (
    "2.2GB",
    r#"
image small { size 100MB; ram 100MB }
function a { image small; limits { ram 1GB }; body { sleep 1s } }
function b { image small; limits { ram 800MB }; body { sleep 1s } }
function c { image small; keep_alive none; limits { ram 500MB }; body { sleep 1s } }
workload {
  invoke b on faas at 0s
  invoke b on faas at 100s
  invoke b on faas at 200s
  invoke a on faas at 300s
  invoke c on faas at 400s
  invoke a on faas at 500s
  invoke a on faas at 600s
  invoke a on faas at 700s
  invoke c on faas at 800s
  invoke b on faas at 900s
  invoke a on faas at 1000s
}
"#,
);

/// `f`'s idle 2 GB container and its image fill the node (2.1 of 2.15
/// GB); `g`'s image then needs 100 MB of RAM to load, which no cached
/// layer can give (the only one is pinned by `f`'s container): the load
/// evicts `f`'s idle container, by the eviction policy, rather than wait
/// an hour for its keep-alive to end.
const LOAD_NEEDS_ROOM: (&str, &str) = (
    "2.15GB",
    r#"
image small { size 100MB; ram 100MB }
image other { size 100MB; ram 100MB }
function f { image small; limits { ram 2GB }; body { sleep 1s } }
function g { image other; limits { ram 100MB }; body { sleep 1s } }
workload {
  invoke f on faas at 0s
  invoke g on faas at 100s
  invoke f on faas at 200s
}
"#,
);

/// Each invocation's function and start kind (`cold`, `warm`), in id
/// order, from a results folder's `invocations.csv`.
fn starts(out: &std::path::Path) -> Vec<(String, String)> {
    let mut rows: Vec<(u64, String, String)> = support::csv_rows(&out.join("invocations.csv"))
        .into_iter()
        .map(|row| {
            assert_eq!(row["status"], "success", "{row:?}");
            let id = row["id"].parse().expect("an id");
            (id, row["function"].clone(), row["container"].clone())
        })
        .collect();
    rows.sort();
    rows.into_iter().map(|(_, f, k)| (f, k)).collect()
}

/// Runs a scenario with `policy` chosen, and returns its starts.
fn run(name: &str, scenario: (&str, &str), policy: &str) -> Vec<(String, String)> {
    starts(&run_into(name, scenario, policy).join("out"))
}

/// Runs a scenario with `policy` chosen into `out` of the folder returned.
fn run_into(name: &str, scenario: (&str, &str), policy: &str) -> Scratch {
    let dir = Scratch::new(&format!("eviction-{name}-{policy}"));
    support::run_in(
        &dir,
        "script.sls",
        &script(scenario),
        &["-p", &format!("policy={policy}"), "-q"],
    );
    dir
}

/// The functions of the cold starts among the probes (invocations 10 to 13).
fn cold_probes(starts: &[(String, String)]) -> Vec<&str> {
    assert_eq!(starts.len(), 13, "every declared arrival, once");
    starts[9..]
        .iter()
        .filter(|(_, kind)| kind == "cold")
        .map(|(f, _)| f.as_str())
        .collect()
}

#[test]
fn each_policy_evicts_its_own_victim() {
    for (policy, victim) in [("lru", "w"), ("greedy_dual", "x"), ("freq", "y"), ("size", "z")] {
        let starts = run("four", FOUR_VICTIMS, policy);
        // Before the eviction: each function's first start is cold, then warm.
        let kinds: Vec<&str> = starts[..9].iter().map(|(_, k)| k.as_str()).collect();
        assert_eq!(
            kinds,
            ["cold", "warm", "warm", "warm", "cold", "warm", "cold", "cold", "cold"],
            "{policy}"
        );
        assert_eq!(cold_probes(&starts), [victim], "{policy} evicts {victim}");
    }
}

#[test]
fn greedy_dual_ages_functions_not_used_since_the_last_eviction() {
    let starts = run("ageing", AGEING, "greedy_dual");
    let got: Vec<String> = starts.iter().map(|(f, k)| format!("{f}:{k}")).collect();
    assert_eq!(
        got,
        [
            "b:cold", "b:warm", "b:warm", "a:cold", "c:cold", // `a` evicted for `c`
            "a:cold", "a:warm", "a:warm", "c:cold", // then `b`, aged
            "b:cold", "a:warm",
        ]
    );
}

#[test]
fn a_sweep_over_the_eviction_policy_runs_each_one() {
    let dir = Scratch::new("eviction-sweep");
    let script = script(FOUR_VICTIMS) + "sweep policy in [lru, greedy_dual, freq, size]\n";
    support::run_in(&dir, "sweep.sls", &script, &["-q"]);
    let out = dir.join("out");
    for (policy, victim) in [("lru", "w"), ("greedy_dual", "x"), ("freq", "y"), ("size", "z")] {
        let starts = starts(&out.join(format!("policy={policy}")));
        assert_eq!(cold_probes(&starts), [victim], "the sweep's {policy} point");
    }
    let runs = std::fs::read_to_string(out.join("runs.csv")).expect("runs.csv");
    let points: Vec<&str> = runs
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap_or(""))
        .collect();
    assert_eq!(
        points,
        ["policy=lru", "policy=greedy_dual", "policy=freq", "policy=size"]
    );
}

#[test]
fn an_image_load_evicts_idle_containers_rather_than_wait_for_them() {
    for policy in ["lru", "greedy_dual"] {
        let dir = run_into("load", LOAD_NEEDS_ROOM, policy);
        let csv = std::fs::read_to_string(dir.join("out").join("invocations.csv")).expect("invocations.csv");
        let rows: Vec<Vec<&str>> = csv.lines().skip(1).map(|l| l.split(',').collect()).collect();
        // id, function, service, submit, dispatch, start, ...: `g` copies
        // its image (0.1 s), loads it (1 s at 100 MB/s) and starts its
        // container (1 s) at once, not after `f`'s hour of keep-alive;
        // `f` then starts cold again.
        let row = |id: &str| rows.iter().find(|r| r[0] == id).expect("the invocation");
        let start: f64 = row("1")[5].parse().expect("a date");
        assert!((102.0..102.2).contains(&start), "{policy}: `g` starts at {start}");
        assert_eq!((row("1")[1], row("1")[11]), ("g", "cold"), "{policy}");
        assert_eq!((row("2")[1], row("2")[11]), ("f", "cold"), "{policy}");
    }
}

/// A cold start never makes its room by evicting its own image. On a node
/// of 2 GB, `f` (image `a`, 0.9 GB, container 1 GB) and `g` (image `b`,
/// 0.5 GB) leave both images cached, `a` the least recently used; the
/// next `f` needs 1 GB where 0.6 GB are free. Evicting `a` would start it
/// on an image no longer loaded (the node counting 1.9 GB of it free);
/// `b` goes instead, and the `f` after it finds `a` still in RAM: its
/// start is the container's 1 s, not a 9 s load (100 MB/s) first.
#[test]
fn a_cold_start_never_evicts_its_own_image() {
    let rest = r#"
image a { size 900MB; ram 900MB }
image b { size 500MB; ram 500MB }
function f { image a; keep_alive none; limits { ram 1GB }; body { sleep 1s } }
function g { image b; keep_alive none; limits { ram 100MB }; body { sleep 1s } }
workload {
  invoke f at 0s
  invoke g at 100s
  invoke f at 200s
  invoke f at 300s
}
"#;
    let csv = support::run_invocations("eviction-own-image", &script(("2GB", rest)));
    let rows: Vec<Vec<&str>> = csv.lines().skip(1).map(|l| l.split(',').collect()).collect();
    let row = |id: &str| rows.iter().find(|r| r[0] == id).expect("the invocation");
    // id, function, service, submit, dispatch, start, ...
    for (id, submit) in [("2", 200.0), ("3", 300.0)] {
        let start: f64 = row(id)[5].parse().expect("a date");
        assert!(
            (start - submit - 1.0).abs() < 1e-3,
            "`f` {id} starts {} s after its arrival: {csv}",
            start - submit
        );
    }
}

/// Two layers of one image never evict each other. On a node of 1 GB, an
/// idle container of `h` (0.1 GB, image `z` of 0.3 GB, kept an hour) stays;
/// `f`'s image `x` has layers `base` (0.5 GB) and `app` (0.4 GB), which
/// do not fit beside it. Loading `app` once `base` is in RAM evicted
/// `base`, then loading `base` evicted `app`, for the hour `h` stays
/// (7,982 loads in all). Now a load keeps the other layers of its image:
/// each layer of `x` is loaded once (`pulls.csv`).
#[test]
fn two_layers_of_one_image_never_evict_each_other() {
    let script = r#"platform {
  host gw { speed 1Gf/s; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node { speed 1Gf/s; cores 4; ram 1GB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link l { bandwidth 1GBps; latency 10us }
  route gw <-> node via l
}
storage repo on gw:"/"
serverless faas { head gw:"/"; compute node; idle_timeout 1h; image_downloads off; container_startup 100ms }
layer base { size 500MB; ram 500MB }
layer app { size 400MB; ram 400MB }
image x { layers [base, app]; from repo }
image z { size 300MB; ram 300MB; from repo }
function h { image z; limits { ram 100MB }; body { sleep 1s } }
function f { image x; limits { ram 50MB }; body { sleep 1s } }
workload {
  invoke h at 0s
  invoke f at 10s
}
"#;
    let dir = Scratch::new("eviction-sibling-layers");
    support::run_in(&dir, "layers.sls", script, &["-q", "--timeseries", "60s"]);
    let pulls = std::fs::read_to_string(dir.join("out").join("pulls.csv")).expect("pulls.csv");
    let loads: Vec<&str> = pulls
        .lines()
        .filter(|l| l.starts_with("faas,load,"))
        .map(|l| l.split(',').nth(2).expect("the layer"))
        .collect();
    assert_eq!(loads.len(), 3, "{pulls}");
    assert_eq!(loads[0], "z", "{pulls}");
    assert!(loads.contains(&"base") && loads.contains(&"app"), "{pulls}");
    let csv = std::fs::read_to_string(dir.join("out").join("invocations.csv")).expect("invocations.csv");
    assert_eq!(csv.lines().filter(|l| l.contains(",success,")).count(), 2, "{csv}");
    // `app` makes its room by evicting `h` and the image only `h` pinned
    // (0.1 + 0.3 GB for the 0.3 GB missing), not by waiting for `h`'s
    // hour: the two copies end at 10.866 s and 10.974 s (both streams
    // share the link, `app` first); both loads then share the disk's
    // 1 GB/s, `app` done after 0.8 s, `base` after 0.9 s; `f` is
    // dispatched then, at 11.874 s (3,602 s before).
    let f = csv.lines().find(|l| l.starts_with("1,f,")).expect("`f`'s row");
    let dispatch: f64 = f.split(',').nth(4).expect("a dispatch").parse().expect("a date");
    assert!((dispatch - 11.874).abs() < 1e-3, "`f` dispatched at {dispatch}: {csv}");
}

/// An idle container's image counts in the room it leaves: a cold start
/// that its reservation alone cannot make room for evicts it with the
/// layers only it pins. On a node of 1 GB, `h` (0.1 GB, image `z` of
/// 0.3 GB) and `g` (0.15 GB, image `x` of 0.4 GB) stay idle an hour; `f`
/// (0.5 GB, image `x`) arrives at 20 s where 0.05 GB are free. Their
/// reservations (0.25 GB) cannot cover the 0.45 GB missing; with `z`,
/// which only `h` pins, they do (0.55 GB; `x` stays, `f` runs it). So `f`
/// starts at once, by every eviction policy: it waited for `h`'s hour to
/// end before (dispatched at 3,601.7 s).
#[test]
fn a_cold_start_evicts_an_idle_container_with_the_image_only_it_holds() {
    let script = r#"param policy = lru
platform {
  host gw { speed 1Gf/s; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node { speed 1Gf/s; cores 4; ram 1GB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link l { bandwidth 1GBps; latency 10us }
  route gw <-> node via l
}
storage repo on gw:"/"
eviction oldest_idle {
  priority c = idle_since(c)
}
serverless faas { head gw:"/"; compute node; idle_timeout 1h; image_downloads off; container_startup 100ms; eviction policy }
image x { size 400MB; ram 400MB; from repo }
image z { size 300MB; ram 300MB; from repo }
function h { image z; limits { ram 100MB }; body { sleep 1s } }
function g { image x; limits { ram 150MB }; body { sleep 1s } }
function f { image x; limits { ram 500MB }; body { sleep 1s } }
workload {
  invoke h at 0s
  invoke g at 5s
  invoke f at 20s
}
"#;
    for policy in ["lru", "ram", "greedy_dual", "size", "freq", "oldest_idle"] {
        let dir = Scratch::new(&format!("eviction-with-image-{policy}"));
        support::run_in(
            &dir,
            "script.sls",
            script,
            &["-p", &format!("policy={policy}"), "-q", "--timeseries", "60s"],
        );
        let csv = std::fs::read_to_string(dir.join("out").join("invocations.csv")).expect("invocations.csv");
        // id, function, service, submit, dispatch, start, ...
        let f = csv.lines().find(|l| l.starts_with("2,f,")).expect("`f`'s row");
        let fields: Vec<&str> = f.split(',').collect();
        assert_eq!(
            (fields[4], fields[5], fields[9]),
            ("20", "20.1", "success"),
            "{policy}: {csv}"
        );
        // `x` was not reloaded: `f` runs the copy `g` left in RAM.
        let pulls = std::fs::read_to_string(dir.join("out").join("pulls.csv")).expect("pulls.csv");
        let loads: Vec<&str> = pulls.lines().filter(|l| l.starts_with("faas,load,")).collect();
        assert_eq!(loads.len(), 2, "{policy}: {pulls}");
    }
}

//! The placement policies' defining behaviours, through the binary: which
//! node each invocation ran on (`invocations.csv`), for requests spaced out
//! (each alone on an idle system) and for bursts (several in one round).

use crate::support;

use support::Scratch;

/// Four nodes of `slots` slots; `f` and `g` sleep `sleep`; the workload
/// is the `workload` parameter's text.
fn script(slots: u32, sleep: &str, workload: &str) -> String {
    format!(
        r#"param policy = fcfs
platform {{
  host gateway {{ speed 1Gf/s; cores 1; disk "/" {{ size 1TB; read 1GBps; write 1GBps }} }}
  host node[1..4] {{ speed 1Gf/s; cores 8; ram 16GB; disk "/" {{ size 1TB; read 1GBps; write 1GBps }} }}
  link lan[1..4] {{ bandwidth 10Gbps; latency 10us }}
  route gateway <-> node[i] via lan[i]
}}
serverless faas {{
  head gateway:"/"
  compute node[*]
  scheduler policy
  slots {slots}
  idle_timeout 1h
  image_downloads off
}}
image runtime {{ size 0B; ram 0B }}
function f {{ image runtime; limits {{ ram 100MB }}; body {{ sleep {sleep} }} }}
function g {{ image runtime; limits {{ ram 100MB }}; body {{ sleep {sleep} }} }}
workload {{
{workload}
}}
"#
    )
}

/// The node of each invocation of `function`, by invocation id.
fn nodes(name: &str, policy: &str, text: &str, function: &str) -> Vec<String> {
    let dir = Scratch::new(&format!("placement-{name}"));
    support::run_in(&dir, "script.sls", text, &["-p", &format!("policy={policy}"), "-q"]);
    let out = dir.join("out");
    let mut rows: Vec<(u64, String)> = support::csv_rows(&out.join("invocations.csv"))
        .into_iter()
        .filter(|row| row["function"] == function)
        .map(|row| {
            assert_eq!(row["status"], "success", "{row:?}");
            (row["id"].parse().expect("an id"), row["node"].clone())
        })
        .collect();
    rows.sort();
    rows.into_iter().map(|(_, node)| node).collect()
}

/// The 64-bit FNV-1a hash of a name.
fn fnv1a(name: &str) -> u64 {
    name.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn distinct(nodes: &[String]) -> usize {
    let mut nodes = nodes.to_vec();
    nodes.sort();
    nodes.dedup();
    nodes.len()
}

/// One invocation of `f` every 10 s, each over before the next.
const SPACED: &str = "  invoke f every 10s count 8";

#[test]
fn round_robin_gives_nodes_their_turns() {
    let got = nodes("rr", "round_robin", &script(1, "1s", SPACED), "f");
    let turns = ["node[1]", "node[2]", "node[3]", "node[4]"];
    let expected: Vec<String> = turns.iter().chain(&turns).map(|n| n.to_string()).collect();
    assert_eq!(got, expected);
    // fcfs reuses the first node's warm container every time.
    assert_eq!(distinct(&nodes("rr-fcfs", "fcfs", &script(1, "1s", SPACED), "f")), 1);
}

#[test]
fn least_loaded_spreads_a_burst_over_the_nodes() {
    // Eight long invocations at once on four nodes of four slots: two each.
    let text = script(4, "100s", "  invoke f at 1s burst 8");
    let got = nodes("ll", "least_loaded", &text, "f");
    for node in ["node[1]", "node[2]", "node[3]", "node[4]"] {
        assert_eq!(got.iter().filter(|n| *n == node).count(), 2, "{got:?}");
    }
    // fcfs fills the first node, then the second.
    let fcfs = nodes("ll-fcfs", "fcfs", &text, "f");
    assert_eq!(fcfs.iter().filter(|n| *n == "node[1]").count(), 4, "{fcfs:?}");
}

#[test]
fn openwhisk_keeps_a_function_home_and_steps_past_full_nodes() {
    // Spaced invocations all run at the function's home node: FNV-1a of
    // its name, mod 4 (computed here independently).
    let spaced = nodes("ow", "openwhisk", &script(1, "1s", SPACED), "f");
    assert_eq!(distinct(&spaced), 1, "{spaced:?}");
    assert_eq!(spaced[0], format!("node[{}]", fnv1a("f") % 4 + 1));
    // A burst of four on one-slot nodes: home, then every other node once
    // (the co-prime step visits them all).
    let burst = nodes(
        "ow-burst",
        "openwhisk",
        &script(1, "100s", "  invoke f at 1s burst 4"),
        "f",
    );
    assert!(burst.contains(&spaced[0]), "{burst:?}");
    assert_eq!(distinct(&burst), 4, "{burst:?}");
    // Another function has its own home (here another node).
    let g = nodes(
        "ow-g",
        "openwhisk",
        &script(1, "1s", "  invoke g every 10s count 4"),
        "g",
    );
    assert_eq!(distinct(&g), 1, "{g:?}");
    assert_eq!(g[0], format!("node[{}]", fnv1a("g") % 4 + 1));
    assert_ne!(g[0], spaced[0]);
}

#[test]
fn consistent_hashing_sticks_to_a_node_within_its_bound() {
    // Alone on the system, a function keeps to its node on the ring.
    let spaced = nodes("ch", "consistent_hash(1.25)", &script(1, "1s", SPACED), "f");
    assert_eq!(distinct(&spaced), 1, "{spaced:?}");
    // Bound 1: no node above the average, so a burst of eight spreads two
    // per node; a loose bound lets the function's node fill its four slots.
    let burst = "  invoke f at 1s burst 8";
    let tight = nodes("ch-tight", "consistent_hash(1)", &script(4, "100s", burst), "f");
    for node in ["node[1]", "node[2]", "node[3]", "node[4]"] {
        assert_eq!(tight.iter().filter(|n| *n == node).count(), 2, "{tight:?}");
    }
    let loose = nodes("ch-loose", "consistent_hash(100)", &script(4, "100s", burst), "f");
    assert_eq!(loose.iter().filter(|n| **n == spaced[0]).count(), 4, "{loose:?}");
    assert_eq!(distinct(&loose), 2, "{loose:?}");
}

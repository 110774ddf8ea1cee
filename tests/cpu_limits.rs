//! CPU limits per function (`limits { cpu N }`, and a service's
//! `cpu_follows_memory`), through the binary: each invocation's end date
//! (`invocations.csv`), computed by hand. Nodes run at 1 Gflop/s per core;
//! containers start at once and images are already there, so a body starts
//! at its arrival and ends when its computation does.

use crate::support;

/// One compute node of `cores` cores (and as many slots as `slots`); the
/// service's extra properties, the functions and the workload are given.
fn script(cores: u32, slots: u32, service: &str, functions: &str, workload: &str) -> String {
    format!(
        r#"platform {{
  host gateway {{ speed 1Gf/s; cores 1; disk "/" {{ size 1TB; read 1GBps; write 1GBps }} }}
  host node {{ speed 1Gf/s; cores {cores}; ram 16GB; disk "/" {{ size 1TB; read 1GBps; write 1GBps }} }}
  link lan {{ bandwidth 10Gbps; latency 0us }}
  route gateway <-> node via lan
}}
serverless faas {{
  head gateway:"/"
  compute node
  slots {slots}
  container_startup 0s
  image_downloads off
  {service}
}}
image runtime {{ size 0B; ram 0B }}
{functions}
workload {{
{workload}
}}
"#
    )
}

/// (function, end date) of every invocation, in the order they ended.
fn ends(name: &str, text: &str) -> Vec<(String, f64)> {
    let csv = support::run_invocations(&format!("cpu-{name}"), text);
    support::csv_text_rows::<std::collections::BTreeMap<String, String>>(&csv)
        .into_iter()
        .map(|row| {
            assert_eq!(row["status"], "success", "{row:?}");
            (row["function"].clone(), row["end"].parse().expect("a date"))
        })
        .collect()
}

fn one(name: &str, cores: u32, service: &str, limits: &str) -> f64 {
    let function = format!("function f {{ image runtime; limits {{ {limits} }}; body {{ compute 1Gf }} }}");
    let got = ends(name, &script(cores, 1, service, &function, "  invoke f at 0s"));
    assert_eq!(got.len(), 1);
    got[0].1
}

/// Functions f and g, each (limits, flops), invoked at once on a node of
/// `cores` cores with a slot each.
fn pair(name: &str, cores: u32, f: (&str, &str), g: (&str, &str)) -> Vec<(String, f64)> {
    let functions = format!(
        "function f {{ image runtime; limits {{ {} }}; body {{ compute {} }} }}\n\
         function g {{ image runtime; limits {{ {} }}; body {{ compute {} }} }}",
        f.0, f.1, g.0, g.1
    );
    ends(
        name,
        &script(cores, 2, "", &functions, "  invoke f at 0s\n  invoke g at 0s"),
    )
}

#[test]
fn without_cpu_a_body_uses_one_core() {
    assert_eq!(one("default", 4, "", "ram 100MB"), 1.0);
}

#[test]
fn half_a_core_halves_the_speed_on_an_idle_node() {
    // 1e9 flops at 0.5 x 1 Gflop/s: 2 s, though 4 cores are free.
    assert_eq!(one("half", 4, "", "cpu 0.5"), 2.0);
    assert_eq!(one("percent", 4, "", "cpu 50%"), 2.0);
}

#[test]
fn two_cores_double_it_when_the_node_has_them() {
    // 1e9 flops at 2 x 1 Gflop/s: 0.5 s.
    assert_eq!(one("two", 2, "", "cpu 2"), 0.5);
}

#[test]
fn a_busy_node_is_shared_in_proportion_to_cpu() {
    // Three cores, shares 1 and 3 (weighted max-min, as CFS shares do): f
    // gets 0.75 core and g 2.25. f (0.75e9 flops) ends at 1 s, when g has
    // done 2.25e9 of its 4.5e9; g then has its 3 cores, 2.25e9 flops in
    // 0.75 s: it ends at 1.75 s.
    let got = pair("shares", 3, ("cpu 1", "0.75Gf"), ("cpu 3", "4.5Gf"));
    assert_eq!(got, vec![("f".to_string(), 1.0), ("g".to_string(), 1.75)]);
}

#[test]
fn a_small_share_is_weighed_below_its_cap_when_the_node_is_full() {
    // Two cores, shares 0.5 and 2: the level L with 0.5 L + 2 L = 2 cores
    // gives f 0.4 core (under its cap of 0.5) and g 1.6. g's 3e9 flops end
    // at 1.875 s, when f has done 0.75e9; f's last 0.25e9 at its cap of
    // half a core take 0.5 s more: 2.375 s.
    let got = pair("weighed", 2, ("cpu 0.5", "1Gf"), ("cpu 2", "3Gf"));
    assert_eq!(got.len(), 2);
    for ((function, end), (want_function, want)) in got.iter().zip([("g", 1.875), ("f", 2.375)]) {
        assert_eq!(function, want_function);
        assert!((end - want).abs() < 1e-9, "{function} ended at {end}, not {want}");
    }
}

#[test]
fn cpu_follows_memory_gives_a_core_per_amount_of_ram() {
    // One core per 1769MB: 884.5MB buys half a core (2 s), 3538MB two (0.5 s).
    let lambda = "cpu_follows_memory 1769MB";
    assert_eq!(one("lambda-half", 2, lambda, "ram 884.5MB"), 2.0);
    assert_eq!(one("lambda-two", 2, lambda, "ram 3538MB"), 0.5);
    // A function's own `cpu` wins; one without a RAM limit keeps one core.
    assert_eq!(one("lambda-own", 2, lambda, "ram 884.5MB; cpu 2"), 0.5);
    assert_eq!(one("lambda-none", 2, lambda, "time 1h"), 1.0);
}

#[test]
fn cpu_follows_the_memory_an_invocation_is_given() {
    // `with { memory .. }` sets `trace.memory`, the template's RAM limit:
    // 3538MB is two cores (0.5 s), 1769MB one (1 s).
    let function = "function f { image runtime; limits { ram trace.memory }; body { compute 1Gf } }";
    let workload = "  invoke f at 0s with { memory 3538MB }\n  invoke f at 10s with { memory 1769MB }";
    let got = ends("argued", &script(2, 2, "cpu_follows_memory 1769MB", function, workload));
    assert_eq!(got, vec![("f".to_string(), 0.5), ("f".to_string(), 11.0)]);
}

#[test]
fn cpu_follows_the_memory_a_replay_gives() {
    // A trace function's RAM limit from a column, or from the value a
    // mapping gives for the rows (set at its first arrival): 3538MB is two
    // cores either way. The value gave one (1 s), the RAM limit set but its
    // cores left as they were without it.
    let dir = support::Scratch::new("cpu-replayed-trace");
    let trace = dir.join("rows.csv");
    std::fs::write(&trace, "at,name,mb\n0,f,3538\n10,f,3538\n").expect("trace");
    let function = "function f { image runtime; limits { ram trace.memory }; body { compute 1Gf } }";
    let trace = trace.display();
    for memory in ["memory column(\"mb\", 1MB)", "memory 3538MB"] {
        let workload =
            format!("  replay csv \"{trace}\" as f {{ time column(\"at\", 1s); function column(\"name\"); {memory} }}");
        let got = ends(
            "replayed",
            &script(2, 2, "cpu_follows_memory 1769MB", function, &workload),
        );
        assert_eq!(got, vec![("f".to_string(), 0.5), ("f".to_string(), 10.5)], "{memory}");
    }
}

/// The summary's `busy_core_seconds` of the one node, running `functions`
/// under `workload` with the service's extra properties `service`.
fn busy(name: &str, service: &str, functions: &str, workload: &str) -> f64 {
    let dir = support::Scratch::new(&format!("cpu-busy-{name}"));
    let path = dir.join("script.sls");
    std::fs::write(&path, script(4, 4, service, functions, workload)).expect("script");
    let out = dir.join("out");
    support::run_into(&path, &out, &[]);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).expect("summary")).expect("JSON");
    let nodes = summary["nodes"].as_array().expect("nodes");
    assert_eq!(nodes.len(), 1);
    nodes[0]["busy_core_seconds"].as_f64().expect("a number")
}

#[test]
fn busy_core_seconds_count_the_cores_a_body_holds() {
    // 4Gf at 1Gf/s per core, alone on the node: 8 s at cpu 0.5, 4 s at 1,
    // 2 s at 2 (examples/cpu.sls's times), each 4 core-seconds of work.
    for (cpu, name) in [("0.5", "half"), ("1", "one"), ("2", "two")] {
        let function = format!("function f {{ image runtime; limits {{ cpu {cpu} }}; body {{ compute 4Gf }} }}");
        let got = busy(name, "", &function, "  invoke f at 0s\n  invoke f at 20s");
        assert!((got - 8.0).abs() < 1e-9, "cpu {cpu}: {got}");
    }
    // A body holds its cores while it sleeps too: 3 s at cpu 2 is 6; a
    // function without `cpu` or RAM limit, 1 s at one core; under
    // cpu_follows_memory, 3538MB is 2 cores, for 0.5 s: 1. In all, 8.
    let functions = "function s { image runtime; limits { cpu 2 }; body { sleep 3s } }\n\
                     function o { image runtime; limits { time 1h }; body { sleep 1s } }\n\
                     function m { image runtime; limits { ram 3538MB }; body { compute 1Gf } }";
    let workload = "  invoke s at 0s\n  invoke o at 10s\n  invoke m at 20s";
    let got = busy("mixed", "cpu_follows_memory 1769MB", functions, workload);
    assert!((got - 8.0).abs() < 1e-9, "{got}");
}

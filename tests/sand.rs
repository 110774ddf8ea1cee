//! SAND's effects come out of the model when its component costs go in:
//! each example of `examples/sand/` is run and the figures its header
//! states are asserted.

use crate::support;

use std::path::Path;

use sls::serverless::RunOptions;

fn run(example: &str) -> support::Scratch {
    let path = support::root().join(example);
    let checked = support::check_file(&path);
    let program = checked
        .program
        .unwrap_or_else(|d| panic!("{}", d.render(&checked.sources, false, 80)));
    let model = &program.points[0].model;
    let dir = support::Scratch::new(&format!("sand-{}", example.replace('/', "_")));
    sls::driver::run_to_end(model, model.seed, &RunOptions::default(), &dir).expect("the run completes");
    dir
}

fn csv(dir: &Path, file: &str) -> Vec<std::collections::HashMap<String, String>> {
    let text = std::fs::read_to_string(dir.join(file)).expect("output file");
    support::csv_text_rows(&text)
}

fn close(got: f64, want: f64, tolerance: f64, what: &str) {
    assert!(
        (got - want).abs() <= tolerance,
        "{what}: got {got}, expected {want} (within {tolerance})"
    );
}

#[test]
fn memory_of_fifty_concurrent_invocations() {
    let dir = run("examples/sand/memory.sls");
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("summary.json")).expect("summary")).expect("json");
    let peak = |node: &str| {
        summary["nodes"]
            .as_array()
            .expect("nodes")
            .iter()
            .find(|n| n["node"] == node)
            .expect("node")["peak_memory"]
            .as_f64()
            .expect("a number")
    };
    close(peak("ow"), 50.0 * 14.61e6, 1.0, "containers");
    close(peak("sbx"), 16.35e6 + 50.0 * 1.1e6, 1.0, "SAND");
    assert!(peak("ow") / peak("sbx") > 10.0);
}

#[test]
fn interaction_latency_local_and_global_bus() {
    let dir = run("examples/sand/interaction.sls");
    let rows = csv(&dir, "invocations.csv");
    // The second's start minus the first's end, per service, first (cold)
    // and second (warm) instance, in submission order.
    let latency = |service: &str| -> Vec<f64> {
        let of = |f: &str| -> Vec<&std::collections::HashMap<String, String>> {
            let mut r: Vec<_> = rows
                .iter()
                .filter(|r| r["service"] == service && r["function"] == f)
                .collect();
            r.sort_by_key(|r| r["id"].parse::<u64>().expect("id"));
            r
        };
        of("first")
            .iter()
            .zip(of("second"))
            .map(|(a, b)| b["start"].parse::<f64>().unwrap() - a["end"].parse::<f64>().unwrap())
            .collect()
    };
    let (ow, sand) = (latency("openwhisk"), latency("sand"));
    close(ow[0], 1.20819, 1e-6, "openwhisk cold");
    close(ow[1], 0.00819, 1e-6, "openwhisk warm");
    close(sand[0], 0.1531, 1e-6, "sand cold");
    close(sand[1], 0.0031, 1e-6, "sand warm");
    assert!(ow[1] / sand[1] > 2.5 && ow[0] / sand[0] > 7.5);
}

#[test]
fn image_pipeline_openwhisk_against_sand() {
    let dir = run("examples/sand/pipeline.sls");
    let rows = csv(&dir, "workflows.csv");
    let median = |service: &str| {
        let mut v: Vec<f64> = rows
            .iter()
            .filter(|r| r["service"] == service)
            .map(|r| r["latency"].parse().unwrap())
            .collect();
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (ow, sand) = (median("openwhisk"), median("sand"));
    close(ow, 0.157969392, 1e-6, "openwhisk pipeline");
    close(sand, 0.10011, 1e-6, "sand pipeline");
    assert!(
        1.0 - sand / ow > 0.35,
        "SAND takes {:.0}% less time",
        (1.0 - sand / ow) * 100.0
    );
}

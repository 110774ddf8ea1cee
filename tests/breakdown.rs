//! What happened, broken down, through the real binary and checked against
//! an independent count of `invocations.csv`: per service and per function
//! outcomes and starts, latency percentiles within their stated bound, the
//! workflow instance of each row, and the documented row order.

use crate::support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use support::Scratch;

/// Scripts with several services, several functions, failures, workflows.
const SCRIPTS: [&str; 5] = [
    "examples/multi_service.sls",
    "examples/workflow.sls",
    "examples/sand/pipeline.sls",
    "examples/failures.sls",
    "examples/patterns.sls",
];

struct Row {
    function: String,
    service: String,
    submit: f64,
    end: Option<f64>,
    finish: f64,
    success: bool,
    container: String,
    instance: Option<u64>,
}

fn read_rows(csv: &str) -> Vec<Row> {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().expect("header").split(',').collect();
    assert_eq!(
        header,
        [
            "id",
            "function",
            "service",
            "submit",
            "dispatch",
            "start",
            "end",
            "finish",
            "node",
            "status",
            "cause",
            "container",
            "startup",
            "instance"
        ]
    );
    lines
        .map(|line| {
            let c: Vec<&str> = line.split(',').collect();
            let date = |s: &str| (!s.is_empty()).then(|| s.parse::<f64>().expect("a date"));
            Row {
                function: c[1].to_string(),
                service: c[2].to_string(),
                submit: date(c[3]).expect("submit"),
                end: date(c[6]),
                finish: date(c[7]).expect("finish"),
                success: c[9] == "success",
                container: c[11].to_string(),
                instance: (!c[13].is_empty()).then(|| c[13].parse().expect("an instance id")),
            }
        })
        .collect()
}

/// The nearest-rank percentile of sorted values.
fn nearest_rank(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p / 100.0 * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Checks one part of the summary against the rows it covers.
fn check_part(script: &str, part: &serde_json::Value, rows: &[&Row]) {
    let name = part["name"].as_str().unwrap_or("run");
    let count = |pred: &dyn Fn(&Row) -> bool| rows.iter().filter(|r| pred(r)).count() as u64;
    assert_eq!(part["invocations"], rows.len() as u64, "{script} {name}");
    assert_eq!(part["succeeded"], count(&|r| r.success), "{script} {name}");
    for kind in ["cold", "warm", "prewarmed"] {
        assert_eq!(
            part[format!("{kind}_starts")],
            count(&|r| r.container == kind),
            "{script} {name} {kind}"
        );
    }
    let mut latencies: Vec<f64> = rows
        .iter()
        .filter(|r| r.success)
        .filter_map(|r| Some(r.end? - r.submit))
        .collect();
    latencies.sort_by(f64::total_cmp);
    if latencies.is_empty() {
        return;
    }
    for p in [50.0, 95.0, 99.0] {
        let exact = nearest_rank(&latencies, p);
        let shown = part["latency"][format!("p{p}")].as_f64().expect("a percentile");
        // At most 1/4096 below the exact value; the CSV's dates are rounded
        // to the nanosecond.
        assert!(
            shown <= exact + 2e-9 && exact - shown <= exact / 4096.0 + 2e-9,
            "{script} {name} p{p}: {shown} for {exact}"
        );
    }
}

#[test]
fn per_service_and_per_function_counts_match_the_rows() {
    let dir = Scratch::new("breakdown");
    for (i, script) in SCRIPTS.iter().enumerate() {
        let out = dir.join(format!("run{i}"));
        let output = Command::new(env!("CARGO_BIN_EXE_sls"))
            .args(["run", script, "--out", out.to_str().expect("utf-8")])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("sls runs");
        assert!(
            output.status.success(),
            "{script}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        let summary: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).expect("summary")).expect("json");
        let rows = read_rows(&std::fs::read_to_string(out.join("invocations.csv")).expect("rows"));
        check_part(script, &summary, &rows.iter().collect::<Vec<_>>());
        type Key = fn(&Row) -> String;
        let by: [(&str, Key); 2] = [
            ("services", |r| r.service.clone()),
            ("functions", |r| format!("{}@{}", r.function, r.service)),
        ];
        for (kind, key) in by {
            let parts = summary[kind].as_array().expect("parts");
            let mut groups: BTreeMap<String, Vec<&Row>> = BTreeMap::new();
            for r in &rows {
                groups.entry(key(r)).or_default().push(r);
            }
            assert_eq!(parts.len(), groups.len(), "{script} {kind}");
            for part in parts {
                let name = match part["service"].as_str() {
                    Some(service) => format!("{}@{service}", part["name"].as_str().expect("name")),
                    None => part["name"].as_str().expect("name").to_string(),
                };
                check_part(script, part, &groups[&name]);
            }
            if parts.len() > 1 {
                let title = format!("per {}", &kind[..kind.len() - 1]);
                assert!(stdout.contains(&title), "{script} prints {title}: {stdout}");
            }
        }
        // Rows are written as outcomes become known: by finish date (a
        // workflow node's row waits for its output to be stored).
        let alone: Vec<f64> = rows.iter().filter(|r| r.instance.is_none()).map(|r| r.finish).collect();
        assert!(
            alone.windows(2).all(|w| w[0] <= w[1]),
            "{script}: rows out of finish order"
        );
        check_instances(script, &out, &rows);
    }
}

/// Workflow rows name their instance; each instance's rows are the nodes
/// `workflows.csv` says it ran; other rows name none.
fn check_instances(script: &str, out: &Path, rows: &[Row]) {
    let Ok(workflows) = std::fs::read_to_string(out.join("workflows.csv")) else {
        assert!(rows.iter().all(|r| r.instance.is_none()), "{script}");
        return;
    };
    let mut ran: BTreeMap<u64, u64> = BTreeMap::new();
    for line in workflows.lines().skip(1) {
        let c: Vec<&str> = line.split(',').collect();
        ran.insert(c[0].parse().expect("instance"), c[7].parse().expect("ran"));
    }
    let mut seen: BTreeMap<u64, u64> = BTreeMap::new();
    for r in rows {
        if let Some(i) = r.instance {
            *seen.entry(i).or_default() += 1;
        }
    }
    assert!(!seen.is_empty(), "{script}: no row names an instance");
    assert_eq!(seen, ran, "{script}: rows per instance against workflows.csv");
}

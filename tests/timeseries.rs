//! Time series (`sls run --timeseries`), through the real binary, against
//! hand calculations: one worker with two 1 Gf/s cores, a 100 MB image
//! (50 MB in RAM) downloaded over a 100 MB/s link then copied over a
//! 200 MB/s one, two invocations ten seconds apart of a function of 256 MB
//! computing 1 Gf (one second on one core), idle containers kept 2 s.
//!
//! By hand: the download takes [0, 1), the copy [1, 1.5), the load into
//! RAM [1.5, 1.55); the first invocation waits from 0 to 1.55 and runs to
//! 2.55, its container idle to 4.55; the second arrives at 10, starts cold
//! at once, runs to 11, idle to 13, when the run ends.

use crate::support;

use std::collections::BTreeMap;
use std::process::Command;

use support::{Scratch, csv_rows};

const SCRIPT: &str = r#"platform {
  host registry { speed 1Gf/s; cores 1; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host gateway { speed 1Gf/s; cores 1; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host worker { speed 1Gf/s; cores 2; ram 4GB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link wan { bandwidth 100MBps; latency 0s }
  link lan { bandwidth 200MBps; latency 0s }
  route registry <-> gateway via wan
  route gateway <-> worker via lan
  network raw
}
storage repo on registry:"/"
serverless faas { head gateway:"/"; compute worker; container_startup 0s; idle_timeout 2s }
image base { size 100MB; ram 50MB; from repo }
function f { image base; limits { ram 256MB }; body { compute 1Gf } }
workload { invoke f on faas every 10s count 2 }
"#;

fn run(dir: &std::path::Path, args: &[&str]) {
    support::run_in(dir, "hand.sls", SCRIPT, args);
}

fn number(row: &BTreeMap<String, String>, column: &str) -> f64 {
    row[column]
        .parse()
        .unwrap_or_else(|_| panic!("{column} = {}", row[column]))
}

/// One column of the rows whose `key` column is `value`, by interval.
fn column(rows: &[BTreeMap<String, String>], key: &str, value: &str, column: &str) -> Vec<f64> {
    rows.iter()
        .filter(|r| r[key] == value)
        .map(|r| number(r, column))
        .collect()
}

/// Function `f`'s `name` integrated over the intervals: each mean times
/// the `seconds(k)` interval `k` covers.
fn integral(rows: &[BTreeMap<String, String>], name: &str, seconds: impl Fn(usize) -> f64) -> f64 {
    column(rows, "function", "f", name)
        .iter()
        .enumerate()
        .map(|(k, mean)| mean * seconds(k))
        .sum()
}

fn assert_close(actual: &[f64], expected: &[f64]) {
    assert_eq!(actual.len(), expected.len(), "{actual:?} vs {expected:?}");
    for (a, e) in actual.iter().zip(expected) {
        assert!((a - e).abs() <= 1e-9 * e.abs().max(1.0), "{actual:?} vs {expected:?}");
    }
}

const MB: f64 = 1e6;

#[test]
fn containers_memory_and_invocations_per_second_are_those_counted_by_hand() {
    let dir = Scratch::new("timeseries-functions");
    run(&dir, &["--timeseries", "1s"]);
    let rows = csv_rows(&dir.join("out/series-functions.csv"));
    // 13 intervals: the run ends at 13 s.
    let zeros = |n: usize| vec![0.0; n];
    let busy = [0.0, 0.45, 0.55, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0];
    let idle = [0.0, 0.0, 0.45, 1.0, 0.55, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0];
    assert_close(&column(&rows, "function", "f", "containers_busy"), &busy);
    assert_close(&column(&rows, "function", "f", "containers_idle"), &idle);
    assert_close(&column(&rows, "function", "f", "containers_starting"), &zeros(13));
    // Reserved memory: containers (busy or idle) x 256 MB; idle memory: idle ones x 256 MB.
    let reserved: Vec<f64> = busy.iter().zip(&idle).map(|(b, i)| (b + i) * 256.0 * MB).collect();
    let idle_memory: Vec<f64> = idle.iter().map(|i| i * 256.0 * MB).collect();
    assert_close(&column(&rows, "function", "f", "memory_reserved_bytes"), &reserved);
    assert_close(&column(&rows, "function", "f", "memory_idle_bytes"), &idle_memory);
    // Waiting from 0 to 1.55; running 1.55 to 2.55 and 10 to 11.
    let mut waiting = zeros(13);
    waiting[0] = 1.0;
    waiting[1] = 0.55;
    assert_close(&column(&rows, "function", "f", "waiting"), &waiting);
    assert_close(&column(&rows, "function", "f", "running"), &busy);
    // Arrivals at 0 and 10; cold starts (by start date) at 1.55 and 10.
    let (mut arrivals, mut cold_starts) = (zeros(13), zeros(13));
    (arrivals[0], arrivals[10], cold_starts[1], cold_starts[10]) = (1.0, 1.0, 1.0, 1.0);
    assert_eq!(column(&rows, "function", "f", "arrivals"), arrivals);
    assert_eq!(column(&rows, "function", "f", "cold_starts"), cold_starts);
    // One function: the service's rows are its rows.
    let services = csv_rows(&dir.join("out/series-services.csv"));
    assert_close(&column(&services, "service", "faas", "containers_idle"), &idle);
}

#[test]
fn nodes_and_links_are_those_counted_by_hand() {
    let dir = Scratch::new("timeseries-platform");
    run(&dir, &["--timeseries", "1s"]);
    let nodes = csv_rows(&dir.join("out/series-nodes.csv"));
    // One core of two busy while an invocation runs.
    let cpu: Vec<f64> = [0.0, 0.45, 0.55, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0]
        .iter()
        .map(|b| b / 2.0)
        .collect();
    assert_close(&column(&nodes, "host", "worker", "cpu_utilisation"), &cpu);
    // RAM: the layer's 50 MB from 1.5 s on, and each container's 256 MB.
    let ram = column(&nodes, "host", "worker", "ram_used_bytes");
    assert_close(
        &ram[1..6],
        &[
            25.0 * MB + 0.45 * 256.0 * MB,
            306.0 * MB,
            306.0 * MB,
            50.0 * MB + 0.55 * 256.0 * MB,
            50.0 * MB,
        ],
    );
    // Disk: the layer's 100 MB from its copy's start (1 s) on.
    let disk = column(&nodes, "host", "worker", "disk_used_bytes");
    assert_close(&disk[..3], &[0.0, 100.0 * MB, 100.0 * MB]);
    // The links carry the image once each: the download at 100 MB/s, the copy at 200 MB/s.
    let links = csv_rows(&dir.join("out/series-links.csv"));
    let wan = column(&links, "link", "wan", "bytes");
    let lan = column(&links, "link", "lan", "bytes");
    assert_close(&[wan.iter().sum(), lan.iter().sum()], &[100.0 * MB, 100.0 * MB]);
    assert_close(&column(&links, "link", "wan", "utilisation")[..2], &[1.0, 0.0]);
    assert_close(&column(&links, "link", "lan", "utilisation")[..3], &[0.0, 0.5, 0.0]);
}

#[test]
fn pulls_are_events_with_their_dates_and_bytes() {
    let dir = Scratch::new("timeseries-pulls");
    run(&dir, &["--timeseries", "1s"]);
    let pulls = csv_rows(&dir.join("out/pulls.csv"));
    let summary: Vec<(String, String, f64, f64, f64)> = pulls
        .iter()
        .map(|p| {
            let n = |c: &str| number(p, c);
            (p["kind"].clone(), p["host"].clone(), n("start"), n("end"), n("bytes"))
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("download".into(), "gateway".into(), 0.0, 1.0, 100.0 * MB),
            ("copy".into(), "worker".into(), 1.0, 1.5, 100.0 * MB),
            ("load".into(), "worker".into(), 1.5, 1.55, 50.0 * MB),
        ]
    );
    assert!(pulls.iter().all(|p| p["outcome"] == "done" && p["images"] == "base"));
}

#[test]
fn any_interval_gives_the_same_totals_and_a_last_interval_cut_at_the_end() {
    let dir = Scratch::new("timeseries-interval");
    run(&dir, &["--timeseries", "300ms"]);
    let rows = csv_rows(&dir.join("out/series-functions.csv"));
    // 13 s in intervals of 0.3 s: 43 whole ones and one of 0.1 s.
    assert_eq!(rows.len(), 44);
    let total = |name: &str| integral(&rows, name, |k| if k == 43 { 0.1 } else { 0.3 });
    // Busy 2 s, idle 4 s, waiting 1.55 s, running 2 s.
    assert_close(
        &[
            total("containers_busy"),
            total("containers_idle"),
            total("waiting"),
            total("running"),
        ],
        &[2.0, 4.0, 1.55, 2.0],
    );
    assert_close(&[total("memory_reserved_bytes")], &[6.0 * 256.0 * MB]);
}

#[test]
fn a_run_outlasting_the_intervals_kept_has_them_widened_and_says_so() {
    // 13 s in intervals of 50 us: 260,000, more than the 131,072 kept;
    // widened once, to 100 us: 130,000. Before, every interval was kept,
    // and a trace's duration of 1e308 s took all memory.
    let dir = Scratch::new("timeseries-widened");
    run(&dir, &["--timeseries", "50us", "-q"]);
    assert_widened_as_by_hand(&dir.join("out"), 130_000, 1e-4);
    let summary = std::fs::read_to_string(dir.join("out/summary.json")).expect("the summary");
    assert!(
        summary.contains(
            "time series: intervals of 0.0001 s, not the 0.00005 s asked: the run outlasted the 131072 intervals kept"
        ),
        "{summary}"
    );
}

/// The hand example's tables in `out`: `intervals` of `width` seconds in
/// every table (one grid), and the totals counted by hand whatever the
/// interval: busy 2 s, idle 4 s, waiting 1.55 s, running 2 s; the two
/// arrivals and cold starts counted once each.
fn assert_widened_as_by_hand(out: &std::path::Path, intervals: usize, width: f64) {
    let rows = csv_rows(&out.join("series-functions.csv"));
    assert_eq!(rows.len(), intervals);
    assert!(rows.iter().all(|r| number(r, "seconds") == width));
    for table in ["series-services", "series-nodes"] {
        let rows = csv_rows(&out.join(format!("{table}.csv")));
        assert_eq!(rows.len(), intervals, "{table}: one grid for every table");
    }
    let total = |name: &str| integral(&rows, name, |_| width);
    assert_close(
        &[
            total("containers_busy"),
            total("containers_idle"),
            total("waiting"),
            total("running"),
            column(&rows, "function", "f", "arrivals").iter().sum(),
            column(&rows, "function", "f", "cold_starts").iter().sum(),
        ],
        &[2.0, 4.0, 1.55, 2.0, 2.0, 2.0],
    );
}

/// The hand example, written in `dir` and checked.
fn hand_example(dir: &std::path::Path) -> sls::ir::model::Program {
    let script = dir.join("hand.sls");
    std::fs::write(&script, SCRIPT).expect("the script");
    let checked = sls::check::check(&script, SCRIPT.to_string(), &sls::check::Options::default());
    checked.program.expect("the hand example checks")
}

/// Run options letting the series hold 3,200 values: some 100 intervals
/// of the hand example's 30-odd quantities.
fn few_cells() -> sls::serverless::RunOptions {
    sls::serverless::RunOptions {
        series_cells: 3_200,
        ..Default::default()
    }
}

/// Twenty thousand functions metered each second would hold some 150 GB
/// of means in a day: a run metering many quantities keeps fewer intervals
/// (a GiB of means at most: `engine::SERIES_CELLS`), widened as before, and
/// says why. The hand example, its series allowed 3,200 values (some 30
/// quantities per interval: about 100 intervals), at 0.1 s: its 13 s
/// outlast them, so every table widens to 0.2 s, on one grid, with the
/// totals counted by hand.
#[test]
fn a_run_metering_many_quantities_keeps_fewer_intervals_and_says_why() {
    let dir = Scratch::new("timeseries-cells");
    let program = hand_example(&dir);
    let model = &program.points[0].model;
    let options = few_cells();
    let output = sls::driver::Output {
        timeseries: Some(0.1),
        ..Default::default()
    };
    let out = dir.join("out");
    let summary = sls::driver::run_model(model, model.seed, &options, &out, output, None, &mut |_, _| {
        std::ops::ControlFlow::Continue(())
    })
    .expect("the run");
    let warning = summary
        .warnings
        .iter()
        .find(|w| w.starts_with("time series:"))
        .expect("a warning");
    assert!(
        warning.starts_with("time series: intervals of 0.2 s, not the 0.1 s asked: the run outlasted the")
            && warning.contains("intervals kept (so few for the many functions, nodes and links metered"),
        "{warning}"
    );
    // 13 s in intervals of 0.2 s.
    assert_widened_as_by_hand(&out, 65, 0.2);
}

/// What a run tells its sink: the intervals kept, and the records after.
#[derive(Default)]
struct Told {
    kept: Option<u64>,
    records_before_kept: usize,
    records: usize,
}

impl sls::report::Sink for Told {
    fn begin(&mut self, _: &sls::report::Names) {}

    fn keep_intervals(&mut self, kept: u64) {
        self.kept = Some(kept);
        self.records_before_kept = self.records;
    }

    fn records(&mut self, records: &mut Vec<sls::report::InvocationRecord>) -> std::io::Result<()> {
        self.records += records.len();
        records.clear();
        Ok(())
    }

    fn workflow(&mut self, _: sls::report::WorkflowRecord) -> std::io::Result<()> {
        Ok(())
    }

    fn edge(&mut self, _: &sls::report::EdgeRecord) -> std::io::Result<()> {
        Ok(())
    }
}

/// The report's own series per function (kept beside the run's, on
/// another thread) keeps the run's intervals: the run tells its sink how
/// many before any record, or that series would keep 131,072 intervals per
/// function whatever the run's meters keep.
#[test]
fn a_run_tells_its_sink_the_intervals_kept_before_any_record() {
    let dir = Scratch::new("timeseries-told");
    let program = hand_example(&dir);
    let model = &program.points[0].model;
    let options = few_cells();
    let mut told = Told::default();
    let kept = {
        let mut run = sls::serverless::Run::new(model, model.seed, &options, &mut told).expect("a run");
        let kept = run.meter(0.1);
        run.run().expect("the run ends");
        kept
    };
    assert!((64..sls::engine::MAX_INTERVALS).contains(&kept), "{kept}");
    assert_eq!(told.kept, Some(kept));
    assert_eq!((told.records_before_kept, told.records), (0, 2));
}

#[test]
fn parquet_tables_match_the_csv_and_a_run_without_the_flag_writes_none() {
    let dir = Scratch::new("timeseries-parquet");
    run(&dir, &["--timeseries", "1s", "--invocations", "parquet"]);
    for table in [
        "series-functions",
        "series-services",
        "series-nodes",
        "series-links",
        "pulls",
    ] {
        assert!(dir.join(format!("out/{table}.parquet")).is_file(), "{table}.parquet");
        assert!(!dir.join(format!("out/{table}.csv")).exists(), "{table}.csv");
    }
    #[cfg(feature = "parquet")]
    {
        use parquet::file::reader::{FileReader, SerializedFileReader};
        let file = std::fs::File::open(dir.join("out/series-functions.parquet")).expect("parquet");
        let reader = SerializedFileReader::new(file).expect("a Parquet file");
        assert_eq!(reader.metadata().file_metadata().num_rows(), 13);
    }
    run(&dir, &[]);
    for table in ["series-functions", "series-nodes", "pulls"] {
        for extension in ["csv", "parquet"] {
            assert!(
                !dir.join(format!("out/{table}.{extension}")).exists(),
                "{table}.{extension}"
            );
        }
    }
}

#[test]
fn an_interval_without_unit_or_of_zero_is_refused() {
    for interval in ["1", "0s"] {
        let output = Command::new(env!("CARGO_BIN_EXE_sls"))
            .args(["run", "examples/basic.sls", "--timeseries", interval])
            .output()
            .expect("the sls binary runs");
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("--timeseries"), "{stderr}");
    }
}

/// Per `function@service`: the sum of a column's means x their seconds.
fn totals(rows: &[BTreeMap<String, String>], column: &str) -> BTreeMap<String, f64> {
    let mut totals = BTreeMap::new();
    for row in rows {
        let key = format!("{}@{}", row["function"], row["service"]);
        *totals.entry(key).or_insert(0.0) += number(row, column) * number(row, "seconds");
    }
    totals
}

/// Per `function@service`: the sum of a column of counts.
fn totals_of(rows: &[BTreeMap<String, String>], column: &str) -> BTreeMap<String, f64> {
    let mut totals = BTreeMap::new();
    for row in rows {
        let key = format!("{}@{}", row["function"], row["service"]);
        *totals.entry(key).or_insert(0.0) += number(row, column);
    }
    totals
}

/// Every example's series against independent counts: its rows (time
/// running from start to finish, waiting from submission to dispatch,
/// arrivals and cold starts per interval of their submission and start) and
/// its summary (container-seconds reserved, and idle outside SAND;
/// invocations and cold starts).
#[test]
fn over_every_example_the_series_add_up_to_the_rows_and_the_summary() {
    let dir = Scratch::new("timeseries-examples");
    let mut examples: Vec<std::path::PathBuf> = Vec::new();
    for folder in ["examples", "examples/sand", "examples/policies", "examples/wrench"] {
        let Ok(entries) = std::fs::read_dir(folder) else {
            continue;
        };
        examples.extend(
            entries
                .map(|e| e.expect("entry").path())
                .filter(|p| p.extension().is_some_and(|e| e == "sls")),
        );
    }
    examples.sort();
    let mut checked = 0;
    for example in &examples {
        let out = dir.join(example.to_string_lossy().replace('/', "_"));
        let status = Command::new(env!("CARGO_BIN_EXE_sls"))
            .arg("run")
            .arg(example)
            .args(["--timeseries", "7s", "-q", "--out"])
            .arg(&out)
            .output()
            .expect("the sls binary runs");
        if !status.status.success() || !out.join("series-functions.csv").exists() {
            continue; // a sweep (checked through its runs elsewhere), or a script needing a trace
        }
        let series = csv_rows(&out.join("series-functions.csv"));
        let (running, waiting) = (totals(&series, "running"), totals(&series, "waiting"));
        let mut held = totals(&series, "containers_busy");
        for (k, v) in totals(&series, "containers_idle")
            .into_iter()
            .chain(totals(&series, "containers_starting"))
        {
            *held.entry(k).or_insert(0.0) += v;
        }
        let idle = totals(&series, "containers_idle");
        let mut rows_running: BTreeMap<String, f64> = BTreeMap::new();
        let mut rows_waiting: BTreeMap<String, f64> = BTreeMap::new();
        let mut rows = 0usize;
        // Per `function@service` and interval: arrivals and cold starts.
        let mut rows_counts: BTreeMap<(String, usize), [f64; 2]> = BTreeMap::new();
        let block = |r: &BTreeMap<String, String>| (r["function"].clone(), r["service"].clone());
        let intervals = series.iter().filter(|r| block(r) == block(&series[0])).count();
        let interval_of = |t: f64| ((t / 7.0) as usize).min(intervals - 1);
        for row in csv_rows(&out.join("invocations.csv")) {
            rows += 1;
            let key = format!("{}@{}", row["function"], row["service"]);
            let date = |c: &str| row[c].parse::<f64>().ok();
            let (submit, finish) = (number(&row, "submit"), number(&row, "finish"));
            rows_counts.entry((key.clone(), interval_of(submit))).or_default()[0] += 1.0;
            if row["container"] == "cold" {
                let start = date("start").expect("a cold start has a start");
                rows_counts.entry((key.clone(), interval_of(start))).or_default()[1] += 1.0;
            }
            if let Some(start) = date("start") {
                *rows_running.entry(key.clone()).or_insert(0.0) += finish - start;
            }
            *rows_waiting.entry(key).or_insert(0.0) += date("dispatch").unwrap_or(finish) - submit;
        }
        let close = |a: f64, b: f64, what: &str, key: &str| {
            // The rows' dates are rounded to the nanosecond.
            let tolerance = 1e-9 * b.abs().max(1.0) + 1e-9 * rows as f64;
            assert!(
                (a - b).abs() <= tolerance,
                "{}: {what} of {key}: series {a}, counted {b}",
                example.display()
            );
        };
        for (key, seconds) in &rows_running {
            close(running.get(key).copied().unwrap_or(0.0), *seconds, "running", key);
        }
        for (key, seconds) in &rows_waiting {
            close(waiting.get(key).copied().unwrap_or(0.0), *seconds, "waiting", key);
        }
        for (k, row) in series.iter().enumerate() {
            let key = format!("{}@{}", row["function"], row["service"]);
            let counted = rows_counts
                .get(&(key.clone(), k % intervals))
                .copied()
                .unwrap_or_default();
            let written = [number(row, "arrivals"), number(row, "cold_starts")];
            assert_eq!(
                written,
                counted,
                "{}: {key}, interval {}",
                example.display(),
                k % intervals
            );
        }
        let summary: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).expect("summary")).expect("json");
        let sand = example.starts_with("examples/sand");
        let (arrivals, cold_starts) = (totals_of(&series, "arrivals"), totals_of(&series, "cold_starts"));
        for f in summary["functions"].as_array().expect("functions") {
            let key = format!(
                "{}@{}",
                f["name"].as_str().unwrap_or(""),
                f["service"].as_str().unwrap_or("")
            );
            assert_eq!(
                arrivals.get(&key).copied(),
                f["invocations"].as_f64(),
                "{}: {key}",
                example.display()
            );
            assert_eq!(
                cold_starts.get(&key).copied(),
                f["cold_starts"].as_f64(),
                "{}: {key}",
                example.display()
            );
        }
        for f in summary["functions"].as_array().expect("functions") {
            let key = format!(
                "{}@{}",
                f["name"].as_str().unwrap_or(""),
                f["service"].as_str().unwrap_or("")
            );
            let Some(keep) = f.get("keep_alive") else { continue };
            close(
                held.get(&key).copied().unwrap_or(0.0),
                keep["reserved_seconds"].as_f64().unwrap_or(0.0),
                "container-seconds",
                &key,
            );
            if !sand {
                close(
                    idle.get(&key).copied().unwrap_or(0.0),
                    keep["idle_seconds"].as_f64().unwrap_or(0.0),
                    "idle container-seconds",
                    &key,
                );
            }
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} examples ran");
}

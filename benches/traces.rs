//! Trace reader throughput: arrivals per second of the Azure 2019 reader on
//! synthetic 2000-app and 10,000-app days made by `bench/gen_azure2019.py`,
//! and of the Azure 2021, plain CSV and mapped CSV readers on 2 M
//! invocations derived from the first (all kept under `target/bench-traces/` and reused),
//! opening (the scan) included.
//!
//! Run with `cargo bench --bench traces` (add `-- WORD` to run only the cases
//! whose name contains WORD).

use std::fmt::Write;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use sls::ir::mapping::{Field, FunctionColumns, Mapping, TimeColumn, TimeUnit};
use sls::ir::workload::{AppSelection, Azure2019Options, MinuteSpread, TraceFormat};
use sls::workload::trace::{Needs, ReaderOptions, TraceArrival, TraceReader};

const SEED: u32 = 42;
const REPEATS: usize = 3;

/// The synthetic day of `apps` apps, generated on first use.
fn day(apps: u32) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root
        .join("target/bench-traces")
        .join(format!("azure2019-{apps}-{SEED}"));
    if !dir.join("invocations_per_function_md.anon.d01.csv").exists() {
        eprintln!("generating {} ...", dir.display());
        let status = Command::new("python3")
            .arg(root.join("bench/gen_azure2019.py"))
            .arg(&dir)
            .arg(apps.to_string())
            .arg(SEED.to_string())
            .status()
            .expect("python3 must be installed to generate the bench trace");
        assert!(status.success(), "gen_azure2019.py failed");
    }
    dir
}

fn full_day(apps: AppSelection, spread: MinuteSpread, target_rate: Option<f64>) -> TraceFormat {
    TraceFormat::Azure2019(Azure2019Options {
        days: vec![1],
        minutes: (1, 1440),
        apps,
        spread,
        target_rate,
    })
}

fn main() {
    let dir = day(2000);
    let mid = AppSelection::Quantile {
        low: 0.4,
        high: 0.6,
        count: Some(30),
    };
    let cases = [
        (
            "30 mid apps -> 100/s, uniform",
            mid.clone(),
            Some(100.0),
            MinuteSpread::Uniform,
        ),
        ("30 mid apps -> 100/s, poisson", mid, Some(100.0), MinuteSpread::Poisson),
        (
            "all apps, unscaled, uniform",
            AppSelection::All,
            None,
            MinuteSpread::Uniform,
        ),
        (
            "all apps, unscaled, poisson",
            AppSelection::All,
            None,
            MinuteSpread::Poisson,
        ),
    ];
    println!("| case | functions | arrivals | open (s) | total (s) | arrivals/s |");
    println!("|---|---:|---:|---:|---:|---:|");
    for (name, apps, target_rate, spread) in cases {
        run(name, &full_day(apps, spread, target_rate), &dir);
    }
    let (csv, azure2021) = derived_traces(&dir);
    run("plain CSV, 2 M rows", &TraceFormat::Csv, &csv);
    run("Azure 2021, 2 M rows", &TraceFormat::Azure2021, &azure2021);
    // The plain CSV again, read through a declared mapping of its columns.
    let mapping = Mapping {
        name: "bench".into(),
        time: TimeColumn {
            column: "time".into(),
            unit: TimeUnit::Seconds(1.0),
        },
        function: FunctionColumns::Column("function".into()),
        app: None,
        duration: Some(Field::Column {
            column: "duration".into(),
            scale: 1.0,
        }),
        memory: None,
        request_payload: None,
        response_payload: None,
    };
    run("mapped CSV, 2 M rows", &TraceFormat::Mapped(Box::new(mapping)), &csv);
    // Many functions: every app of a 10,000-app day rescaled, and the
    // rarely active tenth of them as they are (few active in any minute).
    if selected("10k") {
        let many = day(10_000);
        let all = full_day(AppSelection::All, MinuteSpread::Uniform, Some(50.0));
        run("10k apps: all -> 50/s, uniform", &all, &many);
        let rare = AppSelection::Quantile {
            low: 0.9,
            high: 1.0,
            count: None,
        };
        run(
            "10k apps: least popular tenth, unscaled",
            &full_day(rare, MinuteSpread::Uniform, None),
            &many,
        );
    }
}

/// Whether `cargo bench --bench traces -- WORD` selects the case `name`.
fn selected(name: &str) -> bool {
    let filter: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    filter.is_empty() || filter.iter().any(|word| name.contains(word.as_str()))
}

/// A plain CSV and an Azure 2021 file holding the first 2 M arrivals of the
/// 30-app replay (times and durations in microseconds, as real traces are), written once.
fn derived_traces(dir: &Path) -> (PathBuf, PathBuf) {
    let csv = dir.join("plain-2M.csv");
    let azure2021 = dir.join("azure2021-2M.csv");
    if csv.exists() && azure2021.exists() {
        return (csv, azure2021);
    }
    let mid = AppSelection::Quantile {
        low: 0.4,
        high: 0.6,
        count: Some(30),
    };
    let format = full_day(mid, MinuteSpread::Poisson, Some(100.0));
    let reader = TraceReader::open(&format, dir, &options()).expect("the bench trace is valid");
    let functions = reader.functions().to_vec();
    let arrivals: Vec<TraceArrival> = reader
        .take(2_000_000)
        .map(|a| a.expect("the bench trace is valid"))
        .collect();
    let mut out = String::from("time,function,duration\n");
    for a in &arrivals {
        let name = &functions[a.function as usize].name;
        let app = functions[a.function as usize].app.as_deref().unwrap_or("");
        writeln!(out, "{:.6},{app}-{name},{:.6}", a.time, a.duration.unwrap_or(0.0)).expect("writing to a string");
    }
    std::fs::write(&csv, out).expect("target/ is writable");
    let mut by_end: Vec<(f64, &TraceArrival)> = arrivals
        .iter()
        .map(|a| (a.time + a.duration.unwrap_or(0.0), a))
        .collect();
    by_end.sort_by(|x, y| x.0.total_cmp(&y.0));
    let mut out = String::from("app,func,end_timestamp,duration\n");
    for (end, a) in by_end {
        let info = &functions[a.function as usize];
        let app = info.app.as_deref().unwrap_or("");
        writeln!(out, "{app},{},{end:.6},{:.6}", info.name, a.duration.unwrap_or(0.0)).expect("writing to a string");
    }
    std::fs::write(&azure2021, out).expect("target/ is writable");
    (csv, azure2021)
}

fn options() -> ReaderOptions {
    ReaderOptions {
        seed: 1,
        stream: "bench".into(),
        lenient: false,
        needs: Needs::default(),
    }
}

fn run(name: &str, format: &TraceFormat, path: &Path) {
    if !selected(name) {
        return;
    }
    // The machine is shared: the best of a few runs is the reader's own speed.
    let runs: Vec<(usize, u64, f64, f64)> = (0..REPEATS).map(|_| once(format, path)).collect();
    let best = runs.iter().min_by(|a, b| a.3.total_cmp(&b.3)).expect("REPEATS > 0");
    let (functions, count, opened, total) = *best;
    println!(
        "| {name} | {functions} | {count} | {opened:.3} | {total:.3} | {:.1} M |",
        count as f64 / total / 1e6
    );
}

/// One replay: (functions, arrivals, seconds to open, seconds in all).
fn once(format: &TraceFormat, path: &Path) -> (usize, u64, f64, f64) {
    let start = Instant::now();
    let reader = TraceReader::open(format, path, &options()).expect("the bench trace is valid");
    let opened = start.elapsed().as_secs_f64();
    let functions = reader.functions().len();
    let (mut count, mut checksum) = (0u64, 0.0f64);
    for arrival in reader {
        let arrival = arrival.expect("the bench trace is valid");
        count += 1;
        checksum += arrival.time + arrival.duration.unwrap_or(0.0);
    }
    black_box(checksum);
    (functions, count, opened, start.elapsed().as_secs_f64())
}

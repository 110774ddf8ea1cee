//! Trace reader throughput: arrivals per second of the Azure 2019 reader on a
//! synthetic 2000-app day made by `bench/gen_azure2019.py` (kept under
//! `target/bench-traces/` and reused), opening (the scan) included.
//!
//! Run with `cargo bench --bench traces`.

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use sls::ir::workload::{AppSelection, Azure2019Options, MinuteSpread, TraceFormat};
use sls::workload::trace::{ReaderOptions, TraceReader};

const APPS: u32 = 2000;
const SEED: u32 = 42;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = root
        .join("target/bench-traces")
        .join(format!("azure2019-{APPS}-{SEED}"));
    if !dir
        .join("invocations_per_function_md.anon.d01.csv")
        .exists()
    {
        eprintln!("generating {} ...", dir.display());
        let status = Command::new("python3")
            .arg(root.join("bench/gen_azure2019.py"))
            .arg(&dir)
            .arg(APPS.to_string())
            .arg(SEED.to_string())
            .status()
            .expect("python3 must be installed to generate the bench trace");
        assert!(status.success(), "gen_azure2019.py failed");
    }
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
        (
            "30 mid apps -> 100/s, poisson",
            mid,
            Some(100.0),
            MinuteSpread::Poisson,
        ),
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
        let format = TraceFormat::Azure2019(Azure2019Options {
            days: vec![1],
            minutes: (1, 1440),
            apps,
            spread,
            target_rate,
        });
        run(name, &format, &dir);
    }
}

fn run(name: &str, format: &TraceFormat, dir: &Path) {
    let options = ReaderOptions {
        seed: 1,
        stream: "bench".into(),
        lenient: false,
    };
    let start = Instant::now();
    let reader = TraceReader::open(format, dir, &options).expect("the bench trace is valid");
    let opened = start.elapsed().as_secs_f64();
    let functions = reader.functions().len();
    let (mut count, mut checksum) = (0u64, 0.0f64);
    for arrival in reader {
        let arrival = arrival.expect("the bench trace is valid");
        count += 1;
        checksum += arrival.time + arrival.duration.unwrap_or(0.0);
    }
    black_box(checksum);
    let total = start.elapsed().as_secs_f64();
    println!(
        "| {name} | {functions} | {count} | {opened:.3} | {total:.3} | {:.1} M |",
        count as f64 / total / 1e6
    );
}

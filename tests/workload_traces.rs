//! Reading the small committed traces under `tests/traces/`: arrival dates,
//! function tables, durations and memory, in every supported format.

use std::path::Path;

use sls::ir::workload::{AppSelection, Azure2019Options, MinuteSpread, TraceFormat};
use sls::workload::StreamRng;
use sls::workload::trace::{Needs, ReaderOptions, TraceArrival, TraceReader};

fn options(seed: u64) -> ReaderOptions {
    ReaderOptions {
        seed,
        stream: "replay#0".into(),
        lenient: false,
        needs: Needs::default(),
    }
}

fn azure2019(apps: AppSelection, days: Vec<u32>, spread: MinuteSpread, target_rate: Option<f64>) -> TraceFormat {
    TraceFormat::Azure2019(Azure2019Options {
        days,
        minutes: (1, 5),
        apps,
        spread,
        target_rate,
    })
}

fn open(format: &TraceFormat, path: &str, seed: u64) -> TraceReader {
    TraceReader::open(format, Path::new(path), &options(seed)).expect("the committed trace is valid")
}

fn read_all(reader: TraceReader) -> Vec<TraceArrival> {
    reader.map(|a| a.expect("no I/O error")).collect()
}

fn assert_nondecreasing(arrivals: &[TraceArrival]) {
    for pair in arrivals.windows(2) {
        assert!(pair[0].time <= pair[1].time, "{pair:?}");
    }
}

#[test]
fn azure2019_expands_minutes_evenly() {
    let format = azure2019(AppSelection::All, vec![1, 2], MinuteSpread::Uniform, None);
    let reader = open(&format, "tests/traces/azure2019", 1);
    let names: Vec<&str> = reader.functions().iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["fA1", "fA2", "fB1", "fC1", "fB2"]);
    let arrivals = read_all(reader);
    assert_eq!(arrivals.len(), 16 + 19);
    assert_nondecreasing(&arrivals);
    let first_minute: Vec<(f64, u32)> = arrivals
        .iter()
        .take_while(|a| a.time < 60.0)
        .map(|a| (a.time, a.function))
        .collect();
    let want = [
        (3.0, 2),
        (9.0, 2),
        (15.0, 0),
        (15.0, 2),
        (21.0, 2),
        (27.0, 2),
        (30.0, 1),
        (33.0, 2),
        (39.0, 2),
        (45.0, 0),
        (45.0, 2),
        (51.0, 2),
        (57.0, 2),
    ];
    assert_eq!(first_minute.len(), want.len());
    for ((time, function), (want_time, want_function)) in first_minute.iter().zip(want) {
        assert!((time - want_time).abs() < 1e-9, "{time} vs {want_time}");
        assert_eq!(*function, want_function);
    }
    // Day 2 follows minute 5 of day 1 without a gap: its minute 1 is at 300..360 s.
    let day2: Vec<u32> = arrivals
        .iter()
        .filter(|a| (300.0..360.0).contains(&a.time))
        .map(|a| a.function)
        .collect();
    assert_eq!(day2.len(), 1 + 2);
}

#[test]
fn azure2019_draws_durations_and_memory_from_percentiles() {
    let format = azure2019(AppSelection::All, vec![1, 2], MinuteSpread::Uniform, None);
    let reader = open(&format, "tests/traces/azure2019", 1);
    let functions = reader.functions().to_vec();
    assert!(functions[3].durations.is_none(), "fC1 has no duration row");
    assert!(functions[3].memory.is_none(), "appC has no memory row");
    for arrival in read_all(reader) {
        let (duration, memory) = (arrival.duration, arrival.memory);
        match functions[arrival.function as usize].name.as_str() {
            // The first day's row wins over day 2's 9 ms.
            "fA1" => assert!(duration.is_some_and(|d| (0.01..=0.8).contains(&d)), "{duration:?}"),
            "fA2" => assert_eq!(duration, Some(1.0)),
            "fB1" => assert!(duration.is_some_and(|d| (0.005..=0.08).contains(&d)), "{duration:?}"),
            "fB2" => assert_eq!(duration, Some(0.2)),
            other => panic!("fC1 never runs, got {other}"),
        }
        match functions[arrival.function as usize].app.as_deref() {
            Some("appA") => assert_eq!(memory, Some(128e6)),
            Some("appB") => assert!(memory.is_some_and(|m| (200e6..=500e6).contains(&m)), "{memory:?}"),
            other => panic!("unexpected app {other:?}"),
        }
    }
}

#[test]
fn azure2019_selects_apps_by_popularity_and_name() {
    let names = |apps: AppSelection| {
        let reader = open(
            &azure2019(apps, vec![1, 2], MinuteSpread::Uniform, None),
            "tests/traces/azure2019",
            1,
        );
        reader.functions().iter().map(|f| f.name.clone()).collect::<Vec<_>>()
    };
    assert_eq!(names(AppSelection::Top(1)), ["fB1", "fB2"]);
    assert_eq!(names(AppSelection::Named(vec!["appA".into()])), ["fA1", "fA2"]);
    let least = AppSelection::Quantile {
        low: 0.67,
        high: 1.0,
        count: None,
    };
    assert_eq!(names(least), ["fC1"]);
}

#[test]
fn azure2019_rescales_to_the_target_rate() {
    let format = azure2019(AppSelection::All, vec![1], MinuteSpread::Uniform, Some(1.0));
    let arrivals = read_all(open(&format, "tests/traces/azure2019", 1));
    // 5 minutes at 1/s; each function's total is off by less than one.
    assert!(arrivals.len().abs_diff(300) <= 2, "{}", arrivals.len());
    assert_nondecreasing(&arrivals);
}

/// A rate whose factor overflows is refused when the trace is opened (a
/// count times it would be no number of arrivals).
#[test]
fn azure2019_refuses_a_target_rate_too_large_to_rescale_to() {
    let format = azure2019(AppSelection::All, vec![1], MinuteSpread::Uniform, Some(1e307));
    let error =
        TraceReader::open(&format, Path::new("tests/traces/azure2019"), &options(1)).expect_err("the rate is refused");
    assert!(error.to_string().contains("too large to rescale to"), "{error}");
}

/// A function with two rows (two triggers) in a day: rescaling carries one
/// remainder for the function, row after row within each minute (rescaling
/// each row over the day on its own would give f1 31, 29 and 32). At 1/s
/// over 3 minutes the 360 invocations are halved.
#[test]
fn azure2019_rescales_a_function_of_several_rows_minute_by_minute() {
    let format = TraceFormat::Azure2019(Azure2019Options {
        days: vec![1],
        minutes: (1, 3),
        apps: AppSelection::All,
        spread: MinuteSpread::Uniform,
        target_rate: Some(1.0),
    });
    let reader = open(&format, "tests/traces/azure2019-rows", 1);
    let names: Vec<String> = reader.functions().iter().map(|f| f.name.clone()).collect();
    let mut per_minute = vec![[0; 3]; names.len()];
    for arrival in read_all(reader) {
        per_minute[arrival.function as usize][(arrival.time / 60.0) as usize] += 1;
    }
    assert_eq!(names, ["f1", "f2"]);
    // f1, scale 0.5, remainder from 0.5: minute 1: 0.5 + 30.5 = 31 (rest 0),
    // then its second row 0 + 0.5 (none); minute 2: 0.5 + 29.5 = 30; minute
    // 3: 0 + 30.5 -> 30 (rest 0.5), second row 0.5 + 0.5 = 1.
    assert_eq!(per_minute[0], [31, 30, 31]);
    // f2: 0.5 + 29.5 = 30, then 0 + 29.5 -> 29 (rest 0.5), then 30.
    assert_eq!(per_minute[1], [30, 29, 30]);
}

/// The non-zero cells of a sparse day of 40 functions (10 apps) over 1440
/// minutes, as `(row, minute, count)`: most cells are zero, some functions
/// never run, counts from 1 to past the reader's short counts (126, 127,
/// 128...), and row 40 is a second row (another trigger) of function 7,
/// whose counts add to its first row's.
fn sparse_cells() -> Vec<(usize, u32, u32)> {
    let mut cells = Vec::new();
    for f in (0..40).filter(|f| f % 5 != 4) {
        cells.push((f, 1 + (f as u32 * 37) % 1440, 1));
        cells.push((f, 1440 - f as u32, f as u32 + 1));
        cells.push((f, 720 + f as u32, 120 + f as u32));
    }
    cells.extend([(40, 1, 3), (40, 727, 2)]);
    cells
}

/// The function of a row of [`sparse_cells`].
fn sparse_function(row: usize) -> usize {
    if row == 40 { 7 } else { row }
}

/// Writes [`sparse_cells`] as an Azure 2019 day (no durations or memory).
fn write_sparse_day(dir: &Path) {
    std::fs::create_dir_all(dir).unwrap();
    let mut counts = vec![vec![0; 1440]; 41];
    for (row, minute, count) in sparse_cells() {
        counts[row][minute as usize - 1] = count;
    }
    let mut text = String::from("HashOwner,HashApp,HashFunction,Trigger");
    (1..=1440).for_each(|m| text += &format!(",{m}"));
    for (row, counts) in counts.iter().enumerate() {
        let f = sparse_function(row);
        let trigger = if row == 40 { "timer" } else { "http" };
        text += &format!("\no,app{},f{f},{trigger}", f / 4);
        counts.iter().for_each(|c| text += &format!(",{c}"));
    }
    std::fs::write(dir.join("invocations_per_function_md.anon.d01.csv"), text + "\n").unwrap();
}

/// A sparse day read over all its minutes and over a window: every
/// non-zero cell gives exactly its count of arrivals in its minute, no
/// arrival elsewhere (counted per function and minute against the cells
/// written, whatever the spread).
#[test]
fn azure2019_sparse_day_gives_each_cell_its_arrivals_exactly() {
    let dir = std::env::temp_dir().join(format!("sls-sparse-azure-{}", std::process::id()));
    write_sparse_day(&dir);
    for (minutes, spread) in [
        ((1, 1440), MinuteSpread::Uniform),
        ((1, 1440), MinuteSpread::Poisson),
        ((700, 1439), MinuteSpread::Uniform),
    ] {
        let format = TraceFormat::Azure2019(Azure2019Options {
            days: vec![1],
            minutes,
            apps: AppSelection::All,
            spread,
            target_rate: None,
        });
        let reader = TraceReader::open(&format, &dir, &options(3)).expect("the sparse day is valid");
        let names: Vec<String> = reader.functions().iter().map(|f| f.name.clone()).collect();
        let mut got = std::collections::BTreeMap::new();
        let arrivals = read_all(reader);
        assert_nondecreasing(&arrivals);
        for arrival in &arrivals {
            let minute = minutes.0 + (arrival.time / 60.0) as u32;
            *got.entry((names[arrival.function as usize].clone(), minute))
                .or_insert(0) += 1;
        }
        let mut want = std::collections::BTreeMap::new();
        for (row, minute, count) in sparse_cells() {
            if (minutes.0..=minutes.1).contains(&minute) {
                *want.entry((format!("f{}", sparse_function(row)), minute)).or_insert(0) += count;
            }
        }
        assert_eq!(got, want, "minutes {minutes:?}, {spread:?}");
        assert_eq!(arrivals.len() as u32, want.values().sum::<u32>());
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn azure2019_poisson_spread_is_seeded() {
    let format = azure2019(AppSelection::All, vec![1, 2], MinuteSpread::Poisson, None);
    let run = |seed| read_all(open(&format, "tests/traces/azure2019", seed));
    let (a, b, c) = (run(5), run(5), run(6));
    assert_eq!(a, b);
    assert_ne!(a, c);
    assert_eq!(a.len(), 35);
    assert_nondecreasing(&a);
    // Same count per minute as the uniform spread, only the dates move.
    let uniform = read_all(open(
        &azure2019(AppSelection::All, vec![1, 2], MinuteSpread::Uniform, None),
        "tests/traces/azure2019",
        5,
    ));
    let per_minute = |arrivals: &[TraceArrival]| {
        let mut counts = [0usize; 10];
        arrivals.iter().for_each(|a| counts[(a.time / 60.0) as usize] += 1);
        counts
    };
    assert_eq!(per_minute(&a), per_minute(&uniform));
}

#[test]
fn azure2021_arrivals_are_reordered_by_start() {
    let reader = open(&TraceFormat::Azure2021, "tests/traces/azure2021.csv", 1);
    let table: Vec<(&str, Option<&str>)> = reader
        .functions()
        .iter()
        .map(|f| (f.name.as_str(), f.app.as_deref()))
        .collect();
    assert_eq!(table, [("f1", Some("a1")), ("f2", Some("a2")), ("f3", Some("a1"))]);
    let arrivals = read_all(reader);
    let got: Vec<(u32, f64, f64)> = arrivals
        .iter()
        .map(|a| (a.function, a.time, a.duration.unwrap()))
        .collect();
    let want = [
        (2, 0.0, 2.9),
        (1, 0.1, 1.8),
        (0, 0.4, 0.5),
        (0, 2.3, 0.1),
        (1, 3.4, 0.5),
    ];
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert_eq!(g.0, w.0);
        assert!((g.1 - w.1).abs() < 1e-9 && (g.2 - w.2).abs() < 1e-12, "{g:?} vs {w:?}");
    }
    assert!(arrivals.iter().all(|a| a.memory.is_none()));
}

#[test]
fn azure2021_reorders_a_large_random_trace_exactly() {
    // Invocations with random starts and durations, written sorted by end
    // time as in the real trace; reading must give them back sorted by start.
    let mut rng = StreamRng::new(9, "azure2021");
    let mut rows: Vec<(f64, f64, u32)> = (0..5000)
        .map(|_| {
            let start = rng.uniform() * 1000.0;
            let duration = rng.exp1() * if rng.below(50) == 0 { 60.0 } else { 0.5 };
            (start, duration, rng.below(7) as u32)
        })
        .collect();
    rows.sort_by(|a, b| (a.0 + a.1).total_cmp(&(b.0 + b.1)));
    let mut text = String::from("app,func,end_timestamp,duration\n");
    for (start, duration, f) in &rows {
        text.push_str(&format!("app{f},fn{f},{},{duration}\n", start + duration));
    }
    let path = std::env::temp_dir().join(format!("sls-workload-azure2021-{}.csv", std::process::id()));
    std::fs::write(&path, text).expect("temp dir is writable");
    let reader = TraceReader::open(&TraceFormat::Azure2021, &path, &options(1)).expect("valid");
    let arrivals = read_all(reader);
    std::fs::remove_file(&path).ok();
    assert_eq!(arrivals.len(), rows.len());
    assert_nondecreasing(&arrivals);
    let origin = rows.iter().map(|r| (r.0 + r.1) - r.1).fold(f64::INFINITY, f64::min);
    let mut starts: Vec<f64> = rows.iter().map(|r| (r.0 + r.1) - r.1 - origin).collect();
    starts.sort_by(f64::total_cmp);
    for (arrival, start) in arrivals.iter().zip(starts) {
        assert!((arrival.time - start).abs() < 1e-9, "{} vs {start}", arrival.time);
    }
}

#[test]
fn plain_csv_reads_units_and_names() {
    let reader = open(&TraceFormat::Csv, "tests/traces/plain.csv", 1);
    let names: Vec<&str> = reader.functions().iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["resize", "classify", "store"]);
    let arrivals = read_all(reader);
    let want = [
        (0.0, 0, Some(0.25), Some(128e6)),
        (0.5, 1, Some(1.5), Some(256e6)),
        (0.5, 0, Some(0.3), Some(128e6)),
        (2.0, 2, Some(0.1), Some(64e6)),
    ];
    let got: Vec<_> = arrivals
        .iter()
        .map(|a| (a.time, a.function, a.duration, a.memory))
        .collect();
    assert_eq!(got, want);
}

/// R's `write.csv` quotes every name and header cell, and ends lines with
/// CRLF: the same trace, read the same (it was a bad header).
#[test]
fn a_quoted_csv_reads_as_the_plain_one() {
    let plain = open(&TraceFormat::Csv, "tests/traces/plain.csv", 1);
    let quoted = open(&TraceFormat::Csv, "tests/traces/plain_quoted.csv", 1);
    assert_eq!(quoted.functions(), plain.functions());
    assert_eq!(read_all(quoted), read_all(plain));
}

/// A name holding a comma, quoted as `invocations.csv` writes it, is one
/// function of that name (its cells were shifted: "not a number").
#[test]
fn a_quoted_name_may_hold_a_comma() {
    let dir = crate::support::Scratch::new("quoted-comma");
    let path = dir.join("trace.csv");
    std::fs::write(&path, "time,function,duration\n0,\"resize,small\",1\n1,resize,2\n").expect("trace");
    let reader = open(&TraceFormat::Csv, path.to_str().expect("utf-8"), 1);
    let names: Vec<&str> = reader.functions().iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["resize,small", "resize"]);
    let got: Vec<_> = read_all(reader)
        .iter()
        .map(|a| (a.time, a.function, a.duration))
        .collect();
    assert_eq!(got, [(0.0, 0, Some(1.0)), (1.0, 1, Some(2.0))]);
}

/// Names holding quotes and commas, quoted with their quotes doubled as
/// `invocations.csv` writes them (RFC 4180), are the functions of those
/// names, and a run writes them back as they were read. (The cell was cut
/// at the first doubled quote's comma: the two names below were one
/// function, `"say ""hi""`, taken as written.)
#[test]
fn a_quoted_name_may_hold_quotes() {
    let dir = crate::support::Scratch::new("quoted-quotes");
    let names = [r#""say ""hi"", bob""#, r#""say ""hi"", ann""#, r#""""""#, "plain"];
    let rows: String = names.iter().enumerate().map(|(i, n)| format!("{i},{n}\n")).collect();
    std::fs::write(dir.join("trace.csv"), format!("time,function\n{rows}")).expect("trace");
    let path = dir.join("trace.csv");
    let reader = open(&TraceFormat::Csv, path.to_str().expect("utf-8"), 1);
    let read: Vec<&str> = reader.functions().iter().map(|f| f.name.as_str()).collect();
    assert_eq!(read, [r#"say "hi", bob"#, r#"say "hi", ann"#, r#"""#, "plain"]);
    let script = r#"
platform {
  host gateway { speed 1Gf/s; cores 4; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  link lan { bandwidth 1Gbps; latency 10us }
  route gateway <-> node via lan
}
serverless faas { head gateway:"/"; compute node; image_downloads off }
image runtime { size 0B; ram 0B }
function work { image runtime; limits { ram 128MB }; body { sleep 1s } }
workload { replay csv "trace.csv" as work }
"#;
    crate::support::run_in(&dir, "quoted.sls", script, &["-q"]);
    let written = std::fs::read_to_string(dir.join("out/invocations.csv")).expect("invocations.csv");
    let functions: Vec<&str> = written
        .lines()
        .skip(1)
        .map(|line| {
            let name = names
                .iter()
                .find(|n| line[line.find(',').expect("an id") + 1..].starts_with(**n));
            *name.unwrap_or_else(|| panic!("a row of a function read: {line}"))
        })
        .collect();
    assert_eq!(functions, names);
}

#[test]
fn plain_csv_without_optional_columns_and_with_crlf() {
    let arrivals = read_all(open(&TraceFormat::Csv, "tests/traces/plain_minimal.csv", 1));
    let got: Vec<_> = arrivals
        .iter()
        .map(|a| (a.time, a.function, a.duration, a.memory))
        .collect();
    assert_eq!(got, [(1.0, 0, None, None), (2.5, 1, None, None)]);
}

/// What a reader says is coming is what comes: for an Azure 2019 trace,
/// the function of the arrival `ahead` after the next, wherever the minute
/// being read holds it (none past it); other formats say nothing.
#[test]
fn the_upcoming_function_is_the_one_that_comes() {
    let format = azure2019(AppSelection::All, vec![1], MinuteSpread::Uniform, Some(2.0));
    let arrivals = read_all(open(&format, "tests/traces/azure2019", 1));
    let mut reader = open(&format, "tests/traces/azure2019", 1);
    let (mut told, mut hinted) = (0, 0);
    for index in 0..arrivals.len() {
        for ahead in [0, 1, 5] {
            if let Some(function) = reader.upcoming(ahead) {
                let coming = arrivals.get(index + ahead).expect("a hint names an arrival that comes");
                assert_eq!(function, coming.function, "arrival {index}, {ahead} ahead");
                told += 1;
            }
        }
        hinted += usize::from(reader.upcoming(0).is_some());
        let next = reader.next().expect("as many arrivals").expect("no I/O error");
        assert_eq!(next.time.to_bits(), arrivals[index].time.to_bits());
    }
    assert_eq!(reader.upcoming(0), None, "nothing comes after the end");
    // Each minute's first arrival comes before its minute is read.
    assert!(
        hinted >= arrivals.len() - 5 && told > 2 * arrivals.len(),
        "{hinted} {told} of {}",
        arrivals.len()
    );
    let csv = open(&TraceFormat::Csv, "tests/traces/plain.csv", 1);
    assert_eq!(csv.upcoming(0), None);
    // Hints are worth it only for tables that outgrow a cache: not these.
    assert!(!reader.worth_hints() && !csv.worth_hints());
}

/// `days 2..4` is written as `minutes 1..60` is: the days of the range, as
/// the list `[2, 3, 4]` gives them (a range was "expected a plain number").
#[test]
fn azure2019_days_may_be_a_range() {
    let example = crate::support::root().join("examples/traces");
    let script = std::fs::read_to_string(example.join("azure2019.sls")).expect("example");
    // The example's day copied as days 2 to 5: the check reads each day's files.
    let dir = crate::support::Scratch::new("azure2019-day-range");
    std::fs::create_dir(dir.join("azure2019")).expect("folder");
    for entry in std::fs::read_dir(example.join("azure2019")).expect("example trace") {
        let path = entry.expect("entry").path();
        let name = path.file_name().expect("a name").to_string_lossy().to_string();
        for day in 2..=5 {
            let copy = name.replace("d01", &format!("d{day:02}"));
            std::fs::copy(&path, dir.join("azure2019").join(copy)).expect("copy");
        }
    }
    let days = |written: &str| {
        let script = script.replace("    days 1\n", &format!("    days {written}\n"));
        let path = dir.join("days.sls");
        let checked = sls::check::check(&path, script, &Default::default());
        let program = checked
            .program
            .unwrap_or_else(|d| panic!("{}", d.render(&checked.sources, false, 80)));
        match &program.points[0].model.replays[0].format {
            TraceFormat::Azure2019(azure) => azure.days.clone(),
            other => panic!("an Azure 2019 replay, not {other:?}"),
        }
    };
    assert_eq!(days("2..4"), [2, 3, 4]);
    assert_eq!(days("2..4"), days("[2, 3, 4]"));
    assert_eq!(days("5..5"), [5]);
}

//! Sweeps through the real binary: one table of means and confidence
//! intervals, `runs.csv` with every parameter and metric, folders that need
//! no quoting, the same bytes whatever `--jobs`, progress only on a terminal.

use crate::support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

use support::Scratch;

/// Two start-up times x two idle timeouts, three repetitions each.
const SWEEP: &str = r#"param startup = 500ms
param keep = 10s
param policy = fcfs
param seed = 3
platform {
  host gateway { speed 1Gf/s; cores 1; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node[1..2] { speed 1Gf/s; cores 4; ram 8GB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link lan[1..2] { bandwidth 1Gbps; latency 10us }
  route gateway <-> node[i] via lan[i]
}
serverless faas { head gateway:"/"; compute node[*]; scheduler policy; container_startup startup; idle_timeout keep }
image base { size 10MB; ram 10MB }
function f { image base; limits { ram 256MB }; body { sleep exponential(200ms) } }
workload { invoke f poisson 20/s for 1min }
sweep startup in [500ms, 2s] x policy in [fcfs, random(3)] repeat 3
"#;

fn sls(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sls"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the sls binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn path(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("folder") {
            let p = entry.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let name = p.strip_prefix(dir).expect("inside").display().to_string();
                found.insert(name, std::fs::read(&p).expect("file"));
            }
        }
    }
    found
}

fn sweep_script(dir: &Path) -> String {
    let script = dir.join("sweep.sls");
    std::fs::write(&script, SWEEP).expect("script");
    path(&script).to_string()
}

#[test]
fn a_sweep_prints_one_table_and_writes_runs_csv() {
    let dir = Scratch::new("sweeps-table");
    let script = sweep_script(&dir);
    let out = dir.join("out");
    let output = sls(&["run", &script, "--out", path(&out)]);
    let stdout = text(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(
        stdout.starts_with("4 points x 3 repetitions: mean ± 95 % confidence interval"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("=="),
        "no per-run summaries without --verbose: {stdout}"
    );
    assert_eq!(stdout.lines().count(), 1 + 1 + 4 + 1, "{stdout}");

    let rows = support::csv_rows(&out.join("runs.csv"));
    assert_eq!(rows.len(), 12, "one row per point and repetition");
    for column in [
        "folder",
        "run_seed",
        "startup [s]",
        "keep [s]",
        "policy",
        "invocations",
        "latency_p99 [s]",
        "makespan [s]",
    ] {
        assert!(rows[0].contains_key(column), "no `{column}` in {:?}", rows[0].keys());
    }
    for row in &rows {
        // Each row agrees with its folder's files, counted independently.
        let folder = out.join(&row["folder"]);
        let csv = std::fs::read_to_string(folder.join("invocations.csv")).expect("rows");
        assert_eq!(row["invocations"], (csv.lines().count() - 1).to_string());
        let startup = &row["startup [s]"];
        assert!(startup == "0.5" || startup == "2", "{startup}");
        assert!(row["policy"] == "fcfs" || row["policy"] == "random(3)");
        assert_eq!(row["keep [s]"], "10");
    }
    // The table's first point, recomputed from runs.csv: mean and t(2) CI.
    let p99: Vec<f64> = rows[..3]
        .iter()
        .map(|r| r["latency_p99 [s]"].parse::<f64>().expect("a number"))
        .collect();
    let mean = p99.iter().sum::<f64>() / 3.0;
    let sd = (p99.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 2.0).sqrt();
    let half = 4.303 * sd / 3f64.sqrt();
    let (scale, unit) = if mean < 1.0 { (1e3, " ms") } else { (1.0, " s") };
    let digits = if mean < 1.0 { 2 } else { 3 };
    let shown = format!("{:.digits$} ± {:.digits$}{unit}", mean * scale, half * scale);
    let first = stdout.lines().nth(2).expect("first point");
    assert!(first.starts_with("startup=500ms policy=fcfs"), "{first}");
    assert!(first.contains(&shown), "{first} lacks {shown}");
}

#[test]
fn folders_need_no_quoting_and_the_manifest_names_their_values() {
    let dir = Scratch::new("sweeps-folders");
    let script = sweep_script(&dir);
    let out = dir.join("out");
    let output = sls(&["run", &script, "--out", path(&out), "-q"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(output.stdout.is_empty(), "--quiet prints nothing");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("manifest.json")).expect("manifest")).expect("json");
    let runs = manifest["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 12);
    let mut policies = Vec::new();
    for run in runs {
        let folder = run["folder"].as_str().expect("folder");
        assert!(
            folder
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "._+%=,/-".contains(c)),
            "`{folder}` needs quoting"
        );
        assert!(out.join(folder).join("summary.json").exists());
        policies.push(run["parameters"]["policy"].as_str().expect("policy").to_string());
        // Every summary names its experiment.
        let summary: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(out.join(folder).join("summary.json")).expect("summary"))
                .expect("json");
        assert_eq!(summary["run"]["seed"], run["seed"]);
        assert_eq!(summary["run"]["script_sha256"], manifest["script_sha256"]);
        assert_eq!(summary["run"]["sls_version"], env!("CARGO_PKG_VERSION"));
    }
    assert!(policies.contains(&"random(3)".to_string()));
    assert!(out.join("startup=500ms,policy=random-3/rep2").is_dir());
}

#[test]
fn the_number_of_jobs_changes_no_byte() {
    let dir = Scratch::new("sweeps-jobs");
    let script = sweep_script(&dir);
    let (one, two) = (dir.join("one"), dir.join("two"));
    for (out, jobs) in [(&one, "1"), (&two, "3")] {
        let output = sls(&["run", &script, "--out", path(out), "--jobs", jobs, "--verbose"]);
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        let stdout = text(&output.stdout);
        assert_eq!(
            stdout.matches("\n== ").count() + usize::from(stdout.starts_with("== ")),
            12,
            "{stdout}"
        );
    }
    let (a, b) = (files(&one), files(&two));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    assert_eq!(
        a.len(),
        12 * 2 + 3,
        "two files per run, the manifest, runs.csv and the lock"
    );
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs between --jobs 1 and --jobs 3");
    }
}

#[test]
fn progress_shows_on_a_terminal_only() {
    let dir = Scratch::new("sweeps-progress");
    let script = sweep_script(&dir);
    let out = dir.join("out");
    let output = sls(&["run", &script, "--out", path(&out), "-q"]);
    assert!(
        output.stderr.is_empty(),
        "no progress off a terminal: {}",
        text(&output.stderr)
    );
    // `script` gives the run a terminal.
    let command = format!(
        "{} run {script} --out {} -q --jobs 1 --force",
        env!("CARGO_BIN_EXE_sls"),
        path(&out)
    );
    let output = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .output()
        .expect("script runs");
    let shown = text(&output.stdout);
    assert!(output.status.success(), "{shown}");
    assert!(shown.contains("runs") && shown.contains("point "), "{shown}");
}

/// A job array: each point run alone (`--point K`) into its own folder,
/// then `sls merge`: the folder has the bytes of the whole sweep's.
#[test]
fn points_run_apart_and_merged_are_the_whole_sweep() {
    let dir = Scratch::new("sweeps-merge");
    let script = sweep_script(&dir);
    let whole = dir.join("whole");
    let output = sls(&["run", &script, "--out", path(&whole), "-q"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let mut parts = Vec::new();
    for k in 0..4 {
        let part = dir.join(format!("part{k}"));
        let output = sls(&["run", &script, "--point", &k.to_string(), "--out", path(&part)]);
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        // A part prints its own point's line of the table.
        let stdout = text(&output.stdout);
        assert!(stdout.starts_with("1 points x 3 repetitions"), "{stdout}");
        let part_files = files(&part);
        assert_eq!(part_files.len(), 3 * 2 + 3, "its three runs: {:?}", part_files.keys());
        parts.push(part);
    }
    let merged = dir.join("merged");
    // Given in any order.
    let mut args = vec!["merge".to_string(), "--out".into(), path(&merged).into()];
    args.extend(parts.iter().rev().map(|p| path(p).to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = sls(&args);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(
        text(&output.stdout),
        format!("merged 12 runs from 4 parts into {}\n", path(&merged))
    );
    let (a, b) = (files(&whole), files(&merged));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(
            bytes == &b[name],
            "{name} differs between the whole sweep and the merged parts"
        );
    }
}

/// Parts written with the same output options merge into what the whole
/// sweep writes with them (its manifest says which).
#[test]
fn parts_with_output_options_merge_as_the_whole_sweep() {
    let dir = Scratch::new("sweeps-merge-options");
    let script = sweep_script(&dir);
    let options = ["--invocations", "none", "--cost", "aws-lambda", "-q"];
    let whole = dir.join("whole");
    let output = sls(&[&["run", script.as_str(), "--out", path(&whole)][..], &options].concat());
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let mut args = vec!["merge".to_string(), "--out".into(), path(&dir.join("merged")).into()];
    for k in 0..4 {
        let part = dir.join(format!("part{k}"));
        let point = k.to_string();
        let output = sls(&[
            &["run", script.as_str(), "--point", &point, "--out", path(&part)][..],
            &options,
        ]
        .concat());
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        args.push(path(&part).to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = sls(&args);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let (a, b) = (files(&whole), files(&dir.join("merged")));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(
            bytes == &b[name],
            "{name} differs between the whole sweep and the merged parts"
        );
    }
    let manifest = String::from_utf8_lossy(&a["manifest.json"]).into_owned();
    assert!(
        manifest.contains("\"invocations\": \"none\"") && manifest.contains("\"cost\""),
        "{manifest}"
    );
}

#[test]
fn merge_refuses_what_is_not_one_whole_experiment() {
    let dir = Scratch::new("sweeps-merge-refused");
    let script = sweep_script(&dir);
    let run = |args: &[&str]| {
        let output = sls(args);
        (output.status.code(), text(&output.stderr))
    };
    let part = |k: usize| dir.join(format!("part{k}"));
    for k in 0..2 {
        let (code, stderr) = run(&["run", &script, "--point", &k.to_string(), "--out", path(&part(k)), "-q"]);
        assert_eq!(code, Some(0), "{stderr}");
    }
    let out = dir.join("out");

    let (code, stderr) = run(&["run", &script, "--point", "4", "--out", path(&part(4))]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("`--point 4` is not a point of") && stderr.contains("it has 4 (0 to 3)"),
        "{stderr}"
    );
    assert!(!part(4).exists(), "nothing written for a point that does not exist");

    let (code, stderr) = run(&["merge", path(&part(0)), path(&part(1)), "--out", path(&out)]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("no part holds 6 of the 12 runs: points 2-3 (the first `startup=2s,policy=fcfs/rep0`)"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing written when a point is missing");

    let (code, stderr) = run(&["merge", path(&part(0)), path(&part(0)), "--out", path(&out)]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("is in both"), "{stderr}");

    // Another seed is another experiment.
    let other = dir.join("other");
    let (code, stderr) = run(&[
        "run",
        &script,
        "--point",
        "2",
        "--seed",
        "9",
        "--out",
        path(&other),
        "-q",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, stderr) = run(&["merge", path(&part(0)), path(&other), "--out", path(&out)]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("holds results of another seed (`--seed 9`) than"),
        "said as the option is written, not as a Rust value: {stderr}"
    );

    // Parts written with other output options: no single run writes
    // rows as CSV for some points and as Parquet for others (the merge
    // was made, with both kinds of files, and a `runs.csv` billed for the
    // points run with `--cost` only).
    let parquet = dir.join("parquet");
    let (code, stderr) = run(&[
        "run",
        &script,
        "--point",
        "2",
        "--invocations",
        "parquet",
        "--cost",
        "aws-lambda",
        "--out",
        path(&parquet),
        "-q",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, stderr) = run(&["merge", path(&part(0)), path(&parquet), "--out", path(&out)]);
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains(
            "was written with `--invocations parquet --cost per_gb_second=0.0000166667,per_request=0.0000002`"
        ) && stderr.contains("with none of `--invocations`, `--cost` or `--timeseries`")
            && stderr.contains("run every part with the same output options"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing written when the parts' outputs differ");

    // A part whose run did not finish.
    std::fs::write(part(1).join("INCOMPLETE"), "interrupted\n").expect("marker");
    let (code, stderr) = run(&["merge", path(&part(0)), path(&part(1)), "--out", path(&out)]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("is incomplete"), "{stderr}");

    let (code, stderr) = run(&["merge", path(&dir), "--out", path(&out)]);
    assert_eq!(code, Some(2));
    assert!(stderr.contains("holds no sls results"), "{stderr}");
}

/// One function every 2 s sleeping `uniform(1s, 1s + jitter)`: with no
/// jitter the draw has no width and nothing depends on the seed; with 1 s
/// the sleeps, and so the results, do. `SWEEP_LINE` is replaced.
const JITTER: &str = r#"param jitter = 0s
platform {
  host gateway { speed 1Gf/s; cores 1; disk "/" { size 1TB; read 1GBps; write 1GBps } }
  host node { speed 1Gf/s; cores 4; ram 8GB; disk "/" { size 100GB; read 1GBps; write 1GBps } }
  link lan { bandwidth 1Gbps; latency 10us }
  route gateway <-> node via lan
}
serverless faas { head gateway:"/"; compute node; container_startup 500ms; idle_timeout 10s }
image base { size 10MB; ram 10MB }
function f { image base; limits { ram 256MB }; body { sleep uniform(1s, 1s + jitter) } }
workload { invoke f every 2s count 20 }
SWEEP_LINE
"#;

/// `sls run` of the jitter script with `sweep` as its sweep line (and
/// `args`): its exit code, stdout, its stderr's warning lines, and the
/// rows of its `runs.csv`.
fn run_jitter(dir: &Path, sweep: &str, args: &[&str]) -> (Option<i32>, String, Vec<String>, Vec<Row>) {
    let script = dir.join("jitter.sls");
    std::fs::write(&script, JITTER.replace("SWEEP_LINE", sweep)).expect("script");
    let out = dir.join("out");
    let mut all = vec!["run", path(&script), "--out", path(&out), "--force"];
    all.extend(args);
    let output = sls(&all);
    let warnings = text(&output.stderr).lines().map(str::to_string).collect();
    let runs = std::fs::read_to_string(out.join("runs.csv")).unwrap_or_default();
    let rows = if runs.is_empty() {
        Vec::new()
    } else {
        support::csv_text_rows(&runs)
    };
    (output.status.code(), text(&output.stdout), warnings, rows)
}

/// A row of `runs.csv`: its cells named by their column, in order.
type Row = Vec<(String, String)>;

/// The metrics of each row of `runs.csv` (every cell from `invocations`
/// on, after the run's seed and parameters), grouped by point: what the
/// warning's claim is checked against.
fn metrics_by_point(rows: &[Row]) -> BTreeMap<String, Vec<Row>> {
    let mut by_point: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    for row in rows {
        let point = row
            .iter()
            .find(|(column, _)| column == "point")
            .expect("a point")
            .1
            .clone();
        let metrics = row
            .iter()
            .skip_while(|(column, _)| column != "invocations")
            .cloned()
            .collect();
        by_point.entry(point).or_default().push(metrics);
    }
    by_point
}

const SAME: &str = "gave the same summary with their own seeds";
const WHY: &str = "nothing in the model depends on the seed, so they are one sample, not several, and their confidence interval has no width; give the model a random draw (a distribution, a `poisson` stream, a `random` scheduler) or drop `repeat`";

/// Repetitions whose summaries are all the same are told once, after the
/// runs: their table's interval of no width is one sample, not certainty.
/// Each claim is checked against `runs.csv`'s rows.
#[test]
fn repetitions_that_gave_the_same_summary_are_told() {
    let dir = Scratch::new("sweeps-alike");
    // One point of two alike.
    let (code, stdout, warnings, rows) = run_jitter(&dir, "sweep jitter in [0s, 1s] repeat 3", &[]);
    assert_eq!(code, Some(0), "{warnings:?}");
    assert_eq!(
        warnings,
        [format!(
            "sls: warning: the repetitions of 1 of the 2 points (`jitter=0s` first) {SAME}: at those points {WHY}"
        )]
    );
    let by_point = metrics_by_point(&rows);
    assert_eq!(by_point.len(), 2, "{by_point:?}");
    let alike = |runs: &Vec<Row>| runs.iter().all(|r| *r == runs[0]);
    assert!(alike(&by_point["0"]) && by_point["0"].len() == 3, "{by_point:?}");
    assert!(!alike(&by_point["1"]), "{by_point:?}");
    let table: Vec<&str> = stdout.lines().filter(|l| l.starts_with("jitter=")).collect();
    assert!(table[0].contains("1.000 ± 0.000 s"), "{stdout}");

    // Every point alike.
    let (code, _, warnings, rows) = run_jitter(&dir, "sweep jitter in [0s, 0ms] repeat 2", &[]);
    assert_eq!(code, Some(0), "{warnings:?}");
    assert_eq!(
        warnings,
        [format!(
            "sls: warning: the repetitions of each of the 2 points {SAME}: {WHY}"
        )]
    );
    assert!(
        metrics_by_point(&rows)
            .values()
            .all(|runs| runs.len() == 2 && runs[0] == runs[1])
    );

    // No sweep axis; and a part of a sweep, one point run alone.
    let (_, _, warnings, _) = run_jitter(&dir, "sweep repeat 3", &[]);
    assert_eq!(warnings, [format!("sls: warning: the 3 repetitions {SAME}: {WHY}")]);
    let (_, _, warnings, _) = run_jitter(&dir, "sweep jitter in [1s, 0s] repeat 2", &["--point", "1"]);
    assert_eq!(
        warnings,
        [format!("sls: warning: the 2 repetitions of `jitter=0s` {SAME}: {WHY}")]
    );
}

/// `sls merge` tells of alike repetitions as the whole sweep's run would:
/// the parts of a job array, each run on its own, say it of their point.
#[test]
fn merged_parts_tell_of_alike_repetitions_as_the_whole_sweep() {
    let dir = Scratch::new("sweeps-merge-alike");
    let script = dir.join("jitter.sls");
    std::fs::write(
        &script,
        JITTER.replace("SWEEP_LINE", "sweep jitter in [0s, 1s] repeat 3"),
    )
    .expect("script");
    let whole = sls(&["run", path(&script), "--out", path(&dir.join("whole")), "-q"]);
    let said = text(&whole.stderr);
    assert!(said.contains(SAME), "{said}");
    let mut merge = vec!["merge".to_string(), "--out".into(), path(&dir.join("merged")).into()];
    for k in 0..2 {
        let part = dir.join(format!("part{k}"));
        let output = sls(&[
            "run",
            path(&script),
            "--point",
            &k.to_string(),
            "--out",
            path(&part),
            "-q",
        ]);
        assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
        merge.push(path(&part).to_string());
    }
    let merge: Vec<&str> = merge.iter().map(String::as_str).collect();
    let merged = sls(&merge);
    assert_eq!(merged.status.code(), Some(0), "{}", text(&merged.stderr));
    assert_eq!(text(&merged.stderr), said);
    assert!(
        said.contains("the repetitions of 1 of the 2 points (`jitter=0s` first)"),
        "{said}"
    );
}

/// Repetitions that differ, and a point run once, are not told of.
#[test]
fn repetitions_that_differ_or_a_single_run_are_not_told() {
    let dir = Scratch::new("sweeps-unlike");
    for (sweep, args) in [
        ("sweep jitter in [1s, 2s] repeat 3", &[][..]),
        ("sweep jitter in [0s, 1s] repeat 2", &["--point", "1"][..]),
        ("sweep jitter in [0s, 0ms]", &[][..]),
        ("", &[][..]),
    ] {
        let (code, _, warnings, _) = run_jitter(&dir, sweep, args);
        assert_eq!(code, Some(0), "{sweep}: {warnings:?}");
        assert!(warnings.is_empty(), "{sweep}: {warnings:?}");
    }
}

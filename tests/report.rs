//! `sls report` through the real binary, its page rendered by a real
//! headless Chromium (installed by `.ci/run`): every chart has drawn
//! content (the page's own check, run after layout, sets `data-drawn`) and
//! the page logs no error to the console.

use crate::support;

use std::path::Path;
use std::process::Command;

use support::Scratch;

fn sls(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_sls"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("the sls binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Renders `page` in headless Chromium: the DOM after load, and its log.
fn render(page: &Path, profile: &Path) -> (String, String) {
    let output = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs (.ci/run installs it: apt-get install -y chromium)");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn check_page(dir: &Path, out: &Path, expected: usize) {
    let (dom, log) = render(&out.join("report.html"), &dir.join(format!("profile-{expected}")));
    let figures = dom.matches("<figure class=\"chart").count();
    assert_eq!(figures, expected, "{dom}");
    assert!(dom.contains(&format!("data-charts=\"{expected}\"")), "{dom}");
    assert!(
        dom.contains(&format!("data-drawn=\"{expected}\"")),
        "every chart drew something after layout: {}",
        dom.lines().find(|l| l.contains("<body")).unwrap_or("")
    );
    let console: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("CONSOLE") || l.contains("Uncaught"))
        .collect();
    assert!(console.is_empty(), "the page logged: {console:?}");
    assert!(
        !dom.contains("http://") || !dom.contains("<script src"),
        "nothing is fetched"
    );
}

/// Runs `sls run ARGS` into `dir/run`, then `sls report` on it: the
/// folder and what the report printed.
/// Rewrites the JSON file at `path` as `edit` leaves it, as a user's tool
/// might.
fn damage(path: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
    let text = std::fs::read_to_string(path).expect("the file");
    let mut json: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    edit(&mut json);
    std::fs::write(path, json.to_string()).expect("rewritten");
}

/// Cuts the file at `path` after its first `lines` lines, as an
/// interrupted copy would; returns what it held.
fn cut(path: &Path, lines: usize) -> String {
    let whole = std::fs::read_to_string(path).expect("the file");
    let kept: String = whole.lines().take(lines).map(|l| format!("{l}\n")).collect();
    std::fs::write(path, kept).expect("cut");
    whole
}

fn run_and_report(dir: &Path, args: &[&str]) -> (std::path::PathBuf, String) {
    let run = dir.join("run");
    let mut command = vec!["run"];
    command.extend_from_slice(args);
    command.extend(["--out", run.to_str().expect("utf-8"), "-q"]);
    let (code, _, err) = sls(&command);
    assert_eq!(code, 0, "{err}");
    let (code, stdout, err) = sls(&["report", run.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
    (run, stdout)
}

#[test]
fn a_run_and_a_sweep_render_in_a_browser() {
    let dir = Scratch::new("report");
    let (run, stdout) = run_and_report(&dir, &["examples/sand/pipeline.sls"]);
    // CDFs per function and service, cold starts, containers, nodes, critical paths.
    assert!(stdout.starts_with("6 charts in"), "{stdout}");
    check_page(&dir, &run, 6);
    let page = std::fs::read_to_string(run.join("report.html")).expect("report.html");
    assert_eq!(
        page.matches("latency [s], log scale").count(),
        2,
        "the CDFs' latency axes are logarithmic"
    );

    let sweep = dir.join("sweep");
    let sweep = sweep.to_str().expect("utf-8");
    let (code, _, err) = sls(&["run", "examples/sweep.sls", "-p", "nodes=2", "--out", sweep, "-q"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = sls(&["report", sweep]);
    assert_eq!(code, 0, "{err}");
    check_page(&dir, Path::new(sweep), 6);
    let (code, _, err) = sls(&["report", sweep, "--svg"]);
    assert_eq!(code, 0, "{err}");
    let charts = std::fs::read_dir(Path::new(sweep).join("charts"))
        .expect("charts")
        .count();
    assert_eq!(charts, 6);

    // A swept number is the charts' x axis: nodes 2, 4 and 8.
    let numeric = dir.join("numeric");
    let numeric = numeric.to_str().expect("utf-8");
    let (code, _, err) = sls(&["run", "examples/sweep.sls", "-p", "policy=fcfs", "--out", numeric, "-q"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = sls(&["report", numeric]);
    assert_eq!(code, 0, "{err}");
    check_page(&dir, Path::new(numeric), 6);
    let page = std::fs::read_to_string(Path::new(numeric).join("report.html")).expect("report.html");
    assert_eq!(page.matches("against nodes: mean and 95 %").count(), 6, "{page}");
    let categorical = std::fs::read_to_string(Path::new(sweep).join("report.html")).expect("report.html");
    assert_eq!(categorical.matches("per point: mean and 95 %").count(), 6);
}

#[test]
fn a_run_with_time_series_draws_them_over_time() {
    let dir = Scratch::new("report-series");
    let (run, stdout) = run_and_report(&dir, &["examples/basic.sls", "--timeseries", "5s"]);
    // The five of any run, and containers, memory, nodes and links over time.
    assert!(stdout.starts_with("9 charts in"), "{stdout}");
    check_page(&dir, &run, 9);
    let page = std::fs::read_to_string(run.join("report.html")).expect("report.html");
    for id in [
        "containers-over-time",
        "memory-over-time",
        "nodes-over-time",
        "links-over-time",
    ] {
        assert!(page.contains(&format!("id=\"{id}\"")), "{id}");
    }
    // One line per state of the one service; the busiest links and nodes.
    assert!(
        page.contains("faas busy") && page.contains("faas idle"),
        "legend of the containers"
    );
    assert!(page.contains("wide_area"), "the link carrying the image");
}

#[test]
fn an_incomplete_folder_is_not_reported() {
    let dir = Scratch::new("report-incomplete");
    std::fs::write(dir.join("INCOMPLETE"), "started").expect("marker");
    let (code, _, err) = sls(&["report", dir.to_str().expect("utf-8")]);
    assert_eq!(code, 1);
    assert!(err.contains("incomplete"), "{err}");
}

#[test]
fn a_folder_no_run_wrote_is_told_so() {
    // A typo, or the script's folder instead of `--out`'s: said to be no
    // results folder, where it was a file that could not be read.
    let dir = Scratch::new("report-no-results");
    for (folder, told) in [
        (dir.to_path_buf(), "holds no sls results (it has no manifest.json)"),
        (dir.join("nowhere"), "is not a folder"),
    ] {
        let (code, _, err) = sls(&["report", folder.to_str().expect("utf-8")]);
        assert_eq!(code, 1);
        assert!(
            err.contains(told) && err.contains("give the `--out` folder of a run"),
            "{err}"
        );
    }
}

#[test]
fn a_manifest_listing_no_runs_is_an_error_not_a_panic() {
    let dir = Scratch::new("report-no-runs");
    let (folder, _) = run_and_report(&dir, &["examples/basic.sls"]);
    // Damaged by hand or by a tool: the manifest's list of runs emptied.
    damage(&folder.join("manifest.json"), |json| {
        json["runs"] = serde_json::json!([])
    });
    let (code, _, err) = sls(&["report", folder.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("lists no runs in its manifest.json"), "{err}");
}

#[test]
fn a_run_of_1e18_seconds_prints_and_draws_its_figures_short() {
    // The longest duration a trace row may hold (longer is
    // `sls::trace::too_large`): the printed summary gave its makespan in
    // 19 digits and the charts' ticks as many; at 1e308 s, before trace
    // cells were bounded, `sls report` never ended (plotters' ticks on a
    // logarithmic axis a decade past the largest float).
    let dir = Scratch::new("report-huge");
    let script = std::fs::read_to_string("examples/traces/azure2021.sls").expect("the example");
    std::fs::write(dir.join("huge.sls"), script).expect("written");
    std::fs::write(
        dir.join("azure2021_sample.csv"),
        "app,func,end_timestamp,duration\nshop,checkout,1.250,1e18\n",
    )
    .expect("written");
    let run = dir.join("run");
    let (code, stdout, err) = sls(&[
        "run",
        dir.join("huge.sls").to_str().expect("utf-8"),
        "--out",
        run.to_str().expect("utf-8"),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains("makespan     1.000e18 s"), "{stdout}");
    assert!(stdout.contains("2.560e17"), "reserved GB-s: {stdout}");
    let long_number = |text: &str| text.as_bytes().windows(18).any(|w| w.iter().all(u8::is_ascii_digit));
    assert!(!long_number(&stdout), "{stdout}");
    let (code, _, err) = sls(&["report", run.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
    let page = std::fs::read_to_string(run.join("report.html")).expect("the page");
    assert!(!long_number(&page), "a label or caption prints every digit");
    check_page(&dir, &run, 5);
}

#[test]
fn a_summary_without_its_makespan_is_an_error_not_a_run_of_0_s() {
    let dir = Scratch::new("report-no-makespan");
    let (folder, _) = run_and_report(&dir, &["examples/basic.sls"]);
    for damaged in [
        serde_json::Value::Null,
        serde_json::json!("12 s"),
        serde_json::json!(-1.0),
    ] {
        damage(&folder.join("summary.json"), |json| {
            let summary = json.as_object_mut().expect("an object");
            match &damaged {
                serde_json::Value::Null => summary.remove("makespan"),
                _ => summary.insert("makespan".into(), damaged.clone()),
            };
        });
        let (code, _, err) = sls(&["report", folder.to_str().expect("utf-8")]);
        assert_eq!(code, 1, "{damaged}: {err}");
        assert!(
            err.contains("has no makespan (a number of seconds)"),
            "{damaged}: {err}"
        );
    }
}

#[test]
fn a_cut_or_damaged_invocations_file_is_an_error_not_fewer_points() {
    let dir = Scratch::new("report-cut-rows");
    let (folder, _) = run_and_report(&dir, &["examples/basic.sls"]);
    let csv = folder.join("invocations.csv");
    let report = || sls(&["report", folder.to_str().expect("utf-8")]);
    // Cut after 51 lines (the header and 50 rows) of the 200 invocations
    // the summary counts: the charts were drawn from a quarter of the run.
    let whole = cut(&csv, 51);
    let (code, _, err) = report();
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("invocations.csv` holds 50 rows, but its run's summary counts 200 invocations"),
        "{err}"
    );
    assert!(!err.contains("/./"), "the single run's folder named plainly: {err}");
    // A date that is no number (a shifted cell): the row was skipped.
    let mut lines: Vec<String> = whole.lines().map(str::to_string).collect();
    let header: Vec<&str> = lines[0].split(',').collect();
    let end = header.iter().position(|c| *c == "end").expect("an end column");
    let mut cells: Vec<String> = lines[6].split(',').map(str::to_string).collect();
    cells[end] = "node[2]".into();
    lines[6] = cells.join(",");
    std::fs::write(&csv, lines.join("\n") + "\n").expect("damaged");
    let (code, _, err) = report();
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("line 7 of") && err.contains("its `end` is `node[2]`, not a date in seconds"),
        "{err}"
    );
    // Put back whole, it draws.
    std::fs::write(&csv, &whole).expect("restored");
    let (code, _, err) = report();
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_damaged_time_series_file_is_an_error_not_a_line_with_a_gap() {
    let dir = Scratch::new("report-damaged-series");
    let (folder, _) = run_and_report(&dir, &["examples/basic.sls", "--timeseries", "5s"]);
    let nodes = folder.join("series-nodes.csv");
    let text = std::fs::read_to_string(&nodes).expect("the node series");
    let mut lines: Vec<&str> = text.lines().collect();
    let damaged = format!("x{}", lines[3]);
    lines[3] = &damaged;
    std::fs::write(&nodes, lines.join("\n") + "\n").expect("damaged");
    let (code, _, err) = sls(&["report", folder.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("line 4 of") && err.contains("series-nodes.csv`: its `time` is `x"),
        "{err}"
    );
}

#[test]
fn a_run_written_as_parquet_draws_the_page_its_csv_draws() {
    // The same run, with its time series, into two folders of one name:
    // the page's title names the folder as given. On the workflow
    // example, dates left exact (not rounded as the CSV writes them) move
    // points of its charts.
    let dir = Scratch::new("report-parquet");
    let page = |example: &str, format: &str| {
        let side = dir.join(format!("{example}-{format}"));
        std::fs::create_dir_all(&side).expect("a folder");
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("examples/{example}.sls"));
        let output = Command::new(env!("CARGO_BIN_EXE_sls"))
            .args([
                "run",
                script.to_str().expect("utf-8"),
                "--invocations",
                format,
                "--timeseries",
                "5s",
                "--out",
                "run",
                "-q",
            ])
            .current_dir(&side)
            .output()
            .expect("sls runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let output = Command::new(env!("CARGO_BIN_EXE_sls"))
            .args(["report", "run"])
            .current_dir(&side)
            .output()
            .expect("sls reports");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        (
            side.join("run"),
            std::fs::read_to_string(side.join("run/report.html")).expect("the page"),
        )
    };
    for example in ["workflow", "failures"] {
        let ((_, csv), (parquet_run, parquet)) = (page(example, "csv"), page(example, "parquet"));
        assert!(parquet_run.join("invocations.parquet").exists() && !parquet_run.join("invocations.csv").exists());
        assert!(
            csv.contains("id=\"latency-functions\"") && csv.contains("id=\"nodes-over-time\""),
            "charts drawn"
        );
        assert!(
            csv == parquet,
            "{example}: the Parquet rows draw another page than the CSV rows"
        );
    }
    let (csv_run, parquet_run) = (dir.join("failures-csv/run"), dir.join("failures-parquet/run"));
    check_page(&dir, &parquet_run, 9);
    // A Parquet file cut short is refused, not drawn.
    let file = parquet_run.join("invocations.parquet");
    let bytes = std::fs::read(&file).expect("the rows");
    std::fs::write(&file, &bytes[..bytes.len() / 2]).expect("cut");
    let (code, _, err) = sls(&["report", parquet_run.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("cannot read") && err.contains("invocations.parquet"),
        "{err}"
    );
    // No rows at all (`--invocations none`): the page is drawn from the
    // summary, and says what it leaves out (it was refused).
    let (code, _, err) = sls(&[
        "run",
        "examples/failures.sls",
        "--invocations",
        "none",
        "--timeseries",
        "5s",
        "--force",
        "--out",
        csv_run.to_str().expect("utf-8"),
        "-q",
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = sls(&["report", csv_run.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("sls: note:") && err.contains("holds no rows") && err.contains("drawn from the summary's p50"),
        "{err}"
    );
    let page = std::fs::read_to_string(csv_run.join("report.html")).expect("the page");
    assert!(
        page.contains("id=\"latency-functions\"") && page.contains("at the summary's p50, p95, p99 and max"),
        "the latency is drawn from the summary"
    );
    assert!(!page.contains("id=\"running\""), "nothing over time from rows");
    // Four charts from the summary (latency per function and per service,
    // cold starts per function, utilisation per node) and four series.
    check_page(&dir, &csv_run, 8);
}

#[test]
fn a_sweep_whose_runs_file_was_cut_is_an_error_not_fewer_repetitions() {
    let dir = Scratch::new("report-cut-runs");
    let (sweep, _) = run_and_report(&dir, &["examples/sweep.sls", "--invocations", "none"]);
    let runs = sweep.join("runs.csv");
    // The header and 40 of the 45 runs (9 points x 5 repetitions).
    let whole = cut(&runs, 41);
    let (code, _, err) = sls(&["report", sweep.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("runs.csv` holds 40 rows, but the manifest lists 45 runs"),
        "{err}"
    );
    std::fs::write(&runs, &whole).expect("restored");
    let (code, _, err) = sls(&["report", sweep.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
}

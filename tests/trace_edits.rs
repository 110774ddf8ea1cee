//! No trace file makes a run panic or fail with anything but the trace's
//! own diagnostic: random edits of the example traces (a cell emptied,
//! garbled or given an extreme number, a cell or a line dropped, a line
//! doubled or moved, the file cut short, bytes flipped, a byte-order mark,
//! CRLF line ends) either run, every row of `invocations.csv` counted in
//! the summary, or stop with a diagnostic (the checker's, for a header
//! that lost a column the script names; the run's, for a row) whose code
//! is an `sls::` one and whose labels lie inside the text they point into.

use crate::support;
use crate::support::split_mix::SplitMix;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use miette::Diagnostic;
use sls::check::{Options, check};
use sls::serverless::RunError;

/// Each example script that replays traces, with the trace files it reads
/// (relative to `examples/traces`).
const REPLAYS: &[(&str, &[&str])] = &[
    (
        "azure2019.sls",
        &[
            "azure2019/app_memory_percentiles.anon.d01.csv",
            "azure2019/function_durations_percentiles.anon.d01.csv",
            "azure2019/invocations_per_function_md.anon.d01.csv",
        ],
    ),
    ("azure2021.sls", &["azure2021_sample.csv"]),
    (
        "huawei.sls",
        &[
            "huawei/requests.csv",
            "huawei/cold_starts.csv",
            "huawei/requests_minute_day_00.csv",
        ],
    ),
    ("payloads.sls", &["huawei/requests.csv"]),
    ("plain_csv.sls", &["plain_sample.csv"]),
    ("sleeps.sls", &["sleeps.csv"]),
];

/// Edits in all, over the scripts in turn.
const EDITS: usize = 600;

/// Cells a table may be given by mistake: empty, not a number, extreme.
const CELLS: &[&str] = &[
    "",
    "-1",
    "0",
    "NaN",
    "inf",
    "-inf",
    "1e308",
    "1e-320",
    "99999999999999999999",
    "abc",
    "1.5",
    " 3",
    "\"x\"",
    "\"",
    "é",
    "0x10",
    "\t",
    "-0",
    "18446744073709551616",
    "4294967296",
    "2147483648",
    "16777217",
];

/// `data` with one edit drawn from `rng`, and what it was.
fn edit(data: &[u8], rng: &mut SplitMix) -> (Vec<u8>, String) {
    let mut lines: Vec<Vec<u8>> = data.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    let line = rng.below(lines.len());
    let mut cells: Vec<Vec<u8>> = lines[line].split(|&b| b == b',').map(<[u8]>::to_vec).collect();
    let cell = rng.below(cells.len());
    let what = match rng.below(9) {
        0 => {
            let at = rng.below(data.len() + 1);
            return (data[..at].to_vec(), format!("cut at byte {at}"));
        }
        1 => {
            let value = CELLS[rng.below(CELLS.len())];
            cells[cell] = value.as_bytes().to_vec();
            lines[line] = cells.join(&b","[..]);
            format!("line {line} cell {cell} set to {value:?}")
        }
        2 => {
            cells.remove(cell);
            lines[line] = cells.join(&b","[..]);
            format!("line {line} cell {cell} dropped")
        }
        3 => {
            lines.remove(line);
            format!("line {line} dropped")
        }
        4 => {
            let copy = lines[rng.below(lines.len())].clone();
            lines.insert(line, copy);
            format!("a line doubled before line {line}")
        }
        5 => {
            let moved = lines.remove(line);
            let to = rng.below(lines.len() + 1);
            lines.insert(to, moved);
            format!("line {line} moved to {to}")
        }
        6 => {
            let mut bytes = data.to_vec();
            let mut at = Vec::new();
            for _ in 0..1 + rng.below(4) {
                if !bytes.is_empty() {
                    let i = rng.below(bytes.len());
                    bytes[i] = rng.below(256) as u8;
                    at.push(i);
                }
            }
            return (bytes, format!("bytes {at:?} flipped"));
        }
        7 => {
            let mut bytes = b"\xef\xbb\xbf".to_vec();
            bytes.extend_from_slice(data);
            return (bytes, "a byte-order mark".to_string());
        }
        _ => {
            for l in &mut lines {
                l.push(b'\r');
            }
            "CRLF line ends".to_string()
        }
    };
    (lines.join(&b"\n"[..]), what)
}

/// Whether `diagnostic`'s code is an `sls::` one and its labels lie
/// inside its source text; rendering it must not panic either.
fn well_formed(diagnostic: &dyn Diagnostic) -> Result<(), String> {
    let code = diagnostic.code().map(|c| c.to_string()).unwrap_or_default();
    if !code.starts_with("sls::") {
        return Err(format!("code {code:?}"));
    }
    if let (Some(labels), Some(source)) = (diagnostic.labels(), diagnostic.source_code()) {
        for label in labels {
            let span = label.inner();
            if source.read_span(span, 0, 0).is_err() {
                return Err(format!("label {span:?} outside its text"));
            }
        }
    }
    let mut out = String::new();
    miette::GraphicalReportHandler::new()
        .render_report(&mut out, diagnostic)
        .map_err(|e| format!("rendering failed: {e}"))?;
    Ok(())
}

/// How a run of an edited trace went, when nothing went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Ran,
    /// Stopped by the checker, or by the run, with a diagnostic.
    Stopped,
}

/// Runs `script` in `dir` (its traces as edited); what is wrong, if
/// anything.
fn run(dir: &Path, script: &str, out: &Path) -> Result<Outcome, String> {
    let path = dir.join(script);
    let text = std::fs::read_to_string(&path).expect("the script");
    let checked = check(&path, text, &Options::default());
    // The checker reads a trace's header: a column the script names may
    // be gone.
    let program = match checked.program {
        Ok(program) => program,
        Err(diagnostics) => {
            return match support::rejection::ill_formed(&diagnostics, &checked.sources) {
                Some(why) => Err(format!("the script is rejected so: {why}")),
                None => Ok(Outcome::Stopped),
            };
        }
    };
    let model = &program.points[0].model;
    let ran = catch_unwind(AssertUnwindSafe(|| {
        sls::driver::run_to_end(model, model.seed, &support::registered::run_options(), out)
    }))
    .map_err(|_| "the run panicked".to_string())?;
    match ran {
        Ok(summary) => {
            let csv = std::fs::read_to_string(out.join("invocations.csv")).map_err(|e| e.to_string())?;
            let rows = csv.lines().count().saturating_sub(1) as u64;
            if rows != summary.totals.invocations {
                return Err(format!(
                    "{rows} rows, the summary counts {}",
                    summary.totals.invocations
                ));
            }
            Ok(Outcome::Ran)
        }
        Err(RunError::Trace(error)) => well_formed(error.as_ref()).map(|()| Outcome::Stopped),
        Err(error @ (RunError::UnknownTraceFunction { .. } | RunError::EpochDates { .. })) => {
            match sls::driver::declared(&error, model, sls::check::RaisedWith::Flags) {
                Some(d) if d.code.as_str().starts_with("sls::") => Ok(Outcome::Stopped),
                _ => Err(format!("no diagnostic for {error:?}")),
            }
        }
        Err(error) => Err(format!("run error {error:?}")),
    }
}

/// Copies the files of folder `from` into `to`, subfolders too.
fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("a folder");
    for entry in std::fs::read_dir(from).expect("the examples").flatten() {
        let path = entry.path();
        if path.is_dir() {
            copy_folder(&path, &to.join(entry.file_name()));
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).expect("copy a file");
        }
    }
}

#[test]
fn random_edits_of_trace_files_run_or_stop_with_a_diagnostic() {
    let dir = support::Scratch::new("trace-edits");
    let examples = support::root().join("examples/traces");
    // The scripts, their traces and the formats they include.
    copy_folder(&examples, &dir);
    let copy = |file: &str| -> PathBuf { dir.join(file) };
    let mut rng = SplitMix(0x7ace_2026);
    let mut failures = Vec::new();
    let mut outcomes = Vec::new();
    for i in 0..EDITS {
        let (script, files) = REPLAYS[i % REPLAYS.len()];
        let file = files[rng.below(files.len())];
        let original = std::fs::read(examples.join(file)).expect("the trace");
        let (edited, what) = edit(&original, &mut rng);
        std::fs::write(copy(file), &edited).expect("write the edit");
        let out = dir.join(format!("out-{i}"));
        match run(&dir, script, &out) {
            Ok(outcome) => outcomes.push(outcome),
            Err(wrong) => failures.push(format!("edit {i}, `{script}` with `{file}` {what}: {wrong}")),
        }
        std::fs::write(copy(file), &original).expect("restore the trace");
        let _ = std::fs::remove_dir_all(&out);
    }
    assert!(
        failures.is_empty(),
        "{} of {EDITS} edits:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // Both ways are exercised: edits a reader accepts (a flipped digit, a
    // moved row of a trace read whole) and edits it refuses.
    let ran = outcomes.iter().filter(|&&o| o == Outcome::Ran).count();
    assert!(
        ran >= EDITS / 4 && EDITS - ran >= EDITS / 4,
        "{ran} of {EDITS} edits ran"
    );
}

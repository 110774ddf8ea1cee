//! What a user sees for a bad trace: every file under `tests/traces/bad/` is
//! opened in strict mode and its rendered diagnostic snapshotted; the format
//! comes from the file name's prefix (`csv_`, `azure2021_`).

use std::path::Path;

use miette::{GraphicalReportHandler, GraphicalTheme};
use sls::ir::workload::{AppSelection, Azure2019Options, MinuteSpread, TraceFormat};
use sls::workload::trace::{Needs, ReaderOptions, TraceError, TraceReader};

fn options(lenient: bool) -> ReaderOptions {
    ReaderOptions {
        seed: 7,
        stream: "replay#0".into(),
        lenient,
        needs: Needs::default(),
    }
}

fn render(error: &TraceError) -> String {
    let mut out = String::new();
    GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_width(80)
        .render_report(&mut out, error)
        .expect("rendering to a string cannot fail");
    out
}

/// The path as a user in the crate's root would write it.
fn relative(path: &Path) -> &Path {
    path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(path)
}

fn open_error(format: &TraceFormat, path: &Path) -> TraceError {
    match TraceReader::open(format, path, &options(false)) {
        Ok(_) => panic!("{} opened without a diagnostic", path.display()),
        Err(error) => error,
    }
}

fn azure2019(days: Vec<u32>, minutes: (u32, u32)) -> TraceFormat {
    TraceFormat::Azure2019(Azure2019Options {
        days,
        minutes,
        apps: AppSelection::All,
        spread: MinuteSpread::Uniform,
        target_rate: None,
    })
}

#[test]
fn bad_trace_files() {
    insta::glob!("traces/bad/*.csv", |path| {
        let name = path.file_name().unwrap().to_string_lossy();
        let format = if name.starts_with("azure2021_") {
            TraceFormat::Azure2021
        } else {
            TraceFormat::Csv
        };
        insta::assert_snapshot!(render(&open_error(&format, relative(path))));
    });
}

#[test]
fn missing_csv_file() {
    let error = open_error(&TraceFormat::Csv, Path::new("tests/traces/bad/no_such_file.csv"));
    insta::assert_snapshot!(render(&error));
}

#[test]
fn missing_azure2019_day() {
    let error = open_error(&azure2019(vec![1, 3], (1, 5)), Path::new("tests/traces/azure2019"));
    insta::assert_snapshot!(render(&error));
}

#[test]
fn azure2019_minutes_past_the_file() {
    let error = open_error(&azure2019(vec![1], (1, 6)), Path::new("tests/traces/azure2019"));
    insta::assert_snapshot!(render(&error));
}

#[test]
fn azure2019_bad_count_on_a_long_line() {
    let path = Path::new("tests/traces/bad/azure2019_not_a_number");
    let error = open_error(&azure2019(vec![1], (1, 80)), path);
    insta::assert_snapshot!(render(&error));
}

/// A count past `MAX_ARRIVALS_AT_ONCE` is refused where it is (a cell of
/// 2^31 took 9.6 GB in ten seconds, its minute's arrivals placed at once);
/// one at the bound is read.
#[test]
fn azure2019_a_count_past_the_bound_is_refused() {
    let path = Path::new("tests/traces/bad/azure2019_too_many_arrivals");
    let error = open_error(&azure2019(vec![1], (1, 80)), path);
    let text = render(&error);
    assert!(text.contains("sls::trace::too_many_arrivals"), "{text}");
    assert!(text.contains("this cell counts 16777217"), "{text}");
    let reader = TraceReader::open(&azure2019(vec![1], (1, 80)), path, &options(true)).expect("lenient mode opens");
    assert_eq!(reader.skipped().total(), 1);
    assert_eq!(reader.functions().len(), 1);
    assert_eq!(reader.count(), 16_777_216 + 79);
}

#[test]
fn azure2019_unknown_app() {
    let format = TraceFormat::Azure2019(Azure2019Options {
        days: vec![1],
        minutes: (1, 5),
        apps: AppSelection::Named(vec!["appZ".into(), "appA".into(), "appY".into()]),
        spread: MinuteSpread::Uniform,
        target_rate: None,
    });
    let error = open_error(&format, Path::new("tests/traces/azure2019"));
    insta::assert_snapshot!(render(&error));
}

#[test]
fn codes_are_stable() {
    let code = |format: &TraceFormat, path: &str| {
        let error = open_error(format, Path::new(path));
        miette::Diagnostic::code(&error).map(|c| c.to_string())
    };
    let csv = TraceFormat::Csv;
    let cases = [
        (&csv, "tests/traces/bad/no_such_file.csv", "sls::trace::missing_file"),
        (&csv, "tests/traces/bad/csv_bad_header.csv", "sls::trace::bad_header"),
        (&csv, "tests/traces/bad/csv_gzip.csv", "sls::trace::compressed"),
        (
            &csv,
            "tests/traces/bad/csv_not_a_number.csv",
            "sls::trace::not_a_number",
        ),
        (
            &csv,
            "tests/traces/bad/csv_negative_duration.csv",
            "sls::trace::negative_value",
        ),
        (&csv, "tests/traces/bad/csv_too_large.csv", "sls::trace::too_large"),
        (
            &csv,
            "tests/traces/bad/csv_out_of_order.csv",
            "sls::trace::out_of_order",
        ),
        (
            &csv,
            "tests/traces/bad/csv_missing_column.csv",
            "sls::trace::missing_column",
        ),
        (&csv, "tests/traces/bad/csv_many_bad.csv", "sls::trace::bad_rows"),
    ];
    for (format, path, want) in cases {
        assert_eq!(code(format, path).as_deref(), Some(want), "{path}");
    }
}

#[test]
fn lenient_mode_skips_and_counts_bad_rows() {
    use sls::workload::trace::RowFault;
    let path = Path::new("tests/traces/bad/csv_many_bad.csv");
    let reader = TraceReader::open(&TraceFormat::Csv, path, &options(true)).expect("lenient mode opens");
    let skipped = reader.skipped().clone();
    assert_eq!(skipped.get(RowFault::NotANumber), 1);
    assert_eq!(skipped.get(RowFault::MissingColumn), 1);
    assert_eq!(skipped.get(RowFault::NegativeValue), 1);
    assert_eq!(skipped.get(RowFault::OutOfOrder), 1);
    assert_eq!(skipped.total(), 4);
    let names: Vec<String> = reader.functions().iter().map(|f| f.name.clone()).collect();
    assert_eq!(names, ["a", "e"]);
    let times: Vec<f64> = reader.map(|a| a.expect("good rows read").time).collect();
    assert_eq!(times, [1.0, 5.0]);
}

#[test]
fn lenient_azure2019_skips_the_bad_row() {
    let path = Path::new("tests/traces/bad/azure2019_not_a_number");
    let reader = TraceReader::open(&azure2019(vec![1], (1, 80)), path, &options(true)).expect("lenient mode opens");
    assert_eq!(reader.skipped().total(), 1);
    assert_eq!(reader.functions().len(), 1);
    assert_eq!(reader.count(), 80);
}

#[test]
fn azure2019_header_with_a_key_column_out_of_place() {
    let path = Path::new("tests/traces/bad/azure2019_bad_key_header");
    let error = open_error(&azure2019(vec![1], (1, 5)), path);
    insta::assert_snapshot!(render(&error));
}

#[test]
fn azure2019_header_with_a_minute_missing() {
    let path = Path::new("tests/traces/bad/azure2019_bad_minute_header");
    let error = open_error(&azure2019(vec![1], (1, 5)), path);
    insta::assert_snapshot!(render(&error));
}

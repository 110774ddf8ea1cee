//! Running the example programs. Every program reproducing a WRENCH test
//! (`examples/wrench/`) must give the dates its `// expect:` lines state
//! (WRENCH's own expectations, within 0.01 s unless stated), and its
//! invocations are snapshotted; every other example's summary is
//! snapshotted. A second run must give the same bytes.

mod support;

use std::path::{Path, PathBuf};

use sls::check::Options;
use sls::serverless::RunOptions;

/// Runs a program (its first sweep point, first repetition) into a fresh folder.
fn run(path: &Path, tag: &str) -> PathBuf {
    let checked = support::check_file(path);
    let program = match checked.program {
        Ok(p) => p,
        Err(d) => panic!("{}", d.render(&checked.sources, false, 80)),
    };
    let _ = Options::default();
    let name = support::relative(path).display().to_string().replace(['/', '.'], "_");
    let dir = std::env::temp_dir().join(format!("sls-runs-{}-{tag}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let model = &program.points[0].model;
    sls::driver::run_model(model, model.seed, &RunOptions::default(), &dir).expect("the run completes");
    dir
}

#[test]
fn wrench_examples_give_wrench_dates() {
    insta::glob!("../examples", "wrench/*.sls", |path| {
        let dir = run(path, "a");
        let csv = std::fs::read_to_string(dir.join("invocations.csv")).expect("invocations.csv");
        let program = std::fs::read_to_string(path).expect("program");
        let wrong = support::expect::mismatches(&program, &support::expect::read_rows(&csv));
        assert!(wrong.is_empty(), "{}:\n{}", path.display(), wrong.join("\n"));
        insta::assert_snapshot!(csv);
        let again = run(path, "b");
        assert_eq!(
            csv,
            std::fs::read_to_string(again.join("invocations.csv")).expect("csv"),
            "same script, same bytes"
        );
        let _ = std::fs::remove_dir_all(dir);
        let _ = std::fs::remove_dir_all(again);
    });
}

#[test]
fn other_examples_run() {
    insta::glob!(
        "../examples",
        "{*.sls,traces/*.sls,sand/*.sls,patterns/*.sls}",
        |path| {
            let dir = run(path, "s");
            let summary = std::fs::read_to_string(dir.join("summary.json")).expect("summary.json");
            insta::assert_snapshot!(summary);
            let _ = std::fs::remove_dir_all(dir);
        }
    );
}

//! Running the example programs. Every program reproducing a WRENCH test
//! (`examples/wrench/`) must give the dates its `// expect:` lines state
//! (WRENCH's own expectations, within 0.01 s unless stated), and its
//! invocations are snapshotted; every other example's summary is
//! snapshotted. A second run must give the same bytes.

mod support;

use std::path::Path;

use sls::check::Options;
use sls::serverless::RunOptions;

/// Runs a program (its first sweep point, first repetition) into a fresh folder.
fn run(path: &Path, tag: &str) -> support::Scratch {
    let checked = support::check_file(path);
    let program = match checked.program {
        Ok(p) => p,
        Err(d) => panic!("{}", d.render(&checked.sources, false, 80)),
    };
    let _ = Options::default();
    let name = support::relative(path).display().to_string().replace(['/', '.'], "_");
    let dir = support::Scratch::new(&format!("runs-{tag}-{name}"));
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
        }
    );
}

/// A trace function too large for the nodes: its invocations fail with
/// `cannot_fit` and the run says so, instead of waiting forever.
#[test]
fn trace_functions_that_can_never_fit_are_reported() {
    let dir = support::Scratch::new("runs-unfit");
    std::fs::write(
        dir.join("trace.csv"),
        "time,function,duration,memory\n0,small,1,128\n0.5,huge,1,200000\n1,huge,1,200000\n",
    )
    .expect("trace");
    let script = dir.join("unfit.sls");
    std::fs::write(
        &script,
        r#"platform {
  host gw { speed 1Gf/s; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host n { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link l { bandwidth 1GBps; latency 1ms }
  route gw <-> n via l
}
serverless faas { head gw:"/"; compute n }
image img { size 0B }
function t { image img; limits { ram trace.memory }; body { sleep trace.duration } }
workload { replay csv "trace.csv" as t }
"#,
    )
    .expect("script");
    let text = std::fs::read_to_string(&script).expect("script");
    let checked = sls::check::check(&script, text, &Default::default());
    let program = checked
        .program
        .unwrap_or_else(|d| panic!("{}", d.render(&checked.sources, false, 80)));
    let model = &program.points[0].model;
    let summary = sls::driver::run_model(model, 0, &RunOptions::default(), &dir.join("out")).expect("run");
    assert_eq!(summary.invocations, 3);
    assert_eq!(summary.succeeded, 1);
    assert_eq!(summary.failures.len(), 1);
    assert_eq!(summary.failures[0].cause, "cannot_fit");
    assert_eq!(summary.warnings.len(), 1, "{:?}", summary.warnings);
    assert!(
        summary.warnings[0].starts_with("2 invocations of `huge` failed with cannot_fit"),
        "{}",
        summary.warnings[0]
    );
}

//! `empirical("file.csv", "column", unit)`: the column's numbers reach the IR
//! in SI units, and the file is found relative to the script file that
//! writes the path, an included one in another folder too.

use crate::support;

use std::path::Path;

use sls::check::{Options, check};
use sls::ir::Distribution;
use sls::ir::function::{Amount, Step};

const PLATFORM: &str = r#"
platform {
  host gw { speed 1Gf/s; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host node { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link l { bandwidth 100MBps; latency 10us }
  route gw <-> node via l
}
serverless faas { head gw:"/"; compute node }
image img { size 100MB; ram 100MB }
workload { invoke f every 1s count 10 }
"#;

/// A fresh folder holding `files` (path, text).
fn folder(tag: &str, files: &[(&str, &str)]) -> support::Scratch {
    let dir = support::Scratch::new(&format!("empirical-{tag}"));
    for (path, text) in files {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("folder created");
        std::fs::write(path, text).expect("file written");
    }
    dir
}

/// The distributions of the first function's body steps.
fn drawn(script: &Path) -> Vec<Distribution> {
    let text = std::fs::read_to_string(script).expect("script");
    let checked = check(script, text, &Options::default());
    let program = match checked.program {
        Ok(p) => p,
        Err(d) => panic!("{}", d.render(&checked.sources, false, 80)),
    };
    program.points[0].model.functions[0]
        .body
        .iter()
        .filter_map(|step| match step {
            Step::Sleep(Amount::Drawn(d)) | Step::Output(Amount::Drawn(d)) => Some(d.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn column_values_are_converted_to_si() {
    let script = format!(
        "{PLATFORM}function f {{ image img; limits {{ ram 1GB }}; body {{
            sleep empirical(\"data/d.csv\", \"duration_ms\", 1ms)
            output empirical(\"data/d.csv\", \"size\", 1kB)
        }} }}"
    );
    let dir = folder(
        "si",
        &[
            ("main.sls", &script),
            ("data/d.csv", "duration_ms,size\n250,4\n1500,\n\n2,8\n"),
        ],
    );
    assert_eq!(
        drawn(&dir.join("main.sls")),
        vec![
            Distribution::Empirical(vec![0.25, 1.5, 0.002]),
            Distribution::Empirical(vec![4000.0, 8000.0]),
        ]
    );
}

#[test]
fn paths_are_relative_to_the_file_that_writes_them() {
    let main = format!("include \"parts/functions.sls\"\n{PLATFORM}");
    let dir = folder(
        "include",
        &[
            ("main.sls", &main),
            (
                "parts/functions.sls",
                "function f { image img; limits { ram 1GB }; body { sleep empirical(\"times.csv\", \"s\", 1s) } }",
            ),
            ("parts/times.csv", "s\n1\n3\n"),
        ],
    );
    assert_eq!(
        drawn(&dir.join("main.sls")),
        vec![Distribution::Empirical(vec![1.0, 3.0])]
    );
}

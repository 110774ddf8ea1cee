//! Front-end benchmark: parse + check a generated 10,000-line script (hosts,
//! links, routes, images, functions, workflows and streams), in release.
//! Run with `cargo bench --bench frontend`; prints the median of repeated runs.
//! `cargo bench --bench frontend -- --write FILE` writes the script instead
//! (`bench/frontend-instructions.sh` counts `sls check`'s instructions on it).

use std::fmt::Write;
use std::path::Path;
use std::time::Instant;

use sls::check::{Options, check};

/// A script of about `lines` lines that exercises every checker.
fn script(lines: usize) -> String {
    // Each group below writes 13.5 lines on average.
    let groups = lines * 2 / 27 + 1;
    let mut s = String::from(
        "param seed = 1\nplatform {\n  host gateway { speed 10Gf/s; cores 8; disk \"/\" { size 10TB; read 1GBps; write 1GBps } }\n",
    );
    for g in 0..groups {
        let _ = writeln!(s, "  host n{g} {{");
        let _ = writeln!(s, "    speed 2Gf/s; cores 16; ram 64GB");
        let _ = writeln!(s, "    disk \"/\" {{ size 1TB; read 500MBps; write 400MBps }}");
        let _ = writeln!(s, "  }}");
        let _ = writeln!(
            s,
            "  link l{g} {{ bandwidth 10Gbps; latency 20us; sharing split_duplex }}"
        );
        let _ = writeln!(s, "  route gateway <-> n{g} via l{g}");
    }
    s.push_str("}\nserverless faas {\n  head gateway:\"/\"\n");
    let _ = writeln!(
        s,
        "  compute {}",
        (0..groups).map(|g| format!("n{g}")).collect::<Vec<_>>().join(", ")
    );
    s.push_str("  container_startup 500ms\n  idle_timeout 10min\n}\n");
    for g in 0..groups {
        let _ = writeln!(s, "image img{g} {{ size 200MB; ram 100MB }}");
        let _ = writeln!(s, "function f{g} {{");
        let _ = writeln!(s, "  image img{g}");
        let _ = writeln!(s, "  limits {{ time 1min; ram 512MB; disk 1GB }}");
        let _ = writeln!(
            s,
            "  body {{ sleep uniform(10ms, 90ms); compute 1Gf; write 10MB; output 1MB }}"
        );
        let _ = writeln!(s, "}}");
        if g % 2 == 1 {
            let _ = writeln!(s, "workflow w{g} {{ f{} -> f{g} }}", g - 1);
        }
        let _ = writeln!(s, "workload {{ invoke f{g} poisson 5/s for 10min }}");
    }
    s
}

fn main() {
    let text = script(10_000);
    // `--write FILE`: write the script for other tools (instruction counts).
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--write") {
        let file = args.get(at + 1).expect("--write FILE");
        std::fs::write(file, &text).expect("the script can be written");
        return;
    }
    let lines = text.lines().count();
    let path = Path::new("bench-generated.sls");
    let options = Options::default();
    let checked = check(path, text.clone(), &options);
    if let Err(d) = &checked.program {
        eprintln!("{}", d.render(&checked.sources, false, 100));
        panic!("the generated script must check cleanly");
    }
    let mut times = Vec::new();
    for _ in 0..15 {
        let start = Instant::now();
        let checked = check(path, text.clone(), &options);
        times.push(start.elapsed().as_secs_f64() * 1e3);
        assert!(checked.program.is_ok());
    }
    times.sort_by(f64::total_cmp);
    let mut parse = Vec::new();
    for _ in 0..15 {
        let start = Instant::now();
        let diagnostics = sls::syntax::tree::parse_file(Default::default(), &text).diagnostics;
        parse.push(start.elapsed().as_secs_f64() * 1e3);
        assert!(diagnostics.is_empty());
    }
    parse.sort_by(f64::total_cmp);
    println!("frontend: parse alone: median {:.1} ms", parse[parse.len() / 2]);
    println!(
        "frontend: parse + check of a {lines}-line script: median {:.1} ms (min {:.1}, max {:.1}) over {} runs",
        times[times.len() / 2],
        times[0],
        times[times.len() - 1],
        times.len()
    );
}

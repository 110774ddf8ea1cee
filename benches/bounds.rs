//! Bounds benchmark: `sls check` on the inputs that once took seconds,
//! minutes or forever (`tests/support/pathological.rs`), each under 1 MiB.
//! Prints per input its size, the best wall and CPU (user + system) times
//! of three runs (on a shared machine the CPU time is the steadier figure),
//! the peak memory (GNU time's maximum resident set size) and the bytes of
//! diagnostics. The budget is a second and 200 MB per input.
//! Run with `cargo bench --bench bounds` (needs `/usr/bin/time`).

#[path = "../tests/support/pathological.rs"]
mod pathological;

use std::process::Command;

fn main() {
    let dir = std::env::temp_dir().join(format!("sls-bench-bounds-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    println!(
        "{:<28} {:>9} {:>7} {:>7} {:>8} {:>8}",
        "input", "bytes", "wall s", "cpu s", "peak MB", "stderr"
    );
    for (name, text) in pathological::inputs() {
        let script = dir.join(format!("{name}.sls"));
        std::fs::write(&script, &text).expect("the input can be written");
        let times = dir.join("time");
        let (mut wall, mut cpu) = (f64::INFINITY, f64::INFINITY);
        let mut peak_kb = 0.0_f64;
        let mut stderr = 0;
        for _ in 0..3 {
            let output = Command::new("/usr/bin/time")
                .args(["-f", "%e %U %S %M", "-o"])
                .arg(&times)
                .arg(env!("CARGO_BIN_EXE_sls"))
                .arg("check")
                .arg(&script)
                .output()
                .expect("/usr/bin/time runs sls");
            stderr = output.stderr.len();
            let measured = std::fs::read_to_string(&times).expect("time's report");
            let last = measured.lines().last().unwrap_or_default();
            let fields: Vec<f64> = last.split_whitespace().map(|f| f.parse().unwrap_or(f64::NAN)).collect();
            let [elapsed, user, system, kb] = fields[..] else {
                panic!("unexpected report from /usr/bin/time: {measured}");
            };
            wall = wall.min(elapsed);
            cpu = cpu.min(user + system);
            peak_kb = peak_kb.max(kb);
        }
        println!(
            "{name:<28} {:>9} {wall:>7.2} {cpu:>7.2} {:>8.1} {stderr:>8}",
            text.len(),
            peak_kb / 1024.0
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

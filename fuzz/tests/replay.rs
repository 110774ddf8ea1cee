//! The committed corpus of each fuzz target, replayed through what the
//! target checks: every crash or timeout fuzzing found is in it, so it
//! stays fixed, and the harness builds and runs on a stable toolchain.

use std::path::Path;

fn replay(target: &str, check: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus").join(target);
    let mut inputs = 0;
    for entry in std::fs::read_dir(&dir).expect("the corpus folder") {
        let path = entry.expect("a corpus entry").path();
        let data = std::fs::read(&path).expect("a corpus input");
        let started = std::time::Instant::now();
        check(&data);
        // A generous guard: libFuzzer's own timeout is 10 s per input.
        assert!(
            started.elapsed().as_secs() < 10,
            "{} took {:?}",
            path.display(),
            started.elapsed()
        );
        inputs += 1;
    }
    assert!(inputs > 0, "empty corpus {}", dir.display());
}

#[test]
fn front_end_corpus() {
    replay("front_end", sls_fuzz::front_end);
}

#[test]
fn short_run_corpus() {
    replay("short_run", sls_fuzz::short_run);
}

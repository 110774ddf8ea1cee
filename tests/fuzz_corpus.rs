//! The fuzz targets' committed corpus (`fuzz/corpus/`), replayed through
//! what each target checks (`fuzz/src/lib.rs`, compiled here as a module
//! against the library under test): every crash or timeout fuzzing found
//! stays fixed, and the checks cannot rot, on a stable toolchain and
//! without a build of the fuzz crate (its own workspace, with libFuzzer).

#[path = "../fuzz/src/lib.rs"]
pub mod checks;

fn replay(target: &str, check: fn(&[u8])) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
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
    replay("front_end", checks::front_end);
}

#[test]
fn short_run_corpus() {
    replay("short_run", checks::short_run);
}

/// Formatting has no corpus of its own: every input of the others' is a
/// script to format.
#[test]
fn formatting_of_every_corpus() {
    replay("front_end", checks::formatting);
    replay("short_run", checks::formatting);
}

//! Helpers shared by the integration tests: checking a script file the way
//! the CLI does, with the options its header asks for, and rendering what a
//! user would see.

#![allow(dead_code)]

pub mod expect;
pub mod pathological;
pub mod registered;
pub mod rejection;
pub mod scenario;
pub mod split_mix;

use std::path::{Path, PathBuf};

use sls::check::{Checked, Options, check};

/// A folder of this test process under the system's temporary folder:
/// empty when made, removed when dropped, so test runs leave nothing behind.
pub struct Scratch(PathBuf);

/// How many scratch folders this process made: numbered, two tests that
/// give the same name (every test file runs in this one process) never
/// share a folder.
static SCRATCHES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let number = SCRATCHES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("sls-test-{}-{number}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch folder can be made");
        Scratch(dir)
    }
}

impl std::ops::Deref for Scratch {
    type Target = Path;

    fn deref(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The crate root, which test paths are relative to.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The example whose script names policies its own program registers
/// (`tests/custom_policy.rs` runs it): the command line rejects it.
pub const CUSTOM_POLICY: &str = "examples/custom-policy";

/// Every `.sls` file under `examples/` the command line runs, sorted
/// (included files too): all but [`CUSTOM_POLICY`]'s.
pub fn example_scripts() -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![root().join("examples")];
    while let Some(dir) = stack.pop() {
        if dir == root().join(CUSTOM_POLICY) {
            continue;
        }
        for entry in std::fs::read_dir(dir).expect("examples folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "sls") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Every `.sls` file of `tests/bad/` (a mistake each) and `tests/warn/`
/// (a warning each), sorted.
pub fn diagnosed_scripts() -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = ["tests/bad", "tests/warn"]
        .iter()
        .flat_map(|folder| std::fs::read_dir(root().join(folder)).expect("the folder exists"))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sls"))
        .collect();
    found.sort();
    found
}

/// A path relative to the crate root, as a user would type it.
pub fn relative(path: &Path) -> PathBuf {
    path.strip_prefix(root())
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// Command-line options from a `// args: -p a=b --seed 3` first line.
pub fn header_options(text: &str) -> Options {
    let mut options = Options::default();
    let Some(args) = text.lines().next().and_then(|l| l.strip_prefix("// args: ")) else {
        return options;
    };
    let mut words = args.split_whitespace();
    while let Some(word) = words.next() {
        match word {
            "-p" => options.params.extend(words.next().map(str::to_string)),
            "--seed" => options.seed = words.next().and_then(|s| s.parse().ok()),
            other => panic!("unknown test header argument `{other}`"),
        }
    }
    options
}

/// Writes the bad inputs too large to commit (`tests/bad/generated/`, not
/// in git): a script one byte over the 1 MiB a script may be.
pub fn generate_bad_inputs() {
    // Once per test process (its tests run on threads that would share the
    // partial file's name); the pid separates processes.
    static GENERATED: std::sync::Once = std::sync::Once::new();
    GENERATED.call_once(write_bad_inputs);
}

fn write_bad_inputs() {
    let dir = root().join("tests/bad/generated");
    std::fs::create_dir_all(&dir).expect("tests/bad/generated can be made");
    let path = dir.join("too_large.sls");
    let size = sls::check::files::MAX_SCRIPT_BYTES + 1;
    if std::fs::metadata(&path).is_ok_and(|m| m.len() == size) {
        return;
    }
    let line = "// a comment line of a script that is too large to be read\n";
    let mut text = line.repeat(size as usize / line.len() + 1);
    text.truncate(size as usize);
    // Written aside then renamed, so a test running alongside never reads half of it.
    let partial = dir.join(format!("too_large.{}.partial", std::process::id()));
    std::fs::write(&partial, text).expect("the generated input can be written");
    std::fs::rename(&partial, &path).expect("the generated input can be renamed");
}

/// Runs the `sls` binary with `args` from the crate root: exit code,
/// standard output and standard error.
pub fn sls(args: &[&str]) -> (i32, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_sls"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the sls binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Writes `text` into `dir` as `file` and runs it with `args`, its results
/// in `dir/out` (replaced); returns what it printed, panics with its errors
/// if it fails.
pub fn run_in(dir: &Path, file: &str, text: &str, args: &[&str]) -> String {
    let script = dir.join(file);
    std::fs::write(&script, text).expect("the script can be written");
    run_to(&script, &dir.join("out"), args)
}

/// Runs the script at `script` with `args` into the folder `out`
/// (replaced), from the crate root; returns what it printed, panics with
/// its errors if it fails.
pub fn run_to(script: &Path, out: &Path, args: &[&str]) -> String {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_sls"))
        .arg("run")
        .arg(script)
        .args(args)
        .args(["--force", "--out"])
        .arg(out)
        .current_dir(root())
        .output()
        .expect("the sls binary runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A CSV file as rows of named cells.
pub fn csv_rows(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    csv_text_rows(&text)
}

/// CSV text as rows of named cells (a map from each column's name), read
/// as any CSV reader reads it: quoted cells (a trace's function `my,func`)
/// whole and unquoted, and every row as wide as the header (a row of
/// another width panics rather than shifting its cells).
pub fn csv_text_rows<Row: FromIterator<(String, String)>>(text: &str) -> Vec<Row> {
    let mut records = csv_records(text).into_iter();
    let header = records.next().expect("a header");
    records
        .enumerate()
        .map(|(row, cells)| {
            assert_eq!(
                cells.len(),
                header.len(),
                "row {} is not as wide as the header",
                row + 1
            );
            header.iter().cloned().zip(cells).collect()
        })
        .collect()
}

/// Every record of CSV text, each its cells (unquoted).
fn csv_records(text: &str) -> Vec<Vec<String>> {
    use csv_core::ReadRecordResult;
    let mut reader = csv_core::Reader::new();
    let mut input = text.as_bytes();
    // A record's cells fit in the text's length, its cells in 1024 ends.
    let mut output = vec![0; text.len()];
    let mut ends = [0; 1024];
    let mut records = Vec::new();
    loop {
        let (result, read, _, cells) = reader.read_record(input, &mut output, &mut ends);
        input = &input[read..];
        match result {
            // Called again with the input empty, the reader ends the text.
            ReadRecordResult::InputEmpty => continue,
            ReadRecordResult::Record => {
                let mut start = 0;
                let record = ends[..cells]
                    .iter()
                    .map(|&end| {
                        let cell = String::from_utf8_lossy(&output[start..end]).into_owned();
                        start = end;
                        cell
                    })
                    .collect();
                records.push(record);
            }
            ReadRecordResult::End => return records,
            ReadRecordResult::OutputFull | ReadRecordResult::OutputEndsFull => {
                panic!("a CSV record larger than its text or of more than 1024 cells")
            }
        }
    }
}

/// Runs the script `text` (written to a scratch folder named after `name`)
/// and returns its `invocations.csv`; panics with its errors if it fails.
pub fn run_invocations(name: &str, text: &str) -> String {
    let dir = Scratch::new(name);
    run_in(&dir, "script.sls", text, &["-q"]);
    std::fs::read_to_string(dir.join("out/invocations.csv")).expect("invocations.csv")
}

/// Runs the script at `script` (with more options `args`, such as
/// `["--seed", "2"]`) into the folder `out`, and returns its
/// `invocations.csv`; panics with its errors if it fails.
pub fn run_into(script: &Path, out: &Path, args: &[&str]) -> String {
    run_to(script, out, &[args, &["-q"]].concat());
    std::fs::read_to_string(out.join("invocations.csv")).expect("invocations.csv")
}

/// What the front end makes of the script `text` at `path` (under the
/// crate root: its includes and files are read beside it), without
/// positions, which formatting and renaming move: the program it lowers
/// to (its `Debug`, spans blanked), or each diagnostic's code, message,
/// words spanned (whitespace aside), label and help.
pub fn lowered(path: &Path, text: &str) -> Result<String, Vec<String>> {
    let relative = relative(path);
    std::env::set_current_dir(root()).expect("crate root exists");
    let checked = check(&relative, text.to_string(), &header_options(text));
    match checked.program {
        Ok(program) => Ok(crate::fuzz_corpus::checks::without_spans(&format!("{program:?}"))),
        Err(diagnostics) => Err(diagnostics
            .0
            .iter()
            .map(|d| {
                format!(
                    "{} {} [{}: {}] {:?}",
                    d.code,
                    d.message,
                    checked.sources.slice(d.primary.span).replace(char::is_whitespace, ""),
                    d.primary.text,
                    d.help
                )
            })
            .collect()),
    }
}

/// Checks a script file (path relative to the crate root).
pub fn check_file(path: &Path) -> Checked {
    let relative = relative(path);
    let text = std::fs::read_to_string(root().join(&relative)).expect("test input is readable");
    let options = header_options(&text);
    std::env::set_current_dir(root()).expect("crate root exists");
    check(&relative, text, &options)
}

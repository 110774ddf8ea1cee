//! The `sls` command line: `check`, `graph` and `run` over `.sls` scripts.

fn main() {
    eprintln!("sls: the front end is being built; no command is available yet");
    std::process::exit(2);
}

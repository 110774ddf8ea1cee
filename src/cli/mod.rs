//! What the `sls` command does, one module per subcommand's work (the
//! arguments themselves are declared in `main.rs`).

pub mod graph;
pub mod jobs;
pub mod merge;
pub mod progress;
pub mod report;
pub mod run;

use std::io::IsTerminal;

pub use sls::console::say;

/// The width diagnostics are drawn at: the terminal's, else 100 columns.
pub fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}

/// Whether stderr is a terminal (colours, progress).
pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

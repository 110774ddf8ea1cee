//! The `sls fmt` command: formats files in place, or says which would
//! change (`--check`), or formats standard input to standard output (no
//! file, or `-`). A file whose structure is unknown (unbalanced brackets,
//! an unclosed string) is left as it is and its diagnostics are printed.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::format;
use crate::syntax::source::Sources;

/// What `sls fmt` ends with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything formatted (or already formatted).
    Done,
    /// Diagnostics, or files that `--check` found unformatted.
    Failed,
    /// A file could not be read or written.
    Unreadable,
}

/// Runs `sls fmt`. `color` and `width` are for the diagnostics.
pub fn run(files: &[PathBuf], check: bool, color: bool, width: usize) -> Outcome {
    if files.is_empty() || files.iter().any(|f| f.as_os_str() == "-") {
        return standard_input(check, color, width);
    }
    let mut outcome = Outcome::Done;
    for file in files {
        let text = match crate::check::files::read_script(file) {
            Ok(text) => text,
            Err(error) => {
                let shown = crate::diagnostic::text::quote_path(&file.display().to_string());
                crate::tellln!("sls: cannot read `{shown}`: {error}");
                return Outcome::Unreadable;
            }
        };
        match format(&text) {
            Err(diagnostics) => {
                report(file, &text, &diagnostics, color, width);
                outcome = Outcome::Failed;
            }
            Ok(formatted) if formatted == text => {}
            Ok(_) if check => {
                crate::sayln!("{}", file.display());
                outcome = Outcome::Failed;
            }
            Ok(formatted) => {
                if let Err(error) = std::fs::write(file, formatted) {
                    crate::tellln!("sls: cannot write `{}`: {error}", file.display());
                    return Outcome::Unreadable;
                }
            }
        }
    }
    outcome
}

fn standard_input(check: bool, color: bool, width: usize) -> Outcome {
    let text = match crate::check::files::read_script_from(std::io::stdin()) {
        Ok(text) => text,
        Err(error) => {
            crate::tellln!("sls: cannot read standard input: {error}");
            return Outcome::Unreadable;
        }
    };
    match format(&text) {
        Err(diagnostics) => {
            report(Path::new("<stdin>"), &text, &diagnostics, color, width);
            Outcome::Failed
        }
        Ok(formatted) if check => {
            if formatted == text {
                Outcome::Done
            } else {
                crate::sayln!("<stdin>");
                Outcome::Failed
            }
        }
        Ok(formatted) => {
            let _ = std::io::stdout().lock().write_all(formatted.as_bytes());
            Outcome::Done
        }
    }
}

fn report(file: &Path, text: &str, diagnostics: &crate::diagnostic::Diagnostics, color: bool, width: usize) {
    let mut sources = Sources::new();
    sources.add(file.display().to_string(), text);
    crate::console::tell(&diagnostics.render(&sources, color, width));
    crate::tellln!("sls: `{}` is left as it is", file.display());
}

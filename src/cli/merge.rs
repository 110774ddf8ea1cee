//! `sls merge PART... --out OUT`: the parts of one experiment (`sls run
//! --point K`, one per task of a job array) put together into `OUT`, as one
//! `sls run` of the whole experiment would have written it. The script is
//! checked again, as the parts' manifest says they ran it, from the folder
//! they ran in.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use sls::ir::Program;
use sls::output::merge::{gather, locate, read_parts};
use sls::output::repetitions::alike_repetitions;
use sls::output::{Manifest, OutFolder};
use sls::syntax::source::Sources;

use super::run::write_runs;
use super::say;

/// Checks a script with `-p` overrides and a seed, printing its diagnostics.
pub type LoadScript<'a> = dyn Fn(&Path, &[String], Option<u64>) -> Result<(Sources, Program), ExitCode> + 'a;

/// Merges `parts` into `out`; the exit code says how it went: 0 merged,
/// 1 the script has mistakes or a file could not be written, 2 the parts
/// cannot be merged (what is wrong is printed).
pub fn merge(parts: &[PathBuf], out: &Path, force: bool, quiet: bool, load: &LoadScript) -> ExitCode {
    let refuse = |error: &dyn std::fmt::Display| {
        sls::tellln!("sls: {error}");
        ExitCode::from(2)
    };
    let parts = match read_parts(parts) {
        Ok(parts) => parts,
        Err(error) => return refuse(&error),
    };
    let Some(first) = parts.first() else {
        return refuse(&"nothing to merge; give the folders `sls run --point K` wrote");
    };
    let ran = &first.manifest;
    let script = PathBuf::from(&ran.script);
    let (sources, program) = match load(&script, &ran.overrides, ran.seed) {
        Ok(loaded) => loaded,
        Err(code) => {
            sls::tellln!(
                "sls: the parts ran `{}`; run `sls merge` from the folder they were started in",
                ran.script
            );
            return code;
        }
    };
    let mut whole = Manifest::new(&script, &sources, &ran.overrides, ran.seed, &program);
    whole.outputs = ran.outputs.clone();
    let holders = match locate(&whole, &parts) {
        Ok(holders) => holders,
        Err(error) => return refuse(&error),
    };
    let folder = match OutFolder::claim(out, &whole, force) {
        Ok(folder) => folder,
        Err(error) => return refuse(&error),
    };
    let summaries = match gather(&whole, &parts, &holders, folder.path()) {
        Ok(summaries) => summaries,
        Err(error) => {
            let _ = folder.failed(&error.to_string());
            return refuse(&error);
        }
    };
    // Parts of one point each (a job array's) cannot tell it apart;
    // together, they tell what one `sls run` of the whole would have.
    if let Some(warning) = alike_repetitions(&program, &whole.runs, &summaries) {
        sls::tellln!("sls: warning: {warning}");
    }
    if let Err(error) = write_runs(&program, &whole, &summaries, out).and_then(|()| folder.complete()) {
        sls::tellln!("sls: cannot write results in `{}`: {error}", out.display());
        return ExitCode::from(1);
    }
    if !quiet {
        say(&format!(
            "merged {} runs from {} parts into {}\n",
            whole.runs.len(),
            parts.len(),
            out.display()
        ));
    }
    ExitCode::SUCCESS
}

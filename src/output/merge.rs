//! `sls merge`: results folders that each hold some runs of one experiment
//! (`sls run --point K`, one task of a cluster's job array each) put
//! together into one folder with the bytes a single `sls run` of the whole
//! experiment would have written: every run's files (hard-linked where the
//! file system allows, else copied), `manifest.json` and `runs.csv`.
//!
//! Every run of the experiment must be found exactly once, in a complete
//! part of the same experiment (same script text, overrides and seed).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::driver::SUMMARY;
use crate::report::Summary;

use super::folder::{INCOMPLETE, RUN_FILES};
use super::manifest::{MANIFEST, Manifest};

/// One results folder to merge.
#[derive(Debug)]
pub struct Part {
    pub root: PathBuf,
    pub manifest: Manifest,
}

/// Why folders cannot be merged.
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("`{0}` holds no sls results (it has no {MANIFEST}); give the folders `sls run --point K` wrote")]
    NotResults(PathBuf),
    #[error("`{0}` is incomplete (see its {INCOMPLETE} file); run its point again into it, then merge")]
    Incomplete(PathBuf),
    #[error("`{part}` holds results of {what} than `{first}`; merge the parts of one experiment only")]
    Foreign {
        part: PathBuf,
        first: PathBuf,
        what: String,
    },
    #[error("`{part}` was written by sls {theirs}, this is sls {ours}; merge with the version that ran the parts")]
    Version {
        part: PathBuf,
        theirs: String,
        ours: String,
    },
    #[error("the script `{script}` is not the one the parts ran (its text or includes changed since)")]
    ScriptChanged { script: String },
    #[error("no part holds {}; run them with `sls run ... --point K` and merge again", missing.join(", "))]
    Missing { missing: Vec<String> },
    #[error(
        "`{folder}` (point {point}, repetition {repetition}) is in both `{first}` and `{second}`; give each run once"
    )]
    Twice {
        folder: String,
        point: usize,
        repetition: u32,
        first: PathBuf,
        second: PathBuf,
    },
    #[error("`{out}` is one of the parts; give `--out` a new folder")]
    OutIsPart { out: PathBuf },
    #[error("cannot read `{path}`: {error}")]
    Read { path: PathBuf, error: String },
    #[error("cannot write `{path}`: {error}")]
    Write { path: PathBuf, error: io::Error },
}

/// Reads the parts' manifests: each a complete results folder of the same
/// experiment, written by this version of sls.
pub fn read_parts(roots: &[PathBuf]) -> Result<Vec<Part>, MergeError> {
    let mut parts: Vec<Part> = Vec::new();
    for root in roots {
        let path = root.join(MANIFEST);
        let text = fs::read_to_string(&path).map_err(|_| MergeError::NotResults(root.clone()))?;
        let manifest: Manifest = serde_json::from_str(&text).map_err(|e| MergeError::Read {
            path: path.clone(),
            error: e.to_string(),
        })?;
        if root.join(INCOMPLETE).exists() {
            return Err(MergeError::Incomplete(root.clone()));
        }
        let ours = env!("CARGO_PKG_VERSION");
        if manifest.sls_version != ours {
            return Err(MergeError::Version {
                part: root.clone(),
                theirs: manifest.sls_version,
                ours: ours.to_string(),
            });
        }
        if let Some(first) = parts.first()
            && !first.manifest.same_experiment(&manifest)
        {
            return Err(MergeError::Foreign {
                part: root.clone(),
                first: first.root.clone(),
                what: first.manifest.difference(&manifest),
            });
        }
        parts.push(Part {
            root: root.clone(),
            manifest,
        });
    }
    Ok(parts)
}

/// Where each run of `whole` (the manifest of the whole experiment) is
/// among the parts: the part's index, for every run in order.
pub fn locate(whole: &Manifest, parts: &[Part]) -> Result<Vec<usize>, MergeError> {
    if let Some(first) = parts.first()
        && first.manifest.script_sha256 != whole.script_sha256
    {
        return Err(MergeError::ScriptChanged {
            script: whole.script.clone(),
        });
    }
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for run in &whole.runs {
        let holders: Vec<usize> = (0..parts.len())
            .filter(|p| parts[*p].manifest.runs.contains(run))
            .collect();
        match holders[..] {
            [] => missing.push(format!(
                "point {} repetition {} (`{}`)",
                run.point, run.repetition, run.folder
            )),
            [one] => found.push(one),
            [first, second, ..] => {
                return Err(MergeError::Twice {
                    folder: run.folder.clone(),
                    point: run.point,
                    repetition: run.repetition,
                    first: parts[first].root.clone(),
                    second: parts[second].root.clone(),
                });
            }
        }
    }
    if missing.is_empty() {
        Ok(found)
    } else {
        Err(MergeError::Missing { missing })
    }
}

/// Brings every run's files from its part into `out` (whose folder layout
/// is the parts' own) and reads its summary, in run order.
pub fn gather(whole: &Manifest, parts: &[Part], holders: &[usize], out: &Path) -> Result<Vec<Summary>, MergeError> {
    let out_canonical = out.canonicalize().ok();
    if parts.iter().any(|p| p.root.canonicalize().ok() == out_canonical) {
        return Err(MergeError::OutIsPart { out: out.to_path_buf() });
    }
    let mut summaries = Vec::new();
    for (run, &holder) in whole.runs.iter().zip(holders) {
        let from = parts[holder].root.join(&run.folder);
        let to = out.join(&run.folder);
        let summary_path = from.join(SUMMARY);
        let text = fs::read_to_string(&summary_path).map_err(|e| MergeError::Read {
            path: summary_path.clone(),
            error: e.to_string(),
        })?;
        let summary: Summary = serde_json::from_str(&text).map_err(|e| MergeError::Read {
            path: summary_path.clone(),
            error: e.to_string(),
        })?;
        fs::create_dir_all(&to).map_err(|error| MergeError::Write {
            path: to.clone(),
            error,
        })?;
        for name in RUN_FILES {
            let source = from.join(name);
            if source.exists() {
                let target = to.join(name);
                link_or_copy(&source, &target).map_err(|error| MergeError::Write { path: target, error })?;
            }
        }
        summaries.push(summary);
    }
    Ok(summaries)
}

/// A hard link to `source` at `target` (no copy of a large file), or a copy
/// where links cannot be made (another file system).
fn link_or_copy(source: &Path, target: &Path) -> io::Result<()> {
    super::folder::remove_if_there(target)?;
    match fs::hard_link(source, target) {
        Ok(()) => Ok(()),
        Err(_) => fs::copy(source, target).map(|_| ()),
    }
}

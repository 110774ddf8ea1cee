//! `sls merge`: results folders that each hold some runs of one experiment
//! (`sls run --point K`, one task of a cluster's job array each) put
//! together into one folder with the bytes a single `sls run` of the whole
//! experiment would have written: every run's files (hard-linked where the
//! file system allows, else copied), `manifest.json` and `runs.csv`.
//!
//! Every run of the experiment must be found exactly once, in a complete
//! part of the same experiment (same script text, overrides and seed).

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::driver::SUMMARY;
use crate::report::Summary;
use crate::syntax::words::list_all;

use super::folder::{INCOMPLETE, RUN_FILES};
use super::manifest::{MANIFEST, Manifest, RunEntry};

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
    #[error(
        "`{part}` was written with {theirs}, `{first}` with {ours}; run every part with the same output options, as one `sls run` writes its runs"
    )]
    Outputs {
        part: PathBuf,
        theirs: String,
        first: PathBuf,
        ours: String,
    },
    #[error("`{part}` was written by sls {theirs}, this is sls {ours}; merge with the version that ran the parts")]
    Version {
        part: PathBuf,
        theirs: String,
        ours: String,
    },
    #[error("the script `{script}` is not the one the parts ran (its text or includes changed since)")]
    ScriptChanged { script: String },
    #[error(
        "no part holds {count} of the {total} runs: {points} (the first `{first}`); run each with `sls run ... --point K` and merge again"
    )]
    Missing {
        count: usize,
        total: usize,
        /// The points missing, as ranges (`points 2-8`), with the
        /// repetitions missing where a point is not missing whole.
        points: String,
        /// The first missing run's folder, which names its parameters.
        first: String,
    },
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
        if let Some(first) = parts.first() {
            if !first.manifest.same_experiment(&manifest) {
                return Err(MergeError::Foreign {
                    part: root.clone(),
                    first: first.root.clone(),
                    what: first.manifest.difference(&manifest),
                });
            }
            if first.manifest.outputs != manifest.outputs {
                return Err(MergeError::Outputs {
                    part: root.clone(),
                    theirs: manifest.outputs.options(),
                    first: first.root.clone(),
                    ours: first.manifest.outputs.options(),
                });
            }
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
    // Each run's holders, found through an index by point and repetition:
    // a sweep of many points has as many parts, and looking each run up
    // in every part cost runs x parts.
    let mut index: HashMap<(usize, u32), Vec<(usize, &RunEntry)>> = HashMap::new();
    for (p, part) in parts.iter().enumerate() {
        for run in &part.manifest.runs {
            index.entry((run.point, run.repetition)).or_default().push((p, run));
        }
    }
    let mut found = Vec::new();
    let mut missing: Vec<&RunEntry> = Vec::new();
    for run in &whole.runs {
        let mut holders: Vec<usize> = index
            .get(&(run.point, run.repetition))
            .into_iter()
            .flatten()
            .filter(|(_, entry)| *entry == run)
            .map(|&(p, _)| p)
            .collect();
        holders.dedup();
        match holders[..] {
            [] => missing.push(run),
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
    match missing.first() {
        None => Ok(found),
        Some(first) => Err(MergeError::Missing {
            count: missing.len(),
            total: whole.runs.len(),
            points: missing_points(whole, &missing),
            first: first.folder.clone(),
        }),
    }
}

/// The points of `missing` (runs of `whole`, in its order) as a job array
/// would rerun them: points missing whole as ranges (`points 2-8 and 11`),
/// then each point missing some repetitions with those
/// (`point 9, repetitions 1 and 3`).
fn missing_points(whole: &Manifest, missing: &[&RunEntry]) -> String {
    let mut repetitions: HashMap<usize, usize> = HashMap::new();
    for run in &whole.runs {
        *repetitions.entry(run.point).or_default() += 1;
    }
    let mut whole_points = Vec::new();
    let mut partial = Vec::new();
    let mut at = 0;
    while at < missing.len() {
        let point = missing[at].point;
        let of_point = missing[at..].iter().take_while(|r| r.point == point).count();
        if of_point == repetitions[&point] {
            whole_points.push(point);
        } else {
            let reps: Vec<String> = missing[at..at + of_point]
                .iter()
                .map(|r| r.repetition.to_string())
                .collect();
            let noun = if reps.len() == 1 { "repetition" } else { "repetitions" };
            partial.push(format!("point {point}, {noun} {}", list_all(&reps)));
        }
        at += of_point;
    }
    let mut groups = Vec::new();
    if !whole_points.is_empty() {
        let ranges = ranges(&whole_points);
        let noun = if whole_points.len() == 1 { "point" } else { "points" };
        groups.push(format!("{noun} {}", list_all(&ranges)));
    }
    groups.extend(partial);
    groups.join("; ")
}

/// Ascending numbers as ranges: `[2, 3, 4, 8]` is `2-4` and `8`.
fn ranges(numbers: &[usize]) -> Vec<String> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < numbers.len() {
        let mut end = at;
        while end + 1 < numbers.len() && numbers[end + 1] == numbers[end] + 1 {
            end += 1;
        }
        out.push(if end == at {
            numbers[at].to_string()
        } else {
            format!("{}-{}", numbers[at], numbers[end])
        });
        at = end + 1;
    }
    out
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consecutive_numbers_are_one_range() {
        assert_eq!(ranges(&[2, 3, 4, 8, 10, 11]), ["2-4", "8", "10-11"]);
        assert_eq!(ranges(&[0]), ["0"]);
        assert_eq!(list_all(&ranges(&[1, 3, 4])), "1 and 3-4");
    }

    #[test]
    fn missing_points_are_ranges_and_partial_points_name_their_repetitions() {
        // Five points of three repetitions; points 1, 2 and 4 missing
        // whole, point 3 missing its repetitions 0 and 2.
        let entry = |point: usize, repetition: u32| RunEntry {
            folder: format!("p{point}/rep{repetition}"),
            point,
            repetition,
            seed: 0,
            parameters: Default::default(),
        };
        let runs: Vec<RunEntry> = (0..5).flat_map(|p| (0..3).map(move |r| entry(p, r))).collect();
        let missing: Vec<&RunEntry> = runs
            .iter()
            .filter(|r| matches!(r.point, 1 | 2 | 4) || (r.point == 3 && r.repetition != 1))
            .collect();
        let whole = Manifest {
            sls_version: String::new(),
            script: String::new(),
            script_sha256: String::new(),
            overrides: Vec::new(),
            seed: None,
            outputs: Default::default(),
            runs: runs.clone(),
        };
        assert_eq!(
            missing_points(&whole, &missing),
            "points 1-2 and 4; point 3, repetitions 0 and 2"
        );
        let one: Vec<&RunEntry> = runs.iter().filter(|r| r.point == 3 && r.repetition == 1).collect();
        assert_eq!(missing_points(&whole, &one), "point 3, repetition 1");
    }
}

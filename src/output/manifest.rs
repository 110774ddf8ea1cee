//! `OUT/manifest.json`: which experiment wrote a results folder (the sls
//! version, the script's hash, the command line's overrides and seed) and
//! what each subfolder holds (its sweep point's parameter values, its
//! repetition and seed). A later run into the same folder reads it to
//! tell a rerun of the same experiment from another one.

use std::path::Path;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::ir::Program;
use crate::ir::cost::Prices;
use crate::report::Provenance;
use crate::syntax::source::{FileId, Sources};

/// The file's name in a results folder.
pub const MANIFEST: &str = "manifest.json";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub sls_version: String,
    /// The script as given on the command line.
    pub script: String,
    /// SHA-256 of the script and the files it includes, in the order read.
    pub script_sha256: String,
    /// `-p` overrides, as given.
    pub overrides: Vec<String>,
    /// `--seed`, when given.
    pub seed: Option<u64>,
    /// What the runs wrote beyond the defaults (left out when nothing).
    #[serde(default, skip_serializing_if = "Outputs::is_default")]
    pub outputs: Outputs,
    /// One entry per point and repetition, in run order.
    pub runs: Vec<RunEntry>,
}

/// What runs were asked to write beyond the defaults, as the command line
/// gave it: parts of an experiment written differently (rows as CSV in
/// one, Parquet or none in another; billed in one only) are not merged
/// into one folder, which no single `sls run` would have written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Outputs {
    /// `--invocations parquet` or `none` (CSV, the default, is left out).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invocations: Option<String>,
    /// `--cost`'s prices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<Prices>,
    /// `--timeseries`'s interval, in seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timeseries: Option<f64>,
}

impl Outputs {
    pub fn is_default(&self) -> bool {
        *self == Outputs::default()
    }

    /// The options that write these outputs, for a refusal.
    pub fn options(&self) -> String {
        let mut options = Vec::new();
        if let Some(format) = &self.invocations {
            options.push(format!("--invocations {format}"));
        }
        if let Some(prices) = &self.cost {
            let mut given = format!(
                "per_gb_second={},per_request={}",
                prices.per_gb_second, prices.per_request
            );
            for (name, price) in [
                ("per_gb_transferred", prices.per_gb_transferred),
                ("per_idle_gb_second", prices.per_idle_gb_second),
            ] {
                if price != 0.0 {
                    given.push_str(&format!(",{name}={price}"));
                }
            }
            options.push(format!("--cost {given}"));
        }
        if let Some(seconds) = self.timeseries {
            options.push(format!("--timeseries {seconds}s"));
        }
        if options.is_empty() {
            "none of `--invocations`, `--cost` or `--timeseries`".to_string()
        } else {
            format!("`{}`", options.join(" "))
        }
    }
}

/// One simulated run: where its files are and what it was.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunEntry {
    /// Its folder, relative to the results folder (`.` for a single run).
    pub folder: String,
    pub point: usize,
    pub repetition: u32,
    pub seed: u64,
    /// Every parameter's value in effect, as written.
    pub parameters: IndexMap<String, String>,
}

impl Manifest {
    /// The manifest of `program` run from `script` with these overrides.
    pub fn new(script: &Path, sources: &Sources, overrides: &[String], seed: Option<u64>, program: &Program) -> Self {
        let folders = folder_names(program);
        let mut runs = Vec::new();
        for (p, point) in program.points.iter().enumerate() {
            for repetition in 0..program.repeat {
                runs.push(RunEntry {
                    folder: folders[p * program.repeat as usize + repetition as usize].clone(),
                    point: p,
                    repetition,
                    seed: point.model.seed.wrapping_add(repetition as u64),
                    parameters: point
                        .parameters
                        .iter()
                        .map(|s| (s.name.clone(), s.text.clone()))
                        .collect(),
                });
            }
        }
        Manifest {
            sls_version: env!("CARGO_PKG_VERSION").to_string(),
            script: script.display().to_string(),
            script_sha256: script_hash(sources),
            overrides: overrides.to_vec(),
            seed,
            outputs: Outputs::default(),
            runs,
        }
    }

    /// Where the `index`-th run came from, for its summary.
    pub fn provenance(&self, index: usize) -> Provenance {
        let run = &self.runs[index];
        Provenance {
            sls_version: self.sls_version.clone(),
            script: self.script.clone(),
            script_sha256: self.script_sha256.clone(),
            overrides: self.overrides.clone(),
            point: run.point,
            repetition: run.repetition,
            seed: run.seed,
            parameters: run.parameters.clone(),
        }
    }

    /// Whether `other` describes the same experiment: the same script text,
    /// overrides and seed (so its results may be replaced by a rerun).
    pub fn same_experiment(&self, other: &Manifest) -> bool {
        self.script_sha256 == other.script_sha256 && self.overrides == other.overrides && self.seed == other.seed
    }

    /// What differs from `other`, in words, for a refusal.
    pub fn difference(&self, other: &Manifest) -> String {
        if self.script_sha256 != other.script_sha256 {
            format!("another script (`{}`, or the same file changed since)", other.script)
        } else if self.overrides != other.overrides {
            if other.overrides.is_empty() {
                "other parameters (none given with `-p`)".to_string()
            } else {
                let given: Vec<String> = other.overrides.iter().map(|o| format!("-p {o}")).collect();
                format!("other parameters (`{}`)", given.join(" "))
            }
        } else {
            match other.seed {
                Some(seed) => format!("another seed (`--seed {seed}`)"),
                None => "another seed (the script's own: no `--seed`)".to_string(),
            }
        }
    }
}

/// SHA-256 of the script's files (not the `-p` values, which the manifest
/// lists on their own), hex.
fn script_hash(sources: &Sources) -> String {
    let mut hash = Sha256::new();
    for i in 0..sources.len() {
        let file = sources.get(FileId(i as u32));
        if !file.name.starts_with("-p ") {
            hash.update(file.text.as_bytes());
        }
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The folder of each point and repetition, in run order: `.` for a single
/// run, else `<param=value,...>/rep<k>` with values reduced to characters
/// a shell takes unquoted (`random(3)` becomes `random-3`); two points whose
/// names would collide get their index appended.
pub fn folder_names(program: &Program) -> Vec<String> {
    let single = program.points.len() == 1 && program.repeat == 1;
    let mut points: Vec<String> = program
        .points
        .iter()
        .map(|point| {
            let parts: Vec<String> = point
                .assignments
                .iter()
                .map(|(name, value)| format!("{}={}", shell_safe(name), shell_safe(value)))
                .collect();
            parts.join(",")
        })
        .collect();
    for i in 0..points.len() {
        if points[..i].contains(&points[i]) || points[i + 1..].contains(&points[i]) {
            points[i] = if points[i].is_empty() {
                format!("p{i}")
            } else {
                format!("{}-{i}", points[i])
            };
        }
    }
    let mut folders = Vec::new();
    for point in &points {
        for repetition in 0..program.repeat {
            folders.push(match (single, point.is_empty(), program.repeat > 1) {
                (true, _, _) => ".".to_string(),
                (_, true, _) => format!("rep{repetition}"),
                (_, false, true) => format!("{point}/rep{repetition}"),
                (_, false, false) => point.clone(),
            });
        }
    }
    folders
}

/// `text` with every character a shell would need quoted replaced by `-`
/// (runs of them by one), with no `-` at either end but a sign.
fn shell_safe(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '+' | '%') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let word = out.trim_matches('-');
    match (word.is_empty(), text.starts_with('-')) {
        (true, _) => "_".to_string(),
        (false, true) => format!("-{word}"),
        (false, false) => word.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::shell_safe;

    #[test]
    fn values_become_words_a_shell_takes_unquoted() {
        assert_eq!(shell_safe("random(3)"), "random-3");
        assert_eq!(shell_safe("\"traces/a b\""), "traces-a-b");
        assert_eq!(shell_safe("500ms"), "500ms");
        assert_eq!(shell_safe("10%"), "10%");
        assert_eq!(shell_safe("-2"), "-2");
        assert_eq!(shell_safe("()"), "_");
    }
}

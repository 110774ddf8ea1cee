//! A results folder claimed by one run: locked against a second run at the
//! same time, refused when it holds another experiment's results (unless
//! forced), cleared of the previous run's results before the first new row,
//! and marked `INCOMPLETE` until the run has written everything. So a folder
//! never mixes two runs: its files are complete, or `INCOMPLETE` says the
//! run was interrupted and when.

use std::fs::{self, File, TryLockError};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::interrupt::Signal;
use super::manifest::{MANIFEST, Manifest};

/// The lock file: held (`flock`) for the whole run, so the system releases
/// it however the process ends. It stays, as removing it would let two
/// runs lock two different files.
pub const LOCK: &str = ".sls.lock";
/// The marker of a run that has not finished.
pub const INCOMPLETE: &str = "INCOMPLETE";
/// What a run writes at the top of its folder (besides its runs' files).
const TOP_FILES: [&str; 4] = [INCOMPLETE, MANIFEST, "runs.csv", "report.html"];
/// A folder of charts `sls report --svg` writes, removed with the results.
const CHARTS: &str = "charts";
/// What a run writes in each run's folder.
pub const RUN_FILES: [&str; 16] = [
    "summary.json",
    // Left by a run cut off while writing its summary (`driver::write_summary`).
    "summary.json.partial",
    "invocations.csv",
    "invocations.parquet",
    "workflows.csv",
    "workflow_edges.csv",
    // The time series (`--timeseries`, `report::series`).
    "series-functions.csv",
    "series-services.csv",
    "series-nodes.csv",
    "series-links.csv",
    "pulls.csv",
    "series-functions.parquet",
    "series-services.parquet",
    "series-nodes.parquet",
    "series-links.parquet",
    "pulls.parquet",
];

/// Why a folder cannot take the results.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    #[error("`{0}` is not a folder; give `--out` a folder (made if missing) to write the results into")]
    NotAFolder(PathBuf),
    #[error("cannot use `{path}` for results: {error}")]
    Io { path: PathBuf, error: io::Error },
    #[error("`{path}` is in use by another `sls run` ({holder}); wait for it to end, or give another `--out`")]
    Busy { path: PathBuf, holder: String },
    #[error("`{path}` holds results of {what}; give another `--out`, or `--force` to replace them")]
    Foreign { path: PathBuf, what: String },
}

/// A folder this process writes results into.
pub struct OutFolder {
    root: PathBuf,
    started: String,
    /// Held while the value lives (the system releases it with the file).
    lock: File,
}

impl OutFolder {
    /// Claims `root` for the run `manifest` describes: makes it, locks it,
    /// checks what it holds, removes the previous run's results, marks it
    /// incomplete and writes the new manifest.
    pub fn claim(root: &Path, manifest: &Manifest, force: bool) -> Result<OutFolder, FolderError> {
        let io = |error| FolderError::Io {
            path: root.to_path_buf(),
            error,
        };
        if root.exists() && !root.is_dir() {
            return Err(FolderError::NotAFolder(root.to_path_buf()));
        }
        fs::create_dir_all(root).map_err(io)?;
        let lock = lock(root)?;
        let previous = read_manifest(root);
        match &previous {
            Some(previous) if previous.same_experiment(manifest) || force => {}
            Some(previous) => {
                return Err(FolderError::Foreign {
                    path: root.to_path_buf(),
                    what: previous.difference(manifest),
                });
            }
            None if force || is_empty(root).map_err(io)? => {}
            None => {
                return Err(FolderError::Foreign {
                    path: root.to_path_buf(),
                    what: format!("something other than sls (it has no {MANIFEST})"),
                });
            }
        }
        if let Some(previous) = &previous {
            remove_runs(root, previous).map_err(io)?;
        }
        for name in TOP_FILES {
            remove_if_there(&root.join(name)).map_err(io)?;
        }
        remove_charts(&root.join(CHARTS)).map_err(io)?;
        let started = now();
        let folder = OutFolder {
            root: root.to_path_buf(),
            started,
            lock,
        };
        folder.mark(None).map_err(io)?;
        let json = serde_json::to_string_pretty(manifest).map_err(|e| io(e.into()))?;
        fs::write(root.join(MANIFEST), json + "\n").map_err(io)?;
        Ok(folder)
    }

    pub fn path(&self) -> &Path {
        &self.root
    }

    /// The run wrote everything: the marker goes, and the lock is left
    /// empty (so a folder's bytes do not depend on the process).
    pub fn complete(self) -> io::Result<()> {
        fs::remove_file(self.root.join(INCOMPLETE))?;
        self.lock.set_len(0)
    }

    /// The run stopped on `signal`: the marker says so and when.
    pub fn interrupted(&self, signal: Signal) -> io::Result<()> {
        self.mark(Some(&format!("interrupted: {} by {}", now(), signal.name())))
    }

    /// The run stopped on an error: the marker says which and when.
    pub fn failed(&self, error: &str) -> io::Result<()> {
        self.mark(Some(&format!("failed:      {} on an error: {error}", now())))
    }

    fn mark(&self, stopped: Option<&str>) -> io::Result<()> {
        let mut text = format!(
            "The results in this folder are incomplete: their run did not finish.\nstarted:     {} (process {})\n",
            self.started,
            std::process::id()
        );
        match stopped {
            Some(stopped) => {
                text.push_str(stopped);
                text.push('\n');
            }
            None => text.push_str(
                "While that process runs it holds .sls.lock; once it has ended, this file means it was killed before it could say when.\n",
            ),
        }
        fs::write(self.root.join(INCOMPLETE), text)
    }
}

/// Locks `root/.sls.lock`, writing this process's id into it.
fn lock(root: &Path) -> Result<File, FolderError> {
    let path = root.join(LOCK);
    let io = |error| FolderError::Io {
        path: path.clone(),
        error,
    };
    let mut file = File::options()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io)?;
    match file.try_lock() {
        Ok(()) => {}
        Err(TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = match holder.trim() {
                "" => "its lock is held".to_string(),
                pid => format!("process {pid}"),
            };
            return Err(FolderError::Busy {
                path: root.to_path_buf(),
                holder,
            });
        }
        Err(TryLockError::Error(error)) => return Err(io(error)),
    }
    file.set_len(0).map_err(io)?;
    writeln!(file, "{}", std::process::id()).map_err(io)?;
    Ok(file)
}

/// The manifest a previous run left, if readable.
fn read_manifest(root: &Path) -> Option<Manifest> {
    let text = fs::read_to_string(root.join(MANIFEST)).ok()?;
    serde_json::from_str(&text).ok()
}

/// Whether `root` holds nothing but the lock.
fn is_empty(root: &Path) -> io::Result<bool> {
    for entry in fs::read_dir(root)? {
        if entry?.file_name() != LOCK {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Removes the files the previous run wrote in its runs' folders, and
/// those folders when nothing else is left in them.
fn remove_runs(root: &Path, previous: &Manifest) -> io::Result<()> {
    for run in &previous.runs {
        // A manifest is read from disk: a folder leading out of `root` is
        // no run of ours.
        let relative = Path::new(&run.folder);
        if relative.is_absolute() || relative.components().any(|c| c == std::path::Component::ParentDir) {
            continue;
        }
        let dir = root.join(relative);
        for name in RUN_FILES {
            remove_if_there(&dir.join(name))?;
        }
        let mut dir = dir.as_path();
        while dir != root && fs::remove_dir(dir).is_ok() {
            dir = dir.parent().unwrap_or(root);
        }
    }
    Ok(())
}

/// Removes the SVG files of a charts folder, and the folder if then empty.
fn remove_charts(dir: &Path) -> io::Result<()> {
    let Ok(entries) = fs::read_dir(dir) else { return Ok(()) };
    for entry in entries {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "svg") {
            fs::remove_file(path)?;
        }
    }
    let _ = fs::remove_dir(dir);
    Ok(())
}

/// Removes a file, if there is one.
pub fn remove_if_there(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// The date and time now, UTC, to the second.
fn now() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

#[cfg(test)]
mod series_files {
    use super::RUN_FILES;
    use crate::report::series::TABLES;

    #[test]
    fn every_time_series_file_is_a_run_file() {
        for table in TABLES {
            for extension in ["csv", "parquet"] {
                let name = format!("{table}.{extension}");
                assert!(RUN_FILES.contains(&name.as_str()), "{name}");
            }
        }
    }
}

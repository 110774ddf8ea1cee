//! Reading a results folder back: JSON files, CSV tables (RFC 4180 quoting),
//! and labels for sweep points.

use std::path::Path;

use crate::output::Manifest;

/// A JSON file as `T`.
pub fn json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("`{}` is not what sls writes: {e}", path.display()))
}

/// A CSV file: its header and rows.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The column named `name`, with or without a unit after it.
    pub fn column_starting(&self, name: &str) -> Option<usize> {
        self.header
            .iter()
            .position(|h| h == name || h.strip_prefix(name).is_some_and(|rest| rest.starts_with(" [")))
    }
}

/// Reads a CSV file; rows shorter than the header are padded.
pub fn table(path: &Path) -> Result<Table, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let mut lines = text.lines();
    let header = split(lines.next().unwrap_or(""));
    let rows = lines
        .map(|line| {
            let mut row = split(line);
            row.resize(header.len(), String::new());
            row
        })
        .collect();
    Ok(Table { header, rows })
}

fn split(line: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                chars.next();
                if let Some(cell) = cells.last_mut() {
                    cell.push('"');
                }
            }
            '"' => quoted = !quoted,
            ',' if !quoted => cells.push(String::new()),
            c => {
                if let Some(cell) = cells.last_mut() {
                    cell.push(c);
                }
            }
        }
    }
    cells
}

/// Each point's label: the parameters whose values differ between points.
pub fn point_labels(manifest: &Manifest) -> Vec<String> {
    let points = manifest.runs.iter().map(|r| r.point).max().map_or(0, |p| p + 1);
    let mut labels = vec![String::new(); points];
    let first = &manifest.runs[0].parameters;
    for run in manifest.runs.iter().filter(|r| r.repetition == 0) {
        let varying: Vec<String> = run
            .parameters
            .iter()
            .filter(|(name, _)| {
                manifest
                    .runs
                    .iter()
                    .any(|r| r.parameters.get(*name) != first.get(*name))
            })
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        labels[run.point] = varying.join(" ");
    }
    labels
}

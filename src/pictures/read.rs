//! Reading a results folder back: JSON files, CSV tables (RFC 4180 quoting),
//! and labels for sweep points.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use crate::output::Manifest;

/// A JSON file as `T`.
pub fn json<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("`{}` is not what sls writes: {e}", path.display()))
}

/// A small CSV file, whole: its header and rows (`runs.csv`: one row per
/// run). Files of one row per invocation or interval are read with
/// [`Rows`].
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn column(&self, name: &str) -> Option<usize> {
        column(&self.header, name)
    }

    /// The column named `name`, with or without a unit after it.
    pub fn column_starting(&self, name: &str) -> Option<usize> {
        self.header
            .iter()
            .position(|h| h == name || h.strip_prefix(name).is_some_and(|rest| rest.starts_with(" [")))
    }
}

fn column(header: &[String], name: &str) -> Option<usize> {
    header.iter().position(|h| h == name)
}

/// What a damaged results file is told: where (`line 7`, `row 7`), the
/// column, the value and what it should have been.
pub fn damaged(path: &Path, place: String, column: &str, value: &str, what: &str) -> String {
    format!(
        "{place} of `{}`: its `{column}` is `{value}`, not {what}: the file is not what sls writes (cut or edited); run the experiment again",
        path.display()
    )
}

/// Reads a CSV file whole; rows shorter than the header are padded.
pub fn table(path: &Path) -> Result<Table, String> {
    let mut rows = Rows::open(path)?;
    let mut all = Vec::new();
    while let Some((_, row)) = rows.next()? {
        all.push(row.to_vec());
    }
    Ok(Table {
        header: rows.header,
        rows: all,
    })
}

/// A CSV file read one row at a time into the same cells: a report of a
/// run of millions of invocations holds one row, not the file (it held
/// every cell as its own string: 0.8 GB for 864,000 rows).
pub struct Rows {
    path: PathBuf,
    reader: BufReader<File>,
    pub header: Vec<String>,
    line: String,
    cells: Vec<String>,
    /// The line last read, from 1 (the header).
    number: usize,
}

impl Rows {
    pub fn open(path: &Path) -> Result<Rows, String> {
        let file = File::open(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        let mut rows = Rows {
            path: path.to_path_buf(),
            reader: BufReader::with_capacity(1 << 16, file),
            header: Vec::new(),
            line: String::new(),
            cells: Vec::new(),
            number: 0,
        };
        rows.read_header()?;
        Ok(rows)
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        column(&self.header, name)
    }

    /// The next row (padded to the header's width) and its line number.
    pub fn next(&mut self) -> Result<Option<(usize, &[String])>, String> {
        if !self.read_line()? {
            return Ok(None);
        }
        let width = self.header.len().max(1);
        split(&self.line, &mut self.cells, width);
        Ok(Some((self.number, &self.cells[..width])))
    }

    fn read_header(&mut self) -> Result<(), String> {
        self.read_line()?;
        let mut header = Vec::new();
        split(&self.line, &mut header, 0);
        self.header = header;
        Ok(())
    }

    /// Reads the next line without its end; false at the end of the file.
    fn read_line(&mut self) -> Result<bool, String> {
        self.line.clear();
        let read = self
            .reader
            .read_line(&mut self.line)
            .map_err(|e| format!("cannot read `{}`: {e}", self.path.display()))?;
        if self.line.ends_with('\n') {
            self.line.pop();
            if self.line.ends_with('\r') {
                self.line.pop();
            }
        }
        self.number += 1;
        Ok(read > 0)
    }
}

/// Splits a CSV line (RFC 4180 quoting) into `cells`, reusing their
/// strings; at least `width` cells, those past the line's empty.
fn split(line: &str, cells: &mut Vec<String>, width: usize) {
    for cell in cells.iter_mut() {
        cell.clear();
    }
    fn cell(at: usize, cells: &mut Vec<String>) {
        if cells.len() <= at {
            cells.resize(at + 1, String::new());
        }
    }
    let mut at = 0;
    if !line.contains('"') {
        for (i, part) in line.split(',').enumerate() {
            cell(i, cells);
            cells[i].push_str(part);
            at = i;
        }
    } else {
        cell(0, cells);
        let mut quoted = false;
        let mut chars = line.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '"' if quoted && chars.peek() == Some(&'"') => {
                    chars.next();
                    cells[at].push('"');
                }
                '"' => quoted = !quoted,
                ',' if !quoted => {
                    at += 1;
                    cell(at, cells);
                }
                c => cells[at].push(c),
            }
        }
    }
    // Cells left over from a longer line before: not this line's.
    cells.truncate((at + 1).max(width));
    if cells.len() < width {
        cells.resize(width, String::new());
    }
}

/// The parameters whose values differ between runs (the swept ones), in
/// the order the first run lists them.
pub fn swept(manifest: &Manifest) -> Vec<&String> {
    let Some(first) = manifest.runs.first().map(|r| &r.parameters) else {
        return Vec::new();
    };
    first
        .keys()
        .filter(|name| {
            manifest
                .runs
                .iter()
                .any(|r| r.parameters.get(*name) != first.get(*name))
        })
        .collect()
}

/// Each point's label: its values of the swept parameters.
pub fn point_labels(manifest: &Manifest) -> Vec<String> {
    let points = manifest.runs.iter().map(|r| r.point).max().map_or(0, |p| p + 1);
    let mut labels = vec![String::new(); points];
    // Found once, not for each run: a sweep of thousands of points took
    // seconds, quadratic in its runs.
    let varying = swept(manifest);
    for run in manifest.runs.iter().filter(|r| r.repetition == 0) {
        let label: Vec<String> = run
            .parameters
            .iter()
            .filter(|(name, _)| varying.contains(name))
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        labels[run.point] = label.join(" ");
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_read_into_the_cells_of_a_longer_one_keeps_none_of_them() {
        let mut cells = Vec::new();
        split("a,b,c,d,e", &mut cells, 3);
        assert_eq!(cells, ["a", "b", "c", "d", "e"]);
        split("x", &mut cells, 3);
        assert_eq!(cells, ["x", "", ""]);
        split("\"p,q\",\"say \"\"hi\"\"\",", &mut cells, 2);
        assert_eq!(cells, ["p,q", "say \"hi\"", ""]);
        split("", &mut cells, 1);
        assert_eq!(cells, [""]);
    }

    #[test]
    fn rows_are_padded_to_the_header_and_numbered_by_line() {
        let dir = std::env::temp_dir().join(format!("sls-read-rows-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a folder");
        let path = dir.join("t.csv");
        std::fs::write(&path, "time,name,value\r\n0,a,1\r\n1\n2,\"b,c\",3\n").expect("written");
        let mut rows = Rows::open(&path).expect("opened");
        assert_eq!(rows.header, ["time", "name", "value"]);
        assert_eq!(rows.column("value"), Some(2));
        let mut seen = Vec::new();
        while let Some((line, row)) = rows.next().expect("read") {
            seen.push((line, row.to_vec()));
        }
        let expected = vec![
            (2, vec!["0".to_string(), "a".into(), "1".into()]),
            (3, vec!["1".into(), "".into(), "".into()]),
            (4, vec!["2".into(), "b,c".into(), "3".into()]),
        ];
        assert_eq!(seen, expected);
        std::fs::remove_dir_all(&dir).expect("removed");
    }
}

//! `OUT/runs.csv`: one row per point and repetition, tidy for pandas or R:
//! the run's folder, point, repetition and seed, every parameter as a
//! column (numbers in SI units, the unit in the header), then every metric
//! of its summary (`Summary::metrics`).

use std::io::{self, Write};

use indexmap::IndexMap;

use crate::ir::Program;
use crate::report::metrics::{Metric, header};
use crate::report::{Summary, format_float, quote};

use super::manifest::{Manifest, RunEntry};

/// The file's name at the top of a results folder.
pub const RUNS: &str = "runs.csv";

/// Writes the rows of `summaries` (one per run of `manifest`, in order).
pub fn write_runs(
    out: &mut impl Write,
    program: &Program,
    manifest: &Manifest,
    summaries: &[Summary],
) -> io::Result<()> {
    let metrics: Vec<Vec<Metric>> = summaries.iter().map(Summary::metrics).collect();
    let table = runs_table(program, &manifest.runs, &metrics);
    let header: Vec<String> = table.iter().map(|c| quote(&c.header)).collect();
    writeln!(out, "{}", header.join(","))?;
    let mut floats = ryu::Buffer::new();
    for row in 0..table.first().map_or(0, Column::len) {
        let line: Vec<String> = table
            .iter()
            .map(|column| match &column.cells {
                Cells::Text(texts) => quote(&texts[row]),
                Cells::Count(counts) => counts[row].to_string(),
                Cells::Number(numbers) => {
                    numbers[row].map_or(String::new(), |v| format_float(&mut floats, v).to_string())
                }
            })
            .collect();
        writeln!(out, "{}", line.join(","))?;
    }
    out.flush()
}

/// A column of the runs' table: its header (`name [unit]`) and its cells.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    pub header: String,
    pub cells: Cells,
}

/// The cells of a column, one per run.
#[derive(Debug, Clone, PartialEq)]
pub enum Cells {
    /// Text as written (a folder, a parameter that is not a quantity of one unit).
    Text(Vec<String>),
    /// Whole numbers (point, repetition, seed).
    Count(Vec<u64>),
    /// Quantities in SI units; `None` where a run has no such value.
    Number(Vec<Option<f64>>),
}

impl Column {
    /// Its number of cells.
    pub fn len(&self) -> usize {
        match &self.cells {
            Cells::Text(v) => v.len(),
            Cells::Count(v) => v.len(),
            Cells::Number(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The table of `runs.csv` by columns: each run's folder, point, repetition
/// and seed, every parameter (numeric in SI units when every point gives it
/// a quantity of one unit, else text as written), then every metric of
/// every run. `metrics` holds one list per run of `runs`, in order (rows
/// stop at the shorter of the two).
pub fn runs_table(program: &Program, runs: &[RunEntry], metrics: &[Vec<Metric>]) -> Vec<Column> {
    let runs = &runs[..runs.len().min(metrics.len())];
    // Runs of different points may have different metrics (their nodes):
    // the columns are their union, in order of first appearance.
    let mut units: IndexMap<String, &'static str> = IndexMap::new();
    for run in metrics {
        for m in run {
            units.entry(m.name.clone()).or_insert(m.unit);
        }
    }
    let column = |header: &str, cells: Cells| Column {
        header: header.to_string(),
        cells,
    };
    let mut table = vec![
        column("folder", Cells::Text(runs.iter().map(|r| r.folder.clone()).collect())),
        column("point", Cells::Count(runs.iter().map(|r| r.point as u64).collect())),
        column(
            "repetition",
            Cells::Count(runs.iter().map(|r| u64::from(r.repetition)).collect()),
        ),
        column("run_seed", Cells::Count(runs.iter().map(|r| r.seed).collect())),
    ];
    for (i, p) in parameter_columns(program).iter().enumerate() {
        let name = if units.contains_key(&p.name) {
            format!("{} (param)", p.name)
        } else {
            p.name.clone()
        };
        let settings = runs.iter().map(|r| &program.points[r.point].parameters[i]);
        let cells = match p.unit {
            Some(_) => Cells::Number(settings.map(|s| s.quantity.map(|(value, _)| value)).collect()),
            None => Cells::Text(settings.map(|s| s.text.clone()).collect()),
        };
        table.push(column(&header(&name, p.unit.unwrap_or("")), cells));
    }
    let values: Vec<IndexMap<&str, Option<f64>>> = metrics
        .iter()
        .take(runs.len())
        .map(|run| run.iter().map(|m| (m.name.as_str(), m.value)).collect())
        .collect();
    for (name, unit) in &units {
        let cells = values
            .iter()
            .map(|run| run.get(name.as_str()).copied().flatten())
            .collect();
        table.push(column(&header(name, unit), Cells::Number(cells)));
    }
    table
}

/// A parameter column: numeric with a unit when every point gives the
/// parameter a quantity of one unit, else text as written.
struct ParameterColumn {
    name: String,
    unit: Option<&'static str>,
}

fn parameter_columns(program: &Program) -> Vec<ParameterColumn> {
    let Some(first) = program.points.first() else {
        return Vec::new();
    };
    first
        .parameters
        .iter()
        .enumerate()
        .map(|(i, setting)| {
            let unit = setting.quantity.map(|(_, unit)| unit).filter(|unit| {
                program.points.iter().all(|p| {
                    p.parameters
                        .get(i)
                        .and_then(|s| s.quantity)
                        .is_some_and(|(_, u)| u == *unit)
                })
            });
            ParameterColumn {
                name: setting.name.clone(),
                unit,
            }
        })
        .collect()
}

//! `OUT/runs.csv`: one row per point and repetition, tidy for pandas or R:
//! the run's folder, point, repetition and seed, every parameter as a
//! column (numbers in SI units, the unit in the header), then every metric
//! of its summary (`Summary::metrics`).

use std::io::{self, Write};

use indexmap::IndexMap;

use crate::ir::Program;
use crate::report::metrics::{Metric, header};
use crate::report::{Summary, format_float, quote};

use super::manifest::Manifest;

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
    // Runs of different points may have different metrics (their nodes):
    // the columns are their union, in order of first appearance.
    let mut columns: IndexMap<String, &'static str> = IndexMap::new();
    for run in &metrics {
        for m in run {
            columns.entry(m.name.clone()).or_insert(m.unit);
        }
    }
    let parameters = parameter_columns(program);
    let mut line: Vec<String> = ["folder", "point", "repetition", "run_seed"].map(String::from).to_vec();
    for p in &parameters {
        let name = if columns.contains_key(&p.name) {
            format!("{} (param)", p.name)
        } else {
            p.name.clone()
        };
        line.push(quote(&header(&name, p.unit.unwrap_or(""))));
    }
    line.extend(columns.iter().map(|(name, unit)| quote(&header(name, unit))));
    writeln!(out, "{}", line.join(","))?;
    let mut floats = ryu::Buffer::new();
    for ((entry, run), _) in manifest.runs.iter().zip(&metrics).zip(summaries) {
        let mut line = vec![
            quote(&entry.folder),
            entry.point.to_string(),
            entry.repetition.to_string(),
            entry.seed.to_string(),
        ];
        let point = &program.points[entry.point];
        for (column, setting) in parameters.iter().zip(&point.parameters) {
            line.push(match (column.unit, setting.quantity) {
                (Some(_), Some((value, _))) => format_float(&mut floats, value).to_string(),
                _ => quote(&setting.text),
            });
        }
        let values: IndexMap<&str, Option<f64>> = run.iter().map(|m| (m.name.as_str(), m.value)).collect();
        for name in columns.keys() {
            line.push(match values.get(name.as_str()) {
                Some(Some(value)) => format_float(&mut floats, *value).to_string(),
                _ => String::new(),
            });
        }
        writeln!(out, "{}", line.join(","))?;
    }
    out.flush()
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

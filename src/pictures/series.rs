//! The charts of a run's time series files (`sls run --timeseries`, as
//! CSV or Parquet): containers and memory per service, utilisation per
//! node and per link, over time. Each file is read twice, one row at a
//! time: once to total every line, once to keep the points of the lines
//! drawn; a run of 131,072 intervals on a thousand nodes holds eight
//! lines, not the file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::charts::{self, Axis, Series};
use super::read::{Rows, damaged};
use super::{Chart, MAX_SERIES, chart};

/// The charts of the time series files in `dir`, none when it has none.
pub fn charts(dir: &Path) -> Result<Vec<Chart>, String> {
    use crate::report::series::{LINKS, NODES, SERVICES};
    let Some(services) = table(dir, SERVICES) else {
        return Ok(Vec::new());
    };
    let file = |name: &str| {
        table(dir, name).ok_or(format!(
            "`{}` has {SERVICES} but no {name}: the run's files are not all there; run it again",
            dir.display()
        ))
    };
    let services = over_time(
        &services,
        &["service"],
        &[
            ("containers_busy", 1.0),
            ("containers_idle", 1.0),
            ("containers_starting", 1.0),
            ("memory_reserved_bytes", 1e-9),
            ("memory_idle_bytes", 1e-9),
        ],
    )?;
    let named = |lines: &[Vec<Series>], whats: &[&str]| -> Vec<Series> {
        lines
            .iter()
            .zip(whats)
            .flat_map(|(lines, what)| {
                lines.iter().map(move |s| Series {
                    name: format!("{} {what}", s.name),
                    points: s.points.clone(),
                })
            })
            .collect()
    };
    let containers = named(&services[..3], &["busy", "idle", "starting"]);
    let memory = named(&services[3..], &["reserved", "idle"]);
    let nodes = over_time(&file(NODES)?, &["service", "host"], &[("cpu_utilisation", 100.0)])?;
    let links = over_time(&file(LINKS)?, &["link"], &[("utilisation", 100.0)])?;
    let mut out = vec![
        chart(
            "containers-over-time",
            "Containers per service by state over time (time-weighted mean per interval)".to_string(),
            charts::lines("containers", "time [s]", "containers", &containers, Axis::Linear),
        )?,
        chart(
            "memory-over-time",
            "Memory reserved by containers per service over time, and by the idle ones".to_string(),
            charts::lines("memory", "time [s]", "GB", &memory, Axis::Linear),
        )?,
        chart(
            "nodes-over-time",
            "CPU utilisation per node over time (flops in use over cores x speed)".to_string(),
            charts::lines("node utilisation", "time [s]", "%", &nodes[0], Axis::Linear),
        )?,
    ];
    if !links[0].is_empty() {
        out.push(chart(
            "links-over-time",
            "Utilisation per link over time (its busier direction's share of the bandwidth)".to_string(),
            charts::lines("link utilisation", "time [s]", "%", &links[0], Axis::Linear),
        )?);
    }
    Ok(out)
}

/// For each of `columns` (a column and its scale), one line per thing of
/// the time series table at `path` (its `keys` columns joined), the column
/// x its scale against `time`: the [`MAX_SERIES`] lines with the largest
/// totals (ties by name).
fn over_time(path: &Path, keys: &[&str], columns: &[(&str, f64)]) -> Result<Vec<Vec<Series>>, String> {
    let names: Vec<&str> = columns.iter().map(|(name, _)| *name).collect();
    // First pass: each line's total per column, summed in row order.
    let mut totals: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    each_row(path, keys, &names, |key, _, values| {
        if !totals.contains_key(key) {
            totals.insert(key.to_string(), vec![0.0; columns.len()]);
        }
        let sums = totals.get_mut(key).expect("inserted above");
        for ((sum, value), (_, scale)) in sums.iter_mut().zip(values).zip(columns) {
            *sum += value * scale;
        }
    })?;
    // The lines drawn per column: the largest totals, ties by name.
    let mut order: Vec<Vec<String>> = Vec::new();
    let mut drawn: Vec<BTreeMap<String, Vec<(f64, f64)>>> = Vec::new();
    for i in 0..columns.len() {
        let mut lines: Vec<(&String, f64)> = totals.iter().map(|(k, sums)| (k, sums[i])).collect();
        lines.sort_by(|a, b| b.1.total_cmp(&a.1));
        lines.truncate(MAX_SERIES);
        order.push(lines.iter().map(|(k, _)| (*k).clone()).collect());
        drawn.push(lines.into_iter().map(|(k, _)| (k.clone(), Vec::new())).collect());
    }
    // Second pass: their points.
    each_row(path, keys, &names, |key, time, values| {
        for ((lines, value), (_, scale)) in drawn.iter_mut().zip(values).zip(columns) {
            if let Some(points) = lines.get_mut(key) {
                points.push((time, value * scale));
            }
        }
    })?;
    Ok(order
        .into_iter()
        .zip(drawn)
        .map(|(names, mut points)| {
            names
                .into_iter()
                .map(|name| Series {
                    points: points.remove(&name).unwrap_or_default(),
                    name,
                })
                .collect()
        })
        .collect())
}

/// The table `name` of `dir`, as CSV or as Parquet, if the run wrote it.
fn table(dir: &Path, name: &str) -> Option<PathBuf> {
    ["csv", "parquet"]
        .iter()
        .map(|extension| dir.join(format!("{name}.{extension}")))
        .find(|path| path.exists())
}

/// Calls `each` with every row of the table at `path` in order: its `keys`
/// cells joined by spaces, its `time` and its `values`.
fn each_row(path: &Path, keys: &[&str], values: &[&str], each: impl FnMut(&str, f64, &[f64])) -> Result<(), String> {
    #[cfg(feature = "parquet")]
    if path.extension().is_some_and(|e| e == "parquet") {
        return super::parquet::each_series_row(path, keys, values, each);
    }
    each_csv_row(path, keys, values, each)
}

fn each_csv_row(
    path: &Path,
    keys: &[&str],
    values: &[&str],
    mut each: impl FnMut(&str, f64, &[f64]),
) -> Result<(), String> {
    let mut rows = Rows::open(path)?;
    let find = |name: &str| {
        rows.column(name)
            .ok_or(format!("a time series file has no `{name}` column"))
    };
    let time = find("time")?;
    let keys: Vec<usize> = keys.iter().map(|k| find(k)).collect::<Result<_, _>>()?;
    let columns: Vec<usize> = values.iter().map(|c| find(c)).collect::<Result<_, _>>()?;
    let header = rows.header.clone();
    let mut key = String::new();
    let mut numbers = vec![0.0; columns.len()];
    while let Some((line, row)) = rows.next()? {
        let number = |c: usize| -> Result<f64, String> {
            row[c]
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| damaged(path, format!("line {line}"), &header[c], &row[c], "a number"))
        };
        key.clear();
        for (i, k) in keys.iter().enumerate() {
            if i > 0 {
                key.push(' ');
            }
            key.push_str(&row[*k]);
        }
        for (n, &c) in numbers.iter_mut().zip(&columns) {
            *n = number(c)?;
        }
        each(&key, number(time)?, &numbers);
    }
    Ok(())
}

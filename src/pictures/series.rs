//! The charts of a run's time series files (`sls run --timeseries`, as
//! CSV): containers and memory per service, utilisation per node and per
//! link, over time. Each file is read twice, one row at a time: once to
//! total every line, once to keep the points of the lines drawn; a run of
//! 131,072 intervals on a thousand nodes holds eight lines, not the file.

use std::collections::BTreeMap;
use std::path::Path;

use super::charts::{self, Axis, Series};
use super::read::Rows;
use super::{Chart, MAX_SERIES, chart};

/// The charts of the time series files in `dir`, none when it has none.
pub fn charts(dir: &Path) -> Result<Vec<Chart>, String> {
    use crate::report::series::{LINKS, NODES, SERVICES};
    let file = |name: &str| dir.join(format!("{name}.csv"));
    if !file(SERVICES).exists() {
        return Ok(Vec::new());
    }
    let services = over_time(
        &file(SERVICES),
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
    let nodes = over_time(&file(NODES), &["service", "host"], &[("cpu_utilisation", 100.0)])?;
    let links = over_time(&file(LINKS), &["link"], &[("utilisation", 100.0)])?;
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
/// the time series file at `path` (its `keys` columns joined), the column
/// x its scale against `time`: the [`MAX_SERIES`] lines with the largest
/// totals (ties by name).
fn over_time(path: &Path, keys: &[&str], columns: &[(&str, f64)]) -> Result<Vec<Vec<Series>>, String> {
    let mut rows = Rows::open(path)?;
    let find = |name: &str| {
        rows.column(name)
            .ok_or(format!("a time series file has no `{name}` column"))
    };
    let time = find("time")?;
    let keys: Vec<usize> = keys.iter().map(|k| find(k)).collect::<Result<_, _>>()?;
    let values: Vec<usize> = columns.iter().map(|(c, _)| find(c)).collect::<Result<_, _>>()?;
    let header = rows.header.clone();
    let number = |line: usize, row: &[String], c: usize| -> Result<f64, String> {
        row[c].parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| {
            format!(
                "line {line} of `{}`: its `{}` is `{}`, not a number: the file is not what sls writes (cut or edited); run the experiment again",
                path.display(),
                header[c],
                row[c]
            )
        })
    };
    let name = |row: &[String], into: &mut String| {
        into.clear();
        for (i, k) in keys.iter().enumerate() {
            if i > 0 {
                into.push(' ');
            }
            into.push_str(&row[*k]);
        }
    };
    // First pass: each line's total per column, summed in row order.
    let mut totals: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut key = String::new();
    while let Some((line, row)) = rows.next()? {
        number(line, row, time)?;
        name(row, &mut key);
        if !totals.contains_key(&key) {
            totals.insert(key.clone(), vec![0.0; columns.len()]);
        }
        let sums = totals.get_mut(&key).expect("inserted above");
        for (i, (&c, (_, scale))) in values.iter().zip(columns).enumerate() {
            sums[i] += number(line, row, c)? * scale;
        }
    }
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
    rows.rewind()?;
    while let Some((line, row)) = rows.next()? {
        name(row, &mut key);
        for (i, (&c, (_, scale))) in values.iter().zip(columns).enumerate() {
            if let Some(points) = drawn[i].get_mut(&key) {
                points.push((number(line, row, time)?, number(line, row, c)? * scale));
            }
        }
    }
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

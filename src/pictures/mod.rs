//! `sls report OUT`: pictures of a results folder as one self-contained
//! HTML page (charts inline as SVG, no network needed to view it) or as SVG
//! files. A single run gets its latency CDFs per function and per service,
//! cold starts and invocations running over time (from its rows, CSV or
//! Parquet, read one at a time and counted against its summary; from the
//! summary's percentiles for a run that wrote none, `without_rows`),
//! per-node utilisation and its workflows' critical paths, and, when it
//! wrote time series (`--timeseries`), containers and memory over time
//! per service and utilisation over time per node and per link; a sweep gets
//! each key metric against its swept numeric parameter (per point when no
//! swept parameter is a number) with 95 % confidence bars.

mod charts;
mod invocations;
#[cfg(feature = "parquet")]
mod parquet;
mod read;
mod series;
mod without_rows;

use std::collections::BTreeMap;
use std::path::Path;

use crate::output::Manifest;
use crate::report::metrics::KEY_METRICS;
use crate::report::stats::estimate;
use crate::report::{Histogram, RELATIVE_ERROR};

use charts::{Axis, Series};
use invocations::Invocations;

/// One chart: a file-safe name, a caption and its SVG.
pub struct Chart {
    pub name: String,
    pub caption: String,
    pub svg: String,
}

/// Functions and services shown in a CDF at most (by invocations).
const MAX_SERIES: usize = 8;
/// Time bins of the series over time.
const BINS: usize = 100;

/// The charts of a results folder, and notes on what they leave out.
pub struct Drawn {
    pub charts: Vec<Chart>,
    /// Said to the user beside the page: a run without rows, whose charts
    /// are drawn from its summary.
    pub notes: Vec<String>,
}

/// The charts of the results in `root`.
pub fn charts(root: &Path) -> Result<Drawn, String> {
    let manifest: Manifest = read::json(&root.join(crate::output::manifest::MANIFEST))?;
    let mut notes = Vec::new();
    let charts = match manifest.runs.as_slice() {
        [] => Err(format!(
            "`{}` lists no runs in its {}: it is not what sls writes; run the experiment again",
            root.display(),
            crate::output::manifest::MANIFEST
        )),
        // A single run's folder is `.`: its files are named from the root.
        [run] if run.folder == "." => run_charts(root, &mut notes),
        [run] => run_charts(&root.join(&run.folder), &mut notes),
        _ => sweep_charts(root, &manifest),
    }?;
    Ok(Drawn { charts, notes })
}

fn chart(name: &str, caption: String, svg: Result<String, String>) -> Result<Chart, String> {
    Ok(Chart {
        name: name.to_string(),
        caption,
        svg: svg?,
    })
}

/// Each key metric per point, mean and 95 % confidence bar: against the
/// first swept parameter whose values are all numbers (one line per value
/// of the others), or per point when none is.
fn sweep_charts(root: &Path, manifest: &Manifest) -> Result<Vec<Chart>, String> {
    let runs_path = root.join(crate::output::runs::RUNS);
    let runs = read::table(&runs_path)?;
    // One row per run the manifest lists: fewer is a file cut short, whose
    // confidence bars would be drawn from some repetitions without a word.
    if runs.rows.len() != manifest.runs.len() {
        return Err(format!(
            "`{}` holds {} rows, but the manifest lists {} runs: the file was cut or edited; run the experiment again (or `sls merge` its parts)",
            runs_path.display(),
            runs.rows.len(),
            manifest.runs.len()
        ));
    }
    let labels = read::point_labels(manifest);
    let point_of = |row: &Vec<String>| row[runs.column("point").unwrap_or(0)].parse::<usize>().unwrap_or(0);
    // Each point's first row, found once (it was searched for each point
    // of each metric: quadratic in the runs).
    let mut first_row: BTreeMap<usize, &Vec<String>> = BTreeMap::new();
    for row in &runs.rows {
        first_row.entry(point_of(row)).or_insert(row);
    }
    let swept = numeric_swept(&runs, manifest);
    let mut out = Vec::new();
    for (metric, title) in KEY_METRICS {
        let Some(column) = runs.column_starting(metric) else {
            continue;
        };
        let mut by_point: BTreeMap<usize, Vec<f64>> = BTreeMap::new();
        for row in &runs.rows {
            if let Ok(v) = row[column].parse::<f64>() {
                by_point.entry(point_of(row)).or_default().push(v);
            }
        }
        let unit = if runs.header[column].ends_with("[s]") { "s" } else { "" };
        let caption = |against: &str| format!("{title} {against}: mean and 95 % confidence interval over repetitions");
        if let Some((x_column, others)) = &swept {
            // One line per value of the other swept parameters.
            let mut lines: BTreeMap<String, Vec<(f64, f64, Option<f64>)>> = BTreeMap::new();
            for (point, values) in &by_point {
                let Some(row) = first_row.get(point) else {
                    continue;
                };
                let (Ok(x), Some(e)) = (row[*x_column].parse::<f64>(), estimate(values)) else {
                    continue;
                };
                let key: Vec<String> = others
                    .iter()
                    .map(|c| format!("{}={}", runs.header[*c], row[*c]))
                    .collect();
                lines.entry(key.join(" ")).or_default().push((x, e.mean, e.half_width));
            }
            let series: Vec<Series> = lines
                .iter()
                .map(|(name, points)| Series {
                    name: if name.is_empty() {
                        title.to_string()
                    } else {
                        name.clone()
                    },
                    points: points.iter().map(|(x, mean, _)| (*x, *mean)).collect(),
                })
                .collect();
            let bars: Vec<Vec<(f64, f64, f64)>> = lines
                .values()
                .map(|points| {
                    points
                        .iter()
                        .filter_map(|(x, mean, half)| half.map(|h| (*x, mean - h, mean + h)))
                        .collect()
                })
                .collect();
            let x_label = &runs.header[*x_column];
            out.push(chart(
                &format!("sweep-{metric}"),
                caption(&format!("against {x_label}")),
                charts::lines_with_bars(title, x_label, unit, &series, &bars, Axis::Linear),
            )?);
            continue;
        }
        let points: Vec<(String, f64, Option<f64>)> = by_point
            .iter()
            .filter_map(|(p, values)| {
                let e = estimate(values)?;
                Some((labels.get(*p).cloned().unwrap_or_default(), e.mean, e.half_width))
            })
            .collect();
        out.push(chart(
            &format!("sweep-{metric}"),
            caption("per point"),
            charts::estimates(title, unit, &points),
        )?);
    }
    Ok(out)
}

/// The `runs.csv` column of the first swept parameter whose values are all
/// numbers, and the columns of the other swept parameters.
fn numeric_swept(runs: &read::Table, manifest: &Manifest) -> Option<(usize, Vec<usize>)> {
    let swept: Vec<usize> = read::swept(manifest)
        .into_iter()
        .filter_map(|name| runs.column_starting(name))
        .collect();
    let numeric = |c: &usize| runs.rows.iter().all(|row| row[*c].parse::<f64>().is_ok());
    let x = *swept.iter().find(|c| numeric(c))?;
    Some((x, swept.into_iter().filter(|c| *c != x).collect()))
}

/// The charts of one run's folder.
fn run_charts(dir: &Path, notes: &mut Vec<String>) -> Result<Vec<Chart>, String> {
    let summary_path = dir.join(crate::driver::SUMMARY);
    let summary: serde_json::Value = read::json(&summary_path)?;
    // Every chart over time is binned by it: a summary without one (edited
    // or damaged) would draw them all in one bin, as if the run took 0 s.
    let makespan = summary["makespan"]
        .as_f64()
        .filter(|m| m.is_finite() && *m >= 0.0)
        .ok_or_else(|| {
            format!(
                "`{}` has no makespan (a number of seconds): it is not what sls writes; run the experiment again",
                summary_path.display()
            )
        })?
        .max(1e-9);
    let invocations = summary["invocations"].as_u64().ok_or_else(|| {
        format!(
            "`{}` has no count of invocations: it is not what sls writes; run the experiment again",
            summary_path.display()
        )
    })?;
    let mut out = match Invocations::find(dir) {
        Some(rows) => row_charts(&rows, makespan, invocations)?,
        None => {
            notes.push(format!(
                "`{}` holds no rows (invocations.csv or .parquet; `--invocations none` writes none): its latency is drawn from the summary's p50, p95, p99 and max, and no chart over time of cold starts or running invocations",
                dir.display()
            ));
            without_rows::charts(&summary)?
        }
    };
    let nodes: Vec<(String, f64)> = summary["nodes"]
        .as_array()
        .map(|nodes| {
            nodes
                .iter()
                .map(|n| {
                    (
                        n["node"].as_str().unwrap_or("").to_string(),
                        n["utilisation"].as_f64().unwrap_or(0.0) * 100.0,
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    if !nodes.is_empty() {
        out.push(chart(
            "nodes",
            "Per-node utilisation: core-seconds held by invocations over cores x makespan".to_string(),
            charts::bars("utilisation per node", "%", &nodes),
        )?);
    }
    out.extend(series::charts(dir)?);
    if let Ok(mut workflows) = read::Rows::open(&dir.join(crate::report::WORKFLOWS)) {
        let path = workflows
            .column("critical_path")
            .ok_or("workflows.csv has no `critical_path`")?;
        let mut counts: BTreeMap<String, f64> = BTreeMap::new();
        while let Some((_, row)) = workflows.next()? {
            match counts.get_mut(&row[path]) {
                Some(count) => *count += 1.0,
                None => {
                    counts.insert(row[path].clone(), 1.0);
                }
            }
        }
        let mut paths: Vec<(String, f64)> = counts.into_iter().collect();
        paths.sort_by(|a, b| b.1.total_cmp(&a.1));
        paths.truncate(MAX_SERIES);
        out.push(chart(
            "critical-paths",
            "Workflow critical paths: instances whose longest chain was each path".to_string(),
            charts::bars("critical paths", "instances", &paths),
        )?);
    }
    Ok(out)
}

/// The charts drawn from a run's rows: latency CDFs per function and per
/// service, cold starts and running invocations over time; the rows are
/// counted against the summary's `invocations`.
fn row_charts(rows: &Invocations, makespan: f64, invocations: u64) -> Result<Vec<Chart>, String> {
    let mut per_function: BTreeMap<String, Histogram> = BTreeMap::new();
    let mut per_service: BTreeMap<String, Histogram> = BTreeMap::new();
    let mut starts = vec![0u64; BINS];
    let mut colds = vec![0u64; BINS];
    let mut running = vec![0i64; BINS + 1];
    let bin = |t: f64| ((t / makespan * BINS as f64) as usize).min(BINS - 1);
    let mut key = String::new();
    let count = rows.each(|row| {
        if let (Some(s), Some(e), "success") = (row.submit, row.end, row.status) {
            key.clear();
            key.push_str(row.function);
            key.push('@');
            key.push_str(row.service);
            add_to(&mut per_function, &key, e - s);
            add_to(&mut per_service, row.service, e - s);
        }
        if let Some(s) = row.submit
            && !row.container.is_empty()
        {
            starts[bin(s)] += 1;
            colds[bin(s)] += u64::from(row.container == "cold");
        }
        if let (Some(s), Some(f)) = (row.start, row.finish) {
            running[bin(s)] += 1;
            running[bin(f) + 1] -= 1;
        }
    })?;
    // The summary counts every invocation: fewer rows is a file cut short
    // (a copy interrupted, a disk that filled), whose charts would be
    // drawn from part of the run without a word.
    if invocations != count {
        return Err(format!(
            "`{}` holds {count} rows, but its run's summary counts {invocations} invocations: the file was cut or edited; run the experiment again",
            rows.path.display()
        ));
    }
    let mut out = vec![
        chart(
            "latency-functions",
            format!(
                "Latency (end - submit of successes) per function, CDF (logarithmic latency axis); within {:.3} %",
                RELATIVE_ERROR * 100.0
            ),
            charts::lines(
                "latency CDF per function",
                "latency [s], log scale",
                "fraction",
                &cdfs(&per_function),
                Axis::Log,
            ),
        )?,
        chart(
            "latency-services",
            "Latency per service, CDF (logarithmic latency axis)".to_string(),
            charts::lines(
                "latency CDF per service",
                "latency [s], log scale",
                "fraction",
                &cdfs(&per_service),
                Axis::Log,
            ),
        )?,
    ];
    let width = makespan / BINS as f64;
    let cold_ratio: Vec<(f64, f64)> = (0..BINS)
        .filter(|b| starts[*b] > 0)
        .map(|b| (b as f64 * width, colds[b] as f64 / starts[b] as f64))
        .collect();
    out.push(chart(
        "cold-starts",
        format!(
            "Cold starts over started invocations, by submission time ({} s bins)",
            crate::report::figure(width, 3)
        ),
        charts::lines(
            "cold-start ratio",
            "time [s]",
            "cold / started",
            &[Series {
                name: "cold".into(),
                points: cold_ratio,
            }],
            Axis::Linear,
        ),
    )?);
    let mut level = 0i64;
    let busy: Vec<(f64, f64)> = (0..BINS)
        .map(|b| {
            level += running[b];
            (b as f64 * width, level as f64)
        })
        .collect();
    out.push(chart(
        "running",
        "Invocations holding a container (from start to finish), by time".to_string(),
        charts::lines(
            "containers in use",
            "time [s]",
            "invocations",
            &[Series {
                name: "running".into(),
                points: busy,
            }],
            Axis::Linear,
        ),
    )?);
    Ok(out)
}

/// Adds `value` to the histogram of `key`, made at its first value.
fn add_to(groups: &mut BTreeMap<String, Histogram>, key: &str, value: f64) {
    match groups.get_mut(key) {
        Some(histogram) => histogram.add(value),
        None => {
            let mut histogram = Histogram::default();
            histogram.add(value);
            groups.insert(key.to_string(), histogram);
        }
    }
}

/// CDF lines of the largest groups.
fn cdfs(groups: &BTreeMap<String, Histogram>) -> Vec<Series> {
    let mut largest: Vec<(&String, &Histogram)> = groups.iter().collect();
    largest.sort_by_key(|(_, h)| std::cmp::Reverse(h.count()));
    largest
        .into_iter()
        .take(MAX_SERIES)
        .map(|(name, h)| {
            let total = h.count() as f64;
            let mut seen = 0;
            Series {
                name: name.clone(),
                points: h
                    .buckets()
                    .into_iter()
                    .map(|(value, n)| {
                        seen += n;
                        (value, seen as f64 / total)
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The page: every chart inline, a small script that flags a chart that
/// drew nothing.
pub fn page(title: &str, charts: &[Chart]) -> String {
    let mut body = String::new();
    for c in charts {
        body.push_str(&format!(
            "<figure class=\"chart\" id=\"{}\">\n{}\n<figcaption>{}</figcaption>\n</figure>\n",
            c.name,
            c.svg,
            escape(&c.caption)
        ));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>\nbody {{ font-family: sans-serif; margin: 2em; }}\nfigure.chart {{ display: inline-block; margin: 1em; }}\nfigcaption {{ max-width: 640px; font-size: 0.9em; color: #444; }}\n.empty {{ outline: 3px solid #d62728; }}\n</style>\n</head>\n<body data-charts=\"{}\">\n<h1>{title}</h1>\n{body}<script>\n// A chart is drawn when its lines, bars or points cover some area.\nwindow.addEventListener('load', () => {{\n  let drawn = 0;\n  for (const figure of document.querySelectorAll('figure.chart')) {{\n    const marks = figure.querySelectorAll('svg polyline, svg rect:not(:first-child), svg circle, svg path');\n    const box = Array.from(marks).some(m => {{ const b = m.getBBox(); return b.width > 0 || b.height > 0; }});\n    if (box) {{ drawn += 1; }} else {{ figure.classList.add('empty'); console.error('chart ' + figure.id + ' drew nothing'); }}\n  }}\n  document.body.dataset.drawn = drawn;\n}});\n</script>\n</body>\n</html>\n",
        charts.len(),
        title = escape(title)
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

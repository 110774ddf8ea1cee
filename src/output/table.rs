//! The printed result of a sweep: one line per point with the mean and the
//! 95 % confidence interval (Student's t over its repetitions) of the key
//! metrics.

use crate::ir::Program;
use crate::report::Summary;
use crate::report::metrics::KEY_METRICS;
use crate::report::stats::{Estimate, estimate};

use super::manifest::Manifest;

/// The table of `summaries` (one per run of `manifest`, in order).
pub fn sweep_table(program: &Program, manifest: &Manifest, summaries: &[Summary]) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut head = vec!["point".to_string(), "runs".to_string()];
    head.extend(KEY_METRICS.iter().map(|(_, title)| title.to_string()));
    rows.push(head);
    // A part of a sweep (`sls run --point K`) shows its own points.
    let points: Vec<usize> = (0..program.points.len())
        .filter(|p| manifest.runs.iter().any(|r| r.point == *p))
        .collect();
    for &p in &points {
        let point = &program.points[p];
        let runs: Vec<&Summary> = manifest
            .runs
            .iter()
            .zip(summaries)
            .filter(|(entry, _)| entry.point == p)
            .map(|(_, s)| s)
            .collect();
        let label = point.label();
        let mut row = vec![
            if label.is_empty() { "all".to_string() } else { label },
            runs.len().to_string(),
        ];
        for (name, _) in KEY_METRICS {
            let values: Vec<f64> = runs
                .iter()
                .filter_map(|s| s.metrics().into_iter().find(|m| m.name == name).and_then(|m| m.value))
                .collect();
            row.push(match estimate(&values) {
                None => "-".to_string(),
                Some(e) => show(name, e),
            });
        }
        rows.push(row);
    }
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = format!(
        "{} points x {} repetitions: mean ± 95 % confidence interval (Student's t over repetitions)\n",
        points.len(),
        program.repeat
    );
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(c, (cell, w))| {
                if c == 0 {
                    format!("{cell:<w$}")
                } else {
                    format!("{cell:>w$}")
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// An estimate as the table shows it: counts whole, ratios in percent,
/// times in s or ms.
fn show(name: &str, e: Estimate) -> String {
    let (scale, digits, unit) = match name {
        "invocations" => (1.0, 0, ""),
        n if n.ends_with("_ratio") => (100.0, 2, ""),
        _ if e.mean < 1.0 => (1e3, 2, " ms"),
        _ => (1.0, 3, " s"),
    };
    match e.half_width {
        Some(h) => format!("{:.digits$} ± {:.digits$}{unit}", e.mean * scale, h * scale),
        None => format!("{:.digits$}{unit}", e.mean * scale),
    }
}

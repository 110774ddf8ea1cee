//! The charts of a run that wrote no rows (`--invocations none`, or its
//! rows file removed since), drawn from its summary: each function's and
//! service's latency at the summary's percentiles (p50, p95, p99, max: a
//! coarse CDF, not the rows' full one) and each function's share of cold
//! starts. What only rows give (the full CDFs, cold starts and running
//! invocations over time) is not drawn, and the page says so.

use serde_json::Value;

use super::charts::{self, Axis, Series};
use super::{Chart, MAX_SERIES, chart};

/// The quantiles the summary gives a latency at, with their keys.
const QUANTILES: [(&str, f64); 4] = [("p50", 0.5), ("p95", 0.95), ("p99", 0.99), ("max", 1.0)];

/// What the captions say is left out.
const LEFT_OUT: &str =
    "the run wrote no rows (`--invocations none`): no full CDF, no cold starts or running invocations over time";

/// The latency and cold-start charts of `summary`'s functions and services.
pub(super) fn charts(summary: &Value) -> Result<Vec<Chart>, String> {
    let functions = groups(summary, "functions");
    let services = groups(summary, "services");
    let named = |group: &Value| match group["service"].as_str() {
        Some(service) => format!("{}@{service}", name(group)),
        None => name(group).to_string(),
    };
    let colds = cold_shares(&functions, named);
    Ok(vec![
        chart(
            "latency-functions",
            format!("Latency per function at the summary's p50, p95, p99 and max; {LEFT_OUT}"),
            charts::lines(
                "latency per function (summary percentiles)",
                "latency [s], log scale",
                "fraction",
                &quantile_lines(&functions, named),
                Axis::Log,
            ),
        )?,
        chart(
            "latency-services",
            "Latency per service at the summary's p50, p95, p99 and max".to_string(),
            charts::lines(
                "latency per service (summary percentiles)",
                "latency [s], log scale",
                "fraction",
                &quantile_lines(&services, |s| name(s).to_string()),
                Axis::Log,
            ),
        )?,
        chart(
            "cold-starts",
            "Cold starts over invocations per function, from the summary".to_string(),
            charts::bars("cold starts per function", "%", &colds),
        )?,
    ])
}

/// Each of the largest groups' cold starts over its invocations, in %.
fn cold_shares(groups: &[&Value], named: impl Fn(&Value) -> String) -> Vec<(String, f64)> {
    largest(groups)
        .iter()
        .map(|g| {
            let share = count(g, "cold_starts") as f64 / count(g, "invocations").max(1) as f64;
            (named(g), share * 100.0)
        })
        .collect()
}

/// The summary's list `key` (`functions`, `services`).
fn groups<'s>(summary: &'s Value, key: &str) -> Vec<&'s Value> {
    summary[key].as_array().map(|a| a.iter().collect()).unwrap_or_default()
}

fn name(group: &Value) -> &str {
    group["name"].as_str().unwrap_or("")
}

fn count(group: &Value, key: &str) -> u64 {
    group[key].as_u64().unwrap_or(0)
}

/// The groups with the most invocations, at most [`MAX_SERIES`], most
/// first (ties in the summary's order).
fn largest<'s>(groups: &[&'s Value]) -> Vec<&'s Value> {
    let mut largest = groups.to_vec();
    largest.sort_by_key(|g| std::cmp::Reverse(count(g, "invocations")));
    largest.truncate(MAX_SERIES);
    largest
}

/// A line per group through its latency at each of [`QUANTILES`]; a group
/// without successes (no latency) has none.
fn quantile_lines(groups: &[&Value], named: impl Fn(&Value) -> String) -> Vec<Series> {
    largest(groups)
        .into_iter()
        .filter(|g| g["latency"].is_object())
        .map(|g| Series {
            name: named(g),
            points: QUANTILES
                .iter()
                .filter_map(|(key, q)| g["latency"][key].as_f64().map(|latency| (latency, *q)))
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each line goes through its group's summary percentiles, the groups
    /// with the most invocations first, at most [`MAX_SERIES`]; a group
    /// without successes has no line; cold starts are a share of each
    /// function's invocations.
    #[test]
    fn lines_and_bars_are_the_summary_s_figures() {
        let function = |i: u64, latency: Value| {
            serde_json::json!({
                "name": format!("f{i}"), "service": "faas", "invocations": 10 * i, "cold_starts": i,
                "latency": latency,
            })
        };
        let latency = |i: u64| serde_json::json!({ "p50": i as f64, "p95": 2.0 * i as f64, "p99": 3.0 * i as f64, "max": 4.0 * i as f64 });
        let mut functions: Vec<Value> = (1..=10).map(|i| function(i, latency(i))).collect();
        functions.push(function(20, Value::Null));
        let summary = serde_json::json!({ "functions": functions, "services": [] });
        let groups = groups(&summary, "functions");
        let lines = quantile_lines(&groups, |g| name(g).to_string());
        let names: Vec<&str> = lines.iter().map(|s| s.name.as_str()).collect();
        // f20 has the most invocations but no latency; the next seven.
        assert_eq!(names, ["f10", "f9", "f8", "f7", "f6", "f5", "f4"]);
        assert_eq!(lines[0].points, [(10.0, 0.5), (20.0, 0.95), (30.0, 0.99), (40.0, 1.0)]);
        let drawn = charts(&summary).expect("charts");
        assert_eq!(drawn.len(), 3);
        let largest = largest(&groups);
        assert_eq!(largest.len(), MAX_SERIES);
        assert_eq!(count(largest[1], "cold_starts") * 10, count(largest[1], "invocations"));
        // f20: 20 cold of 200; f10: 10 of 100; ... the eight largest.
        let colds = cold_shares(&groups, |g| name(g).to_string());
        let names: Vec<&str> = colds.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["f20", "f10", "f9", "f8", "f7", "f6", "f5", "f4"]);
        assert!(colds.iter().all(|(_, share)| *share == 10.0), "{colds:?}");
        // A group with no invocations is 0 %, not a division by zero.
        let idle = serde_json::json!({ "name": "idle", "invocations": 0, "cold_starts": 0 });
        assert_eq!(
            cold_shares(&[&idle], |g| name(g).to_string()),
            [("idle".to_string(), 0.0)]
        );
    }
}

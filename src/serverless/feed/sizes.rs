//! What a replay says of its functions' container sizes: a template with
//! `ram trace.memory` gives each trace function one RAM limit, the largest
//! memory its rows give (`workload::trace::RowMemory`); a trace whose rows
//! give a function several memories (measured use, row by row) is told
//! which size its containers were made with, not left to guess.

use crate::workload::trace::RowMemory;

/// The warning for the trace at `path` whose functions `sized` (their
/// names in the results) have rows in several memories.
pub fn largest_memory_warning(path: &str, sized: &[(String, RowMemory)]) -> String {
    let megabytes = |bytes: f64| {
        let text = format!("{:.3}", bytes / 1e6);
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    };
    let each = sized.iter().map(|(name, range)| {
        format!(
            "`{name}` {} to {} MB",
            megabytes(range.smallest),
            megabytes(range.largest)
        )
    });
    let listed = crate::syntax::words::list_first(each, 3);
    let count = match sized.len() {
        1 => "1 function's rows give".to_string(),
        n => format!("{n} functions' rows give"),
    };
    format!(
        "trace `{path}`: {count} several memories; each function's containers are made with its largest, one size for all its invocations ({listed})"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_warning_names_each_function_and_its_range() {
        let range = |smallest: f64, largest: f64| RowMemory { smallest, largest };
        let one = largest_memory_warning("t.csv", &[("224/296".into(), range(31_998_047.0, 32_412_109.0))]);
        assert_eq!(
            one,
            "trace `t.csv`: 1 function's rows give several memories; each function's containers are made with its largest, one size for all its invocations (`224/296` 31.998 to 32.412 MB)"
        );
        let many: Vec<(String, RowMemory)> = (0..5).map(|i| (format!("f{i}"), range(128e6, 256e6))).collect();
        let text = largest_memory_warning("t.csv", &many);
        assert!(text.contains("5 functions' rows give"), "{text}");
        assert!(
            text.ends_with("(`f0` 128 to 256 MB, `f1` 128 to 256 MB, `f2` 128 to 256 MB and 2 more)"),
            "{text}"
        );
    }
}

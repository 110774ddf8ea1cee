//! `// expect:` lines of example programs: what the run of a program must
//! give, checked against its `invocations.csv`.
//!
//! `// expect: inv <id or a..b> [submit|dispatch|start|end|finish <t or none>]
//! [node <host>] [kind cold|warm|prewarmed] [ok | cause <name>]`, with an
//! optional `// tolerance: <seconds>` line before (default 0.01 s).

#![allow(dead_code)]

use std::collections::HashMap;

/// One row of `invocations.csv`, by column name.
pub type Row = HashMap<String, String>;

pub fn read_rows(csv: &str) -> HashMap<u64, Row> {
    super::csv_text_rows::<Row>(csv)
        .into_iter()
        .map(|row| (row["id"].parse().expect("numeric id"), row))
        .collect()
}

/// Every mismatch between the program's expectations and the rows.
pub fn mismatches(program: &str, rows: &HashMap<u64, Row>) -> Vec<String> {
    let mut tolerance = 0.01;
    let mut found = Vec::new();
    let mut expectations = 0;
    for line in program.lines() {
        if let Some(t) = line.strip_prefix("// tolerance: ") {
            tolerance = t.trim().parse().expect("a tolerance in seconds");
        }
        let Some(spec) = line.strip_prefix("// expect: inv ") else {
            continue;
        };
        expectations += 1;
        let words: Vec<&str> = spec.split_whitespace().collect();
        let ids: Vec<u64> = match words[0].split_once("..") {
            Some((a, b)) => (a.parse().expect("id")..=b.parse().expect("id")).collect(),
            None => vec![words[0].parse().expect("id")],
        };
        for id in ids {
            let Some(row) = rows.get(&id) else {
                found.push(format!("inv {id}: no row"));
                continue;
            };
            let mut i = 1;
            while i < words.len() {
                let key = words[i];
                let value = words.get(i + 1).copied().unwrap_or("");
                match key {
                    "submit" | "dispatch" | "start" | "end" | "finish" => {
                        let got = &row[key];
                        let ok = if value == "none" {
                            got.is_empty()
                        } else {
                            got.parse::<f64>()
                                .is_ok_and(|g| (g - value.parse::<f64>().expect("a date")).abs() <= tolerance)
                        };
                        if !ok {
                            found.push(format!("inv {id}: {key} is `{got}`, expected {value}"));
                        }
                        i += 2;
                    }
                    "node" | "kind" | "cause" => {
                        let column = if key == "kind" { "container" } else { key };
                        if row[column] != value {
                            found.push(format!("inv {id}: {key} is `{}`, expected {value}", row[column]));
                        }
                        i += 2;
                    }
                    "ok" => {
                        if row["status"] != "success" {
                            found.push(format!("inv {id}: failed ({}), expected a success", row["cause"]));
                        }
                        i += 1;
                    }
                    other => panic!("unknown expectation word `{other}`"),
                }
            }
        }
    }
    assert!(expectations > 0, "a program with no `// expect:` line");
    found
}

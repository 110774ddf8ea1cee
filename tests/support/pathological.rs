//! Inputs that once took seconds, minutes or forever to check, each under
//! 1 MiB: what `tests/bounds.rs` checks are answered promptly and what
//! `benches/bounds.rs` measures.

/// A small platform, service, image and function `f` for scripts to build on.
pub const PLATFORM: &str = r#"platform {
  host gw { speed 1Gf/s; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host node[1..2] { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link l[1..2] { bandwidth 100MBps; latency 10us }
  route gw <-> node[i] via l[i]
}
storage repo on gw:"/"
serverless faas { head gw:"/"; compute node[*] }
image img { size 100MB; ram 100MB; from repo }
function f { image img; limits { ram 1GB }; body { sleep 1s } }
"#;

const MEGABYTE: usize = 1 << 20;

/// `n` declared functions `f0`.. and a workload invoking `n` unknown ones.
fn unknown_names(n: usize) -> String {
    let invokes: String = (0..n).map(|i| format!("invoke h{i} every 1s count 1\n")).collect();
    functions(n).replace(
        "workload { invoke f1 count 1 }\n",
        &format!("workload {{\n{invokes}}}\n"),
    )
}

/// The platform with `hosts` compute hosts (and as many links and
/// routes), listed `twice` or once as the service's compute hosts.
fn hosts(hosts: u64, twice: bool) -> String {
    let array = format!("[1..{hosts}]");
    let compute = if twice {
        format!("compute node[*], node{array}")
    } else {
        "compute node[*]".to_string()
    };
    PLATFORM.replace("[1..2]", &array).replace("compute node[*]", &compute) + "workload { invoke f count 1 }\n"
}

/// A megabyte of declared functions.
fn functions(n: usize) -> String {
    let functions: String = (0..n)
        .map(|i| format!("function f{i} {{ image img; limits {{ ram 1GB }}; body {{ sleep 1s }} }}\n"))
        .collect();
    format!("{PLATFORM}{functions}workload {{ invoke f1 count 1 }}\n")
}

/// Every input, by name; each is a mistake (`sls check` exits 1) unless its
/// name ends in `_ok`.
pub fn inputs() -> Vec<(&'static str, String)> {
    vec![
        (
            "braces_in_comments",
            format!(
                "platform {{\n  bogus {{\n{}  }}\n}}\n",
                "    // a { brace\n".repeat(60_000)
            ),
        ),
        (
            "comments_in_a_broken_statement",
            format!("platform {{\n  bogus x {} x\n}}\n", "/**/".repeat(MEGABYTE / 4 - 10)),
        ),
        ("bad_lines", "x\n".repeat(MEGABYTE / 2 - 10)),
        (
            "bad_statements_on_one_line",
            format!("platform {{ {} }}\n", "x;".repeat(MEGABYTE / 2 - 20)),
        ),
        (
            "errors_on_one_long_line",
            format!(
                "{PLATFORM}function g {{ image img; body {{ {}}} }}\n",
                "sleep 1; ".repeat(110_000)
            ),
        ),
        ("unknown_names", unknown_names(8000)),
        ("functions_1mb_ok", functions(14_000)),
        ("hosts_99999_listed_twice", hosts(99_999, true)),
        ("hosts_99999_ok", hosts(99_999, false)),
        ("hosts_10m", hosts(9_999_999, false)),
        (
            "sweep_1000x1000",
            format!(
                "param a = 1\nparam b = 1\n{PLATFORM}workload {{ invoke f count 1 }}\nsweep a in 1..1000 x b in 1..1000\n"
            ),
        ),
        ("burst_1e12", format!("{PLATFORM}workload {{ invoke f burst 1e12 }}\n")),
        (
            "closed_1e12_users",
            format!("{PLATFORM}workload {{ invoke f closed 1e12 users for 1s }}\n"),
        ),
        (
            "ramp_for_1e300s",
            format!("{PLATFORM}workload {{ invoke f ramp(1/s -> 1e12/s) over 1e12s for 1e300s }}\n"),
        ),
    ]
}

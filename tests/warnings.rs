//! Warnings: what a script may run with but likely did not mean. The check
//! says each at its place (`sls check` and `sls run` draw it and go on), the
//! run's summary keeps it in words, and a sweep names the points it is
//! found in.

use crate::support;

use sls::check::{Checked, check};
use sls::diagnostic::Severity;

/// Four hosts, and `services` (each `serverless NAME { ... compute LIST }`
/// as `(NAME, LIST)`), one function invoked on each.
fn script(params: &str, services: &[(&str, &str)]) -> String {
    let mut text = format!(
        "{params}platform {{
  host gw {{ speed 1Gf/s; disk \"/\" {{ size 1TB; read 100MBps; write 100MBps }} }}
  host node[1..4] {{ speed 1Gf/s; cores 4; ram 16GB; disk \"/\" {{ size 1TB; read 100MBps; write 100MBps }} }}
  link l[1..4] {{ bandwidth 100MBps; latency 10us }}
  route gw <-> node[i] via l[i]
}}
image img {{ size 0B; ram 100MB }}
function f {{ image img; limits {{ ram 1GB }}; body {{ sleep 1s }} }}
"
    );
    for (name, compute) in services {
        text.push_str(&format!("serverless {name} {{ head gw:\"/\"; compute {compute} }}\n"));
    }
    text.push_str("workload {\n");
    for (name, _) in services {
        text.push_str(&format!("  invoke f on {name} every 1s count 2\n"));
    }
    text.push_str("}\n");
    text
}

fn checked(text: &str) -> Checked {
    check(
        std::path::Path::new("warned.sls"),
        text.to_string(),
        &Default::default(),
    )
}

/// Each warning as `message | label | text under its label`.
fn said(checked: &Checked) -> Vec<String> {
    checked
        .warnings
        .0
        .iter()
        .map(|w| {
            assert_eq!(w.severity, Severity::Warning);
            format!(
                "{} | {} | {}",
                w.message,
                w.primary.text,
                checked.sources.slice(w.primary.span)
            )
        })
        .collect()
}

#[test]
fn each_service_sharing_hosts_is_warned_once_at_its_first_shared_host() {
    let text = script(
        "",
        &[
            ("a", "node[1], node[2]"),
            ("b", "node[3]"),
            ("c", "node[4]"),
            ("d", "node[*]"),
            ("e", "node[4], node[2]"),
        ],
    );
    let checked = checked(&text);
    let program = checked.program.as_ref().expect("a warning does not stop the script");
    assert_eq!(
        said(&checked),
        [
            "service `d` shares 4 compute hosts (`node[1]` first) with `a`, `b` and 1 more | `node[1]` is also a compute host of `a` | node[*]",
            "service `e` shares 2 compute hosts (`node[4]` first) with `c` and `a` | `node[4]` is also a compute host of `c` | node[4]",
        ]
    );
    // The earlier service's listing of the host, drawn beside it.
    let seconds: Vec<(&str, &str)> = checked
        .warnings
        .0
        .iter()
        .map(|w| (w.secondary[0].text.as_str(), checked.sources.slice(w.secondary[0].span)))
        .collect();
    assert_eq!(
        seconds,
        [("`a` lists it here", "node[1]"), ("`c` lists it here", "node[4]")]
    );
    // The run's summary keeps them in words.
    let words: Vec<String> = checked.warnings.0.iter().map(|w| w.in_words()).collect();
    assert_eq!(program.points[0].model.warnings, words);
    assert!(words[0].starts_with("service `d` shares 4 compute hosts (`node[1]` first) with `a`, `b` and 1 more: each service counts a node's RAM"));
}

#[test]
fn services_on_their_own_hosts_are_not_warned() {
    let text = script("", &[("a", "node[1]"), ("b", "node[2], node[3]")]);
    let checked = checked(&text);
    assert!(checked.program.is_ok());
    assert!(checked.warnings.is_empty(), "{:?}", said(&checked));
    assert!(checked.program.expect("checks").points[0].model.warnings.is_empty());
}

/// Only the points that share are warned of, and the warning names the
/// first; each point's run keeps only its own.
#[test]
fn a_sweep_names_the_point_that_shares() {
    let text = script(
        "param n = 1\nsweep n in [2, 1]\n",
        &[("a", "node[1]"), ("b", "node[n]")],
    );
    let checked = checked(&text);
    assert_eq!(checked.warnings.len(), 1);
    let help = checked.warnings.0[0].help.as_deref().expect("help");
    assert!(help.ends_with("\nfound in the sweep point n = 1"), "{help}");
    let program = checked.program.expect("a warning does not stop the script");
    let warned: Vec<usize> = program.points.iter().map(|p| p.model.warnings.len()).collect();
    assert_eq!(warned, [0, 1]);
}

#[test]
fn sls_check_draws_the_warning_and_succeeds() {
    let (code, stdout, stderr) = support::sls(&["check", "tests/warn/shared_compute_hosts.sls"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("ok: 3 hosts, 2 services"), "{stdout}");
    assert!(
        stderr.contains("sls::shared_compute_hosts")
            && stderr.contains("⚠ service `batch` shares the compute host `node[2]` with `faas`")
            && stderr.contains("tests/warn/shared_compute_hosts.sls:10:41"),
        "{stderr}"
    );
    assert!(!stderr.contains("error"), "{stderr}");
}

/// The warnings of the one-service script after `params`, each as
/// `message @ the text under its label`.
fn unread(params: &str) -> Vec<String> {
    let text = script(params, &[("a", "node[*]")]);
    let checked = checked(&text);
    assert!(checked.program.is_ok(), "a warning does not stop the script");
    checked
        .warnings
        .0
        .iter()
        .map(|w| format!("{} @ {}", w.message, checked.sources.slice(w.primary.span)))
        .collect()
}

#[test]
fn a_parameter_nothing_reads_is_warned_of_where_it_is_declared() {
    assert_eq!(
        unread("param keep = 10min\n"),
        ["parameter `keep` is never read @ keep"]
    );
    // Read where a value belongs, through another parameter, in a sweep's
    // values, or as the seed: no warning.
    let read = "param keep = 10min\nparam window = keep\nparam n = 2\n";
    let script_reading = format!(
        "{read}{}",
        script("", &[("a", "node[*]")]).replace(
            "serverless a { head gw:\"/\"; compute node[*] }",
            "serverless a { head gw:\"/\"; compute node[1..n]; idle_timeout window }"
        )
    );
    let checked = checked(&script_reading);
    assert!(checked.program.is_ok());
    assert!(checked.warnings.is_empty(), "{:?}", checked.warnings);
    assert!(unread("param seed = 3\n").is_empty());
    // `big` is read by the sweep's values; the swept `n` by nothing.
    assert_eq!(
        unread("param big = 4\nparam n = 2\nsweep n in [1, big]\n"),
        ["the sweep's axis `n` is read by nothing: its points run the same model @ n"]
    );
}

/// A sweep over a parameter nothing reads runs every point alike: said at
/// the sweep's axis, with its declaration, and kept by every point's run.
#[test]
fn a_sweep_over_a_parameter_nothing_reads_is_warned_of_at_its_axis() {
    let text = format!(
        "param policy = fcfs\n{}sweep policy in [fcfs, random(1)]\n",
        script("", &[("a", "node[*]")])
    );
    let checked = checked(&text);
    assert_eq!(checked.warnings.len(), 1);
    let warning = &checked.warnings.0[0];
    assert_eq!(
        warning.message,
        "the sweep's axis `policy` is read by nothing: its points run the same model"
    );
    assert_eq!(checked.sources.slice(warning.primary.span), "policy");
    assert!(text[warning.primary.span.start as usize..].starts_with("policy in ["));
    assert_eq!(checked.sources.slice(warning.secondary[0].span), "policy");
    assert!(text[warning.secondary[0].span.start as usize - 6..].starts_with("param policy"));
    let program = checked.program.expect("a warning does not stop the script");
    assert_eq!(program.points.len(), 2);
    for point in &program.points {
        assert_eq!(point.model.warnings, [warning.in_words()]);
    }
    // Read by the scheduler: no warning.
    let read = text.replace("compute node[*] }", "compute node[*]; scheduler policy }");
    assert!(self::checked(&read).warnings.is_empty());
}

/// Run from the command line, a sweep's warning is drawn once, before its
/// runs, and not said again after them.
#[test]
fn sls_run_draws_a_sweeps_warning_once() {
    let scratch = support::Scratch::new("warnings-sweep");
    let path = scratch.join("sweep.sls");
    std::fs::write(
        &path,
        format!(
            "param policy = fcfs\n{}sweep policy in [fcfs, random(1)]\n",
            script("", &[("a", "node[*]")])
        ),
    )
    .expect("write");
    let out = scratch.join("out");
    let (code, _, stderr) = support::sls(&[
        "run",
        path.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
        "-q",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr.matches("read by nothing").count(), 1, "{stderr}");
    assert!(stderr.starts_with("sls::unread_param"), "{stderr}");
    assert!(!stderr.contains("sls: warning:"), "{stderr}");
    for point in ["policy=fcfs", "policy=random-1"] {
        let summary = std::fs::read_to_string(out.join(point).join("summary.json")).expect("summary.json");
        assert!(
            summary.contains("the sweep's axis `policy` is read by nothing"),
            "{point}"
        );
    }
}

/// Past the first 50 warnings the rest are counted, as warnings: 60
/// services on one host warn 59 times.
#[test]
fn warnings_past_the_first_fifty_are_counted_as_warnings() {
    let names: Vec<String> = (0..60).map(|i| format!("s{i}")).collect();
    let services: Vec<(&str, &str)> = names.iter().map(|n| (n.as_str(), "node[1]")).collect();
    let checked = checked(&script("", &services));
    assert!(checked.program.is_ok());
    assert_eq!(checked.warnings.len(), 59);
    assert_eq!(checked.warnings.0.len(), sls::diagnostic::MAX_DIAGNOSTICS);
    let rendered = checked.warnings.render(&checked.sources, false, 80);
    assert!(
        rendered.ends_with("sls: 9 more warnings not shown (only the first 50 are): see these first\n"),
        "{rendered}"
    );
}

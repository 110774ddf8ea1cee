//! Autoscalers through the real binary: a KPA scaling a function to zero
//! after its grace period and being asked again at the next arrival, an
//! explicit `autoscaler none` writing the same bytes as none, and the
//! example's counts checked against its declared load.

use crate::support;

use support::{Scratch, sls};

fn run(script: &str, out: &std::path::Path) -> serde_json::Value {
    let (code, _, stderr) = sls(&["run", script, "--out", out.to_str().expect("utf-8"), "-q", "--force"]);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).expect("summary.json")).expect("json")
}

const PLATFORM: &str = r#"
platform {
  host gw { speed 1Gf/s; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  host node { speed 1Gf/s; cores 4; ram 16GB; disk "/" { size 1TB; read 100MBps; write 100MBps } }
  link l { bandwidth 100MBps; latency 0us }
  route gw <-> node via l
}
image img { size 1kB; ram 1kB }
function f { image img; limits { ram 1GB }; body { sleep 1s } }
workload { invoke f on faas every 200s count 2 }
"#;

fn script(dir: &std::path::Path, service: &str) -> String {
    let path = dir.join("script.sls");
    std::fs::write(&path, format!("{service}\n{PLATFORM}")).expect("write");
    path.to_str().expect("utf-8").to_string()
}

/// Two invocations 200 s apart, 2 s start-up and 1 s body each, KPA with a
/// target of 1. Each is cold (no container at its arrival); its container
/// ends its body at 3 s (203 s); the stable window (60 s) holds no load
/// from 63 s, the first tick after is 64 s: wanted at zero, the container
/// stays the 30 s grace and goes at 94 s. The autoscaler is then at rest
/// (no ticks); the arrival at 200 s asks it again: the second container
/// goes at 294 s. Each was reserved 94 s (1 GB), idle 91 s of them.
#[test]
fn kpa_scales_to_zero_after_the_grace_period_and_wakes_at_the_next_arrival() {
    let scratch = Scratch::new("autoscaling-zero");
    let s = run(
        &script(
            &scratch,
            r#"serverless faas { head gw:"/"; compute node; container_startup 2s; autoscaler kpa { target 1 } }"#,
        ),
        &scratch.join("out"),
    );
    let service = &s["services"][0];
    assert_eq!(s["invocations"], 2);
    assert_eq!(s["cold_starts"], 2);
    let keep = &service["keep_alive"];
    assert_eq!(keep["containers"], 2);
    // The first container starts after the 1 kB image's copy (20.8 us).
    let reserved = keep["reserved_seconds"].as_f64().expect("number");
    let idle = keep["idle_seconds"].as_f64().expect("number");
    assert!((reserved - 2.0 * 94.0).abs() < 1e-3, "{reserved}");
    assert!((idle - 2.0 * 91.0).abs() < 1e-3, "{idle}");
    let scaler = &service["autoscaler"];
    assert_eq!(scaler["stopped"], 2);
    assert_eq!(scaler["scale_downs"], 2);
    assert_eq!(scaler["scale_ups"], 0);
    assert_eq!(scaler["panics"], 0);
}

/// `autoscaler none` is the default: the same bytes as a service without
/// the statement, and no `autoscaler` block in the results.
#[test]
fn autoscaler_none_changes_nothing() {
    let scratch = Scratch::new("autoscaling-none");
    let plain = r#"serverless faas { head gw:"/"; compute node; container_startup 2s; idle_timeout 1min }"#;
    let mut a = run(&script(&scratch, plain), &scratch.join("a"));
    let with_none = plain.replace("idle_timeout 1min", "idle_timeout 1min; autoscaler none");
    let mut b = run(&script(&scratch, &with_none), &scratch.join("b"));
    // The scripts differ (their provenance says so); nothing else does.
    assert_ne!(a["run"], b["run"]);
    a["run"] = serde_json::Value::Null;
    b["run"] = serde_json::Value::Null;
    assert_eq!(a, b);
    assert!(a["services"][0].get("autoscaler").is_none());
    let read = |d: &str| std::fs::read(scratch.join(d).join("invocations.csv")).expect("a result file");
    assert_eq!(read("a"), read("b"));
}

/// The example: 3 services x (5/s for 2 min + 50/s for 1 min + 5/s for
/// 2 min) = 3 x 4200 arrivals, all run; every container is a cold start or
/// one its autoscaler started; the KPA panicked on the step and scaled to
/// zero at the end; the HPA kept its minimum, 1.
#[test]
fn the_example_counts_agree_with_its_load() {
    let scratch = Scratch::new("autoscaling-example");
    let s = run("examples/policies/autoscaling.sls", &scratch.join("out"));
    assert_eq!(s["invocations"], 3 * (600 + 3000 + 600));
    assert_eq!(s["succeeded"], s["invocations"]);
    for service in s["services"].as_array().expect("services") {
        let keep = &service["keep_alive"];
        let started = service["autoscaler"]["started"].as_u64().unwrap_or(0);
        assert_eq!(
            keep["containers"].as_u64(),
            Some(service["cold_starts"].as_u64().expect("cold") + started),
            "{}",
            service["name"]
        );
        assert_eq!(keep["prewarms"].as_u64(), Some(started));
    }
    let by_name = |name: &str| {
        s["services"]
            .as_array()
            .expect("services")
            .iter()
            .find(|p| p["name"] == name)
            .expect("the service")
            .clone()
    };
    let knative = by_name("knative");
    assert!(knative["autoscaler"]["panics"].as_u64().expect("panics") >= 1);
    assert_eq!(knative["autoscaler"]["stopped"], knative["keep_alive"]["containers"]);
    let kube = by_name("kube");
    assert_eq!(
        kube["autoscaler"]["stopped"].as_u64().expect("stopped") + 1,
        kube["keep_alive"]["containers"].as_u64().expect("containers")
    );
    assert!(by_name("plain").get("autoscaler").is_none());
}

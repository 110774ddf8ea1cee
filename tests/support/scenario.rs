//! Generated scripts for the property tests over whole runs
//! (`conservation`, `rounds`): a platform of a few nodes, every stream kind,
//! every replay format, image downloads over links with latency, host and
//! link failures, workflows, classic containers and SAND sandboxes, CPU
//! limits, every placement policy (built in and written), keep-alive,
//! eviction and autoscaling policies (built in and written in the script).
//! [`scenario`] draws one, [`script`] writes its text and trace files,
//! [`Stream::invocations`] counts by hand what it declares.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use proptest::prelude::*;

/// One stream of the generated workload, with the invocations it declares.
#[derive(Debug, Clone)]
pub enum Stream {
    Every {
        period_ms: u32,
        count: u32,
        burst: u32,
    },
    At {
        at_ms: u32,
        burst: u32,
    },
    Poisson {
        rate: u32,
        count: u32,
        burst: u32,
    },
    Paced {
        rate: u32,
        count: u32,
    },
    RandomGaps {
        mean_ms: u32,
        count: u32,
    },
    Ramp {
        to: u32,
        count: u32,
    },
    Closed {
        users: u32,
        count: u32,
    },
    Client {
        first: u32,
        then: u32,
    },
    Workflow {
        count: u32,
    },
    CsvReplay {
        rows: Vec<(u32, bool)>,
    },
    Azure2021Replay {
        rows: Vec<(u32, u32)>,
    },
    Azure2019Replay {
        minutes: Vec<[u32; 3]>,
    },
    /// `invoke tmpl every .. count .. with { duration; memory }`.
    Argued {
        period_ms: u32,
        count: u32,
        duration_ms: u32,
        memory_mb: u32,
    },
    /// A client's `invoke tmpl count .. with { .. }`.
    ClientArgued {
        count: u32,
        duration_ms: u32,
    },
    /// A CSV read through a mapping: (date in ms, user, function, duration in ms).
    MappedReplay {
        rows: Vec<(u32, u32, u32, u32)>,
    },
    /// A table counting invocations per second in a column per function.
    CountedReplay {
        seconds: Vec<[u32; 3]>,
    },
}

impl Stream {
    /// Function invocations it declares (workflow instances are counted apart).
    pub fn invocations(&self) -> u64 {
        match self {
            Stream::Every { count, burst, .. } | Stream::Poisson { count, burst, .. } => (*count * *burst) as u64,
            Stream::At { burst, .. } => *burst as u64,
            Stream::Paced { count, .. }
            | Stream::RandomGaps { count, .. }
            | Stream::Ramp { count, .. }
            | Stream::Closed { count, .. } => *count as u64,
            Stream::Client { first, then } => (*first + *then) as u64,
            Stream::Workflow { .. } => 0,
            Stream::CsvReplay { rows } => rows.len() as u64,
            Stream::Azure2021Replay { rows } => rows.len() as u64,
            Stream::Azure2019Replay { minutes } => minutes.iter().flatten().map(|&n| n as u64).sum(),
            Stream::Argued { count, .. } | Stream::ClientArgued { count, .. } => *count as u64,
            Stream::MappedReplay { rows } => rows.len() as u64,
            Stream::CountedReplay { seconds } => seconds.iter().flatten().map(|&n| n as u64).sum(),
        }
    }

    pub fn workflow_instances(&self) -> u64 {
        match self {
            Stream::Workflow { count } => *count as u64,
            _ => 0,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Scenario {
    pub nodes: u32,
    pub cores: u32,
    pub ram_gb: u32,
    pub latency_ms: u32,
    pub lv08: bool,
    pub image_mb: u32,
    pub downloads: bool,
    pub startup_ms: u32,
    pub idle_s: u32,
    /// The service's keep-alive policy; the first, `fixed`, keeps idle
    /// containers `idle_s` (`idle_timeout`).
    pub keep_alive: Policy,
    pub sand: bool,
    pub scheduler: &'static str,
    /// Invocations a container serves at once (functions' `concurrency`).
    pub concurrency: u32,
    /// The `f` functions' CPU limit (`limits { cpu .. }`), if any.
    pub cpu: Option<&'static str>,
    /// Which eviction or autoscaling policy the service names.
    pub policy: Policy,
    /// When node[1] fails, and for how long (for good when `None`).
    pub host_failure: Option<(u32, Option<u32>)>,
    pub prewarm: bool,
    pub link_failure: Option<(u32, u32)>,
    pub time_limit_ms: Option<u32>,
    pub bodies: [Vec<&'static str>; 2],
    pub either: bool,
    pub streams: Vec<Stream>,
}

impl Scenario {
    /// The plainest scenario, which the shrunk cases amend with what they
    /// need: one node of one core and 1 GB on a raw network with no
    /// latency, no image, no start-up, no keep-alive, `fcfs`, one
    /// invocation per container, no limit, no policy, no failure, no
    /// prewarm, two sleeping functions and no stream.
    pub fn plain() -> Scenario {
        let sleep = vec!["sleep uniform(100ms, 2s)"];
        Scenario {
            nodes: 1,
            cores: 1,
            ram_gb: 1,
            latency_ms: 0,
            lv08: false,
            image_mb: 0,
            downloads: false,
            startup_ms: 0,
            idle_s: 0,
            keep_alive: KEEP_ALIVES[0],
            sand: false,
            scheduler: "fcfs",
            concurrency: 1,
            cpu: None,
            policy: POLICIES[0],
            host_failure: None,
            prewarm: false,
            link_failure: None,
            time_limit_ms: None,
            bodies: [sleep.clone(), sleep],
            either: false,
            streams: Vec::new(),
        }
    }
}

/// The keep-alive policies: the fixed window, the hybrid histogram over
/// the few seconds a scenario lasts, and one written in the script that
/// unloads every container at the end of an invocation and prewarms one
/// a second later (both prewarm through the service's list, as a
/// request does, and go through a round).
pub const KEEP_ALIVES: [Policy; 3] = [
    Policy {
        declaration: "",
        line: "",
    },
    Policy {
        declaration: "",
        line: "keep_alive hybrid(20s, 500ms)",
    },
    Policy {
        declaration: "keep_alive unload_and_prewarm { idle 3s; prewarm 1s }",
        line: "keep_alive unload_and_prewarm",
    },
];

/// A policy of the service beyond its scheduler: the policy's declaration
/// (for one written in the script) and the service's line naming it.
#[derive(Debug, Clone, Copy)]
pub struct Policy {
    pub declaration: &'static str,
    pub line: &'static str,
}

pub const POLICIES: [Policy; 6] = [
    Policy {
        declaration: "",
        line: "",
    },
    Policy {
        declaration: "",
        line: "eviction greedy_dual",
    },
    Policy {
        declaration: "eviction oldest_idle { priority c = idle_since(c) }",
        line: "eviction oldest_idle",
    },
    Policy {
        declaration: "",
        line: "autoscaler kpa { target 1; stable_window 6s; panic_window 10%; scale_to_zero_grace 3s; min 0; max 4 }",
    },
    Policy {
        declaration: "",
        line: "autoscaler hpa { target 1; period 2s; stabilization 6s; min 0; max 3 }",
    },
    Policy {
        declaration: "autoscaler in_flight { desired clamp(ceil(concurrency(function, 2s)), 0, 3); every 1s }",
        line: "autoscaler in_flight",
    },
];

pub fn body() -> impl Strategy<Value = Vec<&'static str>> {
    prop::collection::vec(
        prop::sample::select(vec![
            "sleep uniform(100ms, 2s)",
            "sleep 500ms",
            "compute 1Gf",
            "read 20MB from repo",
            "write 5MB",
            "write 2MB to repo",
            "output 1MB",
            "fail 20%",
        ]),
        1..4,
    )
}

pub fn stream() -> impl Strategy<Value = Stream> {
    prop_oneof![
        (100..3000u32, 1..15u32, 1..3u32).prop_map(|(period_ms, count, burst)| Stream::Every {
            period_ms,
            count,
            burst
        }),
        (0..20_000u32, 1..12u32).prop_map(|(at_ms, burst)| Stream::At { at_ms, burst }),
        (1..20u32, 1..25u32, 1..3u32).prop_map(|(rate, count, burst)| Stream::Poisson { rate, count, burst }),
        (1..20u32, 1..25u32).prop_map(|(rate, count)| Stream::Paced { rate, count }),
        (50..2000u32, 1..15u32).prop_map(|(mean_ms, count)| Stream::RandomGaps { mean_ms, count }),
        (2..30u32, 1..20u32).prop_map(|(to, count)| Stream::Ramp { to, count }),
        (1..5u32, 1..15u32).prop_map(|(users, count)| Stream::Closed { users, count }),
        (1..4u32, 0..4u32).prop_map(|(first, then)| Stream::Client { first, then }),
        (1..6u32).prop_map(|count| Stream::Workflow { count }),
        prop::collection::vec((0..400u32, any::<bool>()), 1..12).prop_map(|mut rows| {
            rows.sort();
            Stream::CsvReplay { rows }
        }),
        prop::collection::vec((0..400u32, 1..300u32), 1..12).prop_map(|rows| Stream::Azure2021Replay { rows }),
        prop::collection::vec([0..4u32, 0..4u32, 0..4u32], 1..4)
            .prop_map(|minutes| Stream::Azure2019Replay { minutes }),
        (
            100..2000u32,
            1..10u32,
            0..3000u32,
            prop::sample::select(vec![64u32, 256, 4096])
        )
            .prop_map(|(period_ms, count, duration_ms, memory_mb)| Stream::Argued {
                period_ms,
                count,
                duration_ms,
                memory_mb
            }),
        (1..5u32, 0..2000u32).prop_map(|(count, duration_ms)| Stream::ClientArgued { count, duration_ms }),
        prop::collection::vec((0..20_000u32, 0..2u32, 0..3u32, 0..2000u32), 1..12).prop_map(|mut rows| {
            rows.sort();
            Stream::MappedReplay { rows }
        }),
        prop::collection::vec([0..4u32, 0..4u32, 0..4u32], 1..5).prop_map(|seconds| Stream::CountedReplay { seconds }),
    ]
}

pub fn scenario() -> impl Strategy<Value = Scenario> {
    (
        (
            1..4u32,
            1..5u32,
            prop::sample::select(vec![1u32, 2, 8]),
            prop::sample::select(vec![0u32, 1, 20]),
        ),
        (any::<bool>(), prop::sample::select(vec![0u32, 50, 1000]), any::<bool>()),
        (
            prop::sample::select(vec![0u32, 300, 1000]),
            prop::sample::select(vec![0u32, 2, 600]),
            prop::sample::select(vec![KEEP_ALIVES[0], KEEP_ALIVES[0], KEEP_ALIVES[1], KEEP_ALIVES[2]]),
        ),
        (
            any::<bool>(),
            prop::sample::select(vec![
                "fcfs",
                "random(3)",
                "balanced",
                "greedy { order fcfs }",
                "least_loaded",
                "round_robin",
                "openwhisk",
                "consistent_hash(1.25)",
                "greedy { eviction lru }",
                "greedy { order random(0); eviction fewest_evictions; plan eviction_averse }",
                "greedy { order random(3); eviction fewest_evictions; plan random(5) }",
                "greedy { order fcfs; plan random(5) }",
                "fewest_busy",
                "roomiest",
                super::registered::WANDERER,
            ]),
            prop::sample::select(vec![1u32, 1, 2, 4]),
        ),
        (
            prop::option::of((0..20u32, prop::option::of(1..10u32))),
            prop::option::of((0..20u32, 1..10u32)),
            prop::option::of(prop::sample::select(vec![300u32, 1000, 1500])),
            any::<bool>(),
        ),
        (
            prop::option::of(prop::sample::select(vec!["0.5", "2", "50%"])),
            prop::sample::select(POLICIES.to_vec()),
        ),
        (body(), body(), any::<bool>()),
        prop::collection::vec(stream(), 1..6),
    )
        .prop_map(
            |(
                (nodes, cores, ram_gb, latency_ms),
                (lv08, image_mb, downloads),
                (startup_ms, idle_s, keep_alive),
                (sand, scheduler, concurrency),
                (host_failure, link_failure, time_limit_ms, prewarm),
                (cpu, policy),
                (body1, body2, either),
                streams,
            )| Scenario {
                nodes,
                cores,
                ram_gb,
                latency_ms,
                lv08,
                image_mb,
                downloads,
                startup_ms,
                idle_s,
                keep_alive,
                // SAND places by application with its own dispatch; the
                // balanced scheduler does not apply to it.
                sand: sand && scheduler == "fcfs",
                scheduler,
                // A SAND sandbox forks an instance per invocation: no limit.
                concurrency: if sand && scheduler == "fcfs" { 1 } else { concurrency },
                // A body may not ask for more cores than a node has.
                cpu: cpu.filter(|&c| c != "2" || cores >= 2),
                // A SAND sandbox is an application's, not a function's
                // container: autoscalers count containers per function.
                policy: if sand && scheduler == "fcfs" && policy.line.starts_with("autoscaler") {
                    POLICIES[0]
                } else {
                    policy
                },
                host_failure,
                prewarm,
                link_failure,
                time_limit_ms,
                bodies: [body1, body2],
                either,
                streams,
            },
        )
}

/// The script, and the trace files it reads (name, text).
pub fn script(s: &Scenario) -> (String, Vec<(String, String)>) {
    let mut t = String::new();
    let mut files = Vec::new();
    let network = if s.lv08 { "lv08" } else { "raw" };
    let _ = writeln!(
        t,
        r#"platform {{
  host gw {{ speed 10Gf/s; cores 4; disk "/" {{ size 10TB; read 1GBps; write 1GBps }} }}
  host node[1..{n}] {{ speed 1Gf/s; cores {c}; ram {r}GB; disk "/" {{ size 100GB; read 500MBps; write 500MBps }} }}
  link lan[1..{n}] {{ bandwidth 1Gbps; latency {l}ms }}
  route gw <-> node[i] via lan[i]
  network {network}"#,
        n = s.nodes,
        c = s.cores,
        r = s.ram_gb,
        l = s.latency_ms,
    );
    match s.host_failure {
        Some((at, Some(d))) => {
            let _ = writeln!(t, "  fail host node[1] at {at}s for {d}s");
        }
        Some((at, None)) => {
            let _ = writeln!(t, "  fail host node[1] at {at}s");
        }
        None => {}
    }
    if let Some((at, d)) = s.link_failure {
        let _ = writeln!(t, "  fail link lan[{}] at {at}s for {d}s", s.nodes);
    }
    t.push_str("}\nstorage repo on gw:\"/\"\n");
    // A prewarm beside `idle_timeout 0s` is refused by the checker; a
    // written policy that keeps nothing is judged at run time (the
    // prewarm is not started).
    let keep = if !s.keep_alive.line.is_empty() {
        s.keep_alive.line.to_owned()
    } else if s.prewarm && s.idle_s == 0 {
        "keep_alive shut_at_once".to_owned()
    } else {
        format!("idle_timeout {}s", s.idle_s)
    };
    let _ = writeln!(
        t,
        "serverless faas {{\n  head gw:\"/\"\n  compute node[*]\n  scheduler {}\n  container_startup {}ms\n  {keep}\n  image_downloads {}",
        s.scheduler,
        s.startup_ms,
        if s.downloads { "on" } else { "off" }
    );
    if s.sand {
        t.push_str(
            "  sandbox per_application { worker_start 50ms; library_load 100ms; fork 2ms; base_memory 16MB; instance_memory 1MB }\n",
        );
    }
    if s.prewarm {
        t.push_str("  prewarm f1 1\n");
    }
    if !s.policy.line.is_empty() {
        let _ = writeln!(t, "  {}", s.policy.line);
    }
    t.push_str("}\n");
    if s.keep_alive.line.is_empty() && s.prewarm && s.idle_s == 0 {
        t.push_str("keep_alive shut_at_once { idle 0s }\n");
    }
    let _ = writeln!(t, "{}\n{}", s.keep_alive.declaration, s.policy.declaration);
    // Placements written in the script, for the schedulers that name them.
    t.push_str("placement fewest_busy { score node = busy(node); pick min }\n");
    t.push_str(
        "placement roomiest { score node = free_ram(node) + 2GB * has_image(node, function) - memory(function) * busy(node); pick max }\n",
    );
    let _ = writeln!(t, "image img {{ size {}MB; ram 50MB; from repo }}", s.image_mb);
    let share = match s.concurrency {
        1 => String::new(),
        n => format!("; concurrency {n}"),
    };
    let cpu = s.cpu.map(|cores| format!("; cpu {cores}")).unwrap_or_default();
    let limit = s.time_limit_ms.map(|ms| format!("; time {ms}ms")).unwrap_or_default() + &share + &cpu;
    for (i, steps) in s.bodies.iter().enumerate() {
        let _ = writeln!(
            t,
            "function f{} {{ image img; app a; limits {{ ram 256MB{limit} }}; body {{ {} }} }}",
            i + 1,
            steps.join("; ")
        );
    }
    for w in 1..=3 {
        let _ = writeln!(
            t,
            "function w{w} {{ image img; app b; limits {{ ram 128MB{share} }}; body {{ sleep 200ms; output 1MB }} }}"
        );
    }
    let _ = writeln!(
        t,
        "function tmpl {{ image img; app c; limits {{ ram trace.memory{share} }}; body {{ sleep trace.duration }} }}"
    );
    let _ = writeln!(
        t,
        "function tmpl21 {{ image img; app c; limits {{ ram 128MB{share} }}; body {{ sleep trace.duration }} }}"
    );
    if s.either {
        t.push_str("workflow flow { w1 -> either [w2 70%, w3 30%] }\n");
    } else {
        t.push_str("workflow flow { w1 -> [w2, w3 40%] }\n");
    }
    t.push_str("workload {\n");
    for (k, stream) in s.streams.iter().enumerate() {
        let f = if k % 2 == 0 { "f1" } else { "f2" };
        match stream {
            Stream::Every {
                period_ms,
                count,
                burst,
            } => {
                let _ = writeln!(t, "  invoke {f} every {period_ms}ms count {count} burst {burst}");
            }
            Stream::At { at_ms, burst } => {
                let _ = writeln!(t, "  invoke {f} at {at_ms}ms burst {burst}");
            }
            Stream::Poisson { rate, count, burst } => {
                let _ = writeln!(t, "  invoke {f} poisson {rate}/s count {count} burst {burst}");
            }
            Stream::Paced { rate, count } => {
                let _ = writeln!(t, "  invoke {f} rate {rate}/s count {count}");
            }
            Stream::RandomGaps { mean_ms, count } => {
                let _ = writeln!(t, "  invoke {f} every exponential({mean_ms}ms) count {count}");
            }
            Stream::Ramp { to, count } => {
                // The ramp holds its last rate: the count is always reached.
                let _ = writeln!(
                    t,
                    "  invoke {f} poisson stages {{ ramp(1/s -> {to}/s) over 5s; {to}/s for 1000h }} count {count}"
                );
            }
            Stream::Closed { users, count } => {
                let _ = writeln!(
                    t,
                    "  invoke {f} closed {users} users think exponential(500ms) count {count}"
                );
            }
            Stream::Client { first, then } => {
                let _ = writeln!(t, "  client {{\n    invoke {f} count {first}\n    wait\n    sleep 2s");
                if *then > 0 {
                    let _ = writeln!(t, "    invoke {f} count {then}");
                }
                t.push_str("  }\n");
            }
            Stream::Workflow { count } => {
                let _ = writeln!(t, "  invoke flow every 1500ms count {count}");
            }
            Stream::CsvReplay { rows } => {
                let name = format!("plain{k}.csv");
                let mut text = String::from("time,function,duration,memory\n");
                for (at, second) in rows {
                    let function = if *second { "f2" } else { "f1" };
                    let _ = writeln!(text, "{}.{:02},{function},0.3,128", at / 100, at % 100);
                }
                let _ = writeln!(t, "  replay csv \"{name}\"");
                files.push((name, text));
            }
            Stream::Azure2021Replay { rows } => {
                let name = format!("azure2021_{k}.csv");
                let mut ends: Vec<(u32, u32, usize)> = rows
                    .iter()
                    .enumerate()
                    .map(|(i, &(start, duration))| (start + duration, duration, i))
                    .collect();
                ends.sort();
                let mut text = String::from("app,func,end_timestamp,duration\n");
                for (end, duration, i) in ends {
                    let _ = writeln!(
                        text,
                        "app{},fn{},{}.{:02},{}.{:02}",
                        i % 2,
                        i % 3,
                        end / 100,
                        end % 100,
                        duration / 100,
                        duration % 100
                    );
                }
                let _ = writeln!(t, "  replay azure2021 \"{name}\" as tmpl21");
                files.push((name, text));
            }
            Stream::Argued {
                period_ms,
                count,
                duration_ms,
                memory_mb,
            } => {
                let _ = writeln!(
                    t,
                    "  invoke tmpl every {period_ms}ms count {count} with {{ duration {duration_ms}ms; memory {memory_mb}MB }}"
                );
            }
            Stream::ClientArgued { count, duration_ms } => {
                let _ = writeln!(
                    t,
                    "  client {{ invoke tmpl count {count} with {{ duration {duration_ms}ms; memory 128MB }}; wait }}"
                );
            }
            Stream::MappedReplay { rows } => {
                let name = format!("mapped{k}.csv");
                let mut text = String::from("user,when_ms,func,ms\n");
                for (at, user, function, ms) in rows {
                    let _ = writeln!(text, "u{user},{at},g{function},{ms}");
                }
                let _ = writeln!(
                    t,
                    "  replay csv \"{name}\" as tmpl {{ time column(\"when_ms\", 1ms); function column(\"func\"); app column(\"user\"); duration column(\"ms\", 1ms); memory 128MB }}"
                );
                files.push((name, text));
            }
            Stream::CountedReplay { seconds } => {
                let name = format!("counted{k}.csv");
                let mut text = String::from("day,time,c0,c1,c2\n");
                for (i, counts) in seconds.iter().enumerate() {
                    // An empty cell counts nothing, as `0` does.
                    let cells: Vec<String> = counts
                        .iter()
                        .map(|&n| {
                            if n == 0 && i % 2 == 0 {
                                String::new()
                            } else {
                                n.to_string()
                            }
                        })
                        .collect();
                    let _ = writeln!(text, "0,{},{}", i * 2, cells.join(","));
                }
                let _ = writeln!(
                    t,
                    "  replay csv \"{name}\" as tmpl {{ time column(\"time\", 1s); function header; ignore [\"day\"]; period 1s; spread poisson; duration 300ms; memory uniform(64MB, 256MB) }}"
                );
                files.push((name, text));
            }
            Stream::Azure2019Replay { minutes } => {
                let folder = format!("azure2019_{k}");
                let apps = minutes.len();
                let mut invocations = String::from("HashOwner,HashApp,HashFunction,Trigger,1,2,3\n");
                let mut durations = String::from(
                    "HashOwner,HashApp,HashFunction,Average,Count,Minimum,Maximum,percentile_Average_0,percentile_Average_1,percentile_Average_25,percentile_Average_50,percentile_Average_75,percentile_Average_99,percentile_Average_100\n",
                );
                let mut memory = String::from(
                    "HashOwner,HashApp,SampleCount,AverageAllocatedMb,AverageAllocatedMb_pct1,AverageAllocatedMb_pct5,AverageAllocatedMb_pct25,AverageAllocatedMb_pct50,AverageAllocatedMb_pct75,AverageAllocatedMb_pct95,AverageAllocatedMb_pct99,AverageAllocatedMb_pct100\n",
                );
                for (a, counts) in minutes.iter().enumerate() {
                    let _ = writeln!(
                        invocations,
                        "o{a},app{a},fn{a},http,{},{},{}",
                        counts[0], counts[1], counts[2]
                    );
                    let _ = writeln!(durations, "o{a},app{a},fn{a},300,5,100,900,100,100,200,300,400,800,900");
                    let _ = writeln!(memory, "o{a},app{a},10,128,100,100,120,128,140,150,160,170");
                }
                let _ = writeln!(
                    t,
                    "  replay azure2019 \"{folder}\" as tmpl {{ days 1; minutes 1..3; apps top({apps}); spread poisson }}"
                );
                files.push((
                    format!("{folder}/invocations_per_function_md.anon.d01.csv"),
                    invocations,
                ));
                files.push((
                    format!("{folder}/function_durations_percentiles.anon.d01.csv"),
                    durations,
                ));
                files.push((format!("{folder}/app_memory_percentiles.anon.d01.csv"), memory));
            }
        }
    }
    t.push_str("}\n");
    (t, files)
}

/// Writes the scenario's script and trace files into `dir`: the script's
/// path and text.
pub fn write(dir: &Path, s: &Scenario) -> (PathBuf, String) {
    let (text, files) = script(s);
    for (name, content) in &files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("a folder");
        std::fs::write(path, content).expect("a trace");
    }
    let path = dir.join("generated.sls");
    std::fs::write(&path, &text).expect("the script");
    (path, text)
}

/// The program of the script at `path` (its `text`); a script the checker
/// refuses fails the case with the diagnostics and the script.
pub fn checked(path: &Path, text: &str) -> Result<sls::ir::Program, TestCaseError> {
    let options = sls::check::Options {
        registered: super::registered::policies().names(),
        ..Default::default()
    };
    let checked = sls::check::check(path, text.to_owned(), &options);
    checked
        .program
        .map_err(|d| TestCaseError::fail(format!("{}\n{text}", d.render(&checked.sources, false, 100))))
}

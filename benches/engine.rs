//! Engine benchmarks (not timed tests): event-loop throughput, cost of a flow
//! start/stop on a 10k-host tree, cold image pulls crowding one core link,
//! and heap bytes per live activity.
//! Run with `cargo bench --bench engine`; prints compact tables.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashSet;
use std::hint::black_box;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};
use std::time::Instant;

use sls::engine::{Activity, ActivityId, Engine, EventKind, HostId, NetworkModel, PlatformBuilder, Sharing};

/// Counts live heap bytes and allocation calls, to measure memory per
/// activity and to show that the steady state does not allocate.
struct Counting;

static LIVE_BYTES: AtomicIsize = AtomicIsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call forwards to the system allocator with the same
// arguments; the counters are only statistics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE_BYTES.fetch_add(layout.size() as isize, Ordering::Relaxed);
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: same layout as requested by the caller.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_BYTES.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: `ptr` was allocated by `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE_BYTES.fetch_add(new_size as isize - layout.size() as isize, Ordering::Relaxed);
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: forwarded unchanged from the caller's contract.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn live_bytes() -> isize {
    LIVE_BYTES.load(Ordering::Relaxed)
}

fn allocations() -> usize {
    ALLOCATIONS.load(Ordering::Relaxed)
}

/// xorshift64*: cheap, deterministic randomness.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn one_host() -> (Engine, HostId) {
    let mut b = PlatformBuilder::new();
    let h = b.host("h", 1e9, 8).expect("valid host");
    (Engine::new(b.build()), h)
}

/// Timers: keep `pending` timers live, then pop one and schedule one, `n` times.
fn timers(pending: usize, n: usize) -> (f64, usize) {
    let (mut e, _) = one_host();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for i in 0..pending {
        e.timer(rng.unit(), i as u64).expect("valid delay");
    }
    // Warm up: the queue's buckets reach their working capacity.
    for _ in 0..n {
        let ev = e.next_event().expect("pending timers");
        e.timer(rng.unit(), ev.tag).expect("valid delay");
    }
    let allocs = allocations();
    let t = Instant::now();
    for _ in 0..n {
        let ev = e.next_event().expect("pending timers");
        e.timer(rng.unit(), black_box(ev.tag)).expect("valid delay");
    }
    let secs = t.elapsed().as_secs_f64();
    (n as f64 / secs, allocations() - allocs)
}

/// Sleep activities: same pattern through `start` / `Completed`.
fn sleeps(pending: usize, n: usize) -> (f64, usize) {
    let (mut e, _) = one_host();
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    for i in 0..pending {
        e.start(Activity::Sleep { seconds: rng.unit() }, i as u64)
            .expect("valid sleep");
    }
    for _ in 0..n {
        let ev = e.next_event().expect("pending sleeps");
        e.start(Activity::Sleep { seconds: rng.unit() }, ev.tag)
            .expect("valid sleep");
    }
    let allocs = allocations();
    let t = Instant::now();
    for _ in 0..n {
        let ev = e.next_event().expect("pending sleeps");
        e.start(Activity::Sleep { seconds: rng.unit() }, black_box(ev.tag))
            .expect("valid sleep");
    }
    let secs = t.elapsed().as_secs_f64();
    (n as f64 / secs, allocations() - allocs)
}

/// Computations on 4-core hosts, `per_host` on each (`pending` in all);
/// each completion starts another on the same host.
fn compute_churn(pending: usize, n: usize, per_host: usize) -> (f64, usize) {
    let mut b = PlatformBuilder::new();
    let hosts: Vec<HostId> = (0..pending / per_host)
        .map(|i| b.host(format!("h{i}"), 1e9, 4).expect("valid host"))
        .collect();
    let mut e = Engine::new(b.build());
    let mut rng = Rng(0x5851_f42d_4c95_7f2d);
    let work = |e: &mut Engine, rng: &mut Rng, h: usize| {
        let flops = 1e8 + 1e9 * rng.unit();
        e.start(
            Activity::Compute {
                host: hosts[h],
                flops,
                priority: 1.0,
                cores: 1.0,
            },
            h as u64,
        )
        .expect("valid compute");
    };
    for i in 0..pending {
        work(&mut e, &mut rng, i / per_host);
    }
    for _ in 0..n {
        let ev = e.next_event().expect("pending computations");
        work(&mut e, &mut rng, ev.tag as usize);
    }
    let allocs = allocations();
    let t = Instant::now();
    for _ in 0..n {
        let ev = e.next_event().expect("pending computations");
        work(&mut e, &mut rng, black_box(ev.tag) as usize);
    }
    let secs = t.elapsed().as_secs_f64();
    (n as f64 / secs, allocations() - allocs)
}

/// Four computations per 4-core host: each runs at full core speed.
fn computes_fit(pending: usize, n: usize) -> (f64, usize) {
    compute_churn(pending, n, 4)
}

/// Eight computations per 4-core host: they share the cores.
fn computes_shared(pending: usize, n: usize) -> (f64, usize) {
    compute_churn(pending, n, 8)
}

/// Flow endpoints for the tree benchmarks.
#[derive(Clone, Copy, PartialEq)]
enum Pattern {
    /// Both ends in the same rack: one sharing component per rack.
    RackLocal,
    /// Ends anywhere: flows meet at the core, one component overall.
    AnyToAny,
}

/// A two-level tree: each host has a 10 Gb/s uplink to its rack switch,
/// each rack of 100 hosts a 100 Gb/s link to the core. Routes are declared
/// only for a pool of host pairs drawn among the first `used` hosts.
struct Tree {
    engine: Engine,
    hosts: Vec<HostId>,
    pairs: Vec<(usize, usize)>,
}

const RACK: usize = 100;

fn tree(hosts: usize, used: usize, pattern: Pattern, pool: usize, rng: &mut Rng) -> Tree {
    let mut b = PlatformBuilder::new();
    b.network_model(NetworkModel::LV08);
    let ids: Vec<HostId> = (0..hosts)
        .map(|i| b.host(format!("h{i}"), 1e10, 8).expect("valid host"))
        .collect();
    let up: Vec<_> = (0..hosts)
        .map(|i| {
            b.link(format!("up{i}"), 1.25e9, 1e-5, Sharing::SplitDuplex)
                .expect("valid link")
        })
        .collect();
    let racks = hosts.div_ceil(RACK);
    let rack: Vec<_> = (0..racks)
        .map(|r| {
            b.link(format!("rack{r}"), 1.25e10, 1e-5, Sharing::SplitDuplex)
                .expect("valid link")
        })
        .collect();
    let core = b.link("core", 1e11, 1e-5, Sharing::SplitDuplex).expect("valid link");
    let mut seen = HashSet::new();
    let mut pairs = Vec::with_capacity(pool);
    while pairs.len() < pool {
        let s = rng.below(used);
        let d = match pattern {
            Pattern::RackLocal => {
                let base = s / RACK * RACK;
                base + rng.below(RACK.min(used - base))
            }
            Pattern::AnyToAny => rng.below(used),
        };
        if s == d || !seen.insert((s.min(d), s.max(d))) {
            continue;
        }
        let route = if s / RACK == d / RACK {
            vec![up[s], up[d]]
        } else {
            vec![up[s], rack[s / RACK], core, rack[d / RACK], up[d]]
        };
        b.route(ids[s], ids[d], &route).expect("fresh pair");
        pairs.push((s, d));
    }
    Tree {
        engine: Engine::new(b.build()),
        hosts: ids,
        pairs,
    }
}

impl Tree {
    fn start_flow(&mut self, rng: &mut Rng) -> ActivityId {
        let (s, d) = self.pairs[rng.below(self.pairs.len())];
        let flow = Activity::Transfer {
            src: self.hosts[s],
            dst: self.hosts[d],
            bytes: 1e18,
        };
        self.engine.start(flow, 0).expect("declared route")
    }
}

struct SolverRow {
    hosts: usize,
    used: usize,
    flows: usize,
    pattern: Pattern,
    start_us: f64,
    stop_us: f64,
}

/// Mean cost of starting and of stopping one flow (including re-sharing)
/// with `flows` flows live.
fn solver(hosts: usize, used: usize, flows: usize, pattern: Pattern, ops: usize) -> SolverRow {
    let mut rng = Rng(0x853c_49e6_748f_ea9b ^ flows as u64);
    let mut t = tree(
        hosts,
        used,
        pattern,
        (flows * 2).min(used * (used - 1) / 2 / 2),
        &mut rng,
    );
    let mut live: Vec<ActivityId> = (0..flows).map(|_| t.start_flow(&mut rng)).collect();
    // Let every latency elapse so that all flows share.
    t.engine.timer(1.0, 0).expect("valid delay");
    t.engine.next_event();
    let (mut start, mut stop) = (0.0, 0.0);
    for _ in 0..ops {
        let k = rng.below(live.len());
        let clock = Instant::now();
        t.engine.cancel(live.swap_remove(k));
        // Asking a rate shares the pending change.
        t.engine.rate(live[0]);
        stop += clock.elapsed().as_secs_f64();
        let clock = Instant::now();
        let id = t.start_flow(&mut rng);
        // The new flow shares once its latency is paid: advance past it.
        t.engine.timer(1e-3, 0).expect("valid delay");
        t.engine.next_event();
        start += clock.elapsed().as_secs_f64();
        live.push(id);
    }
    let us = |s: f64| s / ops as f64 * 1e6;
    SolverRow {
        hosts,
        used,
        flows,
        pattern,
        start_us: us(start),
        stop_us: us(stop),
    }
}

/// Cold image pulls sharing one core link: `nodes` nodes, each with its own
/// 1 GB/s link and disk, start copying a 1 GB image from the head's disk
/// 10 ms apart, over a 10 GB/s core (LV08); the run ends when every copy is
/// done. Returns the wall time and the date of the last copy's end.
fn pulls(nodes: usize, classes: usize) -> (f64, f64) {
    let mut b = PlatformBuilder::new();
    b.network_model(NetworkModel::LV08);
    let head = b.host("head", 1e10, 8).expect("valid host");
    let image = b.disk(head, "d", 1e11, 1e11).expect("valid disk");
    let core = b.link("core", 1e10, 1e-4, Sharing::Shared).expect("valid link");
    let mut disks = Vec::with_capacity(nodes);
    for i in 0..nodes {
        let node = b.host(format!("node{i}"), 1e9, 1).expect("valid host");
        disks.push((node, b.disk(node, "d", 1e9, 1e9).expect("valid disk")));
        let own = b
            .link(format!("local{i}"), 1e9, 1e-5, Sharing::Shared)
            .expect("valid link");
        b.route(head, node, &[core, own]).expect("fresh pair");
    }
    let mut e = Engine::new(b.build());
    e.set_class_threshold(classes);
    let clock = Instant::now();
    for i in 0..nodes {
        e.timer(i as f64 * 0.01, i as u64).expect("valid delay");
    }
    let mut last = 0.0;
    while let Some(ev) = e.next_event() {
        match ev.kind {
            EventKind::Timer(_) => {
                let (dst_host, disk) = disks[ev.tag as usize];
                let copy = Activity::Stream {
                    src_disk: image,
                    dst_host,
                    dst_disk: Some(disk),
                    bytes: 1e9,
                };
                e.start(copy, ev.tag).expect("declared route");
            }
            EventKind::Completed(_) => last = ev.time,
        }
    }
    (clock.elapsed().as_secs_f64(), last)
}

/// Heap bytes per live activity of each kind, with `n` of them live.
fn memory(n: usize) -> Vec<(&'static str, f64)> {
    let mut out = Vec::new();
    let (mut e, h) = one_host();
    let before = live_bytes();
    for i in 0..n {
        e.start(
            Activity::Sleep {
                seconds: 1.0 + i as f64,
            },
            0,
        )
        .expect("valid sleep");
    }
    out.push(("sleep", (live_bytes() - before) as f64 / n as f64));
    drop(e);

    let (mut e, _) = one_host();
    let before = live_bytes();
    for i in 0..n {
        e.timer(1.0 + i as f64, 0).expect("valid delay");
    }
    out.push(("timer", (live_bytes() - before) as f64 / n as f64));
    drop(e);

    let (mut e, _) = one_host();
    let before = live_bytes();
    for _ in 0..n {
        e.start(
            Activity::Compute {
                host: h,
                flops: 1e18,
                priority: 1.0,
                cores: 1.0,
            },
            0,
        )
        .expect("valid compute");
    }
    e.peek_time();
    out.push(("compute (one host)", (live_bytes() - before) as f64 / n as f64));
    drop(e);

    let mut rng = Rng(7);
    let mut t = tree(10_000, 10_000, Pattern::AnyToAny, n, &mut rng);
    let before = live_bytes();
    for _ in 0..n {
        t.start_flow(&mut rng);
    }
    t.engine.timer(1.0, 0).expect("valid delay");
    t.engine.next_event();
    out.push(("transfer (5 links, lv08)", (live_bytes() - before) as f64 / n as f64));
    out
}

fn main() {
    // `cargo bench --bench engine -- events` runs only the sections named
    // (events, solver, pulls, memory); cargo's own `--bench` flag is ignored.
    let wanted: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let run = |section: &str| wanted.is_empty() || wanted.iter().any(|w| w == section);
    println!("sls engine benchmarks (single thread, release build)");
    if run("events") {
        events();
    }
    if run("solver") {
        solvers();
    }
    if run("pulls") {
        pull_table();
    }
    if run("memory") {
        println!("\nmemory: heap bytes per live activity (100k live)");
        for (kind, bytes) in memory(100_000) {
            println!("{kind:<26} {bytes:>8.0} B");
        }
    }
}

fn events() {
    println!("\nevent loop: pop one event + schedule one (best and median of 7 rounds, 3 with 1M pending)");
    println!(
        "{:<8} {:>9} {:>12} {:>12} {:>16}",
        "kind", "pending", "best ev/s", "median ev/s", "allocs per 1M ev"
    );
    for (kind, run) in [
        ("timer", timers as fn(usize, usize) -> (f64, usize)),
        ("sleep", sleeps),
        ("cpu 4/4", computes_fit),
        ("cpu 8/4", computes_shared),
    ] {
        for pending in [10_000, 1_000_000] {
            let n = if kind.starts_with("cpu") { 1_000_000 } else { 5_000_000 };
            let count = if pending > 100_000 { 3 } else { 7 };
            let mut rounds: Vec<(f64, usize)> = (0..count).map(|_| run(pending, n)).collect();
            rounds.sort_by(|a, b| a.0.total_cmp(&b.0));
            let (best, allocs) = rounds[rounds.len() - 1];
            let median = rounds[rounds.len() / 2].0;
            println!(
                "{:<8} {:>9} {:>10.1} M {:>10.1} M {:>16.1}",
                kind,
                pending,
                best / 1e6,
                median / 1e6,
                allocs as f64 * 1e6 / n as f64
            );
        }
    }
}

fn pull_table() {
    println!("\npulls: cold 1 GB image copies 10 ms apart through one 10 GB/s core link (lv08), best of 3");
    println!(
        "{:<8} {:>7} {:>10} {:>9} {:>14}",
        "solver", "nodes", "wall (s)", "growth", "last end (s)"
    );
    for (name, classes, sizes) in [
        ("classes", 64, [2_500, 5_000, 10_000]),
        ("general", usize::MAX, [1_250, 2_500, 5_000]),
    ] {
        let mut previous: Option<f64> = None;
        for nodes in sizes {
            let (wall, last) = (0..3)
                .map(|_| pulls(nodes, classes))
                .min_by(|a, b| a.0.total_cmp(&b.0))
                .expect("three runs");
            let growth = previous.map_or(String::new(), |p| format!("x{:.2}", wall / p));
            println!("{name:<8} {nodes:>7} {wall:>10.3} {growth:>9} {last:>14.3}");
            previous = Some(wall);
        }
    }
}

fn solvers() {
    println!("\nsolver: two-level tree (100 hosts per rack), lv08, mean cost incl. re-sharing");
    println!(
        "{:>7} {:>7} {:>8} {:<11} {:>12} {:>12}",
        "hosts", "used", "flows", "pattern", "start (us)", "stop (us)"
    );
    let runs = [
        (10_000, 10_000, 1_000, Pattern::RackLocal, 2000),
        (10_000, 10_000, 10_000, Pattern::RackLocal, 2000),
        (10_000, 10_000, 100_000, Pattern::RackLocal, 500),
        (10_000, 10_000, 1_000, Pattern::AnyToAny, 200),
        (10_000, 10_000, 10_000, Pattern::AnyToAny, 50),
        (10_000, 10_000, 100_000, Pattern::AnyToAny, 10),
        (1_000, 1_000, 1_000, Pattern::RackLocal, 2000),
        (10_000, 1_000, 1_000, Pattern::RackLocal, 2000),
        (1_000, 1_000, 1_000, Pattern::AnyToAny, 200),
        (10_000, 1_000, 1_000, Pattern::AnyToAny, 200),
    ];
    for (hosts, used, flows, pattern, ops) in runs {
        let r = solver(hosts, used, flows, pattern, ops);
        let name = match r.pattern {
            Pattern::RackLocal => "rack-local",
            Pattern::AnyToAny => "any-to-any",
        };
        println!(
            "{:>7} {:>7} {:>8} {:<11} {:>12.2} {:>12.2}",
            r.hosts, r.used, r.flows, name, r.start_us, r.stop_us
        );
    }
}

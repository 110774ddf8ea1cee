//! Classes (activities sharing one bottleneck, solved together) against the
//! general solver: on random star platforms (a head, a core link, nodes with
//! their own links and disks) with image-like streams and cross traffic,
//! computations and disk work, every completion date and every cancelled
//! remainder agree to 1e-9 whether classes are formed from 2 activities or never.

use proptest::prelude::*;
use sls::engine::{Activity, ActivityId, DiskId, Engine, EventKind, HostId, NetworkModel, PlatformBuilder, Sharing};

/// A link's bandwidth, latency and whether it is split-duplex.
type LinkSpec = (f64, f64, bool);

/// A node's own link, its disk's (read, write) bandwidths and its cores.
type NodeSpec = (LinkSpec, (f64, f64), u32);

#[derive(Debug, Clone)]
struct Star {
    lv08: bool,
    core: LinkSpec,
    head_disk: (f64, f64),
    nodes: Vec<NodeSpec>,
    /// Node pairs routed over their own links only (no core).
    side_routes: Vec<(usize, usize)>,
}

#[derive(Debug, Clone)]
enum Act {
    /// Head disk -> node (disk or memory): an image copy.
    Pull {
        node: usize,
        to_disk: bool,
        bytes: f64,
    },
    /// Memory to memory, head -> node or back.
    Send {
        node: usize,
        up: bool,
        bytes: f64,
    },
    /// Between two nodes (over a side route when there is one, else refused and skipped).
    Side {
        pair: usize,
        bytes: f64,
    },
    Compute {
        node: usize,
        flops: f64,
        priority: f64,
        cores: f64,
    },
    Write {
        node: usize,
        bytes: f64,
    },
    Seq(Vec<Act>),
}

fn link() -> impl Strategy<Value = LinkSpec> {
    (
        prop_oneof![1e7..2e8f64, Just(1.25e8)],
        prop_oneof![Just(0.0), Just(1e-4), 1e-5..2e-3f64],
        any::<bool>(),
    )
}

fn star() -> impl Strategy<Value = Star> {
    (
        any::<bool>(),
        link(),
        (1e8..1e9f64, 1e8..1e9f64),
        prop::collection::vec((link(), (5e7..5e8f64, 5e7..5e8f64), 1u32..4), 2..10),
        prop::collection::vec((0..10usize, 0..10usize), 0..3),
    )
        .prop_map(|(lv08, core, head_disk, nodes, side_routes)| Star {
            lv08,
            core,
            head_disk,
            nodes,
            side_routes,
        })
}

fn leaf() -> impl Strategy<Value = Act> {
    let bytes = prop_oneof![1 => Just(0.0), 8 => 1e6..5e8f64];
    prop_oneof![
        6 => (0..10usize, any::<bool>(), bytes.clone()).prop_map(|(node, to_disk, bytes)| Act::Pull { node, to_disk, bytes }),
        2 => (0..10usize, any::<bool>(), bytes.clone()).prop_map(|(node, up, bytes)| Act::Send { node, up, bytes }),
        1 => (0..3usize, bytes.clone()).prop_map(|(pair, bytes)| Act::Side { pair, bytes }),
        2 => (0..10usize, 1e8..3e9f64, prop_oneof![Just(1.0), 0.5..2.0f64], prop_oneof![Just(1.0), 0.25..3.0f64])
            .prop_map(|(node, flops, priority, cores)| Act::Compute { node, flops, priority, cores }),
        1 => (0..10usize, bytes).prop_map(|(node, bytes)| Act::Write { node, bytes }),
    ]
}

fn act() -> impl Strategy<Value = Act> {
    prop_oneof![6 => leaf(), 1 => prop::collection::vec(leaf(), 1..3).prop_map(Act::Seq)]
}

fn start_date() -> impl Strategy<Value = f64> {
    // Tenths of a second make simultaneous starts common.
    prop_oneof![Just(0.0), (0..30u32).prop_map(|q| f64::from(q) * 0.1), 0.0..3.0f64]
}

struct Built {
    engine: Engine,
    head: HostId,
    head_disk: DiskId,
    nodes: Vec<(HostId, DiskId)>,
    sides: Vec<(usize, usize)>,
}

fn build(s: &Star, classes: usize) -> Built {
    let mut b = PlatformBuilder::new();
    b.network_model(if s.lv08 { NetworkModel::LV08 } else { NetworkModel::RAW });
    let sharing = |split: bool| if split { Sharing::SplitDuplex } else { Sharing::Shared };
    let head = b.host("head", 1e10, 4).unwrap();
    let head_disk = b.disk(head, "d", s.head_disk.0, s.head_disk.1).unwrap();
    let core = b.link("core", s.core.0, s.core.1, sharing(s.core.2)).unwrap();
    let mut nodes = Vec::new();
    let mut links = Vec::new();
    for (i, &((bandwidth, latency, split), (read, write), cores)) in s.nodes.iter().enumerate() {
        let host = b.host(format!("n{i}"), 1e9, cores).unwrap();
        let disk = b.disk(host, "d", read, write).unwrap();
        let own = b.link(format!("l{i}"), bandwidth, latency, sharing(split)).unwrap();
        b.route(head, host, &[core, own]).unwrap();
        nodes.push((host, disk));
        links.push(own);
    }
    let mut sides = Vec::new();
    for &(a, c) in &s.side_routes {
        let (a, c) = (a % nodes.len(), c % nodes.len());
        if a != c && !sides.contains(&(a, c)) && !sides.contains(&(c, a)) {
            b.route(nodes[a].0, nodes[c].0, &[links[a], links[c]]).unwrap();
            sides.push((a, c));
        }
    }
    let mut engine = Engine::new(b.build());
    engine.set_class_threshold(classes);
    Built {
        engine,
        head,
        head_disk,
        nodes,
        sides,
    }
}

impl Built {
    fn activity(&self, a: &Act) -> Option<Activity> {
        let node = |i: usize| self.nodes[i % self.nodes.len()];
        Some(match *a {
            Act::Pull {
                node: n,
                to_disk,
                bytes,
            } => Activity::Stream {
                src_disk: self.head_disk,
                dst_host: node(n).0,
                dst_disk: to_disk.then_some(node(n).1),
                bytes,
            },
            Act::Send { node: n, up, bytes } => {
                let (src, dst) = if up {
                    (node(n).0, self.head)
                } else {
                    (self.head, node(n).0)
                };
                Activity::Transfer { src, dst, bytes }
            }
            Act::Side { pair, bytes } => {
                let &(a, c) = self.sides.get(pair)?;
                Activity::Transfer {
                    src: node(a).0,
                    dst: node(c).0,
                    bytes,
                }
            }
            Act::Compute {
                node: n,
                flops,
                priority,
                cores,
            } => Activity::Compute {
                host: node(n).0,
                flops,
                priority,
                cores,
            },
            Act::Write { node: n, bytes } => Activity::DiskWrite { disk: node(n).1, bytes },
            Act::Seq(ref steps) => Activity::Sequence(steps.iter().filter_map(|s| self.activity(s)).collect()),
        })
    }
}

/// What happened to each activity: its completion date, or what was left when cancelled.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    Pending,
    Done(f64),
    Cancelled(f64),
}

/// Runs the scenario; every event is followed by a check of the sharing invariants.
fn run(s: &Star, acts: &[(f64, Act)], cancels: &[(f64, usize)], classes: usize) -> Result<Vec<Outcome>, String> {
    const CANCEL: u64 = 1 << 32;
    let mut built = build(s, classes);
    for (i, (start, _)) in acts.iter().enumerate() {
        built.engine.timer(*start, i as u64).unwrap();
    }
    for (k, (date, _)) in cancels.iter().enumerate() {
        built.engine.timer(*date, CANCEL + k as u64).unwrap();
    }
    let mut outcomes = vec![Outcome::Pending; acts.len()];
    let mut live: Vec<(ActivityId, usize)> = Vec::new();
    while let Some(ev) = built.engine.next_event() {
        match ev.kind {
            EventKind::Timer(_) if ev.tag >= CANCEL => {
                let target = cancels[(ev.tag - CANCEL) as usize].1;
                if let Some(k) = live.iter().position(|l| l.1 == target) {
                    let (id, i) = live.remove(k);
                    outcomes[i] = Outcome::Cancelled(built.engine.cancel(id).expect("live id"));
                }
            }
            EventKind::Timer(_) => {
                let i = ev.tag as usize;
                if let Some(a) = built.activity(&acts[i].1) {
                    live.push((built.engine.start(a, ev.tag).unwrap(), i));
                }
            }
            EventKind::Completed(id) => {
                let k = live.iter().position(|l| l.0 == id).expect("a live activity");
                outcomes[live.remove(k).1] = Outcome::Done(ev.time);
            }
        }
        built.engine.check().map_err(|v| format!("at {}: {v}", ev.time))?;
    }
    Ok(outcomes)
}

fn close(a: f64, b: f64, scale: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(scale)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn classes_give_the_general_solver_results(
        s in star(),
        acts in prop::collection::vec((start_date(), act()), 1..40),
        cancels in prop::collection::vec((0.0..4.0f64, 0..40usize), 0..5),
    ) {
        let general = run(&s, &acts, &cancels, usize::MAX).map_err(TestCaseError::fail)?;
        let classes = run(&s, &acts, &cancels, 2).map_err(TestCaseError::fail)?;
        for (i, (g, c)) in general.iter().zip(&classes).enumerate() {
            let same = match (*g, *c) {
                (Outcome::Done(a), Outcome::Done(b)) => close(a, b, 1e-3),
                // A remainder is compared with the activity's scale (bytes or flops).
                (Outcome::Cancelled(a), Outcome::Cancelled(b)) => close(a, b, 1e6),
                (a, b) => a == b,
            };
            prop_assert!(same, "activity {i} ({:?}): {g:?} by the general solver, {c:?} with classes", acts[i].1);
        }
    }
}

/// Many pulls through one core link: a class forms, flows join and leave
/// it, one flow whose own link is slow is held at its limit, and a
/// transfer the other way breaks the class up and then leaves; the dates
/// agree with the general solver's.
#[test]
fn a_crowd_of_pulls_matches_the_general_solver() {
    let mut nodes: Vec<_> = (0..200)
        .map(|i| ((1.25e8, 1e-5 * (1 + i % 3) as f64, false), (1e9, 1e9), 1))
        .collect();
    nodes[7].0.0 = 1e5;
    let s = Star {
        lv08: true,
        core: (1.25e9, 1e-4, false),
        head_disk: (1e10, 1e10),
        nodes,
        side_routes: Vec::new(),
    };
    let mut acts: Vec<(f64, Act)> = (0..200)
        .map(|i| {
            let pull = Act::Pull {
                node: i,
                to_disk: true,
                bytes: 1e8 * (1 + i % 5) as f64,
            };
            (i as f64 * 0.01, pull)
        })
        .collect();
    let send = Act::Send {
        node: 3,
        up: true,
        bytes: 1e7,
    };
    acts.push((1.0, send));
    let general = run(&s, &acts, &[(1.5, 11)], usize::MAX).unwrap();
    let classes = run(&s, &acts, &[(1.5, 11)], 2).unwrap();
    let mut worst: f64 = 0.0;
    for (g, c) in general.iter().zip(&classes) {
        match (*g, *c) {
            (Outcome::Done(a), Outcome::Done(b)) | (Outcome::Cancelled(a), Outcome::Cancelled(b)) => {
                worst = worst.max((a - b).abs() / a.abs().max(b.abs()));
            }
            _ => panic!("{g:?} against {c:?}"),
        }
    }
    assert!(worst <= 1e-9, "largest relative difference {worst:e}");
}

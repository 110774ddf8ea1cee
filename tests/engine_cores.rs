//! Computations given a share of cores (`Activity::Compute::cores`, what a
//! function's `limits { cpu N }` becomes): dates computed by hand.

use sls::engine::{Activity, Engine, EngineError, EventKind, HostId, PlatformBuilder};

/// One host of `cores` cores at 1 Gflop/s.
fn host(cores: u32) -> (Engine, HostId) {
    let mut b = PlatformBuilder::new();
    let h = b.host("node", 1e9, cores).unwrap();
    (Engine::new(b.build()), h)
}

/// (date, tag) of every completion, in order.
fn completions(e: &mut Engine) -> Vec<(f64, u64)> {
    std::iter::from_fn(|| e.next_event())
        .filter(|ev| matches!(ev.kind, EventKind::Completed(_)))
        .map(|ev| (ev.time, ev.tag))
        .collect()
}

#[test]
fn half_a_core_runs_at_half_speed_on_an_idle_host() {
    // 1e9 flops at 0.5 x 1 Gflop/s: 2 s, though the host's 4 cores are free.
    let (mut e, h) = host(4);
    e.start(Activity::compute(h, 1e9, 0.5), 1).unwrap();
    assert_eq!(completions(&mut e), vec![(2.0, 1)]);
}

#[test]
fn two_cores_run_one_computation_twice_as_fast() {
    // 1e9 flops at 2 x 1 Gflop/s on a free 2-core host: 0.5 s.
    let (mut e, h) = host(2);
    e.start(Activity::compute(h, 1e9, 2.0), 1).unwrap();
    assert_eq!(completions(&mut e), vec![(0.5, 1)]);
}

#[test]
fn two_cores_wanted_on_a_one_core_host_get_one() {
    let (mut e, h) = host(1);
    e.start(Activity::compute(h, 1e9, 2.0), 1).unwrap();
    assert_eq!(completions(&mut e), vec![(1.0, 1)]);
}

#[test]
fn a_busy_core_is_shared_in_proportion_to_cores() {
    // Shares 1 and 3 on one core: 0.25 and 0.75 Gflop/s. The share-3
    // computation (1.5e9 flops) ends at 2 s; the share-1 one has done
    // 0.5e9 of its 1e9 by then and finishes the rest alone in 0.5 s.
    let (mut e, h) = host(1);
    let one = e.start(Activity::compute(h, 1e9, 1.0), 1).unwrap();
    let three = e.start(Activity::compute(h, 1.5e9, 3.0), 3).unwrap();
    assert_eq!(e.rate(one), Some(0.25e9));
    assert_eq!(e.rate(three), Some(0.75e9));
    assert_eq!(completions(&mut e), vec![(2.0, 3), (2.5, 1)]);
}

#[test]
fn a_share_below_its_cap_is_still_weighed() {
    // Two cores, shares 0.5 and 2: the level L with 0.5 L + 2 L = 2 cores
    // gives 0.4 core (under the cap of 0.5) and 1.6 cores.
    let (mut e, h) = host(2);
    let small = e.start(Activity::compute(h, 1e9, 0.5), 1).unwrap();
    let wide = e.start(Activity::compute(h, 3e9, 2.0), 2).unwrap();
    let close = |got: Option<f64>, want: f64| (got.unwrap() - want).abs() < 1e-6 * want;
    assert!(close(e.rate(small), 0.4e9));
    assert!(close(e.rate(wide), 1.6e9));
}

#[test]
fn cores_must_be_positive() {
    let (mut e, h) = host(1);
    for cores in [0.0, -1.0, f64::NAN] {
        assert!(matches!(
            e.start(Activity::compute(h, 1.0, cores), 1),
            Err(EngineError::InvalidAmount { what: "cores", .. })
        ));
    }
}

//! Properties of the arrival generators over random rate profiles and windows:
//! order, window bounds, paced counts matching the rate integral, Poisson
//! counts matching it on average, and reproducibility from the seed.

use proptest::prelude::*;
use sls::ir::Distribution;
use sls::ir::workload::{Arrivals, RateProfile, RateSegment, Window};
use sls::workload::{Arrival, OpenArrivals, StreamRng};

/// Enough to see every property; streams without a bound are cut here.
const CAP: usize = 20_000;

fn segment() -> impl Strategy<Value = RateSegment> {
    let rate = prop_oneof![Just(0.0), 0.0..40.0f64];
    (prop_oneof![Just(0.0), 0.0..60.0f64], rate.clone(), rate).prop_map(|(duration, from, to)| RateSegment {
        duration,
        from,
        to,
    })
}

fn profile() -> impl Strategy<Value = RateProfile> {
    prop::collection::vec(segment(), 0..5).prop_map(|segments| RateProfile { segments })
}

fn window() -> impl Strategy<Value = Window> {
    (
        0.0..100.0f64,
        prop::option::of(0.0..150.0f64),
        prop::option::of(0..400u64),
        1..4u64,
    )
        .prop_map(|(start, duration, count, burst)| Window {
            start,
            duration,
            count,
            burst,
        })
}

fn arrivals() -> impl Strategy<Value = Arrivals> {
    prop_oneof![
        Just(Arrivals::Once),
        (0.01..10.0f64).prop_map(|p| Arrivals::Every {
            period: Distribution::Constant(p)
        }),
        (0.0..5.0f64, 0.0..5.0f64).prop_map(|(a, b)| Arrivals::Every {
            period: Distribution::Uniform {
                low: a.min(b),
                high: a.max(b) + 0.01
            }
        }),
        (0.01..5.0f64).prop_map(|mean| Arrivals::Every {
            period: Distribution::Exponential { mean }
        }),
        profile().prop_map(|profile| Arrivals::Paced { profile }),
        profile().prop_map(|profile| Arrivals::Poisson { profile }),
    ]
}

fn run(arrivals: &Arrivals, window: &Window, seed: u64) -> Vec<Arrival> {
    OpenArrivals::new(arrivals, window, StreamRng::new(seed, "work#0"))
        .take(CAP)
        .collect()
}

/// The integral of the rate over `[0, until)`, computed independently of the generator.
fn integral(profile: &RateProfile, until: f64) -> f64 {
    let (mut t, mut total) = (0.0, 0.0);
    for s in &profile.segments {
        let d = s.duration.min(until - t).max(0.0);
        if d > 0.0 {
            let end_rate = s.from + (s.to - s.from) * d / s.duration;
            total += d * (s.from + end_rate) / 2.0;
        }
        t += s.duration;
        if t >= until {
            return total;
        }
    }
    let last = profile.segments.last().map_or(0.0, |s| s.to);
    total + (until - t) * last
}

proptest! {
    #[test]
    fn arrivals_are_ordered_and_inside_the_window(a in arrivals(), w in window(), seed in any::<u64>()) {
        let all = run(&a, &w, seed);
        for pair in all.windows(2) {
            prop_assert!(pair[0].time <= pair[1].time, "{:?}", pair);
        }
        let end = w.start + w.duration.unwrap_or(f64::INFINITY);
        for arrival in &all {
            prop_assert!(arrival.time >= w.start && arrival.time < end, "{:?}", arrival);
            prop_assert_eq!(arrival.burst, w.burst);
        }
        if let Some(count) = w.count {
            prop_assert!(all.len() as u64 <= count);
        }
    }

    #[test]
    fn same_seed_same_sequence(a in arrivals(), w in window(), seed in any::<u64>()) {
        prop_assert_eq!(run(&a, &w, seed), run(&a, &w, seed));
    }

    #[test]
    fn paced_count_matches_the_rate_integral(p in profile(), span in 0.0..150.0f64) {
        let w = Window { start: 0.0, duration: Some(span), count: None, burst: 1 };
        let want = integral(&p, span);
        prop_assume!(want < CAP as f64);
        let got = run(&Arrivals::Paced { profile: p.clone() }, &w, 0).len() as f64;
        prop_assert!((got - want).abs() <= 1.0 + 1e-6, "{} arrivals for an integral of {}", got, want);
    }

    #[test]
    fn poisson_mean_count_matches_the_rate_integral(p in profile(), span in 1.0..150.0f64) {
        let w = Window { start: 0.0, duration: Some(span), count: None, burst: 1 };
        let want = integral(&p, span);
        prop_assume!(want < 2000.0);
        let runs = 60;
        let poisson = Arrivals::Poisson { profile: p.clone() };
        let total: usize = (0..runs).map(|seed| run(&poisson, &w, seed).len()).sum();
        let mean = total as f64 / runs as f64;
        // Five standard deviations of the mean of `runs` Poisson counts.
        let tolerance = 5.0 * (want / runs as f64).sqrt() + 1e-9;
        prop_assert!((mean - want).abs() <= tolerance, "mean {} for an integral of {}", mean, want);
    }
}

#[test]
fn poisson_constant_rate_has_poisson_counts() {
    // 400 windows of 10 s at 3/s: mean 30 and variance 30.
    let poisson = Arrivals::Poisson {
        profile: RateProfile::constant(3.0),
    };
    let w = Window {
        start: 0.0,
        duration: Some(10.0),
        count: None,
        burst: 1,
    };
    let counts: Vec<f64> = (0..400).map(|seed| run(&poisson, &w, seed).len() as f64).collect();
    let mean = counts.iter().sum::<f64>() / counts.len() as f64;
    let var = counts.iter().map(|c| (c - mean) * (c - mean)).sum::<f64>() / (counts.len() - 1) as f64;
    assert!((mean - 30.0).abs() < 1.5, "{mean}");
    assert!((var - 30.0).abs() < 8.0, "{var}");
}

#[test]
fn another_stream_key_gives_other_dates() {
    let poisson = Arrivals::Poisson {
        profile: RateProfile::constant(3.0),
    };
    let w = Window {
        start: 0.0,
        duration: None,
        count: Some(10),
        burst: 1,
    };
    let a: Vec<Arrival> = OpenArrivals::new(&poisson, &w, StreamRng::new(1, "work#0")).collect();
    let b: Vec<Arrival> = OpenArrivals::new(&poisson, &w, StreamRng::new(1, "work#1")).collect();
    assert_eq!(a.len(), 10);
    assert_ne!(a, b);
}

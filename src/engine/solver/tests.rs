//! Unit tests of the sharing solver.

use super::Solver;

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs())
}

#[test]
fn equal_weights_share_equally() {
    let mut s = Solver::new(&[10.0]);
    let vars: Vec<u32> = (0..4).map(|i| s.add_var(i, 1.0, f64::INFINITY, &[(0, 1.0)])).collect();
    for &v in &vars {
        s.enable(v);
    }
    s.solve();
    assert_eq!(s.changed().len(), 4);
    for &v in &vars {
        assert!(close(s.value(v), 2.5));
    }
    s.solve();
    assert!(s.changed().is_empty(), "nothing changed");
}

#[test]
fn weights_and_bounds() {
    // Two variables on one capacity of 3: weights 1 and 2 give 1 and 2;
    // bounding the second at 1.5 hands the rest to the first.
    let mut s = Solver::new(&[3.0]);
    let a = s.add_var(0, 1.0, f64::INFINITY, &[(0, 1.0)]);
    let b = s.add_var(1, 2.0, 1.5, &[(0, 1.0)]);
    for v in [a, b] {
        s.enable(v);
    }
    s.solve();
    assert!(close(s.value(a), 1.5));
    assert!(close(s.value(b), 1.5));
}

#[test]
fn parking_lot() {
    // Links 0 (cap 125) and 1 (cap 50); flow AC uses both, AB link 0, BC link 1.
    let mut s = Solver::new(&[125.0, 50.0]);
    let ac = s.add_var(0, 1.0, 50.0, &[(0, 1.0), (1, 1.0)]);
    let ab = s.add_var(1, 1.0, 125.0, &[(0, 1.0)]);
    let bc = s.add_var(2, 1.0, 50.0, &[(1, 1.0)]);
    for v in [ac, ab, bc] {
        s.enable(v);
    }
    s.solve();
    assert!(close(s.value(ac), 25.0));
    assert!(close(s.value(bc), 25.0));
    assert!(close(s.value(ab), 100.0));
    s.check().unwrap();
    // Removing AB changes nothing for the others: they are bound by link 1.
    s.remove(ab);
    s.solve();
    assert!(s.changed().is_empty());
    // Removing BC lets AC take link 1 entirely.
    s.remove(bc);
    s.solve();
    assert_eq!(s.changed(), &[ac]);
    assert!(close(s.value(ac), 50.0));
}

#[test]
fn untouched_components_are_not_reported() {
    let mut s = Solver::new(&[1.0, 1.0]);
    let a = s.add_var(0, 1.0, f64::INFINITY, &[(0, 1.0)]);
    s.enable(a);
    let b = s.add_var(1, 1.0, f64::INFINITY, &[(1, 1.0)]);
    s.enable(b);
    s.solve();
    let c = s.add_var(2, 1.0, f64::INFINITY, &[(1, 1.0)]);
    s.enable(c);
    s.solve();
    let mut changed = s.changed().to_vec();
    changed.sort_unstable();
    assert_eq!(changed, vec![b, c]);
    assert!(close(s.value(a), 1.0));
    assert!(close(s.value(b), 0.5));
}

/// 100 variables through one hub, each with a private constraint of its
/// own: once they are a class, a newcomer is the only variable reported
/// (the others follow the class's level), and the values are max-min fair.
#[test]
fn a_class_reports_its_level_not_its_members() {
    // Capacity 0 is the hub (1000); 1..=101 are private (30 each, 5 for var 0).
    let mut capacities = vec![1000.0];
    capacities.extend((0..101).map(|i| if i == 0 { 5.0 } else { 30.0 }));
    let mut s = Solver::new(&capacities);
    s.set_class_min(2);
    let vars: Vec<u32> = (0..100)
        .map(|i| s.add_var(i, 1.0, f64::INFINITY, &[(0, 1.0), (i + 1, 1.0)]))
        .collect();
    for &v in &vars {
        s.enable(v);
    }
    s.solve();
    assert_eq!(s.changed().len(), 100);
    assert_eq!(s.changed_classes().len(), 1);
    // Var 0 is held at its own 5; the other 99 share 995.
    assert!(close(s.value(vars[0]), 5.0));
    assert!(close(s.value(vars[1]), 995.0 / 99.0));
    s.check().unwrap();
    let newcomer = s.add_var(100, 1.0, f64::INFINITY, &[(0, 1.0), (101, 1.0)]);
    s.enable(newcomer);
    s.solve();
    assert_eq!(s.changed(), &[newcomer]);
    assert!(close(s.value(newcomer), 9.95));
    assert!(close(s.value(vars[1]), 9.95));
    // Removing a member moves the level only.
    s.remove(vars[2]);
    s.solve();
    assert!(s.changed().is_empty());
    assert!(close(s.value(vars[1]), 995.0 / 99.0));
}

/// A variable that would put a second user on a member's own constraint
/// breaks the class up: the general solver takes every member back.
#[test]
fn a_misfit_dissolves_the_class() {
    let mut s = Solver::new(&[100.0, 50.0, 50.0, 50.0]);
    s.set_class_min(2);
    let a = s.add_var(0, 1.0, f64::INFINITY, &[(0, 1.0), (1, 1.0)]);
    let b = s.add_var(1, 1.0, f64::INFINITY, &[(0, 1.0), (2, 1.0)]);
    let c = s.add_var(2, 1.0, f64::INFINITY, &[(0, 1.0), (3, 1.0)]);
    for v in [a, b, c] {
        s.enable(v);
    }
    s.solve();
    assert_eq!(s.changed_classes().len(), 1);
    // Another user of `a`'s own constraint 1 (and of nothing else).
    let d = s.add_var(3, 1.0, f64::INFINITY, &[(1, 1.0)]);
    s.enable(d);
    s.solve();
    let mut changed = s.changed().to_vec();
    changed.sort_unstable();
    assert_eq!(changed, vec![a, b, c, d]);
    // Max-min: a and d share constraint 1 at 25 each; b and c share the rest of 100.
    assert!(close(s.value(a), 25.0));
    assert!(close(s.value(d), 25.0));
    assert!(close(s.value(b), 37.5));
    s.check().unwrap();
}

//! Runs over crowds of thousands of nodes, where whole stretches of words
//! are taken at once ([`super::stretch`]), against the same runs taken
//! node by node: the stretches must end where a bound, a count, a stop or
//! a node not allowed ends the run, to the node.

use super::*;

/// Nodes of the sets below: three whole blocks of 4,096 and a part.
const N: u32 = 13_000;

/// The nodes `0..N` for which `keep` holds.
fn set_of(keep: impl Fn(u32) -> bool) -> NodeSet {
    let mut set = NodeSet::new(N as usize);
    (0..N).filter(|n| keep(*n)).for_each(|n| set.insert(NodeId(n)));
    set
}

/// Crowds: every node; holes now and then; a sparse scatter (a fixed
/// pseudo-random draw).
fn crowds() -> Vec<NodeSet> {
    vec![
        set_of(|_| true),
        set_of(|n| n % 1_000 != 999 && !(5_000..5_003).contains(&n)),
        set_of(|n| n.wrapping_mul(2_654_435_761) % 10 < 7),
    ]
}

fn members_of(set: &NodeSet) -> Vec<u32> {
    set.iter().map(|n| n.0).collect()
}

#[test]
fn common_nodes_taken_by_stretches_are_those_taken_node_by_node() {
    let ends = [None, Some(4_096), Some(7_000), Some(12_999)].map(|e| e.map(NodeId));
    let stops = [
        NodeSet::new(N as usize),
        set_of(|n| n == 5_001 || n == 9_000),
        set_of(|n| n == 12_999),
    ];
    for (a, free) in crowds().iter().enumerate() {
        for (b, with) in crowds().iter().enumerate() {
            for stop in &stops {
                for end in ends {
                    for most in [1, 63, 64, 100, 4_096, 5_000, 8_200, 20_000] {
                        let mut fast = free.clone();
                        let got = fast.take_lowest_common(with, end, stop, most);
                        // Node by node: below the bound, at most `most`,
                        // short of the first stop.
                        let mut slow = free.clone();
                        let mut want = (0, None);
                        for n in members_of(free) {
                            let node = NodeId(n);
                            if end.is_some_and(|e| node >= e) || !with.contains(node) {
                                continue;
                            }
                            if want.0 == most {
                                break;
                            }
                            if stop.contains(node) {
                                want.1 = Some(node);
                                break;
                            }
                            slow.remove(node);
                            want.0 += 1;
                        }
                        let case = format!("crowds {a} and {b}, end {end:?}, most {most}");
                        assert_eq!(got, want, "{case}");
                        assert_eq!(members_of(&fast), members_of(&slow), "{case}");
                        assert_eq!(fast.first(), slow.first(), "{case}: the summary");
                    }
                }
            }
        }
    }
}

#[test]
fn runs_taken_by_stretches_are_those_taken_node_by_node() {
    for (a, set) in crowds().iter().enumerate() {
        for (b, allowed) in crowds().iter().enumerate() {
            for from in [0, 64, 100, 4_096, 6_000] {
                for most in [1, 63, 64, 100, 4_096, 5_000, 8_200, 20_000] {
                    let mut fast = set.clone();
                    let mut took = Vec::new();
                    let got = fast.take_lowest_run(from, most, &|i| allowed.word(i), |i, words| {
                        for (k, bits) in words.iter().enumerate() {
                            took.extend(Bits(*bits).map(|b| (i + k) as u32 * 64 + b))
                        }
                    });
                    let mut slow = set.clone();
                    let mut want = ((0, false), Vec::new());
                    for n in members_of(set).into_iter().filter(|n| *n as usize >= from) {
                        if want.1.len() == most {
                            break;
                        }
                        if !allowed.contains(NodeId(n)) {
                            want.0.1 = true;
                            break;
                        }
                        slow.remove(NodeId(n));
                        want.1.push(n);
                    }
                    want.0.0 = want.1.len();
                    let case = format!("crowds {a} and {b}, from {from}, most {most}");
                    assert_eq!((got, took), want, "{case}");
                    assert_eq!(members_of(&fast), members_of(&slow), "{case}");
                    assert_eq!(fast.first_from(from), slow.first_from(from), "{case}: the summary");
                }
            }
        }
    }
}

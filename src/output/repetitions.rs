//! Repetitions that are not samples. A point's repetitions run with seeds
//! of their own so that their spread measures what chance does to the
//! results; when nothing in the model depends on the seed they all give
//! the same summary, and the sweep table's confidence interval, of no
//! width, reads as certainty where there was a single sample. The checker
//! cannot know that beforehand (a draw may have no effect: `random` over
//! one node, `uniform(1s, 1s)`), so it is told after the runs, from their
//! summaries.

use indexmap::IndexMap;

use crate::ir::Program;
use crate::report::Summary;

use super::manifest::RunEntry;

/// What to say of the points of `program` whose repetitions among `runs`
/// (with their `summaries`, in the same order) all gave the same summary,
/// when any did; nothing when no point ran twice.
pub fn alike_repetitions(program: &Program, runs: &[RunEntry], summaries: &[Summary]) -> Option<String> {
    let mut by_point: IndexMap<usize, Vec<&Summary>> = IndexMap::new();
    for (entry, summary) in runs.iter().zip(summaries) {
        by_point.entry(entry.point).or_default().push(summary);
    }
    let repeated: Vec<(usize, &Vec<&Summary>)> = by_point
        .iter()
        .filter(|(_, runs)| runs.len() > 1)
        .map(|(&point, runs)| (point, runs))
        .collect();
    let alike: Vec<(usize, usize)> = repeated
        .iter()
        .filter(|(_, runs)| runs[1..].iter().all(|s| same_results(runs[0], s)))
        .map(|(point, runs)| (*point, runs.len()))
        .collect();
    let &(first, count) = alike.first()?;
    let why = "nothing in the model depends on the seed, so they are one sample, not several, \
               and their confidence interval has no width; give the model a random draw (a \
               distribution, a `poisson` stream, a `random` scheduler) or drop `repeat`";
    let label = program.points[first].label();
    // Who gave it, and where the reason holds: one sentence for every case.
    let (who, at) = match (repeated.len(), alike.len()) {
        (1, _) if label.is_empty() => (format!("the {count} repetitions"), ""),
        (1, _) => (format!("the {count} repetitions of `{label}`"), ""),
        (r, a) if r == a => (format!("the repetitions of each of the {a} points"), ""),
        (r, a) => (
            format!("the repetitions of {a} of the {r} points (`{label}` first)"),
            "at those points ",
        ),
    };
    Some(format!("{who} gave the same summary with their own seeds: {at}{why}"))
}

/// Whether two runs' summaries say the same of the simulation, the run
/// each describes aside (its seed, repetition and folder). Every field is
/// named, so that one added is compared or left out on purpose.
fn same_results(a: &Summary, b: &Summary) -> bool {
    let Summary {
        run: _,
        totals,
        makespan,
        workflows,
        bus,
        nodes,
        cost,
        warnings,
        services,
        functions,
    } = a;
    *totals == b.totals
        && *makespan == b.makespan
        && *workflows == b.workflows
        && *bus == b.bus
        && *nodes == b.nodes
        && *cost == b.cost
        && *warnings == b.warnings
        && *services == b.services
        && *functions == b.functions
}

//! Checking workflows: edge chains become a petgraph dependency graph;
//! cycles, unknown functions, bad percentages and joins that can never run
//! are diagnostics.

use crate::code::Code;
use indexmap::IndexMap;
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::diagnostic::Diagnostic;
use crate::ir::function::{Function, FunctionId};
use crate::ir::workflow::{Edge, Workflow};
use crate::syntax::ast;
use crate::syntax::source::Span;

use super::context::{Ctx, Names};

pub(crate) fn check_workflow(
    ctx: &mut Ctx,
    decl: &ast::Workflow,
    functions: &Names<FunctionId>,
    declared: &[Function],
) -> Option<Workflow> {
    let mut graph: DiGraph<FunctionId, Edge> = DiGraph::new();
    let mut nodes: IndexMap<String, (NodeIndex, Span)> = IndexMap::new();
    let mut edge_spans: Vec<Span> = Vec::new();
    let mut next_choice = 0u32;
    let mut ok = true;
    if decl.chains.is_empty() {
        ctx.error(
            Diagnostic::new(
                Code::EmptyWorkflow,
                format!("workflow `{}` has no edges", decl.name.name),
                decl.name.span,
                "empty",
            )
            .with_help("write its dependencies: `extract -> [resize, classify] -> store`"),
        );
        return None;
    }
    let mut node_of = |ctx: &mut Ctx, graph: &mut DiGraph<FunctionId, Edge>, n: &ast::FlowNode| -> Option<NodeIndex> {
        if let Some((index, _)) = nodes.get(&n.function.name) {
            return Some(*index);
        }
        let id = functions.resolve(ctx, &n.function)?;
        if declared[id.0 as usize].template {
            ctx.error(
                Diagnostic::new(
                    Code::TemplateInWorkflow,
                    format!(
                        "`{}` uses `trace.*`, which a workflow cannot give it",
                        n.function.name
                    ),
                    n.function.span,
                    "trace template",
                )
                .with_help(
                    "use a function with fixed or random amounts in a workflow; a `trace.*` function runs from a replay (`replay ... as NAME`) or an `invoke NAME with { ... }` that gives its values",
                ),
            );
            return None;
        }
        let index = graph.add_node(id);
        nodes.insert(n.function.name.clone(), (index, n.function.span));
        Some(index)
    };
    for chain in &decl.chains {
        for (position, pair) in chain.groups.windows(2).enumerate() {
            let (sources, targets) = (&pair[0], &pair[1]);
            if position == 0 {
                for n in &sources.nodes {
                    if let Some((_, span)) = n.percent {
                        ctx.error(
                            Diagnostic::new(
                                Code::MisplacedPercent,
                                "a percentage belongs to the node an edge leads to",
                                span,
                                "no edge leads here",
                            )
                            .with_help("put the percentage after a node on the right of `->`: `a -> b 30%`"),
                        );
                        ok = false;
                    }
                }
                if sources.either {
                    ctx.error(
                        Diagnostic::new(Code::MisplacedEither, "`either` chooses among the targets of an edge", sources.span, "nothing chooses here")
                            .with_help("start the chain with the function that makes the choice: `check -> either [ok 90%, retry 10%]`"),
                    );
                    ok = false;
                }
            }
            let weights = if targets.either {
                either_weights(ctx, targets)
            } else {
                Some(Vec::new())
            };
            let Some(weights) = weights else {
                ok = false;
                continue;
            };
            let choice = targets.either.then(|| {
                next_choice += 1;
                next_choice - 1
            });
            for source in &sources.nodes {
                let Some(from) = node_of(ctx, &mut graph, source) else {
                    ok = false;
                    continue;
                };
                for (k, target) in targets.nodes.iter().enumerate() {
                    let Some(to) = node_of(ctx, &mut graph, target) else {
                        ok = false;
                        continue;
                    };
                    let edge = match choice {
                        Some(choice) => Edge::Choice {
                            choice,
                            weight: weights[k],
                        },
                        None => match target.percent {
                            None => Edge::Chance(1.0),
                            Some((p, span)) => {
                                if !(p > 0.0 && p <= 100.0) {
                                    ctx.error(
                                        Diagnostic::new(
                                            Code::OutOfRange,
                                            format!("an edge taken {p}% of the time"),
                                            span,
                                            "not in (0%, 100%]",
                                        )
                                        .with_help("write a percentage above 0% and at most 100%"),
                                    );
                                    ok = false;
                                }
                                Edge::Chance(p / 100.0)
                            }
                        },
                    };
                    if graph.find_edge(from, to).is_some() {
                        ctx.error(
                            Diagnostic::new(
                                Code::DuplicateEdge,
                                format!(
                                    "the edge `{}` -> `{}` is written twice",
                                    source.function.name, target.function.name
                                ),
                                target.span,
                                "already an edge",
                            )
                            .with_help("write each dependency once"),
                        );
                        ok = false;
                        continue;
                    }
                    graph.add_edge(from, to, edge);
                    edge_spans.push(source.span.to(target.span));
                }
            }
        }
    }
    if !ok {
        return None;
    }
    if let Some(cycle_edge) = cycle_edge(&graph) {
        let (from, to) = graph.edge_endpoints(cycle_edge)?;
        let name = |n: NodeIndex| declared[graph[n].0 as usize].name.clone();
        ctx.error(
            Diagnostic::new(
                Code::WorkflowCycle,
                format!(
                    "workflow `{}` has a cycle through `{}` and `{}`",
                    decl.name.name,
                    name(from),
                    name(to)
                ),
                edge_spans[cycle_edge.index()],
                "this edge closes a cycle",
            )
            .with_help("a workflow is a dependency graph without cycles; remove an edge of the cycle"),
        );
        return None;
    }
    if let Some((join, a, b)) = impossible_join(&graph) {
        let name = |n: NodeIndex| declared[graph[n].0 as usize].name.clone();
        let span = nodes
            .values()
            .find(|(n, _)| *n == join)
            .map_or(decl.name.span, |(_, s)| *s);
        ctx.error(
            Diagnostic::new(
                Code::JoinNeverCompletes,
                format!(
                    "`{}` can never run: it waits for both `{}` and `{}`, but an `either` runs only one of them",
                    name(join),
                    name(a),
                    name(b)
                ),
                span,
                "join that never completes",
            )
            .with_help("a node waits for all its predecessors; give each branch of the `either` its own successor"),
        );
        return None;
    }
    Some(Workflow {
        name: decl.name.name.clone(),
        graph,
    })
}

/// Weights of an `either` group: the percentages, summing to 100%, or equal
/// shares when none is written.
fn either_weights(ctx: &mut Ctx, group: &ast::NodeGroup) -> Option<Vec<f64>> {
    let written: Vec<Option<f64>> = group.nodes.iter().map(|n| n.percent.map(|(p, _)| p)).collect();
    if written.iter().all(Option::is_none) {
        let share = 1.0 / group.nodes.len() as f64;
        return Some(vec![share; group.nodes.len()]);
    }
    if written.iter().any(Option::is_none) {
        ctx.error(
            Diagnostic::new(
                Code::EitherPercentages,
                "some branches of this `either` have no percentage",
                group.span,
                "incomplete",
            )
            .with_help("give every branch a percentage (`either [ok 90%, retry 10%]`), or none for equal shares"),
        );
        return None;
    }
    let total: f64 = written.iter().flatten().sum();
    if (total - 100.0).abs() > 1e-9 || written.iter().flatten().any(|p| *p < 0.0) {
        ctx.error(
            Diagnostic::new(
                Code::EitherPercentages,
                format!("the branches of this `either` add up to {total}%, not 100%"),
                group.span,
                "exactly one branch runs",
            )
            .with_help("make the percentages add up to 100%"),
        );
        return None;
    }
    Some(written.iter().flatten().map(|p| p / 100.0).collect())
}

/// An edge on a cycle, if there is one (the first in edge order).
fn cycle_edge(graph: &DiGraph<FunctionId, Edge>) -> Option<petgraph::graph::EdgeIndex> {
    let mut component = vec![usize::MAX; graph.node_count()];
    for (c, scc) in tarjan_scc(graph).iter().enumerate() {
        for n in scc {
            component[n.index()] = c;
        }
    }
    graph
        .edge_references()
        .find(|e| e.source() == e.target() || component[e.source().index()] == component[e.target().index()])
        .map(|e| e.id())
}

/// A node that needs two different outcomes of one `either` (AND join over
/// exclusive branches), with the two predecessors that conflict.
fn impossible_join(graph: &DiGraph<FunctionId, Edge>) -> Option<(NodeIndex, NodeIndex, NodeIndex)> {
    // The outcome of each choice that a node's running implies, with the
    // predecessor that implies it.
    let order = petgraph::algo::toposort(graph, None).ok()?;
    let mut needs: Vec<IndexMap<u32, (NodeIndex, NodeIndex)>> = vec![IndexMap::new(); graph.node_count()];
    for node in order {
        let mut required: IndexMap<u32, (NodeIndex, NodeIndex)> = IndexMap::new();
        for edge in graph.edges_directed(node, petgraph::Direction::Incoming) {
            let pred = edge.source();
            let mut implied: Vec<(u32, (NodeIndex, NodeIndex))> =
                needs[pred.index()].iter().map(|(c, v)| (*c, (v.0, pred))).collect();
            if let Edge::Choice { choice, .. } = edge.weight() {
                implied.push((*choice, (node, pred)));
            }
            for (choice, (outcome, via)) in implied {
                match required.get(&choice) {
                    Some((other, other_via)) if *other != outcome => {
                        return Some((node, *other_via, via));
                    }
                    Some(_) => {}
                    None => {
                        required.insert(choice, (outcome, via));
                    }
                }
            }
        }
        needs[node.index()] = required;
    }
    None
}

//! `sls graph`: the model as a Graphviz DOT digraph — invocation streams,
//! workflows (one cluster each, edges labelled with their probability),
//! functions, images, services and the hosts they run on.

use std::fmt::Write;

use petgraph::visit::EdgeRef;

use super::Model;
use super::workflow::Edge;
use super::workload::Target;

/// Renders the model as DOT. Node ids are stable (`f0`, `w1n2`, ...), so the
/// output of a script is the same bytes every time.
pub fn to_dot(model: &Model) -> String {
    let mut out = String::from("digraph sls {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n");
    for (i, stream) in model.streams.iter().enumerate() {
        let _ = writeln!(out, "  s{i} [shape=plaintext, label={}];", quote(&stream.key));
        let target = match stream.target {
            Target::Function(f) => format!("f{}", f.0),
            Target::Workflow(w) => format!("w{}", w.0),
        };
        let _ = writeln!(out, "  s{i} -> {target} [style=dashed];");
    }
    for (i, replay) in model.replays.iter().enumerate() {
        let _ = writeln!(out, "  r{i} [shape=plaintext, label={}];", quote(&replay.key));
        let _ = writeln!(out, "  r{i} -> v{} [style=dashed];", replay.service.0);
    }
    for (w, workflow) in model.workflows.iter().enumerate() {
        let _ = writeln!(out, "  subgraph cluster_w{w} {{\n    label={};", quote(&workflow.name));
        let _ = writeln!(out, "    w{w} [shape=point];");
        for node in workflow.graph.node_indices() {
            let function = &model.functions[workflow.graph[node].0 as usize];
            let _ = writeln!(out, "    w{w}n{} [label={}];", node.index(), quote(&function.name));
        }
        for root in workflow.roots() {
            let _ = writeln!(out, "    w{w} -> w{w}n{};", root.index());
        }
        for edge in workflow.graph.edge_references() {
            let label = match *edge.weight() {
                Edge::Chance(p) if p >= 1.0 => String::new(),
                Edge::Chance(p) => format!(" [label=\"{}%\"]", p * 100.0),
                Edge::Choice { choice, weight } => {
                    format!(" [label=\"either {choice}: {}%\", style=bold]", weight * 100.0)
                }
            };
            let _ = writeln!(
                out,
                "    w{w}n{} -> w{w}n{}{label};",
                edge.source().index(),
                edge.target().index()
            );
        }
        for node in workflow.graph.node_indices() {
            let _ = writeln!(
                out,
                "    w{w}n{} -> f{} [style=dotted];",
                node.index(),
                workflow.graph[node].0
            );
        }
        out.push_str("  }\n");
    }
    for (f, function) in model.functions.iter().enumerate() {
        let _ = writeln!(out, "  f{f} [shape=box, label={}];", quote(&function.name));
        let _ = writeln!(out, "  f{f} -> i{};", function.image.0);
    }
    for (i, image) in model.images.iter().enumerate() {
        let _ = writeln!(out, "  i{i} [shape=folder, label={}];", quote(&image.name));
    }
    for (v, service) in model.services.iter().enumerate() {
        let _ = writeln!(out, "  v{v} [shape=component, label={}];", quote(&service.name));
        for host in &service.compute {
            let _ = writeln!(out, "  v{v} -> h{};", host.0);
        }
    }
    for (h, host) in model.platform.hosts.iter().enumerate() {
        let _ = writeln!(out, "  h{h} [shape=box3d, label={}];", quote(&host.name));
    }
    out.push_str("}\n");
    out
}

fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

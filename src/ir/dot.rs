//! `sls graph`: the model as a Graphviz DOT digraph — invocation streams
//! and the service each targets, workflows (one cluster each, edges
//! labelled with their probability and the data they pass), functions,
//! images, services, and the platform: hosts, links and routes (a family
//! of more than [`super::fold::FOLD_OVER`] hosts or links drawn as one).

use std::fmt::Write;

use indexmap::IndexSet;
use petgraph::visit::EdgeRef;

use super::Model;
use super::distribution::Distribution;
use super::fold::{Folded, fold};
use super::function::{Amount, Step};
use super::workflow::Edge;
use super::workload::Target;

/// Renders the model as DOT. Node ids are stable (`f0`, `w1n2`, ...), so the
/// output of a script is the same bytes every time.
pub fn to_dot(model: &Model) -> String {
    let mut out = String::from("digraph sls {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n");
    let streams = fold(model.streams.iter().map(|s| s.key.as_str()));
    let functions = fold(model.functions.iter().map(|f| f.name.as_str()));
    let images = fold(model.images.iter().map(|i| i.name.as_str()));
    let hosts = fold(model.platform.hosts.iter().map(|h| h.name.as_str()));
    let links = fold(model.platform.links.iter().map(|l| l.name.as_str()));
    for (i, stream) in model.streams.iter().enumerate() {
        if !streams.drawn(i) {
            continue;
        }
        let label = streams.label(i, "streams").unwrap_or_else(|| stream.key.clone());
        let _ = writeln!(out, "  s{i} [shape=plaintext, label={}];", label_text(&label));
        // A folded family's edges: each target and service of its members once.
        let mut edges = IndexSet::new();
        for member in streams.members(i) {
            let stream = &model.streams[member];
            let target = match stream.target {
                Target::Function(f) => format!("f{}", functions.drawn_as[f.0 as usize]),
                Target::Workflow(w) => format!("w{}", w.0),
            };
            edges.insert(format!("  s{i} -> {target} [style=dashed];"));
            edges.insert(format!("  s{i} -> v{} [style=dotted, label=\"on\"];", stream.service.0));
        }
        for edge in edges {
            let _ = writeln!(out, "{edge}");
        }
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
            let source = &model.functions[workflow.graph[edge.source()].0 as usize];
            let data = output_size(&source.body).map_or(String::new(), |size| format!("\\n{size}"));
            let label = match *edge.weight() {
                Edge::Chance(p) if p >= 1.0 && data.is_empty() => String::new(),
                Edge::Chance(p) if p >= 1.0 => format!(" [label=\"{}\"]", &data[2..]),
                Edge::Chance(p) => format!(" [label=\"{}%{data}\"]", p * 100.0),
                Edge::Choice { choice, weight } => {
                    format!(" [label=\"either {choice}: {}%{data}\", style=bold]", weight * 100.0)
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
                functions.drawn_as[workflow.graph[node].0 as usize]
            );
        }
        out.push_str("  }\n");
    }
    for (f, function) in model.functions.iter().enumerate() {
        if !functions.drawn(f) {
            continue;
        }
        thing(
            &mut out,
            &format!("f{f}"),
            "box",
            &functions,
            f,
            &function.name,
            "functions",
        );
        let drawn: IndexSet<usize> = functions
            .members(f)
            .into_iter()
            .map(|m| images.drawn_as[model.functions[m].image.0 as usize])
            .collect();
        for image in drawn {
            let _ = writeln!(out, "  f{f} -> i{image};");
        }
    }
    for (i, image) in model.images.iter().enumerate() {
        thing(&mut out, &format!("i{i}"), "folder", &images, i, &image.name, "images");
    }
    for (v, service) in model.services.iter().enumerate() {
        let _ = writeln!(out, "  v{v} [shape=component, label={}];", quote(&service.name));
        let mut drawn = IndexSet::new();
        for host in &service.compute {
            if drawn.insert(hosts.drawn_as[host.0 as usize]) {
                let _ = writeln!(out, "  v{v} -> h{};", hosts.drawn_as[host.0 as usize]);
            }
        }
    }
    for (h, host) in model.platform.hosts.iter().enumerate() {
        thing(&mut out, &format!("h{h}"), "box3d", &hosts, h, &host.name, "hosts");
    }
    for (l, link) in model.platform.links.iter().enumerate() {
        let label = match links.label(l, "links") {
            Some(label) => {
                let members = links.members(l);
                let alike = members
                    .iter()
                    .map(|m| &model.platform.links[*m])
                    .all(|m| m.bandwidth == link.bandwidth && m.latency == link.latency);
                let each = if alike {
                    format!("{}, {}", rate(link.bandwidth), duration(link.latency))
                } else {
                    "bandwidths and latencies differ".to_string()
                };
                format!("{label}, {each}")
            }
            None if links.drawn(l) => {
                format!("{}\n{}, {}", link.name, rate(link.bandwidth), duration(link.latency))
            }
            None => continue,
        };
        let _ = writeln!(
            out,
            "  l{l} [shape=ellipse, style=dashed, label={}];",
            label_text(&label)
        );
    }
    // A route is a chain host - link - ... - host, drawn without arrows;
    // once for all the members of folded families it joins.
    let mut chains = IndexSet::new();
    for route in &model.platform.routes {
        let mut chain = vec![format!("h{}", hosts.drawn_as[route.a.0 as usize])];
        chain.extend(route.links.iter().map(|l| format!("l{}", links.drawn_as[l.0 as usize])));
        chain.push(format!("h{}", hosts.drawn_as[route.b.0 as usize]));
        chains.insert(chain.join(" -> "));
    }
    for chain in chains {
        let _ = writeln!(out, "  {chain} [dir=none, color=gray40];");
    }
    out.push_str("}\n");
    out
}

/// The node of thing `i` of a folded list (`id`, drawn as `shape`): its
/// name, or its family's range and count (`noun`) drawn doubled; nothing
/// for a member its family's node stands for.
fn thing(out: &mut String, id: &str, shape: &str, folded: &Folded, i: usize, name: &str, noun: &str) {
    match folded.label(i, noun) {
        Some(label) => {
            let _ = writeln!(
                out,
                "  {id} [shape={shape}, peripheries=2, label={}];",
                label_text(&label)
            );
        }
        None if folded.drawn(i) => {
            let _ = writeln!(out, "  {id} [shape={shape}, label={}];", quote(name));
        }
        None => {}
    }
}

/// A label of several lines, quoted, its line breaks as DOT writes them.
fn label_text(text: &str) -> String {
    quote(text).replace('\n', "\\n")
}

fn quote(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The data a function's body passes to its successors: `1 MB`, or its
/// mean for a random amount (`~1.5 MB`); `None` when it passes none.
fn output_size(body: &[Step]) -> Option<String> {
    let mut total = 0.0;
    let mut random = false;
    for step in body {
        if let Step::Output(amount) = step {
            match amount {
                Amount::Drawn(Distribution::Constant(v)) => total += v,
                Amount::Drawn(d) => {
                    total += d.mean();
                    random = true;
                }
                Amount::TraceDuration | Amount::TraceMemory => random = true,
            }
        }
    }
    (total > 0.0 || random).then(|| format!("{}{}", if random { "~" } else { "" }, bytes(total)))
}

/// Bytes in decimal units: `250 MB`.
fn bytes(b: f64) -> String {
    scaled(b, &["B", "kB", "MB", "GB", "TB"])
}

/// A data rate in bytes per second: `125 MBps`.
fn rate(bps: f64) -> String {
    scaled(bps, &["Bps", "kBps", "MBps", "GBps", "TBps"])
}

fn scaled(mut value: f64, units: &[&str]) -> String {
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < units.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{} {}", trim(value), units[unit])
}

/// A latency: `10 us`, `2.5 ms`, `1 s`.
fn duration(seconds: f64) -> String {
    match seconds {
        0.0 => "0 s".to_string(),
        s if s < 1e-3 => format!("{} us", trim(s * 1e6)),
        s if s < 1.0 => format!("{} ms", trim(s * 1e3)),
        s => format!("{} s", trim(s)),
    }
}

/// A number with at most three decimals, without trailing zeros.
fn trim(value: f64) -> String {
    let text = format!("{value:.3}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

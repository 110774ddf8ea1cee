//! Checks that span several blocks: compute hosts of a service are alike and
//! can hold containers, every pair of hosts that must talk has a route, and
//! every function fits the nodes of the services that run it (WRENCH refuses
//! the registration of a function that could never run).

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::Distribution;
use crate::ir::Model;
use crate::ir::function::{Amount, FunctionId, Step};
use crate::ir::platform::HostId;
use crate::ir::service::{Granularity, ServiceId};
use crate::ir::workload::{Target, TraceFormat};
use crate::syntax::source::Span;

use super::context::Ctx;
use super::model::Declared;
use super::platform::PlatformNames;

pub(crate) fn check_model(ctx: &mut Ctx, model: &Model, declared: &Declared, names: &PlatformNames) {
    check_templates_named(ctx, model);
    super::prewarm::check_prewarms_kept(ctx, model, declared);
    super::prewarm::check_prewarms_serve(ctx, model, declared);
    super::shared_hosts::warn_of_shared_hosts(ctx, model, declared, names);
    for (s, service) in model.services.iter().enumerate() {
        let decl = declared.services[s];
        let compute_span = decl
            .compute
            .first()
            .and_then(|refs| refs.first())
            .map_or(decl.name.span, |r| r.span);
        if !compute_hosts_usable(ctx, model, service, compute_span) {
            continue;
        }
        let head = service.head.host;
        for &node in &service.compute {
            if !require_route(
                ctx,
                model,
                names,
                head,
                node,
                compute_span,
                "the head copies images to its compute hosts",
            ) {
                break;
            }
        }
        let used = functions_used(model, ServiceId(s as u32));
        // Each storage a body uses is checked once against the compute
        // hosts, not once per function and step.
        let mut storages_checked = std::collections::HashSet::new();
        for f in &used {
            let function = &model.functions[f.0 as usize];
            let image = &model.images[function.image.0 as usize];
            if let (Some(origin), true) = (image.origin, service.image_downloads) {
                let storage = model.storages[origin.0 as usize].disk.host;
                require_route(
                    ctx,
                    model,
                    names,
                    storage,
                    head,
                    decl.name.span,
                    "images are downloaded from their storage to the head",
                );
            }
            for step in &function.body {
                let remote = match step {
                    Step::Read { from: Some(s), .. } | Step::Write { to: Some(s), .. } => *s,
                    _ => continue,
                };
                let storage = model.storages[remote.0 as usize].disk.host;
                if !storages_checked.insert(storage) {
                    continue;
                }
                for &node in &service.compute {
                    if !require_route(
                        ctx,
                        model,
                        names,
                        node,
                        storage,
                        compute_span,
                        "a body reads from or writes to this storage",
                    ) {
                        break;
                    }
                }
            }
            check_fit(ctx, model, declared, s, *f);
            check_concurrency(ctx, model, declared, s, *f);
        }
    }
}

/// The functions a service may run: invoked directly, through workflows,
/// as replay templates, or prewarmed.
fn functions_used(model: &Model, service: ServiceId) -> Vec<FunctionId> {
    let mut used = Vec::new();
    let mut seen = vec![false; model.functions.len()];
    let mut add = |f: FunctionId| {
        if !std::mem::replace(&mut seen[f.0 as usize], true) {
            used.push(f);
        }
    };
    for stream in model.streams.iter().filter(|s| s.service == service) {
        match stream.target {
            Target::Function(f) => add(f),
            Target::Workflow(w) => model.workflows[w.0 as usize].graph.node_weights().for_each(|f| add(*f)),
        }
    }
    for client in &model.clients {
        for step in &client.steps {
            if let crate::ir::workload::ClientStep::Invoke { target, service: s, .. } = step
                && *s == service
            {
                match *target {
                    Target::Function(f) => add(f),
                    Target::Workflow(w) => model.workflows[w.0 as usize].graph.node_weights().for_each(|f| add(*f)),
                }
            }
        }
    }
    for replay in model.replays.iter().filter(|r| r.service == service) {
        if let Some(t) = replay.template {
            add(t);
        }
    }
    for (f, _) in &model.services[service.0 as usize].prewarm {
        add(*f);
    }
    used
}

fn compute_hosts_usable(ctx: &mut Ctx, model: &Model, service: &crate::ir::service::Service, span: Span) -> bool {
    let Some(&first) = service.compute.first() else {
        return false;
    };
    let reference = model.platform.host(first);
    for &id in &service.compute {
        let host = model.platform.host(id);
        if host.disks.is_empty() {
            ctx.error(
                Diagnostic::new(
                    Code::ComputeHostWithoutDisk,
                    format!("compute host `{}` has no disk", host.name),
                    span,
                    "no disk to cache images",
                )
                .with_help(format!(
                    "give `{}` a disk: `disk \"/\" {{ size 1TB; read 100MBps; write 100MBps }}`",
                    host.name
                )),
            );
            return false;
        }
        if host.ram <= 0.0 {
            ctx.error(
                Diagnostic::new(
                    Code::ComputeHostWithoutRam,
                    format!("compute host `{}` has no RAM", host.name),
                    span,
                    "no RAM for containers",
                )
                .with_help(format!("give `{}` its memory: `ram 64GB`", host.name)),
            );
            return false;
        }
        let same = host.speed == reference.speed
            && host.cores == reference.cores
            && host.ram == reference.ram
            && host.disks[0].size == reference.disks[0].size
            && host.disks[0].read == reference.disks[0].read
            && host.disks[0].write == reference.disks[0].write;
        if !same {
            ctx.error(
                Diagnostic::new(
                    Code::HeterogeneousCompute,
                    format!("compute hosts `{}` and `{}` differ", reference.name, host.name),
                    span,
                    "hosts of one service must be alike",
                )
                .with_help("a service's compute hosts share speed, cores, RAM and disk (as in WRENCH); put different hosts in another service"),
            );
            return false;
        }
    }
    true
}

/// Reports a missing route between `a` and `b`. Returns whether to go on
/// checking pairs: once diagnostics are only counted, a host set missing
/// routes would only add to the count (and a set with all its routes is as
/// large as the routes declared).
fn require_route(
    ctx: &mut Ctx,
    model: &Model,
    names: &PlatformNames,
    a: HostId,
    b: HostId,
    span: Span,
    why: &str,
) -> bool {
    if names.reachable(a, b) {
        return true;
    }
    if ctx.counted_only() {
        return false;
    }
    let (a, b) = (&model.platform.host(a).name, &model.platform.host(b).name);
    let message = format!("no route between `{a}` and `{b}`");
    if ctx.diagnostics.0.iter().any(|d| d.message == message) {
        return true;
    }
    ctx.error(
        Diagnostic::new(
            Code::MissingRoute,
            message,
            span,
            format!("`{a}` and `{b}` must talk: {why}"),
        )
        .with_help(format!("add `route {a} <-> {b} via <link>` to the platform")),
    );
    true
}

fn constant(amount: &Amount) -> Option<f64> {
    match amount {
        Amount::Drawn(Distribution::Constant(v)) => Some(*v),
        _ => None,
    }
}

fn check_fit(ctx: &mut Ctx, model: &Model, declared: &Declared, service: usize, f: FunctionId) {
    let function = &model.functions[f.0 as usize];
    let service_ir = &model.services[service];
    let node = model.platform.host(service_ir.compute[0]);
    let image = &model.images[function.image.0 as usize];
    let (image_disk, image_ram) = image.layers.iter().fold((0.0, 0.0), |(d, r), l| {
        let layer = &model.layers[l.0 as usize];
        (d + layer.size, r + layer.ram)
    });
    let span = declared
        .functions
        .entries
        .get(&function.name)
        .map_or(declared.services[service].name.span, |(_, s)| *s);
    let service_span = declared.services[service].name.span;
    let disk = node.disks[0].size;
    if image_disk + function.limits.disk > disk {
        ctx.error(
            Diagnostic::new(
                Code::FunctionCannotFit,
                format!(
                    "`{}` can never run on `{}`: its image and disk limit need more disk than a node has",
                    function.name, service_ir.name
                ),
                span,
                format!("needs {} of disk", bytes(image_disk + function.limits.disk)),
            )
            .with_label(service_span, format!("nodes have {}", bytes(disk)))
            .with_help(format!(
                "image {} + disk limit {} must be at most {}: lower the limit or use larger disks",
                bytes(image_disk),
                bytes(function.limits.disk),
                bytes(disk)
            )),
        );
    }
    if let Some(ram) = constant(&function.limits.ram)
        && image_ram + ram > node.ram
    {
        ctx.error(
            Diagnostic::new(
                Code::FunctionCannotFit,
                format!(
                    "`{}` can never run on `{}`: its image and RAM limit need more memory than a node has",
                    function.name, service_ir.name
                ),
                span,
                format!("needs {} of RAM", bytes(image_ram + ram)),
            )
            .with_label(service_span, format!("nodes have {}", bytes(node.ram)))
            .with_help(format!(
                "image {} + RAM limit {} must be at most {}: lower the limit or use nodes with more RAM",
                bytes(image_ram),
                bytes(ram),
                bytes(node.ram)
            )),
        );
    }
    check_cores(ctx, function, service_ir, node, span, service_span);
}

/// A body may not ask for more cores than a node has: its `cpu` limit, or
/// the cores its RAM limit buys under the service's `cpu_follows_memory`.
fn check_cores(
    ctx: &mut Ctx,
    function: &crate::ir::function::Function,
    service: &crate::ir::service::Service,
    node: &crate::ir::platform::Host,
    span: Span,
    service_span: Span,
) {
    let per_core = service.cpu_follows_memory;
    let (cores, why) = match (function.limits.cpu, per_core, constant(&function.limits.ram)) {
        (Some(cpu), _, _) => (cpu, format!("`cpu {}`", super::eval::render(cpu))),
        (None, Some(per_core), Some(ram)) if ram > 0.0 => (
            ram / per_core,
            format!(
                "RAM limit {} at one core per {} (`cpu_follows_memory`)",
                bytes(ram),
                bytes(per_core)
            ),
        ),
        _ => return,
    };
    let available = f64::from(node.cores);
    if cores <= available {
        return;
    }
    // To a thousandth of a core, where that is a number: `cpu 1e308`
    // multiplied by 1000 was shown as `inf cores`.
    let thousandths = (cores * 1000.0).round() / 1000.0;
    let shown = super::eval::render(if thousandths.is_finite() { thousandths } else { cores });
    ctx.error(
        Diagnostic::new(
            Code::FunctionCannotFit,
            format!(
                "`{}` asks for {shown} cores, more than a node of `{}` has",
                function.name, service.name
            ),
            span,
            format!("{why}: {shown} cores"),
        )
        .with_label(service_span, format!("nodes have {}", cores_of(node.cores)))
        .with_help(format!(
            "a body can use at most a node's {}: lower its `cpu` (or its RAM limit), or use nodes with more cores",
            cores_of(node.cores)
        )),
    );
}

/// `1 core`, `4 cores`.
fn cores_of(n: u32) -> String {
    if n == 1 {
        "1 core".to_string()
    } else {
        format!("{n} cores")
    }
}

/// Only a container per function, reused, serves several invocations at
/// once: a container per invocation serves one, and a SAND sandbox forks
/// an instance per invocation whatever the limit.
fn check_concurrency(ctx: &mut Ctx, model: &Model, declared: &Declared, service: usize, f: FunctionId) {
    let function = &model.functions[f.0 as usize];
    let granularity = model.services[service].sandbox.granularity;
    if function.limits.concurrency <= 1 || granularity == Granularity::PerFunction {
        return;
    }
    let Some(sandbox) = declared.services[service].sandboxes.first() else {
        return;
    };
    let span = declared
        .functions
        .entries
        .get(&function.name)
        .map_or(declared.services[service].name.span, |(_, s)| *s);
    let what = match granularity {
        Granularity::PerInvocation => "a container per invocation",
        _ => "an application sandbox",
    };
    ctx.error(
        Diagnostic::new(
            Code::ConflictingProperties,
            format!(
                "`{}` serves {} invocations per container, but the sandbox of `{}` is {what}",
                function.name,
                function.limits.concurrency,
                model.services[service].name
            ),
            span,
            format!("serves {} at once", function.limits.concurrency),
        )
        .with_label(sandbox.span, "the sandbox")
        .with_help("drop `concurrency` from the function's limits, or the `sandbox` statement (a container per function, reused)"),
    );
}

/// Bytes for messages, in the largest decimal unit that keeps a number >= 1.
pub(crate) fn bytes(v: f64) -> String {
    let units = [("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)];
    for (name, factor) in units {
        if v >= factor {
            return format!("{}{name}", super::eval::render((v / factor * 1000.0).round() / 1000.0));
        }
    }
    format!("{}B", super::eval::render(v))
}

/// A replay without `as` matches its rows to functions by name, and never
/// to a trace template: a CSV trace that names a template is a slip of the
/// `as` (the run would find no such function). Only a trace within the
/// size cap of data files is read, and only when a template no replay
/// names exists.
fn check_templates_named(ctx: &mut Ctx, model: &Model) {
    let named: Vec<FunctionId> = model.replays.iter().filter_map(|r| r.template).collect();
    let templates: Vec<&str> = model
        .functions
        .iter()
        .enumerate()
        .filter(|(f, function)| function.template && !named.contains(&FunctionId(*f as u32)))
        .map(|(_, function)| function.name.as_str())
        .collect();
    if templates.is_empty() {
        return;
    }
    for replay in model.replays.iter().filter(|r| r.template.is_none()) {
        if !matches!(replay.format, TraceFormat::Csv) {
            continue;
        }
        let Ok(text) = ctx.data_file(&replay.path) else {
            continue;
        };
        let mut lines = text.lines();
        let Some(column) = lines
            .next()
            .and_then(|header| header.split(',').position(|c| c.trim() == "function"))
        else {
            continue;
        };
        let found = lines
            .filter_map(|line| line.split(',').nth(column).map(str::trim))
            .find(|name| templates.contains(name));
        if let Some(template) = found {
            ctx.error(
                Diagnostic::new(
                    Code::TemplateWithoutAs,
                    format!("the trace invokes `{template}`, a trace template, but this replay has no `as`"),
                    replay.span,
                    "rows matched to declared functions by name",
                )
                .with_help(format!(
                    "add `as {template}` to run every row of the trace as that function, shaped by the row"
                )),
            );
        }
    }
}

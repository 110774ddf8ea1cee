//! Services on the same compute hosts. Each service keeps its own account
//! of its nodes' RAM, disk and slots (as WRENCH's serverless services do,
//! which `examples/wrench/image_download_simulation.sls` reproduces), while
//! their bodies share the hosts' cores and links: two services on one node
//! may hold more memory than it has. Allowed, for that parity, but warned of
//! at the `compute` list that shares, before anything runs.

use std::collections::HashMap;

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::Model;
use crate::syntax::source::Span;

use super::context::Ctx;
use super::model::Declared;
use super::platform::{PlatformNames, resolve_elements};

/// Warns once for each service listing a compute host that an earlier
/// service lists: at its list's first shared host, with the earlier
/// service's listing of that host, and how many it shares with how many.
pub(crate) fn warn_of_shared_hosts(ctx: &mut Ctx, model: &Model, declared: &Declared, names: &PlatformNames) {
    // Each host's first service and where that service lists it.
    let mut first: HashMap<u32, (usize, Span)> = HashMap::new();
    for (s, service) in model.services.iter().enumerate() {
        let listed = listings(ctx, declared, names, s);
        let mut shared = 0;
        let mut at = None;
        let mut with: Vec<usize> = Vec::new();
        for host in &service.compute {
            match first.get(&host.0) {
                Some(&(other, other_span)) => {
                    shared += 1;
                    at.get_or_insert((host.0, other, other_span));
                    if !with.contains(&other) {
                        with.push(other);
                    }
                }
                None => {
                    first.insert(host.0, (s, listed.get(&host.0).copied().unwrap_or(service.span)));
                }
            }
        }
        if let Some((host, other, other_span)) = at {
            let span = listed.get(&host).copied().unwrap_or(service.span);
            ctx.warn(
                shared_warning(model, s, (host, other), shared, &with, span)
                    .with_label(other_span, format!("`{}` lists it here", model.services[other].name)),
            );
        }
    }
}

/// Where service `s`'s `compute` lists each of its hosts: the written
/// reference that names it (`node[*]`, `node[2]`).
fn listings(ctx: &mut Ctx, declared: &Declared, names: &PlatformNames, s: usize) -> HashMap<u32, Span> {
    let mut listed = HashMap::new();
    for r in declared.services[s].compute.iter().flatten() {
        // The references resolved when the service was checked; resolving
        // them again finds the same hosts and says nothing new.
        for host in resolve_elements(ctx, &names.hosts, r, None).unwrap_or_default() {
            listed.entry(host).or_insert(r.span);
        }
    }
    listed
}

/// The warning for service `s`, sharing `shared` hosts with the earlier
/// services `with`, at `span`: the first, `host`, listed first by `other`.
fn shared_warning(
    model: &Model,
    s: usize,
    (host, other): (u32, usize),
    shared: usize,
    with: &[usize],
    span: Span,
) -> Diagnostic {
    let name = |s: usize| format!("`{}`", model.services[s].name);
    let host = &model.platform.hosts[host as usize].name;
    let hosts = match shared {
        1 => format!("the compute host `{host}`"),
        n => format!("{n} compute hosts (`{host}` first)"),
    };
    let services = crate::syntax::words::list_first(with.iter().map(|&w| name(w)), 2);
    Diagnostic::warning(
        Code::SharedComputeHosts,
        format!("service {} shares {hosts} with {services}", name(s)),
        span,
        format!("`{host}` is also a compute host of {}", name(other)),
    )
    .with_help(
        "each service counts a node's RAM, disk and slots as its own (as WRENCH's services do), so together they may hold more than the node has; give each service its own hosts for one account",
    )
}

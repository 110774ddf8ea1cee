//! Checking `platform` blocks: hosts and host arrays with their disks, links,
//! routes (expanded over index variables) and the network model.

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::platform::{
    Disk, Failure, FailureTarget, Host, HostId, Link, LinkId, NetworkModel, Platform, Route, Sharing,
};
use crate::language::choices::Choices;
use crate::language::properties::Owner;
use crate::syntax::ast::{self, DeclName, ElementRef, ExprKind, Index};
use crate::syntax::source::Span;

use super::budget::{ROUTES_PER_HOST, over_limit};
use super::caps::Cap;
use super::context::{Ctx, Names, Props};
use crate::language::units::Dim;

/// A declared name: one element, or an array `name[low..high]` whose
/// elements have consecutive ids starting at `first`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Group {
    pub first: u32,
    pub low: u64,
    pub high: u64,
    pub array: bool,
}

impl Group {
    fn len(self) -> u64 {
        self.high - self.low + 1
    }
}

/// The checked platform, with its name tables for later checkers.
pub(crate) struct PlatformNames {
    pub hosts: Names<Group>,
    pub links: Names<Group>,
    /// Host pairs that have a route, smaller id first.
    pub connected: Connected,
}

impl PlatformNames {
    /// Whether two hosts can talk: the same host, or a declared route.
    pub fn reachable(&self, a: HostId, b: HostId) -> bool {
        a == b || self.connected.contains(&(a.min(b), a.max(b)))
    }
}

/// One binding of a route's index variable.
type Binding<'v> = Option<(&'v str, u64)>;

pub(crate) fn check_platform(ctx: &mut Ctx, blocks: &[&ast::Platform]) -> (Platform, PlatformNames) {
    let mut platform = Platform {
        hosts: Vec::new(),
        links: Vec::new(),
        routes: Vec::new(),
        network: NetworkModel::Lv08,
        failures: Vec::new(),
    };
    let mut names = PlatformNames {
        hosts: Names::new("host", Code::UnknownHost),
        links: Names::new("link", Code::UnknownLink),
        connected: Connected::new(),
    };
    for block in blocks {
        for host in &block.hosts {
            declare_host(ctx, host, &mut platform, &mut names);
        }
        for link in &block.links {
            declare_link(ctx, link, &mut platform, &mut names);
        }
    }
    let mut network: Option<Span> = None;
    for model in blocks.iter().flat_map(|b| &b.network) {
        if let Some(first) = network {
            ctx.error(
                Diagnostic::new(
                    Code::DuplicateNetwork,
                    "the network model is set twice",
                    model.span,
                    "set again here",
                )
                .with_label(first, "first set here")
                .with_help("keep one `network` line"),
            );
            continue;
        }
        network = Some(model.span);
        let Some(model) = ctx.kind_word(model) else {
            continue;
        };
        match model.name.as_str() {
            "lv08" => platform.network = NetworkModel::Lv08,
            "raw" => platform.network = NetworkModel::Raw,
            other => {
                let help = match crate::diagnostic::did_you_mean(other, Choices::Network.words()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => {
                        "write `network lv08` (SimGrid's default, with TCP corrections) or `network raw`".to_string()
                    }
                };
                ctx.error(
                    Diagnostic::new(
                        Code::UnknownNetworkModel,
                        format!("no network model named `{other}`"),
                        model.span,
                        "unknown model",
                    )
                    .with_help(help),
                );
            }
        }
    }
    let mut connected = Connected::new();
    for block in blocks {
        for route in &block.routes {
            declare_routes(ctx, route, &mut platform, &names, &mut connected);
        }
    }
    names.connected = connected;
    for block in blocks {
        for failure in &block.failures {
            declare_failure(ctx, failure, &mut platform, &names);
        }
    }
    (platform, names)
}

/// The indices a declaration creates: `[low..high]`, or one element.
fn declared_indices(ctx: &mut Ctx, name: &DeclName) -> Option<Group> {
    match &name.range {
        None => Some(Group {
            first: 0,
            low: 0,
            high: 0,
            array: false,
        }),
        Some(range) => {
            let (low, high) = ctx.int_range(range)?;
            Some(Group {
                first: 0,
                low,
                high,
                array: true,
            })
        }
    }
}

/// Whether `declared` hosts (or links) and the `group` a declaration adds
/// stay within `--max-hosts`; else a diagnostic, before any is made.
fn within_limit(ctx: &mut Ctx, declared: usize, group: Group, kind: &str, span: Span) -> bool {
    let total = declared as u64 + group.len();
    let limit = ctx.limits.hosts;
    if total <= limit {
        return true;
    }
    ctx.error(over_limit(
        span,
        format!("the platform would have {total} {kind}s, more than the {limit} `sls` accepts"),
        format!("{} {kind}s declared here", group.len()),
        format!(
            "declare fewer {kind}s, or {}",
            ctx.limits.raise(Cap::Hosts, total as f64)
        ),
    ));
    false
}

fn element_name(base: &str, group: Group, index: u64) -> String {
    if group.array {
        format!("{base}[{index}]")
    } else {
        base.to_string()
    }
}

/// The pattern of `named`, checked: an array's must hold its index (`{i}`,
/// or the name the index goes by), or its hosts would share one name.
fn host_names(ctx: &mut Ctx, value: &ast::Expr, decl: &ast::DeclName, group: Group) -> Option<Option<String>> {
    let pattern = ctx.string(value, "\"ServerlessComputeNode{i}\"")?;
    let placeholder = format!("{{{}}}", decl.index_name());
    if group.array && !pattern.contains(&placeholder) {
        ctx.error(
            Diagnostic::new(
                Code::DuplicateName,
                format!("every host of `{}` would be named `{pattern}`", decl.name.name),
                value.span,
                "no index in the name",
            )
            .with_help(format!(
                "write `{placeholder}` where the index goes: `\"{pattern}{placeholder}\"`"
            )),
        );
        return None;
    }
    Some(Some(pattern))
}

fn declare_host(ctx: &mut Ctx, decl: &ast::HostDecl, platform: &mut Platform, names: &mut PlatformNames) {
    let Some(mut group) = declared_indices(ctx, &decl.name) else {
        names.hosts.declare_broken(&decl.name.name);
        return;
    };
    if !within_limit(ctx, platform.hosts.len(), group, "host", decl.name.span) {
        names.hosts.declare_broken(&decl.name.name);
        return;
    }
    group.first = platform.hosts.len() as u32;
    let owner = format!("host `{}`", decl.name.name.name);
    let props = Props::new(
        ctx,
        &decl.properties,
        &Owner::Host.names(""),
        owner.clone(),
        decl.name.span,
    );
    let speed = props
        .required(ctx, "speed", "1Gf/s")
        .and_then(|e| ctx.positive(e, Dim::FlopRate));
    let cores = props
        .get("cores")
        .map_or(Some(1), |e| ctx.count_in(e, 1, u32::MAX as u64));
    let ram = props.get("ram").map_or(Some(0.0), |e| ctx.positive(e, Dim::Size));
    let named = props.get("named").map(|e| host_names(ctx, e, &decl.name, group));
    let mut disks = Vec::new();
    for disk in &decl.disks {
        if disks.iter().any(|d: &Disk| d.mount == disk.mount.value) {
            ctx.error(
                Diagnostic::new(
                    Code::DuplicateName,
                    format!("{owner} has two disks mounted at `{}`", disk.mount.value),
                    disk.mount.span,
                    "mounted again here",
                )
                .with_help("give each disk of a host its own mount point"),
            );
            continue;
        }
        let disk_owner = format!("disk `{}` of {owner}", disk.mount.value);
        let disk_props = Props::new(
            ctx,
            &disk.properties,
            &Owner::Disk.names(""),
            disk_owner,
            disk.mount.span,
        );
        let size = disk_props
            .required(ctx, "size", "1TB")
            .and_then(|e| ctx.positive(e, Dim::Size));
        let read = disk_props
            .required(ctx, "read", "100MBps")
            .and_then(|e| ctx.positive(e, Dim::ByteRate));
        let write = disk_props
            .required(ctx, "write", "100MBps")
            .and_then(|e| ctx.positive(e, Dim::ByteRate));
        if let (Some(size), Some(read), Some(write)) = (size, read, write) {
            disks.push(Disk {
                mount: disk.mount.value.clone(),
                size,
                read,
                write,
            });
        }
    }
    let (Some(speed), Some(cores), Some(ram), Some(named)) = (speed, cores, ram, named.unwrap_or(Some(None))) else {
        names.hosts.declare_broken(&decl.name.name);
        return;
    };
    if disks.len() != decl.disks.len() {
        names.hosts.declare_broken(&decl.name.name);
        return;
    }
    if !names.hosts.declare(ctx, &decl.name.name, group) {
        return;
    }
    for index in group.low..=group.high {
        let name = match &named {
            Some(pattern) => pattern.replace(&format!("{{{}}}", decl.name.index_name()), &index.to_string()),
            None => element_name(&decl.name.name.name, group, index),
        };
        platform.hosts.push(Host {
            name,
            speed,
            cores: cores as u32,
            ram,
            disks: disks.clone(),
        });
    }
}

fn declare_link(ctx: &mut Ctx, decl: &ast::LinkDecl, platform: &mut Platform, names: &mut PlatformNames) {
    let Some(mut group) = declared_indices(ctx, &decl.name) else {
        names.links.declare_broken(&decl.name.name);
        return;
    };
    if !within_limit(ctx, platform.links.len(), group, "link", decl.name.span) {
        names.links.declare_broken(&decl.name.name);
        return;
    }
    group.first = platform.links.len() as u32;
    let owner = format!("link `{}`", decl.name.name.name);
    let props = Props::new(ctx, &decl.properties, &Owner::Link.names(""), owner, decl.name.span);
    let bandwidth = props
        .required(ctx, "bandwidth", "125MBps")
        .and_then(|e| ctx.positive(e, Dim::ByteRate));
    let latency = props
        .get("latency")
        .map_or(Some(0.0), |e| ctx.non_negative(e, Dim::Time));
    let sharing = match props.get("sharing") {
        None => Some(Sharing::Shared),
        Some(e) => ctx.word(e, Choices::Sharing).map(|(w, _)| {
            if w == "shared" {
                Sharing::Shared
            } else {
                Sharing::SplitDuplex
            }
        }),
    };
    let (Some(bandwidth), Some(latency), Some(sharing)) = (bandwidth, latency, sharing) else {
        names.links.declare_broken(&decl.name.name);
        return;
    };
    if !names.links.declare(ctx, &decl.name.name, group) {
        return;
    }
    for index in group.low..=group.high {
        platform.links.push(Link {
            name: element_name(&decl.name.name.name, group, index),
            bandwidth,
            latency,
            sharing,
        });
    }
}

/// The index variable of a route (`i` in `node[i]`): a bare name in an index
/// that is not a parameter.
fn index_variable<'r>(ctx: &Ctx, refs: impl Iterator<Item = &'r ElementRef>) -> Option<&'r crate::syntax::ast::Ident> {
    refs.filter_map(|r| match &r.index {
        Some(Index::Expr(e)) => match &e.kind {
            ExprKind::Name(n) if !ctx.params.contains_key(&n.name) => Some(n),
            _ => None,
        },
        _ => None,
    })
    .next()
}

/// The elements a reference designates under a binding of the index variable.
pub(crate) fn resolve_elements(
    ctx: &mut Ctx,
    names: &Names<Group>,
    r: &ElementRef,
    binding: Binding,
) -> Option<Vec<u32>> {
    let group = names.resolve(ctx, &r.name)?;
    let kind = names.kind;
    let Some(index) = &r.index else {
        if group.array {
            ctx.error(
                Diagnostic::new(
                    Code::MissingIndex,
                    format!("`{}` is an array of {kind}s", r.name.name),
                    r.span,
                    "which element?",
                )
                .with_help(format!(
                    "write `{0}[{1}]` for one element or `{0}[*]` for all of them",
                    r.name.name, group.low
                )),
            );
            return None;
        }
        return Some(vec![group.first]);
    };
    if !group.array {
        ctx.error(
            Diagnostic::new(
                Code::NotAnArray,
                format!("{kind} `{}` is not an array", r.name.name),
                r.span,
                "cannot be indexed",
            )
            .with_help(format!("write `{}` without brackets", r.name.name)),
        );
        return None;
    }
    let (low, high, span) = match index {
        Index::All(_) => return Some((0..group.len() as u32).map(|i| group.first + i).collect()),
        Index::Expr(e) => match (&e.kind, binding) {
            (ExprKind::Name(n), Some((var, value))) if n.name == var => (value, value, e.span),
            (ExprKind::Range(..), _) => {
                let (low, high) = ctx.int_range(e)?;
                (low, high, e.span)
            }
            _ => {
                let i = ctx.count(e, 0)?;
                (i, i, e.span)
            }
        },
    };
    if low < group.low || high > group.high {
        ctx.error(
            Diagnostic::new(
                Code::IndexOutOfRange,
                format!(
                    "`{}` has no element {}",
                    r.name.name,
                    if low == high {
                        low.to_string()
                    } else {
                        format!("in {low}..{high}")
                    }
                ),
                span,
                "out of range",
            )
            .with_help(format!(
                "`{}` is declared with indices {}..{}",
                r.name.name, group.low, group.high
            )),
        );
        return None;
    }
    Some((low..=high).map(|i| group.first + (i - group.low) as u32).collect())
}

/// Host pairs that have a route, smaller id first.
pub(crate) type Connected = std::collections::HashSet<(HostId, HostId)>;

fn declare_routes(
    ctx: &mut Ctx,
    route: &ast::RouteDecl,
    platform: &mut Platform,
    names: &PlatformNames,
    connected: &mut Connected,
) {
    let all_refs = [&route.from, &route.to].into_iter().chain(route.links.iter());
    let variable = index_variable(ctx, all_refs);
    // The variable ranges over the indices of the first host array it indexes.
    let domain: Vec<Binding> = match variable {
        None => vec![None],
        Some(var) => {
            let host_ref = [&route.from, &route.to].into_iter().find(|r| {
                matches!(&r.index, Some(Index::Expr(e)) if matches!(&e.kind, ExprKind::Name(n) if n.name == var.name))
            });
            let Some(group) = host_ref.and_then(|r| names.hosts.resolve(ctx, &r.name)) else {
                if host_ref.is_none() {
                    ctx.error(
                        Diagnostic::new(
                            Code::UnboundIndex,
                            format!("`{}` is neither a parameter nor an index of a host array", var.name),
                            var.span,
                            "unknown index",
                        )
                        .with_help(format!(
                            "index a host array with `{}` too (`node[{}]`), or declare `param {} = ...`",
                            var.name, var.name, var.name
                        )),
                    );
                }
                return;
            };
            (group.low..=group.high).map(|i| Some((var.name.as_str(), i))).collect()
        }
    };
    for binding in domain {
        let from = resolve_elements(ctx, &names.hosts, &route.from, binding);
        let to = resolve_elements(ctx, &names.hosts, &route.to, binding);
        let mut links = Some(Vec::new());
        for link_ref in &route.links {
            match resolve_elements(ctx, &names.links, link_ref, binding) {
                Some(ids) if ids.len() == 1 => {
                    if let Some(l) = links.as_mut() {
                        l.push(LinkId(ids[0]));
                    }
                }
                Some(_) => {
                    ctx.error(
                        Diagnostic::new(
                            Code::AmbiguousLink,
                            "a route goes through single links, not a set of them",
                            link_ref.span,
                            "several links",
                        )
                        .with_help("index the link array with one index or the route's variable: `local[i]`"),
                    );
                    links = None;
                }
                None => links = None,
            }
        }
        let (Some(from), Some(to), Some(links)) = (from, to, links) else {
            return;
        };
        for &a in &from {
            for &b in &to {
                if !add_route(ctx, platform, connected, route, HostId(a), HostId(b), &links) {
                    return;
                }
            }
        }
    }
}

fn add_route(
    ctx: &mut Ctx,
    platform: &mut Platform,
    connected: &mut Connected,
    route: &ast::RouteDecl,
    a: HostId,
    b: HostId,
    links: &[LinkId],
) -> bool {
    if a == b {
        ctx.error(
            Diagnostic::new(
                Code::RouteToItself,
                format!("a route from `{}` to itself", platform.host(a).name),
                route.span,
                "both ends are the same host",
            )
            .with_help("a host reaches itself without a route; remove this one"),
        );
        return false;
    }
    let limit = ctx.limits.hosts.saturating_mul(ROUTES_PER_HOST);
    if platform.routes.len() as u64 >= limit {
        ctx.error(over_limit(
            route.span,
            format!("the platform would have more than {limit} routes, the most `sls` accepts"),
            "expands to too many routes".to_string(),
            format!(
                "route fewer pairs of hosts (a route between two host arrays joins every pair), or raise the limit to {ROUTES_PER_HOST} routes per host with {}",
                ctx.limits.raised_with.name(Cap::Hosts)
            ),
        ));
        return false;
    }
    if !connected.insert((a.min(b), a.max(b))) {
        ctx.error(
            Diagnostic::new(
                Code::DuplicateRoute,
                format!(
                    "the route between `{}` and `{}` is declared twice",
                    platform.host(a).name,
                    platform.host(b).name
                ),
                route.span,
                "declared again here",
            )
            .with_help("keep one route per pair of hosts; routes work in both directions"),
        );
        return false;
    }
    platform.routes.push(Route {
        a,
        b,
        links: links.to_vec(),
    });
    true
}

fn declare_failure(ctx: &mut Ctx, decl: &ast::FailureDecl, platform: &mut Platform, names: &PlatformNames) {
    let table = if decl.host { &names.hosts } else { &names.links };
    let targets = resolve_elements(ctx, table, &decl.target, None);
    let at = ctx.non_negative(&decl.at, Dim::Time);
    let duration = match &decl.duration {
        None => Some(None),
        Some(e) => ctx.positive(e, Dim::Time).map(Some),
    };
    let (Some(targets), Some(at), Some(duration)) = (targets, at, duration) else {
        return;
    };
    for t in targets {
        let target = if decl.host {
            FailureTarget::Host(HostId(t))
        } else {
            FailureTarget::Link(LinkId(t))
        };
        platform.failures.push(Failure { target, at, duration });
    }
}

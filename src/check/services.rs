//! Checking storage services and `serverless` services: head and compute
//! hosts, scheduler, container life cycle, SAND's sandbox, bus and data
//! layers.

use crate::code::Code;
use crate::diagnostic::Diagnostic;
use crate::ir::function::FunctionId;
use crate::ir::platform::{DiskRef, HostId, Platform};
use crate::ir::service::*;
use crate::language::choices::Choices;
use crate::language::policies::{CONSISTENT_HASH_BOUND, EVICTION, FIXED_WINDOW, Param};
use crate::language::properties::Owner;
use crate::syntax::ast::{self, Expr};

use super::context::{Ctx, Names, Props};
use super::platform::{PlatformNames, resolve_elements};
use super::written::{Chosen, Compiled};
use crate::language::units::Dim;

/// A disk reference `host:"/mount"` resolved to one disk.
pub(crate) fn resolve_disk(
    ctx: &mut Ctx,
    platform: &Platform,
    names: &PlatformNames,
    r: &ast::DiskRef,
) -> Option<DiskRef> {
    let hosts = resolve_elements(ctx, &names.hosts, &r.host, None)?;
    if hosts.len() != 1 {
        ctx.error(
            Diagnostic::new(
                Code::AmbiguousHost,
                "a disk belongs to one host, not several",
                r.host.span,
                "several hosts",
            )
            .with_help("name one host: `node[1]:\"/\"`"),
        );
        return None;
    }
    let host = HostId(hosts[0]);
    let disks = &platform.host(host).disks;
    match disks.iter().position(|d| d.mount == r.mount.value) {
        Some(disk) => Some(DiskRef {
            host,
            disk: disk as u32,
        }),
        None => {
            let host_name = &platform.host(host).name;
            let help = match crate::diagnostic::did_you_mean(&r.mount.value, disks.iter().map(|d| d.mount.as_str())) {
                Some(best) => format!("did you mean `\"{best}\"`?"),
                None if disks.is_empty() => format!(
                    "declare one in the host: `disk \"{}\" {{ size 1TB; read 100MBps; write 100MBps }}`",
                    r.mount.value
                ),
                None => format!(
                    "`{host_name}` has {}",
                    crate::syntax::words::list_names(disks.iter().map(|d| d.mount.as_str()))
                ),
            };
            ctx.error(
                Diagnostic::new(
                    Code::UnknownDisk,
                    format!("host `{host_name}` has no disk mounted at `{}`", r.mount.value),
                    r.mount.span,
                    "unknown mount point",
                )
                .with_help(help),
            );
            None
        }
    }
}

pub(crate) fn check_storage(
    ctx: &mut Ctx,
    decl: &ast::Storage,
    platform: &Platform,
    names: &PlatformNames,
    storages: &mut Names<StorageId>,
    out: &mut Vec<Storage>,
) {
    let owner = format!("storage `{}`", decl.name.name);
    let _props = Props::new(ctx, &decl.properties, &Owner::Storage.names(""), owner, decl.name.span);
    let Some(disk) = resolve_disk(ctx, platform, names, &decl.disk) else {
        storages.declare_broken(&decl.name);
        return;
    };
    if storages.declare(ctx, &decl.name, StorageId(out.len() as u32)) {
        out.push(Storage {
            name: decl.name.name.clone(),
            disk,
        });
    }
}

/// One statement that may appear at most once in a service: the first, with
/// a diagnostic for the others.
fn single<'s, T>(
    ctx: &mut Ctx,
    items: &'s [T],
    span: impl Fn(&T) -> crate::syntax::source::Span,
    what: &str,
) -> Option<&'s T> {
    for extra in items.iter().skip(1) {
        ctx.error(
            Diagnostic::new(
                Code::DuplicateProperty,
                format!("`{what}` is set twice in this service"),
                span(extra),
                "set again here",
            )
            .with_label(span(&items[0]), "first set here")
            .with_help(format!("keep one `{what}`")),
        );
    }
    items.first()
}

fn on_off(ctx: &mut Ctx, expr: &Expr) -> Option<bool> {
    ctx.word(expr, Choices::OnOff).map(|(w, _)| w == "on" || w == "true")
}

pub(crate) fn check_service(
    ctx: &mut Ctx,
    decl: &ast::Service,
    platform: &Platform,
    names: &PlatformNames,
    functions: &Names<FunctionId>,
) -> Option<Service> {
    let owner = format!("service `{}`", decl.name.name);
    let props = Props::new(
        ctx,
        &decl.properties,
        &Owner::Service.names(""),
        owner.clone(),
        decl.name.span,
    );
    let head = match single(ctx, &decl.heads, |h| h.span, "head") {
        Some(h) => resolve_disk(ctx, platform, names, h),
        None => {
            ctx.error(
                Diagnostic::new(
                    Code::MissingProperty,
                    format!("{owner} has no head host"),
                    decl.name.span,
                    "`head` is required here",
                )
                .with_help("add `head gateway:\"/\"`: the host and disk where images are stored"),
            );
            None
        }
    };
    let mut compute = Vec::new();
    // A set finds a host listed twice in constant time: services list up
    // to `--max-hosts` compute hosts.
    let mut listed = std::collections::HashSet::new();
    for refs in &decl.compute {
        for r in refs {
            if let Some(ids) = resolve_elements(ctx, &names.hosts, r, None) {
                for id in ids {
                    if !listed.insert(id) {
                        ctx.error(
                            Diagnostic::new(
                                Code::DuplicateComputeHost,
                                format!("`{}` is listed twice as a compute host", platform.host(HostId(id)).name),
                                r.span,
                                "listed again",
                            )
                            .with_help("list each compute host once"),
                        );
                    } else {
                        compute.push(HostId(id));
                    }
                }
            }
        }
    }
    if decl.compute.is_empty() {
        ctx.error(
            Diagnostic::new(
                Code::MissingProperty,
                format!("{owner} has no compute hosts"),
                decl.name.span,
                "`compute` is required here",
            )
            .with_help("add `compute node[*]`: the hosts that run invocations"),
        );
    }
    let scheduler = match single(ctx, &decl.schedulers, |s| s.span, "scheduler") {
        None => Some(SchedulerSpec::Fcfs),
        Some(s) => scheduler(ctx, s),
    };
    let time = |ctx: &mut Ctx, name: &str| props.get(name).map_or(Some(0.0), |e| ctx.non_negative(e, Dim::Time));
    let container_startup = time(ctx, "container_startup");
    let processing_overhead = time(ctx, "processing_overhead");
    // `idle_timeout` is the shorthand of `keep_alive fixed(...)`.
    let idle_timeout = policy_param(ctx, &props, &FIXED_WINDOW);
    let keep_alive = match (props.get("keep_alive"), props.get(FIXED_WINDOW.name)) {
        (None, _) => Some(None),
        (Some(k), Some(t)) => {
            ctx.error(
                Diagnostic::new(
                    Code::ConflictingProperties,
                    format!("{owner} sets both `keep_alive` and `{}`", FIXED_WINDOW.name),
                    t.span,
                    "the `fixed` keep-alive's window",
                )
                .with_label(k.span, "a keep-alive policy")
                .with_help(format!(
                    "keep one: `keep_alive fixed({})` is what `{} ...` means",
                    FIXED_WINDOW.name, FIXED_WINDOW.name
                )),
            );
            None
        }
        (Some(k), None) => super::keep_alive::keep_alive(ctx, k).map(Some),
    };
    let eviction = match props.get("eviction") {
        None => Some(Eviction::Lru),
        Some(e) => match super::written::chosen(ctx, e, ast::PolicyKind::Eviction) {
            Chosen::Policy(Compiled::Eviction(Some(written))) => Some(Eviction::Written(written)),
            Chosen::Policy(_) | Chosen::Failed => None,
            Chosen::NotDeclared => {
                let others = super::written::names(ctx, ast::PolicyKind::Eviction);
                super::policy::policy(ctx, e, Choices::Eviction, EVICTION, &others)
                    .and_then(|(spec, _)| Eviction::named(&spec.name))
            }
        },
    };
    let image_downloads = props.get("image_downloads").map_or(Some(true), |e| on_off(ctx, e));
    let slots = match props.get("slots") {
        None => Some(None),
        Some(e) => ctx.count_in(e, 1, u32::MAX as u64).map(|n| Some(n as u32)),
    };
    let size = |ctx: &mut Ctx, name: &str| props.get(name).map_or(Some(0.0), |e| ctx.non_negative(e, Dim::Size));
    let request_payload = size(ctx, "request_payload");
    let response_payload = size(ctx, "response_payload");
    let cpu_follows_memory = match props.get("cpu_follows_memory") {
        None => Some(None),
        Some(e) => ctx.positive(e, Dim::Size).map(Some),
    };
    let sandbox = match single(ctx, &decl.sandboxes, |s| s.span, "sandbox") {
        None => Some(default_sandbox()),
        Some(s) => sandbox(ctx, s),
    };
    let bus = match single(ctx, &decl.buses, |s| s.span, "bus") {
        None => Some(Bus {
            kind: BusKind::Global,
            global_latency: 0.0,
            global_per_message: 0.0,
            local_latency: 0.0,
            local_per_message: 0.0,
            agent_forward: 0.0,
            backup: false,
        }),
        Some(s) => bus(ctx, s),
    };
    let data = data_layers(ctx, &decl.data_layers);
    let autoscaler = match single(ctx, &decl.autoscalers, |s| s.span, "autoscaler") {
        None => Some(None),
        Some(a) => {
            let granularity = match (&sandbox, decl.sandboxes.first()) {
                (Some(s), Some(section)) => Some((s.granularity, section.span)),
                _ => None,
            };
            super::autoscaler::autoscaler(ctx, a, granularity).map(Some)
        }
    };
    let mut prewarm = Vec::new();
    for p in &decl.prewarms {
        let function = functions.resolve(ctx, &p.function);
        let count = p
            .count
            .as_ref()
            .map_or(Some(1), |e| ctx.count_in(e, 1, u32::MAX as u64));
        if let (Some(function), Some(count)) = (function, count) {
            prewarm.push((function, count as u32));
        }
    }
    Some(Service {
        name: decl.name.name.clone(),
        span: decl.name.span,
        head: head?,
        compute,
        scheduler: scheduler?,
        container_startup: container_startup?,
        idle_timeout: idle_timeout?,
        keep_alive: keep_alive?,
        eviction: eviction?,
        autoscaler: autoscaler?,
        processing_overhead: processing_overhead?,
        image_downloads: image_downloads?,
        slots: slots?,
        prewarm,
        request_payload: request_payload?,
        response_payload: response_payload?,
        cpu_follows_memory: cpu_follows_memory?,
        sandbox: sandbox?,
        bus: bus?,
        data: data?,
    })
}

/// A policy's parameter, set by the block's property of its name in the
/// unit the policy registry gives (its default when unset); zero or more,
/// as the policy's own argument.
fn policy_param(ctx: &mut Ctx, props: &Props, param: &Param) -> Option<f64> {
    props
        .get(param.name)
        .map_or(Some(param.default), |e| ctx.non_negative(e, param.dim))
}

/// `random(42)`: the seed argument (0 without one).
fn seed_argument(ctx: &mut Ctx, call: &Expr, args: &[Expr]) -> Option<u64> {
    match args {
        [] => Some(0),
        [seed] => ctx.count(seed, 0),
        _ => ctx.arity(call, "random", args, &["seed"]).map(|_| 0),
    }
}

/// A policy written without arguments (`round_robin`, not `round_robin(2)`);
/// `why` follows the help's `write `name` alone`.
pub(super) fn no_arguments(ctx: &mut Ctx, call: &Expr, name: &str, args: &[Expr], why: &str) -> Option<()> {
    if args.is_empty() {
        return Some(());
    }
    ctx.error(
        Diagnostic::new(
            Code::WrongArguments,
            format!("`{name}` takes no arguments, found {}", args.len()),
            call.span,
            "wrong number of arguments",
        )
        .with_help(format!("write `{name}` alone{why}")),
    );
    None
}

/// Why a registered policy takes no arguments, for [`no_arguments`].
pub(super) const REGISTERED: &str = ": a registered policy's settings are given where it is registered";

/// `consistent_hash(1.25)`: the load bound, a factor of 1 or more (its
/// registry default without an argument).
fn bound_argument(ctx: &mut Ctx, call: &Expr, args: &[Expr]) -> Option<f64> {
    let param = &CONSISTENT_HASH_BOUND;
    let bound = match args {
        [] => return Some(param.default),
        [bound] => bound,
        _ => {
            return ctx
                .arity(call, "consistent_hash", args, &[param.name])
                .map(|_| param.default);
        }
    };
    let value = ctx.quantity(bound, param.dim)?;
    if value >= 1.0 {
        return Some(value);
    }
    let written = ctx.written(bound);
    ctx.out_of_range(
        bound,
        format!("is below 1 (`{written}`): no node could take its share of the load"),
        "write a factor of 1 or more, such as `1.25` (each node at most 25 % above the average)",
    );
    None
}

fn scheduler(ctx: &mut Ctx, decl: &ast::Scheduler) -> Option<SchedulerSpec> {
    match super::written::chosen(ctx, &decl.policy, ast::PolicyKind::Placement) {
        Chosen::NotDeclared => {}
        Chosen::Policy(Compiled::Placement(Some(written))) => return Some(SchedulerSpec::Written(written)),
        Chosen::Policy(_) | Chosen::Failed => return None,
    }
    // Did-you-mean runs over built-ins, registered and declared names alike.
    let registered = ctx.registered;
    let others = super::written::names(ctx, ast::PolicyKind::Placement);
    let (name, args) = ctx.word_among(&decl.policy, Choices::Scheduler, &others)?;
    let props = Props::new(
        ctx,
        &decl.properties,
        &Owner::Scheduler.names(&name),
        format!("scheduler `{name}`"),
        decl.policy.span,
    );
    Some(match name.as_str() {
        "fcfs" => SchedulerSpec::Fcfs,
        "balanced" => SchedulerSpec::Balanced,
        "random" => SchedulerSpec::Random {
            seed: seed_argument(ctx, &decl.policy, args)?,
        },
        "least_loaded" => no_arguments(ctx, &decl.policy, &name, args, "").map(|_| SchedulerSpec::LeastLoaded)?,
        "round_robin" => no_arguments(ctx, &decl.policy, &name, args, "").map(|_| SchedulerSpec::RoundRobin)?,
        "openwhisk" => no_arguments(ctx, &decl.policy, &name, args, "").map(|_| SchedulerSpec::OpenWhisk)?,
        "consistent_hash" => SchedulerSpec::ConsistentHash {
            bound: bound_argument(ctx, &decl.policy, args)?,
        },
        _ if registered.placement.contains(&name) => {
            no_arguments(ctx, &decl.policy, &name, args, REGISTERED)?;
            SchedulerSpec::Registered(name)
        }
        _ => {
            let order = match props.get("order") {
                None => Some(Ordering::Fcfs),
                Some(e) => match ctx.word(e, Choices::Ordering) {
                    Some((w, a)) if w == "random" => seed_argument(ctx, e, a).map(|seed| Ordering::Random { seed }),
                    Some(_) => Some(Ordering::Fcfs),
                    None => None,
                },
            };
            let node = match props.get("nodes") {
                None => Some(NodeSelection::All),
                Some(e) => ctx.word(e, Choices::NodeSelection).map(|(w, _)| {
                    if w == "all" {
                        NodeSelection::All
                    } else {
                        NodeSelection::LeastLoaded
                    }
                }),
            };
            let eviction = match props.get("eviction") {
                None => Some(EvictionSelection::Lru),
                Some(e) => ctx.word(e, Choices::EvictionSelection).map(|(w, _)| {
                    if w == "lru" {
                        EvictionSelection::Lru
                    } else {
                        EvictionSelection::FewestEvictions
                    }
                }),
            };
            let plan = match props.get("plan") {
                None => Some(PlanSelection::EvictionAverse),
                Some(e) => match ctx.word(e, Choices::Plan) {
                    Some((w, a)) if w == "random" => {
                        seed_argument(ctx, e, a).map(|seed| PlanSelection::Random { seed })
                    }
                    Some(_) => Some(PlanSelection::EvictionAverse),
                    None => None,
                },
            };
            SchedulerSpec::Greedy(GreedyPolicies {
                order: order?,
                node: node?,
                eviction: eviction?,
                plan: plan?,
            })
        }
    })
}

fn default_sandbox() -> Sandbox {
    Sandbox {
        granularity: Granularity::PerFunction,
        worker_start: 0.0,
        library_load: 0.0,
        fork: 0.0,
        base_memory: 0.0,
        instance_memory: 0.0,
    }
}

fn sandbox(ctx: &mut Ctx, decl: &ast::Section) -> Option<Sandbox> {
    let kinds: Vec<&str> = Choices::Sandbox.words().collect();
    let kind = ctx.kind_word(&decl.kind)?;
    let granularity = match kind.name.as_str() {
        "per_invocation" => Granularity::PerInvocation,
        "per_function" => Granularity::PerFunction,
        "per_application" => Granularity::PerApplication,
        other => {
            unknown_kind(ctx, &kind, other, &kinds, "sandbox granularity");
            return None;
        }
    };
    let props = Props::new(
        ctx,
        &decl.properties,
        &Owner::Sandbox.names(&kind.name),
        format!("sandbox `{}`", kind.name),
        decl.kind.span,
    );
    let time = |ctx: &mut Ctx, name: &str| props.get(name).map_or(Some(0.0), |e| ctx.non_negative(e, Dim::Time));
    let size = |ctx: &mut Ctx, name: &str| props.get(name).map_or(Some(0.0), |e| ctx.non_negative(e, Dim::Size));
    let (worker_start, library_load, fork) = (time(ctx, "worker_start"), time(ctx, "library_load"), time(ctx, "fork"));
    let (base_memory, instance_memory) = (size(ctx, "base_memory"), size(ctx, "instance_memory"));
    Some(Sandbox {
        granularity,
        worker_start: worker_start?,
        library_load: library_load?,
        fork: fork?,
        base_memory: base_memory?,
        instance_memory: instance_memory?,
    })
}

fn bus(ctx: &mut Ctx, decl: &ast::Section) -> Option<Bus> {
    let word = ctx.kind_word(&decl.kind)?;
    let kind = match word.name.as_str() {
        "global" => BusKind::Global,
        "hierarchical" => BusKind::Hierarchical,
        other => {
            let kinds: Vec<&str> = Choices::Bus.words().collect();
            unknown_kind(ctx, &word, other, &kinds, "bus model");
            return None;
        }
    };
    let props = Props::new(
        ctx,
        &decl.properties,
        &Owner::Bus.names(&word.name),
        format!("bus `{}`", word.name),
        decl.kind.span,
    );
    let time = |ctx: &mut Ctx, names: &[&str]| {
        names
            .iter()
            .find_map(|n| props.get(n))
            .map_or(Some(0.0), |e| ctx.non_negative(e, Dim::Time))
    };
    let global_latency = time(ctx, &["latency", "global_latency"]);
    let global_per_message = time(ctx, &["per_message", "global_per_message"]);
    let local_latency = time(ctx, &["local_latency"]);
    let local_per_message = time(ctx, &["local_per_message"]);
    let agent_forward = time(ctx, &["agent_forward"]);
    let backup = props
        .get("backup")
        .map_or(Some(kind == BusKind::Hierarchical), |e| on_off(ctx, e));
    Some(Bus {
        kind,
        global_latency: global_latency?,
        global_per_message: global_per_message?,
        local_latency: local_latency?,
        local_per_message: local_per_message?,
        agent_forward: agent_forward?,
        backup: backup?,
    })
}

fn data_layers(ctx: &mut Ctx, decls: &[ast::Section]) -> Option<DataLayers> {
    let mut layers = DataLayers {
        local: None,
        global: None,
    };
    let mut ok = true;
    for decl in decls {
        let Some(kind) = ctx.kind_word(&decl.kind) else {
            ok = false;
            continue;
        };
        let slot = match kind.name.as_str() {
            "local" => &mut layers.local,
            "global" => &mut layers.global,
            other => {
                let kinds: Vec<&str> = Choices::DataLayer.words().collect();
                unknown_kind(ctx, &kind, other, &kinds, "data layer");
                ok = false;
                continue;
            }
        };
        if slot.is_some() {
            ctx.error(
                Diagnostic::new(
                    Code::DuplicateProperty,
                    format!("the {} data layer is set twice", kind.name),
                    decl.span,
                    "set again here",
                )
                .with_help("keep one"),
            );
            ok = false;
            continue;
        }
        let props = Props::new(
            ctx,
            &decl.properties,
            &Owner::Data.names(&kind.name),
            format!("data layer `{}`", kind.name),
            decl.kind.span,
        );
        let latency = props
            .get("latency")
            .map_or(Some(0.0), |e| ctx.non_negative(e, Dim::Time));
        let bandwidth = props
            .required(ctx, "bandwidth", "1GBps")
            .and_then(|e| ctx.positive(e, Dim::ByteRate));
        match (latency, bandwidth) {
            (Some(latency), Some(bandwidth)) => *slot = Some(DataLayer { latency, bandwidth }),
            _ => ok = false,
        }
    }
    ok.then_some(layers)
}

fn unknown_kind(ctx: &mut Ctx, at: &ast::Ident, found: &str, kinds: &[&str], what: &str) {
    let help = match crate::diagnostic::did_you_mean(found, kinds.iter().copied()) {
        Some(best) => format!("did you mean `{best}`?"),
        None => format!(
            "write one of {}",
            crate::syntax::words::list_names(kinds.iter().copied())
        ),
    };
    ctx.error(
        Diagnostic::new(
            Code::UnknownChoice,
            format!("`{found}` is not a {what}"),
            at.span,
            format!("not a {what}"),
        )
        .with_help(help),
    );
}

//! Building one [`Model`] from the items of a script under one set of
//! parameter values: each block kind is checked by its own module, in the
//! order their names are needed, then the checks that span several blocks.

use crate::code::Code;
use std::collections::HashMap;

use crate::diagnostic::Diagnostic;
use crate::ir::Model;
use crate::ir::function::{FunctionId, ImageId};
use crate::ir::service::ServiceId;
use crate::ir::workflow::WorkflowId;
use crate::syntax::ast::{self, Item};
use crate::syntax::source::FileId;

use super::budget::{PointWork, point_work};
use super::context::{Ctx, Names};

/// The spans of declarations, for checks that point back at them.
pub(crate) struct Declared<'i> {
    pub functions: Names<FunctionId>,
    /// The declaration of each function, by [`FunctionId`].
    pub function_decls: Vec<&'i ast::Function>,
    pub services: Vec<&'i ast::Service>,
}

/// The model of one sweep point, and the work it declares per run.
pub(crate) fn build_model(ctx: &mut Ctx, items: &[(FileId, &Item)], seed: u64) -> Option<(Model, PointWork)> {
    ctx.policies = super::written::declare(ctx, items);
    let platforms: Vec<&ast::Platform> = items
        .iter()
        .filter_map(|(_, i)| match i {
            Item::Platform(p) => Some(p),
            _ => None,
        })
        .collect();
    let (platform, platform_names) = super::platform::check_platform(ctx, &platforms);

    let mut storage_names = Names::new("storage", Code::UnknownStorage);
    let mut storages = Vec::new();
    let mut layer_names = Names::new("layer", Code::UnknownLayer);
    let mut layers = Vec::new();
    for (_, item) in items {
        match item {
            Item::Storage(s) => {
                super::services::check_storage(ctx, s, &platform, &platform_names, &mut storage_names, &mut storages)
            }
            Item::Layer(l) => super::functions::check_layer(ctx, l, &mut layer_names, &mut layers),
            _ => {}
        }
    }
    let mut image_names: Names<ImageId> = Names::new("image", Code::UnknownImage);
    let mut images = Vec::new();
    for (_, item) in items {
        if let Item::Image(i) = item {
            if i.extends.is_some() {
                // Its template could not be applied (and said why).
                image_names.declare_broken(&i.name);
                continue;
            }
            ctx.member = i.member.clone();
            super::functions::check_image(
                ctx,
                i,
                &mut layer_names,
                &mut layers,
                &storage_names,
                &mut image_names,
                &mut images,
            );
            ctx.member = None;
        }
    }

    let mut function_names: Names<FunctionId> = Names::new("function", Code::UnknownFunction);
    let mut functions = Vec::new();
    let mut function_decls = Vec::new();
    for (_, item) in items {
        if let Item::Function(f) = item {
            if f.extends.is_some() {
                function_names.declare_broken(&f.name);
                continue;
            }
            ctx.member = f.member.clone();
            match super::functions::check_function(ctx, f, &image_names, &storage_names) {
                Some(function) => {
                    if function_names.declare(ctx, &f.name, FunctionId(functions.len() as u32)) {
                        functions.push(function);
                        function_decls.push(f);
                    }
                }
                None => function_names.declare_broken(&f.name),
            }
            ctx.member = None;
        }
    }

    let mut workflow_names: Names<WorkflowId> = Names::new("workflow", Code::UnknownFunction);
    let mut workflows = Vec::new();
    for (_, item) in items {
        if let Item::Workflow(w) = item {
            if let Some((_, function)) = function_names.entries.get(&w.name.name) {
                ctx.error(
                    Diagnostic::new(
                        Code::DuplicateName,
                        format!("`{}` is the name of a function and of a workflow", w.name.name),
                        w.name.span,
                        "workflow declared here",
                    )
                    .with_label(*function, "function declared here")
                    .with_help("`invoke` must know which one you mean: rename one of them"),
                );
                continue;
            }
            match super::workflow::check_workflow(ctx, w, &function_names, &functions) {
                Some(workflow) => {
                    if workflow_names.declare(ctx, &w.name, WorkflowId(workflows.len() as u32)) {
                        workflows.push(workflow);
                    }
                }
                None => workflow_names.declare_broken(&w.name),
            }
        }
    }

    let mut service_names: Names<ServiceId> = Names::new("service", Code::UnknownService);
    let mut services = Vec::new();
    let mut service_decls = Vec::new();
    for (_, item) in items {
        if let Item::Serverless(s) = item {
            if s.extends.is_some() {
                service_names.declare_broken(&s.name);
                continue;
            }
            match super::services::check_service(ctx, s, &platform, &platform_names, &function_names) {
                Some(service) => {
                    if service_names.declare(ctx, &s.name, ServiceId(services.len() as u32)) {
                        services.push(service);
                        service_decls.push(s);
                    }
                }
                None => service_names.declare_broken(&s.name),
            }
        }
    }

    let formats = super::mapping::declare_formats(ctx, items);
    let names = super::workload::WorkloadNames {
        formats: &formats,
        functions: &function_names,
        declared: &functions,
        workflows: &workflow_names,
        services: &service_names,
    };
    let mut streams = Vec::new();
    let mut replays = Vec::new();
    let mut clients = Vec::new();
    // Stream keys count per target so adding a stream for one function does
    // not change the random draws of another's.
    let mut per_target: HashMap<String, usize> = HashMap::new();
    // The statements of streams and clients, for diagnostics about the work
    // they declare.
    let (mut stream_spans, mut client_spans) = (Vec::new(), Vec::new());
    for (_, item) in items {
        if let Item::Workload(w) = item {
            for invoke in &w.invokes {
                let n = per_target.entry(invoke.target.name.clone()).or_default();
                let key = format!("{}#{}", invoke.target.name, n);
                *n += 1;
                ctx.member = invoke.member.clone();
                let checked = super::workload::check_invoke(ctx, invoke, &names, key);
                ctx.member = None;
                if let Some(stream) = checked {
                    streams.push(stream);
                    stream_spans.push(invoke.span);
                }
            }
            for client in &w.clients {
                let key = format!("client#{}", clients.len());
                if let Some(checked) = super::workload::check_client(ctx, client, &names, key) {
                    clients.push(checked);
                    client_spans.push(client.span);
                }
            }
            for replay in &w.replays {
                let key = format!("replay#{}", replays.len());
                replays.extend(super::workload::check_replay(ctx, replay, &names, key));
            }
        }
    }

    let cost = super::cost::check_cost(ctx, items);
    let model = Model {
        seed,
        platform,
        storages,
        services,
        layers,
        images,
        functions,
        workflows,
        streams,
        replays,
        clients,
        cost,
        // Set once every check of the point has warned.
        warnings: Vec::new(),
    };
    let declared = Declared {
        functions: function_names,
        function_decls,
        services: service_decls,
    };
    // Checks across blocks only make sense once every block is right: a
    // broken route would otherwise also show up as a missing one.
    if ctx.diagnostics.is_empty() {
        super::cross::check_model(ctx, &model, &declared, &platform_names);
    }
    stream_spans.extend(client_spans);
    stream_spans.extend(declared.services.iter().flat_map(|s| s.prewarms.iter().map(|p| p.span)));
    let work = point_work(&model, &stream_spans);
    Some((model, work))
}

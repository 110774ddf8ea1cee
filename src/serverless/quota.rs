//! A container's CPU quota, shared by the invocations it runs at once. A
//! function running several invocations per container (`limits {
//! concurrency N }`) with a quota (`limits { cpu C }`, or the cores
//! `cpu_follows_memory` gives) has them share its container's C cores, as
//! the threads of one cgroup share its quota and its weight: the k
//! computations running in a container each get C / k cores, as their cap
//! and as their weight on the node. Identical computations under one
//! max-min constraint get equal rates, so this is the container's
//! constraint itself; when k changes, the others go on from what they
//! have left at their new share. Without a quota each body keeps one core
//! of its own (WRENCH's), and nothing here is used.

use std::collections::HashMap;

use crate::engine::{Activity, ActivityId, HostId};

use super::cx::Cx;
use super::ids::ContainerId;
use super::invocation::{Doing, InvocationHandle};
use super::tag::Tag;

/// Per container sharing a quota, the invocations computing in it now.
#[derive(Debug, Default)]
pub struct Quotas {
    computing: HashMap<ContainerId, Vec<InvocationHandle>>,
}

impl Quotas {
    /// Whether no container's quota is shared now (the common case: one
    /// look, at each step's end).
    #[inline(always)]
    pub fn is_idle(&self) -> bool {
        self.computing.is_empty()
    }
}

/// A computation of `flops` starts for invocation `handle` in its container
/// on `host`, whose quota is `cores`: it and those already computing there
/// share it from now. Returns its activity, `None` if it could not start
/// (its failure is then told as any step's).
pub fn start_compute(
    cx: &mut Cx,
    handle: InvocationHandle,
    host: HostId,
    flops: f64,
    cores: f64,
) -> Option<ActivityId> {
    let container = cx.world.invocations.get(handle)?.container?;
    let others = cx.world.quotas.computing.get(&container).map_or(0, Vec::len);
    let share = cores / (others + 1) as f64;
    let id = cx
        .world
        .start_tracked(Activity::compute(host, flops, share), Tag::Step(handle))?;
    cx.world.quotas.computing.entry(container).or_default().push(handle);
    reshare(cx, container, Some(handle), host, share);
    Some(id)
}

/// Invocation `handle`'s computation ended or was stopped (its step ended,
/// or it failed): if it shared its container's quota, the others there
/// share it without it from now.
pub fn left(cx: &mut Cx, handle: InvocationHandle) {
    if cx.world.quotas.is_idle() {
        return;
    }
    let Some(inv) = cx.world.invocations.get(handle) else {
        return;
    };
    let (Some(container), reg, service, node) = (inv.container, inv.reg, inv.service, inv.node) else {
        return;
    };
    let Some(computing) = cx.world.quotas.computing.get_mut(&container) else {
        return;
    };
    let Some(at) = computing.iter().position(|h| *h == handle) else {
        return;
    };
    computing.remove(at);
    let left = computing.len();
    if left == 0 {
        cx.world.quotas.computing.remove(&container);
        return;
    }
    let cores = cx.world.registry.get(reg).cores;
    let host = cx.world.settings[service.index()].nodes[node.unwrap_or_default().index()].host;
    reshare(cx, container, None, host, cores / left as f64);
}

/// Restarts each computation in `container` but `except` with what it has
/// left, at `share` cores.
fn reshare(cx: &mut Cx, container: ContainerId, except: Option<InvocationHandle>, host: HostId, share: f64) {
    let handles: Vec<InvocationHandle> = cx.world.quotas.computing.get(&container).cloned().unwrap_or_default();
    for other in handles.into_iter().filter(|h| Some(*h) != except) {
        let Some(Doing::Running(id)) = cx.world.invocations.get(other).map(|i| i.body.doing) else {
            continue;
        };
        let flops = cx.world.engine.remaining(id).unwrap_or(0.0);
        cx.world.cancel_tracked(id);
        let restarted = cx
            .world
            .start_tracked(Activity::compute(host, flops, share), Tag::Step(other));
        if let Some(inv) = cx.world.invocations.get_mut(other) {
            inv.body.doing = restarted.map_or(Doing::Nothing, Doing::Running);
        }
    }
}

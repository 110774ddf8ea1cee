//! Running a function's body on its node, step by step: sleeps are timers,
//! computations share the host's CPU (each at most its cores, or its share
//! of its container's quota: [`super::quota`]), reads and
//! writes use the node's disk (the container's scratch space) or stream
//! over the network from and to a storage service, counting ingress,
//! egress and scratch writes against the limits. A time limit, counted
//! from function start, kills the body.
//!
//! A body's state is the [`Body`] part of its invocation; the runner is
//! functions over a handler's context ([`Cx`]), and tells the invocation's
//! service when the body is over through the outbox.

use crate::engine::{Activity, Engine, HostId, TimerId};
use crate::ir::Model;
use crate::ir::function::{Amount, Step};
use crate::ir::service::ServiceId;
use crate::report::Cause;

use super::RunError;
use super::cx::Cx;
use super::invocation::{Body, Dispatch, Doing, Invocation, InvocationHandle, Moment, Origin, Payload};
use super::message::Message;
use super::outbox::Effect;
use super::quota;
use super::registry::{LoneSleep, Registration};
use super::settings::Settings;
use super::tag::Tag;

/// The function starts once `delay` (what is left of its container's
/// start-up) has passed, now if it is 0.
pub fn start_after(cx: &mut Cx, handle: InvocationHandle, delay: f64) {
    if delay > 0.0 {
        let timer = cx.world.timer(delay, Tag::Startup(handle));
        set_doing(cx, handle, timer.map_or(Doing::Nothing, Doing::Sleeping));
    } else {
        start(cx, handle);
    }
}

/// The invocation is dispatched now (`dispatch` written on its entry) and
/// its function starts once `delay` has passed: [`start_after`], the entry
/// looked at once for both when it starts now (nearly every fork into an
/// idle sandbox). Inlined into the fork, once per invocation.
#[inline(always)]
pub fn start_dispatched(cx: &mut Cx, handle: InvocationHandle, dispatch: Dispatch, delay: f64) {
    if delay > 0.0 {
        let now = cx.world.now();
        if let Some(inv) = cx.world.invocations.get_mut(handle) {
            inv.dispatched(now, dispatch);
        }
        start_after(cx, handle, delay);
    } else {
        start_with(cx, handle, Some(dispatch));
    }
}

/// The container is ready: the function starts now.
pub fn start(cx: &mut Cx, handle: InvocationHandle) {
    start_with(cx, handle, None);
}

/// The function starts now, its dispatch first written on its entry if
/// given. A lone sleep with nothing before it (the commonest body, known
/// at registration: [`super::registry::Registration::lone_sleep`]) starts
/// here, the entry in hand, as the step runner would start it, and its
/// timer ends the body (`Tag::LastSleep`); any other body goes on in
/// [`start_general`].
#[inline(always)]
fn start_with(cx: &mut Cx, handle: InvocationHandle, dispatch: Option<Dispatch>) {
    let world = &mut *cx.world;
    let now = world.now();
    let Some(inv) = world.invocations.get_mut(handle) else {
        return;
    };
    if let Some(dispatch) = dispatch {
        inv.dispatched(now, dispatch);
    }
    inv.start = Moment::at(now);
    inv.body.step = 0;
    inv.body.doing = Doing::Nothing;
    // What the start needs of the entry, read while it is in hand: most
    // invocations move no payload and are no workflow's.
    let settings = &world.settings[inv.service.index()];
    let payload = own_payload(inv.body.payloads.as_deref(), settings, Payload::Request) > 0.0;
    let in_workflow = matches!(inv.origin, Origin::Workflow { .. });
    if !payload
        && !in_workflow
        && let Some(seconds) = lone_sleep_seconds(world.model, world.registry.get(inv.reg), &mut inv.body)
    {
        if seconds > 0.0 {
            if let Err(error) = sleep(&mut world.engine, &mut inv.body, seconds, Tag::LastSleep(handle)) {
                world.fail(error);
            }
        } else {
            let over = mark_over(inv, now, &world.settings, None);
            push_over(cx, handle, over);
        }
        return;
    }
    start_general(cx, handle, payload, in_workflow);
}

/// The start of a body that is not a lone sleep without a time limit (see
/// [`start_with`], which has marked the entry started): its time limit's
/// timer, then its request's payload, inputs and steps.
#[inline(never)]
fn start_general(cx: &mut Cx, handle: InvocationHandle, payload: bool, in_workflow: bool) {
    let world = &mut *cx.world;
    let now = world.now();
    let limit = world
        .invocations
        .get(handle)
        .and_then(|inv| world.registry.get(inv.reg).time_limit);
    if let Some(limit) = limit {
        let timer = world.timer(limit, Tag::Timeout(handle));
        if let Some(inv) = world.invocations.get_mut(handle) {
            inv.body.timeout = timer;
            // The same sum as the timer's date, so a tie is exact.
            inv.body.deadline = now + limit;
        }
    }
    if !(payload && move_payload(cx, handle, Payload::Request)) {
        inputs_then_steps(cx, handle, in_workflow);
    }
}

/// The body's inputs (a workflow node's), then its steps.
fn body_ready(cx: &mut Cx, handle: InvocationHandle) {
    let in_workflow = cx
        .world
        .invocations
        .get(handle)
        .is_some_and(|inv| matches!(inv.origin, Origin::Workflow { .. }));
    inputs_then_steps(cx, handle, in_workflow);
}

/// The inputs of a workflow node's body (`in_workflow`), then its steps.
fn inputs_then_steps(cx: &mut Cx, handle: InvocationHandle, in_workflow: bool) {
    if !(in_workflow && cx.flows.fetch_inputs(cx.world, handle)) {
        run_steps(cx, handle);
    }
}

/// Starts moving the request's payload to the node (or the response's
/// back to the head); false when there is none.
fn move_payload(cx: &mut Cx, handle: InvocationHandle, which: Payload) -> bool {
    let Some(inv) = cx.world.invocations.get(handle) else {
        return false;
    };
    let bytes = payload_bytes(cx, handle, inv.service, which);
    let settings = &cx.world.settings[inv.service.index()];
    let (Some(node), true) = (inv.node, bytes > 0.0) else {
        return false;
    };
    let (head, host) = (
        settings.head_host,
        cx.world.settings[inv.service.index()].nodes[node.index()].host,
    );
    let (src, dst) = if which == Payload::Request {
        (head, host)
    } else {
        (host, head)
    };
    let id = cx
        .world
        .start_tracked(Activity::Transfer { src, dst, bytes }, Tag::Payload(handle));
    if let Some(inv) = cx.world.invocations.get_mut(handle) {
        inv.body.payload = which;
        inv.body.doing = id.map_or(Doing::Nothing, Doing::Running);
    }
    true
}

/// The bytes of an invocation's request (or response) payload: its own,
/// as its trace row or `with` gives it, else its service's.
fn payload_bytes(cx: &Cx, handle: InvocationHandle, service: ServiceId, which: Payload) -> f64 {
    let settings = &cx.world.settings[service.index()];
    match cx.world.invocations.get(handle) {
        Some(inv) => own_payload(inv.body.payloads.as_deref(), settings, which),
        None => own_payload(None, settings, which),
    }
}

/// The bytes of a payload: the invocation's own (`payloads`), else its
/// service's.
#[inline]
fn own_payload(payloads: Option<&crate::workload::Payloads>, settings: &Settings, which: Payload) -> f64 {
    match which {
        Payload::Request => payloads.and_then(|p| p.request).unwrap_or(settings.request_payload),
        _ => payloads.and_then(|p| p.response).unwrap_or(settings.response_payload),
    }
}

/// A payload arrived: the body goes on, or its end is reported.
pub fn payload_arrived(cx: &mut Cx, handle: InvocationHandle) {
    let Some(inv) = cx.world.invocations.get_mut(handle) else {
        return;
    };
    let which = std::mem::replace(&mut inv.body.payload, Payload::None);
    inv.body.doing = Doing::Nothing;
    let s = inv.service;
    match which {
        Payload::Request => body_ready(cx, handle),
        Payload::Response => cx.out.push(Effect::Deliver(s, Message::InvocationDone(handle))),
        Payload::None => {}
    }
}

/// Runs steps from the current one until one takes time or the body ends.
pub fn run_steps(cx: &mut Cx, handle: InvocationHandle) {
    steps_from(cx, handle, false);
}

/// The current step ended: the body goes on from the next one.
pub fn step_done(cx: &mut Cx, handle: InvocationHandle) {
    steps_from(cx, handle, true);
}

/// Runs steps until one takes time or the body ends, from the current
/// one, or from the next if the current one just ended (`ended`: the
/// entry is then moved on where it is first read).
fn steps_from(cx: &mut Cx, handle: InvocationHandle, mut ended: bool) {
    if ended {
        quota::left(cx, handle);
    }
    loop {
        let Some(inv) = cx.world.invocations.get_mut(handle) else {
            return;
        };
        if ended {
            inv.body.step += 1;
            inv.body.doing = Doing::Nothing;
            ended = false;
        }
        // The model outlives the run: its steps are borrowed, not cloned
        // (an empirical amount holds a list).
        let model = cx.world.model;
        let registration = cx.world.registry.get(inv.reg);
        let (function, cores, shares_cores) = (registration.function, registration.cores, registration.shares_cores);
        let Some(step) = model.functions[function.0 as usize].body.get(inv.body.step as usize) else {
            // The body returned: its entry is in hand (the commonest end,
            // after a lone sleep).
            let over = mark_over(inv, cx.world.engine.now(), &cx.world.settings, None);
            push_over(cx, handle, over);
            return;
        };
        // A body's last step, when a sleep, ends the body: its timer says
        // so, and the body returns when it fires without a second pass.
        let last = inv.body.step as usize + 1 == model.functions[function.0 as usize].body.len();
        // Every step but a failure has an amount, drawn when it starts.
        let value = match step {
            Step::Sleep(a)
            | Step::Compute(a)
            | Step::Output(a)
            | Step::Read { bytes: a, .. }
            | Step::Write { bytes: a, .. } => amount(&mut inv.body, a),
            Step::Fail(_) => 0.0,
        };
        // Where the body runs, read only by steps that use the node.
        let (s, node) = (inv.service, inv.node.unwrap_or_default());
        let place = |cx: &Cx| {
            let place = cx.world.settings[s.index()].nodes[node.index()];
            (place.host, place.disk)
        };
        let activity = match step {
            Step::Sleep(_) => {
                let seconds = value;
                if seconds > 0.0 {
                    let tag = if last {
                        Tag::LastSleep(handle)
                    } else {
                        Tag::Step(handle)
                    };
                    if let Err(error) = sleep(&mut cx.world.engine, &mut inv.body, seconds, tag) {
                        cx.world.fail(error);
                    }
                    return;
                }
                None
            }
            Step::Compute(_) if shares_cores && value > 0.0 => {
                let (host, _) = place(cx);
                let id = quota::start_compute(cx, handle, host, value, cores);
                set_doing(cx, handle, id.map_or(Doing::Nothing, Doing::Running));
                return;
            }
            Step::Compute(_) => {
                let flops = value;
                let (host, _) = place(cx);
                (flops > 0.0).then(|| Activity::compute(host, flops, cores))
            }
            Step::Read { from, .. } => {
                let bytes = value;
                match *from {
                    None => (bytes > 0.0).then_some(Activity::DiskRead {
                        disk: place(cx).1,
                        bytes,
                    }),
                    Some(storage) => {
                        let Some(allowed) = limited_use(cx, handle, bytes, Limited::Ingress) else {
                            return;
                        };
                        let storage = cx.world.model.storages[storage.0 as usize].disk;
                        let src = cx.world.lowered.disk(storage);
                        (allowed > 0.0).then(|| remote_read(src, HostId(storage.host.0), place(cx).0, allowed))
                    }
                }
            }
            Step::Write { to, .. } => {
                let bytes = value;
                match *to {
                    None => {
                        let Some(allowed) = limited_use(cx, handle, bytes, Limited::Scratch) else {
                            return;
                        };
                        (allowed > 0.0).then_some(Activity::DiskWrite {
                            disk: place(cx).1,
                            bytes: allowed,
                        })
                    }
                    Some(storage) => {
                        let Some(allowed) = limited_use(cx, handle, bytes, Limited::Egress) else {
                            return;
                        };
                        let storage = cx.world.model.storages[storage.0 as usize].disk;
                        let dst = cx.world.lowered.disk(storage);
                        (allowed > 0.0).then(|| remote_write(place(cx).0, HostId(storage.host.0), dst, allowed))
                    }
                }
            }
            Step::Output(_) => {
                let bytes = value;
                if let Some(inv) = cx.world.invocations.get_mut(handle) {
                    inv.body.output += bytes;
                }
                None
            }
            &Step::Fail(p) => {
                let failed = match cx.world.invocations.get_mut(handle).and_then(|i| i.body.rng.as_mut()) {
                    Some(rng) => rng.uniform() < p,
                    None => p >= 1.0,
                };
                if failed {
                    body_over(cx, handle, Some(Cause::BodyError));
                    return;
                }
                None
            }
        };
        match activity {
            Some(activity) => {
                let id = cx.world.start_tracked(activity, Tag::Step(handle));
                set_doing(cx, handle, id.map_or(Doing::Nothing, Doing::Running));
                return;
            }
            None => {
                if let Some(inv) = cx.world.invocations.get_mut(handle) {
                    inv.body.step += 1;
                }
            }
        }
    }
}

/// A sleep step of `seconds` (more than 0) begins: the entry is in hand,
/// its timer goes in it at once. The run's error if the engine refuses the
/// amount (only a non-finite one).
#[inline(always)]
fn sleep(engine: &mut Engine<Tag>, body: &mut Body, seconds: f64, tag: Tag) -> Result<(), RunError> {
    match engine.timer(seconds, tag) {
        Ok(timer) => {
            body.doing = Doing::Sleeping(timer);
            Ok(())
        }
        Err(error) => {
            body.doing = Doing::Nothing;
            Err(RunError::Engine(error.to_string()))
        }
    }
}

fn set_doing(cx: &mut Cx, handle: InvocationHandle, doing: Doing) {
    if let Some(inv) = cx.world.invocations.get_mut(handle) {
        inv.body.doing = doing;
    }
}

/// What a body's bytes count against: a limit of its function, and the
/// cause of a failure for going over it.
#[derive(Clone, Copy)]
enum Limited {
    /// Bytes read from a storage over the network (`ingress`).
    Ingress,
    /// Bytes written to a storage over the network (`egress`).
    Egress,
    /// Bytes written to the container's scratch disk (`disk`, which the
    /// container reserves; a function without one writes unlimited).
    Scratch,
}

/// Counts `bytes` against the limit `what` names: returns the bytes
/// allowed, or `None` once the invocation has failed for going over
/// (after moving what the limit allowed).
fn limited_use(cx: &mut Cx, handle: InvocationHandle, bytes: f64, what: Limited) -> Option<f64> {
    let inv = cx.world.invocations.get_mut(handle)?;
    let r = cx.world.registry.get(inv.reg);
    if matches!(what, Limited::Scratch) && r.disk <= 0.0 {
        // Nothing counts scratch writes without a limit (they are not billed).
        return Some(bytes);
    }
    let moved = inv.body.moved.get_or_insert_default();
    let (used, limit, cause) = match what {
        Limited::Ingress => (&mut moved.ingress, r.ingress, Cause::IngressExceeded),
        Limited::Egress => (&mut moved.egress, r.egress, Cause::EgressExceeded),
        Limited::Scratch => (
            &mut moved.scratch,
            (r.disk > 0.0).then_some(r.disk),
            Cause::DiskExceeded,
        ),
    };
    let allowed = match limit {
        Some(limit) if *used + bytes > limit => (limit - *used).max(0.0),
        _ => bytes,
    };
    *used += allowed;
    if allowed < bytes {
        // Over the limit: the body fails once what was allowed has moved;
        // modelled as failing now, the transfer of the rest never starts.
        body_over(cx, handle, Some(cause));
        return None;
    }
    Some(allowed)
}

/// The time limit is reached: the body is killed, with no end date.
pub fn timed_out(cx: &mut Cx, handle: InvocationHandle) {
    let Some(inv) = cx.world.invocations.get_mut(handle) else {
        return;
    };
    inv.body.timeout = None;
    if !inv.body.timeout_deferred {
        inv.body.timeout_deferred = true;
        let timer = cx.world.timer(0.0, Tag::Timeout(handle));
        if let Some(inv) = cx.world.invocations.get_mut(handle) {
            inv.body.timeout = timer;
        }
        return;
    }
    match std::mem::replace(&mut inv.body.doing, Doing::Nothing) {
        Doing::Sleeping(timer) => {
            cx.world.engine.cancel_timer(timer);
        }
        Doing::Running(activity) => {
            cx.world.cancel_tracked(activity);
            quota::left(cx, handle);
        }
        Doing::Nothing => {}
    }
    cx.flows.abandon_fetch(cx.world, handle);
    let now = cx.world.now();
    if let Some(inv) = cx.world.invocations.get_mut(handle) {
        inv.cause = Some(Cause::Timeout);
        inv.finish = now;
    }
    if let Some(s) = cx.world.invocations.get(handle).map(|i| i.service) {
        cx.out.push(Effect::Deliver(s, Message::InvocationDone(handle)));
    }
}

/// The body returned (`cause` None) or threw: its end date is now. A
/// body that returns exactly at its time limit has its end date and
/// fails with a timeout, as in WRENCH (the limit is not a grace period).
fn body_over(cx: &mut Cx, handle: InvocationHandle, cause: Option<Cause>) {
    let now = cx.world.now();
    let Some(inv) = cx.world.invocations.get_mut(handle) else {
        return;
    };
    let over = mark_over(inv, now, &cx.world.settings, cause);
    push_over(cx, handle, over);
}

/// The sleep that was the body's last step ended ([`Tag::LastSleep`]): the
/// body returns now, as [`step_done`] would find with no step left. Returns
/// the service to tell at once (see [`tell_over`]). Inlined into the run
/// loop (once per invocation), which the compiler stopped doing when the
/// engine's timers got smaller: the call then cost more than that step
/// saved.
#[inline(always)]
pub fn last_sleep_over(cx: &mut Cx, handle: InvocationHandle) -> Option<ServiceId> {
    let now = cx.world.now();
    let inv = cx.world.invocations.get_mut(handle)?;
    let over = mark_over(inv, now, &cx.world.settings, None);
    tell_over(cx, handle, over)
}

/// The seconds of a registration's lone sleep
/// ([`super::registry::Registration::lone_sleep`]) for the body `body`
/// starts, drawn as the step runner would; `None` for any other body. A
/// sleep of a trace row's field is read off the entry, without the model.
#[inline(always)]
fn lone_sleep_seconds(model: &Model, registration: &Registration, body: &mut Body) -> Option<f64> {
    match registration.lone_sleep {
        LoneSleep::No => None,
        LoneSleep::TraceDuration => Some(body.trace_duration),
        LoneSleep::OfModel => match model.functions[registration.function.0 as usize].body.as_slice() {
            [Step::Sleep(a)] => Some(amount(body, a)),
            _ => None,
        },
    }
}

/// What follows a body's end, once its entry is marked ([`mark_over`]).
struct Over {
    service: ServiceId,
    cause: Option<Cause>,
    /// Whether a response payload goes back before the service is told.
    payload: bool,
    /// The time limit's timer, to cancel.
    timeout: Option<TimerId>,
}

/// Marks the entry (in hand: the step runner has it) of a body over at
/// `now` with `cause` (see [`body_over`]).
#[inline]
fn mark_over(inv: &mut Invocation, now: f64, settings: &[Settings], cause: Option<Cause>) -> Over {
    let cause = cause.or_else(|| (now >= inv.body.deadline).then_some(Cause::Timeout));
    inv.end = Moment::at(now);
    inv.finish = now;
    inv.cause = cause;
    inv.body.doing = Doing::Nothing;
    let service = inv.service;
    let payload = own_payload(
        inv.body.payloads.as_deref(),
        &settings[service.index()],
        Payload::Response,
    ) > 0.0;
    Over {
        service,
        cause,
        payload,
        timeout: inv.body.timeout.take(),
    }
}

/// After a body's end: its time limit is cancelled, then its response
/// payload goes back, or its service is to be told at once: returned,
/// for the caller to tell with nothing in between.
#[inline]
fn tell_over(cx: &mut Cx, handle: InvocationHandle, over: Over) -> Option<ServiceId> {
    if let Some(timer) = over.timeout {
        cx.world.engine.cancel_timer(timer);
    }
    (over.cause.is_some() || !(over.payload && move_payload(cx, handle, Payload::Response))).then_some(over.service)
}

/// [`tell_over`], its service told through the outbox.
#[inline]
fn push_over(cx: &mut Cx, handle: InvocationHandle, over: Over) {
    if let Some(s) = tell_over(cx, handle, over) {
        cx.out.push(Effect::Deliver(s, Message::InvocationDone(handle)));
    }
}

/// Ends an invocation in failure now: what it is doing stops, and its
/// service is told.
pub fn kill(cx: &mut Cx, handle: InvocationHandle, cause: Cause) {
    let now = cx.world.now();
    cx.flows.abandon_fetch(cx.world, handle);
    let Some(inv) = cx.world.invocations.get_mut(handle) else {
        return;
    };
    if inv.cause.is_some() && inv.finish < now {
        return;
    }
    let doing = std::mem::replace(&mut inv.body.doing, Doing::Nothing);
    let timeout = inv.body.timeout.take();
    inv.cause = Some(cause);
    inv.finish = now;
    let s = inv.service;
    match doing {
        Doing::Sleeping(timer) => {
            cx.world.engine.cancel_timer(timer);
        }
        Doing::Running(activity) => {
            cx.world.cancel_tracked(activity);
        }
        Doing::Nothing => {}
    }
    // Its computation, if it shared its container's quota, may have been
    // stopped already (a failed transfer sets nothing running).
    quota::left(cx, handle);
    cx.world.cancel_timer(timeout);
    cx.out.push(Effect::Deliver(s, Message::InvocationDone(handle)));
}

/// A transfer of the body (a step, an input, its payload) failed: the
/// invocation fails with a host failure if its node is down, with a
/// network failure otherwise.
pub fn transfer_failed(cx: &mut Cx, handle: InvocationHandle) {
    let now = cx.world.now();
    let Some(inv) = cx.world.invocations.get_mut(handle) else {
        return;
    };
    let nodes = &cx.world.settings[inv.service.index()].nodes;
    let on_dead_node = inv
        .node
        .is_some_and(|n| cx.world.tracker.host_down(nodes[n.index()].host));
    let cause = if on_dead_node {
        Cause::HostFailure
    } else {
        Cause::NetworkFailure
    };
    inv.body.doing = Doing::Nothing;
    // A body whose transfer failed ends (it sees an error); one whose
    // host failed just stops.
    if cause == Cause::NetworkFailure && inv.start.is_set() {
        inv.end = Moment::at(now);
    }
    kill(cx, handle, cause);
}

/// Amount of a step for this body, in SI units. Inlined (always: with
/// the whole-program build the compiler had made it a call again, once
/// per invocation): a call cost more than the match.
#[inline(always)]
fn amount(body: &mut Body, amount: &Amount) -> f64 {
    match amount {
        Amount::Drawn(crate::ir::Distribution::Constant(v)) => *v,
        Amount::Drawn(d) => body.rng.as_mut().map_or(d.mean(), |rng| rng.sample(d)),
        Amount::TraceDuration => body.trace_duration,
        Amount::TraceMemory => body.trace_memory,
    }
}

/// Data read from a storage's disk into the function's memory, streamed
/// over the route.
fn remote_read(src: crate::engine::DiskId, src_host: HostId, host: HostId, bytes: f64) -> Activity {
    if src_host == host {
        Activity::DiskRead { disk: src, bytes }
    } else {
        Activity::Stream {
            src_disk: src,
            dst_host: host,
            dst_disk: None,
            bytes,
        }
    }
}

/// Data written from the function's memory to a storage's disk: sent over
/// the route, then written.
fn remote_write(host: HostId, dst_host: HostId, dst: crate::engine::DiskId, bytes: f64) -> Activity {
    if dst_host == host {
        Activity::DiskWrite { disk: dst, bytes }
    } else {
        Activity::Sequence(vec![
            Activity::Transfer {
                src: host,
                dst: dst_host,
                bytes,
            },
            Activity::DiskWrite { disk: dst, bytes },
        ])
    }
}

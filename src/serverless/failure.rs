//! Injected failures (`fail host ... at ...`, `fail link ... at ...`).
//! While a link is down, every transfer crossing it fails; while a host is
//! down, everything using it fails, and a compute node loses its running
//! invocations, its containers and its caches, and takes no work until it
//! is back. A failed image download fails the invocations waiting for it;
//! a failed copy is retried by the scheduler; a body or an input transfer
//! that fails fails its invocation (host failure, or network failure).
//!
//! What is down and which activities use it is the world's tracker
//! ([`super::track`]); this file says what follows, as effects.

use crate::engine::HostId;
use crate::ir::platform::FailureTarget;

use super::ids::FailureId;
use super::message::Message;
use super::outbox::{Effect, Outbox};
use super::service::Service;
use super::tag::Tag;
use super::world::World;

/// Sets the timers of the injected failures and recoveries.
pub fn schedule(world: &mut World) {
    for (i, f) in world.model.platform.failures.iter().enumerate() {
        world.timer(f.at, Tag::Fail(FailureId(i as u32)));
        if let Some(d) = f.duration {
            world.timer(f.at + d, Tag::Recover(FailureId(i as u32)));
        }
    }
}

/// An injected failure starts (`down`) or ends: what used it fails (its
/// owners learn at the next `FailuresDue` event); a compute node on a host
/// that goes down loses what it ran and held; services retry what a link
/// or a host coming back may now allow.
pub fn inject(world: &mut World, services: &[Service], out: &mut Outbox, failure: FailureId, down: bool) {
    let target = world.model.platform.failures[failure.index()].target;
    world.tracker.set(target, down);
    if down {
        for (id, tag) in world.tracker.take_broken() {
            world.engine.cancel(id);
            world.fail_later(tag);
        }
    }
    match target {
        FailureTarget::Link(_) if !down => {
            // Copies and downloads that failed over the link may succeed now.
            for service in services {
                out.push(Effect::Deliver(service.id, Message::Wake));
            }
        }
        FailureTarget::Link(_) => {}
        FailureTarget::Host(h) => {
            for service in services {
                for node in service.nodes_on(HostId(h.0)) {
                    if down {
                        out.push(Effect::NodeDown(service.id, node));
                    } else {
                        out.push(Effect::NodeUp(service.id, node));
                        out.push(Effect::Deliver(service.id, Message::Wake));
                    }
                }
            }
        }
    }
}

/// The failed work noted since the last `FailuresDue` event, for its owners
/// one after the other.
pub fn due(world: &mut World, out: &mut Outbox) {
    for tag in world.tracker.take_due() {
        out.push(Effect::Failed(tag));
    }
}

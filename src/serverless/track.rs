//! What is down, and what each activity in flight uses. While a link is
//! down every transfer crossing it fails; while a host is down everything
//! using it fails. Activities are watched (the hosts and routes they use)
//! only when the script injects failures, so runs without any pay nothing.

use rustc_hash::FxHashMap;

use crate::engine::{ActivityId, HostId};
use crate::ir::platform::FailureTarget;

use super::tag::Tag;

/// What an activity in flight uses: the hosts it touches and the routes it crosses.
#[derive(Debug, Clone, Default)]
pub struct Footprint {
    pub hosts: Vec<HostId>,
    pub routes: Vec<(HostId, HostId)>,
}

/// The failure state of the platform and the activities watched for it.
#[derive(Debug, Default)]
pub struct Tracker {
    /// Whether the script injects any failure (nothing is watched otherwise).
    pub enabled: bool,
    host_down: Vec<bool>,
    link_down: Vec<bool>,
    /// Links of each declared route, both directions.
    routes: FxHashMap<(HostId, HostId), Vec<u32>>,
    /// Activities in flight and what they use, with their tag.
    in_flight: FxHashMap<ActivityId, (Tag, Footprint)>,
    /// Failed work whose owner is told at the next event, by its tag (an
    /// invocation's handle in it finds nothing if something else ended the
    /// invocation first).
    due: Vec<Tag>,
    /// A `FailuresDue` timer is pending.
    armed: bool,
}

impl Tracker {
    pub fn new(model: &crate::ir::Model) -> Self {
        let platform = &model.platform;
        let mut routes = FxHashMap::default();
        for r in &platform.routes {
            let links: Vec<u32> = r.links.iter().map(|l| l.0).collect();
            routes.insert((HostId(r.a.0), HostId(r.b.0)), links.clone());
            routes.insert((HostId(r.b.0), HostId(r.a.0)), links);
        }
        Tracker {
            enabled: !platform.failures.is_empty(),
            host_down: vec![false; platform.hosts.len()],
            link_down: vec![false; platform.links.len()],
            routes,
            ..Tracker::default()
        }
    }

    pub fn host_down(&self, host: HostId) -> bool {
        self.host_down[host.index()]
    }

    /// Whether a link of the declared route from `a` to `b` is down.
    pub fn route_down(&self, a: HostId, b: HostId) -> bool {
        self.routes
            .get(&(a, b))
            .is_some_and(|links| links.iter().any(|l| self.link_down[*l as usize]))
    }

    /// Whether a footprint uses anything down now.
    pub fn broken(&self, fp: &Footprint) -> bool {
        fp.hosts.iter().any(|h| self.host_down[h.index()]) || fp.routes.iter().any(|(a, b)| self.route_down(*a, *b))
    }

    /// A host or link goes down, or comes back.
    pub fn set(&mut self, target: FailureTarget, down: bool) {
        match target {
            FailureTarget::Link(l) => self.link_down[l.0 as usize] = down,
            FailureTarget::Host(h) => self.host_down[h.0 as usize] = down,
        }
    }

    pub fn watch(&mut self, id: ActivityId, tag: Tag, fp: Footprint) {
        self.in_flight.insert(id, (tag, fp));
    }

    /// An activity completed or was cancelled: it is no longer watched.
    pub fn forget(&mut self, id: ActivityId) {
        self.in_flight.remove(&id);
    }

    /// The watched activities that use something down, no longer watched:
    /// in activity order, so the outcome does not depend on the table's layout.
    pub fn take_broken(&mut self) -> Vec<(ActivityId, Tag)> {
        let mut broken: Vec<(ActivityId, Tag)> = self
            .in_flight
            .iter()
            .filter(|(_, (_, fp))| self.broken(fp))
            .map(|(id, (tag, _))| (*id, *tag))
            .collect();
        broken.sort_by_key(|(id, _)| *id);
        for (id, _) in &broken {
            self.in_flight.remove(id);
        }
        broken
    }

    /// Notes failed work; true when the caller must set the timer that
    /// tells its owners (none is pending yet).
    pub fn fail_later(&mut self, tag: Tag) -> bool {
        self.due.push(tag);
        !std::mem::replace(&mut self.armed, true)
    }

    /// The failed work noted since the last call, in the order it failed.
    pub fn take_due(&mut self) -> Vec<Tag> {
        self.armed = false;
        std::mem::take(&mut self.due)
    }
}

//! The world every component of a run shares: the model, the engine and
//! its clock, the registrations, the invocations in flight, what is down,
//! the fixed settings of each service, and where records go. Components
//! own their own state and reach each other only through the outbox
//! ([`super::outbox`]); what they all need lives here.

use crate::engine::{Activity, ActivityId, Engine, TimerId};
use crate::ir::Model;
use crate::report::{BATCH, EdgeRecord, InvocationRecord, Sink, WorkflowRecord};

use super::RunError;
use super::invocation::Invocations;
use super::platform::Lowered;
use super::quota::Quotas;
use super::registry::Registry;
use super::settings::Settings;
use super::tag::Tag;
use super::track::{Footprint, Tracker};

pub struct World<'m> {
    pub model: &'m Model,
    /// The run's seed, mixed into every generator.
    pub seed: u64,
    pub engine: Engine<Tag>,
    /// Engine ids of the model's disks.
    pub lowered: Lowered,
    pub registry: Registry,
    pub invocations: Invocations,
    /// Ids given to invocations so far (their order of submission).
    pub next_id: u64,
    /// What is down, and what activities in flight use.
    pub tracker: Tracker,
    /// The computations sharing their container's CPU quota.
    pub quotas: Quotas,
    /// The fixed settings of each service, by [`crate::ir::service::ServiceId`].
    pub settings: Vec<Settings>,
    sink: &'m mut dyn Sink,
    /// Records not handed to the sink yet: each is built here, in place,
    /// and the sink takes them [`BATCH`] at a time ([`World::wrote`]).
    pub records: Vec<InvocationRecord>,
    /// Why the run must stop, once something went wrong.
    pub error: Option<RunError>,
}

impl<'m> World<'m> {
    pub fn new(
        model: &'m Model,
        seed: u64,
        engine: Engine<Tag>,
        lowered: Lowered,
        registry: Registry,
        settings: Vec<Settings>,
        sink: &'m mut dyn Sink,
    ) -> Self {
        World {
            model,
            seed,
            engine,
            lowered,
            registry,
            invocations: Invocations::default(),
            next_id: 0,
            tracker: Tracker::new(model),
            quotas: Quotas::default(),
            settings,
            sink,
            records: Vec::with_capacity(BATCH),
            error: None,
        }
    }

    /// The world holding at most `max_in_flight` invocations at once
    /// (`--max-in-flight`) rather than [`crate::ir::workload::MAX_IN_FLIGHT`].
    pub fn holding_at_most(mut self, max_in_flight: u64) -> Self {
        self.invocations = Invocations::bounded(max_in_flight);
        self
    }

    #[inline]
    pub fn now(&self) -> f64 {
        self.engine.now()
    }

    /// Keeps the first error: the run stops at the end of the current event.
    pub fn fail(&mut self, error: RunError) {
        self.error.get_or_insert(error);
    }

    /// A timer; `None` (with the run's error set) if the engine refuses
    /// the delay, which only a non-finite amount can cause.
    #[inline]
    pub fn timer(&mut self, delay: f64, tag: Tag) -> Option<TimerId> {
        match self.engine.timer(delay.max(0.0), tag) {
            Ok(id) => Some(id),
            Err(error) => {
                self.fail(RunError::Engine(error.to_string()));
                None
            }
        }
    }

    pub fn cancel_timer(&mut self, timer: Option<TimerId>) {
        if let Some(timer) = timer {
            self.engine.cancel_timer(timer);
        }
    }

    fn start(&mut self, activity: Activity, tag: Tag) -> Option<ActivityId> {
        match self.engine.start(activity, tag) {
            Ok(id) => Some(id),
            Err(error) => {
                self.fail(RunError::Engine(error.to_string()));
                None
            }
        }
    }

    /// Starts an activity, unless something it needs is down (its owner
    /// then learns of the failure with the next `FailuresDue` event).
    pub fn start_tracked(&mut self, activity: Activity, tag: Tag) -> Option<ActivityId> {
        if !self.tracker.enabled {
            return self.start(activity, tag);
        }
        let mut fp = Footprint::default();
        self.footprint(&activity, &mut fp);
        if self.tracker.broken(&fp) {
            self.fail_later(tag);
            return None;
        }
        let id = self.start(activity, tag)?;
        self.tracker.watch(id, tag, fp);
        Some(id)
    }

    /// Stops an activity started with [`World::start_tracked`]: it is no
    /// longer watched for failures.
    pub fn cancel_tracked(&mut self, id: ActivityId) {
        if self.tracker.enabled {
            self.tracker.forget(id);
        }
        self.engine.cancel(id);
    }

    /// Notes failed work, told to its owner at the next `FailuresDue` event.
    pub fn fail_later(&mut self, tag: Tag) {
        if self.tracker.fail_later(tag) {
            self.timer(0.0, Tag::FailuresDue);
        }
    }

    /// What an activity uses, from the platform's disks and its steps.
    fn footprint(&self, activity: &Activity, fp: &mut Footprint) {
        let disk_host = |d: crate::engine::DiskId| self.engine.platform().disks()[d.index()].host;
        match activity {
            Activity::Compute { host, .. } => fp.hosts.push(*host),
            Activity::Transfer { src, dst, .. } => {
                fp.hosts.extend([*src, *dst]);
                fp.routes.push((*src, *dst));
            }
            Activity::DiskRead { disk, .. } | Activity::DiskWrite { disk, .. } => fp.hosts.push(disk_host(*disk)),
            Activity::Sleep { .. } => {}
            Activity::Stream { src_disk, dst_host, .. } => {
                let src = disk_host(*src_disk);
                fp.hosts.extend([src, *dst_host]);
                fp.routes.push((src, *dst_host));
            }
            Activity::Sequence(steps) => steps.iter().for_each(|s| self.footprint(s, fp)),
        }
    }

    /// Writes an invocation's record.
    pub fn write(&mut self, record: InvocationRecord) {
        self.records.push(record);
        self.wrote();
    }

    /// A record was pushed onto [`World::records`]: a full batch goes to
    /// the sink.
    #[inline]
    pub fn wrote(&mut self) {
        if self.records.len() >= BATCH {
            self.flush_records();
        }
    }

    /// Hands the records not taken yet to the sink (a full batch, or the
    /// last ones when the run ends).
    #[inline(never)]
    pub fn flush_records(&mut self) {
        if self.records.is_empty() {
            return;
        }
        if let Err(error) = self.sink.records(&mut self.records) {
            self.fail(RunError::Io(error));
        }
    }

    pub fn write_workflow(&mut self, record: WorkflowRecord) {
        if let Err(error) = self.sink.workflow(record) {
            self.fail(RunError::Io(error));
        }
    }

    pub fn write_edge(&mut self, record: &EdgeRecord) {
        if let Err(error) = self.sink.edge(record) {
            self.fail(RunError::Io(error));
        }
    }

    /// Names for the records, given to the sink before any record.
    pub fn begin(&mut self, names: &crate::report::Names) {
        self.sink.begin(names);
    }

    /// The time series' intervals kept, told to the sink before any record.
    pub fn keep_intervals(&mut self, kept: u64) {
        self.sink.keep_intervals(kept);
    }
}

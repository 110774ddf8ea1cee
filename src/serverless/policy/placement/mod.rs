//! Placement policies (the service's `scheduler`): given the invocations
//! waiting to run (in the service's list order) and a view of the system,
//! a placement policy returns decisions — image layer copies and loads,
//! dispatches, evictions, prewarms. The service applies them in a fixed
//! order and silently drops infeasible ones; the policy is asked again
//! after the next event. A new policy is one file implementing
//! [`Placement`] plus its registry row (see [`crate::language::policies`]).

mod balanced;
mod consistent_hash;
mod doomed;
mod expr;
mod fcfs;
mod greedy;
mod inert;
mod least_loaded;
mod node_heap;
mod openwhisk;
mod overlay;
mod own;
mod pick;
mod prefix;
mod random;
mod refused;
mod round_robin;
mod shuffle;
mod submit_order;
mod tally;
mod waiting_set;
mod works;

use crate::ir::function::{ImageId, LayerId};
use crate::ir::service::SchedulerSpec;

use crate::serverless::ids::{ContainerId, KeyId, NodeId, PrewarmId, RegId};
use crate::serverless::invocation::InvocationHandle;
use crate::serverless::registry::Registry;
use crate::serverless::state::ServiceState;

use super::{Build, Maker};

pub use overlay::Overlay;
pub use own::{ByRegistration, Own};
pub use pick::{Choosing, PickNode, by_pick};
pub use submit_order::{SubmitOrder, SubmitOrderTracker};
pub use tally::Tally;
pub use waiting_set::WaitingSet;
pub use works::{UNLIMITED_WEIGHT, Works};

/// What waits to be placed: an invocation, or a request to start a
/// container ahead of any invocation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waiting {
    Invocation(InvocationHandle),
    Prewarm(PrewarmId),
}

/// A waiting invocation (or a prewarm request) as schedulers see it.
#[derive(Debug, Clone, Copy)]
pub struct Pending {
    /// What it is, returned in a dispatch.
    pub waiting: Waiting,
    /// Submission order (invocation id), for FCFS ordering.
    pub id: u64,
    pub submit: f64,
    pub reg: RegId,
    /// Reuse key: which containers can serve it.
    pub key: KeyId,
    pub image: ImageId,
    /// RAM and scratch disk a new container for it reserves.
    pub ram: f64,
    pub disk: f64,
    pub time_limit: Option<f64>,
}

impl Pending {
    /// Whether it may take a container that is there, idle or
    /// prewarming: an invocation may; a prewarm request starts a
    /// container of its own, and a container chosen for it would only be
    /// kept from the invocations after it in the round.
    #[inline(always)]
    pub fn takes_existing(&self) -> bool {
        matches!(self.waiting, Waiting::Invocation(_))
    }
}

/// What a scheduler sees.
pub struct View<'a> {
    pub state: &'a ServiceState,
    pub registry: &'a Registry,
    pub now: f64,
    /// The policy may end a round once what is left could only be
    /// dispatched to fail at no effect (see `doomed.rs`); off when every
    /// request must be decided the long way (tests comparing both). Unlike
    /// `shortcuts`, on while prewarm requests wait: what a policy skips
    /// unseen under it must hold for them too (a refused one leaves the
    /// list: `Decisions::refuse_prewarms`), and what it judges by
    /// registration it judges from an invocation (`greedy`'s refusals).
    pub skip_doomed: bool,
    /// The policy may decide entries alike by whole runs where that is
    /// what deciding them one by one does (see `overlay/alike.rs`); off
    /// when every request must be decided the long way.
    pub shortcuts: bool,
    /// The policy may step over what cannot be taken: once no slot is
    /// left, prewarm requests (only an invocation can claim a prewarming
    /// container), and the rest of the round once every prewarming
    /// container is claimed too (`fcfs`); the nodes an earlier entry
    /// found without a free slot this round (`openwhisk`'s probes); nodes
    /// where nothing can be decided (`InertNodes`, which reads
    /// `skip_doomed` only for the refusals it foresees). Unlike the
    /// others, on while prewarms are about; off when every request must
    /// be decided the long way.
    pub step_over: bool,
}

impl View<'_> {
    /// `shortcuts` for a policy whose shortcuts decide each prewarm
    /// request as its full rounds do (`InertNodes`, `balanced`): on while
    /// prewarm requests wait, as `step_over` is. A policy that claims
    /// prewarming containers also reads `skip_doomed`, off while one is
    /// unclaimed.
    pub fn shortcuts_past_prewarms(&self, tally: &Tally) -> bool {
        match tally.prewarms() {
            0 => self.shortcuts,
            _ => self.step_over,
        }
    }
}

/// The list of what waits, in the order it became schedulable, as a round
/// sees it: entries dispatched since they were listed are skipped (the
/// service drops them from time to time, not at every dispatch, which would
/// cost the list's length each time).
#[derive(Debug, Clone, Copy)]
pub struct Queue<'a> {
    /// The service's whole list; the round sees it from `start` on.
    list: &'a [Option<Pending>],
    start: usize,
    /// The positions of `list` whose entry waits, counted so that passing
    /// or taking back many waiting entries costs O(log) of the list, not
    /// their number.
    waiting: &'a WaitingSet,
    /// Those of them that are prewarm requests (the same positions).
    prewarms: &'a WaitingSet,
    tally: &'a Tally,
    /// How a round walks the waiting entries in (submit date, id) order.
    submit_order: SubmitOrder,
    /// Per registration, its entries in the list: kept only for a
    /// placement that `finds_entries_by_registration`.
    own: Option<&'a ByRegistration>,
}

impl<'a> Queue<'a> {
    pub fn new(
        list: &'a [Option<Pending>],
        start: usize,
        waiting: &'a WaitingSet,
        prewarms: &'a WaitingSet,
        tally: &'a Tally,
        submit_order: SubmitOrder,
        own: Option<&'a ByRegistration>,
    ) -> Self {
        Queue {
            list,
            start,
            waiting,
            prewarms,
            tally,
            submit_order,
            own,
        }
    }

    /// How a round walks the waiting entries in (submit date, id) order,
    /// the order FCFS policies sort them in: [`Queue::iter`], or
    /// [`Queue::nth_prewarm`] then [`Queue::nth_invocation`], or a sort.
    pub fn submit_order(&self) -> SubmitOrder {
        self.submit_order
    }

    /// The position of the waiting entry of rank `rank` in list order, if
    /// that many wait; in O(log) of the list.
    pub fn nth_waiting(&self, rank: usize) -> Option<usize> {
        (rank < self.waiting.total()).then(|| self.waiting.select(rank) - self.start)
    }

    /// The position of the waiting prewarm request of rank `rank` in list
    /// order, if that many wait; in O(log) of the list.
    pub fn nth_prewarm(&self, rank: usize) -> Option<usize> {
        (rank < self.prewarms.total()).then(|| self.prewarms.select(rank) - self.start)
    }

    /// The position of the waiting invocation of rank `rank` in list
    /// order, if that many wait; in O(log) of the list.
    pub fn nth_invocation(&self, rank: usize) -> Option<usize> {
        (rank < self.waiting.total() - self.prewarms.total())
            .then(|| waiting_set::select_apart(self.waiting, self.prewarms, rank) - self.start)
    }

    fn entries(&self) -> &'a [Option<Pending>] {
        &self.list[self.start..]
    }

    /// Whether the entry at a position (a waiting one) is a prewarm
    /// request, read from a bit, not from the entry.
    #[inline(always)]
    pub fn is_prewarm(&self, index: usize) -> bool {
        self.prewarms.contains(self.start + index)
    }

    /// The waiting entries counted per registration.
    pub fn tally(&self) -> &'a Tally {
        self.tally
    }

    /// Positions in the list, waiting entries and dispatched ones alike:
    /// the bound of the indices [`Queue::iter`] gives.
    pub fn len(&self) -> usize {
        self.entries().len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries().is_empty()
    }

    /// The entry at a position, unless it is dispatched.
    pub fn get(&self, index: usize) -> Option<&'a Pending> {
        self.entries().get(index).and_then(Option::as_ref)
    }

    /// Waiting entries with their positions, in list order.
    pub fn iter(&self) -> impl Iterator<Item = (usize, &'a Pending)> + 'a {
        self.iter_from(0)
    }

    /// Waiting entries at `index` and after, with their positions.
    pub fn iter_from(&self, index: usize) -> impl Iterator<Item = (usize, &'a Pending)> + 'a {
        self.entries()
            .iter()
            .enumerate()
            .skip(self.first_waiting_from(index))
            .filter_map(|(i, p)| p.as_ref().map(|p| (i, p)))
    }

    /// The first waiting position at `index` or after ([`Queue::len`] if
    /// none). Dispatched positions stretch up to half the list before it
    /// is compacted, scattered where a policy dispatched out of order
    /// (`round_robin`): rounds that resume past a run of entries find the
    /// next one by rank and select, not by a scan of the stretch.
    fn first_waiting_from(&self, index: usize) -> usize {
        match self.entries().get(index) {
            None => self.len(),
            Some(Some(_)) => index,
            Some(None) => {
                let rank = self.waiting.rank(self.start + index);
                if rank < self.waiting.total() {
                    self.waiting.select(rank) - self.start
                } else {
                    self.len()
                }
            }
        }
    }

    /// The position of the `count`-th waiting entry before `index`,
    /// counting back from it (`count` at least 1), in O(log) of the list;
    /// None when fewer wait before it.
    pub fn before_waiting(&self, index: usize, count: usize) -> Option<usize> {
        // Positions before `start` are dispatched: the rank counts only
        // entries after it.
        let rank = self.waiting.rank(self.start + index);
        (rank >= count).then(|| self.waiting.select(rank - count) - self.start)
    }

    /// How many entries wait before `index`, in O(log) of the list.
    pub fn waiting_before(&self, index: usize) -> usize {
        self.waiting.rank(self.start + index)
    }

    /// Whether every entry waiting at `index` or after is a prewarm
    /// request, in O(log) of the list.
    pub fn only_prewarms_from(&self, index: usize) -> bool {
        let at = (self.start + index).min(self.list.len());
        self.waiting.total() - self.waiting.rank(at) == self.prewarms.total() - self.prewarms.rank(at)
    }

    /// The position of the `count`-th waiting invocation before `index`,
    /// counting back from it (`count` at least 1) over the prewarm
    /// requests between, in O(log) of the list; None when fewer wait
    /// before it.
    pub fn before_invocation(&self, index: usize, count: usize) -> Option<usize> {
        let at = self.start + index;
        let rank = self.waiting.rank(at) - self.prewarms.rank(at);
        (rank >= count).then(|| waiting_set::select_apart(self.waiting, self.prewarms, rank - count) - self.start)
    }

    /// The position of the `count`-th waiting entry of `reg` before
    /// `index`, counting back from it (`count` at least 1), in O(log) of
    /// `reg`'s entries; None when fewer wait before it.
    pub fn before_of(&self, reg: RegId, index: usize, count: usize) -> Option<usize> {
        let own = self.own_of(reg)?;
        own.before(self.start + index, count).map(|at| at - self.start)
    }

    /// The registrations with an entry waiting, in order of first
    /// appearance, each with the position of its first waiting entry:
    /// kept as entries come and go, so reading them costs their number.
    /// Asked of a list that does not keep them (the placement does not
    /// `finds_entries_by_registration`), a policy's bug: it panics.
    pub fn first_appearances(&self) -> impl Iterator<Item = (usize, RegId)> + 'a {
        let start = self.start;
        self.by_registration()
            .firsts()
            .map(move |(at, reg)| (at - start, RegId(reg as u32)))
    }

    /// The work waiting per registration, as `balanced` weighs it: kept
    /// as entries come and go, for a placement that
    /// `finds_entries_by_registration` (asked otherwise, it panics).
    pub fn works(&self) -> &'a Works {
        self.by_registration().works()
    }

    /// The position of `reg`'s first waiting entry, in O(log) of its
    /// entries; None when none waits.
    pub fn first_of(&self, reg: RegId) -> Option<usize> {
        self.own_of(reg)?.first_waiting().map(|at| at - self.start)
    }

    /// The entries per registration, kept only for a placement that
    /// `finds_entries_by_registration`: asked otherwise, a policy's bug.
    fn by_registration(&self) -> &'a ByRegistration {
        self.own
            .expect("entries per registration are kept for a placement that finds_entries_by_registration")
    }

    /// `reg`'s entries, None when none was listed. Asked of a list that
    /// does not keep them (the placement does not
    /// `finds_entries_by_registration`), a policy's bug: it panics rather
    /// than answer that none waits.
    fn own_of(&self, reg: RegId) -> Option<&'a Own> {
        self.by_registration().registrations().get(reg.index())
    }

    /// How many entries of `reg` wait before `index`, in O(log) of its
    /// entries.
    pub fn waiting_of_before(&self, reg: RegId, index: usize) -> usize {
        self.own_of(reg).map_or(0, |own| own.waiting_before(self.start + index))
    }

    /// The position of the `count`-th waiting invocation of `reg` before
    /// `index`, counting back from it (`count` at least 1) over its
    /// prewarm requests between, in O(log) of its entries; None when fewer
    /// wait before it.
    pub fn before_invocation_of(&self, reg: RegId, index: usize, count: usize) -> Option<usize> {
        let own = self.own_of(reg)?;
        own.before_invocation(self.start + index, count)
            .map(|at| at - self.start)
    }

    /// The first waiting invocation at `index` or after ([`Queue::len`]
    /// if none), and how many prewarm requests wait before it from
    /// `index` on: in O(log) of the list, whatever their number (a round
    /// that can only place invocations steps over the others so).
    pub fn first_invocation_from(&self, index: usize) -> (usize, usize) {
        let at = (self.start + index).min(self.list.len());
        let prewarms_before = self.prewarms.rank(at);
        let before = self.waiting.rank(at) - prewarms_before;
        let invocations = self.waiting.total() - self.prewarms.total();
        let found = if before < invocations {
            waiting_set::select_apart(self.waiting, self.prewarms, before)
        } else {
            self.list.len()
        };
        let passed = self.prewarms.rank(found) - prewarms_before;
        (found - self.start, passed)
    }

    /// The position right after the first `count` waiting entries from
    /// `index` on (the list's length if fewer wait), in O(log) of the list.
    pub fn after_waiting(&self, index: usize, count: usize) -> usize {
        if count == 0 {
            return index;
        }
        let last = self.waiting.rank(self.start + index) + count - 1;
        if last >= self.waiting.total() {
            return self.len();
        }
        self.waiting.select(last) + 1 - self.start
    }
}

/// A run of invocations on a node: onto an idle (or prewarming) container,
/// or a new one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dispatch {
    pub waiting: Waiting,
    /// Position of the entry in the queue the scheduler was given.
    pub index: u32,
    pub node: NodeId,
    pub container: Option<ContainerId>,
}

/// Where an invocation runs at once: a node, and the idle or prewarming
/// container it takes (None: a new container).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Site {
    pub node: NodeId,
    pub container: Option<ContainerId>,
}

/// Everything a scheduler decided in one round, applied in field order.
#[derive(Debug, Default)]
pub struct Decisions {
    pub terminate: Vec<ContainerId>,
    pub evict_ram: Vec<(NodeId, LayerId)>,
    pub evict_disk: Vec<(NodeId, LayerId)>,
    pub dispatch: Vec<Dispatch>,
    pub load: Vec<(NodeId, LayerId)>,
    pub copy: Vec<(NodeId, LayerId)>,
    /// Wake the scheduler at this date even if nothing happens.
    pub wake_at: Option<f64>,
    /// The scheduler stopped because no slot was left for anything.
    pub exhausted: bool,
    /// Stretches of the list, in its order (from an index to one
    /// excluded), the round passed without deciding them, each entry in
    /// them a dispatch the service would drop or refuse (see `doomed.rs`):
    /// the prewarm requests among them are taken out of the list as
    /// refused ones are, in list order with the dispatches.
    pub refuse_prewarms: Vec<(u32, u32)>,
}

impl Decisions {
    pub fn clear(&mut self) {
        self.terminate.clear();
        self.evict_ram.clear();
        self.evict_disk.clear();
        self.dispatch.clear();
        self.load.clear();
        self.copy.clear();
        self.wake_at = None;
        self.exhausted = false;
        self.refuse_prewarms.clear();
    }

    pub fn is_empty(&self) -> bool {
        self.terminate.is_empty()
            && self.evict_ram.is_empty()
            && self.evict_disk.is_empty()
            && self.dispatch.is_empty()
            && self.load.is_empty()
            && self.copy.is_empty()
            && self.refuse_prewarms.is_empty()
    }
}

/// A scheduling policy.
pub trait Placement {
    /// Decides for what waits in `queue`.
    fn schedule(&mut self, view: &View, queue: Queue, out: &mut Decisions);

    /// Whether invocations appended to the list can change nothing in a
    /// round that already ran out of slots before reaching them (true when
    /// the list is served in order). The service then skips such rounds,
    /// and takes a round that finds no free slot and no unclaimed
    /// prewarming container to decide nothing (`Decisions::exhausted`).
    fn appends_are_inert(&self) -> bool {
        false
    }

    /// Decides for what waits in `queue` as [`Placement::schedule`] would,
    /// where the service guarantees that the last round (`schedule` or
    /// `resume`) decided nothing and that, since, only requests were
    /// appended to the list: the service's state and the entries the last
    /// round saw are as they were. A policy whose rounds walk the list in
    /// order, with what they learnt kept, may then go on from where the
    /// last walk stopped over the appended entries alone: a crowd of
    /// requests waiting for their images, each arrival a round, costs its
    /// arrivals, not its length at every arrival. The answer must be
    /// exactly `schedule`'s, which is what a policy keeping nothing
    /// between rounds runs.
    fn resume(&mut self, view: &View, queue: Queue, out: &mut Decisions) {
        self.schedule(view, queue, out);
    }

    /// What a round would decide for `p` alone, when that is to run it at
    /// once and nothing else; None when a round must decide. The service
    /// asks this for a request that finds nobody waiting, and skips the
    /// round when answered, so an answer must be exactly the round's
    /// decision. Most requests of a warm system are placed this way: the
    /// service applies an answer without checking again what it
    /// guarantees, that the site's container, if any, is an idle or an
    /// unclaimed prewarming container of `p`'s key on the site's node, and
    /// that the node has a free slot unless that container is prewarming
    /// (it brings its own).
    fn place_alone(&mut self, _view: &View, _p: &Pending) -> Option<Site> {
        None
    }

    /// Why the policy could not decide, once: the run stops with it (a
    /// placement written in the script that divided by zero, say).
    fn fault(&mut self) -> Option<super::expr::Fault> {
        None
    }

    /// Whether the policy may dispatch an invocation to a prewarming
    /// container (one still starting, not yet claimed). One that never
    /// does (it takes the classic decision at a node of its choosing,
    /// `Overlay::act_at`, which looks for idle containers only) does not
    /// see them: they only hold RAM and a slot, as the service's state
    /// says. The rounds' shortcuts, which judge from slots and by
    /// registration, then stay on while such containers are unclaimed
    /// (`Service::shortcuts`); for a policy that claims them (or may: the
    /// default) full rounds decide meanwhile.
    fn claims_prewarming(&self) -> bool {
        true
    }

    /// Whether the policy reads which nodes were given slots back since
    /// its last round (`ServiceState::slots_given`, kept only then).
    fn watches_slots_given(&self) -> bool {
        false
    }

    /// Whether the policy reads which nodes took a slot while empty since
    /// its last round (`ServiceState::left_empty`, kept only then).
    fn watches_left_empty(&self) -> bool {
        false
    }

    /// Whether its rounds find a registration's entries by rank among its
    /// own ([`Queue::before_of`] and the like; the service keeps them per
    /// registration only then).
    fn finds_entries_by_registration(&self) -> bool {
        false
    }
}

/// The constructors, under the names of the registry's `PLACEMENT` table.
pub const MAKERS: &[Maker<dyn Placement>] = &[
    ("fcfs", fcfs::make),
    ("random", random::make),
    ("balanced", balanced::make),
    ("greedy", greedy::make),
    ("least_loaded", least_loaded::make),
    ("round_robin", round_robin::make),
    ("openwhisk", openwhisk::make),
    ("consistent_hash", consistent_hash::make),
];

/// The placement policy the service chooses: one written in the script,
/// a policy the running program registered, or a registry row's.
pub fn make(build: &Build) -> Box<dyn Placement> {
    let name = match &build.service.scheduler {
        SchedulerSpec::Written(written) => return expr::make(written, build),
        spec => spec.name(),
    };
    match build.registered.make_placement(name, build) {
        Some(policy) => policy,
        None => super::make(MAKERS, name, build),
    }
}

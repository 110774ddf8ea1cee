//! What waits in a service: new invocations (their image neither on the
//! head nor on its way), invocations waiting for downloads (per image), and
//! the list the scheduler places from, in the order entries became
//! schedulable.

use std::collections::VecDeque;

use indexmap::IndexMap;

use crate::ir::function::ImageId;

use super::super::ids::PrewarmId;
use super::super::invocation::InvocationHandle;
use super::super::policy::placement::{ByRegistration, Pending, Queue, SubmitOrderTracker, Tally, Waiting, WaitingSet};

/// What the last round left for the next one, as long as only requests
/// arrive: anything else that changes the service (a message other than a
/// request, a dispatch or join outside a round, the autoscaler, the head's
/// downloads) makes it [`LastRound::Stirred`].
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub enum LastRound {
    /// The next round walks the whole list.
    #[default]
    Stirred,
    /// The last round decided nothing for lack of slots (or its shortcut,
    /// `place_head`, took the last one): another round would decide
    /// nothing either, and is skipped.
    Quiet,
    /// The last round decided nothing, with slots left: the next round is
    /// [`resume`](crate::serverless::policy::placement::Placement::resume)d,
    /// which a policy keeping its round's walk goes on from where it
    /// stopped, if it reached the list's end (the policy knows).
    Resumable,
}

#[derive(Debug, Default)]
pub struct Queues {
    /// Invocations whose image is not yet on the head and not downloading.
    pub new: VecDeque<InvocationHandle>,
    /// Invocations (and prewarm requests) waiting for downloads, per image,
    /// images in order of first admission.
    pub admitted: IndexMap<ImageId, VecDeque<Waiting>>,
    /// What the scheduler may place; `None` once dispatched (see [`Queue`]).
    schedulable: Vec<Option<Pending>>,
    /// Entries of `schedulable` before this index are all dispatched.
    start: usize,
    /// Dispatched entries still in `schedulable`.
    dead: usize,
    /// The waiting entries of `schedulable` per registration.
    tally: Tally,
    /// The positions of `schedulable` whose entry waits: what lets a
    /// round pass or take back many entries at once.
    waiting: WaitingSet,
    /// How the entries listed since the list was last empty came as to
    /// (submit date, id): the waiting ones are among them, in the same
    /// order, which FCFS orders then walk without a sort.
    submit_order: SubmitOrderTracker,
    /// What the last round left for the next, while only requests arrive.
    pub last_round: LastRound,
    /// Prewarm requests taken out of the list by the current round (their
    /// node had no room for them), to go back at its end once it is over.
    parked: Vec<Pending>,
    /// The positions of `schedulable` whose entry is a waiting prewarm
    /// request, position for position with `waiting`: what lets a round
    /// that ends early take out the ones it would have refused without
    /// walking to them (see [`Queues::prewarms_in`]), and a round that
    /// can only place invocations step over the others
    /// ([`Queue::first_invocation_from`]).
    prewarms: WaitingSet,
    /// Per registration, its entries in `schedulable`: what lets a round
    /// find a registration's newest entries, or invocations, without
    /// stepping over the others' or its own passed ones (see
    /// [`Queue::before_of`]). Kept for a placement that
    /// `finds_entries_by_registration` only (a few % of a saturated
    /// list's cost under the others).
    own: Option<ByRegistration>,
}

impl Queues {
    /// An empty list; `by_registration`: keeping each registration's
    /// entries (`Placement::finds_entries_by_registration`).
    pub fn new(by_registration: bool) -> Self {
        Queues {
            own: by_registration.then(ByRegistration::default),
            ..Queues::default()
        }
    }

    /// Something other than the arrival of requests changed the service (a
    /// completion, a transfer, a timer, a dispatch): the next round may
    /// decide what the last could not, and walks the whole list.
    #[inline(always)]
    pub fn stir(&mut self) {
        self.last_round = LastRound::Stirred;
    }

    /// The service's state changed by a dispatch or join outside a round,
    /// where no slot was freed: a quiet list stays quiet (no slot to
    /// decide on), but no round goes on from the last walk.
    #[inline(always)]
    pub fn forget_walk(&mut self) {
        if self.last_round == LastRound::Resumable {
            self.last_round = LastRound::Stirred;
        }
    }

    /// Whether the last round left the list quiet (see [`LastRound::Quiet`]).
    #[inline(always)]
    pub fn quiet(&self) -> bool {
        self.last_round == LastRound::Quiet
    }

    /// Whether something waits for the scheduler.
    #[inline]
    pub fn has_schedulable(&self) -> bool {
        self.schedulable.len() > self.start + self.dead
    }

    pub fn push(&mut self, pending: Pending) {
        if let Some(own) = &mut self.own {
            let prewarm = matches!(pending.waiting, Waiting::Prewarm(_));
            own.push(pending.reg.index(), self.schedulable.len(), prewarm, pending.time_limit);
        }
        if self.schedulable.is_empty() {
            self.submit_order.clear();
        }
        self.submit_order.push(&pending);
        match pending.waiting {
            Waiting::Prewarm(_) => self.prewarms.push(),
            Waiting::Invocation(_) => self.prewarms.push_absent(),
        }
        self.tally.add(&pending);
        self.schedulable.push(Some(pending));
        self.waiting.push();
    }

    /// The list's first waiting entry, at index 0 of [`Queues::queue`]
    /// (the dispatched prefix is dropped as it grows, see
    /// [`Queues::forget_dispatched`]), without building the scheduler's view.
    #[inline]
    pub fn head(&self) -> Option<&Pending> {
        self.schedulable.get(self.start).and_then(Option::as_ref)
    }

    /// What the scheduler sees.
    pub fn queue(&self) -> Queue<'_> {
        Queue::new(
            &self.schedulable,
            self.start,
            &self.waiting,
            &self.prewarms,
            &self.tally,
            self.submit_order.order(),
            self.own.as_ref(),
        )
    }

    /// Marks the entry at `index` of the last [`Queues::queue`] dispatched.
    /// Marked, not removed: compacting the list on every round would cost
    /// its length each time.
    pub fn dispatched(&mut self, index: u32) {
        self.unlist(self.start + index as usize);
    }

    /// The list's first waiting entry is dispatched: [`Queues::dispatched`]
    /// of index 0 and [`Queues::forget_dispatched`] of one in a step (a
    /// saturated platform hands each freed slot to the head this way).
    pub fn dispatched_head(&mut self) {
        if self.unlist(self.start).is_some() {
            self.start += 1;
        }
        self.drop_dispatched();
    }

    /// Takes the entry at `index` of the last [`Queues::queue`] out of the
    /// list until [`Queues::unpark`] (it counts as dispatched meanwhile).
    pub fn park(&mut self, index: u32) {
        if let Some(p) = self.unlist(self.start + index as usize) {
            self.parked.push(p);
        }
    }

    /// The prewarm requests from index `from` of the last [`Queues::queue`]
    /// to `to` (excluded), in list order, with their indices there: what a
    /// round that ended early, its tail all dispatches the service would
    /// refuse (`Decisions::refuse_prewarms`), leaves the service to take
    /// out as walking them would have.
    pub fn prewarms_in(&self, from: u32, to: u32) -> Vec<(u32, PrewarmId)> {
        let (start, end) = (self.start + from as usize, self.start + to as usize);
        let first = self.prewarms.rank(start.min(self.prewarms.listed()));
        (first..self.prewarms.total())
            .map(|rank| self.prewarms.select(rank))
            .take_while(|&at| at < end)
            .filter_map(|at| match self.schedulable[at]?.waiting {
                Waiting::Prewarm(prewarm) => Some(((at - self.start) as u32, prewarm)),
                Waiting::Invocation(_) => None,
            })
            .collect()
    }

    /// Takes the entry at position `at` of `schedulable` out of what waits
    /// (its place stays, empty), if it is there.
    #[inline(always)]
    fn unlist(&mut self, at: usize) -> Option<Pending> {
        let p = self.schedulable[at].take()?;
        if let Waiting::Prewarm(_) = p.waiting {
            self.prewarms.remove(at);
        }
        if let Some(own) = &mut self.own {
            let schedulable = &self.schedulable;
            own.unlist(p.reg.index(), at, |at| schedulable[at].is_some());
        }
        self.tally.remove(&p);
        self.waiting.remove(at);
        Some(p)
    }

    /// Puts the parked entries back, at the end of the list.
    #[inline]
    pub fn unpark(&mut self) {
        if self.parked.is_empty() {
            return;
        }
        for p in std::mem::take(&mut self.parked) {
            self.push(p);
        }
    }

    /// Lists the positions of every registration's entries, and of the
    /// prewarm requests, anew.
    fn reindex(&mut self) {
        let mut own = self.own.as_mut();
        if let Some(own) = own.as_mut() {
            own.relist();
        }
        self.prewarms.clear();
        for (at, p) in self.schedulable.iter().enumerate() {
            let prewarm = match p.map(|p| (p.reg.index(), p.waiting)) {
                Some((reg, waiting)) => {
                    let prewarm = matches!(waiting, Waiting::Prewarm(_));
                    if let Some(own) = own.as_mut() {
                        own.list(reg, at, prewarm);
                    }
                    prewarm
                }
                None => false,
            };
            match prewarm {
                true => self.prewarms.push(),
                false => self.prewarms.push_absent(),
            }
        }
    }

    /// Counts newly dispatched entries; drops the dispatched prefix, and
    /// compacts the list once most of it is dispatched.
    pub fn forget_dispatched(&mut self, count: usize) {
        self.dead += count;
        self.drop_dispatched();
    }

    /// Drops the dispatched prefix, and compacts the list once most of it
    /// is dispatched (`dead` counts the dispatched entries after `start`).
    fn drop_dispatched(&mut self) {
        while self.schedulable.get(self.start).is_some_and(Option::is_none) {
            self.start += 1;
            self.dead -= 1;
        }
        if self.start == self.schedulable.len() {
            // Every registration's positions are trimmed away already.
            if let Some(own) = &mut self.own {
                own.restart();
            }
            self.schedulable.clear();
            self.waiting.clear();
            self.prewarms.clear();
            self.start = 0;
            self.dead = 0;
        } else if self.start + self.dead > self.schedulable.len() / 2 {
            self.schedulable.retain(Option::is_some);
            self.waiting.reset_waiting(self.schedulable.len());
            self.reindex();
            self.start = 0;
            self.dead = 0;
        }
    }

    /// Forgets everything that waits.
    pub fn clear(&mut self) {
        self.schedulable.clear();
        self.waiting.clear();
        self.tally.clear();
        self.start = 0;
        self.dead = 0;
        self.admitted.clear();
        self.new.clear();
        self.parked.clear();
        if let Some(own) = &mut self.own {
            own.clear();
        }
        self.prewarms.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serverless::ids::{KeyId, RegId};
    use crate::serverless::policy::placement::UNLIMITED_WEIGHT;

    /// An entry of the list: a prewarm request, or an invocation for ids
    /// that are multiples of 3; its registration's time limit, none or of
    /// two sizes.
    fn pending(id: u64, reg: u32) -> Pending {
        let waiting = if id.is_multiple_of(3) {
            Waiting::Invocation(InvocationHandle::for_tests(id as u32))
        } else {
            Waiting::Prewarm(PrewarmId(id as u32))
        };
        Pending {
            waiting,
            id,
            submit: id as f64,
            reg: RegId(reg),
            key: KeyId(reg),
            image: ImageId(0),
            ram: 1.0,
            disk: 0.0,
            time_limit: [None, Some(0.5), Some(1500.0)][reg as usize % 3],
        }
    }

    /// The list's bookkeeping against what it holds: `dead` counts the
    /// dispatched entries after `start`, `start` is at a waiting entry (or
    /// the end), each registration's positions end at a waiting entry and
    /// hold all of its waiting ones, the view lists `model` in order, and
    /// finds the first invocation from anywhere as a walk does.
    fn check(queues: &Queues, model: &[u64]) {
        let after_start = &queues.schedulable[queues.start..];
        assert_eq!(
            queues.dead,
            after_start.iter().filter(|p| p.is_none()).count(),
            "dead entries"
        );
        assert!(
            after_start.first().is_none_or(Option::is_some),
            "start at a dispatched entry"
        );
        assert_eq!(queues.has_schedulable(), !model.is_empty());
        assert_eq!(queues.head().map(|p| p.id), model.first().copied());
        assert_eq!(queues.tally.total(), model.len());
        assert_eq!(queues.waiting.total(), model.len());
        let listed: Vec<u64> = queues.queue().iter().map(|(_, p)| p.id).collect();
        assert_eq!(listed, model);
        let end = queues.schedulable.len();
        for (reg, own) in queues.own.iter().flat_map(ByRegistration::registrations).enumerate() {
            // Counted back by rank: its waiting entries, its invocations.
            let back: Vec<usize> = (1..).map_while(|k| own.before(end, k)).collect();
            let invocations_back: Vec<usize> = (1..).map_while(|k| own.before_invocation(end, k)).collect();
            let mine = |at: &usize, invocation: bool| {
                queues.schedulable[*at].is_some_and(|p| p.reg.index() == reg && (!invocation || p.takes_existing()))
            };
            assert_eq!(back, (0..end).rev().filter(|at| mine(at, false)).collect::<Vec<_>>());
            assert_eq!(
                invocations_back,
                (0..end).rev().filter(|at| mine(at, true)).collect::<Vec<_>>()
            );
            assert_eq!(own.waiting_before(end), back.len());
            let own = own.positions();
            assert!(own.is_sorted());
            assert!(own.last().is_none_or(|&at| queues.schedulable[at as usize].is_some()));
            let own_waiting: Vec<u32> = own
                .iter()
                .copied()
                .filter(|&at| queues.schedulable[at as usize].is_some())
                .collect();
            let waiting: Vec<u32> = (0..queues.schedulable.len() as u32)
                .filter(|&at| queues.schedulable[at as usize].is_some_and(|p| p.reg.index() == reg))
                .collect();
            assert_eq!(own_waiting, waiting, "registration {reg}'s positions");
        }
        let prewarms: Vec<u32> = (0..queues.schedulable.len() as u32)
            .filter(|&at| queues.schedulable[at as usize].is_some_and(|p| !p.takes_existing()))
            .collect();
        let listed: Vec<u32> = (0..queues.prewarms.total())
            .map(|r| queues.prewarms.select(r) as u32)
            .collect();
        assert_eq!(listed, prewarms, "prewarm positions");
        let queue = queues.queue();
        if queues.own.is_some() {
            // The order of first appearance: each registration at its first
            // waiting entry, as a walk of the list meets them.
            let mut walked: Vec<(usize, RegId)> = Vec::new();
            for (at, p) in queue.iter() {
                if !walked.iter().any(|&(_, reg)| reg == p.reg) {
                    walked.push((at, p.reg));
                }
            }
            assert_eq!(
                queue.first_appearances().collect::<Vec<_>>(),
                walked,
                "first appearances"
            );
            // The work per registration and in all, as `balanced` sums
            // its entries' weights.
            let works = queue.works();
            let mut total = 0.0;
            for &(first, reg) in &walked {
                let work: f64 = (queue.iter())
                    .filter(|(_, p)| p.reg == reg)
                    .map(|(_, p)| p.time_limit.unwrap_or(UNLIMITED_WEIGHT))
                    .sum();
                assert_eq!(works.of(reg.index()), work, "registration {reg:?}'s work");
                assert_eq!(queue.first_of(reg), Some(first));
                total += work;
            }
            assert_eq!(works.total(), (!walked.is_empty()).then_some(total), "the total work");
        }
        for from in (0..=queue.len() + 1).step_by(1 + queue.len() / 16) {
            let walked = queue.iter_from(from).position(|(_, p)| p.takes_existing());
            let found = walked.map_or(queue.len(), |k| queue.iter_from(from).nth(k).unwrap().0);
            let passed = walked.unwrap_or_else(|| queue.iter_from(from).count());
            assert_eq!(
                queue.first_invocation_from(from),
                (found, passed),
                "first invocation from {from}"
            );
            assert_eq!(
                queue.waiting_before(from.min(queue.len())),
                queue.iter().take_while(|(i, _)| *i < from).count()
            );
            assert_eq!(
                queue.only_prewarms_from(from),
                queue.iter_from(from).all(|(_, p)| !p.takes_existing()),
                "only prewarm requests from {from}"
            );
            let invocations: Vec<usize> = (queue.iter())
                .filter(|(i, p)| *i < from && p.takes_existing())
                .map(|(i, _)| i)
                .collect();
            for count in [1, 2, 3, invocations.len(), invocations.len() + 1]
                .into_iter()
                .filter(|c| *c > 0)
            {
                assert_eq!(
                    queue.before_invocation(from.min(queue.len()), count),
                    invocations.len().checked_sub(count).map(|k| invocations[k]),
                    "the {count}-th invocation before {from}"
                );
            }
        }
    }

    /// Pushes, heads dispatched one at a time, rounds dispatching and
    /// parking entries anywhere in the list, and parked entries put back:
    /// the list's bookkeeping stays true through every drop of the
    /// dispatched prefix and every compaction.
    #[test]
    fn the_list_keeps_its_counts_through_dispatches_parks_and_compactions() {
        let mut draw = crate::test_rng::xorshift_below(0x2545_f491_4f6c_dd1d);
        let mut next = move |bound: usize| draw(bound as u64) as usize;
        let mut queues = Queues::new(true);
        let mut model: Vec<u64> = Vec::new();
        let (mut next_id, mut heads, mut rounds, mut tails, mut compactions) = (0, 0, 0, 0, 0);
        for step in 0..20_000 {
            let listed_before = queues.schedulable.len();
            // Phases of growth and of draining, so that the list both
            // empties and grows long enough to compact.
            let push_below = if step / 400 % 2 == 0 { 7 } else { 2 };
            match next(10) {
                draw if draw < push_below => {
                    queues.push(pending(next_id, next(3) as u32));
                    model.push(next_id);
                    next_id += 1;
                }
                draw if draw < 7 && !model.is_empty() => {
                    queues.dispatched_head();
                    model.remove(0);
                    heads += 1;
                }
                _ if !model.is_empty() => {
                    // A round: entries picked anywhere, each dispatched or
                    // parked, then the count forgotten and the parked put back.
                    let view: Vec<(usize, u64)> = queues.queue().iter().map(|(i, p)| (i, p.id)).collect();
                    let mut picked: Vec<usize> = (0..1 + next(4)).map(|_| next(view.len())).collect();
                    picked.sort_unstable();
                    picked.dedup();
                    let mut parked = Vec::new();
                    // Now and then the round ends early at the last of
                    // them and takes out the prewarm requests from there
                    // to a later entry (or the end).
                    let tail = (next(3) == 0)
                        .then(|| picked.pop())
                        .flatten()
                        .map(|k| (k, k + next(view.len() - k + 1)));
                    for &k in &picked {
                        let (index, id) = view[k];
                        if next(4) == 0 {
                            queues.park(index as u32);
                            parked.push(id);
                        } else {
                            queues.dispatched(index as u32);
                        }
                        model.retain(|&m| m != id);
                    }
                    let mut taken = picked.len();
                    if let Some((k, end)) = tail {
                        let end_index = view.get(end).map_or(queues.queue().len(), |&(index, _)| index);
                        let tail: Vec<u64> = view[k..end]
                            .iter()
                            .map(|&(_, id)| id)
                            .filter(|id| !id.is_multiple_of(3))
                            .collect();
                        for (index, _) in queues.prewarms_in(view[k].0 as u32, end_index as u32) {
                            queues.park(index);
                            taken += 1;
                        }
                        model.retain(|m| !tail.contains(m));
                        parked.extend(tail);
                        tails += 1;
                    }
                    queues.forget_dispatched(taken);
                    queues.unpark();
                    model.extend(parked);
                    rounds += 1;
                }
                _ => {}
            }
            check(&queues, &model);
            let listed = queues.schedulable.len();
            compactions += usize::from(listed < listed_before && listed > 0);
        }
        assert!(
            heads > 1000 && rounds > 1000 && tails > 200 && compactions > 20,
            "{heads} heads, {rounds} rounds, {tails} tails, {compactions} compactions"
        );
    }
}

//! `balanced`: WRENCH's workload-balancing scheduler. The free slots are
//! split among registrations in proportion to the work waiting for each
//! (the sum of their invocations' time limits); each share is placed on the
//! nodes with the most free slots; images are copied and loaded where
//! shares landed, and invocations run only where their image is in RAM.
//! Unlike WRENCH, which iterates pointer-keyed maps here, every order is
//! fixed: registrations by first appearance, nodes in list order.
//!
//! A round's cost is what it can decide, not the queue's length: once an
//! entry of a share is refused on a node (image not in RAM, no idle
//! container, no room), the rest of that share's entries there are refused
//! alike and are passed together; the entries are not listed (their groups
//! come from the queue's tally, unless a sum of time limits would round:
//! `summed`): the round finds an entry by rank, among all that wait when
//! one registration waits alone, else among its registration's
//! (`balanced/unlisted.rs`, `placement/own.rs`), only when it dispatches
//! it, so a round costs its dispatches and the nodes its shares land on.
//! With more registrations waiting than free slots (a crowd), a round
//! makes groups only for the shares that take a slot (`group_crowd`: the
//! total work and the largest works are kept by the list,
//! `placement/works.rs`), not one for every registration.
//! Prewarm requests waiting among them (an autoscaler's) are decided as
//! full rounds decide them: one the node has no room for passes its slot
//! to the next invocation, and a refused share passes, slot by slot, an
//! invocation and the prewarm requests newer than it, found by rank among
//! the invocations. The nodes are not sorted each round: nodes with one
//! free slot keep list order, and a share takes them as runs, a word of
//! 64 at a time (`balanced/most_left.rs`), as it takes the empty nodes
//! when every node has as many slots (runs of both kinds over the same
//! stretch are read together, `balanced/runs.rs`); in a run, images are
//! brought and entries dispatched only where the service's node sets say
//! something happens (no image on its way, the image on disk to load, the
//! image in RAM), and the entries refused between are passed together
//! (`RunOptions::rounds_only` groups entries one by one and takes nodes
//! one at a time, to check it decides the same).

mod listed;
mod most_left;
mod runs;
mod unlisted;

use crate::ir::function::ImageId;

use super::super::Build;
use super::{Decisions, Dispatch, Overlay, Pending, Placement, Queue, UNLIMITED_WEIGHT, View};
use crate::serverless::ids::{KeyId, NodeId, RegId};
use crate::serverless::state::ServiceState;
use listed::Listed;
use most_left::{MostLeft, Slots};
use unlisted::{Among, Unlisted};

/// A registration without a group this round (`Balanced::group_of`).
const NO_GROUP: u32 = u32::MAX;

pub struct Balanced {
    overlay: Overlay,
    /// Per registration seen this round: (registration, image, pending indices).
    groups: Vec<Group>,
    /// Slots allocated this round, and the group they went to.
    allocation: Vec<(Slots, usize)>,
    /// Nodes with slots not yet allocated this round, most first.
    most_left: MostLeft,
    /// Per node: the round that last read it, and its RAM and disk left
    /// for the round's dispatches.
    room: Vec<(u32, f64, f64)>,
    round: u32,
    /// Whether this round takes the shortcuts
    /// (`View::shortcuts_past_prewarms`).
    shortcuts: bool,
    /// Scratch for [`split_runs`].
    split: Vec<(Slots, usize)>,
    /// Per registration, its group's index while `group` lists the
    /// queue (`NO_GROUP` otherwise): with thousands of registrations
    /// waiting, a search of the groups per entry cost a round their
    /// number times the queue's length.
    group_of: Vec<u32>,
    /// Scratch for the runs read together (`balanced/runs.rs`).
    run_words: Vec<runs::RunWord>,
    /// Scratch for the groups of a crowd (`group_crowd`): each one's
    /// first waiting entry, registration and share.
    crowd: Vec<(usize, RegId, u64)>,
}

struct Group {
    reg: RegId,
    key: KeyId,
    image: ImageId,
    /// RAM and scratch disk a new container for any entry reserves (the
    /// entries of a registration agree on them).
    ram: f64,
    disk: f64,
    work: f64,
    members: Members,
    share: u64,
}

impl Group {
    /// The group of `p`'s registration (its entries agree on what
    /// placement reads: key, image, RAM, disk).
    fn new(p: &Pending, work: f64, members: Members) -> Self {
        Group {
            reg: p.reg,
            key: p.key,
            image: p.image,
            ram: p.ram,
            disk: p.disk,
            work,
            members,
            share: 0,
        }
    }
}

/// The entries of a group the round has not taken yet, newest last.
enum Members {
    /// Their positions in the queue.
    Listed(Listed),
    /// Taken without being found (`balanced/unlisted.rs`).
    Unlisted(Unlisted),
}

impl Members {
    fn len(&self) -> usize {
        match self {
            Members::Listed(list) => list.len(),
            Members::Unlisted(unlisted) => unlisted.len(),
        }
    }

    /// Lists one more entry, the newest.
    fn push(&mut self, index: usize, p: &Pending) {
        match self {
            Members::Listed(list) => list.push(index, !p.takes_existing()),
            Members::Unlisted(_) => unreachable!("entries of a group made unlisted are not listed"),
        }
    }

    /// Takes the newest entry and finds its position.
    fn pop(&mut self, queue: Queue) -> Option<usize> {
        match self {
            Members::Listed(list) => list.pop(),
            Members::Unlisted(unlisted) => unlisted.pop(queue),
        }
    }

    /// Whether the newest entry left may take a container that is there:
    /// an invocation may, a prewarm request starts its own.
    fn newest_takes_existing(&self, queue: Queue) -> bool {
        match self {
            Members::Listed(list) => !list.newest_is_prewarm(),
            Members::Unlisted(unlisted) => unlisted.newest_takes_existing(queue),
        }
    }

    /// Takes every prewarm request newer than the newest invocation left.
    fn drop_newest_prewarms(&mut self, queue: Queue) {
        match self {
            Members::Listed(list) => list.drop_newest_prewarms(),
            Members::Unlisted(unlisted) => unlisted.drop_newest_prewarms(queue),
        }
    }

    /// Takes the newest `count` invocations left and every prewarm request
    /// newer than the oldest of them (every entry when fewer invocations
    /// are left): what as many slots of a node with the image in RAM but
    /// neither room nor an idle container take, each passing the prewarm
    /// requests (no room for them) to the invocation after them.
    fn drop_newest_invocations(&mut self, count: usize, queue: Queue) {
        if queue.tally().prewarms() == 0 {
            // All invocations: taken without being found.
            return self.drop_newest(count);
        }
        match self {
            Members::Listed(list) => list.drop_newest_invocations(count),
            Members::Unlisted(unlisted) => unlisted.drop_newest_invocations(count, queue),
        }
    }

    /// Takes up to `count` newest entries at once, without finding them.
    fn drop_newest(&mut self, count: usize) {
        match self {
            Members::Listed(list) => list.drop_newest(count),
            Members::Unlisted(unlisted) => unlisted.drop_newest(count),
        }
    }
}

pub fn make(build: &Build) -> Box<dyn Placement> {
    Box::new(Balanced::new(build.nodes))
}

impl Balanced {
    pub fn new(nodes: usize) -> Self {
        Balanced {
            overlay: Overlay::new(nodes),
            groups: Vec::new(),
            allocation: Vec::new(),
            most_left: MostLeft::default(),
            room: Vec::new(),
            round: 0,
            shortcuts: false,
            split: Vec::new(),
            group_of: Vec::new(),
            run_words: Vec::new(),
            crowd: Vec::new(),
        }
    }
}

impl Balanced {
    /// Groups every waiting entry by registration, in order of first
    /// appearance.
    fn group(&mut self, queue: Queue) {
        for (i, p) in queue.iter() {
            let weight = p.time_limit.unwrap_or(UNLIMITED_WEIGHT);
            let reg = p.reg.index();
            if reg >= self.group_of.len() {
                self.group_of.resize(reg + 1, NO_GROUP);
            }
            match self.groups.get_mut(self.group_of[reg] as usize) {
                Some(g) => {
                    g.work += weight;
                    g.members.push(i, p);
                }
                None => {
                    self.group_of[reg] = self.groups.len() as u32;
                    let mut members = Members::Listed(Listed::default());
                    members.push(i, p);
                    self.groups.push(Group::new(p, weight, members));
                }
            }
        }
        for g in &self.groups {
            self.group_of[g.reg.index()] = NO_GROUP;
        }
    }

    /// When one registration waits alone, makes its group without listing
    /// its entries (its share is then every free slot or every entry, as
    /// its work is all the work, whatever its sum); false when more wait or
    /// the share would not be so.
    fn group_alone(&mut self, queue: Queue) -> bool {
        let [(p, count)] = queue.tally().present() else {
            return false;
        };
        let count = *count as usize;
        let weight = p.time_limit.unwrap_or(UNLIMITED_WEIGHT);
        // Positive and finite sums divide to exactly one.
        if !(weight > 0.0 && weight * (count as f64) < 1e300) {
            return false;
        }
        let members = Members::Unlisted(Unlisted::new(Among::All, count, queue));
        self.groups.push(Group::new(p, weight * count as f64, members));
        true
    }
}

impl Balanced {
    /// When several registrations wait, makes their groups without listing
    /// their entries: counts from the queue's tally, works as the round
    /// would sum them entry by entry (exactly `weight * count`, see
    /// [`summed`]), in order of first appearance (which the list keeps per
    /// registration: with thousands of registrations waiting, a walk from
    /// the head of the queue to the last one's first entry, matching each
    /// entry to its group, cost a round their number times the queue's
    /// length). False when a work would not be so (the groups made so far
    /// are then dropped).
    fn group_unlisted(&mut self, queue: Queue) -> bool {
        let tally = queue.tally();
        for (first, reg) in queue.first_appearances() {
            let (sample, count) = tally
                .of(reg)
                .expect("a registration with an entry waiting is in the tally");
            let Some(work) = summed(sample.time_limit.unwrap_or(UNLIMITED_WEIGHT), *count as usize) else {
                return false;
            };
            let p = queue
                .get(first)
                .expect("a registration's first waiting entry is in the queue");
            let members = Members::Unlisted(Unlisted::new(Among::Of(reg), *count as usize, queue));
            self.groups.push(Group::new(p, work, members));
        }
        true
    }

    /// When more registrations wait than there are `slots` free (a
    /// crowd), makes the groups that may be given a slot, with their
    /// shares, without a group for every registration: each share is
    /// at least one slot, so the shares handed out first (more than one
    /// slot, then one, each in order of first appearance) take every free
    /// slot before the others' turn. The shares of more than one slot
    /// are those of a work over the total's share of a slot: found among
    /// the works of about that size or more, which the list keeps
    /// (`placement/works.rs`) with the total, exact when no sum of the
    /// entries' weights rounds; then the shares of one, as many as there
    /// are slots. False when fewer registrations wait, when the total
    /// would not be exact, or when the works are not filed by size yet
    /// (fewer than 64 registrations ever waited at once).
    fn group_crowd(&mut self, queue: Queue, slots: u64) -> bool {
        let tally = queue.tally();
        if tally.present().len() as u64 <= slots {
            return false;
        }
        let works = queue.works();
        let Some(total) = works.total() else {
            return false;
        };
        // A share of more than one slot needs a work of a slot's worth
        // or more (the total over the slots, give or take the divisions'
        // rounding, well within half of it).
        let Some(heavy) = works.at_least(total / slots as f64 / 2.0) else {
            return false;
        };
        let share_of = |reg: RegId| {
            let (_, count) = tally.of(reg).expect("a registration with work waiting is in the tally");
            share(works.of(reg.index()), total, slots, *count as usize)
        };
        self.crowd.clear();
        for reg in heavy {
            let reg = RegId(reg as u32);
            let share = share_of(reg);
            if share > 1 {
                let first = queue
                    .first_of(reg)
                    .expect("a registration with work waiting has an entry");
                self.crowd.push((first, reg, share));
            }
        }
        let mut ones = 0;
        for (first, reg) in queue.first_appearances() {
            if ones == slots {
                break;
            }
            if share_of(reg) == 1 {
                self.crowd.push((first, reg, 1));
                ones += 1;
            }
        }
        self.crowd.sort_unstable_by_key(|&(first, ..)| first);
        for &(first, reg, share) in &self.crowd {
            let count = tally.count(reg);
            let p = queue
                .get(first)
                .expect("a registration's first waiting entry is in the queue");
            let members = Members::Unlisted(Unlisted::new(Among::Of(reg), count, queue));
            let mut group = Group::new(p, works.of(reg.index()), members);
            group.share = share;
            self.groups.push(group);
        }
        true
    }
}

/// A group's share of `slots` free slots, for `work` of the `total`
/// waiting, as WRENCH's rounds it up: at most its `entries`.
fn share(work: f64, total: f64, slots: u64, entries: usize) -> u64 {
    ((work / total * slots as f64).ceil() as u64).min(entries as u64)
}

/// Cuts the runs of `allocation` (in list order) around the nodes taken
/// one at a time that lie between their bounds, so that the slots stay
/// in list order node by node, as a round taking one node at a time
/// decides them.
fn split_runs(allocation: &mut Vec<(Slots, usize)>, scratch: &mut Vec<(Slots, usize)>) {
    let singles: Vec<usize> = allocation
        .iter()
        .filter_map(|(slots, _)| match slots {
            Slots::Node(node, _) => Some(node.index()),
            Slots::Run { .. } => None,
        })
        .collect();
    let inside = |from: usize, to: usize| {
        let lo = singles.partition_point(|&s| s < from);
        let hi = singles.partition_point(|&s| s < to);
        &singles[lo..hi]
    };
    if !allocation
        .iter()
        .any(|(slots, _)| matches!(*slots, Slots::Run { from, to, .. } if !inside(from, to).is_empty()))
    {
        return;
    }
    scratch.clear();
    for &(slots, g) in allocation.iter() {
        let Slots::Run { from, to, level } = slots else {
            scratch.push((slots, g));
            continue;
        };
        let mut lo = from;
        for &single in inside(from, to) {
            if single > lo {
                scratch.push((
                    Slots::Run {
                        from: lo,
                        to: single,
                        level,
                    },
                    g,
                ));
            }
            lo = lo.max(single + 1);
        }
        if lo < to {
            scratch.push((Slots::Run { from: lo, to, level }, g));
        }
    }
    scratch.sort_by_key(|(slots, g)| (slots.start(), *g));
    std::mem::swap(allocation, scratch);
}

/// Starts bringing `image` to `node`, where a share landed: a copy if it
/// is neither on its disk nor on its way there, else a load if it is on
/// disk and neither in RAM nor loading.
fn bring(overlay: &mut Overlay, view: &View, node: NodeId, image: ImageId, out: &mut Decisions) {
    let sets = &view.state.images[image.0 as usize];
    if !overlay.disk_or_copying(view, node, image) {
        overlay.copy(view, node, image, out);
    } else if sets.on_disk.contains(node) && !overlay.ram_or_loading(view, node, image) {
        overlay.load(view, node, image, out);
    }
}

/// `weight` summed `count` times one after the other, as grouping a
/// registration's entries one by one does, when that is exactly
/// `weight * count`: when the weight's odd significand times `count`
/// fits in 53 bits, every partial sum is a representable multiple of the
/// weight, so no addition rounds (whole seconds, halves, quarters and the
/// like, for any count that matters; a time limit such as 0.1 s or most
/// whole milliseconds, only for a few entries). None otherwise.
fn summed(weight: f64, count: usize) -> Option<f64> {
    if !(weight > 0.0 && weight.is_normal()) {
        return None;
    }
    let significand = (weight.to_bits() & ((1 << 52) - 1)) | (1 << 52);
    let odd = significand >> significand.trailing_zeros();
    let total = weight * count as f64;
    (u128::from(odd) * count as u128 <= 1 << 53 && total.is_finite()).then_some(total)
}

impl Placement for Balanced {
    /// Its dispatches take idle containers only (`dispatch_at`).
    fn claims_prewarming(&self) -> bool {
        false
    }

    /// Its heap of roomy nodes is told of slots given back.
    fn watches_slots_given(&self) -> bool {
        true
    }

    /// Its heap keeps empty nodes off when every node has as many slots
    /// (`balanced/most_left.rs`), so it is told of the nodes that leave
    /// them.
    fn watches_left_empty(&self) -> bool {
        true
    }

    /// Its groups of several registrations are not listed (`Unlisted`).
    fn finds_entries_by_registration(&self) -> bool {
        true
    }

    fn schedule(&mut self, view: &View, queue: Queue, out: &mut Decisions) {
        let state = view.state;
        self.overlay.begin(state);
        self.groups.clear();
        self.allocation.clear();
        // Prewarm requests are decided as full rounds do: a refused one
        // passes its slot to the next invocation of its share
        // (`dispatch_at`), and the shortcuts pass them so too.
        self.shortcuts = view.shortcuts_past_prewarms(queue.tally());
        // No free slot: there is nothing to share, whatever the groups
        // (a crowd of registrations waiting past every slot, each arrival
        // a round, would group them all at every arrival to no effect).
        if self.shortcuts && self.overlay.total_free == 0 {
            return;
        }
        let slots = self.overlay.total_free;
        if !(self.shortcuts && self.group_crowd(queue, slots)) {
            if !(self.shortcuts && (self.group_alone(queue) || self.group_unlisted(queue))) {
                self.groups.clear();
                self.group(queue);
            }
            let work: f64 = self.groups.iter().map(|g| g.work).sum();
            if work <= 0.0 || slots == 0 {
                return;
            }
            for g in &mut self.groups {
                g.share = share(g.work, work, slots, g.members.len());
            }
        }
        let mut order: Vec<usize> = (0..self.groups.len()).filter(|g| self.groups[*g].share > 0).collect();
        order.sort_by(|a, b| self.groups[*b].share.cmp(&self.groups[*a].share));
        // Place each share on the nodes with the most slots left (the
        // first in list order among equals).
        self.most_left.begin(state, self.shortcuts);
        for &g in &order {
            let allocation = &mut self.allocation;
            let share = self.groups[g].share;
            self.most_left
                .take(state, share, self.shortcuts, &mut |slots| allocation.push((slots, g)));
        }
        self.most_left.end(state);
        self.allocation.sort_by_key(|(slots, g)| (slots.start(), *g));
        split_runs(&mut self.allocation, &mut self.split);
        // Bring images to where shares landed, in list order.
        let mut a = 0;
        while let Some(&(slots, g)) = self.allocation.get(a) {
            match slots {
                Slots::Node(node, _) => {
                    bring(&mut self.overlay, view, node, self.groups[g].image, out);
                    a += 1;
                }
                Slots::Run { .. } => {
                    let end = runs::cluster_end(&self.allocation, a);
                    self.bring_runs(view, a..end, out);
                    a = end;
                }
            }
        }
        // Dispatch, newest invocations of each share first.
        self.round = self.round.wrapping_add(1);
        if self.round == 0 {
            self.room.iter_mut().for_each(|r| r.0 = 0);
            self.round = 1;
        }
        let mut a = 0;
        while let Some(&(slots, g)) = self.allocation.get(a) {
            match slots {
                Slots::Node(node, count) => {
                    self.dispatch_all_at(view, queue, node, g, count, out);
                    a += 1;
                }
                Slots::Run { .. } => {
                    let end = runs::cluster_end(&self.allocation, a);
                    self.dispatch_runs(view, queue, a..end, out);
                    a = end;
                }
            }
        }
    }
}

impl Balanced {
    /// RAM and disk free at `node` this round, less what dispatches here
    /// reserved.
    fn room(&mut self, state: &ServiceState, node: NodeId) -> &mut (u32, f64, f64) {
        if self.room.len() < state.nodes.len() {
            self.room.resize(state.nodes.len(), (0, 0.0, 0.0));
        }
        let room = &mut self.room[node.index()];
        if room.0 != self.round {
            let n = &state.nodes[node.index()];
            *room = (self.round, n.ram_free, n.disk_free);
        }
        room
    }

    /// Whether a new container of `ram` and `disk` fits in what `node` has
    /// left this round.
    fn fits(&mut self, state: &ServiceState, node: NodeId, ram: f64, disk: f64) -> bool {
        let room = self.room(state, node);
        room.1 >= ram && room.2 >= disk
    }

    /// Runs the newest entries of group `g` left at `node` in `count` of
    /// its slots, one after the other, until the share there ends.
    fn dispatch_all_at(&mut self, view: &View, queue: Queue, node: NodeId, g: usize, count: u32, out: &mut Decisions) {
        for taken in 1..=count {
            if !self.dispatch_at(view, queue, node, g, 1 + count - taken, out) {
                break;
            }
        }
    }

    /// Runs the newest entry of group `g` left at `node`, one of `left`
    /// slots the share has there, if the image is in RAM and an idle
    /// container or room for a new one is there; an entry refused here
    /// claims nothing, and the group's entries all ask alike, so the rest
    /// of the share here is passed too. False when the share here ends.
    fn dispatch_at(
        &mut self,
        view: &View,
        queue: Queue,
        node: NodeId,
        g: usize,
        left: u32,
        out: &mut Decisions,
    ) -> bool {
        let state = view.state;
        if self.overlay.free_slots(state, node) == 0 || self.groups[g].members.len() == 0 {
            return false;
        }
        let (image, key, ram, disk) = {
            let group = &self.groups[g];
            (group.image, group.key, group.ram, group.disk)
        };
        let in_ram = state.images[image.0 as usize].in_ram.contains(node);
        // Prewarm requests the node has no room for pass the slot on to
        // the next invocation of their share (it may take an idle
        // container here) and wait (the group's entries ask the same room,
        // and a round only takes room: none fits later in the round).
        let mut takes_existing = self.groups[g].members.newest_takes_existing(queue);
        if in_ram && !takes_existing && !self.fits(state, node, ram, disk) {
            self.groups[g].members.drop_newest_prewarms(queue);
            if self.groups[g].members.len() == 0 {
                return false;
            }
            takes_existing = true;
        }
        // Whether the newest entry left runs here; it is found in the
        // queue only if it does.
        let placed = 'place: {
            if !in_ram {
                break 'place None;
            }
            // A prewarm request is given no container that is there.
            let idle = (state.nodes[node.index()].idle.iter().copied())
                .filter(|c| takes_existing && state.containers[c.index()].key == key)
                .filter(|c| !self.overlay.container_claimed(*c))
                .min_by_key(|c| state.containers[c.index()].created);
            if let Some(c) = idle {
                self.overlay.claim_container(c);
            } else {
                let room = self.room(state, node);
                if room.1 >= ram && room.2 >= disk {
                    room.1 -= ram;
                    room.2 -= disk;
                } else {
                    break 'place None;
                }
            }
            Some(idle)
        };
        let group = &mut self.groups[g];
        let Some(container) = placed else {
            if self.shortcuts {
                // The rest of the share here is refused alike, slot by
                // slot: without the image in RAM an entry each; with it
                // (no room, no idle container), an invocation each with
                // the prewarm requests newer than it, refused for room.
                match in_ram {
                    false => group.members.drop_newest(left as usize),
                    true => group.members.drop_newest_invocations(left as usize, queue),
                }
                return false;
            }
            group.members.drop_newest(1);
            return true;
        };
        let i = group.members.pop(queue).expect("an entry left in the group");
        let p = queue.get(i).expect("group members wait");
        self.overlay.claim(state, node);
        out.dispatch.push(Dispatch {
            waiting: p.waiting,
            index: i as u32,
            node,
            container,
        });
        true
    }
}

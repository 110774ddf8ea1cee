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
//! alike and are passed together; when one registration waits alone, its
//! entries are not listed: the round finds an entry by rank only when it
//! dispatches it, so a round costs its dispatches and the nodes its shares
//! land on (`RunOptions::rounds_only` turns this off to check it decides
//! the same).

use std::cmp::Reverse;

use crate::ir::function::ImageId;

use super::super::Build;
use super::{Decisions, Dispatch, Overlay, Pending, Placement, Queue, View};
use crate::serverless::ids::{KeyId, NodeId, RegId};

/// Weight of an invocation without a time limit, in seconds.
const UNLIMITED_WEIGHT: f64 = 1.0;

pub struct Balanced {
    overlay: Overlay,
    /// Per registration seen this round: (registration, image, pending indices).
    groups: Vec<Group>,
    /// Slots allocated this round: (node, group, count).
    allocation: Vec<(NodeId, usize, u32)>,
    /// Nodes with slots not yet allocated this round, most first.
    most_left: Vec<(Reverse<u32>, usize)>,
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
    Listed(Vec<usize>),
    /// All of the group, all the waiting entries before a position of the
    /// queue but the newest `passed` of them (taken without being found:
    /// a round finds the position of an entry only when it dispatches it).
    Alone { count: usize, before: usize, passed: usize },
    /// As `Alone`, for one registration of several waiting: its entries
    /// are found by stepping back over the queue from `before`.
    Unlisted {
        reg: RegId,
        count: usize,
        before: usize,
        passed: usize,
    },
}

impl Members {
    fn len(&self) -> usize {
        match self {
            Members::Listed(list) => list.len(),
            Members::Alone { count, .. } | Members::Unlisted { count, .. } => *count,
        }
    }

    /// Lists one more entry, the newest.
    fn push(&mut self, index: usize) {
        match self {
            Members::Listed(list) => list.push(index),
            Members::Alone { .. } | Members::Unlisted { .. } => {
                unreachable!("entries of a group made unlisted are not listed")
            }
        }
    }

    /// Takes the newest entry and finds its position.
    fn pop(&mut self, queue: Queue) -> Option<usize> {
        match self {
            Members::Listed(list) => list.pop(),
            Members::Alone { count, before, passed } => {
                *count = count.checked_sub(1)?;
                *before = queue.before_waiting(*before, *passed + 1)?;
                *passed = 0;
                Some(*before)
            }
            Members::Unlisted {
                reg,
                count,
                before,
                passed,
            } => {
                *count = count.checked_sub(1)?;
                *before = queue.before_of(*reg, *before, *passed + 1)?;
                *passed = 0;
                Some(*before)
            }
        }
    }

    /// Takes up to `count` newest entries at once, without finding them.
    fn drop_newest(&mut self, count: usize) {
        match self {
            Members::Listed(list) => list.truncate(list.len().saturating_sub(count)),
            Members::Alone {
                count: left, passed, ..
            }
            | Members::Unlisted {
                count: left, passed, ..
            } => {
                let taken = count.min(*left);
                *left -= taken;
                *passed += taken;
            }
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
            most_left: Vec::new(),
        }
    }
}

impl Balanced {
    /// Groups every waiting entry by registration, in order of first
    /// appearance.
    fn group(&mut self, queue: Queue) {
        for (i, p) in queue.iter() {
            let weight = p.time_limit.unwrap_or(UNLIMITED_WEIGHT);
            match self.groups.iter_mut().find(|g| g.reg == p.reg) {
                Some(g) => {
                    g.work += weight;
                    g.members.push(i);
                }
                None => self.groups.push(Group::new(p, weight, Members::Listed(vec![i]))),
            }
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
        let members = Members::Alone {
            count,
            before: queue.len(),
            passed: 0,
        };
        self.groups.push(Group::new(p, weight * count as f64, members));
        true
    }
}

impl Balanced {
    /// When several registrations wait, makes their groups without listing
    /// their entries: counts from the queue's tally, works as the round
    /// would sum them entry by entry (exactly `weight * count`, see
    /// [`summed`]), in order of first appearance (found from the head of
    /// the queue). False when a work would not be so.
    fn group_unlisted(&mut self, queue: Queue) -> bool {
        let tally = queue.tally();
        let present = tally.present();
        let mut works = Vec::with_capacity(present.len());
        for (p, count) in present {
            match summed(p.time_limit.unwrap_or(UNLIMITED_WEIGHT), *count as usize) {
                Some(work) => works.push(work),
                None => return false,
            }
        }
        for (_, p) in queue.iter() {
            if self.groups.len() == present.len() {
                break;
            }
            if self.groups.iter().any(|g| g.reg == p.reg) {
                continue;
            }
            let at = present
                .iter()
                .position(|(q, _)| q.reg == p.reg)
                .expect("a waiting entry's registration is in the tally");
            let members = Members::Unlisted {
                reg: p.reg,
                count: present[at].1 as usize,
                before: queue.len(),
                passed: 0,
            };
            self.groups.push(Group::new(p, works[at], members));
        }
        true
    }
}

/// `weight` summed `count` times one after the other, as grouping a
/// registration's entries one by one does, when that is exactly
/// `weight * count`: when the weight's odd significand times `count`
/// fits in 53 bits, every partial sum is a representable multiple of the
/// weight, so no addition rounds (time limits of whole milliseconds or
/// powers of two; not 0.1 s). None otherwise.
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
    fn schedule(&mut self, view: &View, queue: Queue, out: &mut Decisions) {
        let state = view.state;
        self.overlay.begin(state);
        self.groups.clear();
        self.allocation.clear();
        if !(view.shortcuts && (self.group_alone(queue) || self.group_unlisted(queue))) {
            self.groups.clear();
            self.group(queue);
        }
        let slots = self.overlay.total_free as f64;
        let work: f64 = self.groups.iter().map(|g| g.work).sum();
        if work <= 0.0 || slots <= 0.0 {
            return;
        }
        for g in &mut self.groups {
            g.share = ((g.work / work * slots).ceil() as u64).min(g.members.len() as u64);
        }
        let mut order: Vec<usize> = (0..self.groups.len()).filter(|g| self.groups[*g].share > 0).collect();
        order.sort_by(|a, b| self.groups[*b].share.cmp(&self.groups[*a].share));
        // Place each share on the nodes with the most slots left (the
        // first in list order among equals): the nodes are sorted once a
        // round, not searched once per node a share lands on.
        self.most_left.clear();
        self.most_left.extend(
            state
                .nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| n.free_slots > 0)
                .map(|(i, n)| (Reverse(n.free_slots), i)),
        );
        self.most_left.sort_unstable();
        let mut first = 0;
        for &g in &order {
            let mut remaining = self.groups[g].share;
            while remaining > 0 && first < self.most_left.len() {
                let (Reverse(available), node) = self.most_left[first];
                let take = remaining.min(available as u64) as u32;
                remaining -= take as u64;
                self.allocation.push((NodeId(node as u32), g, take));
                if take == available {
                    first += 1;
                    continue;
                }
                // Slots are left on it: back among the others, in order.
                self.most_left[first].0 = Reverse(available - take);
                let mut at = first;
                while at + 1 < self.most_left.len() && self.most_left[at + 1] < self.most_left[at] {
                    self.most_left.swap(at, at + 1);
                    at += 1;
                }
            }
        }
        self.allocation.sort_by_key(|(node, g, _)| (*node, *g));
        // Bring images to where shares landed.
        for &(node, g, _) in &self.allocation {
            let image = self.groups[g].image;
            let sets = &state.images[image.0 as usize];
            if !self.overlay.disk_or_copying(view, node, image) {
                self.overlay.copy(view, node, image, out);
            } else if sets.on_disk.contains(node) && !self.overlay.ram_or_loading(view, node, image) {
                self.overlay.load(view, node, image, out);
            }
        }
        // Dispatch, newest invocations of each share first.
        let mut free_ram: Vec<f64> = state.nodes.iter().map(|n| n.ram_free).collect();
        let mut free_disk: Vec<f64> = state.nodes.iter().map(|n| n.disk_free).collect();
        for a in 0..self.allocation.len() {
            let (node, g, count) = self.allocation[a];
            let group = &mut self.groups[g];
            for taken in 1..=count {
                if self.overlay.free_slots(state, node) == 0 {
                    break;
                }
                if group.members.len() == 0 {
                    break;
                }
                // Whether the newest entry left runs here; it is found
                // in the queue only if it does.
                let placed = 'place: {
                    if !state.images[group.image.0 as usize].in_ram.contains(node) {
                        break 'place None;
                    }
                    let idle = state.nodes[node.index()]
                        .idle
                        .iter()
                        .copied()
                        .filter(|c| state.containers[c.index()].key == group.key && !self.overlay.container_claimed(*c))
                        .min_by_key(|c| state.containers[c.index()].created);
                    if let Some(c) = idle {
                        self.overlay.claim_container(c);
                    } else if free_ram[node.index()] >= group.ram && free_disk[node.index()] >= group.disk {
                        free_ram[node.index()] -= group.ram;
                        free_disk[node.index()] -= group.disk;
                    } else {
                        break 'place None;
                    }
                    Some(idle)
                };
                let Some(container) = placed else {
                    // An entry refused here claimed nothing, and the
                    // group's entries all ask alike: the rest of the share
                    // here would be refused one by one.
                    if view.shortcuts {
                        group.members.drop_newest(1 + (count - taken) as usize);
                        break;
                    }
                    group.members.drop_newest(1);
                    continue;
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
            }
        }
    }
}

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
//! entries are found by rank as the round takes them rather than listed
//! (`RunOptions::rounds_only` turns this off to check it decides the same).

use crate::ir::function::ImageId;

use super::super::Build;
use super::{Decisions, Dispatch, Overlay, Placement, Queue, View};
use crate::serverless::ids::{KeyId, NodeId, RegId};

/// Weight of an invocation without a time limit, in seconds.
const UNLIMITED_WEIGHT: f64 = 1.0;

pub struct Balanced {
    overlay: Overlay,
    /// Per registration seen this round: (registration, image, pending indices).
    groups: Vec<Group>,
    /// Slots allocated this round: (node, group, count).
    allocation: Vec<(NodeId, usize, u32)>,
}

struct Group {
    reg: RegId,
    key: KeyId,
    image: ImageId,
    work: f64,
    members: Members,
    share: u64,
}

/// The entries of a group the round has not taken yet, newest last.
enum Members {
    /// Their positions in the queue.
    Listed(Vec<usize>),
    /// This many waiting entries before a position of the queue: all the
    /// waiting entries there, all of the group.
    Alone { count: usize, before: usize },
}

impl Members {
    fn len(&self) -> usize {
        match self {
            Members::Listed(list) => list.len(),
            Members::Alone { count, .. } => *count,
        }
    }

    /// Lists one more entry, the newest.
    fn push(&mut self, index: usize) {
        match self {
            Members::Listed(list) => list.push(index),
            Members::Alone { .. } => unreachable!("entries of a group made alone are not listed"),
        }
    }

    /// Takes the newest entry.
    fn pop(&mut self, queue: Queue) -> Option<usize> {
        match self {
            Members::Listed(list) => list.pop(),
            Members::Alone { .. } => self.take_back(queue, 1, true),
        }
    }

    /// Takes up to `count` newest entries at once.
    fn drop_newest(&mut self, queue: Queue, count: usize) {
        match self {
            Members::Listed(list) => list.truncate(list.len().saturating_sub(count)),
            Members::Alone { .. } => {
                self.take_back(queue, count, false);
            }
        }
    }

    /// Takes up to `taken` newest entries of a group made alone; the
    /// position of the last (oldest) taken when `wanted` or others remain.
    fn take_back(&mut self, queue: Queue, taken: usize, wanted: bool) -> Option<usize> {
        let Members::Alone { count, before } = self else {
            return None;
        };
        let taken = taken.min(*count);
        *count -= taken;
        // None is left to find after the last taken: it need not be found.
        if taken == 0 || *count == 0 && !wanted {
            return None;
        }
        let at = queue.before_waiting(*before, taken)?;
        *before = at;
        Some(at)
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
                None => self.groups.push(Group {
                    reg: p.reg,
                    key: p.key,
                    image: p.image,
                    work: weight,
                    members: Members::Listed(vec![i]),
                    share: 0,
                }),
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
        self.groups.push(Group {
            reg: p.reg,
            key: p.key,
            image: p.image,
            work: weight * count as f64,
            members: Members::Alone {
                count,
                before: queue.len(),
            },
            share: 0,
        });
        true
    }
}

impl Placement for Balanced {
    fn schedule(&mut self, view: &View, queue: Queue, out: &mut Decisions) {
        let state = view.state;
        self.overlay.begin(state);
        self.groups.clear();
        self.allocation.clear();
        if !(view.shortcuts && self.group_alone(queue)) {
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
        // Place each share on the nodes with the most slots left.
        let mut left: Vec<u32> = state.nodes.iter().map(|n| n.free_slots).collect();
        for &g in &order {
            let mut remaining = self.groups[g].share;
            while remaining > 0 {
                let Some((node, available)) = left.iter().enumerate().filter(|(_, a)| **a > 0).fold(
                    None,
                    |best: Option<(usize, u32)>, (n, a)| match best {
                        Some((_, b)) if b >= *a => best,
                        _ => Some((n, *a)),
                    },
                ) else {
                    break;
                };
                let take = remaining.min(available as u64) as u32;
                left[node] -= take;
                remaining -= take as u64;
                self.allocation.push((NodeId(node as u32), g, take));
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
                let Some(i) = group.members.pop(queue) else { break };
                let Some(p) = queue.get(i) else { continue };
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
                    } else if free_ram[node.index()] >= p.ram && free_disk[node.index()] >= p.disk {
                        free_ram[node.index()] -= p.ram;
                        free_disk[node.index()] -= p.disk;
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
                        group.members.drop_newest(queue, (count - taken) as usize);
                        break;
                    }
                    continue;
                };
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

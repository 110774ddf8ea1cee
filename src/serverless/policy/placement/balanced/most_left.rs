//! The nodes with free slots in `balanced`'s order, most free slots first
//! and list order among equals, handed out share by share without sorting
//! every node each round. Nodes with one free slot, in a crowd almost all
//! of them, keep list order and are handed out as runs (every such node
//! between two bounds), counted a word of 64 nodes at a time; only nodes
//! with two or more (`ServiceState::roomy_nodes`) are ordered: sorted each
//! round under full rounds, else taken off a heap kept from round to
//! round (`node_heap.rs`), so that a round costs the nodes its shares
//! take, not every roomy node. When every node has the same slots, the
//! empty nodes (`ServiceState::empty_nodes`: every slot free, the most
//! there is) come first, in list order: they are handed out as runs too,
//! every slot of each, and kept off the heap. At a start every node is
//! empty, and WRENCH's newest-first dispatch keeps the first arrivals
//! waiting while the images come: each round hands the whole queue to
//! empty nodes that refuse it alike, counted a word at a time, not popped
//! off the heap one by one.

use std::cmp::Reverse;

use super::super::node_heap::NodeHeap;
use crate::serverless::ids::NodeId;
use crate::serverless::node::Node;
use crate::serverless::nodeset::members;
use crate::serverless::state::ServiceState;

/// Slots a share takes.
#[derive(Debug, Clone, Copy)]
pub enum Slots {
    /// `count` slots of one node.
    Node(NodeId, u32),
    /// Every free slot of every node of `state` in `from..to` at `level`.
    Run { from: usize, to: usize, level: Level },
}

/// The nodes a run takes.
#[derive(Debug, Clone, Copy)]
pub enum Level {
    /// The nodes with exactly one free slot.
    One,
    /// The empty nodes, every node having this many slots.
    Empty(u32),
}

impl Level {
    /// The nodes of `state` at this level, as the bits of word `i`.
    pub fn nodes(self, state: &ServiceState, i: usize) -> u64 {
        match self {
            Level::One => state.free_slot_nodes.word(i) & !state.roomy_nodes.word(i),
            Level::Empty(_) => state.empty_nodes.word(i),
        }
    }

    /// The free slots of each of its nodes.
    pub fn slots(self) -> u32 {
        match self {
            Level::One => 1,
            Level::Empty(slots) => slots,
        }
    }
}

impl Slots {
    /// The first node, to keep the slots in list order.
    pub fn start(&self) -> usize {
        match *self {
            Slots::Node(node, _) => node.index(),
            Slots::Run { from, .. } => from,
        }
    }
}

/// The bits of word `i` for nodes `from..to`.
pub fn within(i: usize, from: usize, to: usize) -> u64 {
    let (low, high) = (i * 64, i * 64 + 64);
    let mut mask = u64::MAX;
    if from > low {
        mask &= u64::MAX << (from - low);
    }
    if to < high {
        mask &= (1u64 << (to.saturating_sub(low))) - 1;
    }
    mask
}

/// The order of a round's nodes with free slots, consumed from the front.
#[derive(Debug, Default)]
pub struct MostLeft {
    /// Nodes with two free slots or more left, most first.
    roomy: Vec<(Reverse<u32>, usize)>,
    first: usize,
    /// Roomy nodes left with one slot by a share, in list order.
    demoted: Vec<usize>,
    /// Nodes with one free slot from here on are not handed out yet.
    cursor: usize,
    nodes: usize,
    /// Whether this round takes the roomy nodes off `kept`.
    heap: bool,
    /// Roomy nodes by free slots, most first.
    kept: NodeHeap<Reverse<u32>>,
    /// The round's count of free slots of the nodes it handed out (its
    /// stamp, the count).
    left: Vec<(u32, u32)>,
    round: u32,
    /// The slots of every node when they all have as many (two or more),
    /// found at the first round: then the empty nodes are handed out as
    /// runs and kept off the heap.
    uniform: Option<Option<u32>>,
    /// Empty nodes from here on are not handed out yet (with `uniform`).
    empty_cursor: usize,
}

/// A node's key in `balanced`'s order while it has two free slots or more
/// (and, with `uniform` slots, fewer than them: the empty nodes are not
/// on the heap).
fn roomy(node: &Node, uniform: Option<u32>) -> Option<Reverse<u32>> {
    (node.free_slots >= 2 && Some(node.free_slots) != uniform).then_some(Reverse(node.free_slots))
}

impl MostLeft {
    /// Starts a round: every node with a free slot; `heap`: the roomy ones
    /// come off the heap kept from round to round, else sorted.
    pub fn begin(&mut self, state: &ServiceState, heap: bool) {
        self.roomy.clear();
        self.heap = heap;
        self.empty_cursor = 0;
        if heap {
            self.uniform.get_or_insert_with(|| uniform_slots(state));
            self.refresh(state);
        } else {
            self.roomy.extend(
                state
                    .roomy_nodes
                    .iter()
                    .map(|n| (Reverse(state.nodes[n.index()].free_slots), n.index())),
            );
            self.roomy.sort_unstable();
        }
        self.first = 0;
        self.demoted.clear();
        self.cursor = 0;
        self.nodes = state.nodes.len();
    }

    /// Pushes the nodes given slots back since the last round (every node
    /// at the first), and starts the round's counts.
    fn refresh(&mut self, state: &ServiceState) {
        self.round = self.round.wrapping_add(1);
        if self.round == 0 {
            self.left.iter_mut().for_each(|l| l.0 = 0);
            self.round = 1;
        }
        self.left.resize(state.nodes.len(), (0, 0));
        let uniform = self.empties();
        self.kept.begin(state, |node| roomy(node, uniform));
    }

    /// Ends a round: the nodes it handed out get an entry at the
    /// service's count again (its shares may not all be dispatched).
    pub fn end(&mut self, state: &ServiceState) {
        if self.heap {
            let uniform = self.empties();
            self.kept.end(state, |node| roomy(node, uniform));
        }
    }

    /// The slots of the empty nodes this round hands out as runs, if it
    /// does (off the heap, every node with as many slots).
    fn empties(&self) -> Option<u32> {
        self.uniform.flatten().filter(|_| self.heap)
    }

    /// The next roomy node in order and its free slots this round, put
    /// at `roomy[first]`, if any.
    fn next_roomy(&mut self, state: &ServiceState) -> bool {
        if !self.heap || self.first < self.roomy.len() {
            return self.first < self.roomy.len();
        }
        let (left, round, uniform) = (&self.left, self.round, self.empties());
        // An empty node unstamped this round is the empty runs', not the
        // heap's.
        let now = |node: NodeId| {
            let free = match left[node.index()] {
                (stamp, count) if stamp == round => count,
                _ => state.nodes[node.index()].free_slots,
            };
            (free >= 2 && (left[node.index()].0 == round || Some(free) != uniform)).then_some(Reverse(free))
        };
        let Some((node, free)) = self.kept.first(now) else {
            return false;
        };
        self.roomy.push((free, node.index()));
        true
    }

    /// Hands out up to `most` slots to one share, in order, onto `out`
    /// (one node at a time unless `runs`); returns how many.
    pub fn take(&mut self, state: &ServiceState, most: u64, runs: bool, out: &mut impl FnMut(Slots)) -> u64 {
        let mut remaining = most;
        while remaining > 0 {
            if let Some(slots) = self.empties()
                && self.take_empty(state, slots, &mut remaining, out)
            {
                continue;
            }
            if self.next_roomy(state) {
                let (Reverse(available), node) = self.roomy[self.first];
                let take = remaining.min(u64::from(available)) as u32;
                remaining -= u64::from(take);
                out(Slots::Node(NodeId(node as u32), take));
                if self.heap {
                    self.left[node] = (self.round, available - take);
                    self.kept.take_first();
                    self.roomy.pop();
                    match available - take {
                        0 => {}
                        1 => {
                            let at = self.demoted.partition_point(|&d| d < node);
                            self.demoted.insert(at, node);
                        }
                        rest => self.kept.push(Reverse(rest), NodeId(node as u32)),
                    }
                    continue;
                }
                if take == available {
                    self.first += 1;
                } else if available - take == 1 {
                    // Among the nodes with one slot, in list order.
                    self.roomy.remove(self.first);
                    let at = self.demoted.partition_point(|&d| d < node);
                    self.demoted.insert(at, node);
                } else {
                    // Slots are left on it: back among the others, in order.
                    self.roomy[self.first].0 = Reverse(available - take);
                    let mut at = self.first;
                    while at + 1 < self.roomy.len() && self.roomy[at + 1] < self.roomy[at] {
                        self.roomy.swap(at, at + 1);
                        at += 1;
                    }
                }
                continue;
            }
            // One slot each: the nodes of one slot from the cursor and the
            // demoted ones, merged in list order.
            let limit = self.demoted.first().copied().unwrap_or(self.nodes);
            let most = if runs { remaining } else { 1 };
            let (count, end) = count_run(state, Level::One, self.cursor, limit, most);
            if count > 0 {
                if runs {
                    out(Slots::Run {
                        from: self.cursor,
                        to: end,
                        level: Level::One,
                    });
                } else {
                    out(Slots::Node(NodeId(end as u32 - 1), 1));
                }
                self.cursor = end;
                remaining -= count;
                continue;
            }
            self.cursor = self.cursor.max(limit);
            if self.demoted.is_empty() {
                break;
            }
            let node = self.demoted.remove(0);
            out(Slots::Node(NodeId(node as u32), 1));
            remaining -= 1;
        }
        most - remaining
    }
}

impl MostLeft {
    /// Hands out empty nodes (`slots` free slots each) from the cursor
    /// to a share of `remaining` slots: every slot of as many whole nodes
    /// as it takes, as a run, else the part it takes of the next one,
    /// which then has its slots left this round on the heap (or among the
    /// nodes of one slot). False when no empty node is left.
    fn take_empty(
        &mut self,
        state: &ServiceState,
        slots: u32,
        remaining: &mut u64,
        out: &mut impl FnMut(Slots),
    ) -> bool {
        // The next empty node, found a summary word at a time: under
        // load most nodes are busy, and a share of a slot or two (most of
        // them) takes one node.
        let Some(first) = (self.empty_cursor < self.nodes)
            .then(|| state.empty_nodes.first_from(self.empty_cursor))
            .flatten()
        else {
            self.empty_cursor = self.nodes;
            return false;
        };
        let level = Level::Empty(slots);
        let whole = *remaining / u64::from(slots);
        if whole > 0 {
            let (count, end) = count_run(state, level, first.index(), self.nodes, whole);
            out(Slots::Run {
                from: first.index(),
                to: end,
                level,
            });
            self.empty_cursor = end;
            *remaining -= count * u64::from(slots);
            return true;
        }
        let node = first.index();
        let take = *remaining as u32;
        out(Slots::Node(first, take));
        self.empty_cursor = node + 1;
        *remaining = 0;
        self.left[node] = (self.round, slots - take);
        match slots - take {
            1 => {
                let at = self.demoted.partition_point(|&d| d < node);
                self.demoted.insert(at, node);
            }
            rest => self.kept.push(Reverse(rest), first),
        }
        true
    }
}

/// The slots of every node of `state` when they all have as many, two or
/// more (a node's slots never change).
fn uniform_slots(state: &ServiceState) -> Option<u32> {
    let slots = state.nodes.first()?.slots;
    (slots >= 2 && state.nodes.iter().all(|n| n.slots == slots)).then_some(slots)
}

/// Up to `most` nodes at `level` in `from..limit`, lowest first: how
/// many, and the node after the last of them.
fn count_run(state: &ServiceState, level: Level, from: usize, limit: usize, most: u64) -> (u64, usize) {
    let mut count = 0;
    let mut end = from;
    if from >= limit {
        return (0, end);
    }
    for i in from / 64..limit.div_ceil(64) {
        let mut bits = level.nodes(state, i) & within(i, from, limit);
        let here = members(bits) as u64;
        if count + here <= most {
            if bits != 0 {
                end = i * 64 + 64 - bits.leading_zeros() as usize;
            }
            count += here;
            if count == most {
                break;
            }
            continue;
        }
        for _ in count..most {
            end = i * 64 + bits.trailing_zeros() as usize + 1;
            bits &= bits - 1;
        }
        count = most;
        break;
    }
    (count, end)
}

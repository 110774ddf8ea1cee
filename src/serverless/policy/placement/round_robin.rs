//! `round_robin`: the nodes take waiting invocations in turn. A cursor,
//! kept across rounds, points at the node after the last one given an
//! invocation; each invocation (submission order) goes to the first node
//! from the cursor on (cyclically) with a free slot. There the classic
//! decision is taken (its idle container, the image in RAM, else a load
//! or a copy, the invocation waiting for a later round).
//!
//! Entries alike whose turns come to nodes where they only wait for the
//! image are decided as a whole (`overlay/alike.rs`).
//!
//! The round ends once what is left would be refused wherever it goes
//! (`refused.rs`); the cursor still moves as those entries would have
//! moved it, taking turns over the free slots ([`cursor_after`]).

use super::super::Build;
use super::refused::RefusedRest;
use super::{Decisions, Overlay, Placement, Queue, View};
use crate::serverless::ids::NodeId;

pub struct RoundRobin {
    overlay: Overlay,
    /// The node whose turn is next.
    next: u32,
    rest: RefusedRest,
}

pub fn make(build: &Build) -> Box<dyn Placement> {
    Box::new(RoundRobin {
        overlay: Overlay::new(build.nodes),
        next: 0,
        rest: RefusedRest::default(),
    })
}

impl Placement for RoundRobin {
    /// Its dispatches take idle containers only (`Overlay::act_at`).
    fn claims_prewarming(&self) -> bool {
        false
    }

    fn schedule(&mut self, view: &View, queue: Queue, out: &mut Decisions) {
        let state = view.state;
        self.overlay.begin(state);
        self.rest.begin();
        let nodes = state.nodes.len() as u32;
        let mut next = 0;
        while let Some((index, p)) = queue.iter_from(next).next() {
            next = index + 1;
            let free = &self.overlay.free;
            // With the shortcuts off, node by node, to check the search.
            let turn = if view.shortcuts {
                free.first_from(self.next as usize).or_else(|| free.first())
            } else {
                (0..nodes)
                    .map(|k| NodeId((self.next + k) % nodes))
                    .find(|&node| free.contains(node))
            };
            let Some(node) = turn else {
                out.exhausted = true;
                break;
            };
            if self
                .rest
                .ends_per_free_slot(view, &self.overlay, queue, (index, p, node), out)
            {
                let mut free: Vec<(u32, u32)> = (self.overlay.free.iter())
                    .map(|n| (n.0, self.overlay.free_slots(state, n)))
                    .collect();
                self.next = cursor_after(self.next, nodes, &mut free, self.rest.left(queue) as u64);
                break;
            }
            self.next = (node.0 + 1) % nodes;
            let alike = view.shortcuts.then(|| self.rest.rest_alike(queue, p)).flatten();
            let before = out.dispatch.len();
            self.overlay.act_at(view, p, index as u32, node, out);
            self.rest.pass(view, &self.overlay, p, out.dispatch.get(before));
            // Entries alike whose turns come to nodes where they only wait
            // for the image claim them as a whole (`overlay/alike.rs`).
            if let Some(count) = alike {
                let (taken, last) = self.overlay.claim_waiting_turns(view, p, NodeId(self.next), count);
                if let Some(last) = last {
                    self.next = (last.0 + 1) % nodes;
                }
                self.rest.pass_waiting(p, taken);
                next = queue.after_waiting(next, taken);
            }
        }
    }
}

/// The cursor once `entries` more entries took their turns from `next` on,
/// each claiming a slot of the first node of `free` (node, free slots; in
/// list order) from the cursor on, cyclically, until no slot is left. A
/// whole turn of the nodes leaves the cursor where it began; so the nodes
/// take as many whole turns at once as they all have slots for, those left
/// without drop out, and the last part of a turn is counted from its first
/// node: as many steps as nodes run out of slots, not as entries.
fn cursor_after(mut next: u32, nodes: u32, free: &mut Vec<(u32, u32)>, mut entries: u64) -> u32 {
    while entries > 0 && !free.is_empty() {
        let turn = free.len() as u64;
        // The first node from the cursor on, cyclically.
        let first = free.iter().position(|&(n, _)| n >= next).unwrap_or(0);
        let fewest = free.iter().map(|&(_, slots)| slots).min().unwrap_or(0) as u64;
        let turns = fewest.min(entries / turn);
        if turns == 0 {
            // Fewer entries than nodes: each takes the next node once.
            let last = free[(first + entries as usize - 1) % free.len()].0;
            return (last + 1) % nodes;
        }
        // Whole turns end on the node before the first.
        let last = free[(first + free.len() - 1) % free.len()].0;
        next = (last + 1) % nodes;
        entries -= turns * turn;
        free.iter_mut().for_each(|(_, slots)| *slots -= turns as u32);
        free.retain(|&(_, slots)| slots > 0);
    }
    next
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cursor entry by entry, as the round moves it.
    fn one_by_one(mut next: u32, nodes: u32, free: &[(u32, u32)], entries: u64) -> u32 {
        let mut slots = vec![0; nodes as usize];
        for &(n, s) in free {
            slots[n as usize] = s;
        }
        for _ in 0..entries {
            let Some(node) = (0..nodes).map(|k| (next + k) % nodes).find(|&n| slots[n as usize] > 0) else {
                break;
            };
            slots[node as usize] -= 1;
            next = (node + 1) % nodes;
        }
        next
    }

    #[test]
    fn the_cursor_moves_as_entry_by_entry() {
        let platforms: [(u32, &[(u32, u32)]); 5] = [
            (1, &[(0, 3)]),
            (5, &[(0, 2), (2, 1), (4, 5)]),
            (6, &[(1, 4), (2, 4), (5, 4)]),
            (8, &[(0, 1), (3, 7), (4, 2), (6, 3), (7, 1)]),
            (4, &[(3, 2)]),
        ];
        for (nodes, free) in platforms {
            for next in 0..nodes {
                for entries in 0..30 {
                    let mut fast = free.to_vec();
                    assert_eq!(
                        cursor_after(next, nodes, &mut fast, entries),
                        one_by_one(next, nodes, free, entries),
                        "{nodes} nodes {free:?}, cursor {next}, {entries} entries"
                    );
                }
            }
        }
    }
}

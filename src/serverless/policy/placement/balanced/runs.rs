//! A round's runs of nodes (`Slots::Run`) brought images and dispatched
//! to in list order, as full rounds take the nodes one at a time. Runs of
//! one level never overlap (each level's cursor only moves on), but a run
//! of empty nodes and a run of one-slot nodes may cover the same stretch,
//! their nodes interleaved: such runs are read together, a word of 64
//! nodes at a time, and their nodes taken in increasing order. A node is
//! in one run at most (the levels are disjoint), and the nodes taken one
//! at a time cut the runs around them (`split_runs`), so between a run's
//! bounds only runs are left.

use std::ops::Range;

use super::most_left::{Slots, within};
use super::{Balanced, bring};
use crate::serverless::ids::NodeId;
use crate::serverless::nodeset::members;
use crate::serverless::state::ServiceState;

use super::super::{Decisions, Queue, View};

/// A run's nodes in the word being read.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct RunWord {
    /// Its nodes not taken yet.
    mine: u64,
    /// Those with work to do there (an image to bring, or in RAM).
    busy: u64,
    /// Entries its refused nodes passed, not yet taken off its group.
    refused: usize,
}

/// The end of the runs from `allocation[a]` on that overlap it or one
/// another (sorted by first node): they are read together.
pub(super) fn cluster_end(allocation: &[(Slots, usize)], a: usize) -> usize {
    let mut end = a;
    let mut reach = 0;
    while let Some(&(Slots::Run { from, to, .. }, _)) = allocation.get(end) {
        if end > a && from >= reach {
            break;
        }
        reach = reach.max(to);
        end += 1;
    }
    end
}

impl Balanced {
    /// Starts reading runs `runs`: a scratch word each, and the words of
    /// the nodes they cover.
    fn words_of(&mut self, runs: &Range<usize>) -> Range<usize> {
        self.run_words.clear();
        self.run_words.resize(runs.len(), RunWord::default());
        let (lo, hi) = runs
            .clone()
            .fold((usize::MAX, 0), |(lo, hi), a| match self.allocation[a].0 {
                Slots::Run { from, to, .. } => (lo.min(from), hi.max(to)),
                Slots::Node(..) => (lo, hi),
            });
        lo / 64..hi.div_ceil(64)
    }

    /// Reads word `i` of each of runs `runs` into the scratch words: its
    /// nodes, and those `busy` says have work (given the run's level and
    /// group).
    fn read_word(
        &mut self,
        state: &ServiceState,
        runs: &Range<usize>,
        i: usize,
        busy: impl Fn(&Self, usize, u64) -> u64,
    ) {
        for (k, a) in runs.clone().enumerate() {
            let (Slots::Run { from, to, level }, g) = self.allocation[a] else {
                unreachable!("a cluster holds runs only (cluster_end)")
            };
            let mine = level.nodes(state, i) & within(i, from, to);
            let work = busy(self, g, mine);
            let word = &mut self.run_words[k];
            (word.mine, word.busy) = (mine, work);
        }
    }

    /// The run holding the lowest node with work in the words read, and
    /// that node's bit.
    fn lowest_busy(&self) -> Option<(usize, u32)> {
        (self.run_words.iter().enumerate())
            .filter(|(_, w)| w.busy != 0)
            .map(|(k, w)| (k, w.busy.trailing_zeros()))
            .min_by_key(|&(_, bit)| bit)
    }

    /// Brings the images of runs `runs` (overlapping) where they are not:
    /// a copy where the image is neither on disk nor on its way, else a
    /// load where it is on disk and neither in RAM nor loading, node by
    /// node in list order. Only the service's sets tell what is there
    /// (no other share has these nodes).
    pub(super) fn bring_runs(&mut self, view: &View, runs: Range<usize>, out: &mut Decisions) {
        let state = view.state;
        for i in self.words_of(&runs) {
            self.read_word(state, &runs, i, |this, g, mine| {
                let sets = &state.images[this.groups[g].image.0 as usize];
                let copy = mine & !sets.disk_or_copying.word(i);
                let load = mine & sets.on_disk.word(i) & !sets.ram_or_loading.word(i);
                copy | load
            });
            while let Some((k, bit)) = self.lowest_busy() {
                self.run_words[k].busy &= !(1 << bit);
                let image = self.groups[self.allocation[runs.start + k].1].image;
                bring(&mut self.overlay, view, NodeId(i as u32 * 64 + bit), image, out);
            }
        }
    }

    /// Dispatches to runs `runs` (overlapping) node by node in list order:
    /// a node with its group's image in RAM takes the group's newest
    /// entries, one a slot, until its share there ends; the others refuse
    /// theirs (as many as they have slots), passed together, but before
    /// any later dispatch of their group.
    pub(super) fn dispatch_runs(&mut self, view: &View, queue: Queue, runs: Range<usize>, out: &mut Decisions) {
        let state = view.state;
        for i in self.words_of(&runs) {
            self.read_word(state, &runs, i, |this, g, mine| {
                mine & state.images[this.groups[g].image.0 as usize].in_ram.word(i)
            });
            while let Some((k, bit)) = self.lowest_busy() {
                let (Slots::Run { level, .. }, g) = self.allocation[runs.start + k] else {
                    unreachable!("a cluster holds runs only (cluster_end)")
                };
                // The group's refused nodes below this one pass their
                // entries first, in every run of the group.
                let below = (1u64 << bit) - 1;
                let mut passed = 0;
                for (k2, a2) in runs.clone().enumerate() {
                    let (Slots::Run { level: level2, .. }, g2) = self.allocation[a2] else {
                        unreachable!("a cluster holds runs only (cluster_end)")
                    };
                    if g2 == g {
                        let word = &mut self.run_words[k2];
                        passed += word.refused + members(word.mine & below) * level2.slots() as usize;
                        word.refused = 0;
                        word.mine &= !below;
                    }
                }
                let word = &mut self.run_words[k];
                word.mine &= !(1 << bit);
                word.busy &= !(1 << bit);
                self.groups[g].members.drop_newest(passed);
                self.dispatch_all_at(view, queue, NodeId(i as u32 * 64 + bit), g, level.slots(), out);
            }
            for (k, a) in runs.clone().enumerate() {
                let Slots::Run { level, .. } = self.allocation[a].0 else {
                    unreachable!("a cluster holds runs only (cluster_end)")
                };
                let word = &mut self.run_words[k];
                word.refused += members(word.mine) * level.slots() as usize;
            }
        }
        for (k, a) in runs.enumerate() {
            let g = self.allocation[a].1;
            let refused = self.run_words[k].refused;
            self.groups[g].members.drop_newest(refused);
        }
    }
}

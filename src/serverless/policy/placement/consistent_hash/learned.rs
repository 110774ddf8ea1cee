//! What rounds learn of one registration's walk of the ring, kept from
//! one round to the next. Which nodes come first on the walk never
//! changes, so a round reads the first ones a word of 64 nodes at a time
//! (`prefix.rs`) instead of visiting them one by one: those without a
//! free slot (skipped while none of them has one), and those the last run
//! of entries alike went through (claimed together while every free one
//! only waits for its image, `Overlay::claim_waiting_along`). A round of
//! a pull crowd then costs words of nodes, not a visit per busy node or
//! per waiting request.

use super::super::overlay::KeptPrefix;
use super::super::prefix::Prefix;
use crate::serverless::ids::NodeId;
use crate::serverless::nodeset::NodeSet;

#[derive(Debug, Default)]
pub struct Learned {
    /// First nodes of the walk, none with a free slot when last checked.
    busy: Prefix,
    /// The round that last checked `busy`: within a round free slots are
    /// only claimed, so a check holds for the rest of it.
    checked: u32,
    /// First nodes of the walk up to where the last run stopped.
    pub walked: Prefix,
    /// What rounds learnt of `walked`'s free nodes.
    pub kept: KeptPrefix,
}

impl Learned {
    /// How many first nodes of the walk are known to have no slot in
    /// `free`, the free set of round `round`.
    pub fn busy_len(&mut self, free: &NodeSet, round: u32) -> usize {
        if self.checked != round {
            self.checked = round;
            if self.busy.meets(free) {
                self.busy.clear();
            }
        }
        self.busy.len() as usize
    }

    /// The nodes of `walk` before rank `to` have no free slot in this
    /// round: learns them, if the walk went there from the end of what
    /// was known (`from`).
    pub fn went_past_busy(&mut self, walk: &[NodeId], from: usize, to: usize) {
        if from == self.busy.len() as usize {
            self.busy
                .extend(to as u32, |rank| walk[rank as usize..].iter().copied());
        }
    }

    /// Where a walk from rank `from` meets its first node in `free`, at
    /// the earliest, known without visiting the nodes of the last run.
    pub fn past_walked(&self, free: &NodeSet, from: usize) -> usize {
        let len = self.walked.len() as usize;
        if len > from && !self.walked.meets(free) {
            len
        } else {
            from
        }
    }

    /// Sets [`Self::walked`] to hold the walk's nodes up to rank `to`,
    /// where a run stopped.
    pub fn walked_to(&mut self, walk: &[NodeId], to: usize) {
        self.walked
            .extend(to as u32, |rank| walk[rank as usize..].iter().copied());
    }

    /// Forgets every check (the round counter wrapped).
    pub fn forget_checks(&mut self) {
        self.checked = 0;
    }
}

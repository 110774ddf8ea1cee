//! Which nodes a stage of a `greedy` pick asks. Each stage can offer
//! something only at nodes of one of the service's node sets, give or take
//! the nodes the round committed on: an idle container of the key
//! (`idle_nodes`), the image in RAM (`in_ram`), on its way to RAM
//! (`ram_or_loading`), on disk (`on_disk`), on its way to disk
//! (`disk_or_copying`), and a copy only where it is neither. The round
//! only takes away from what the service state holds (evictions,
//! terminations, claims) and adds transfers at the nodes it commits on, so
//! a stage reads the words of its set and the free nodes, and asks only
//! the nodes in both: a pick costs the nodes that can answer, not every
//! node with a free slot (`RunOptions::rounds_only` asks every candidate,
//! to check so).
//!
//! A stage that chooses among plans under `eviction_averse` (the fewest
//! disk evictions, RAM evictions, terminations, copies, loads, then the
//! first node by name) asks its nodes in name order and stops at the first
//! plan no other can beat: nothing to evict or terminate, one layer to
//! bring (none for a new container). Under node after node of pulls that
//! is the first fresh node by name, not every fresh node.

use crate::ir::service::NodeSelection;
use crate::serverless::ids::NodeId;

use super::super::View;
use super::tier::Cost;
use super::{Greedy, Plan};

/// The words of a stage's node set, given the pick's state.
pub(super) type Words<'f> = &'f dyn Fn(&Greedy, usize) -> u64;

/// Asked in name order above this many nodes (an upper bound: the words'
/// count), else every node is asked.
const BY_NAME_ABOVE: u32 = 64;

impl Greedy {
    /// Whether a pick asks only a stage's set, word by word, in node order
    /// (candidates taken as they come: not under `least_loaded`).
    pub(super) fn by_words(&self, view: &View) -> bool {
        view.shortcuts && self.policies.node != NodeSelection::LeastLoaded
    }

    /// The first `ask(node)` that is `Some`, over `candidates` in their
    /// order, those outside `set` skipped (all asked without shortcuts).
    pub(super) fn first_at<T>(
        &mut self,
        view: &View,
        candidates: &[NodeId],
        set: Words,
        mut ask: impl FnMut(&mut Self, NodeId) -> Option<T>,
    ) -> Option<T> {
        if !self.by_words(view) {
            for &node in candidates {
                let asked = !view.shortcuts || set(self, node.index() / 64) & (1 << (node.0 % 64)) != 0;
                if asked && let Some(found) = ask(self, node) {
                    return Some(found);
                }
            }
            return None;
        }
        for i in 0..view.state.nodes.len().div_ceil(64) {
            let mut bits = self.round.overlay.free.word(i) & set(self, i);
            while bits != 0 {
                let node = NodeId(i as u32 * 64 + bits.trailing_zeros());
                bits &= bits - 1;
                if let Some(found) = ask(self, node) {
                    return Some(found);
                }
            }
        }
        None
    }

    /// The plan the plan-selection policy chooses among what `ask` offers
    /// at the candidates of `set`; `floor` is the least cost a plan of the
    /// stage can have.
    pub(super) fn best_at(
        &mut self,
        view: &View,
        candidates: &[NodeId],
        set: Words,
        floor: Cost,
        mut ask: impl FnMut(&mut Self, NodeId) -> Option<Plan>,
    ) -> Option<Plan> {
        let words = view.state.nodes.len().div_ceil(64);
        let free = |g: &Self, i: usize| g.round.overlay.free.word(i) & set(g, i);
        let many = |g: &Self| {
            let mut count = 0;
            (0..words).any(|i| {
                count += free(g, i).count_ones();
                count > BY_NAME_ABOVE
            })
        };
        if view.shortcuts && self.plan_rng.is_none() && many(self) {
            let mut best: Option<Plan> = None;
            for &node in &view.state.by_name {
                if free(self, node.index() / 64) & (1 << (node.0 % 64)) == 0 {
                    continue;
                }
                let Some(plan) = ask(self, node) else { continue };
                // In name order, a tie keeps the first.
                if best.as_ref().is_none_or(|b| plan.cost() < b.cost()) {
                    let unbeatable = plan.cost() == floor;
                    best = Some(plan);
                    if unbeatable {
                        break;
                    }
                }
            }
            return best;
        }
        let mut plans = Vec::new();
        self.first_at(view, candidates, set, |g, node| {
            plans.extend(ask(g, node));
            None::<()>
        });
        self.choose(view, plans)
    }
}

//! Progressive filling over the components collected from dirty constraints.
//!
//! Constraints are kept in a min-heap by level (remaining / usage, with
//! versioned entries instead of decrease-key) and bounded variables sorted
//! by bound / weight, so a component with E loads solves in O(E log E).

use std::cmp::{Ordering, Reverse};

use super::Solver;

/// A total order on non-NaN f64 for the heaps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Level(pub f64);

impl Eq for Level {}

impl PartialOrd for Level {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Level {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

impl Solver {
    /// Gathers, into `comp_cnsts` / `comp_vars`, everything reachable from the dirty constraints.
    pub(super) fn collect_components(&mut self) {
        self.epoch = self.epoch.wrapping_add(1);
        if self.epoch == 0 {
            // The marks wrapped around: clear them so no stale mark matches.
            self.cnsts.iter_mut().for_each(|c| c.mark = 0);
            self.vars.iter_mut().for_each(|v| v.mark = 0);
            self.epoch = 1;
        }
        let epoch = self.epoch;
        self.comp_cnsts.clear();
        self.comp_vars.clear();
        for c in self.dirty.drain(..) {
            let cnst = &mut self.cnsts[c as usize];
            cnst.dirty = false;
            if cnst.mark != epoch {
                cnst.mark = epoch;
                self.comp_cnsts.push(c);
            }
        }
        let mut next = 0;
        while next < self.comp_cnsts.len() {
            let c = self.comp_cnsts[next] as usize;
            next += 1;
            for m in 0..self.cnsts[c].members.len() {
                let v = self.cnsts[c].members[m].var;
                let var = &mut self.vars[v as usize];
                if var.mark == epoch {
                    continue;
                }
                var.mark = epoch;
                self.comp_vars.push(v);
                for load in &var.loads {
                    let other = &mut self.cnsts[load.cnst as usize];
                    if other.mark != epoch {
                        other.mark = epoch;
                        self.comp_cnsts.push(load.cnst);
                    }
                }
            }
        }
    }

    /// Progressive filling over the collected components.
    pub(super) fn fill(&mut self) {
        self.by_level.clear();
        self.by_bound.clear();
        self.bound_cursor = 0;
        for &c in &self.comp_cnsts {
            let cnst = &mut self.cnsts[c as usize];
            cnst.remaining = cnst.capacity;
            cnst.usage = 0.0;
            cnst.unfixed = 0;
            cnst.bound_load = 0.0;
        }
        for &v in &self.comp_vars {
            let var = &mut self.vars[v as usize];
            var.fixed = false;
            var.next_value = 0.0;
            for load in &var.loads {
                let cnst = &mut self.cnsts[load.cnst as usize];
                cnst.usage += load.amount * var.weight;
                cnst.bound_load += load.amount * var.bound;
                cnst.unfixed += 1;
            }
            if var.bound.is_finite() {
                self.by_bound.push((Level(var.bound / var.weight), v));
            }
        }
        // When no capacity is oversubscribed even at every bound (a CPU with
        // fewer computations than cores, say), every variable gets its bound.
        if self
            .comp_cnsts
            .iter()
            .all(|&c| self.cnsts[c as usize].bound_load <= self.cnsts[c as usize].capacity)
        {
            for &v in &self.comp_vars {
                let var = &mut self.vars[v as usize];
                var.next_value = var.bound;
            }
            return;
        }
        // Bounds never move during a solve: one sort replaces a heap (and
        // equal ratios, the common case, are already sorted).
        if !self.by_bound.is_sorted() {
            self.by_bound.sort_unstable();
        }
        for i in 0..self.comp_cnsts.len() {
            let c = self.comp_cnsts[i];
            self.push_level(c);
        }
        // Once every variable is fixed, the entries left in the heaps are moot.
        self.unfixed_vars = self.comp_vars.len();
        while self.unfixed_vars > 0 {
            let level = self.peek_level();
            let bound = self.peek_bound();
            let bound_first = match (level, bound) {
                (_, None) => false,
                (None, Some(_)) => true,
                (Some((level, _)), Some((ratio, _))) => ratio < level,
            };
            if let (true, Some((_, v))) = (bound_first, bound) {
                self.bound_cursor += 1;
                let bound = self.vars[v as usize].bound;
                self.fix(v, bound);
            } else if let Some((level, c)) = level {
                self.by_level.pop();
                self.saturate(c, level);
            } else {
                break;
            }
            self.refresh_touched();
        }
    }

    /// Fixes every unfixed variable of constraint `c` at `level` x weight.
    fn saturate(&mut self, c: u32, level: f64) {
        for m in 0..self.cnsts[c as usize].members.len() {
            let v = self.cnsts[c as usize].members[m].var;
            let var = &self.vars[v as usize];
            if !var.fixed {
                let value = (level * var.weight).min(var.bound);
                self.fix(v, value);
            }
        }
    }

    fn fix(&mut self, v: u32, value: f64) {
        let var = &mut self.vars[v as usize];
        var.fixed = true;
        var.next_value = value;
        self.unfixed_vars -= 1;
        for load in &var.loads {
            let c = load.cnst;
            let cnst = &mut self.cnsts[c as usize];
            cnst.unfixed -= 1;
            cnst.remaining -= load.amount * value;
            cnst.usage -= load.amount * var.weight;
            if !cnst.touched {
                cnst.touched = true;
                self.touched.push(c);
            }
        }
    }

    /// Re-queues the constraints whose level moved during the last step.
    fn refresh_touched(&mut self) {
        while let Some(c) = self.touched.pop() {
            self.cnsts[c as usize].touched = false;
            if self.cnsts[c as usize].unfixed > 0 {
                self.push_level(c);
            }
        }
    }

    fn push_level(&mut self, c: u32) {
        let cnst = &self.cnsts[c as usize];
        if cnst.unfixed == 0 {
            return;
        }
        if cnst.usage <= 0.0 {
            // Subtractions cancelled out: recount the unfixed variables exactly.
            let usage = cnst
                .members
                .iter()
                .filter_map(|m| {
                    let var = &self.vars[m.var as usize];
                    (!var.fixed).then(|| var.loads[m.load as usize].amount * var.weight)
                })
                .sum();
            self.cnsts[c as usize].usage = usage;
        }
        let cnst = &mut self.cnsts[c as usize];
        let level = if cnst.remaining > 0.0 {
            cnst.remaining / cnst.usage
        } else {
            0.0
        };
        cnst.version = cnst.version.wrapping_add(1);
        self.by_level.push(Reverse((Level(level), c, cnst.version)));
    }

    /// The lowest current constraint level, dropping outdated heap entries.
    fn peek_level(&mut self) -> Option<(f64, u32)> {
        while let Some(&Reverse((Level(level), c, version))) = self.by_level.peek() {
            let cnst = &self.cnsts[c as usize];
            if cnst.version == version && cnst.unfixed > 0 {
                return Some((level, c));
            }
            self.by_level.pop();
        }
        None
    }

    /// The lowest bound / weight among unfixed bounded variables.
    fn peek_bound(&mut self) -> Option<(f64, u32)> {
        while let Some(&(Level(ratio), v)) = self.by_bound.get(self.bound_cursor) {
            if !self.vars[v as usize].fixed {
                return Some((ratio, v));
            }
            self.bound_cursor += 1;
        }
        None
    }
}

//! Weighted max-min fair sharing, re-solved only on the connected component a change touches.
//!
//! Capacities (CPU, disk, link directions) are constraints; each running
//! activity is a variable with a weight (1 / penalty), an optional bound and
//! a load per unit of value on each constraint it uses. Progressive filling
//! raises a common level L: every unfixed variable gets L x weight (or its
//! bound) until a constraint saturates, which fixes its variables; repeat.
//! Constraints are kept in a min-heap by remaining / usage and bounded
//! variables in one by bound / weight, so a component with E loads solves in
//! O(E log E). Changes only mark constraints dirty; `solve` walks the
//! components reachable from them and reports the variables whose value moved.

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::fmt;

/// A total order on non-NaN f64 for the heaps.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Level(f64);

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

/// A variable's use of a constraint, stored on the variable.
#[derive(Debug, Clone, Copy)]
struct Load {
    cnst: u32,
    amount: f64,
    /// Index of the matching [`Member`] in the constraint (valid while enabled).
    pos: u32,
}

/// A variable using a constraint, stored on the constraint.
#[derive(Debug, Clone, Copy)]
struct Member {
    var: u32,
    /// Index of the matching [`Load`] in the variable.
    load: u32,
}

#[derive(Debug)]
struct Cnst {
    capacity: f64,
    members: Vec<Member>,
    dirty: bool,
    touched: bool,
    mark: u32,
    version: u32,
    unfixed: u32,
    remaining: f64,
    usage: f64,
}

#[derive(Debug, Default)]
struct Var {
    weight: f64,
    bound: f64,
    value: f64,
    next_value: f64,
    loads: Vec<Load>,
    owner: u32,
    mark: u32,
    enabled: bool,
    fixed: bool,
}

/// A broken sharing invariant, found by [`Solver::check`].
#[derive(Debug, Clone, PartialEq)]
pub enum Violation {
    /// The loads on a capacity exceed it.
    OverCapacity {
        /// Index of the capacity (platform numbering).
        index: usize,
        /// Σ load x value over its variables.
        load: f64,
        /// The capacity.
        capacity: f64,
    },
    /// A variable exceeds its bound.
    OverBound {
        /// The variable's value.
        value: f64,
        /// Its bound.
        bound: f64,
    },
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Violation::OverCapacity {
                index,
                load,
                capacity,
            } => {
                write!(f, "capacity #{index} loaded at {load} over {capacity}")
            }
            Violation::OverBound { value, bound } => {
                write!(f, "rate {value} over its bound {bound}")
            }
        }
    }
}

/// Relative slack allowed by [`Solver::check`] for rounding.
const CHECK_TOLERANCE: f64 = 1e-9;

#[derive(Debug)]
pub(crate) struct Solver {
    cnsts: Vec<Cnst>,
    vars: Vec<Var>,
    free_vars: Vec<u32>,
    dirty: Vec<u32>,
    epoch: u32,
    comp_cnsts: Vec<u32>,
    comp_vars: Vec<u32>,
    touched: Vec<u32>,
    by_level: BinaryHeap<Reverse<(Level, u32, u32)>>,
    /// Bounded variables by bound / weight, consumed from `bound_cursor`.
    by_bound: Vec<(Level, u32)>,
    bound_cursor: usize,
    /// Variables of the components being solved that are not fixed yet.
    unfixed_vars: usize,
    changed: Vec<u32>,
}

impl Solver {
    /// A solver over constraints of these capacities (platform numbering).
    pub fn new(capacities: &[f64]) -> Self {
        let cnsts = capacities
            .iter()
            .map(|&capacity| Cnst {
                capacity,
                members: Vec::new(),
                dirty: false,
                touched: false,
                mark: 0,
                version: 0,
                unfixed: 0,
                remaining: 0.0,
                usage: 0.0,
            })
            .collect();
        Solver {
            cnsts,
            vars: Vec::new(),
            free_vars: Vec::new(),
            dirty: Vec::new(),
            epoch: 0,
            comp_cnsts: Vec::new(),
            comp_vars: Vec::new(),
            touched: Vec::new(),
            by_level: BinaryHeap::new(),
            by_bound: Vec::new(),
            bound_cursor: 0,
            unfixed_vars: 0,
            changed: Vec::new(),
        }
    }

    /// A new, not yet enabled variable owned by `owner` (weight > 0, bound > 0
    /// or infinite), putting `load` per unit of value on each `(constraint, load)`.
    pub fn add_var(&mut self, owner: u32, weight: f64, bound: f64, loads: &[(u32, f64)]) -> u32 {
        let v = match self.free_vars.pop() {
            Some(v) => v,
            None => {
                self.vars.push(Var::default());
                (self.vars.len() - 1) as u32
            }
        };
        let var = &mut self.vars[v as usize];
        var.weight = weight;
        var.bound = bound;
        var.value = 0.0;
        var.owner = owner;
        var.enabled = false;
        var.loads.clear();
        var.loads.reserve_exact(loads.len());
        for &(cnst, amount) in loads.iter().filter(|(_, a)| *a > 0.0) {
            match var.loads.iter_mut().find(|l| l.cnst == cnst) {
                Some(l) => l.amount += amount,
                None => var.loads.push(Load {
                    cnst,
                    amount,
                    pos: 0,
                }),
            }
        }
        v
    }

    /// Makes the variable take part in the sharing from the next `solve`.
    pub fn enable(&mut self, v: u32) {
        let var = &mut self.vars[v as usize];
        var.enabled = true;
        for (k, load) in var.loads.iter_mut().enumerate() {
            let cnst = &mut self.cnsts[load.cnst as usize];
            load.pos = cnst.members.len() as u32;
            cnst.members.push(Member {
                var: v,
                load: k as u32,
            });
            if !cnst.dirty {
                cnst.dirty = true;
                self.dirty.push(load.cnst);
            }
        }
    }

    /// Removes the variable; the id may be handed out again.
    pub fn remove(&mut self, v: u32) {
        let var = &mut self.vars[v as usize];
        if var.enabled {
            var.enabled = false;
            for k in 0..var.loads.len() {
                let Load { cnst: c, pos, .. } = self.vars[v as usize].loads[k];
                let cnst = &mut self.cnsts[c as usize];
                cnst.members.swap_remove(pos as usize);
                if let Some(&moved) = cnst.members.get(pos as usize) {
                    self.vars[moved.var as usize].loads[moved.load as usize].pos = pos;
                }
                if !cnst.dirty {
                    cnst.dirty = true;
                    self.dirty.push(c);
                }
            }
        }
        let var = &mut self.vars[v as usize];
        var.loads.clear();
        var.value = 0.0;
        self.free_vars.push(v);
    }

    /// The variable's value from the last `solve` (0 before it is enabled and solved).
    pub fn value(&self, v: u32) -> f64 {
        self.vars[v as usize].value
    }

    /// The owner given to `add_var`.
    pub fn owner(&self, v: u32) -> u32 {
        self.vars[v as usize].owner
    }

    /// Whether a change awaits `solve`.
    pub fn is_dirty(&self) -> bool {
        !self.dirty.is_empty()
    }

    /// Re-solves every component touched since the last call; [`Solver::changed`]
    /// then lists the variables whose value moved.
    pub fn solve(&mut self) {
        self.changed.clear();
        if self.dirty.is_empty() {
            return;
        }
        self.collect_components();
        self.fill();
        for &v in &self.comp_vars {
            let var = &mut self.vars[v as usize];
            if var.next_value != var.value {
                var.value = var.next_value;
                self.changed.push(v);
            }
        }
    }

    /// Variables whose value changed in the last `solve`, in a deterministic order.
    pub fn changed(&self) -> &[u32] {
        &self.changed
    }

    /// Gathers, into `comp_cnsts` / `comp_vars`, everything reachable from the dirty constraints.
    fn collect_components(&mut self) {
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
    fn fill(&mut self) {
        self.by_level.clear();
        self.by_bound.clear();
        self.bound_cursor = 0;
        for &c in &self.comp_cnsts {
            let cnst = &mut self.cnsts[c as usize];
            cnst.remaining = cnst.capacity;
            cnst.usage = 0.0;
            cnst.unfixed = 0;
        }
        for &v in &self.comp_vars {
            let var = &mut self.vars[v as usize];
            var.fixed = false;
            var.next_value = 0.0;
            for load in &var.loads {
                let cnst = &mut self.cnsts[load.cnst as usize];
                cnst.usage += load.amount * var.weight;
                cnst.unfixed += 1;
            }
            if var.bound.is_finite() {
                self.by_bound.push((Level(var.bound / var.weight), v));
            }
        }
        // Bounds never move during a solve: one sort replaces a heap.
        self.by_bound.sort_unstable();
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

    /// Verifies that no capacity and no bound is exceeded (call after `solve`).
    pub fn check(&self) -> Result<(), Violation> {
        for (index, cnst) in self.cnsts.iter().enumerate() {
            let load: f64 = cnst
                .members
                .iter()
                .map(|m| {
                    let var = &self.vars[m.var as usize];
                    var.loads[m.load as usize].amount * var.value
                })
                .sum();
            if load > cnst.capacity * (1.0 + CHECK_TOLERANCE) {
                return Err(Violation::OverCapacity {
                    index,
                    load,
                    capacity: cnst.capacity,
                });
            }
            for m in &cnst.members {
                let var = &self.vars[m.var as usize];
                if var.value > var.bound * (1.0 + CHECK_TOLERANCE) {
                    return Err(Violation::OverBound {
                        value: var.value,
                        bound: var.bound,
                    });
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-12 * a.abs().max(b.abs())
    }

    #[test]
    fn equal_weights_share_equally() {
        let mut s = Solver::new(&[10.0]);
        let vars: Vec<u32> = (0..4)
            .map(|i| s.add_var(i, 1.0, f64::INFINITY, &[(0, 1.0)]))
            .collect();
        for &v in &vars {
            s.enable(v);
        }
        s.solve();
        assert_eq!(s.changed().len(), 4);
        for &v in &vars {
            assert!(close(s.value(v), 2.5));
        }
        s.solve();
        assert!(s.changed().is_empty(), "nothing changed");
    }

    #[test]
    fn weights_and_bounds() {
        // Two variables on one capacity of 3: weights 1 and 2 give 1 and 2;
        // bounding the second at 1.5 hands the rest to the first.
        let mut s = Solver::new(&[3.0]);
        let a = s.add_var(0, 1.0, f64::INFINITY, &[(0, 1.0)]);
        let b = s.add_var(1, 2.0, 1.5, &[(0, 1.0)]);
        for v in [a, b] {
            s.enable(v);
        }
        s.solve();
        assert!(close(s.value(a), 1.5));
        assert!(close(s.value(b), 1.5));
    }

    #[test]
    fn parking_lot() {
        // Links 0 (cap 125) and 1 (cap 50); flow AC uses both, AB link 0, BC link 1.
        let mut s = Solver::new(&[125.0, 50.0]);
        let ac = s.add_var(0, 1.0, 50.0, &[(0, 1.0), (1, 1.0)]);
        let ab = s.add_var(1, 1.0, 125.0, &[(0, 1.0)]);
        let bc = s.add_var(2, 1.0, 50.0, &[(1, 1.0)]);
        for v in [ac, ab, bc] {
            s.enable(v);
        }
        s.solve();
        assert!(close(s.value(ac), 25.0));
        assert!(close(s.value(bc), 25.0));
        assert!(close(s.value(ab), 100.0));
        s.check().unwrap();
        // Removing AB changes nothing for the others: they are bound by link 1.
        s.remove(ab);
        s.solve();
        assert!(s.changed().is_empty());
        // Removing BC lets AC take link 1 entirely.
        s.remove(bc);
        s.solve();
        assert_eq!(s.changed(), &[ac]);
        assert!(close(s.value(ac), 50.0));
    }

    #[test]
    fn untouched_components_are_not_reported() {
        let mut s = Solver::new(&[1.0, 1.0]);
        let a = s.add_var(0, 1.0, f64::INFINITY, &[(0, 1.0)]);
        s.enable(a);
        let b = s.add_var(1, 1.0, f64::INFINITY, &[(1, 1.0)]);
        s.enable(b);
        s.solve();
        let c = s.add_var(2, 1.0, f64::INFINITY, &[(1, 1.0)]);
        s.enable(c);
        s.solve();
        let mut changed = s.changed().to_vec();
        changed.sort_unstable();
        assert_eq!(changed, vec![b, c]);
        assert!(close(s.value(a), 1.0));
        assert!(close(s.value(b), 0.5));
    }
}

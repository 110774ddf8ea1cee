//! Weighted max-min fair sharing, re-solved only on the connected component a change touches.
//!
//! Capacities (CPU, disk, link directions) are constraints; each running
//! activity is a variable with a weight (1 / penalty), an optional bound and
//! a load per unit of value on each constraint it uses. Progressive filling
//! raises a common level L: every unfixed variable gets L x weight (or its
//! bound) until a constraint saturates, which fixes its variables; repeat
//! (see [`fill`]). Changes only mark constraints dirty; `solve` walks the
//! components reachable from them and reports the variables whose value moved.
//!
//! A large component where many variables share one bottleneck becomes a
//! class (see [`classes`]): its members share one level, and a change costs
//! O(log n) instead of a walk over the whole component.

mod classes;
mod fill;
mod sums;
#[cfg(test)]
mod tests;

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fmt;

pub(crate) use fill::Level;

/// Marks a constraint or variable that belongs to no class.
const NO_CLASS: u32 = u32::MAX;

/// The smallest component made a class by default: below it the general
/// solver is cheap, and its results are those of the tests' references bit
/// for bit.
const CLASS_MIN: usize = 64;

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
    /// Σ load x bound of its variables: the most they could ever take.
    bound_load: f64,
    /// The class it is a hub or a member's own constraint of, or `NO_CLASS`.
    class: u32,
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
    /// Its class, or `NO_CLASS`; then its slot there, its own limit (the
    /// value it takes when the class's level is above limit / weight),
    /// whether it shares the level, and whether it joined since the last solve.
    class: u32,
    slot: u32,
    limit: f64,
    pooled: bool,
    fresh: bool,
}

/// How a variable's value is decided after a solve.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Share {
    /// A value of its own.
    Alone(f64),
    /// Its class's level (see [`Solver::level`]) x `weight`.
    Pooled {
        /// The class.
        class: u32,
        /// The variable's weight.
        weight: f64,
    },
}

/// A broken sharing invariant, found by [`crate::engine::Engine::check`].
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
            Violation::OverCapacity { index, load, capacity } => {
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
    classes: Vec<classes::Class>,
    free_classes: Vec<u32>,
    dirty_classes: Vec<u32>,
    changed_classes: Vec<u32>,
    /// Classes formed and not freed.
    live_classes: usize,
    class_min: usize,
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
                bound_load: 0.0,
                class: NO_CLASS,
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
            classes: Vec::new(),
            free_classes: Vec::new(),
            dirty_classes: Vec::new(),
            changed_classes: Vec::new(),
            live_classes: 0,
            class_min: CLASS_MIN,
        }
    }

    /// Makes classes of components with at least `min` variables from now
    /// on (at least 2; `usize::MAX`: never). Formed classes stay.
    pub fn set_class_min(&mut self, min: usize) {
        self.class_min = min.max(2);
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
        var.class = NO_CLASS;
        var.loads.clear();
        var.loads.reserve_exact(loads.len());
        for &(cnst, amount) in loads.iter().filter(|(_, a)| *a > 0.0) {
            match var.loads.iter_mut().find(|l| l.cnst == cnst) {
                Some(l) => l.amount += amount,
                None => var.loads.push(Load { cnst, amount, pos: 0 }),
            }
        }
        v
    }

    /// Makes the variable take part in the sharing from the next `solve`.
    pub fn enable(&mut self, v: u32) {
        let class = self.class_to_join(v);
        let var = &mut self.vars[v as usize];
        var.enabled = true;
        for (k, load) in var.loads.iter_mut().enumerate() {
            let cnst = &mut self.cnsts[load.cnst as usize];
            load.pos = cnst.members.len() as u32;
            cnst.members.push(Member { var: v, load: k as u32 });
            if class.is_none() && !cnst.dirty {
                cnst.dirty = true;
                self.dirty.push(load.cnst);
            }
        }
        if let Some(c) = class {
            self.join(c, v);
        }
    }

    /// Removes the variable; the id may be handed out again.
    pub fn remove(&mut self, v: u32) {
        let var = &mut self.vars[v as usize];
        if var.enabled {
            var.enabled = false;
            let in_class = var.class != NO_CLASS;
            for k in 0..var.loads.len() {
                let Load { cnst: c, pos, .. } = self.vars[v as usize].loads[k];
                let cnst = &mut self.cnsts[c as usize];
                cnst.members.swap_remove(pos as usize);
                if let Some(&moved) = cnst.members.get(pos as usize) {
                    self.vars[moved.var as usize].loads[moved.load as usize].pos = pos;
                }
                if in_class {
                    // The class re-shares; a constraint it no longer uses leaves it.
                    if cnst.members.is_empty() {
                        cnst.class = NO_CLASS;
                    }
                } else if !cnst.dirty {
                    cnst.dirty = true;
                    self.dirty.push(c);
                }
            }
            if in_class {
                self.leave(v);
            }
        }
        let var = &mut self.vars[v as usize];
        var.loads.clear();
        var.value = 0.0;
        self.free_vars.push(v);
    }

    /// The variable's value from the last `solve` (0 before it is enabled and solved).
    pub fn value(&self, v: u32) -> f64 {
        match self.share(v) {
            Share::Alone(value) => value,
            Share::Pooled { class, weight } => self.level(class) * weight,
        }
    }

    /// How the variable's value is decided after the last `solve`.
    pub fn share(&self, v: u32) -> Share {
        let var = &self.vars[v as usize];
        if var.class != NO_CLASS && var.pooled {
            Share::Pooled {
                class: var.class,
                weight: var.weight,
            }
        } else {
            Share::Alone(var.value)
        }
    }

    /// The owner given to `add_var`.
    pub fn owner(&self, v: u32) -> u32 {
        self.vars[v as usize].owner
    }

    /// Whether a change awaits `solve`.
    pub fn is_dirty(&self) -> bool {
        !self.dirty.is_empty() || !self.dirty_classes.is_empty()
    }

    /// Re-solves every component and class touched since the last call;
    /// [`Solver::changed`] then lists the variables whose share moved, and
    /// [`Solver::changed_classes`] the classes whose level moved.
    pub fn solve(&mut self) {
        self.changed.clear();
        self.clear_changed_classes();
        if !self.dirty.is_empty() {
            self.collect_components();
            self.fill();
            self.form_classes();
            for &v in &self.comp_vars {
                let var = &mut self.vars[v as usize];
                // A member of a class formed just now is reported by `form_classes`.
                if var.class == NO_CLASS && var.next_value != var.value {
                    var.value = var.next_value;
                    self.changed.push(v);
                }
            }
        }
        self.solve_classes();
    }

    /// Variables whose share changed in the last `solve` (a value of their
    /// own, or a class joined or left), in a deterministic order. A pooled
    /// variable whose class's level moved is not listed again.
    pub fn changed(&self) -> &[u32] {
        &self.changed
    }

    /// Classes whose level changed in the last `solve`, formed ones included.
    pub fn changed_classes(&self) -> &[u32] {
        &self.changed_classes
    }

    /// Writes into `loads` the load on each capacity (Σ load x value of
    /// its variables, from the last `solve`).
    pub fn loads(&self, loads: &mut [f64]) {
        for (load, cnst) in loads.iter_mut().zip(&self.cnsts) {
            *load = cnst
                .members
                .iter()
                .map(|m| self.vars[m.var as usize].loads[m.load as usize].amount * self.value(m.var))
                .sum();
        }
    }

    /// Verifies that no capacity and no bound is exceeded (call after `solve`).
    pub fn check(&self) -> Result<(), Violation> {
        for (index, cnst) in self.cnsts.iter().enumerate() {
            let load: f64 = cnst
                .members
                .iter()
                .map(|m| self.vars[m.var as usize].loads[m.load as usize].amount * self.value(m.var))
                .sum();
            if load > cnst.capacity * (1.0 + CHECK_TOLERANCE) {
                return Err(Violation::OverCapacity {
                    index,
                    load,
                    capacity: cnst.capacity,
                });
            }
            for m in &cnst.members {
                let (value, bound) = (self.value(m.var), self.vars[m.var as usize].bound);
                if value > bound * (1.0 + CHECK_TOLERANCE) {
                    return Err(Violation::OverBound { value, bound });
                }
            }
        }
        Ok(())
    }
}

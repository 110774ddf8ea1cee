//! Classes: many variables behind one shared bottleneck, shared without
//! touching each of them on every change.
//!
//! A class is a connected component of a particular shape: every member puts
//! the same load on each of a few shared constraints (its *hubs*: a core
//! link, the disk every image is read from), every other constraint of a
//! member is used by that member alone (its own link, its own disk), and
//! nothing else uses the hubs. Then the hubs are loaded in proportion to the
//! sum of the members' values, so together they cap that sum at one
//! capacity `E` = min over hubs of capacity / load; each member also has a
//! *limit* of its own, the least of its bound and of its own constraints'
//! capacity / load. Progressive filling gives every member
//! `min(level x weight, limit)`, where the level solves
//! `Σ min(level x weight, limit) = E` (or is infinite when all the limits fit).
//!
//! So a class keeps its members in two sets ordered by limit / weight: those
//! sharing the level (*pooled*) and those held at their limit, with the sum
//! of the pooled weights and of the held limits in exact sum trees. The level
//! is `(E - held) / pooled`; a solve only moves the members whose limit the
//! level crossed, and reports the level (the engine moves one clock for all
//! pooled members, see `engine::pools`). A change costs O(log n), not O(n).
//!
//! Classes form when the general solver meets such a component with at least
//! [`super::Solver::set_class_min`] variables; a variable joins a class when
//! enabling it keeps the shape, and otherwise the classes it touches are
//! dissolved back into the general solver, which is always right.

use std::collections::BTreeSet;

use super::fill::Level;
use super::sums::SlotSums;
use super::{NO_CLASS, Solver};

#[derive(Debug, Default)]
pub(super) struct Class {
    /// (constraint, load per unit of value) that every member puts on each hub.
    hubs: Vec<(u32, f64)>,
    /// The most the members may take in all: min over hubs of capacity / load.
    capacity: f64,
    members: Vec<u32>,
    /// Per member slot: [weight if pooled, limit if held].
    sums: SlotSums,
    /// Members sharing the level and members held at their limit, by limit / weight.
    pooled: BTreeSet<(Level, u32)>,
    held: BTreeSet<(Level, u32)>,
    /// Value per unit of weight of the pooled members.
    pub level: f64,
    /// Members that joined since the last solve (to report).
    joined: Vec<u32>,
    dirty: bool,
    live: bool,
    /// Listed in the current solve's changed classes.
    reported: bool,
}

impl Solver {
    /// The class that enabling `v` joins, if any. Classes that `v` touches
    /// without fitting are dissolved first (their constraints go dirty).
    #[inline]
    pub(super) fn class_to_join(&mut self, v: u32) -> Option<u32> {
        // Most runs never form a class: enabling costs nothing more there.
        if self.live_classes == 0 {
            return None;
        }
        self.class_to_join_some(v)
    }

    fn class_to_join_some(&mut self, v: u32) -> Option<u32> {
        let mut found = NO_CLASS;
        let mut several = false;
        for load in &self.vars[v as usize].loads {
            match self.cnsts[load.cnst as usize].class {
                NO_CLASS => {}
                c if found == NO_CLASS => found = c,
                c => several |= c != found,
            }
        }
        if found == NO_CLASS {
            return None;
        }
        if !several && self.fits(found, v) {
            return Some(found);
        }
        for k in 0..self.vars[v as usize].loads.len() {
            let c = self.cnsts[self.vars[v as usize].loads[k].cnst as usize].class;
            if c != NO_CLASS {
                self.dissolve(c);
            }
        }
        None
    }

    /// Whether `v` (not enabled yet) keeps class `c`'s shape: the class's
    /// loads on every hub, and nothing else on a constraint in use.
    fn fits(&self, c: u32, v: u32) -> bool {
        let class = &self.classes[c as usize];
        let mut on_hubs = 0;
        for load in &self.vars[v as usize].loads {
            if class.hubs.contains(&(load.cnst, load.amount)) {
                on_hubs += 1;
            } else if !self.cnsts[load.cnst as usize].members.is_empty() {
                return false;
            }
        }
        on_hubs == class.hubs.len()
    }

    /// Adds the enabled variable `v` to class `c` (see [`Solver::class_to_join`]).
    pub(super) fn join(&mut self, c: u32, v: u32) {
        let limit = self.own_limit(v, |cnst| !self.classes[c as usize].hubs.iter().any(|h| h.0 == cnst));
        for k in 0..self.vars[v as usize].loads.len() {
            let cnst = self.vars[v as usize].loads[k].cnst;
            self.cnsts[cnst as usize].class = c;
        }
        let class = &mut self.classes[c as usize];
        let var = &mut self.vars[v as usize];
        var.class = c;
        var.limit = limit;
        var.slot = class.members.len() as u32;
        var.fresh = true;
        class.members.push(v);
        class.joined.push(v);
        // Placed as the current level says; the next solve moves it if the level moves past it.
        let held = limit / var.weight < class.level;
        self.place(c, v, held);
        self.mark_class(c);
    }

    /// Takes the variable `v` (its constraint memberships already gone) out of its class.
    pub(super) fn leave(&mut self, v: u32) {
        let c = self.vars[v as usize].class;
        let var = &mut self.vars[v as usize];
        var.class = NO_CLASS;
        let (key, slot, pooled, fresh) = (Level(var.limit / var.weight), var.slot as usize, var.pooled, var.fresh);
        var.fresh = false;
        let class = &mut self.classes[c as usize];
        if pooled {
            class.pooled.remove(&(key, v));
        } else {
            class.held.remove(&(key, v));
        }
        if fresh {
            class.joined.retain(|&j| j != v);
        }
        class.members.swap_remove(slot);
        let last = class.members.len();
        if let Some(&moved) = class.members.get(slot) {
            self.vars[moved as usize].slot = slot as u32;
            let terms = self.terms(moved);
            self.classes[c as usize].sums.set(slot, terms);
        }
        let class = &mut self.classes[c as usize];
        class.sums.set(last, [0.0; 2]);
        if class.members.is_empty() {
            for &(h, _) in &class.hubs {
                self.cnsts[h as usize].class = NO_CLASS;
            }
            self.free_class(c);
        } else {
            self.mark_class(c);
        }
    }

    /// Hands class `c` back to the general solver: its members are reported
    /// anew at the next solve.
    fn dissolve(&mut self, c: u32) {
        let members = std::mem::take(&mut self.classes[c as usize].members);
        for &v in &members {
            let var = &mut self.vars[v as usize];
            var.class = NO_CLASS;
            if var.pooled || var.fresh {
                // Unequal to any value the general solve gives: reported as
                // changed. A held member already reported keeps its value,
                // reported again only if the general solve moves it (as if
                // it had never been in a class).
                var.value = f64::NAN;
            }
            var.fresh = false;
            for load in &var.loads {
                let cnst = &mut self.cnsts[load.cnst as usize];
                cnst.class = NO_CLASS;
                if !cnst.dirty {
                    cnst.dirty = true;
                    self.dirty.push(load.cnst);
                }
            }
        }
        self.free_class(c);
    }

    /// Forms classes out of the components just solved by the general
    /// solver that have the shape, with at least `class_min` members, and
    /// reports the members whose share changed.
    #[inline]
    pub(super) fn form_classes(&mut self) {
        if self.comp_vars.len() >= self.class_min {
            self.form_classes_of_components();
        }
    }

    fn form_classes_of_components(&mut self) {
        for i in 0..self.comp_cnsts.len() {
            let h = self.comp_cnsts[i] as usize;
            if self.cnsts[h].class == NO_CLASS
                && self.cnsts[h].members.len() >= self.class_min
                && let Some(hubs) = self.hubs_of(h)
            {
                self.form(h, hubs);
            }
        }
    }

    /// The hubs of the component around constraint `h` if it is a class:
    /// the first member's constraints used by others (all of them by every
    /// member, with the same loads), every other constraint used by one.
    fn hubs_of(&self, h: usize) -> Option<Vec<(u32, f64)>> {
        let members = &self.cnsts[h].members;
        let shared = |cnst: u32| self.cnsts[cnst as usize].members.len() > 1;
        let hubs: Vec<(u32, f64)> = self.vars[members[0].var as usize]
            .loads
            .iter()
            .filter(|l| shared(l.cnst))
            .map(|l| (l.cnst, l.amount))
            .collect();
        if hubs
            .iter()
            .any(|&(c, _)| self.cnsts[c as usize].members.len() != members.len())
        {
            return None;
        }
        for m in members {
            let loads = &self.vars[m.var as usize].loads;
            let mut on_hubs = 0;
            for load in loads.iter().filter(|l| shared(l.cnst)) {
                if !hubs.contains(&(load.cnst, load.amount)) {
                    return None;
                }
                on_hubs += 1;
            }
            if on_hubs != hubs.len() {
                return None;
            }
        }
        Some(hubs)
    }

    fn form(&mut self, h: usize, hubs: Vec<(u32, f64)>) {
        self.live_classes += 1;
        let c = match self.free_classes.pop() {
            Some(c) => c,
            None => {
                self.classes.push(Class::default());
                (self.classes.len() - 1) as u32
            }
        };
        let capacity = hubs
            .iter()
            .map(|&(cnst, amount)| self.cnsts[cnst as usize].capacity / amount)
            .fold(f64::INFINITY, f64::min);
        for &(cnst, _) in &hubs {
            self.cnsts[cnst as usize].class = c;
        }
        let members: Vec<u32> = self.cnsts[h].members.iter().map(|m| m.var).collect();
        let class = &mut self.classes[c as usize];
        class.hubs = hubs;
        class.capacity = capacity;
        class.level = f64::INFINITY;
        class.live = true;
        for (slot, &v) in members.iter().enumerate() {
            let limit = self.own_limit(v, |cnst| self.cnsts[cnst as usize].class != c);
            for k in 0..self.vars[v as usize].loads.len() {
                let cnst = self.vars[v as usize].loads[k].cnst;
                self.cnsts[cnst as usize].class = c;
            }
            let var = &mut self.vars[v as usize];
            var.class = c;
            var.limit = limit;
            var.slot = slot as u32;
            // `solve` reports every member of a new class: not each move.
            var.fresh = true;
            // Held at first (an infinite level holds everyone): the solve
            // pools the members the level does not reach.
            self.place(c, v, true);
        }
        self.solve_class(c);
        for &v in &members {
            let var = &mut self.vars[v as usize];
            var.fresh = false;
            // A member held at the value it had keeps its event.
            if var.pooled || var.value != var.limit {
                var.value = var.limit;
                self.changed.push(v);
            }
        }
        self.classes[c as usize].members = members;
        self.report_level(c);
    }

    /// The least of `v`'s bound and of capacity / load over its constraints
    /// that `own` accepts (those no other variable uses).
    fn own_limit(&self, v: u32, own: impl Fn(u32) -> bool) -> f64 {
        let var = &self.vars[v as usize];
        var.loads
            .iter()
            .filter(|l| own(l.cnst))
            .map(|l| self.cnsts[l.cnst as usize].capacity / l.amount)
            .fold(var.bound, f64::min)
    }

    /// Puts member `v` in the held or the pooled set, with its terms.
    fn place(&mut self, c: u32, v: u32, held: bool) {
        let var = &mut self.vars[v as usize];
        var.pooled = !held;
        let key = (Level(var.limit / var.weight), v);
        let slot = var.slot as usize;
        let terms = self.terms(v);
        let class = &mut self.classes[c as usize];
        if held {
            class.held.insert(key);
        } else {
            class.pooled.insert(key);
        }
        class.sums.set(slot, terms);
    }

    fn terms(&self, v: u32) -> [f64; 2] {
        let var = &self.vars[v as usize];
        if var.pooled {
            [var.weight, 0.0]
        } else {
            [0.0, var.limit]
        }
    }

    fn mark_class(&mut self, c: u32) {
        let class = &mut self.classes[c as usize];
        if !class.dirty {
            class.dirty = true;
            self.dirty_classes.push(c);
        }
    }

    fn free_class(&mut self, c: u32) {
        let class = &mut self.classes[c as usize];
        class.members.clear();
        class.pooled.clear();
        class.held.clear();
        class.joined.clear();
        class.sums.clear();
        class.live = false;
        class.dirty = false;
        self.free_classes.push(c);
        self.live_classes -= 1;
    }

    /// Solves every class changed since the last solve.
    #[inline]
    pub(super) fn solve_classes(&mut self) {
        if !self.dirty_classes.is_empty() {
            self.solve_dirty_classes();
        }
    }

    fn solve_dirty_classes(&mut self) {
        let mut dirty = std::mem::take(&mut self.dirty_classes);
        for &c in &dirty {
            let class = &mut self.classes[c as usize];
            if class.live && class.dirty {
                class.dirty = false;
                self.solve_class(c);
            }
        }
        dirty.clear();
        self.dirty_classes = dirty;
    }

    /// Moves the members whose limit the level crossed, reports them, the
    /// members that joined and (if it moved) the level.
    fn solve_class(&mut self, c: u32) {
        let mut level = self.class_level(c);
        // Pooled members whose limit is below the level are held there,
        // which raises the level for the others; else held members whose
        // limit the level reaches go back to the pool, which lowers it.
        // (One direction per solve: the other cannot apply after it.)
        let mut raised = false;
        while let Some(&(Level(limit), v)) = self.classes[c as usize].pooled.first() {
            if limit >= level {
                break;
            }
            self.move_member(c, v, false);
            level = self.class_level(c);
            raised = true;
        }
        while !raised && let Some(&(Level(limit), v)) = self.classes[c as usize].held.last() {
            if limit < level {
                break;
            }
            self.move_member(c, v, true);
            level = self.class_level(c);
        }
        let class = &mut self.classes[c as usize];
        for &v in &class.joined {
            let var = &mut self.vars[v as usize];
            var.fresh = false;
            var.value = var.limit;
            self.changed.push(v);
        }
        class.joined.clear();
        if level.to_bits() != class.level.to_bits() {
            class.level = level;
            self.report_level(c);
        }
    }

    /// Lists class `c` in [`Solver::changed_classes`], once per solve.
    fn report_level(&mut self, c: u32) {
        let class = &mut self.classes[c as usize];
        if !class.reported {
            class.reported = true;
            self.changed_classes.push(c);
        }
    }

    /// Forgets the last solve's list of classes whose level moved.
    pub(super) fn clear_changed_classes(&mut self) {
        for &c in &self.changed_classes {
            self.classes[c as usize].reported = false;
        }
        self.changed_classes.clear();
    }

    /// Moves member `v` to the pool (`to_pool`) or to its limit, reporting it.
    fn move_member(&mut self, c: u32, v: u32, to_pool: bool) {
        let var = &self.vars[v as usize];
        let key = (Level(var.limit / var.weight), v);
        let class = &mut self.classes[c as usize];
        if to_pool {
            class.held.remove(&key);
        } else {
            class.pooled.remove(&key);
        }
        self.place(c, v, !to_pool);
        if !to_pool {
            self.vars[v as usize].value = self.vars[v as usize].limit;
        }
        if !self.vars[v as usize].fresh {
            self.changed.push(v);
        }
    }

    /// The level the current split gives: (E - Σ held limits) / Σ pooled
    /// weights; infinite when nothing is pooled and the limits fit, minus
    /// infinity when they do not (every held member must then be pooled).
    fn class_level(&self, c: u32) -> f64 {
        let class = &self.classes[c as usize];
        let [pooled, held] = class.sums.total();
        if pooled > 0.0 {
            (class.capacity - held) / pooled
        } else if held <= class.capacity {
            f64::INFINITY
        } else {
            f64::NEG_INFINITY
        }
    }

    /// Where the general solver would list the pooled variable `v` among
    /// its class's members (its place on the class's first hub): tied
    /// completions keep that order.
    pub fn tie_rank(&self, v: u32) -> u32 {
        let var = &self.vars[v as usize];
        let hub = self.classes[var.class as usize].hubs[0].0;
        var.loads.iter().find(|l| l.cnst == hub).map_or(0, |l| l.pos)
    }

    /// The level of class `c` after the last solve.
    pub fn level(&self, c: u32) -> f64 {
        self.classes[c as usize].level
    }
}

//! How many entries of a service's waiting list there are per
//! registration and per image, kept as entries come and go: what lets a
//! round tell that everything after a point belongs to registrations it
//! has judged, or needs the image it has judged.

use crate::ir::function::ImageId;
use crate::serverless::ids::RegId;

use super::{Pending, Waiting};

/// Waiting entries per registration.
#[derive(Debug, Default)]
pub struct Tally {
    /// Registrations with waiting entries: one of their entries (entries
    /// of a registration agree on what placement reads: key, image, RAM,
    /// disk), an invocation once one was added, and how many wait.
    present: Vec<(Pending, u32)>,
    /// Each registration's place in `present`, `ABSENT` when none waits.
    place: Vec<u32>,
    /// Waiting entries per image.
    images: Vec<u32>,
    total: usize,
    /// Prewarm requests among them: a refused one leaves the list (see
    /// `Service::round`), so a round may not pass one unseen.
    prewarms: usize,
}

const ABSENT: u32 = u32::MAX;

impl Tally {
    pub fn add(&mut self, p: &Pending) {
        let reg = p.reg.index();
        if reg >= self.place.len() {
            self.place.resize(reg + 1, ABSENT);
        }
        match self.place[reg] {
            ABSENT => {
                self.place[reg] = self.present.len() as u32;
                self.present.push((*p, 1));
            }
            at => {
                let (sample, count) = &mut self.present[at as usize];
                *count += 1;
                // Rounds judge a registration by its sample, as an
                // invocation would ask (a prewarm request takes no
                // container that is there).
                if !sample.takes_existing() && p.takes_existing() {
                    *sample = *p;
                }
            }
        }
        let image = p.image.0 as usize;
        if image >= self.images.len() {
            self.images.resize(image + 1, 0);
        }
        self.images[image] += 1;
        self.total += 1;
        self.prewarms += usize::from(matches!(p.waiting, Waiting::Prewarm(_)));
    }

    pub fn remove(&mut self, p: &Pending) {
        let reg = p.reg;
        let Some(&at) = self.place.get(reg.index()).filter(|at| **at != ABSENT) else {
            return;
        };
        self.total -= 1;
        self.images[p.image.0 as usize] -= 1;
        self.prewarms -= usize::from(matches!(p.waiting, Waiting::Prewarm(_)));
        let entry = &mut self.present[at as usize];
        entry.1 -= 1;
        if entry.1 == 0 {
            self.present.swap_remove(at as usize);
            self.place[reg.index()] = ABSENT;
            if let Some((moved, _)) = self.present.get(at as usize) {
                self.place[moved.reg.index()] = at;
            }
        }
    }

    pub fn clear(&mut self) {
        for (p, _) in self.present.drain(..) {
            self.place[p.reg.index()] = ABSENT;
            self.images[p.image.0 as usize] = 0;
        }
        self.total = 0;
        self.prewarms = 0;
    }

    /// Entries waiting, over all registrations.
    pub fn total(&self) -> usize {
        self.total
    }

    /// Prewarm requests waiting.
    pub fn prewarms(&self) -> usize {
        self.prewarms
    }

    /// Entries of one registration waiting.
    pub fn count(&self, reg: RegId) -> usize {
        self.of(reg).map_or(0, |&(_, count)| count as usize)
    }

    /// An entry of `reg` waiting, as [`Tally::present`] gives it (an
    /// invocation, if one was added since the registration last had none
    /// waiting), and how many wait; None when none does.
    pub fn of(&self, reg: RegId) -> Option<&(Pending, u32)> {
        match self.place.get(reg.index()) {
            Some(&at) if at != ABSENT => self.present.get(at as usize),
            _ => None,
        }
    }

    /// Entries needing `image` waiting, over all registrations.
    pub fn count_image(&self, image: ImageId) -> usize {
        self.images.get(image.0 as usize).map_or(0, |&count| count as usize)
    }

    /// Registrations with waiting entries: an entry of each (an
    /// invocation, if one of the registration was added since it last
    /// had none waiting), and how many.
    pub fn present(&self) -> &[(Pending, u32)] {
        &self.present
    }
}

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
    /// Images with waiting entries, and each image's place there
    /// (`ABSENT` when none waits): a round judging what a node does for
    /// every entry by image reads each image once, not each registration.
    present_images: Vec<ImageId>,
    image_place: Vec<u32>,
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
            self.image_place.resize(image + 1, ABSENT);
        }
        if self.images[image] == 0 {
            self.image_place[image] = self.present_images.len() as u32;
            self.present_images.push(p.image);
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
        let image = p.image.0 as usize;
        self.images[image] -= 1;
        if self.images[image] == 0 {
            let at = self.image_place[image] as usize;
            self.present_images.swap_remove(at);
            self.image_place[image] = ABSENT;
            if let Some(moved) = self.present_images.get(at) {
                self.image_place[moved.0 as usize] = at as u32;
            }
        }
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
        for image in self.present_images.drain(..) {
            self.image_place[image.0 as usize] = ABSENT;
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

    /// Images with waiting entries, each once.
    pub fn present_images(&self) -> &[ImageId] {
        &self.present_images
    }

    /// Registrations with waiting entries: an entry of each (an
    /// invocation, if one of the registration was added since it last
    /// had none waiting), and how many.
    pub fn present(&self) -> &[(Pending, u32)] {
        &self.present
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serverless::ids::KeyId;
    use crate::serverless::invocation::InvocationHandle;
    use proptest::prelude::*;

    fn pending(seq: u32, reg: u32, image: u32) -> Pending {
        Pending {
            waiting: Waiting::Invocation(InvocationHandle::for_tests(seq)),
            id: u64::from(seq),
            submit: 0.0,
            reg: RegId(reg),
            key: KeyId(reg),
            image: ImageId(image),
            ram: 1.0,
            disk: 0.0,
            time_limit: None,
        }
    }

    proptest! {
        /// Whatever comes and goes, the images listed present are each
        /// once those with an entry waiting, counted as the entries are.
        #[test]
        fn the_images_present_are_those_waiting(steps in prop::collection::vec((any::<bool>(), 0..12u32, 0..5u32), 0..200)) {
            let mut tally = Tally::default();
            let mut waiting: Vec<Pending> = Vec::new();
            for (seq, (add, reg, pick)) in steps.into_iter().enumerate() {
                // A registration's entries share its image.
                let p = pending(seq as u32, reg, reg % 5);
                if add || waiting.is_empty() {
                    tally.add(&p);
                    waiting.push(p);
                } else {
                    let gone = waiting.remove(pick as usize % waiting.len());
                    tally.remove(&gone);
                }
                if seq % 37 == 36 {
                    tally.clear();
                    waiting.clear();
                }
                let mut listed: Vec<u32> = tally.present_images().iter().map(|i| i.0).collect();
                listed.sort_unstable();
                let mut expected: Vec<u32> = waiting.iter().map(|p| p.image.0).collect();
                expected.sort_unstable();
                expected.dedup();
                prop_assert_eq!(&listed, &expected);
                for image in expected {
                    let count = waiting.iter().filter(|p| p.image.0 == image).count();
                    prop_assert_eq!(tally.count_image(ImageId(image)), count);
                }
                prop_assert_eq!(tally.total(), waiting.len());
            }
        }
    }
}

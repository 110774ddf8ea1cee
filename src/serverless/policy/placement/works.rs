//! The work waiting per registration, as `balanced` weighs it (its entries'
//! time limits summed, a second for an entry without one), kept exactly as
//! entries come and go: the total over every registration, and the
//! registrations by the size of their work. What lets a round with fewer
//! free slots than registrations waiting find the shares of more than one
//! slot without summing every registration's work (with thousands of
//! registrations waiting on a few free slots, making a group of each cost
//! every round their number).
//!
//! Works are kept as whole numbers of 2^-64 s. A round sums them as `f64`,
//! entry by entry or registration by registration, in order of first
//! appearance; that sum is the exact total whenever no addition rounds,
//! which holds when the total, counted in the finest grain of any weight
//! waiting (its units' lowest bit set), is below 2^53: every partial sum,
//! in any order, is then a whole number of grains below 2^53 of them.
//! [`Works::total`] answers only then: time limits of whole seconds, or
//! of halves, quarters and the like, or none, up to some 2^53 seconds'
//! worth of the finest; not 0.1 s, 0.3 s nor most whole milliseconds
//! (0.001 s has a 53-bit significand), whose sums round.

/// Weight of an entry without a time limit, in seconds.
pub const UNLIMITED_WEIGHT: f64 = 1.0;

/// Works are whole numbers of 2^-`UNIT_BITS` seconds.
const UNIT_BITS: i32 = 64;

/// Weights of this many bits of units or more (2^26 s, some two years) are
/// not kept exactly: below it, a weight times any count of entries (fewer
/// than 2^32) and the total stay below 2^122 units.
const WEIGHT_BITS: i32 = 90;

/// The works are filed by size once this many registrations wait at once,
/// and from then on: with fewer, a round groups every one of them at less
/// cost than filing every entry's coming and going (some 2 % of a
/// `balanced` run where a few registrations wait at a time).
const FILE_FROM: u32 = 64;

/// Every registration's work waiting.
#[derive(Debug)]
pub struct Works {
    regs: Vec<Work>,
    /// The exact works, summed, in units.
    sum: u128,
    /// Registrations waiting whose weight has no exact units.
    inexact: u32,
    /// Registrations waiting with exact units, by the trailing zeros of
    /// their weight's units (their grain).
    grains: [u32; 128],
    /// Bit `g` set when some registration waiting has grain `g`.
    grain_mask: u128,
    /// Registrations waiting.
    present: u32,
    /// Whether `by_size` is kept (since `FILE_FROM` registrations waited).
    filing: bool,
    /// Registrations waiting with exact units, by the bit length of their
    /// work's units (1 to 128), while `filing`.
    by_size: Vec<Vec<u32>>,
}

#[derive(Debug, Clone, Copy)]
struct Work {
    /// Its weight in units, found as its first entry comes (`UNWEIGHED`
    /// before) and kept: 0 when it has none exact.
    units: u128,
    /// Its entries waiting.
    count: u32,
    /// The bit length of its work's units, its list in `by_size` (0: in
    /// none), and its place there.
    size: u8,
    slot: u32,
}

/// The units of a registration none of whose entries came yet.
const UNWEIGHED: u128 = u128::MAX;

impl Default for Work {
    fn default() -> Self {
        Work {
            units: UNWEIGHED,
            count: 0,
            size: 0,
            slot: 0,
        }
    }
}

impl Default for Works {
    fn default() -> Self {
        Works {
            regs: Vec::new(),
            sum: 0,
            inexact: 0,
            grains: [0; 128],
            grain_mask: 0,
            present: 0,
            filing: false,
            by_size: vec![Vec::new(); 129],
        }
    }
}

impl Works {
    /// An entry of registration `reg` waits, weighing its `time_limit`
    /// (entries of a registration share it: the function's).
    pub fn add(&mut self, reg: usize, time_limit: Option<f64>) {
        if reg >= self.regs.len() {
            self.regs.resize(reg + 1, Work::default());
        }
        let work = &mut self.regs[reg];
        if work.units == UNWEIGHED {
            work.units = units(time_limit.unwrap_or(UNLIMITED_WEIGHT)).unwrap_or(0);
        }
        if work.count == 0 {
            self.present += 1;
            match work.units {
                0 => self.inexact += 1,
                units => {
                    let grain = units.trailing_zeros() as usize;
                    self.grains[grain] += 1;
                    self.grain_mask |= 1 << grain;
                }
            }
        }
        debug_assert_eq!(work.units, units(time_limit.unwrap_or(UNLIMITED_WEIGHT)).unwrap_or(0));
        work.count += 1;
        self.sum += work.units;
        if self.filing {
            self.file(reg);
        } else if self.present >= FILE_FROM {
            self.filing = true;
            (0..self.regs.len()).for_each(|reg| self.file(reg));
        }
    }

    /// An entry of registration `reg` no longer waits.
    pub fn remove(&mut self, reg: usize) {
        let work = &mut self.regs[reg];
        work.count -= 1;
        self.sum -= work.units;
        if work.count > 0 {
            if self.filing {
                self.file(reg);
            }
            return;
        }
        self.present -= 1;
        match work.units {
            0 => self.inexact -= 1,
            units => {
                let grain = units.trailing_zeros() as usize;
                self.grains[grain] -= 1;
                if self.grains[grain] == 0 {
                    self.grain_mask &= !(1 << grain);
                }
                if self.filing {
                    self.unfile(reg);
                }
            }
        }
    }

    /// Forgets every entry.
    pub fn clear(&mut self) {
        self.regs.iter_mut().for_each(|work| *work = Work::default());
        self.by_size.iter_mut().for_each(Vec::clear);
        self.sum = 0;
        self.inexact = 0;
        self.grains = [0; 128];
        self.grain_mask = 0;
        self.present = 0;
    }

    /// Whether nothing waits.
    pub fn is_empty(&self) -> bool {
        self.inexact == 0 && self.grain_mask == 0
    }

    /// The total work waiting in seconds, as summing the entries' weights
    /// in any order gives it, when that sum is exact (see the module's
    /// text); None otherwise, or when nothing waits.
    pub fn total(&self) -> Option<f64> {
        if self.inexact > 0 || self.grain_mask == 0 {
            return None;
        }
        let grain = self.grain_mask.trailing_zeros();
        ((self.sum >> grain) < 1 << 53).then(|| seconds(self.sum))
    }

    /// `reg`'s work waiting, in seconds (exact where [`Works::total`] is).
    pub fn of(&self, reg: usize) -> f64 {
        self.regs
            .get(reg)
            .map_or(0.0, |work| seconds(work.units * u128::from(work.count)))
    }

    /// The registrations with exact units whose work may be `least`
    /// seconds or more: every one that is, and others below it by less
    /// than half their work, in no set order. None until the works are
    /// filed by size (`FILE_FROM` registrations waited at once).
    pub fn at_least(&self, least: f64) -> Option<impl Iterator<Item = usize> + '_> {
        // A work of `least` has this bit length or more; the lists below
        // hold works below 2^(bits - 1), at most `least`.
        let floor = (least * 2f64.powi(UNIT_BITS)) as u128;
        let bits = (128 - floor.leading_zeros()).max(1) as usize;
        self.filing
            .then(|| self.by_size[bits..].iter().flatten().map(|&reg| reg as usize))
    }

    /// Puts `reg` in the list of its work's size, if it waits with exact
    /// units.
    fn file(&mut self, reg: usize) {
        let work = self.regs[reg];
        if work.units == 0 || work.count == 0 {
            return;
        }
        let size = (128 - (work.units * u128::from(work.count)).leading_zeros()) as u8;
        if size == work.size {
            return;
        }
        self.unfile(reg);
        let list = &mut self.by_size[size as usize];
        self.regs[reg].size = size;
        self.regs[reg].slot = list.len() as u32;
        list.push(reg as u32);
    }

    /// Takes `reg` out of its list of works of a size, if in one.
    fn unfile(&mut self, reg: usize) {
        let Work { size, slot, .. } = self.regs[reg];
        if size == 0 {
            return;
        }
        let list = &mut self.by_size[size as usize];
        list.swap_remove(slot as usize);
        if let Some(&moved) = list.get(slot as usize) {
            self.regs[moved as usize].slot = slot;
        }
        self.regs[reg].size = 0;
    }
}

/// `weight` seconds in whole units, if it is one and fits (see
/// [`WEIGHT_BITS`]).
fn units(weight: f64) -> Option<u128> {
    if !(weight > 0.0 && weight.is_normal()) {
        return None;
    }
    let bits = weight.to_bits();
    let significand = (bits & ((1 << 52) - 1)) | (1 << 52);
    // weight = significand * 2^exponent; in units, 2^(exponent + UNIT_BITS).
    let shift = ((bits >> 52) & 0x7ff) as i32 - 1075 + UNIT_BITS;
    let zeros = significand.trailing_zeros() as i32;
    if shift + zeros < 0 || shift + 53 > WEIGHT_BITS {
        return None;
    }
    Some(match shift {
        0.. => u128::from(significand) << shift,
        _ => u128::from(significand >> -shift),
    })
}

/// `units` in seconds (exactly when they have at most 53 significant bits).
fn seconds(units: u128) -> f64 {
    units as f64 * 2f64.powi(-UNIT_BITS)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Units, exactly, for every weight that is a whole number of 2^-64 s
    /// below 2^26 s: seconds, halves, milliseconds, a tenth (its grain, the
    /// lowest bit set, 2^-55 s); none for finer or larger ones, zero,
    /// negative or NaN.
    #[test]
    fn weights_have_units_when_whole_and_in_range() {
        assert_eq!(units(1.0), Some(1 << 64));
        assert_eq!(units(0.5), Some(1 << 63));
        assert_eq!(units(3.0), Some(3 << 64));
        assert_eq!(units(0.1).map(|u| u.trailing_zeros()), Some(9));
        assert_eq!(units(2f64.powi(-64)), Some(1));
        assert_eq!(units(2f64.powi(-65)), None);
        assert_eq!(units(2f64.powi(25)), Some(1 << 89));
        assert_eq!(units(2f64.powi(26)), None);
        assert_eq!(units(0.0), None);
        assert_eq!(units(-1.0), None);
        assert_eq!(units(f64::NAN), None);
        for weight in [0.001, 0.25, 0.3, 1.5, 60.0, 900.0, 12345.678] {
            assert_eq!(units(weight).map(seconds), Some(weight), "{weight}");
        }
    }

    /// Entries of registrations of several weights come and go, drawn by
    /// a small generator. After each step: the total, when it answers, is
    /// the sum of every entry's weight one by one, and of the
    /// registrations' works; it answers whenever every weight waiting is
    /// a whole number of quarter seconds (no sum of them up to 2^51 s
    /// rounds); the works by size list every registration of a bound's
    /// work or more, and none of half of it or less.
    #[test]
    fn the_total_is_the_entries_sum_whenever_it_answers() {
        let weights = [
            Some(1.0),
            None,
            Some(0.25),
            Some(1500.0),
            Some(0.001),
            Some(0.3),
            Some(2f64.powi(-60)),
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let (mut answered, mut whole, mut filed) = (0, 0, 0);
        for trial in 0..200 {
            let mut works = Works::default();
            // Few registrations, or enough to file them by size.
            let regs = if next(2) == 0 { 1 + next(12) } else { 64 + next(40) } as usize;
            let kinds = 1 + next(weights.len() as u64) as usize;
            let weight_of: Vec<f64> = (0..regs)
                .map(|_| weights[next(kinds as u64) as usize].unwrap_or(UNLIMITED_WEIGHT))
                .collect();
            // A weight of a second comes as no limit for odd registrations.
            let limit_of =
                |r: usize| Some(weight_of[r]).filter(|_| r.is_multiple_of(2) || weight_of[r] != UNLIMITED_WEIGHT);
            let mut counts = vec![0u32; regs];
            for _ in 0..400 {
                let reg = next(regs as u64) as usize;
                if counts[reg] > 0 && next(5) < 2 {
                    works.remove(reg);
                    counts[reg] -= 1;
                } else {
                    works.add(reg, limit_of(reg));
                    counts[reg] += 1;
                }
                if next(50) == 0 {
                    works.clear();
                    counts.iter_mut().for_each(|c| *c = 0);
                }
                let waiting: Vec<usize> = (0..regs).filter(|&r| counts[r] > 0).collect();
                let sum: f64 = waiting
                    .iter()
                    .flat_map(|&r| std::iter::repeat_n(weight_of[r], counts[r] as usize))
                    .sum();
                if let Some(total) = works.total() {
                    answered += 1;
                    assert_eq!(total, sum, "trial {trial}");
                    let by_reg: f64 = waiting.iter().map(|&r| works.of(r)).sum();
                    assert_eq!(by_reg, sum, "trial {trial}");
                }
                if !waiting.is_empty() && waiting.iter().all(|&r| (weight_of[r] * 4.0).fract() == 0.0) {
                    whole += 1;
                    assert!(works.total().is_some(), "trial {trial}");
                }
                assert_eq!(works.is_empty(), waiting.is_empty());
                for bound in [0.0, 0.3, 1.0, 2.5, 100.0, 5000.0] {
                    let Some(listed) = works.at_least(bound) else {
                        continue;
                    };
                    let listed: Vec<usize> = listed.collect();
                    filed += 1;
                    for r in 0..regs {
                        let work = counts[r] as f64 * weight_of[r];
                        let kept = counts[r] > 0 && units(weight_of[r]).is_some();
                        assert!(
                            listed.iter().filter(|&&l| l == r).count() <= 1,
                            "trial {trial}: {r} twice"
                        );
                        if kept && work >= bound {
                            assert!(listed.contains(&r), "trial {trial}: {r} at {bound}");
                        }
                        if listed.contains(&r) {
                            assert!(kept && work * 2.0 > bound, "trial {trial}: {r} at {bound}");
                        }
                    }
                }
            }
        }
        // Each kind of state was met many times.
        assert!(
            whole > 10_000 && answered > whole && answered < 80_000 && filed > 10_000,
            "{answered}, {whole}, {filed}"
        );
    }
}

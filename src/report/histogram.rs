//! A latency histogram of bounded size: values are kept to 12 bits of
//! mantissa, so a percentile is at most 1/4096 (0.025 %) below the exact
//! value (and exact for values such as 15 s or 0.5 s).
//!
//! Adding a value is a few array indexings, never a hash: it runs once per
//! invocation on the report writer's thread. The 4096 buckets of each
//! binary exponent (octave) are kept in pages of 64 four-bit counters,
//! allocated when a value first falls in them, so a run with thousands of
//! functions holds a small table per function (the Azure benchmark's 65
//! functions x 8.6 M invocations fill 32 k pages, 26 k of which never
//! count past 15: 1.7 MB at peak where one-byte counters took 2.3); a page whose
//! counter would pass 15 is widened once to one-byte counters, and one
//! whose counter would pass 255 to 64-bit counters.

use std::ops::ControlFlow;

/// Bits of mantissa a bucket keeps.
const MANTISSA_BITS: u32 = 12;

/// The largest relative error of a percentile (it is rounded down).
pub const RELATIVE_ERROR: f64 = 1.0 / (1u64 << MANTISSA_BITS) as f64;

/// Buckets per page.
const PAGE_BITS: u32 = 6;
const PAGE: usize = 1 << PAGE_BITS;
/// Pages per octave.
const PAGES: usize = 1 << (MANTISSA_BITS - PAGE_BITS);
/// Marks a page reference as a narrow page's (one-byte counters).
const NARROW: u32 = 1 << 30;
/// Marks a page reference as a wide page's (64-bit counters).
const WIDE: u32 = 1 << 31;

/// Counts per bucket, found through two small tables: octave -> its page
/// references, page reference -> counters. References are 1-based (0: no
/// page yet; unmarked: a page of four-bit counters, two a byte). Fields in
/// the order an addition reads them (`repr(C)` keeps it), the wide pages,
/// rarely met, last.
#[derive(Debug, Clone, Default)]
#[repr(C)]
pub struct Buckets {
    /// Values counted.
    total: u64,
    /// The lowest octave `octaves` starts at.
    first_octave: u32,
    /// Per octave from `first_octave`, 1 + its index in `directory` (0: none).
    octaves: Vec<u32>,
    /// Per octave met, its pages' references.
    directory: Vec<[u32; PAGES]>,
    nibbles: Vec<[u8; PAGE / 2]>,
    narrow: Vec<[u8; PAGE]>,
    wide: Vec<[u64; PAGE]>,
}

impl Buckets {
    /// Counts a non-negative value (negative and NaN values count as 0).
    pub fn add(&mut self, value: f64) {
        self.add_key(key(clamp(value)));
    }

    /// Counts the values kept in `pending` and empties it.
    pub fn add_pending(&mut self, pending: &mut Pending) {
        for &key in &pending.keys {
            self.add_key(key);
        }
        pending.keys.clear();
    }

    /// Counts the values kept in `pending`, which keeps them.
    pub fn count_pending(&mut self, pending: &Pending) {
        for &key in &pending.keys {
            self.add_key(key);
        }
    }

    /// These counts and those of `pending`.
    pub fn with_pending(&self, pending: &Pending) -> Buckets {
        let mut all = self.clone();
        all.count_pending(pending);
        all
    }

    /// [`Buckets::percentiles`] of these counts and those of `pending`.
    /// With none counted yet (a function met fewer than a thousand times:
    /// most of a many-function trace's), from the pending keys sorted: the
    /// key of rank r is the bucket where the walk reaches r. Copying the
    /// tables and walking their pages cost some ten thousand instructions
    /// a function at the end of a run.
    pub fn percentiles_with(&self, pending: &Pending, ps: &[f64]) -> Vec<Option<f64>> {
        if pending.keys.is_empty() {
            return self.percentiles(ps);
        }
        if self.total > 0 {
            return self.with_pending(pending).percentiles(ps);
        }
        // Sorted in a copy, on the stack when short (most functions' are):
        // no allocation for each of thousands of functions.
        let held = &pending.keys;
        let (mut room, mut long) = ([0; SHORT], Vec::new());
        let keys = if held.len() <= SHORT {
            room[..held.len()].copy_from_slice(held);
            &mut room[..held.len()]
        } else {
            long.clone_from(held);
            &mut long[..]
        };
        // Only the ranks asked are needed: each is selected among the keys
        // past the one before it (ranks in increasing order), a pass or two
        // over the keys where sorting them took a dozen.
        let total = keys.len() as u64;
        let ranks: Vec<u64> = ps.iter().map(|p| rank(*p, total)).collect();
        let mut order: Vec<usize> = (0..ps.len()).collect();
        order.sort_by_key(|i| ranks[*i]);
        let (mut found, mut settled) = (vec![None; ps.len()], 0);
        for i in order {
            let at = ranks[i] as usize - 1;
            if at >= settled {
                keys[settled..].select_nth_unstable(at - settled);
                settled = at + 1;
            }
            found[i] = Some(value(keys[at]));
        }
        found
    }

    /// Counts bucket `key`. Inlined into the loops that count values (a
    /// call cost a fifth of the common case); the rest is not.
    #[inline(always)]
    fn add_key(&mut self, key: u32) {
        self.total += 1;
        // The common case: the page exists, its counter not full.
        let octave = (key >> MANTISSA_BITS).wrapping_sub(self.first_octave) as usize;
        let slot = key as usize % PAGE;
        if let Some(pages) = self.octaves.get(octave)
            && let Some(references) = self.directory.get((*pages as usize).wrapping_sub(1))
            && self.bump(references[page_index(key)], slot)
        {
            return;
        }
        self.add_key_to_new_room(key, slot);
    }

    /// [`Buckets::add_key`] when the page of `key` is new or its counter
    /// `slot` full.
    #[inline(never)]
    fn add_key_to_new_room(&mut self, key: u32, slot: usize) {
        let (pages, page) = self.page_of(key);
        if !self.bump(self.directory[pages][page], slot) {
            // A full counter: the page is rewritten, widened.
            let mut one = [0; PAGE];
            one[slot] = 1;
            self.put_sums(key, &one);
        }
    }

    /// Adds one to counter `slot` of the page `reference` refers to, in
    /// place; false when the counter is full or there is no page. A
    /// reference of another width (its mark bit set or, flipped, clear)
    /// gives an index past the end.
    #[inline(always)]
    fn bump(&mut self, reference: u32, slot: usize) -> bool {
        if let Some(page) = self.nibbles.get_mut((reference as usize).wrapping_sub(1)) {
            let (byte, shift) = (&mut page[slot / 2], slot % 2 * 4);
            let room = (*byte >> shift) & 0xf < 0xf;
            if room {
                *byte += 1 << shift;
            }
            room
        } else if let Some(page) = self.narrow.get_mut(((reference ^ NARROW) as usize).wrapping_sub(1)) {
            let room = page[slot] < u8::MAX;
            if room {
                page[slot] += 1;
            }
            room
        } else if let Some(page) = self.wide.get_mut(((reference ^ WIDE) as usize).wrapping_sub(1)) {
            page[slot] += 1;
            true
        } else {
            false
        }
    }

    /// Adds `counts` to the page of bucket `key`.
    fn add_page(&mut self, key: u32, counts: &[u64; PAGE]) {
        self.total += counts.iter().sum::<u64>();
        self.put_sums(key, counts);
    }

    /// Adds `counts` to the counters of the page of bucket `key` (made if
    /// new), not to the total, widening the page if a sum would pass what
    /// its counters hold.
    fn put_sums(&mut self, key: u32, counts: &[u64; PAGE]) {
        let (pages, page) = self.page_of(key);
        let reference = self.directory[pages][page];
        let mut sum = self.counts(reference);
        for (n, add) in sum.iter_mut().zip(counts) {
            *n += add;
        }
        let largest = sum.iter().copied().max().unwrap_or(0);
        // The narrowest width that holds the sums, never narrower than now.
        if reference & WIDE != 0 || largest > u64::from(u8::MAX) {
            if reference & WIDE == 0 {
                room_for_one(&mut self.wide);
                self.wide.push([0; PAGE]);
                self.directory[pages][page] = self.wide.len() as u32 | WIDE;
            }
            self.wide[(self.directory[pages][page] & !WIDE) as usize - 1] = sum;
        } else if reference & NARROW != 0 || largest > 0xf {
            if reference & NARROW == 0 {
                room_for_one(&mut self.narrow);
                self.narrow.push([0; PAGE]);
                self.directory[pages][page] = self.narrow.len() as u32 | NARROW;
            }
            self.narrow[(self.directory[pages][page] & !NARROW) as usize - 1] = sum.map(|n| n as u8);
        } else {
            let nibbles = &mut self.nibbles[reference as usize - 1];
            for (byte, pair) in nibbles.iter_mut().zip(sum.chunks_exact(2)) {
                *byte = (pair[0] | pair[1] << 4) as u8;
            }
        }
    }

    /// The counts of the page `reference` refers to, whatever its width.
    fn counts(&self, reference: u32) -> [u64; PAGE] {
        if reference & WIDE != 0 {
            self.wide[(reference & !WIDE) as usize - 1]
        } else if reference & NARROW != 0 {
            self.narrow[(reference & !NARROW) as usize - 1].map(u64::from)
        } else {
            let mut counts = [0; PAGE];
            for (pair, byte) in counts.chunks_exact_mut(2).zip(&self.nibbles[reference as usize - 1]) {
                pair[0] = u64::from(byte & 0xf);
                pair[1] = u64::from(byte >> 4);
            }
            counts
        }
    }

    /// Where the reference to the page of bucket `key` (the top bits of a
    /// value's IEEE representation, which sort like the values for
    /// non-negative numbers) is in `directory`; the page is made if new.
    fn page_of(&mut self, key: u32) -> (usize, usize) {
        let pages = self.pages_of(key >> MANTISSA_BITS);
        let page = page_index(key);
        if self.directory[pages][page] == 0 {
            room_for_one(&mut self.nibbles);
            self.nibbles.push([0; PAGE / 2]);
            self.directory[pages][page] = self.nibbles.len() as u32;
        }
        (pages, page)
    }

    /// The index in `directory` of `octave`'s page references, made if new.
    fn pages_of(&mut self, octave: u32) -> usize {
        if self.octaves.is_empty() {
            self.first_octave = octave;
        } else if octave < self.first_octave {
            let missing = (self.first_octave - octave) as usize;
            self.octaves.splice(0..0, std::iter::repeat_n(0, missing));
            self.first_octave = octave;
        }
        let index = (octave - self.first_octave) as usize;
        if self.octaves.len() <= index {
            self.octaves.resize(index + 1, 0);
        }
        if self.octaves[index] == 0 {
            self.directory.push([0; PAGES]);
            self.octaves[index] = self.directory.len() as u32;
        }
        self.octaves[index] as usize - 1
    }

    /// Calls `f` with each page in increasing order: its first bucket's key
    /// and its counts.
    fn for_each_page(&self, mut f: impl FnMut(u32, &[u64; PAGE])) {
        self.for_each_reference(|first, reference| {
            f(first, &self.counts(reference));
            ControlFlow::Continue(())
        });
    }

    /// Calls `f` with each page in increasing order, its first bucket's
    /// key and its reference (the counts not decoded: a reader that needs
    /// only some pages' counts decodes those), until `f` breaks.
    fn for_each_reference(&self, mut f: impl FnMut(u32, u32) -> ControlFlow<()>) {
        for (o, pages) in self.octaves.iter().enumerate() {
            let Some(pages) = (*pages as usize).checked_sub(1) else {
                continue;
            };
            let octave = self.first_octave + o as u32;
            for (p, reference) in self.directory[pages].iter().enumerate() {
                let first = (octave << MANTISSA_BITS) | ((p as u32) << PAGE_BITS);
                if *reference != 0 && f(first, *reference).is_break() {
                    return;
                }
            }
        }
    }

    /// The sum of the counts of the page `reference` refers to, read in
    /// place (not decoded as [`Buckets::counts`] does).
    fn page_total(&self, reference: u32) -> u64 {
        if reference & WIDE != 0 {
            self.wide[(reference & !WIDE) as usize - 1].iter().sum()
        } else if reference & NARROW != 0 {
            let page = &self.narrow[(reference & !NARROW) as usize - 1];
            page.iter().map(|&n| u64::from(n)).sum()
        } else {
            nibbles_total(&self.nibbles[reference as usize - 1])
        }
    }

    /// Calls `f` with every bucket with a count, in increasing order: its
    /// key and count.
    fn for_each(&self, mut f: impl FnMut(u32, u64)) {
        self.for_each_page(|first, counts| {
            for (slot, n) in counts.iter().enumerate() {
                if *n > 0 {
                    f(first | slot as u32, *n);
                }
            }
        });
    }

    /// Adds every count of `other` to these, page by page.
    pub fn merge(&mut self, other: &Buckets) {
        other.for_each_reference(|first, reference| {
            self.merge_page(other, first, reference);
            ControlFlow::Continue(())
        });
    }

    /// Adds the counts of `other`'s page `reference`, whose first bucket is
    /// `first`. A run's tally sums thousands of functions' pages at the
    /// end: its page is added to in place, both read in their width, where
    /// decoding both pages to 64-bit counts, summing and writing back cost
    /// several times more; only a page whose sums outgrow its width is
    /// rewritten.
    fn merge_page(&mut self, other: &Buckets, first: u32, reference: u32) {
        let (pages, page) = self.page_of(first);
        let into = self.directory[pages][page];
        // Not a wide page's reference: flipped, an index past the end.
        if let Some(sums) = self.wide.get_mut(((into ^ WIDE) as usize).wrapping_sub(1)) {
            self.total += other.add_counts_to(reference, sums);
            return;
        }
        if reference & WIDE == 0 {
            let mut sums = [0; PAGE];
            other.add_small_counts(reference, &mut sums);
            self.add_small_counts(into, &mut sums);
            let added = other.page_total(reference);
            let largest = sums.iter().copied().max().unwrap_or(0);
            if into & NARROW != 0 && largest <= u16::from(u8::MAX) {
                let narrow = &mut self.narrow[(into & !NARROW) as usize - 1];
                narrow.iter_mut().zip(sums).for_each(|(n, sum)| *n = sum as u8);
                self.total += added;
                return;
            }
            if into & NARROW == 0 && largest <= 0xf {
                let nibbles = &mut self.nibbles[into as usize - 1];
                for (byte, pair) in nibbles.iter_mut().zip(sums.chunks_exact(2)) {
                    *byte = (pair[0] | pair[1] << 4) as u8;
                }
                self.total += added;
                return;
            }
        }
        self.add_page(first, &other.counts(reference));
    }

    /// Adds the counts of the page `reference` refers to into `sums`, read
    /// in place; returns their sum.
    fn add_counts_to(&self, reference: u32, sums: &mut [u64; PAGE]) -> u64 {
        let mut added = 0;
        if reference & WIDE != 0 {
            for (sum, &n) in sums.iter_mut().zip(&self.wide[(reference & !WIDE) as usize - 1]) {
                (*sum, added) = (*sum + n, added + n);
            }
        } else {
            let mut small = [0; PAGE];
            self.add_small_counts(reference, &mut small);
            sums.iter_mut().zip(small).for_each(|(sum, n)| *sum += u64::from(n));
            added = self.page_total(reference);
        }
        added
    }

    /// Adds the counts of the narrow or nibbles page `reference` refers to
    /// into `sums`, which hold what two such pages' counts sum to.
    fn add_small_counts(&self, reference: u32, sums: &mut [u16; PAGE]) {
        if reference & NARROW != 0 {
            let page = &self.narrow[(reference & !NARROW) as usize - 1];
            sums.iter_mut().zip(page).for_each(|(sum, &n)| *sum += u16::from(n));
        } else {
            for (pair, &byte) in sums.chunks_exact_mut(2).zip(&self.nibbles[reference as usize - 1]) {
                pair[0] += u16::from(byte & 0xf);
                pair[1] += u16::from(byte >> 4);
            }
        }
    }

    /// The buckets in increasing order: (lower bound, count).
    pub fn sorted(&self) -> Vec<(f64, u64)> {
        let mut out = Vec::new();
        self.for_each(|key, n| out.push((value(key), n)));
        out
    }

    /// The `p`-th percentiles (0 < p <= 100) by the nearest-rank method (the
    /// smallest value at least p % of the values do not exceed), each as
    /// the lower bound of its bucket; `None` without values. One pass.
    pub fn percentiles(&self, ps: &[f64]) -> Vec<Option<f64>> {
        let total = self.total;
        let mut found = vec![None; ps.len()];
        if total == 0 {
            return found;
        }
        let ranks: Vec<u64> = ps.iter().map(|p| rank(*p, total)).collect();
        let mut order: Vec<usize> = (0..ps.len()).collect();
        order.sort_by_key(|i| ranks[*i]);
        let (mut next, mut seen) = (0, 0);
        self.for_each_reference(|first, reference| {
            // Most pages hold no rank asked: skip them whole, summed in
            // place; once every rank is found, the pages after are not read.
            let Some(&i) = order.get(next) else {
                return ControlFlow::Break(());
            };
            let page = self.page_total(reference);
            if seen + page < ranks[i] {
                seen += page;
                return ControlFlow::Continue(());
            }
            for (slot, n) in self.counts(reference).iter().enumerate() {
                seen += n;
                while let Some(&i) = order.get(next)
                    && ranks[i] <= seen
                {
                    found[i] = Some(value(first | slot as u32));
                    next += 1;
                }
            }
            ControlFlow::Continue(())
        });
        found
    }
}

/// Values not yet counted in a [`Buckets`], kept as their bucket keys and
/// counted a thousand at a time. With thousands of functions each
/// function's tables and pages are scattered over megabytes, and counting
/// a value as it comes costs a miss on each (the octave table, the
/// directory, the page); kept, it costs one write to the end of a list,
/// and a thousand values counted together meet the function's tables and
/// pages once, their misses shared.
#[derive(Debug, Clone, Default)]
pub struct Pending {
    keys: Vec<u32>,
}

/// Bytes of per-function tables that stay in a core's cache (half of a
/// 512 KB level 2): larger ones are read ahead.
pub const CACHED: usize = 256 << 10;

/// Values a [`Pending`] holds before they are counted: 4 KB at most.
const PENDING: usize = 1024;

/// Pending keys [`Buckets::percentiles_with`] sorts on the stack.
const SHORT: usize = 64;

impl Pending {
    /// Keeps a non-negative value (negative and NaN values count as 0);
    /// true when full, for [`Buckets::add_pending`].
    #[inline]
    pub fn push(&mut self, value: f64) -> bool {
        self.keys.push(key(clamp(value)));
        self.keys.len() >= PENDING
    }

    /// The last key kept (0 for none): reading it brings in the line the
    /// next one goes to, most of the time.
    #[inline]
    pub fn last(&self) -> u32 {
        self.keys.last().copied().unwrap_or(0)
    }
}

/// Count, sum and largest of a set of values: what a mean and a max need.
#[derive(Debug, Clone, Copy, Default)]
pub struct Moments {
    count: u64,
    sum: f64,
    max: f64,
}

impl Moments {
    /// Adds a value (negative and NaN values count as 0).
    pub fn add(&mut self, value: f64) {
        let value = clamp(value);
        self.count += 1;
        self.sum += value;
        // Both are numbers (NaN counts as 0): a plain comparison will do.
        if value > self.max {
            self.max = value;
        }
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    /// Adds the values `other` holds (summed after this one's: a mean's
    /// last bits depend on the order of its sum).
    pub fn merge(&mut self, other: &Moments) {
        self.count += other.count;
        self.sum += other.sum;
        self.max = self.max.max(other.max);
    }

    pub fn mean(&self) -> Option<f64> {
        (self.count > 0).then(|| self.sum / self.count as f64)
    }

    pub fn max(&self) -> Option<f64> {
        (self.count > 0).then_some(self.max)
    }
}

/// Values to 12 bits, with their exact count, sum and largest.
#[derive(Debug, Clone, Default)]
pub struct Histogram {
    pub buckets: Buckets,
    pub moments: Moments,
}

impl Histogram {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a non-negative value (negative and NaN values count as 0).
    pub fn add(&mut self, value: f64) {
        self.buckets.add(value);
        self.moments.add(value);
    }

    pub fn count(&self) -> u64 {
        self.moments.count()
    }

    pub fn mean(&self) -> Option<f64> {
        self.moments.mean()
    }

    pub fn max(&self) -> Option<f64> {
        self.moments.max()
    }

    /// The buckets in increasing order: (lower bound, count).
    pub fn buckets(&self) -> Vec<(f64, u64)> {
        self.buckets.sorted()
    }

    /// The `p`-th percentile (0 < p <= 100); see `Buckets::percentiles`.
    pub fn percentile(&self, p: f64) -> Option<f64> {
        self.percentiles(&[p]).pop().flatten()
    }

    /// Several percentiles.
    pub fn percentiles(&self, ps: &[f64]) -> Vec<Option<f64>> {
        self.buckets.percentiles(ps)
    }
}

/// The nearest rank of the `p`-th percentile among `total` values (from 1).
fn rank(p: f64, total: u64) -> u64 {
    ((p / 100.0 * total as f64).ceil() as u64).clamp(1, total)
}

/// The sum of a page of four-bit counters, a word of sixteen at a time:
/// the two counters of each byte summed in place (at most 30), then the
/// word's eight bytes (at most 240) by one multiplication, into its top
/// byte. The plain sum over the bytes, `u64::from(byte & 0xf) +
/// u64::from(byte >> 4)` added up, is miscompiled by rustc 1.95 (LLVM)
/// where this is compiled on its own: its vector code adds in bytes and
/// one count gave 211 (`nibble_pages_total_their_counters`).
fn nibbles_total(page: &[u8; PAGE / 2]) -> u64 {
    const LOW: u64 = 0x0f0f_0f0f_0f0f_0f0f;
    page.as_chunks::<8>()
        .0
        .iter()
        .map(|bytes| {
            let word = u64::from_le_bytes(*bytes);
            let pairs = (word & LOW) + (word >> 4 & LOW);
            pairs.wrapping_mul(0x0101_0101_0101_0101) >> 56
        })
        .sum()
}

/// Makes room for one more page in `pages`, growing it by an eighth: a
/// doubling's unused half, over a table per function, was up to a third
/// of the pages' memory (a megabyte at 100 requests/s). Pages are added
/// rarely (32 k over the 8.6 M values of that run), so the copies an
/// eighth more costs do not show.
fn room_for_one<T>(pages: &mut Vec<T>) {
    if pages.len() == pages.capacity() {
        pages.reserve_exact((pages.len() / 8).max(4));
    }
}

/// The index of bucket `key`'s page among its octave's.
fn page_index(key: u32) -> usize {
    (key as usize >> PAGE_BITS) % PAGES
}

fn clamp(value: f64) -> f64 {
    if value > 0.0 { value } else { 0.0 }
}

fn key(value: f64) -> u32 {
    (value.to_bits() >> (52 - MANTISSA_BITS)) as u32
}

fn value(key: u32) -> f64 {
    f64::from_bits((key as u64) << (52 - MANTISSA_BITS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_for_short_mantissas_and_close_otherwise() {
        let mut h = Histogram::new();
        for v in [15.0, 5.0, 10.0, 20.0] {
            h.add(v);
        }
        assert_eq!(h.percentile(50.0), Some(10.0));
        assert_eq!(h.percentile(100.0), Some(20.0));
        assert_eq!(h.percentile(1.0), Some(5.0));
        let mut h = Histogram::new();
        h.add(0.123456789);
        let p = h.percentile(50.0).unwrap();
        assert!(p <= 0.123456789 && (0.123456789 - p) / 0.123456789 < RELATIVE_ERROR);
    }

    #[test]
    fn nearest_rank_over_many_values() {
        let mut h = Histogram::new();
        for i in 1..=1000 {
            h.add(i as f64);
        }
        assert_eq!(h.percentile(50.0), Some(500.0));
        assert_eq!(h.percentile(99.0), Some(990.0));
        assert_eq!(h.percentiles(&[50.0, 99.0]), vec![Some(500.0), Some(990.0)]);
        assert_eq!(h.count(), 1000);
        assert_eq!(h.mean(), Some(500.5));
    }

    #[test]
    fn the_error_bound_holds_for_any_value() {
        let mut next = crate::test_rng::xorshift(0x2545_f491_4f6c_dd1d);
        for _ in 0..10_000 {
            let x = next();
            let v = (x >> 11) as f64 / (1u64 << 40) as f64;
            let mut h = Histogram::new();
            h.add(v);
            let p = h.percentile(50.0).unwrap();
            assert!(p <= v && v - p <= v * RELATIVE_ERROR, "{v} {p}");
        }
    }

    /// A page of four-bit counters totals its counters, whatever they
    /// hold (against each counter read on its own).
    #[test]
    fn nibble_pages_total_their_counters() {
        let mut next = crate::test_rng::xorshift(0x243f_6a88_85a3_08d3);
        for round in 0..10_000 {
            let mut page = [0u8; PAGE / 2];
            // Empty, full, one counter, and random bytes, some zero.
            match round {
                0 => {}
                1 => page = [0xff; PAGE / 2],
                2 => page[std::hint::black_box(5)] = 1,
                _ => page
                    .iter_mut()
                    .for_each(|b| *b = if next().is_multiple_of(3) { 0 } else { next() as u8 }),
            }
            let mut want = 0;
            for counter in 0..PAGE {
                want += u64::from(page[counter / 2] >> (counter % 2 * 4) & 0xf);
            }
            assert_eq!(nibbles_total(std::hint::black_box(&page)), want, "{page:?}");
        }
    }

    /// Counts past a narrow counter's 255, octaves added below the first,
    /// zero and merging keep every count, in order.
    #[test]
    fn wide_counts_low_octaves_and_merges_keep_every_count() {
        let mut h = Histogram::new();
        for _ in 0..1000 {
            h.add(1.0);
        }
        h.add(1.0 + RELATIVE_ERROR);
        h.add(1e-6);
        h.add(0.0);
        h.add(-3.0);
        h.add(1e6);
        assert_eq!(
            h.buckets(),
            vec![
                (0.0, 2),
                (value(key(1e-6)), 1),
                (1.0, 1000),
                (1.0 + RELATIVE_ERROR, 1),
                (value(key(1e6)), 1)
            ]
        );
        let mut merged = Buckets::default();
        merged.merge(&h.buckets);
        merged.merge(&h.buckets);
        let doubled: Vec<(f64, u64)> = h.buckets().into_iter().map(|(v, n)| (v, 2 * n)).collect();
        assert_eq!(merged.sorted(), doubled);
        assert_eq!(
            merged.percentiles(&[100.0, 0.1, 50.0]),
            vec![Some(value(key(1e6))), Some(0.0), Some(1.0)]
        );
        // Two narrow pages whose sums pass 255.
        let mut narrow = Buckets::default();
        for _ in 0..200 {
            narrow.add(2.0);
        }
        let mut sum = narrow.clone();
        sum.merge(&narrow);
        assert_eq!(sum.sorted(), vec![(2.0, 400)]);
        assert_eq!(sum.percentiles(&[50.0]), vec![Some(2.0)]);
        // Into that wide page, in place: a page of each width.
        let next = 2.0 * (1.0 + 2.0 * RELATIVE_ERROR);
        let mut nibbles = Buckets::default();
        [2.0, 2.0, next].into_iter().for_each(|v| nibbles.add(v));
        sum.merge(&nibbles);
        sum.merge(&narrow);
        sum.merge(&sum.clone());
        assert_eq!(sum.sorted(), vec![(2.0, 2 * 602), (next, 2)]);
        assert_eq!(sum.percentiles(&[50.0, 100.0]), vec![Some(2.0), Some(next)]);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Exact nearest-rank percentile of `sorted` (ascending).
    fn exact(sorted: &[f64], p: f64) -> f64 {
        let rank = ((p / 100.0 * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
        sorted[rank - 1]
    }

    /// Values over many octaves, with runs of one value long enough to
    /// widen a page's counters.
    fn values() -> impl Strategy<Value = Vec<f64>> {
        prop::collection::vec(
            (
                prop_oneof![Just(0.0), 1e-9..1e-3f64, 1e-3..10.0f64, 10.0..1e7f64],
                prop_oneof![4 => Just(1usize), 1 => 1usize..600],
            ),
            1..60,
        )
        .prop_map(|runs| runs.into_iter().flat_map(|(v, n)| std::iter::repeat_n(v, n)).collect())
    }

    proptest! {
        /// Every percentile is the lower bound of the bucket of the exact
        /// one: at most `RELATIVE_ERROR` below it; count, mean and max are
        /// exact; a histogram merged from two halves answers the same, and
        /// so do buckets given the values through a [`Pending`].
        #[test]
        fn percentiles_are_the_exact_ones_to_the_stated_bound(
            values in values(),
            ps in prop::collection::vec(0.001..=100.0f64, 1..8),
            split in 0.0..1.0f64,
        ) {
            let mut h = Histogram::new();
            let (mut left, mut right) = (Buckets::default(), Buckets::default());
            let (mut kept, mut pending) = (Buckets::default(), Pending::default());
            let cut = (split * values.len() as f64) as usize;
            for (i, v) in values.iter().enumerate() {
                h.add(*v);
                if i < cut { left.add(*v) } else { right.add(*v) }
                if pending.push(*v) {
                    kept.add_pending(&mut pending);
                }
            }
            left.merge(&right);
            prop_assert_eq!(kept.with_pending(&pending).sorted(), h.buckets());
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            let found = h.percentiles(&ps);
            prop_assert_eq!(&left.percentiles(&ps), &found);
            prop_assert_eq!(&kept.percentiles_with(&pending, &ps), &found);
            // The values all pending, none counted (as many as sort on
            // the stack, or as a full list): from the sorted keys.
            for most in [SHORT, PENDING - 1] {
                let mut all_pending = Pending::default();
                values.iter().take(most).for_each(|v| { all_pending.push(*v); });
                let mut counted = Buckets::default();
                counted.count_pending(&all_pending);
                prop_assert_eq!(Buckets::default().percentiles_with(&all_pending, &ps), counted.percentiles(&ps));
            }
            for (p, found) in ps.iter().zip(found) {
                let exact = exact(&sorted, *p);
                let found = found.unwrap();
                prop_assert_eq!(found, value(key(exact)));
                prop_assert!(found <= exact && exact - found <= exact * RELATIVE_ERROR, "p{} {} {}", p, exact, found);
            }
            prop_assert_eq!(h.count(), values.len() as u64);
            prop_assert_eq!(h.max(), sorted.last().copied());
            prop_assert_eq!(h.mean(), Some(values.iter().sum::<f64>() / values.len() as f64));
        }
    }
}

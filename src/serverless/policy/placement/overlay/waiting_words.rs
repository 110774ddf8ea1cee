//! Where the classic decision only waits for an image (`alike.rs`), kept
//! from round to round. The image's part of the test (loading there, or
//! copying there and not yet on disk, and not in RAM) reads four of the
//! service's node sets; a crowd of requests waiting on pulls asks it of
//! every word of the crowd in every round, and between two rounds a word
//! or two of those sets change (a copy done, a load started). So each
//! image's words are kept, with a summary of the words every node of
//! which waits, and brought up to date from the words the sets list as
//! changed ([`WatchedNodeSet`]): a round reads what changed, and a
//! stretch of whole waiting words is known at once. What can change
//! within a round or often (idle containers, spare slots) is read live.

use crate::ir::function::ImageId;
use crate::serverless::ids::{KeyId, NodeId};
use crate::serverless::nodeset::watched::{WatchedNodeSet, changed_in_all};
use crate::serverless::nodeset::{Allowed, NodeBits, NodeSet, stretch};
use crate::serverless::state::{ImageSets, ServiceState};

/// One image's waiting words, as of the changes `seen`.
#[derive(Debug, Default)]
pub struct ImageWaits {
    /// Bit `b` of word `i`: node `64 i + b` waits for the image.
    words: Vec<u64>,
    /// Bit `i % 64` of word `i / 64`: every node of `words[i]` waits.
    whole: Vec<u64>,
    /// The changes of `in_ram`, `ram_or_loading`, `on_disk` and
    /// `disk_or_copying` the words follow; None before the first read.
    seen: Option<[u64; 4]>,
}

/// The image's waiting test on one word of each of its sets.
#[inline(always)]
pub(super) fn image_waits(sets: &ImageSets, i: usize) -> u64 {
    (sets.ram_or_loading.word(i) | (sets.disk_or_copying.word(i) & !sets.on_disk.word(i))) & !sets.in_ram.word(i)
}

/// The four sets in the order of [`ImageWaits::seen`].
fn watched(sets: &ImageSets) -> [&WatchedNodeSet; 4] {
    [&sets.in_ram, &sets.ram_or_loading, &sets.on_disk, &sets.disk_or_copying]
}

impl ImageWaits {
    /// Brings the words up to the sets' changes: the words listed as
    /// changed, or every word when a set no longer lists them all.
    pub fn refresh(&mut self, sets: &ImageSets) {
        let now = watched(sets).map(WatchedNodeSet::changes);
        if self.seen == Some(now) {
            return;
        }
        match self.seen.and_then(|seen| changed_in_all(watched(sets), seen)) {
            Some(changed) => changed.for_each(|i| self.update(sets, i)),
            None => {
                let len = watched(sets).iter().map(|set| set.word_count()).max().unwrap_or(0);
                self.words.clear();
                self.whole.clear();
                (0..len).for_each(|i| self.update(sets, i));
            }
        }
        self.seen = Some(now);
    }

    /// Reads word `i` again.
    fn update(&mut self, sets: &ImageSets, i: usize) {
        if i >= self.words.len() {
            self.words.resize(i + 1, 0);
            self.whole.resize((i + 1).div_ceil(64), 0);
        }
        let bits = image_waits(sets, i);
        self.words[i] = bits;
        let (j, bit) = (i / 64, 1u64 << (i % 64));
        if bits == u64::MAX {
            self.whole[j] |= bit;
        } else {
            self.whole[j] &= !bit;
        }
    }

    #[inline]
    fn word(&self, i: usize) -> u64 {
        self.words.get(i).copied().unwrap_or(0)
    }

    /// How many of the `len` words from word `first` (within the words
    /// one summary word marks) hold only waiting nodes, read off the
    /// summary.
    #[inline]
    fn whole_from(&self, first: usize, len: usize) -> usize {
        let bits = self.whole.get(first / 64).map_or(0, |w| w >> (first % 64));
        ((!bits).trailing_zeros() as usize).min(len)
    }
}

/// The waiting words of each image a round asked about.
#[derive(Debug, Default)]
pub struct WaitingWords {
    images: Vec<ImageWaits>,
}

impl WaitingWords {
    /// The nodes where the classic decision for an entry of `image` and
    /// `key` only waits for the image, if the round has neither claimed
    /// nor decided on them: no idle container of its key, the image not
    /// in RAM but loading or on its way to disk, and no slot to spare
    /// (with one, the node would stay free and take the next entry too).
    pub fn of<'v>(&'v mut self, state: &'v ServiceState, image: ImageId, key: KeyId) -> Waiting<'v> {
        let i = image.0 as usize;
        if i >= self.images.len() {
            self.images.resize_with(i + 1, ImageWaits::default);
        }
        let waits = &mut self.images[i];
        waits.refresh(&state.images[i]);
        Waiting {
            image: waits,
            idle: state.idle_nodes.get(key),
            roomy: &state.roomy_nodes,
        }
    }
}

/// [`WaitingWords::of`]: the image's words kept, the rest read live.
pub struct Waiting<'v> {
    image: &'v ImageWaits,
    idle: Option<NodeBits<'v>>,
    roomy: &'v NodeSet,
}

impl Waiting<'_> {
    /// Whether `node` has slots to spare (which [`Allowed::word`] leaves
    /// out: it stays free for the next entry) and the classic decision
    /// there only waits for the image.
    #[inline]
    pub fn waits_with_room(&self, node: NodeId) -> bool {
        let (i, bit) = (node.index() / 64, 1u64 << (node.0 % 64));
        let idle = self.idle.map_or(0, |set| set.word(i));
        self.image.word(i) & self.roomy.word(i) & !idle & bit != 0
    }

    /// Whether the classic decision at `node`, free, only waits for the
    /// image, with one free slot or more.
    #[inline]
    pub fn waits_at(&self, node: NodeId) -> bool {
        WaitingAnyRoom(self).word(node.index() / 64) & (1u64 << (node.0 % 64)) != 0
    }
}

/// [`Waiting`] with the nodes of slots to spare in: where the classic
/// decision only waits, whatever a node's free slots (for runs that hand
/// such a node one entry, as a one-slot node).
pub struct WaitingAnyRoom<'a, 'v>(pub &'a Waiting<'v>);

impl Allowed for WaitingAnyRoom<'_, '_> {
    #[inline]
    fn word(&self, i: usize) -> u64 {
        let idle = self.0.idle.map_or(0, |set| set.word(i));
        self.0.image.word(i) & !idle
    }

    /// Without an idle container among the words, the image's words
    /// decide: the whole ones at once, off the summary, then word by word.
    fn leading(&self, first: usize, words: &[u64]) -> usize {
        let len = words.len();
        if self.0.idle.is_some_and(|set| set.any_in(first, len)) {
            return (0..len).take_while(|k| words[*k] & !self.word(first + k) == 0).count();
        }
        let image = stretch::words_at(&self.0.image.words, first, len);
        let whole = self.0.image.whole_from(first, image.len());
        whole + (whole..image.len()).take_while(|k| words[*k] & !image[*k] == 0).count()
    }
}

impl Allowed for Waiting<'_> {
    #[inline]
    fn word(&self, i: usize) -> u64 {
        let idle = self.idle.map_or(0, |set| set.word(i));
        self.image.word(i) & !idle & !self.roomy.word(i)
    }

    /// Without an idle container or a spare slot among the words, the
    /// image's words decide: the whole ones at once, off the summary,
    /// then word by word.
    fn leading(&self, first: usize, words: &[u64]) -> usize {
        let len = words.len();
        let live = self.roomy.bits().any_in(first, len) || self.idle.is_some_and(|set| set.any_in(first, len));
        if live {
            return (0..len).take_while(|k| words[*k] & !self.word(first + k) == 0).count();
        }
        let image = stretch::words_at(&self.image.words, first, len);
        let whole = self.image.whole_from(first, image.len());
        whole + (whole..image.len()).take_while(|k| words[*k] & !image[*k] == 0).count()
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub(in super::super) const NODES: usize = 10_000;

    pub(in super::super) fn image_sets() -> ImageSets {
        ImageSets {
            in_ram: WatchedNodeSet::new(NODES),
            ram_or_loading: WatchedNodeSet::new(NODES),
            on_disk: WatchedNodeSet::new(NODES),
            disk_or_copying: WatchedNodeSet::new(NODES),
        }
    }

    /// A fixed pseudo-random sequence (xorshift).
    pub(in super::super) fn draws(seed: u64) -> impl FnMut(u64) -> u64 {
        crate::test_rng::xorshift_below(seed)
    }

    #[test]
    fn kept_words_follow_every_change_of_the_four_sets() {
        let mut sets = image_sets();
        let mut kept = ImageWaits::default();
        let mut draw = draws(0x9e37_79b9_7f4a_7c15);
        // Rounds of a few changes (a copy done, a load started or done, a
        // node's image evicted), then rounds of more than a ring holds.
        for round in 0..60 {
            let changes = if round % 10 == 9 { 100 } else { 1 + draw(6) };
            for _ in 0..changes {
                // Crowds in a row: whole words waiting, then a node leaving.
                let node = NodeId(draw(NODES as u64) as u32);
                let present = draw(3) != 0;
                match draw(4) {
                    0 => sets.in_ram.set(node, present),
                    1 => sets.ram_or_loading.set(node, present),
                    2 => sets.on_disk.set(node, present),
                    _ => sets.disk_or_copying.set(node, present),
                }
            }
            if round == 20 {
                (0..64 * 40).for_each(|n| sets.disk_or_copying.insert(NodeId(64 * 30 + n)));
            }
            kept.refresh(&sets);
            for i in 0..NODES.div_ceil(64) {
                let bits = image_waits(&sets, i);
                assert_eq!(kept.word(i), bits, "round {round}, word {i}");
                assert_eq!(
                    kept.whole_from(i, 1),
                    usize::from(bits == u64::MAX),
                    "round {round}, word {i}"
                );
            }
        }
    }

    #[test]
    fn leading_waiting_words_are_those_tested_word_by_word() {
        let mut sets = image_sets();
        // Waiting nodes 640..3_200 (whole words 10..50), but for holes.
        (640..3_200).for_each(|n| sets.disk_or_copying.insert(NodeId(n)));
        for n in [1_000, 2_500] {
            sets.in_ram.insert(NodeId(n));
        }
        let mut kept = ImageWaits::default();
        kept.refresh(&sets);
        let mut roomy = NodeSet::new(NODES);
        let mut idle = NodeSet::new(NODES);
        let mut draw = draws(7);
        for case in 0..400 {
            match case {
                100 => roomy.insert(NodeId(2_000)),
                200 => idle.insert(NodeId(1_500)),
                300 => roomy.remove(NodeId(2_000)),
                _ => {}
            }
            let waiting = Waiting {
                image: &kept,
                idle: Some(idle.bits()),
                roomy: &roomy,
            };
            // A stretch within one summary word's words, of a set with
            // whole words, or a few of their nodes.
            let first = draw(80) as usize;
            let len = (1 + draw(64) as usize).min(64 - first % 64);
            let words: Vec<u64> = (0..len)
                .map(|_| if draw(2) == 0 { u64::MAX } else { 1 << draw(64) })
                .collect();
            let by_word = (0..len)
                .take_while(|k| words[*k] & !waiting.word(first + k) == 0)
                .count();
            assert_eq!(
                waiting.leading(first, &words),
                by_word,
                "case {case}: {len} words from {first}"
            );
        }
    }
}

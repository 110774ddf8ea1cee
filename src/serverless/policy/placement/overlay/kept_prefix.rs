//! What a round learnt of the free nodes of a prefix of a policy's order
//! (`prefix.rs`: `openwhisk`'s probes, `consistent_hash`'s walk), kept
//! until the sets it read change. A run along the prefix
//! (`alike.rs`, `claim_waiting_among`) asks whether every node of the
//! prefix with a free slot only waits for the image, and how many there
//! are. The order strides over the nodes, so the prefix has nodes in
//! nearly every word, and the question read every word of it in every
//! round. Kept here, and brought up to date from the words that the
//! image's sets and the service's free nodes list as changed
//! ([`WatchedNodeSet`]; the free nodes through the overlay's copy of
//! them, [`WatchedNodeSet::follow`]), it costs a round the words that
//! changed; the round then counts and claims the free nodes kept, a word
//! at a time.

use super::waiting_words::image_waits;
use crate::ir::function::ImageId;
use crate::serverless::ids::NodeId;
use crate::serverless::nodeset::watched::{WatchedNodeSet, changed_in_all};
use crate::serverless::nodeset::{NodeSet, members};
use crate::serverless::state::ImageSets;

use super::super::prefix::Prefix;

/// A prefix's nodes with a free slot in the service (before a round's
/// claims), and where they do not only wait for an image.
#[derive(Debug, Default)]
pub struct KeptPrefix {
    /// The prefix's nodes with a free slot.
    free: NodeSet,
    /// How many nodes `free` holds.
    count: usize,
    /// The words `i` (as node `i` of this set) where a node of `free`
    /// does not only wait for the image.
    other: NodeSet,
    /// The words `i` (as node `i`) where `free` holds every free node of
    /// the service, one at least: a round's free set has none left there
    /// once the kept ones are taken ([`KeptPrefix::take_from_listed`]).
    all_kept: NodeSet,
    seen: Option<Seen>,
    /// The overlay's round and how many kept nodes a walk along the
    /// prefix took out of its free set in it, one at a time.
    walked: (u64, usize),
}

/// What the kept words follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seen {
    image: ImageId,
    /// The changes of the prefix, the free nodes and the image's four sets.
    sets: [u64; 6],
}

/// The sets the kept words are read from, in the order of [`Seen::sets`].
fn watched<'s>(prefix: &'s Prefix, free: &'s WatchedNodeSet, sets: &'s ImageSets) -> [&'s WatchedNodeSet; 6] {
    [
        prefix.nodes(),
        free,
        &sets.in_ram,
        &sets.ram_or_loading,
        &sets.on_disk,
        &sets.disk_or_copying,
    ]
}

impl KeptPrefix {
    /// Brings the kept words up to the sets: `free` (the service's free
    /// nodes, as followed) and the sets of `image`. Reads the words they
    /// list as changed (the prefix's among them), or every word of the
    /// prefix when the image changed or a set no longer lists them all.
    pub fn refresh(&mut self, prefix: &Prefix, free: &WatchedNodeSet, image: ImageId, sets: &ImageSets) {
        let read = watched(prefix, free, sets);
        let now = Seen {
            image,
            sets: read.map(WatchedNodeSet::changes),
        };
        if self.seen == Some(now) {
            return;
        }
        let listed = self.seen.filter(|seen| seen.image == image);
        match listed.and_then(|seen| changed_in_all(read, seen.sets)) {
            Some(changed) => changed.for_each(|i| self.update(read, sets, i)),
            None => {
                self.free.clear();
                self.other.clear();
                self.all_kept.clear();
                self.count = 0;
                prefix.words().for_each(|(i, _)| self.update(read, sets, i));
            }
        }
        self.seen = Some(now);
    }

    /// Reads word `i` again.
    fn update(&mut self, [prefix, service, ..]: [&WatchedNodeSet; 6], sets: &ImageSets, i: usize) {
        let free = prefix.word(i) & service.word(i);
        self.count = self.count - members(self.free.word(i)) + members(free);
        self.free.remove_word(i, u64::MAX);
        self.free.insert_word(i, free);
        let other = free & !image_waits(sets, i) != 0;
        self.other.set(NodeId(i as u32), other);
        self.all_kept
            .set(NodeId(i as u32), free != 0 && free == service.word(i));
    }

    /// Whether every kept node still in `round` (the round's free nodes,
    /// the service's but those the round took) only waits for the image
    /// of `sets`: the words kept as holding another are read again against
    /// `round` (the round has taken the node of its first entry, where it
    /// decided something else).
    pub fn all_wait(&self, sets: &ImageSets, round: &NodeSet) -> bool {
        (self.other.iter())
            .all(|w| self.free.word(w.index()) & round.word(w.index()) & !image_waits(sets, w.index()) == 0)
    }

    /// Counts `taken` kept nodes that a walk along the prefix took out of
    /// the free set of the overlay's round `round`.
    pub fn took_in_walk(&mut self, round: u64, taken: usize) {
        if self.walked.0 != round {
            self.walked = (round, 0);
        }
        self.walked.1 += taken;
    }

    /// How many kept nodes walks along the prefix took in round `round`.
    pub fn taken_in_walk(&self, round: u64) -> usize {
        if self.walked.0 == round { self.walked.1 } else { 0 }
    }

    /// How many free nodes the prefix has.
    pub fn count(&self) -> usize {
        self.count
    }

    /// Whether `node` is kept as free.
    pub fn holds(&self, node: NodeId) -> bool {
        self.free.contains(node)
    }

    /// Takes the kept nodes out of `round` (the round's free nodes).
    pub fn take_from(&self, round: &mut NodeSet) {
        round.remove_all(&self.free);
    }

    /// [`take_from`](Self::take_from) when `round` is the service's free
    /// nodes but those of `taken` and kept nodes: a word is then left
    /// empty where every free node of the service was kept, or where
    /// `taken` took the rest, so no word needs a test but those of `taken`.
    pub fn take_from_listed(&self, round: &mut NodeSet, taken: &[NodeId]) {
        round.remove_all_emptying(&self.free, &self.all_kept, taken.iter().map(|node| node.index() / 64));
    }

    /// How many of the kept nodes `round` holds, read word by word.
    pub fn count_in(&self, round: &NodeSet) -> usize {
        let mut count = 0;
        self.free
            .for_each_word(|i, bits| count += members(bits & round.word(i)));
        count
    }
}

#[cfg(test)]
mod tests {
    use super::super::waiting_words::tests::{NODES, draws, image_sets};
    use super::*;

    /// The kept words against the sets read directly, round after round
    /// of changes to each: the image's sets, the prefix (grown, then
    /// started again) and the service's free nodes (not watched: followed
    /// through a copy, as the overlay does); a few changes a round, or
    /// more than a ring holds.
    #[test]
    fn kept_words_follow_every_change_of_the_prefix_the_free_nodes_and_the_image() {
        let mut sets = image_sets();
        let mut service = NodeSet::new(NODES);
        // A crowd: copies under way to the first 6,400 nodes, all free.
        (0..6_400).for_each(|n| {
            sets.disk_or_copying.insert(NodeId(n));
            service.insert(NodeId(n));
        });
        let (mut followed, mut prefix, mut kept) =
            (WatchedNodeSet::default(), Prefix::default(), KeptPrefix::default());
        let mut draw = draws(0x5851_f42d_4c95_7f2d);
        let mut waited = [0, 0];
        for round in 0..120 {
            let changes = if round % 10 == 9 { 100 } else { 1 + draw(6) };
            for _ in 0..changes {
                let node = NodeId(draw(NODES as u64) as u32);
                match draw(8) {
                    0 => sets.in_ram.set(node, draw(4) == 0),
                    1 => sets.disk_or_copying.set(node, draw(4) != 0),
                    2 | 3 => prefix.push(NodeId(node.0 % 6_400)),
                    _ => service.set(node, draw(2) == 0),
                }
            }
            if round == 60 {
                prefix.clear();
            }
            followed.follow(&service);
            kept.refresh(&prefix, &followed, ImageId(0), &sets);
            // The round's free nodes: the service's but those it took.
            let mut round_free = service.clone();
            (0..draw(40)).for_each(|_| round_free.remove(NodeId(draw(NODES as u64) as u32)));
            let (mut count, mut count_in, mut all_wait) = (0, 0, true);
            for i in 0..NODES.div_ceil(64) {
                let free = prefix.nodes().word(i) & service.word(i);
                let other = free & !image_waits(&sets, i) != 0;
                assert_eq!(kept.free.word(i), free, "round {round}, word {i}");
                assert_eq!(kept.other.contains(NodeId(i as u32)), other, "round {round}, word {i}");
                count += members(free);
                count_in += members(free & round_free.word(i));
                all_wait &= free & round_free.word(i) & !image_waits(&sets, i) == 0;
            }
            assert_eq!(kept.count(), count, "round {round}");
            assert_eq!(kept.count_in(&round_free), count_in, "round {round}");
            assert_eq!(kept.all_wait(&sets, &round_free), all_wait, "round {round}");
            waited[usize::from(all_wait)] += 1;
            let mut taken = round_free.clone();
            kept.take_from(&mut taken);
            assert!(
                taken
                    .iter()
                    .all(|n| prefix.nodes().word(n.index() / 64) & (1 << (n.0 % 64)) == 0)
            );
        }
        println!("{waited:?}");
    }
}

//! What a round learnt of the free nodes of a prefix of a policy's order
//! (`prefix.rs`: `openwhisk`'s probes, `consistent_hash`'s walk), kept
//! until the sets it read change. A run along the prefix
//! (`alike.rs`, `claim_waiting_among`) asks whether every node of the
//! prefix with a free slot only waits for the image, and how many there
//! are. The order strides over the nodes, so the prefix has nodes in
//! nearly every word, and the question read every word of it in every
//! round. Kept here, and brought up to date from the words that the
//! service's free nodes and the image's sets list as changed
//! ([`WatchedNodeSet`]), it costs a round the words that changed; the
//! round then claims the free nodes kept, a word at a time.

use super::waiting_words::image_waits;
use crate::ir::function::ImageId;
use crate::serverless::ids::NodeId;
use crate::serverless::nodeset::watched::WatchedNodeSet;
use crate::serverless::nodeset::{NodeSet, members};
use crate::serverless::state::ServiceState;

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
    seen: Option<Seen>,
}

/// What the kept words follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seen {
    image: ImageId,
    /// The changes of the prefix, the free nodes and the image's four sets.
    sets: [u64; 6],
}

/// The sets the kept words are read from, in the order of [`Seen::sets`].
fn watched<'s>(prefix: &'s Prefix, state: &'s ServiceState, image: ImageId) -> [&'s WatchedNodeSet; 6] {
    let sets = &state.images[image.0 as usize];
    [
        prefix.nodes(),
        &state.free_slot_nodes,
        &sets.in_ram,
        &sets.ram_or_loading,
        &sets.on_disk,
        &sets.disk_or_copying,
    ]
}

impl KeptPrefix {
    /// Brings the kept words up to the state: the words the sets list as
    /// changed (the prefix's among them), or every word of the prefix when
    /// the image changed or a set no longer lists them all.
    pub fn refresh(&mut self, prefix: &Prefix, state: &ServiceState, image: ImageId) {
        let now = Seen {
            image,
            sets: watched(prefix, state, image).map(WatchedNodeSet::changes),
        };
        if self.seen == Some(now) {
            return;
        }
        let listed = self.seen.filter(|seen| seen.image == image);
        let lists = listed.and_then(|seen| {
            let sets = watched(prefix, state, image).into_iter().zip(seen.sets);
            sets.map(|(set, seen)| set.changed_since(seen))
                .collect::<Option<Vec<_>>>()
        });
        match lists {
            Some(lists) => lists
                .into_iter()
                .flatten()
                .for_each(|i| self.update(prefix, state, image, i)),
            None => {
                self.free.clear();
                self.other.clear();
                self.count = 0;
                prefix.words().for_each(|(i, _)| self.update(prefix, state, image, i));
            }
        }
        self.seen = Some(now);
    }

    /// Reads word `i` again.
    fn update(&mut self, prefix: &Prefix, state: &ServiceState, image: ImageId, i: usize) {
        let free = prefix.nodes().word(i) & state.free_slot_nodes.word(i);
        self.count = self.count - members(self.free.word(i)) + members(free);
        self.free.remove_word(i, u64::MAX);
        self.free.insert_word(i, free);
        let other = free & !image_waits(&state.images[image.0 as usize], i) != 0;
        self.other.set(NodeId(i as u32), other);
    }

    /// Whether every kept node still in `free` (the round's free nodes,
    /// the service's but those the round took) only waits for `image`:
    /// the words kept as holding another are read again against `free`
    /// (the round has taken the node of its first entry, where it decided
    /// something else).
    pub fn all_wait(&self, state: &ServiceState, image: ImageId, free: &NodeSet) -> bool {
        let sets = &state.images[image.0 as usize];
        (self.other.iter())
            .all(|w| self.free.word(w.index()) & free.word(w.index()) & !image_waits(sets, w.index()) == 0)
    }

    /// How many free nodes the prefix has.
    pub fn count(&self) -> usize {
        self.count
    }

    /// The prefix's free nodes `64 i + b`, as the bits `b` of a word.
    pub fn word(&self, i: usize) -> u64 {
        self.free.word(i)
    }

    /// Calls `f(i, bits)` for every word of the prefix's free nodes.
    pub fn for_each_word(&self, f: impl FnMut(usize, u64)) {
        self.free.for_each_word(f);
    }
}

//! Stretches of whole words of a node set, taken at once. A crowd of
//! nodes in a row (thousands of requests waiting for their image) fills
//! word after word; a round claims such a stretch in plain loops over its
//! words, the tests of a bound, a count and a stop made once for the
//! stretch (where none of them can cut it) rather than at each word.

/// Words one summary word marks: a stretch stays within them.
pub const WORDS: usize = 64;

/// The words `first .. first + len` of `words`, as far as it reaches.
#[inline]
pub fn words_at(words: &[u64], first: usize, len: usize) -> &[u64] {
    let first = first.min(words.len());
    &words[first..(first + len).min(words.len())]
}

/// [`words_at`], to change.
#[inline]
pub fn words_at_mut(words: &mut [u64], first: usize, len: usize) -> &mut [u64] {
    let first = first.min(words.len());
    let end = (first + len).min(words.len());
    &mut words[first..end]
}

/// The summary bits of `len` words from word `first`, within one summary word.
#[inline]
pub fn summary_bits(first: usize, len: usize) -> u64 {
    let bits = if len >= 64 { u64::MAX } else { (1u64 << len) - 1 };
    bits << (first % 64)
}

/// How many nodes the words hold. Whole words in a row (the crowd's
/// usual stretch) are counted without their bits; else one pass the
/// compiler can run on several words at once, where the CPU's own bit
/// count is not assumed.
#[inline]
fn count(words: impl Iterator<Item = u64> + Clone) -> usize {
    let (all, len) = words
        .clone()
        .fold((u64::MAX, 0), |(all, len), bits| (all & bits, len + 1));
    if all == u64::MAX {
        64 * len
    } else {
        words.map(|bits| bits.count_ones() as usize).sum()
    }
}

/// Removes from a stretch the nodes it shares with `with` (the same
/// words of another set). Returns how many it removed, and the words it
/// left empty among those `with` reaches, as bits from the stretch's first.
#[inline]
pub fn take_common(words: &mut [u64], with: &[u64]) -> (usize, u64) {
    let moved = count(words.iter().zip(with).map(|(w, x)| w & x));
    (moved, remove(words, with))
}

/// Removes from a stretch the nodes of `with` (the same words of another
/// set), without counting them. Returns the words it left empty among
/// those `with` reaches, as bits from the stretch's first.
#[inline]
pub fn remove(words: &mut [u64], with: &[u64]) -> u64 {
    let mut empty = 0;
    for (k, (word, with)) in words.iter_mut().zip(with).enumerate() {
        *word &= !with;
        empty |= u64::from(*word == 0) << k;
    }
    empty
}

/// Removes from a stretch the nodes of `with` (the same words of another
/// set), without a look at what is left: a loop over several words at once.
#[inline]
pub fn clear(words: &mut [u64], with: &[u64]) {
    for (word, with) in words.iter_mut().zip(with) {
        *word &= !with;
    }
}

/// Whether a stretch shares a node with `with` (the same words of another
/// set): the words' common bits or-ed, with no test of each.
#[inline]
pub fn meets(words: &[u64], with: &[u64]) -> bool {
    words.iter().zip(with).fold(0, |any, (word, with)| any | (word & with)) != 0
}

/// Empties a stretch, calling `took(words)` with its words first; returns
/// how many nodes it held.
#[inline]
pub fn take_all(words: &mut [u64], took: impl FnOnce(&[u64])) -> usize {
    let moved = count(words.iter().copied());
    took(words);
    words.fill(0);
    moved
}

//! The fixed pseudo-random sequence unit tests draw their cases from
//! (xorshift64, shifts 13, 7, 17): the same cases on every run, and no
//! dependency for them.

/// An endless sequence from `seed` (not 0).
pub fn xorshift(mut x: u64) -> impl FnMut() -> u64 {
    move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    }
}

/// [`xorshift`], each draw taken modulo the bound asked with it.
pub fn xorshift_below(seed: u64) -> impl FnMut(u64) -> u64 {
    let mut next = xorshift(seed);
    move |below| next() % below
}

//! A hint to the processor to bring memory into its caches before it is
//! read: for what the simulation thread reads soon at an address known
//! ahead (a replay's coming arrivals, made by the trace's reading thread on
//! another core; a coming arrival's registration, key rows and idle
//! container; the wait slot of the event likely to pop next), so that the
//! load, when it comes, finds its line in this core's cache rather than
//! waiting on memory or on another core. A hint only: it never faults and
//! changes no value, whatever the address.

/// Starts bringing the line holding `item` into every cache level.
#[inline(always)]
pub fn prefetch<T>(item: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `_mm_prefetch` is a hint that reads nothing and cannot
    // fault; it is `unsafe` only as it needs SSE, which every x86-64
    // processor has (it is in the target's baseline).
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(item).cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = item;
}

//! A hint to the processor to bring memory into its caches before it is
//! read: for what the simulation thread reads soon at an address known
//! ahead (a replay's coming arrivals, made by the trace's reading thread on
//! another core; a coming arrival's registration, key rows and idle
//! container; the wait slot of the event likely to pop next), and for the
//! rows of curves the trace's reading thread draws from soon, so that the
//! load, when it comes, finds its line in this core's cache rather than
//! waiting on memory or on another core. A hint only: it never faults and
//! changes no value, whatever the address.

/// Bytes of a cache line.
const LINE: usize = 64;

/// Starts bringing the line holding `item` into every cache level.
#[inline(always)]
pub fn prefetch<T>(item: &T) {
    prefetch_line(std::ptr::from_ref(item).cast::<u8>());
}

/// Starts bringing every line `items` spans into every cache level.
#[inline(always)]
pub fn prefetch_all<T>(items: &[T]) {
    let start = items.as_ptr().cast::<u8>();
    for line in 0..lines_spanned(start as usize, std::mem::size_of_val(items)) {
        prefetch_line(start.wrapping_add(line * LINE));
    }
}

/// The cache lines that `bytes` bytes from `address` on span: from the
/// line of the first byte to the line of the last.
#[inline(always)]
fn lines_spanned(address: usize, bytes: usize) -> usize {
    if bytes == 0 {
        0
    } else {
        (address % LINE + bytes).div_ceil(LINE)
    }
}

/// Starts bringing the line holding `address` into every cache level.
#[inline(always)]
fn prefetch_line(address: *const u8) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: `_mm_prefetch` is a hint that reads nothing and cannot
    // fault, whatever the address; it is `unsafe` only as it needs SSE,
    // which every x86-64 processor has (it is in the target's baseline).
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>(address.cast::<i8>());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = address;
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every line from the first byte's to the last byte's, each once,
    /// counted against the lines of the bytes themselves.
    #[test]
    fn a_slice_spans_the_lines_of_its_first_and_last_bytes() {
        for address in [0, 1, 40, 63, 64, 4_096 + 17] {
            for bytes in [0, 1, 23, 24, 63, 64, 65, 128, 384, 385] {
                let lines = (address..address + bytes)
                    .map(|b| b / LINE)
                    .collect::<std::collections::BTreeSet<_>>();
                assert_eq!(
                    lines_spanned(address, bytes),
                    lines.len(),
                    "{bytes} bytes from {address}"
                );
            }
        }
    }
}

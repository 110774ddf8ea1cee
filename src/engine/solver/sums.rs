//! Totals of non-negative terms, one term per slot, that stay exact to a few
//! ulps however many times the terms change.
//!
//! A class's total weight changes with every flow that joins or leaves. A
//! running total would add one rounding per change, and after thousands of
//! changes a small total left by a large one could be off far beyond 1e-9.
//! A sum tree over the slots recomputes the path above each changed slot, so
//! its root is always a sum of the current terms in a fixed order: off by
//! O(log n) ulps at most (no term is negative, so nothing cancels), and the
//! same bits for the same terms in the same slots.

/// Two totals over the same slots.
pub(super) type Pair = [f64; 2];

#[derive(Debug, Default)]
pub(super) struct SlotSums {
    /// A complete binary tree in an array: node `i` sums nodes `2i` and
    /// `2i + 1`, the leaves are `width..2 * width`, the root is node 1.
    nodes: Vec<Pair>,
    width: usize,
}

impl SlotSums {
    /// Sets the terms of `slot`, growing the tree when needed.
    pub fn set(&mut self, slot: usize, terms: Pair) {
        if slot >= self.width {
            self.grow(slot + 1);
        }
        let mut i = self.width + slot;
        self.nodes[i] = terms;
        while i > 1 {
            i /= 2;
            self.nodes[i] = add(self.nodes[2 * i], self.nodes[2 * i + 1]);
        }
    }

    /// The totals over every slot.
    pub fn total(&self) -> Pair {
        self.nodes.get(1).copied().unwrap_or([0.0; 2])
    }

    /// Sets every slot to zero (the tree keeps its size).
    pub fn clear(&mut self) {
        self.nodes.fill([0.0; 2]);
    }

    fn grow(&mut self, slots: usize) {
        let width = slots.next_power_of_two().max(16);
        let mut nodes = vec![[0.0; 2]; 2 * width];
        nodes[width..width + self.width].copy_from_slice(&self.nodes[self.width..]);
        for i in (1..width).rev() {
            nodes[i] = add(nodes[2 * i], nodes[2 * i + 1]);
        }
        self.nodes = nodes;
        self.width = width;
    }
}

fn add(a: Pair, b: Pair) -> Pair {
    [a[0] + b[0], a[1] + b[1]]
}

#[cfg(test)]
mod tests {
    use super::SlotSums;

    #[test]
    fn a_small_total_left_by_a_large_one_is_exact() {
        let mut sums = SlotSums::default();
        for slot in 0..10_000 {
            sums.set(slot, [0.1 * (slot % 7 + 1) as f64, 1e9]);
        }
        for slot in 1..10_000 {
            sums.set(slot, [0.0, 0.0]);
        }
        assert_eq!(sums.total(), [0.1, 1e9]);
    }
}

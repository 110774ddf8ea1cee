//! The listed entries of a `balanced` group: their positions in the queue,
//! invocations and prewarm requests apart, each in queue order, so the
//! round takes the newest of either, and passes every prewarm request
//! newer than the newest invocation at once when a node has no room for
//! them (they all ask the same room: one refused, all are).

/// The entries of a group the round has not taken yet.
#[derive(Debug, Default)]
pub struct Listed {
    invocations: Vec<usize>,
    prewarms: Vec<usize>,
}

impl Listed {
    pub fn len(&self) -> usize {
        self.invocations.len() + self.prewarms.len()
    }

    /// Lists the entry at `index` (newer than every one listed); `prewarm`:
    /// a prewarm request's.
    pub fn push(&mut self, index: usize, prewarm: bool) {
        match prewarm {
            true => self.prewarms.push(index),
            false => self.invocations.push(index),
        }
    }

    /// Whether the newest entry is a prewarm request.
    pub fn newest_is_prewarm(&self) -> bool {
        match (self.invocations.last(), self.prewarms.last()) {
            (Some(i), Some(p)) => p > i,
            (None, Some(_)) => true,
            (_, None) => false,
        }
    }

    /// Takes the newest entry.
    pub fn pop(&mut self) -> Option<usize> {
        match self.newest_is_prewarm() {
            true => self.prewarms.pop(),
            false => self.invocations.pop(),
        }
    }

    /// Takes up to `count` newest entries.
    pub fn drop_newest(&mut self, count: usize) {
        if self.prewarms.is_empty() {
            self.invocations.truncate(self.invocations.len().saturating_sub(count));
            return;
        }
        for _ in 0..count {
            if self.pop().is_none() {
                return;
            }
        }
    }

    /// Takes the newest `count` invocations and every prewarm request
    /// newer than the oldest of them; every entry when fewer invocations
    /// are left.
    pub fn drop_newest_invocations(&mut self, count: usize) {
        if count == 0 {
            return;
        }
        let Some(keep) = self.invocations.len().checked_sub(count) else {
            self.invocations.clear();
            self.prewarms.clear();
            return;
        };
        let oldest = self.invocations[keep];
        self.invocations.truncate(keep);
        self.prewarms.truncate(self.prewarms.partition_point(|&p| p < oldest));
    }

    /// Takes every prewarm request newer than the newest invocation.
    pub fn drop_newest_prewarms(&mut self) {
        let keep = match self.invocations.last() {
            Some(&newest) => self.prewarms.partition_point(|&p| p < newest),
            None => 0,
        };
        self.prewarms.truncate(keep);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Against a plain list of (position, prewarm) in queue order: the
    /// same entries taken, in the same order, whatever the mix of pops,
    /// drops and passes.
    #[test]
    fn takes_what_a_plain_list_takes() {
        let mut draw = crate::test_rng::xorshift_below(0x9e37_79b9_7f4a_7c15);
        for _ in 0..500 {
            let (mut listed, mut plain) = (Listed::default(), Vec::new());
            for index in 0..draw(40) as usize {
                let prewarm = draw(3) == 0;
                listed.push(index, prewarm);
                plain.push((index, prewarm));
            }
            while !plain.is_empty() {
                assert_eq!(listed.len(), plain.len());
                assert_eq!(listed.newest_is_prewarm(), plain.last().is_some_and(|e| e.1));
                match draw(4) {
                    0 => assert_eq!(listed.pop(), plain.pop().map(|e| e.0)),
                    1 => {
                        let count = draw(5) as usize;
                        listed.drop_newest(count);
                        plain.truncate(plain.len().saturating_sub(count));
                    }
                    2 => {
                        // As many times: the prewarm requests newer
                        // than the newest invocation, then it (the
                        // prewarm requests alone once none is left).
                        let count = draw(5) as usize;
                        listed.drop_newest_invocations(count);
                        for _ in 0..count {
                            while plain.last().is_some_and(|e| e.1) {
                                plain.pop();
                            }
                            plain.pop();
                        }
                    }
                    _ => {
                        listed.drop_newest_prewarms();
                        while plain.last().is_some_and(|e| e.1) {
                            plain.pop();
                        }
                    }
                }
            }
            assert_eq!(listed.len(), 0);
        }
    }
}

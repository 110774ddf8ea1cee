//! What each engine timer or activity is for: a tag packs the kind of
//! event and an index into a `u64`, so the pull loop can route every event
//! without a lookup table.

/// A decoded engine tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// An arrival source's next arrival is due.
    Feed(u32),
    /// A service finished the processing overhead of a request.
    Overhead(u32),
    /// A service's scheduler asked to be woken.
    SchedulerWake(u32),
    /// A layer download, copy or load finished (index into the transfer table).
    Transfer(u32),
    /// A container's start-up ended; the invocation's body begins.
    Startup(u32),
    /// The current body step of an invocation ended.
    Step(u32),
    /// An invocation reached its time limit.
    Timeout(u32),
    /// An idle container's timeout (service, container).
    IdleTimeout(u32, u32),
    /// A prewarming container finished starting (service, container).
    PrewarmDone(u32, u32),
    /// A workflow node's trigger came off the bus (instance, node).
    Trigger(u32, u32),
    /// One input of an invocation arrived (invocation).
    Input(u32),
    /// An invocation's request or response payload arrived (invocation).
    Payload(u32),
    /// An injected failure starts, or ends (failure index).
    Fail(u32),
    Recover(u32),
    /// Owners of failed work are told.
    FailuresDue,
}

const SHIFT: u32 = 56;
const LOW: u64 = (1 << 28) - 1;

impl Tag {
    pub fn encode(self) -> u64 {
        let (kind, a, b): (u64, u64, u64) = match self {
            Tag::Feed(i) => (0, i as u64, 0),
            Tag::Overhead(s) => (2, s as u64, 0),
            Tag::SchedulerWake(s) => (3, s as u64, 0),
            Tag::Transfer(i) => (4, i as u64, 0),
            Tag::Startup(i) => (5, i as u64, 0),
            Tag::Step(i) => (6, i as u64, 0),
            Tag::Timeout(i) => (7, i as u64, 0),
            Tag::IdleTimeout(s, c) => (8, s as u64, c as u64),
            Tag::PrewarmDone(s, c) => (9, s as u64, c as u64),
            Tag::Trigger(i, n) => (10, i as u64, n as u64),
            Tag::Input(i) => (11, i as u64, 0),
            Tag::Payload(i) => (12, i as u64, 0),
            Tag::Fail(i) => (13, i as u64, 0),
            Tag::Recover(i) => (14, i as u64, 0),
            Tag::FailuresDue => (15, 0, 0),
        };
        (kind << SHIFT) | (a << 28) | b
    }

    pub fn decode(tag: u64) -> Tag {
        let kind = tag >> SHIFT;
        let a = ((tag >> 28) & LOW) as u32;
        let b = (tag & LOW) as u32;
        match kind {
            0 => Tag::Feed(a),
            2 => Tag::Overhead(a),
            3 => Tag::SchedulerWake(a),
            4 => Tag::Transfer(a),
            5 => Tag::Startup(a),
            6 => Tag::Step(a),
            7 => Tag::Timeout(a),
            8 => Tag::IdleTimeout(a, b),
            9 => Tag::PrewarmDone(a, b),
            10 => Tag::Trigger(a, b),
            11 => Tag::Input(a),
            12 => Tag::Payload(a),
            13 => Tag::Fail(a),
            14 => Tag::Recover(a),
            _ => Tag::FailuresDue,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Tag;

    #[test]
    fn tags_round_trip() {
        for tag in [
            Tag::Feed(7),
            Tag::Overhead(0),
            Tag::SchedulerWake(2),
            Tag::Transfer(123_456),
            Tag::Startup((1 << 28) - 1),
            Tag::Step(42),
            Tag::Timeout(9),
            Tag::IdleTimeout(4, 77_777),
            Tag::PrewarmDone(1, 5),
            Tag::Trigger(12, 3),
            Tag::Input(8),
            Tag::Payload(9),
            Tag::Fail(2),
            Tag::Recover(2),
            Tag::FailuresDue,
        ] {
            assert_eq!(Tag::decode(tag.encode()), tag);
        }
    }
}

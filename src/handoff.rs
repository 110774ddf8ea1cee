//! The bounded queue that carries batches from one thread to another,
//! waking a sleeping end only once it has enough to do rather than at each
//! batch. Each wake is a system call for the waker (on our VM, where it is
//! an interrupt to the other core, some 16 us: 7.9 % of the simulation
//! thread's samples over 12,300 wakes a run) and a context switch for the
//! woken, on a core the simulation may share. Two ends use it: the
//! simulation sends record batches to the report writer, which is faster
//! and so sleeps until several wait (`wake_at`); a trace's reading thread
//! sends arrival batches to the simulation, which is slower, so the reader
//! sleeps on a full queue until it has drained to `refill_at`. With a
//! channel, each of the simulation's batches cost one wake on each side.
//! Order is kept, and the queue never holds more than `capacity` items.

use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

/// What both ends share.
struct Shared<T> {
    state: Mutex<State<T>>,
    /// The receiver waits here for items.
    filled: Condvar,
    /// The sender waits here for room.
    room: Condvar,
    capacity: usize,
    wake_at: usize,
    refill_at: usize,
}

struct State<T> {
    queue: VecDeque<T>,
    /// The sender is gone: nothing more will come.
    closed: bool,
    /// The receiver is gone: nothing more will be taken.
    abandoned: bool,
    receiver_asleep: bool,
    sender_asleep: bool,
}

impl<T> Shared<T> {
    /// The state, even if the other end panicked holding it (its items are
    /// whole: a push or a pop).
    fn lock(&self) -> MutexGuard<'_, State<T>> {
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// The simulation's end.
pub struct Sender<T> {
    shared: Arc<Shared<T>>,
}

/// The writer's end.
pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
}

/// A queue of at most `capacity` items whose receiver, once asleep, is
/// woken when `wake_at` items wait (or the sender is gone), and whose
/// sender, once asleep on a full queue, is woken when no more than
/// `refill_at` items are left (or the receiver is gone).
pub fn handoff<T>(capacity: usize, wake_at: usize, refill_at: usize) -> (Sender<T>, Receiver<T>) {
    assert!((1..=capacity).contains(&wake_at), "a full queue must wake its receiver");
    assert!(refill_at < capacity, "a queue with room must wake its sender");
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            queue: VecDeque::with_capacity(capacity),
            closed: false,
            abandoned: false,
            receiver_asleep: false,
            sender_asleep: false,
        }),
        filled: Condvar::new(),
        room: Condvar::new(),
        capacity,
        wake_at,
        refill_at,
    });
    (
        Sender {
            shared: Arc::clone(&shared),
        },
        Receiver { shared },
    )
}

impl<T> Sender<T> {
    /// Queues `item`; on a full queue, first waits until the receiver has
    /// drained it to `refill_at` items. Gives `item` back when the
    /// receiver is gone.
    pub fn send(&self, item: T) -> Result<(), T> {
        let shared = &*self.shared;
        let mut state = shared.lock();
        if state.queue.len() >= shared.capacity {
            state.sender_asleep = true;
            // Only the receiver clears the mark (a wake-up may be spurious).
            while state.sender_asleep && !state.abandoned {
                state = shared.room.wait(state).unwrap_or_else(|poisoned| poisoned.into_inner());
            }
        }
        if state.abandoned {
            return Err(item);
        }
        state.queue.push_back(item);
        let wake = state.receiver_asleep && state.queue.len() >= shared.wake_at;
        if wake {
            state.receiver_asleep = false;
        }
        // Woken after the lock is let go, the receiver does not wait for it.
        drop(state);
        if wake {
            shared.filled.notify_one();
        }
        Ok(())
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        state.closed = true;
        state.receiver_asleep = false;
        drop(state);
        self.shared.filled.notify_one();
    }
}

impl<T> Receiver<T> {
    /// The next item, waiting for it; `None` once the sender is gone and
    /// the queue empty.
    pub fn recv(&self) -> Option<T> {
        let shared = &*self.shared;
        let mut state = shared.lock();
        loop {
            if let Some(item) = state.queue.pop_front() {
                let wake = state.sender_asleep && state.queue.len() <= shared.refill_at;
                if wake {
                    state.sender_asleep = false;
                }
                drop(state);
                if wake {
                    shared.room.notify_one();
                }
                return Some(item);
            }
            if state.closed {
                return None;
            }
            state.receiver_asleep = true;
            state = shared
                .filled
                .wait(state)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
    }
}

impl<T> Iterator for Receiver<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        self.recv()
    }
}

impl<T> Drop for Receiver<T> {
    fn drop(&mut self) {
        let mut state = self.shared.lock();
        state.abandoned = true;
        let items = std::mem::take(&mut state.queue);
        state.sender_asleep = false;
        drop(state);
        drop(items);
        self.shared.room.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, mpsc};
    use std::time::{Duration, Instant};

    use super::handoff;

    /// Whatever the marks (the two the run uses among them, and a sender
    /// that waits for an empty queue), every item arrives once, in order,
    /// and neither end waits for ever.
    #[test]
    fn every_item_arrives_in_order_through_a_small_queue() {
        for (capacity, wake_at, refill_at) in [(3, 2, 2), (4, 3, 0), (12, 6, 11), (24, 1, 8), (1, 1, 0)] {
            let (sender, receiver) = handoff(capacity, wake_at, refill_at);
            let writer = std::thread::spawn(move || receiver.collect::<Vec<u32>>());
            for i in 0..20_000 {
                sender.send(i).unwrap();
            }
            drop(sender);
            assert_eq!(
                writer.join().unwrap(),
                (0..20_000).collect::<Vec<_>>(),
                "{capacity} {wake_at} {refill_at}"
            );
        }
    }

    /// A receiver asleep on an empty queue wakes once `wake_at` items wait,
    /// the sender still there (and not before the sender is gone if fewer
    /// come): neither end waits for the other for ever.
    #[test]
    fn a_sleeping_receiver_wakes_at_its_count_or_when_the_sender_goes() {
        let (sender, receiver) = handoff(4, 3, 3);
        let (got, seen) = mpsc::channel();
        std::thread::spawn(move || {
            for item in receiver {
                got.send(item).unwrap();
            }
        });
        // Let the receiver fall asleep on the empty queue.
        std::thread::sleep(Duration::from_millis(50));
        for i in 0..3 {
            sender.send(i).unwrap();
        }
        for i in 0..3 {
            assert_eq!(seen.recv_timeout(Duration::from_secs(10)), Ok(i));
        }
        std::thread::sleep(Duration::from_millis(50));
        sender.send(3).unwrap();
        drop(sender);
        assert_eq!(seen.recv_timeout(Duration::from_secs(10)), Ok(3));
        assert!(
            seen.recv_timeout(Duration::from_secs(10)).is_err(),
            "the receiver ended"
        );
    }

    /// A sender asleep on a full queue stays asleep while more than
    /// `refill_at` items wait, then is woken and sends.
    #[test]
    fn a_sleeping_sender_wakes_once_the_queue_is_down_to_its_refill_mark() {
        let (sender, receiver) = handoff(4, 1, 1);
        let shared = Arc::clone(&receiver.shared);
        for i in 0..4 {
            sender.send(i).unwrap();
        }
        let waiting = std::thread::spawn(move || sender.send(4));
        let asleep = Instant::now();
        while !shared.lock().sender_asleep {
            assert!(
                asleep.elapsed() < Duration::from_secs(10),
                "the sender waits on a full queue"
            );
            std::thread::yield_now();
        }
        for i in 0..2 {
            assert_eq!(receiver.recv(), Some(i));
            let state = shared.lock();
            assert!(
                state.sender_asleep,
                "{} items wait: the sender is not woken",
                state.queue.len()
            );
        }
        assert_eq!(receiver.recv(), Some(2));
        assert_eq!(waiting.join().unwrap(), Ok(()));
        assert_eq!(receiver.collect::<Vec<_>>(), vec![3, 4]);
    }

    #[test]
    fn a_receiver_gone_gives_items_back_even_to_a_full_queue() {
        let (sender, receiver) = handoff(2, 2, 1);
        sender.send(1).unwrap();
        sender.send(2).unwrap();
        let waiting = std::thread::spawn(move || sender.send(3));
        std::thread::sleep(Duration::from_millis(50));
        drop(receiver);
        assert_eq!(waiting.join().unwrap(), Err(3));
    }
}

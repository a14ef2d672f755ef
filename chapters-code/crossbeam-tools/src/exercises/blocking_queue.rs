//! Exercise: a bounded queue that can wait.
//!
//! crossbeam-queue's `ArrayQueue` never blocks: `push` on a full queue
//! hands the value back, `pop` on an empty one returns `None`. Write
//! [`BlockingQueue`], which keeps those two as `try_push` and `try_pop`
//! and adds `push`, which waits while the queue is full, and `pop`, which
//! waits while it is empty. Several threads use one queue at once.
//!
//! Hint: retry in a loop, with `crossbeam_utils::Backoff` between tries
//! (`snooze` spins a little at first, then yields the core to other
//! threads). The tests in `tests/exercises.rs` (module `blocking_queue`)
//! check: the capacity, first-in first-out order, that `push` really waits
//! until there is room and `pop` until there is an item, and that many
//! producers and consumers lose and duplicate nothing.

use crossbeam_queue::ArrayQueue;

/// A bounded multi-producer, multi-consumer queue with waiting operations.
pub struct BlockingQueue<T> {
    queue: ArrayQueue<T>,
}

impl<T> BlockingQueue<T> {
    /// A queue with room for `capacity` items (at least 1).
    pub fn new(capacity: usize) -> Self {
        BlockingQueue {
            queue: ArrayQueue::new(capacity.max(1)),
        }
    }

    /// Adds `item` if there is room; hands it back if the queue is full.
    pub fn try_push(&self, item: T) -> Result<(), T> {
        let _ = (&self.queue, item);
        todo!("push into the ArrayQueue")
    }

    /// Takes the oldest item, or `None` if the queue is empty.
    pub fn try_pop(&self) -> Option<T> {
        todo!("pop from the ArrayQueue")
    }

    /// Adds `item`, waiting while the queue is full.
    pub fn push(&self, item: T) {
        let _ = item;
        todo!("retry try_push, backing off between tries")
    }

    /// Takes the oldest item, waiting while the queue is empty.
    pub fn pop(&self) -> T {
        todo!("retry try_pop, backing off between tries")
    }

    /// How many items the queue can hold.
    pub fn capacity(&self) -> usize {
        self.queue.capacity()
    }
}

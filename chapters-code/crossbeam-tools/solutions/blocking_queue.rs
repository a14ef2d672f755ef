//! Solution: a bounded queue that can wait, on top of `ArrayQueue`.
//!
//! `try_push` and `try_pop` are `ArrayQueue`'s own operations. The waiting ones
//! retry them, with a `Backoff` between tries: it spins a few times (the other
//! thread may free a slot within nanoseconds), then yields the core, so that a
//! thread waiting for long does not hog a core that the thread it waits for may
//! need. (A queue on which threads wait for long would rather put them to
//! sleep, with a `Condvar` as in the synchronization toolbox chapter.)

use crossbeam_queue::ArrayQueue;
use crossbeam_utils::Backoff;

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
        self.queue.push(item)
    }

    /// Takes the oldest item, or `None` if the queue is empty.
    pub fn try_pop(&self) -> Option<T> {
        self.queue.pop()
    }

    /// Adds `item`, waiting while the queue is full.
    pub fn push(&self, mut item: T) {
        let backoff = Backoff::new();
        loop {
            match self.queue.push(item) {
                Ok(()) => return,
                // Full: we get the item back, to try again.
                Err(back) => {
                    item = back;
                    backoff.snooze();
                }
            }
        }
    }

    /// Takes the oldest item, waiting while the queue is empty.
    pub fn pop(&self) -> T {
        let backoff = Backoff::new();
        loop {
            if let Some(item) = self.queue.pop() {
                return item;
            }
            backoff.snooze();
        }
    }

    /// How many items the queue can hold.
    pub fn capacity(&self) -> usize {
        self.queue.capacity()
    }
}

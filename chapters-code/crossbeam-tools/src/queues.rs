//! Three queues that several threads share: crossbeam-queue's `ArrayQueue`
//! (bounded, lock-free) and `SegQueue` (unbounded, lock-free), and a
//! `Mutex<VecDeque>` (a lock around the standard queue). The same
//! producers-and-consumers run goes through each, so they can be compared,
//! and checked: every item must come out exactly once.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crossbeam_queue::{ArrayQueue, SegQueue};
use crossbeam_utils::Backoff;

// ANCHOR: queue
/// What the run needs from a queue shared by many threads.
pub trait SharedQueue: Sync {
    /// Adds `item`, or hands it back when the queue is full.
    fn push(&self, item: u64) -> Result<(), u64>;
    /// Takes the oldest item, if there is one.
    fn pop(&self) -> Option<u64>;
}

impl SharedQueue for ArrayQueue<u64> {
    fn push(&self, item: u64) -> Result<(), u64> {
        ArrayQueue::push(self, item)
    }
    fn pop(&self) -> Option<u64> {
        ArrayQueue::pop(self)
    }
}

impl SharedQueue for SegQueue<u64> {
    fn push(&self, item: u64) -> Result<(), u64> {
        SegQueue::push(self, item);
        Ok(())
    }
    fn pop(&self) -> Option<u64> {
        SegQueue::pop(self)
    }
}

impl SharedQueue for Mutex<VecDeque<u64>> {
    fn push(&self, item: u64) -> Result<(), u64> {
        // Nothing panics while holding this lock: it is never poisoned.
        self.lock().unwrap().push_back(item);
        Ok(())
    }
    fn pop(&self) -> Option<u64> {
        // As in `push`.
        self.lock().unwrap().pop_front()
    }
}
// ANCHOR_END: queue

/// What one run did.
#[derive(Debug)]
pub struct Run {
    /// What each consumer took, in the order it took it.
    pub taken: Vec<Vec<u64>>,
    /// How often a producer found the queue full and had to try again.
    pub full: usize,
    /// Wall time of the whole run.
    pub elapsed: Duration,
}

// ANCHOR: run
/// `producers` threads each push `per_producer` distinct numbers into
/// `queue` while `consumers` threads pop until all of them are taken.
pub fn run(
    queue: &impl SharedQueue,
    producers: usize,
    consumers: usize,
    per_producer: u64,
) -> Run {
    let total = producers * per_producer as usize;
    let taken_count = AtomicUsize::new(0);
    let full = AtomicUsize::new(0);
    let start = Instant::now();
    let taken = thread::scope(|s| {
        for p in 0..producers as u64 {
            let full = &full;
            s.spawn(move || {
                for i in 0..per_producer {
                    let mut item = p * per_producer + i;
                    // A full queue hands the item back: back off (spin a
                    // little, then yield the core) and try again.
                    let backoff = Backoff::new();
                    while let Err(back) = queue.push(item) {
                        item = back;
                        full.fetch_add(1, Ordering::Relaxed);
                        backoff.snooze();
                    }
                }
            });
        }
        let consumers: Vec<_> = (0..consumers)
            .map(|_| {
                let taken_count = &taken_count;
                s.spawn(move || {
                    let mut mine = Vec::new();
                    let backoff = Backoff::new();
                    // Stop once every item has been taken, by anyone.
                    while taken_count.load(Ordering::Relaxed) < total {
                        match queue.pop() {
                            Some(item) => {
                                mine.push(item);
                                taken_count.fetch_add(1, Ordering::Relaxed);
                                backoff.reset();
                            }
                            None => backoff.snooze(),
                        }
                    }
                    mine
                })
            })
            .collect();
        // Counting and pushing to a Vec cannot panic (short of running out
        // of memory), so joining cannot fail.
        consumers.into_iter().map(|c| c.join().unwrap()).collect()
    });
    Run {
        taken,
        full: full.into_inner(),
        elapsed: start.elapsed(),
    }
}
// ANCHOR_END: run

/// Whether `run` handed out every one of `0..total` exactly once.
pub fn each_once(run: &Run, total: u64) -> bool {
    let mut all: Vec<u64> = run.taken.iter().flatten().copied().collect();
    all.sort_unstable();
    all.len() as u64 == total && all.iter().copied().eq(0..total)
}

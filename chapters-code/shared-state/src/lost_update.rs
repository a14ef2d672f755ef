//! The lost update.
//!
//! `count += 1` looks like one step, but the machine does it in three: *read*
//! the counter from memory, *add* one to the copy it read, *write* the result
//! back. When two threads do this to one counter at the same time, both can
//! read the same old value, and then both write the same new value: two
//! increments, and the counter grew by one. The other update is lost.
//!
//! Safe Rust does not let two threads run `count += 1` on a plain integer
//! (that is a compile error, see `tests/compile_fail/`). To show the bug for
//! real, [`racy_count`] writes the three steps out with an atomic integer: an
//! atomic *load* to read, an ordinary addition, an atomic *store* to write.
//! Each step on its own is indivisible, so there is no undefined behaviour,
//! but the three together are not, and that is the whole bug.
//!
//! [`forced_lost_update`] loses updates on purpose: the two threads hand the
//! turn to each other between the read and the write, so the bad
//! interleaving happens every time, even on one core.

use std::sync::atomic::Ordering::Relaxed;
use std::sync::{Barrier, Mutex};
use std::thread;

use crate::sync::AtomicU64;
use crate::together;

// ANCHOR: racy
/// Each of `threads` threads adds 1 to a shared counter `per_thread` times,
/// with a separate read and write. Returns the final count, which should be
/// `threads * per_thread`.
pub fn racy_count(threads: usize, per_thread: u64) -> u64 {
    let counter = AtomicU64::new(0);
    together(threads, || add_racily(&counter, per_thread));
    counter.into_inner()
}

/// Adds 1 to `counter`, `times` times, in three steps that are each atomic
/// but not together.
pub fn add_racily(counter: &AtomicU64, times: u64) {
    for _ in 0..times {
        // Read: take a copy of the counter...
        let seen = counter.load(Relaxed);
        // ...modify the copy, and write it back. If another thread wrote
        // in between, this store overwrites its work with a stale sum.
        counter.store(seen + 1, Relaxed);
    }
}
// ANCHOR_END: racy

/// One step of a forced interleaving, as it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// `"A"` or `"B"`.
    pub thread: &'static str,
    /// `"reads 0"`, `"writes 1"`, ...
    pub action: String,
    /// The counter in memory just after the step.
    pub counter: u64,
}

// ANCHOR: forced
/// Thread A reads the counter and then waits, while thread B adds 1 to it
/// `b_adds` times; then A writes back what it read plus one.
///
/// Returns the final counter (always 1, where `1 + b_adds` was meant) and the
/// steps in the order they happened.
pub fn forced_lost_update(b_adds: u64) -> (u64, Vec<Step>) {
    let counter = AtomicU64::new(0);
    let steps = Mutex::new(Vec::new());
    let log = |thread, action: String| {
        let counter = counter.load(Relaxed);
        // Nothing panics while holding this lock, so it is never poisoned.
        let step = Step {
            thread,
            action,
            counter,
        };
        steps.lock().unwrap().push(step);
    };
    // Each `handover.wait()` returns once both threads have reached one.
    let handover = Barrier::new(2);
    thread::scope(|s| {
        s.spawn(|| {
            let seen = counter.load(Relaxed);
            log("A", format!("reads {seen}"));
            handover.wait(); // 1: A has read; B may go
            handover.wait(); // 2: B is done; A goes on
            counter.store(seen + 1, Relaxed);
            log("A", format!("writes {}", seen + 1));
        });
        s.spawn(|| {
            handover.wait(); // 1
            for _ in 0..b_adds {
                let seen = counter.load(Relaxed);
                log("B", format!("reads {seen}"));
                counter.store(seen + 1, Relaxed);
                log("B", format!("writes {}", seen + 1));
            }
            handover.wait(); // 2
        });
    });
    // The threads have ended (the scope joined them): nobody holds the lock.
    (counter.into_inner(), steps.into_inner().unwrap())
}
// ANCHOR_END: forced

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_thread_alone_loses_nothing() {
        // The bug needs two threads: alone, read-then-write is correct.
        assert_eq!(racy_count(1, 100_000), 100_000);
    }

    #[test]
    fn with_nobody_to_wait_for_a_keeps_its_update() {
        let (count, steps) = forced_lost_update(0);
        assert_eq!(count, 1);
        assert_eq!(steps.len(), 2);
    }
}

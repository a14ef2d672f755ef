//! Three correct ways to count with several threads.
//!
//! The lost update happens because read, add and write are separate steps
//! that another thread can slip in between. The stretch of code that must
//! not be interleaved with another thread's copy of it is a *critical
//! section*. There are two ways to protect one, and one way to have none:
//!
//! - [`mutex_count`]: a *lock*. A `Mutex` lets one thread at a time in; the
//!   others wait at `lock()` until it leaves. This is *mutual exclusion*, and
//!   it works for a critical section of any size.
//! - [`atomic_count`]: one indivisible instruction. `fetch_add` reads, adds
//!   and writes as a single step that no other thread can split. It works
//!   only for the few operations the hardware offers (add, swap, compare and
//!   swap, ...).
//! - [`local_count`]: no sharing. Each thread counts in its own variable, and
//!   the counts are added once, at the end. Nothing is shared while the work
//!   runs, so nothing needs protecting.

use std::hint::black_box;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use crate::together;

// ANCHOR: mutex
/// Each thread adds 1, `per_thread` times, to a counter behind a `Mutex`.
pub fn mutex_count(threads: usize, per_thread: u64) -> u64 {
    let counter = Mutex::new(0);
    together(threads, || {
        for _ in 0..per_thread {
            // `lock` waits until no other thread holds the lock. The guard
            // it returns gives access to the number, and unlocks when it is
            // dropped, at the end of this statement. `lock` fails only if a
            // thread panicked while holding the lock, and none can here.
            *counter.lock().unwrap() += 1;
        }
    });
    // Every thread has ended: the lock is free and was never poisoned.
    counter.into_inner().unwrap()
}
// ANCHOR_END: mutex

// ANCHOR: fetch_add
/// Each thread adds 1, `per_thread` times, to an atomic counter with
/// `fetch_add`: read, add and write in one indivisible step.
pub fn atomic_count(threads: usize, per_thread: u64) -> u64 {
    let counter = AtomicU64::new(0);
    together(threads, || {
        for _ in 0..per_thread {
            counter.fetch_add(1, Relaxed);
        }
    });
    counter.into_inner()
}
// ANCHOR_END: fetch_add

// ANCHOR: local
/// Each thread counts to `per_thread` in a variable of its own; the totals
/// are added after the threads have finished.
pub fn local_count(threads: usize, per_thread: u64) -> u64 {
    let totals = together(threads, || {
        let mut mine: u64 = 0;
        for _ in 0..per_thread {
            // `black_box` stops the compiler from replacing the loop with
            // `mine = per_thread`, so this does the same number of additions
            // as the other versions.
            mine = black_box(mine + 1);
        }
        mine
    });
    totals.iter().sum()
}
// ANCHOR_END: local

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_adds_count_nothing() {
        for count in [mutex_count, atomic_count, local_count] {
            assert_eq!(count(1, 0), 0);
            assert_eq!(count(3, 0), 0);
        }
    }
}

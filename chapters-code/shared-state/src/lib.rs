//! The chapter *Shared state and races*: the programs behind its cells.
//!
//! - [`lost_update`]: two threads add to one counter with a separate read and
//!   write, and updates disappear; a forced interleaving that loses one every
//!   time.
//! - [`fixes`]: the same count made correct with a `Mutex`, with an atomic
//!   `fetch_add`, and by not sharing the counter at all.
//! - [`logic_race`]: a race that Rust does not prevent: a check and an action
//!   under two separate locks.
//! - [`ordering`]: memory ordering: publishing data behind a flag, and the
//!   store-buffering test, in which the hardware visibly reorders.
//! - [`fences`]: the same two programs with `Relaxed` operations and
//!   fences doing the ordering.
//! - [`detectors`]: a real data race in `unsafe` code, and correct code
//!   built on atomics, for a race detector (Valgrind's Helgrind) to judge.
//! - [`immutable`]: data that nobody changes, shared by threads with an `Arc`
//!   and no lock.
//! - [`sync`]: the atomic types of the racy counter and the fenced
//!   mailbox, swapped for loom's under `--cfg loom` so that a model checker
//!   can run them.
//! - `schedules` (under `--cfg loom` or `--cfg shuttle` only): the lost update, the check then
//!   act and the store-buffering test as small models, recorded step by
//!   step for the page's interleaving players.
//! - [`trials`]: a harness that runs two threads against each other many
//!   times, so that rare interleavings show up.
//!
//! What Rust refuses to compile is in `tests/compile_fail/`, one file per
//! refusal, with the compiler's message next to it.

use std::thread;
use std::time::Duration;

use crate::trials::{SpinBarrier, spread};

pub mod detectors;
pub mod exercises;
pub mod fences;
pub mod fixes;
pub mod immutable;
pub mod logic_race;
pub mod lost_update;
pub mod ordering;
#[cfg(any(loom, shuttle))]
pub mod schedules;
pub mod sync;
pub mod trials;

// ANCHOR: together
/// Runs `work` on `threads` threads that start at the same moment, waits for
/// all of them, and returns what each returned.
///
/// Starting a thread takes from tens to hundreds of microseconds, and a
/// million additions take a few milliseconds: the first thread could be
/// half done before the last one exists. So the threads first meet at a
/// barrier, and none starts working until all are there. The barrier spins
/// rather than sleeps, and the threads are spread over the cores (see
/// [`trials`]), so that they really leave it together and run side by side.
pub fn together<R: Send>(
    threads: usize,
    work: impl Fn() -> R + Sync,
) -> Vec<R> {
    // Spin for as long as starting the other threads may take.
    let start = SpinBarrier::new(threads, Duration::from_millis(10));
    thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|n| {
                let (start, work) = (&start, &work);
                s.spawn(move || {
                    // Each thread on a core of its own, where possible.
                    spread(n);
                    start.seat().wait();
                    work()
                })
            })
            .collect();
        handles
            .into_iter()
            // `join` fails only if the thread panicked; pass the panic on.
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}
// ANCHOR_END: together

/// `n` with a comma between groups of three digits: `2,000,000`.
pub use support::bars::grouped;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn together_returns_one_result_per_thread() {
        let ids = together(3, || thread::current().id());
        assert_eq!(ids.len(), 3);
        assert!(ids[0] != ids[1] && ids[1] != ids[2] && ids[0] != ids[2]);
    }

    #[test]
    #[should_panic(expected = "boom")]
    fn a_panic_in_a_thread_reaches_the_caller() {
        together(2, || panic!("boom"));
    }
}

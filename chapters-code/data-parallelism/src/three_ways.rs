//! The same work three ways: one thread, hand-chunked std threads, rayon.
//!
//! Each function takes a slice of inputs and a function to call on each,
//! and returns the results in input order, so the tests can check that the
//! three agree. Only how the calls are spread over threads differs.

use std::sync::Mutex;
use std::thread::{self, ThreadId};
use std::time::{Duration, Instant};

use rayon::prelude::*;

// ANCHOR: sequential
/// One thread, one input after the other.
pub fn sequential<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    items.iter().map(f).collect()
}
// ANCHOR_END: sequential

// ANCHOR: chunked
/// Hand-chunked: the input cut into `threads` contiguous chunks of (nearly)
/// equal length, one scoped thread per chunk. The split is decided before
/// any work starts, by counting inputs, not by what they cost.
pub fn chunked<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    if items.is_empty() {
        return Vec::new();
    }
    let chunk_len = items.len().div_ceil(threads.max(1));
    let f = &f;
    thread::scope(|s| {
        // Start every thread first, then collect: the chunks run at once.
        let handles: Vec<_> = items
            .chunks(chunk_len)
            .map(|chunk| {
                s.spawn(move || chunk.iter().map(f).collect::<Vec<R>>())
            })
            .collect();
        handles
            .into_iter()
            // A panic in `f` is passed on to the caller, as in the other
            // two versions.
            .flat_map(|h| {
                h.join().unwrap_or_else(|p| std::panic::resume_unwind(p))
            })
            .collect()
    })
}
// ANCHOR_END: chunked

// ANCHOR: with_rayon
/// Rayon: `par_iter` splits the input in halves, and halves of halves, as
/// long as there are idle workers to take them; a worker that runs out of
/// work steals a half that another has not started yet. `collect` puts the
/// results back in input order.
pub fn with_rayon<T: Sync, R: Send>(
    items: &[T],
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    items.par_iter().map(&f).collect()
}
// ANCHOR_END: with_rayon

/// Busy time per thread: how long each thread spent inside the work it was
/// given, in the order the threads first reported. Shared by reference.
#[derive(Debug, Default)]
pub struct Busy {
    per_thread: Mutex<Vec<(ThreadId, Duration)>>,
}

impl Busy {
    /// No thread has reported yet.
    pub fn new() -> Busy {
        Busy::default()
    }

    /// Runs `work` and adds its duration to the calling thread's total.
    pub fn time<R>(&self, work: impl FnOnce() -> R) -> R {
        let start = Instant::now();
        let value = work();
        let took = start.elapsed();
        let me = thread::current().id();
        // The lock is held only to add a number; a panic cannot happen
        // while it is held, so a poisoned lock still holds valid totals.
        let mut per_thread = self
            .per_thread
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match per_thread.iter_mut().find(|(id, _)| *id == me) {
            Some((_, total)) => *total += took,
            None => per_thread.push((me, took)),
        }
        value
    }

    /// Each thread's total, in the order the threads first reported.
    pub fn totals(&self) -> Vec<Duration> {
        self.per_thread
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .iter()
            .map(|(_, d)| *d)
            .collect()
    }
}

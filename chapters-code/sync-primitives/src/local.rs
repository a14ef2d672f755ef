//! Thread-local storage: a variable of which every thread has its own copy.
//!
//! `thread_local!` declares it. Each thread's copy is made from the
//! initial value the first time that thread touches it, and is dropped
//! when that thread exits. No other thread can reach it, so it needs no
//! lock and no atomic: a plain `Cell` will do.
//!
//! The per-thread [`Tally`] below counts events on its own thread, and when
//! its thread exits its destructor adds the count to a shared total: the
//! "per-worker counters summed at the end" pattern, with the sum done by
//! the destructor. [`count_in_workers`] runs it on a few threads.

use std::cell::{Cell, RefCell};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread;

// ANCHOR: tally
/// One thread's count of events, and where to add it when the thread exits.
#[derive(Debug)]
pub struct Tally {
    /// A `Cell`, not an atomic: only this thread can reach this copy.
    count: Cell<u64>,
    /// The shared total this thread's count goes into, if any.
    total: RefCell<Option<Arc<AtomicU64>>>,
}

thread_local! {
    /// Every thread that touches `TALLY` gets its own, starting from this.
    static TALLY: Tally = const {
        Tally { count: Cell::new(0), total: RefCell::new(None) }
    };
}

impl Drop for Tally {
    /// Runs when the thread that owns this copy exits.
    fn drop(&mut self) {
        if let Some(total) = self.total.get_mut().take() {
            // The only write to shared memory in this thread's whole count.
            total.fetch_add(self.count.get(), Ordering::Relaxed);
        }
    }
}

/// Counts one event on the calling thread.
pub fn count_event() {
    TALLY.with(|tally| tally.count.set(tally.count.get() + 1));
}

/// How many events the calling thread has counted.
pub fn counted_here() -> u64 {
    TALLY.with(|tally| tally.count.get())
}

/// When the calling thread exits, its count is added to `total`.
pub fn add_to_at_exit(total: &Arc<AtomicU64>) {
    TALLY.with(|tally| *tally.total.borrow_mut() = Some(Arc::clone(total)));
}
// ANCHOR_END: tally

/// What one worker of [`count_in_workers`] reported before it exited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkerCount {
    /// Its own count when it started, before counting anything.
    pub started_at: u64,
    /// Its own count when it had finished counting.
    pub counted: u64,
}

/// What [`count_in_workers`] saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workers {
    /// One report per worker, in the order the workers were given.
    pub workers: Vec<WorkerCount>,
    /// The shared total while every worker had counted but none had
    /// exited yet.
    pub total_before_exit: u64,
    /// The shared total after every worker was joined.
    pub total_after_join: u64,
}

/// Starts one thread per entry of `events`; thread `i` counts `events[i]`
/// events on its own `TALLY` and asks for its count to be added to a shared
/// total when it exits. The workers stay alive until every one has
/// reported, so the total can be read while all are still running.
pub fn count_in_workers(events: &[u64]) -> Workers {
    let total = Arc::new(AtomicU64::new(0));
    let (report, reports) = mpsc::channel();
    let mut handles = Vec::new();
    let mut exits = Vec::new();
    for (i, &n) in events.iter().enumerate() {
        let (exit, may_exit) = mpsc::channel::<()>();
        exits.push(exit);
        let (total, report) = (Arc::clone(&total), report.clone());
        // `thread::spawn`, not `thread::scope`: `JoinHandle::join` waits for
        // the thread's thread-local destructors, while the end of a scope
        // waits only for the threads' closures to return.
        handles.push(thread::spawn(move || {
            let started_at = counted_here();
            add_to_at_exit(&total);
            for _ in 0..n {
                count_event();
            }
            let counted = counted_here();
            let _ = report.send((
                i,
                WorkerCount {
                    started_at,
                    counted,
                },
            ));
            // Let go of the sender, so that the main thread's loop over the
            // reports ends even if another worker never reports.
            drop(report);
            // Stay alive until told to go: an `Err` means the main thread
            // dropped the sender, which is the same signal.
            let _ = may_exit.recv();
            // Returning ends the thread; then `TALLY`'s destructor runs.
        }));
    }
    drop(report);
    let mut workers = vec![None; events.len()];
    for (i, count) in reports.iter().take(events.len()) {
        workers[i] = Some(count);
    }
    // Every worker has counted and is waiting to exit: no destructor has
    // run, so nothing has reached the total yet.
    let total_before_exit = total.load(Ordering::Relaxed);
    drop(exits);
    for handle in handles {
        // The workers do not panic; if one did, pass its panic on.
        handle
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
    }
    // `join` happens after everything the thread did, its destructors
    // included, so a relaxed load sees every addition.
    let total_after_join = total.load(Ordering::Relaxed);
    Workers {
        workers: workers
            .into_iter()
            // Each worker reports once before it waits; a worker that
            // panicked before reporting has already been passed on by
            // `join` above.
            .map(|w| w.expect("every worker reported"))
            .collect(),
        total_before_exit,
        total_after_join,
    }
}

//! `rayon::join` and recursion: divide and conquer, with and without a
//! sequential cutoff, and a trace of which worker ran each piece of a
//! recursive computation and which pieces were stolen.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use support::timeline::Timeline;

// ANCHOR: join_sum
/// Adds up `data` by splitting it in two, adding the halves with
/// `rayon::join` (possibly on two threads), and adding the two results.
/// Below `cutoff` elements a plain loop takes over. With `cutoff = 1` every
/// split, down to single elements, is a `join`: millions of tiny jobs.
pub fn join_sum(data: &[u64], cutoff: usize) -> u64 {
    if data.len() <= cutoff.max(1) {
        return data.iter().sum();
    }
    let (left, right) = data.split_at(data.len() / 2);
    let (a, b) =
        rayon::join(|| join_sum(left, cutoff), || join_sum(right, cutoff));
    a + b
}
// ANCHOR_END: join_sum

// ANCHOR: stolen
/// Calls `rayon::join(a, b)` where `a` does not return until `b` has
/// started. `join` runs `a` on the calling thread and leaves `b` in that
/// thread's deque, so `b` can start only if another worker steals it. On a
/// pool of two or more threads that happens; `a` gives up after `timeout`
/// so a pool that never stole would fail instead of hanging.
///
/// Returns the worker indices that ran `a` and `b`, and whether `a` saw
/// `b` start before the timeout.
pub fn first_waits_for_second(
    timeout: Duration,
) -> (Option<usize>, Option<usize>, bool) {
    let b_started = AtomicBool::new(false);
    let ((a_worker, saw_b), b_worker) = rayon::join(
        || {
            let deadline = Instant::now() + timeout;
            while !b_started.load(Ordering::Acquire)
                && Instant::now() < deadline
            {
                std::thread::yield_now();
            }
            (
                rayon::current_thread_index(),
                b_started.load(Ordering::Acquire),
            )
        },
        || {
            b_started.store(true, Ordering::Release);
            rayon::current_thread_index()
        },
    );
    (a_worker, b_worker, saw_b)
}
// ANCHOR_END: stolen

/// What a traced run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Trace {
    /// For each piece, in piece order, the worker index that ran it.
    pub worker_of_piece: Vec<usize>,
    /// How many `join` calls the recursion made.
    pub joins: usize,
    /// In how many of them the second closure ran on another worker than
    /// the one that called `join`: it was stolen.
    pub stolen: usize,
    /// Whether every first closure ran on the thread that called `join`.
    pub first_on_caller: bool,
}

// ANCHOR: traced
/// Runs `costs.len()` pieces of work, each computing for its cost in CPU
/// time, by recursive halving with `rayon::join`, in the current rayon pool.
/// Each piece is recorded on `timeline` in the lane of the worker that ran
/// it, and each `join` notes which worker started its second closure.
pub fn traced_pieces(costs: &[Duration], timeline: &Timeline) -> Trace {
    let record = Mutex::new(Trace {
        worker_of_piece: vec![usize::MAX; costs.len()],
        first_on_caller: true,
        ..Trace::default()
    });
    split(0, costs, timeline, &record);
    // All joins have returned: nobody else holds the lock.
    record
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn split(
    first: usize,
    costs: &[Duration],
    timeline: &Timeline,
    record: &Mutex<Trace>,
) {
    // Inside a rayon pool a thread always has an index.
    let here = rayon::current_thread_index().unwrap_or(0);
    if let [cost] = costs {
        timeline.record(
            format!("worker {here}"),
            format!("piece {first}"),
            || support::measure::spin_cpu(*cost),
        );
        lock(record).worker_of_piece[first] = here;
        return;
    }
    let mid = costs.len() / 2;
    let (left, right) = costs.split_at(mid);
    let (a_ran_on, b_ran_on) = rayon::join(
        || {
            let me = rayon::current_thread_index().unwrap_or(0);
            split(first, left, timeline, record);
            me
        },
        || {
            // Read first: this is the worker that *started* the closure.
            let me = rayon::current_thread_index().unwrap_or(0);
            split(first + mid, right, timeline, record);
            me
        },
    );
    let mut trace = lock(record);
    trace.joins += 1;
    trace.stolen += usize::from(b_ran_on != here);
    trace.first_on_caller &= a_ran_on == here;
}
// ANCHOR_END: traced

fn lock(record: &Mutex<Trace>) -> std::sync::MutexGuard<'_, Trace> {
    // Nothing panics while the lock is held; the trace stays valid.
    record
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

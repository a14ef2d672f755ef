//! Exercise: a pool that keeps the order.
//!
//! The chapter's pool runs jobs and forgets them: a job that wants to give
//! something back must bring its own channel. Often the caller has a list
//! of inputs and wants the list of outputs, in the same order: resize these
//! photos, fetch these pages. The workers finish in whatever order the
//! work and the scheduler decide, so the results have to be put back in
//! order.
//!
//! Write `ordered_map`: start `workers` worker threads (fewer if there are
//! fewer items) that take items from one shared queue, so that whichever
//! worker is free takes the next item, call `f` on each item exactly once,
//! and return the results in the order of `items`.
//!
//! Hints: run the workers in a `thread::scope`, so that they may borrow
//! `f`. Number the items (`enumerate`) and send `(index, item)` on a
//! bounded crossbeam channel (`crossbeam_channel::bounded`), whose receiver
//! every worker clones, as the pool does; each worker sends
//! `(index, result)` back on a second channel, and the calling thread puts
//! each result in its place (a `Vec<Option<R>>` has a place for each).
//! Mind who holds a sender: a loop over a receiver ends only when every
//! sender is gone, including the calling thread's own. And a bounded queue
//! that nobody empties blocks its sender: think about which channel may be
//! bounded while the calling thread both sends items and collects results.

/// Calls `f` on every item on `workers` threads that share one queue of
/// items; returns the results in the order of `items`.
///
/// # Panics
/// If `workers` is 0, and if `f` panics.
pub fn ordered_map<T: Send, R: Send>(
    items: Vec<T>,
    workers: usize,
    f: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    let _ = (items, workers, f);
    todo!("share the items among workers, then put the results in order")
}

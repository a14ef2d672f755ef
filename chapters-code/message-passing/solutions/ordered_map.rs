//! The book's solution to the exercise in `src/exercises/ordered_map.rs`.

use std::sync::mpsc;
use std::thread;

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
    assert!(workers > 0, "ordered_map needs at least one worker");
    let count = items.len();
    let f = &f;
    // Items wait in a bounded queue; results in an unbounded one, so that
    // a worker never waits to hand a result back while the calling thread
    // waits for room to send the next item.
    let (item_tx, item_rx) = crossbeam_channel::bounded::<(usize, T)>(workers);
    let (result_tx, result_rx) = mpsc::channel::<(usize, R)>();
    let mut results: Vec<Option<R>> = (0..count).map(|_| None).collect();
    thread::scope(|scope| {
        for _ in 0..workers.min(count) {
            let (item_rx, result_tx) = (item_rx.clone(), result_tx.clone());
            scope.spawn(move || {
                for (index, item) in item_rx {
                    // The calling thread stops collecting only if a worker
                    // panicked; then the result no longer matters.
                    let _ = result_tx.send((index, f(item)));
                }
            });
        }
        // Only the workers may hold these: when the last worker ends, the
        // result channel is closed and the loop below ends.
        drop((item_rx, result_tx));
        for (index, item) in items.into_iter().enumerate() {
            // Fails only if every worker is gone (they panicked): the
            // scope passes the panic on.
            if item_tx.send((index, item)).is_err() {
                break;
            }
        }
        // No more items: each worker ends once the queue is empty.
        drop(item_tx);
        for (index, result) in result_rx {
            results[index] = Some(result);
        }
    });
    results
        .into_iter()
        .map(|r| r.expect("every item had a result"))
        .collect()
}

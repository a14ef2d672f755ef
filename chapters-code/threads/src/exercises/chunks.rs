//! Exercise: a slice in chunks, a thread per chunk.
//!
//! Adding up a million numbers on one thread uses one core. Cut the slice
//! into as many pieces as there are cores, give each piece to a thread, and
//! add the threads' sums: each core adds a share, and the answer is the
//! same. This is the most common way to put threads to work, and the
//! chapter has all it needs: threads that borrow in a `thread::scope`, and
//! `join` that hands back each thread's result, or its panic.
//!
//! Write `in_chunks`: cut `items` into `threads` contiguous pieces (fewer if
//! there are fewer items than that, and none for no items) whose lengths
//! differ by at most one, run `work` on each piece on a thread of its own,
//! all at the same time, and return the results in the order of the
//! pieces. A parallel sum is then
//! `in_chunks(&numbers, 4, |c| c.iter().sum::<u64>()).iter().sum()`.
//!
//! If `work` panics, `in_chunks` must panic with that same panic, so that
//! the caller sees the real message. (A scope whose thread panicked panics
//! too, but with a message of its own, "a scoped thread panicked".)
//!
//! Hints: `n` items in `k` pieces make pieces of `n / k` items, of which
//! the first `n % k` get one more. `slice.split_at(len)` cuts off a piece.
//! Keep the `ScopedJoinHandle`s that `scope.spawn` returns, in order, and
//! `join` them yourself before the scope ends; `join` gives `Err(payload)`
//! for a thread that panicked, and `std::panic::resume_unwind(payload)`
//! continues that panic in the calling thread.

/// Runs `work` on `items` cut into at most `threads` contiguous pieces, of
/// lengths that differ by at most one, each on its own thread at the same
/// time; returns the results in the order of the pieces.
///
/// # Panics
/// If `threads` is 0, and with `work`'s own panic if `work` panics.
pub fn in_chunks<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    work: impl Fn(&[T]) -> R + Sync,
) -> Vec<R> {
    let _ = (items, threads, work);
    todo!("cut the slice into pieces and give each to a scoped thread")
}

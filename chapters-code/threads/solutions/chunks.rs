//! The book's solution to the exercise in `src/exercises/chunks.rs`.

use std::panic;
use std::thread;

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
    assert!(threads > 0, "in_chunks needs at least one thread");
    let pieces = threads.min(items.len());
    if pieces == 0 {
        return Vec::new();
    }
    let (short, longer) = (items.len() / pieces, items.len() % pieces);
    let work = &work;
    thread::scope(|scope| {
        let mut rest = items;
        let mut handles = Vec::with_capacity(pieces);
        for i in 0..pieces {
            let len = short + usize::from(i < longer);
            let (piece, after) = rest.split_at(len);
            rest = after;
            handles.push(scope.spawn(move || work(piece)));
        }
        handles
            .into_iter()
            // Joined here, a panic comes back as the payload `work` gave
            // it; passed on as it is, the caller sees the real message.
            .map(|h| h.join().unwrap_or_else(|p| panic::resume_unwind(p)))
            .collect()
    })
}

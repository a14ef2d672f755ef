//! Solution: offload the computation.
//!
//! The closure goes to the pool with the sending half of a oneshot
//! channel; the task awaits the receiving half, which returns `Pending`
//! until the pool has sent, so the runtime's thread is free meanwhile.
//! `catch_unwind` on the pool's thread turns a panic into a value that
//! travels the same way.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

use tokio::sync::oneshot;

/// The computation panicked; the panic's message, if it had one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panicked(pub String);

/// The text of a panic's payload: `panic!` with a literal gives a
/// `&'static str`, with a format a `String`.
fn message(payload: Box<dyn Any + Send>) -> String {
    match payload.downcast::<String>() {
        Ok(s) => *s,
        Err(payload) => payload.downcast_ref::<&'static str>().map_or_else(
            || "a panic without a message".into(),
            |s| s.to_string(),
        ),
    }
}

// ANCHOR: offload
/// Runs `f` on `pool` and awaits its result.
pub async fn offload<T, F>(
    pool: &rayon::ThreadPool,
    f: F,
) -> Result<T, Panicked>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let (tx, rx) = oneshot::channel();
    pool.spawn(move || {
        // `f` is consumed by the call, and nothing it touched is used after
        // a panic except its payload: asserting unwind safety is sound.
        let result =
            catch_unwind(AssertUnwindSafe(f)).map_err(|p| Panicked(message(p)));
        // If the awaiting task was dropped (cancelled), nobody wants it.
        let _ = tx.send(result);
    });
    // The sender is dropped unsent only if the pool dropped the job
    // unrun, which rayon does not do; say so rather than hang.
    rx.await
        .unwrap_or_else(|_| Err(Panicked("the pool dropped the job".into())))
}
// ANCHOR_END: offload

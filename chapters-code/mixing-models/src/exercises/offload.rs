//! Exercise: offload the computation.
//!
//! An async handler must run a CPU-heavy function, but it runs on a
//! current-thread runtime whose one thread also serves everybody else.
//! Write `offload`: run `f` on the rayon pool `pool`, and give its result
//! back to the awaiting task, without ever blocking the runtime's thread.
//! If `f` panics, `offload` returns `Err(Panicked(message))`: the caller
//! neither panics nor waits forever.
//!
//! Hints: `pool.spawn` runs a closure on the pool and returns at once; a
//! `tokio::sync::oneshot` channel carries one value from any thread to a
//! task that awaits it; `std::panic::catch_unwind` turns a panic into an
//! `Err` holding the panic's payload, usually a `&'static str` or a
//! `String`.

/// The computation panicked; the panic's message, if it had one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panicked(pub String);

/// Runs `f` on `pool` and awaits its result.
pub async fn offload<T, F>(
    pool: &rayon::ThreadPool,
    f: F,
) -> Result<T, Panicked>
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    let _ = (pool, f);
    todo!("run f on the pool, await its result through a oneshot")
}

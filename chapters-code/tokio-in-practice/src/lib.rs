//! The Tokio chapter.
//!
//! The runtime the book built by hand in the futures chapter and the
//! executor chapter, in its industrial form, and what it does and does not
//! do for you:
//!
//! - [`echo`]: the echo server, version 7, on tokio: a task per
//!   connection, timeouts, a cap, graceful shutdown; it passes the blocking
//!   I/O chapter's conformance suite.
//! - [`cancel`]: cancellation by drop, seen from inside the dropped future.
//! - [`stall`]: a blocking call inside a task stalls every task of its
//!   thread; `spawn_blocking` and a rayon pool move it away. Measured.
//! - [`files`]: `tokio::fs` reads on the blocking pool, since a file is
//!   never "not ready"; beside `std::fs` in a task, which stalls, measured.
//! - [`guards`]: a `std` guard held across an `.await` hangs a
//!   current-thread runtime; scoping it, or tokio's `Mutex`, fixes it.
//! - [`starve`]: a task that never yields, and the cooperative budget.
//! - [`backpressure`]: a bounded channel holds a producer to its consumer's
//!   pace; a semaphore caps the work in flight.
//! - [`runtimes`]: the same CPU-heavy tasks on a current-thread and a
//!   multi-thread runtime.
//! - [`retry`]: retrying with exponential backoff, tested in paused time.

pub mod backpressure;
pub mod cancel;
pub mod echo;
pub mod exercises;
pub mod files;
pub mod guards;
pub mod retry;
pub mod runtimes;
pub mod stall;
pub mod starve;

use std::time::Duration;

/// Milliseconds, with one decimal, for tables.
pub fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1e3)
}

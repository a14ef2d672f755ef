//! A guard for tests of concurrent code: a test that hangs (a lost wake-up,
//! a receive loop whose senders never all drop) should fail, not stall the
//! whole test run.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// Runs `f` on a thread of its own and returns what it returned.
///
/// # Panics
/// If `f` panicked, or has not returned within `limit`; the message names
/// `what` (e.g. "ordered_map returned (did it panic, or hang?)").
pub fn guarded<R: Send + 'static>(
    limit: Duration,
    what: &str,
    f: impl FnOnce() -> R + Send + 'static,
) -> R {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("{what} returned (did it panic, or hang?)"))
}

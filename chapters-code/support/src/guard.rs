//! Two helpers for tests of concurrent code.
//!
//! - [`guarded`]: a test that hangs (a lost wake-up, a receive loop whose
//!   senders never all drop) should fail, not stall the whole test run.
//! - [`take_turns`]: tests of one test program run on parallel threads;
//!   those that time something, or race threads against each other, take
//!   turns so that they do not fight for the cores.

use std::sync::{Mutex, MutexGuard, mpsc};
use std::thread;
use std::time::Duration;

/// Runs `f` on a thread of its own and returns what it returned.
///
/// # Panics
/// If `f` panicked (with `f`'s own panic), or has not returned within
/// `limit`; the message then names `what` (e.g. "ordered_map returned").
pub fn guarded<R: Send + 'static>(
    limit: Duration,
    what: &str,
    f: impl FnOnce() -> R + Send + 'static,
) -> R {
    let (tx, rx) = mpsc::channel();
    let thread = thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(limit) {
        Ok(value) => value,
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            // `f` panicked before it could send: pass its panic on.
            match thread.join() {
                Err(panic) => std::panic::resume_unwind(panic),
                Ok(()) => {
                    panic!("{what}: the guarded thread ended without a result")
                }
            }
        }
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("{what}: not within {limit:?} (did it hang?)")
        }
    }
}

/// Waits for this test's turn and holds it until the guard is dropped.
pub fn take_turns() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    // A test that failed while holding the turn poisons it; the next test
    // may still run.
    TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_comes_back() {
        assert_eq!(guarded(Duration::from_secs(10), "adding", || 2 + 2), 4);
    }

    #[test]
    #[should_panic(expected = "the inner panic")]
    fn a_panic_is_passed_on() {
        guarded(Duration::from_secs(10), "panicking", || {
            panic!("the inner panic")
        });
    }

    #[test]
    #[should_panic(expected = "sleeping: not within")]
    fn a_hang_fails_with_its_name() {
        guarded(Duration::from_millis(50), "sleeping", || {
            thread::sleep(Duration::from_secs(5))
        });
    }
}

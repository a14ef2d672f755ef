//! Three ways to wait for another thread to say "done": two that keep the
//! core busy, and one that sleeps.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};

// ANCHOR: waiting
/// Busy-waits by trying a lock again and again, looking at the flag inside.
pub fn wait_by_try_lock(done: &Mutex<bool>) {
    loop {
        // A held lock or a poisoned one: either way, try again.
        if let Ok(done) = done.try_lock()
            && *done
        {
            return;
        }
    }
}

/// Busy-waits on an atomic flag.
pub fn wait_by_spinning(done: &AtomicBool) {
    while !done.load(Ordering::Acquire) {
        std::hint::spin_loop();
    }
}

/// Sleeps until woken: the kernel runs other threads meanwhile.
pub fn wait_by_sleeping(done: &Mutex<bool>, changed: &Condvar) {
    // Nothing panics while holding this lock in this module: unwrap is safe.
    let guard = done.lock().unwrap();
    drop(changed.wait_while(guard, |done| !*done).unwrap());
}
// ANCHOR_END: waiting

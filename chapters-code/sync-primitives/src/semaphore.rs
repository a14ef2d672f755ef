//! A counting semaphore: a number of *permits*. Acquiring takes one, waiting
//! while there are none; dropping the permit gives it back. With one permit
//! it is a mutex; with ten, it lets ten threads in at once.
//!
//! Built from a `Mutex<usize>` (permits left) and a `Condvar` to sleep on
//! until a permit comes back: waiters do not burn a core.

use crate::sync::{Condvar, Mutex};

// ANCHOR: semaphore
/// At most `permits` holders at a time.
pub struct Semaphore {
    available: Mutex<usize>,
    returned: Condvar,
}

impl Semaphore {
    /// A semaphore with `permits` permits.
    pub fn new(permits: usize) -> Self {
        Semaphore {
            available: Mutex::new(permits),
            returned: Condvar::new(),
        }
    }

    /// Waits for a permit and takes it.
    pub fn acquire(&self) -> Permit<'_> {
        // The count is only read and written under the lock, by code that
        // cannot panic: the lock is never poisoned, so unwrap is safe.
        let mut available = self.available.lock().unwrap();
        while *available == 0 {
            // Sleeps, releasing the lock, until a permit is given back.
            available = self.returned.wait(available).unwrap();
        }
        *available -= 1;
        Permit { semaphore: self }
    }
}

/// A permit; dropping it gives it back.
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        *self.semaphore.available.lock().unwrap() += 1;
        self.semaphore.returned.notify_one();
    }
}
// ANCHOR_END: semaphore

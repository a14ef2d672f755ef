//! The lock the chapter's model-checked code uses: the standard library's
//! `Mutex` normally, and under `--cfg shuttle` one that shuttle schedules, so
//! that `tests/shuttle.rs` can run the very same [`crate::transfer`] code in
//! every interleaving, deadlocks included.
//!
//! Under shuttle the lock is a thin wrapper that also writes down, for the
//! page's interleaving player, which thread did what at which line of the
//! chapter ([`support::schedule`]); `#[track_caller]` makes that line the
//! one that called `lock()`.

#[cfg(not(shuttle))]
pub use std::sync::{Mutex, MutexGuard};

#[cfg(shuttle)]
pub use recorded::{Mutex, MutexGuard};

#[cfg(shuttle)]
mod recorded {
    use std::fmt::Debug;
    use std::ops::{Deref, DerefMut};
    use std::panic::Location;
    use std::sync::{LockResult, PoisonError, TryLockError};

    use support::schedule;

    fn thread() -> String {
        format!("{:?}", shuttle::thread::current().id())
    }

    /// Shuttle's mutex, recording each lock, wait and unlock.
    #[derive(Debug, Default)]
    pub struct Mutex<T> {
        inner: shuttle::sync::Mutex<T>,
    }

    /// The guard of a [`Mutex`]; dropping it unlocks, and records that.
    #[derive(Debug)]
    pub struct MutexGuard<'a, T: Debug> {
        /// `None` only inside `drop`, which lets go of it before recording.
        inner: Option<shuttle::sync::MutexGuard<'a, T>>,
        address: usize,
        /// Where the lock was taken: the unlock is drawn on that line too.
        at: &'static Location<'static>,
    }

    impl<T> Mutex<T> {
        pub fn new(value: T) -> Mutex<T> {
            Mutex {
                inner: shuttle::sync::Mutex::new(value),
            }
        }

        fn address(&self) -> usize {
            self as *const Self as usize
        }
    }

    impl<T: Debug> Mutex<T> {
        /// Locks, recording a wait (if another thread holds the lock) and
        /// then the lock.
        #[track_caller]
        pub fn lock(&self) -> LockResult<MutexGuard<'_, T>> {
            let at = Location::caller();
            // Shuttle may switch threads just before it tries to take the
            // lock. Had we checked for a holder before that switch, the
            // other thread could take the lock in it, and this one would
            // wait without a record. So first try: the try is a switch and
            // then an attempt, with nothing in between.
            let (inner, poisoned) = match self.inner.try_lock() {
                Ok(guard) => (guard, false),
                Err(TryLockError::Poisoned(p)) => (p.into_inner(), true),
                Err(TryLockError::WouldBlock) => {
                    // Held by another thread right now, and no switch comes
                    // before `lock()` blocks: this wait is real.
                    schedule::before_lock(thread(), at, self.address());
                    match self.inner.lock() {
                        Ok(guard) => (guard, false),
                        Err(p) => (p.into_inner(), true),
                    }
                }
            };
            schedule::locked(
                thread(),
                at,
                self.address(),
                format!("{:?}", *inner),
            );
            let guard = MutexGuard {
                inner: Some(inner),
                address: self.address(),
                at,
            };
            if poisoned {
                Err(PoisonError::new(guard))
            } else {
                Ok(guard)
            }
        }
    }

    impl<T: Debug> Deref for MutexGuard<'_, T> {
        type Target = T;
        fn deref(&self) -> &T {
            self.inner
                .as_ref()
                .expect("the guard is only taken out in drop")
        }
    }

    impl<T: Debug> DerefMut for MutexGuard<'_, T> {
        fn deref_mut(&mut self) -> &mut T {
            self.inner
                .as_mut()
                .expect("the guard is only taken out in drop")
        }
    }

    impl<T: Debug> Drop for MutexGuard<'_, T> {
        fn drop(&mut self) {
            let Some(inner) = self.inner.take() else {
                return;
            };
            let value = format!("{:?}", *inner);
            // Shuttle's unlock is a switch and then the release. Recording
            // after it keeps the record true at every switch: until the
            // release, the lock is still held, and a thread that tries it
            // then is recorded as waiting.
            drop(inner);
            schedule::unlocked(thread(), self.at, self.address, value);
        }
    }
}

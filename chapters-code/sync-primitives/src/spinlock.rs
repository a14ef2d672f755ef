//! A spinlock: a lock whose waiters never sleep. A thread that finds it taken
//! keeps trying, burning its core, until the holder lets go.
//!
//! It is built from one atomic boolean. Taking the lock is a
//! compare-and-swap from `false` to `true`; the `Acquire` ordering on success
//! means that everything the previous holder wrote before it released the
//! lock (with `Release`) is visible to the new holder.

use std::marker::PhantomData;
#[cfg(not(loom))]
use std::ops::{Deref, DerefMut};

use crate::sync::{AtomicBool, Ordering, UnsafeCell, spin_hint};

// ANCHOR: spinlock
/// A lock around a `T` that waiters wait for by spinning.
pub struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// SAFETY: the lock hands out access to the value to one thread at a time,
// so sharing a `SpinLock` between threads is like sending the `T` from one
// thread to another: fine when `T: Send`.
unsafe impl<T: Send> Sync for SpinLock<T> {}

impl<T> SpinLock<T> {
    /// A lock, not taken, around `value`.
    pub fn new(value: T) -> Self {
        SpinLock {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    /// Spins until the lock is free, takes it, and returns a guard that
    /// releases it when dropped.
    pub fn lock(&self) -> SpinGuard<'_, T> {
        while self
            .locked
            .compare_exchange_weak(
                false,
                true,
                Ordering::Acquire,
                Ordering::Relaxed,
            )
            .is_err()
        {
            // Taken: wait until it looks free before trying the (costlier)
            // compare-and-swap again.
            while self.locked.load(Ordering::Relaxed) {
                spin_hint();
            }
        }
        SpinGuard {
            lock: self,
            _not_auto: PhantomData,
        }
    }
}

/// Access to the value while the lock is held.
///
/// Two threads may not share one guard unless `T` is `Sync`; this does not
/// compile:
///
/// ```compile_fail
/// use std::cell::Cell;
/// use sync_primitives::spinlock::SpinLock;
/// let lock = SpinLock::new(Cell::new(0));
/// let guard = lock.lock();
/// std::thread::scope(|s| {
///     s.spawn(|| guard.set(guard.get() + 1));
/// });
/// ```
pub struct SpinGuard<'a, T> {
    lock: &'a SpinLock<T>,
    /// Opts out of the `Send` and `Sync` the compiler would derive from
    /// `&SpinLock<T>`: that `Sync` would let two threads share one guard, and
    /// so the `T`, when `T` is `Send` but not `Sync` (a `Cell`, say).
    _not_auto: PhantomData<*const ()>,
}

// SAFETY: sharing a guard shares `&T` between threads: fine when `T: Sync`,
// exactly as for `&T` itself.
unsafe impl<T: Sync> Sync for SpinGuard<'_, T> {}

impl<T> Drop for SpinGuard<'_, T> {
    fn drop(&mut self) {
        // Release: our writes to the value happen before the next lock().
        self.lock.locked.store(false, Ordering::Release);
    }
}
// ANCHOR_END: spinlock

impl<T> SpinGuard<'_, T> {
    /// Runs `f` with shared access to the value.
    pub fn with<R>(&self, f: impl FnOnce(&T) -> R) -> R {
        // SAFETY: this guard exists only while the lock is held, so no other
        // thread has access to the value.
        self.lock.value.with(|ptr| f(unsafe { &*ptr }))
    }

    /// Runs `f` with exclusive access to the value.
    pub fn with_mut<R>(&mut self, f: impl FnOnce(&mut T) -> R) -> R {
        // SAFETY: as in `with`, and `&mut self` means this guard lends the
        // value out once at a time.
        self.lock.value.with_mut(|ptr| f(unsafe { &mut *ptr }))
    }
}

#[cfg(not(loom))]
impl<T> Deref for SpinGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard exists only while the lock is held.
        self.lock.value.with(|ptr| unsafe { &*ptr })
    }
}

#[cfg(not(loom))]
impl<T> DerefMut for SpinGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard exists only while the lock is held, and `&mut
        // self` lends the value out once at a time.
        self.lock.value.with_mut(|ptr| unsafe { &mut *ptr })
    }
}

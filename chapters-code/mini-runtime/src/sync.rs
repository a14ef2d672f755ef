//! The lock and atomics the executor's queue and wakers use: the standard
//! library's normally, loom's under `--cfg loom`, so that the same code can
//! be model-checked. `Arc` stays the standard one in both: a `Waker` is
//! built from a `std::sync::Arc`.

#[cfg(not(loom))]
pub(crate) use std::sync::atomic::{AtomicBool, Ordering};
#[cfg(not(loom))]
pub(crate) use std::sync::{Mutex, MutexGuard};

#[cfg(loom)]
pub(crate) use loom::sync::atomic::{AtomicBool, Ordering};
#[cfg(loom)]
pub(crate) use loom::sync::{Mutex, MutexGuard};

/// Locks `mutex`. A panic in a task while it held one of our locks leaves
/// data that is still valid (a queue, a slot), so poisoning is ignored.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

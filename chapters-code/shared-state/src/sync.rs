//! The atomic types and the lock the chapter's model-checked code uses: the
//! standard library's normally, a model checker's under `--cfg loom` or
//! `--cfg shuttle`, so that `tests/loom.rs` and `tests/shuttle.rs` can run
//! the very same code under it. Loom lists every final count of the racy
//! loop, and every value the fenced mailbox can deliver. (The
//! synchronization toolbox chapter introduces loom properly.)
//!
//! Under a checker each type is a thin wrapper that also writes down, for
//! the page's interleaving players, which line of the chapter did what
//! (`support::schedule::checked`).

#[cfg(not(any(loom, shuttle)))]
pub use std::sync::atomic::{AtomicBool, AtomicU64, fence};
#[cfg(not(any(loom, shuttle)))]
pub use std::sync::{Mutex, MutexGuard};

#[cfg(any(loom, shuttle))]
pub use support::schedule::checked::{
    AtomicBool, AtomicU64, Mutex, MutexGuard,
};
#[cfg(any(loom, shuttle))]
pub use support::schedule::checker;
#[cfg(any(loom, shuttle))]
pub use support::schedule::checker::sync::atomic::fence;

/// One round of waiting for another thread: spin, or after a while sleep
/// (see [`crate::trials::pause`]).
#[cfg(not(any(loom, shuttle)))]
pub fn wait_a_little(spins: &mut u32) {
    crate::trials::pause(spins);
}

/// One round of waiting for another thread. Under a model checker, a
/// waiting loop must yield, so that it runs the thread it waits for.
#[cfg(any(loom, shuttle))]
pub fn wait_a_little(_spins: &mut u32) {
    checker::thread::yield_now();
}

//! The atomic types the chapter's model-checked code uses: the standard
//! library's normally, loom's under `--cfg loom`, so that `tests/loom.rs` can
//! run the very same code under a model checker. It lists every final count
//! of the racy loop, and every value the fenced mailbox can deliver. (The
//! synchronization toolbox chapter introduces loom properly.)

#[cfg(not(loom))]
pub use std::sync::atomic::{AtomicBool, AtomicU64, fence};

#[cfg(loom)]
pub use loom::sync::atomic::{AtomicBool, AtomicU64, fence};

/// One round of waiting for another thread: spin, or after a while sleep
/// (see [`crate::trials::pause`]).
#[cfg(not(loom))]
pub fn wait_a_little(spins: &mut u32) {
    crate::trials::pause(spins);
}

/// One round of waiting for another thread. Under loom, a waiting loop must
/// yield, so that loom runs the thread it waits for.
#[cfg(loom)]
pub fn wait_a_little(_spins: &mut u32) {
    loom::thread::yield_now();
}

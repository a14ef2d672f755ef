//! The lock the chapter's model-checked code uses: the standard library's
//! `Mutex` normally, and under `--cfg shuttle` one that shuttle schedules, so
//! that `tests/shuttle.rs` can run the very same [`crate::transfer`] code in
//! every interleaving, deadlocks included.
//!
//! Under shuttle the lock is a thin wrapper that also writes down, for the
//! page's interleaving player, which thread did what at which line of the
//! chapter (`support::schedule::checked`); `#[track_caller]` makes that line
//! the one that called `lock()`.

#[cfg(not(shuttle))]
pub use std::sync::{Mutex, MutexGuard};

#[cfg(shuttle)]
pub use support::schedule::checked::{Mutex, MutexGuard};

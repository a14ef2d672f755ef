//! The lock and condition variable the pool's sleep/wake protocol uses: the
//! standard library's normally, loom's under `--cfg loom`, so that the same
//! code can be model-checked (`tests/loom.rs`). Only what `sleep.rs` needs
//! is here.

#[cfg(not(loom))]
pub(crate) use std::sync::{Condvar, Mutex, MutexGuard};

#[cfg(loom)]
pub(crate) use loom::sync::{Condvar, Mutex, MutexGuard};

//! The atomic counter the lost update races on: the standard library's
//! normally, loom's under `--cfg loom`, so that `tests/loom.rs` can run the
//! very same racy loop under a model checker and list every final count the
//! loop can produce. (The synchronization toolbox chapter introduces loom
//! properly.)

#[cfg(not(loom))]
pub use std::sync::atomic::AtomicU64;

#[cfg(loom)]
pub use loom::sync::atomic::AtomicU64;

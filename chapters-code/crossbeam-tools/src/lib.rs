//! Crossbeam (Part IV): the programs behind the chapter's cells.
//!
//! - [`scoped`]: crossbeam's scoped threads next to the standard library's.
//! - [`pool`]: a work-stealing thread pool on crossbeam-deque, whose idle
//!   workers sleep with the protocol of [`sleep`] (model-checked with loom
//!   in `tests/loom.rs`).
//! - [`queues`]: crossbeam-queue's `ArrayQueue` and `SegQueue` next to a
//!   `Mutex<VecDeque>`, under several producers and consumers.
//! - [`padded`]: `CachePadded`, and what false sharing costs without it.
//! - [`treiber`]: a lock-free stack whose removed nodes are freed by
//!   crossbeam-epoch.

#[cfg(not(loom))]
pub mod exercises;
#[cfg(not(loom))]
pub mod padded;
#[cfg(not(loom))]
pub mod pool;
#[cfg(not(loom))]
pub mod queues;
#[cfg(not(loom))]
pub mod scoped;
pub mod sleep;
mod sync;
#[cfg(not(loom))]
pub mod treiber;

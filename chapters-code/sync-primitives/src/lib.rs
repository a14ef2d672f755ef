//! The chapter *The synchronization toolbox*: the programs behind its cells.
//!
//! Hand-built primitives, each small enough to read in one sitting and
//! checked with loom (`tests/loom.rs`):
//! - [`spinlock`]: a lock whose waiters spin;
//! - [`semaphore`]: a counting semaphore, from a mutex and a condition
//!   variable;
//! - [`oneshot`]: a one-shot channel, from an atomic flag and thread parking.
//!
//! And [`waiting`]: what waiting costs when it spins and when it sleeps;
//! [`once`]: a value built once, by whichever thread needs it first
//! (`OnceLock`, `LazyLock`, and the `Mutex<Option<T>>` they replace);
//! [`local`]: thread-local storage, and a destructor that runs when a
//! thread exits.

pub mod exercises;
#[cfg(not(loom))]
pub mod local;
#[cfg(not(loom))]
pub mod once;
pub mod oneshot;
pub mod semaphore;
pub mod spinlock;
mod sync;
#[cfg(not(loom))]
pub mod waiting;

//! *An executor and a reactor*: a small async runtime, built on the
//! futures chapter's futures and the event loop chapter's mio.
//!
//! - [`executor`]: a run queue of tasks, [`spawn`] with a [`JoinHandle`],
//!   and `block_on`, which sleeps when no task is ready;
//! - [`reactor`]: sockets and timers, and the wakers waiting on them,
//!   turned into wakes by mio's `poll`;
//! - [`runtime`]: the two together;
//! - [`net`]: an async `TcpListener` and `TcpStream`; [`time`]: `sleep`
//!   and `timeout`; [`future`]: `select` and `yield_now`; [`channel`]: a
//!   channel between tasks; [`shutdown`]: a stop signal and a session
//!   counter;
//! - [`echo`]: the echo server, version 6, with async/await;
//! - [`coop`]: a task that never yields starves the others;
//! - [`ping_pong`]: two tasks exchange a message, recorded message by
//!   message for the book's stepper.
//!
//! `tests/loom.rs` model-checks the executor's queue and wakers under
//! `--cfg loom`; only the executor is compiled then.

#[cfg(not(loom))]
pub mod channel;
#[cfg(not(loom))]
pub mod coop;
#[cfg(not(loom))]
pub mod echo;
pub mod executor;
#[cfg(not(loom))]
pub mod exercises;
pub mod future;
pub mod join_handle;
#[cfg(not(loom))]
pub mod net;
#[cfg(not(loom))]
pub mod ping_pong;
#[cfg(not(loom))]
pub mod reactor;
#[cfg(not(loom))]
pub mod runtime;
#[cfg(not(loom))]
pub mod shutdown;
mod slab;
mod sync;
pub mod task;
#[cfg(not(loom))]
pub mod time;

pub use executor::spawn;
pub use join_handle::JoinHandle;
#[cfg(not(loom))]
pub use runtime::{Runtime, block_on};

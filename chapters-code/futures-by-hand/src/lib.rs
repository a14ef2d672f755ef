//! The chapter *Futures by hand*: the programs behind its cells.
//!
//! Everything here uses the standard library only; no async runtime.
//! - [`countdown`]: the smallest useful future, `Pending` a few times;
//! - [`completion`]: a slot where a result is announced and a waker waits;
//! - [`timer`]: a future that is ready after a delay, woken by a thread;
//! - [`block_on`]: run one future to completion on the current thread,
//!   parking the thread while the future waits;
//! - [`join`]: run two futures at once on one thread;
//! - [`state_machine`]: an `async fn` and the enum it amounts to;
//! - [`combinators`]: `map` and `then`, futures built from futures;
//! - [`callbacks`]: a tiny callback event loop, the style futures replace;
//! - [`wakers`]: a waker that counts its wake-ups, for tests and cells.
//!
//! `tests/loom.rs` model-checks the wake-up path (`completion` and
//! `block_on`) under `--cfg loom`, and checks that loom finds the lost
//! wake-up of a `block_on` that clears its flag too late.

pub mod block_on;
#[cfg(not(loom))]
pub mod callbacks;
#[cfg(not(loom))]
pub mod combinators;
pub mod completion;
pub mod countdown;
#[cfg(not(loom))]
pub mod exercises;
#[cfg(not(loom))]
pub mod join;
#[cfg(not(loom))]
pub mod state_machine;
mod sync;
#[cfg(not(loom))]
pub mod timer;
#[cfg(not(loom))]
pub mod wakers;

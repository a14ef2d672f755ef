//! The chapter *Readiness and the event loop*.
//!
//! - [`timer`]: a binary heap of deadlines, which sets `poll`'s timeout.
//! - [`event_loop`]: an event loop built by hand on mio: handlers keyed by
//!   `Token`, timers, a budget per call, a waker to stop it.
//! - [`period`]: a loop with a fixed period that sleeps off the rest of
//!   each turn, against one that sleeps a period after its work.
//! - [`echo`]: version 5 of the echo server, one thread for every client,
//!   on that loop. It passes the blocking I/O chapter's conformance suite.

pub mod echo;
pub mod event_loop;
pub mod exercises;
pub mod period;
pub mod timer;

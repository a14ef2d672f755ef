//! The chapter *Readiness and the event loop*.
//!
//! - [`timer`]: a binary heap of deadlines, which sets `poll`'s timeout.
//! - [`event_loop`]: an event loop built by hand on mio: handlers keyed by
//!   `Token`, timers, a loop quantum, a waker to stop it.
//! - [`echo`]: version 5 of the echo server, one thread for every client,
//!   on that loop. It passes the blocking I/O chapter's conformance suite.

pub mod echo;
pub mod event_loop;
pub mod exercises;
pub mod timer;

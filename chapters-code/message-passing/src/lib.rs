//! The chapter *Message passing*: the programs behind its cells.
//!
//! - [`pipeline`]: a fast producer and a slow consumer joined by a queue,
//!   bounded or not, with the waits of both recorded on a timeline;
//! - [`pool`]: a thread pool built by hand on a bounded channel, whose
//!   workers survive panicking jobs and are joined when the pool drops;
//! - [`actor`]: an actor (private state, a mailbox, one message at a time)
//!   and a supervisor that restarts it when it crashes.

pub mod actor;
pub mod exercises;
pub mod pipeline;
pub mod pool;

//! The chapter *When it goes wrong*: the programs behind its cells.
//!
//! - [`tracked`]: a lock that reports who holds it and who waits for it to a
//!   shared [`tracked::Registry`], which can find a deadlock (a cycle of
//!   threads each waiting for a lock the next one holds), break it by telling
//!   one thread to give up, and check the order locks were taken in.
//! - [`livelock`]: two polite threads that keep stepping aside for each
//!   other, and a randomized back-off that lets one through.
//! - [`starvation`]: a reader-writer lock that lets readers in whenever any
//!   reader is inside, and a fair one that stops new readers while a writer
//!   waits.
//! - [`transfer`]: the bank transfer that deadlocks when two run in opposite
//!   directions, and the fix that locks both accounts in one global order;
//!   [`sync`] gives it a lock that the shuttle model checker can schedule.

pub mod exercises;
pub mod livelock;
pub mod starvation;
pub mod sync;
pub mod tracked;
pub mod transfer;

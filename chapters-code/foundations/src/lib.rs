//! The chapter *Many things at once*: the programs behind its cells.
//!
//! - [`graph`]: a task graph and every order one worker could run it in.
//! - [`schedule`]: running the graph one task at a time, and wave by wave on
//!   several threads.
//! - [`work`]: an I/O-bound job (talking to a slow server) and a CPU-bound one
//!   (counting primes).
//!
//! Timelines, wall/CPU time and pinning to one core come from the `support`
//! crate.

pub mod exercises;
pub mod graph;
pub mod schedule;
pub mod work;

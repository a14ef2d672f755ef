//! Mixing the models (Part IV): the programs behind the chapter's cells.
//!
//! - [`service`]: a slow service on loopback, so that a wait is real I/O
//!   of a known length;
//! - [`mixed`]: three waits and three computations at once on one
//!   current-thread runtime, the computations on a rayon pool (right) or
//!   inside their tasks (wrong);
//! - [`models`]: one burst of requests under the models of nginx, Node, Go
//!   and Erlang, rebuilt on tokio, and one loop with no pool as the base;
//! - [`gil`]: a global interpreter lock, simulated: threads that take
//!   turns to compute, but wait together;
//! - [`supervisor`]: Erlang's "let it crash" on tokio tasks.

pub mod exercises;
pub mod gil;
pub mod mixed;
pub mod models;
pub mod service;
pub mod supervisor;

use std::time::Duration;

/// Milliseconds, rounded, for tables.
pub fn ms(d: Duration) -> String {
    format!("{:.0}", d.as_secs_f64() * 1e3)
}

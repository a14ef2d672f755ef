//! The chapter *Blocking I/O and the echo server*.
//!
//! The book's running example: a TCP line echo server. Every line a client
//! sends comes back byte for byte; the line `bye` ends the session. The
//! protocol lives in [`protocol`], and three servers speak it:
//! [`single`] (one client at a time), [`per_connection`] (a thread per
//! client, with a cap) and [`pool`] (a bounded pool of worker threads). All
//! three start the same way and return a [`server::Server`]. The
//! [`conformance`] suite checks every server of the book against the
//! protocol: these three and those of the chapters after this one.
//! [`cli`] makes a program of any of them, and [`limits`] says how many
//! connections this process may hold (every one is a file descriptor, and
//! for some servers a thread).

pub mod cli;
pub mod conformance;
pub mod demo;
pub mod exercises;
pub mod limits;
pub mod per_connection;
pub mod pool;
pub mod protocol;
pub mod server;
pub mod single;
pub mod stats;

pub use server::{Config, Server};

//! The chapter *Non-blocking I/O and polling*.
//!
//! An I/O has two steps: finding out whether the socket is ready, and
//! moving the bytes. [`corners`] shows the four ways to combine them
//! (block or poll; copy now or be told when the copy is done).
//! [`waiting`] measures what polling a non-blocking socket costs: busy
//! loops burn a core, sleeping loops add latency. [`session`] and
//! [`polling`] are version 4 of the book's echo server: one thread, every
//! socket non-blocking, visited in turn. [`cost`] measures that server
//! with many idle clients.

pub mod corners;
pub mod cost;
pub mod exercises;
pub mod polling;
pub mod session;
pub mod waiting;

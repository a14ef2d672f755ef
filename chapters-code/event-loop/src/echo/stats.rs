//! What version 5 counts, for the cells to show and the tests to check.

use std::sync::atomic::{AtomicU64, Ordering};

/// What the echo server counts, readable from any thread.
#[derive(Debug, Default)]
pub struct EchoStats {
    /// Connections accepted and served.
    pub accepted: AtomicU64,
    /// Connections refused with the busy line.
    pub refused: AtomicU64,
    /// Connections closed because nothing moved for `config.timeout`.
    pub timed_out: AtomicU64,
    /// Lines echoed.
    pub lines: AtomicU64,
    /// Writes that returned `WouldBlock` (our send buffer was full, because
    /// the client's receive window was).
    pub write_would_block: AtomicU64,
    /// Writes that took only part of what they were given.
    pub partial_writes: AtomicU64,
    /// Reads that returned `WouldBlock`: a system call that brought
    /// nothing.
    pub read_would_block: AtomicU64,
    /// Reads that returned less than was asked for, after which the
    /// session stopped reading until the next readable event (see
    /// `drive`).
    pub short_reads: AtomicU64,
    /// Times WRITABLE was added to a connection's interest.
    pub writable_on: AtomicU64,
    /// Times it was removed again, everything sent.
    pub writable_off: AtomicU64,
    /// The most bytes one connection owed its client at once.
    pub max_owed: AtomicU64,
    /// The most bytes one connection held in its buffers at once (echoes
    /// owed, sent ones not yet dropped, and the line in progress).
    pub max_buffered: AtomicU64,
}

pub(super) fn bump(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

//! `CachePadded`: a wrapper that aligns its value to the size of a cache
//! line pair, so that two values written by two threads never share a
//! line. Without it, two counters next to each other in memory sit on the
//! same 64-byte line, and each write by one core takes the line away from
//! the other core: *false sharing*. The threads share no data, yet their
//! caches fight over the line.

use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

use crossbeam_utils::CachePadded;
use data_parallelism::false_sharing;

// ANCHOR: counters
/// Two counters side by side: 16 bytes, on one cache line. (Aligned to 16
/// bytes, so that the pair can never straddle two 64-byte lines.)
#[derive(Debug, Default)]
#[repr(C, align(16))]
pub struct Adjacent {
    pub a: AtomicU64,
    pub b: AtomicU64,
}

/// The same two counters, each padded to its own (pair of) cache lines.
#[derive(Debug, Default)]
pub struct Padded {
    pub a: CachePadded<AtomicU64>,
    pub b: CachePadded<AtomicU64>,
}
// ANCHOR_END: counters

// ANCHOR: hammer
/// Two threads, each adding 1 to its own counter `n` times: the rayon
/// chapter's `hammer`, timed. Returns how long the pair took.
pub fn hammer(a: &AtomicU64, b: &AtomicU64, n: u64) -> Duration {
    let start = Instant::now();
    false_sharing::hammer(&[a, b], n);
    start.elapsed()
}
// ANCHOR_END: hammer

/// How many bytes apart two values are in memory.
pub fn distance<A, B>(a: &A, b: &B) -> usize {
    (a as *const A as usize).abs_diff(b as *const B as usize)
}

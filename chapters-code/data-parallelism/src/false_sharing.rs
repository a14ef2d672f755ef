//! False sharing: threads that never touch each other's data still slow
//! each other down when their data shares a cache line.
//!
//! A cache line is the unit a CPU's caches move around: 64 bytes on x86-64
//! and most ARM cores, 128 bytes on Apple's M-series; some Intel cores also
//! fetch lines in pairs. Before a core writes to a line it must own it
//! exclusively, so two cores writing to two counters in one line pass the
//! line back and forth on every write.

use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

// ANCHOR: layouts
/// Counters side by side: eight bytes each, so the eight of them fill one
/// 64-byte cache line (`align(64)` makes the array start on a line, so the
/// line is always the same one).
#[derive(Debug, Default)]
#[repr(align(64))]
pub struct Adjacent {
    pub counters: [AtomicU64; 8],
}

/// A counter alone on its own line. `align(128)` makes the type start on a
/// multiple of 128 bytes and (since a type's size is a multiple of its
/// alignment) take 128 bytes: two 64-byte lines, which also covers CPUs
/// that fetch lines in pairs and 128-byte lines. (The next chapter's
/// `crossbeam_utils::CachePadded` does this for you, per platform.)
#[derive(Debug, Default)]
#[repr(align(128))]
pub struct PaddedCounter(pub AtomicU64);

/// Eight counters, each on its own line.
#[derive(Debug, Default)]
pub struct Padded {
    pub counters: [PaddedCounter; 8],
}
// ANCHOR_END: layouts

impl Adjacent {
    /// The counters, as references.
    pub fn refs(&self) -> Vec<&AtomicU64> {
        self.counters.iter().collect()
    }
}

impl Padded {
    /// The counters, as references.
    pub fn refs(&self) -> Vec<&AtomicU64> {
        self.counters.iter().map(|c| &c.0).collect()
    }
}

// ANCHOR: hammer
/// Thread `i` adds 1 to `counters[i]`, `increments` times; each thread
/// touches only its own counter. Returns the counters' final values.
pub fn hammer(counters: &[&AtomicU64], increments: u64) -> Vec<u64> {
    thread::scope(|s| {
        for &counter in counters {
            s.spawn(move || {
                for _ in 0..increments {
                    // Relaxed: nobody reads the counter until the threads
                    // are joined, and joining orders everything before it.
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            });
        }
    });
    counters.iter().map(|c| c.load(Ordering::Relaxed)).collect()
}
// ANCHOR_END: hammer

/// The 64-byte line an address falls in.
pub fn cache_line_of(address: *const AtomicU64) -> usize {
    address as usize / 64
}

//! Fences: an ordering that stands on its own, not on an atomic operation.
//!
//! A *fence* (`std::sync::atomic::fence`) is an instruction to the compiler
//! and the processor that orders the thread's memory accesses around the
//! point where it stands, without reading or writing anything itself. It
//! does nothing alone: it takes effect through the atomic operations next
//! to it.
//!
//! - A `Release` fence followed by a store (even `Relaxed`) acts like a
//!   Release store: whoever reads that store, and then orders its own
//!   accesses (with an Acquire load, or a Relaxed load followed by an
//!   Acquire fence), sees everything written before the fence.
//! - An `Acquire` fence after a load (even `Relaxed`) acts like an Acquire
//!   load: if the load read a value from a Release store (or from a store
//!   behind a Release fence), everything after the fence sees what was
//!   written before that store.
//! - A `SeqCst` fence is both, and all SeqCst fences of all threads fall in
//!   one order that every thread agrees on.
//!
//! The same two programs as in [`crate::ordering`], rebuilt with `Relaxed`
//! operations and fences: the [`FencedMailbox`] publishes a value behind a
//! flag, and [`FencedFlags`] is the store-buffering test.

use std::sync::atomic::Ordering::{Acquire, Relaxed, Release, SeqCst};

use crate::ordering::Outcomes;
use crate::sync::{AtomicBool, AtomicU64, fence, wait_a_little};
use crate::trials::race;

/// Whether a program places its fences or leaves them out. Every atomic
/// operation in this module is `Relaxed` either way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fences {
    /// No fence: `Relaxed` operations only.
    Without,
    /// The fences are in place.
    With,
}

impl Fences {
    /// Both, without first.
    pub const BOTH: [Fences; 2] = [Fences::Without, Fences::With];
}

// ANCHOR: fenced_mailbox
/// One thread puts a value in, another waits for it and takes it out; every
/// atomic operation is `Relaxed`, and fences do the ordering.
#[derive(Debug, Default)]
pub struct FencedMailbox {
    data: AtomicU64,
    ready: AtomicBool,
}

impl FencedMailbox {
    /// Writes the data, then raises the flag.
    pub fn send(&self, value: u64, fences: Fences) {
        self.data.store(value, Relaxed);
        if fences == Fences::With {
            // No write before this fence may be seen after a store that
            // follows it: the Relaxed flag store below now publishes the
            // data, as a Release store would.
            fence(Release);
        }
        self.ready.store(true, Relaxed);
    }

    /// Waits until the flag is up, then reads the data.
    pub fn receive(&self, fences: Fences) -> u64 {
        // The loop may read the flag many times. Each read is Relaxed, so
        // none of them pays for ordering...
        let mut spins = 0;
        while !self.ready.load(Relaxed) {
            wait_a_little(&mut spins);
        }
        if fences == Fences::With {
            // ...and this one fence orders the read that saw the flag
            // before every access after it: the data load cannot run early.
            fence(Acquire);
        }
        self.data.load(Relaxed)
    }
}
// ANCHOR_END: fenced_mailbox

impl FencedMailbox {
    /// Empties the mailbox and lowers the flag.
    pub fn reset(&self) {
        self.data.store(0, Relaxed);
        self.ready.store(false, Relaxed);
    }
}

/// Sends `value` through a fenced mailbox `trials` times, from one thread to
/// another, and returns how many times the receiver saw the flag but not
/// the data.
pub fn stale_fenced_receives(
    fences: Fences,
    trials: usize,
    value: u64,
) -> usize {
    assert_ne!(value, 0, "0 is what an empty mailbox holds");
    let mailbox = FencedMailbox::default();
    let results = race(
        trials,
        || mailbox.reset(),
        || mailbox.send(value, fences),
        || mailbox.receive(fences),
    );
    results.iter().filter(|(_, got)| *got != value).count()
}

// ANCHOR: fenced_flags
/// The store-buffering test's two flags, both down.
#[derive(Debug, Default)]
pub struct FencedFlags {
    x: AtomicU64,
    y: AtomicU64,
}

impl FencedFlags {
    /// Thread A: raise x, then look at y.
    pub fn a(&self, fences: Fences) -> u64 {
        self.x.store(1, Relaxed);
        if fences == Fences::With {
            // The store above may not be overtaken by the load below: on
            // x86 this is an `mfence`, which waits for the store buffer to
            // empty.
            fence(SeqCst);
        }
        self.y.load(Relaxed)
    }

    /// Thread B: raise y, then look at x.
    pub fn b(&self, fences: Fences) -> u64 {
        self.y.store(1, Relaxed);
        if fences == Fences::With {
            fence(SeqCst);
        }
        self.x.load(Relaxed)
    }
}
// ANCHOR_END: fenced_flags

impl FencedFlags {
    /// Lowers both flags.
    pub fn reset(&self) {
        self.x.store(0, Relaxed);
        self.y.store(0, Relaxed);
    }
}

/// Runs the store-buffering test `trials` times, with or without the
/// SeqCst fences, and counts each outcome `(r1, r2)`.
pub fn fenced_store_buffering(fences: Fences, trials: usize) -> Outcomes {
    let flags = FencedFlags::default();
    let results = race(
        trials,
        || flags.reset(),
        || flags.a(fences),
        || flags.b(fences),
    );
    let mut outcomes = Outcomes::default();
    for (r1, r2) in results {
        // Each thread read a flag that was only ever 0 or 1.
        outcomes.counts[r1 as usize][r2 as usize] += 1;
    }
    outcomes
}

#[cfg(all(test, not(any(loom, shuttle))))]
mod tests {
    use super::*;

    #[test]
    fn one_thread_sees_its_own_stores_with_or_without_fences() {
        for fences in Fences::BOTH {
            let mailbox = FencedMailbox::default();
            mailbox.send(7, fences);
            assert_eq!(mailbox.receive(fences), 7);
            let flags = FencedFlags::default();
            assert_eq!(flags.a(fences), 0);
            assert_eq!(flags.b(fences), 1);
        }
    }
}

//! Memory ordering: when one thread's writes become visible to another, and
//! in which order.
//!
//! A program's instructions do not reach memory in the order it lists them.
//! The compiler may reorder independent loads and stores, and so may the
//! processor: a core puts its stores in a *store buffer*, a queue on its way
//! to memory, and goes on with the next instructions without waiting for the
//! store to land. Another core sees the store only once it has left the
//! buffer. A single thread never notices, because a core reads its own
//! buffered stores. Another thread can.
//!
//! Every atomic operation therefore takes an [`Ordering`], which says how
//! much order it promises towards the thread's other memory accesses:
//!
//! - `Relaxed`: the operation itself is indivisible, and nothing more. Other
//!   accesses may move before or after it.
//! - `Release` (on a store) and `Acquire` (on a load) work as a pair: a
//!   thread whose Acquire load reads the value of a Release store sees
//!   everything the storing thread wrote before that store.
//! - `SeqCst`, *sequentially consistent*: in addition, all SeqCst operations
//!   of all threads happen in one single order that every thread agrees on,
//!   as if the threads took turns on one core.
//!
//! Two programs here: a [`Mailbox`] that publishes data behind a flag, and
//! the *store-buffering test* ([`store_buffering`]), a *litmus test*: a tiny
//! program whose outcomes tell whether the machine reordered.

use std::sync::atomic::Ordering;

use crate::sync::{AtomicBool, AtomicU64};
use crate::trials::{pause, race};

/// Which orderings a program's atomic stores and loads use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Stores and loads are `Relaxed`.
    Relaxed,
    /// Stores are `Release`, loads are `Acquire`.
    ReleaseAcquire,
    /// Stores and loads are `SeqCst`.
    SeqCst,
}

impl Order {
    /// All three, weakest first.
    pub const ALL: [Order; 3] =
        [Order::Relaxed, Order::ReleaseAcquire, Order::SeqCst];

    /// The ordering for a store.
    pub fn store(self) -> Ordering {
        match self {
            Order::Relaxed => Ordering::Relaxed,
            Order::ReleaseAcquire => Ordering::Release,
            Order::SeqCst => Ordering::SeqCst,
        }
    }

    /// The ordering for a load.
    pub fn load(self) -> Ordering {
        match self {
            Order::Relaxed => Ordering::Relaxed,
            Order::ReleaseAcquire => Ordering::Acquire,
            Order::SeqCst => Ordering::SeqCst,
        }
    }

    /// How the book writes it.
    pub fn name(self) -> &'static str {
        match self {
            Order::Relaxed => "Relaxed",
            Order::ReleaseAcquire => "Release/Acquire",
            Order::SeqCst => "SeqCst",
        }
    }
}

// ANCHOR: mailbox
/// One thread puts a value in, another waits for it and takes it out.
#[derive(Debug, Default)]
pub struct Mailbox {
    data: AtomicU64,
    ready: AtomicBool,
}

impl Mailbox {
    /// Writes the data, then raises the flag.
    pub fn send(&self, value: u64, order: Order) {
        self.data.store(value, Ordering::Relaxed);
        // With Release, the data store above cannot be seen after this one:
        // whoever sees `ready` with Acquire sees the data too.
        self.ready.store(true, order.store());
    }

    /// Waits until the flag is up, then reads the data.
    pub fn receive(&self, order: Order) -> u64 {
        // With Acquire, the data load below cannot happen before this load.
        let mut spins = 0;
        while !self.ready.load(order.load()) {
            pause(&mut spins); // spin a little, then sleep a little
        }
        self.data.load(Ordering::Relaxed)
    }
}
// ANCHOR_END: mailbox

impl Mailbox {
    /// Empties the mailbox and lowers the flag.
    pub fn reset(&self) {
        self.data.store(0, Ordering::Relaxed);
        self.ready.store(false, Ordering::Relaxed);
    }
}

/// Sends `value` through a mailbox `trials` times, from one thread to
/// another, and returns how many times the receiver saw the flag but not
/// the data.
pub fn stale_receives(order: Order, trials: usize, value: u64) -> usize {
    assert_ne!(value, 0, "0 is what an empty mailbox holds");
    let mailbox = Mailbox::default();
    let results = race(
        trials,
        || mailbox.reset(),
        || mailbox.send(value, order),
        || mailbox.receive(order),
    );
    results.iter().filter(|(_, got)| *got != value).count()
}

// ANCHOR: store_buffering
/// Two flags, both down.
#[derive(Debug, Default)]
pub struct TwoFlags {
    x: AtomicU64,
    y: AtomicU64,
}

impl TwoFlags {
    /// Thread A: raise x, then look at y.
    pub fn a(&self, order: Order) -> u64 {
        self.x.store(1, order.store());
        self.y.load(order.load())
    }

    /// Thread B: raise y, then look at x.
    pub fn b(&self, order: Order) -> u64 {
        self.y.store(1, order.store());
        self.x.load(order.load())
    }
}
// ANCHOR_END: store_buffering

#[cfg(any(loom, shuttle))]
impl TwoFlags {
    /// The two flags, for the interleaving player's recording to name.
    pub fn parts(&self) -> (&AtomicU64, &AtomicU64) {
        (&self.x, &self.y)
    }
}

/// How often each outcome `(r1, r2)` of the store-buffering test occurred;
/// `r1` is what A saw of y, `r2` what B saw of x.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Outcomes {
    /// `counts[r1][r2]`.
    pub counts: [[u64; 2]; 2],
}

impl Outcomes {
    /// How many times `(r1, r2)` occurred.
    pub fn of(&self, r1: u64, r2: u64) -> u64 {
        self.counts[r1 as usize][r2 as usize]
    }

    /// Trials in total.
    pub fn trials(&self) -> u64 {
        self.counts.iter().flatten().sum()
    }

    /// Adds the counts of `other`.
    pub fn add(&mut self, other: Outcomes) {
        for (r1, row) in other.counts.iter().enumerate() {
            for (r2, n) in row.iter().enumerate() {
                self.counts[r1][r2] += n;
            }
        }
    }
}

/// Runs the store-buffering test `trials` times with `order`.
pub fn store_buffering(order: Order, trials: usize) -> Outcomes {
    let flags = TwoFlags::default();
    let results = race(
        trials,
        || {
            flags.x.store(0, Ordering::Relaxed);
            flags.y.store(0, Ordering::Relaxed);
        },
        || flags.a(order),
        || flags.b(order),
    );
    let mut outcomes = Outcomes::default();
    for (r1, r2) in results {
        // Each thread read a flag that was only ever 0 or 1.
        outcomes.counts[r1 as usize][r2 as usize] += 1;
    }
    outcomes
}

/// Whether this machine can run two threads at the same instant. On one core
/// the store-buffering reordering cannot show: both threads run on the same
/// core, and a core always sees the stores waiting in its own buffer.
pub fn has_parallel_cores() -> bool {
    crate::trials::several_cores()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_thread_sees_its_own_stores_in_order() {
        // Whatever the ordering, a thread sees its own writes.
        for order in Order::ALL {
            let mailbox = Mailbox::default();
            mailbox.send(7, order);
            assert_eq!(mailbox.receive(order), 7);
            let flags = TwoFlags::default();
            assert_eq!(flags.a(order), 0);
            assert_eq!(flags.b(order), 1);
        }
    }

    #[test]
    fn outcomes_add_up() {
        let mut total = Outcomes::default();
        total.add(Outcomes {
            counts: [[1, 2], [3, 4]],
        });
        total.add(Outcomes {
            counts: [[1, 0], [0, 0]],
        });
        assert_eq!(total.of(0, 0), 2);
        assert_eq!(total.of(1, 1), 4);
        assert_eq!(total.trials(), 11);
    }
}

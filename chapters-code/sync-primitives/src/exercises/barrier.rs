//! Exercise: a barrier, built by hand.
//!
//! `std::sync::Barrier::new(n)` makes every thread that calls `wait` sleep
//! until `n` have called it; then all of them go on, and exactly one is
//! told it is the leader. The chapter's semaphore was built from a mutex
//! and a condition variable; a barrier can be built from the same two.
//!
//! Write [`Barrier`]: `wait` blocks (sleeping, not spinning) until `n`
//! threads have called it, then returns, `true` in exactly one of the `n`
//! threads and `false` in the others. The barrier is reusable: the same `n`
//! threads can wait on it again and again, round after round, as the
//! standard one can.
//!
//! Reuse is the hard part. When the last thread of a round arrives, the
//! others are asleep; before they all wake up and see that the round is
//! over, a fast thread may already be back, waiting in the next round. A
//! count of arrivals that simply goes back to zero cannot tell "my round is
//! over" from "the next round has started", and a sleeper can miss its
//! round and sleep forever. Hint: count the rounds too (a *generation*
//! number), and let each waiter sleep until the generation it arrived in is
//! over, with `Condvar::wait_while`. Remember that a condition variable
//! does not remember a `notify` sent while nobody waited: the condition
//! lives in the data behind the mutex.

use std::sync::{Condvar, Mutex};

/// Lets `n` threads wait for each other, round after round.
#[derive(Debug)]
pub struct Barrier {
    /// Put here what the waiters share; this field is only a start.
    state: Mutex<()>,
    /// Where the waiters sleep until their round is over.
    round_over: Condvar,
    /// How many threads make a round.
    n: usize,
}

impl Barrier {
    /// A barrier for rounds of `n` threads.
    ///
    /// # Panics
    /// If `n` is 0.
    pub fn new(n: usize) -> Barrier {
        assert!(n > 0, "a barrier needs at least one thread");
        Barrier {
            state: Mutex::new(()),
            round_over: Condvar::new(),
            n,
        }
    }

    /// Waits until `n` threads, this one included, have called `wait` in
    /// this round; returns `true` in exactly one of them (the leader).
    pub fn wait(&self) -> bool {
        let _ = (&self.state, &self.round_over, self.n);
        todo!("sleep until the n-th thread of this round arrives")
    }
}

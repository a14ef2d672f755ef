//! The book's solution to the exercise in `src/exercises/barrier.rs`.

use std::sync::{Condvar, Mutex};

/// Lets `n` threads wait for each other, round after round.
#[derive(Debug)]
pub struct Barrier {
    state: Mutex<State>,
    /// Where the waiters sleep until their round is over.
    round_over: Condvar,
    /// How many threads make a round.
    n: usize,
}

#[derive(Debug)]
struct State {
    /// Threads that have arrived in the current round.
    arrived: usize,
    /// The current round's number; it changes when a round is over.
    generation: u64,
}

impl Barrier {
    /// A barrier for rounds of `n` threads.
    ///
    /// # Panics
    /// If `n` is 0.
    pub fn new(n: usize) -> Barrier {
        assert!(n > 0, "a barrier needs at least one thread");
        Barrier {
            state: Mutex::new(State {
                arrived: 0,
                generation: 0,
            }),
            round_over: Condvar::new(),
            n,
        }
    }

    /// Waits until `n` threads, this one included, have called `wait` in
    /// this round; returns `true` in exactly one of them (the leader).
    pub fn wait(&self) -> bool {
        // Nothing panics while the lock is held: it is never poisoned.
        let mut state = self.state.lock().unwrap();
        let mine = state.generation;
        state.arrived += 1;
        if state.arrived == self.n {
            // The last to arrive ends the round, starts the next one, and
            // wakes everyone: it is the leader.
            state.arrived = 0;
            state.generation = state.generation.wrapping_add(1);
            self.round_over.notify_all();
            return true;
        }
        // Sleep until *this* round is over: a count of arrivals would not
        // do, as the next round may already have begun when we wake.
        let _state = self
            .round_over
            .wait_while(state, |s| s.generation == mine)
            .unwrap();
        false
    }
}

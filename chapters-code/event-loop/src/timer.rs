//! Timers for the event loop: a binary heap of deadlines.
//!
//! Each handler has at most one timer. The loop asks for the earliest
//! deadline before it calls `poll`, and uses it as `poll`'s timeout: the
//! kernel wakes the loop for an event or for the next deadline, whichever
//! comes first. After `poll` returns, the loop takes every deadline that has
//! passed and calls those handlers.
//!
//! A binary heap gives the earliest deadline in O(1) and adds one in
//! O(log n). It cannot remove an entry from the middle cheaply, so a timer
//! that is moved or cancelled leaves its old entry behind: the map
//! `current` says which deadline is the real one, and stale entries are
//! skipped when they reach the top ("lazy deletion").

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::time::{Duration, Instant};

use mio::Token;

// ANCHOR: timers
/// One timer per token, earliest deadline first.
#[derive(Debug, Default)]
pub struct Timers {
    /// Every deadline ever set and not yet popped, earliest on top.
    heap: BinaryHeap<Reverse<(Instant, usize)>>,
    /// The deadline that counts for each token.
    current: HashMap<usize, Instant>,
}

impl Timers {
    /// No timers.
    pub fn new() -> Timers {
        Timers::default()
    }

    /// Sets `token`'s timer to `at`, replacing the one it had.
    pub fn set(&mut self, token: Token, at: Instant) {
        self.current.insert(token.0, at);
        self.heap.push(Reverse((at, token.0)));
    }

    /// Cancels `token`'s timer, if it has one.
    pub fn cancel(&mut self, token: Token) {
        self.current.remove(&token.0);
    }

    /// The earliest deadline that still counts.
    pub fn next_deadline(&mut self) -> Option<Instant> {
        self.drop_stale();
        self.heap.peek().map(|Reverse((at, _))| *at)
    }

    /// How long `poll` may sleep: until the earliest deadline (`None`, for
    /// ever, when there is none).
    pub fn poll_timeout(&mut self, now: Instant) -> Option<Duration> {
        self.next_deadline()
            .map(|at| at.saturating_duration_since(now))
    }

    /// Removes and returns the tokens whose deadline is at or before `now`,
    /// earliest first.
    pub fn expired(&mut self, now: Instant) -> Vec<Token> {
        let mut due = Vec::new();
        loop {
            self.drop_stale();
            match self.heap.peek() {
                Some(Reverse((at, token))) if *at <= now => {
                    let token = *token;
                    self.heap.pop();
                    self.current.remove(&token);
                    due.push(Token(token));
                }
                _ => return due,
            }
        }
    }

    /// Pops entries that were replaced or cancelled.
    fn drop_stale(&mut self) {
        while let Some(Reverse((at, token))) = self.heap.peek() {
            if self.current.get(token) == Some(at) {
                return;
            }
            self.heap.pop();
        }
    }
}
// ANCHOR_END: timers

impl Timers {
    /// How many timers count (for the cells' statistics).
    pub fn len(&self) -> usize {
        self.current.len()
    }

    /// Whether no timer counts.
    pub fn is_empty(&self) -> bool {
        self.current.is_empty()
    }

    /// Entries in the heap, stale ones included.
    pub fn heap_len(&self) -> usize {
        self.heap.len()
    }
}

#[cfg(test)]
mod tests;

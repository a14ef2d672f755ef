//! Exercise: a hashed timing wheel.
//!
//! The event loop keeps its timers in a binary heap: exact, and O(log n)
//! to add one. The chapter names the other common structure, the one the
//! Linux kernel and many network servers use: a *hashed timing wheel*. Time
//! is cut into ticks of a fixed length, and the wheel is a ring of
//! `slots` buckets; a timer due at tick `k` goes into bucket `k % slots`.
//! Adding and cancelling cost O(1), and the loop, as time passes, looks
//! only at the buckets of the ticks that went by. The price is precision:
//! a timer fires at a tick, not at its exact deadline.
//!
//! Write `TimerWheel`. Tick `k` is the instant `start + k * tick`. A timer
//! is *due* at the first tick at or after its deadline (a deadline at or
//! before `start` is due at tick 0, `start` itself), so it never fires
//! early, and at most one tick late:
//!
//! - `add(deadline)` returns a new `TimerId`, different from every other.
//! - `cancel(id)` removes a pending timer and returns `true`; for a timer
//!   that has fired, was cancelled already, or never existed, it returns
//!   `false`.
//! - `expired(now)` removes and returns every pending timer due at or
//!   before `now`: the earliest tick first, and timers due at the same tick
//!   in the order they were added. Each timer is returned once.
//! - `next_timeout(now)` is what the loop gives `poll`: how long from `now`
//!   until the tick the earliest pending timer is due at (zero if that is
//!   already past), or `None` when no timer is pending.
//!
//! `now` never goes back from one call to the next. Two cases make a
//! wheel harder than it looks, and the tests try both. A timer due more
//! than one turn of the wheel ahead shares its bucket with nearer ones: a
//! bucket's timer fires only when its own tick has come, not the first
//! time the wheel passes its bucket. And a deadline that is already past
//! when it is added (the wheel has gone by its tick) must still fire, at
//! the next call of `expired`.
//!
//! Hints: store in each bucket the tick each timer is due at, beside its
//! id; a `HashMap` of the pending ids makes `cancel` cheap, and entries of
//! cancelled timers can stay in their bucket until it is visited (the
//! heap's lazy deletion). Remember the first tick not yet visited. When
//! `now` has moved on by more than a turn, visiting each bucket once is
//! enough. For `next_timeout`, the smallest due tick among the pending
//! timers will do.

use std::time::{Duration, Instant};

/// A timer of a [`TimerWheel`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimerId(pub u64);

/// Timers in a ring of `slots` buckets, one per tick of length `tick`.
#[derive(Debug)]
pub struct TimerWheel {
    // Your fields here: the buckets, and what else the wheel must
    // remember between two calls.
}

impl TimerWheel {
    /// An empty wheel whose tick 0 is `start`; `tick` and `slots` are more
    /// than zero.
    pub fn new(start: Instant, tick: Duration, slots: usize) -> TimerWheel {
        let _ = (start, tick, slots);
        todo!("the buckets, and the first tick not yet visited")
    }

    /// Adds a timer for `deadline`; it is due at the first tick at or
    /// after it.
    pub fn add(&mut self, deadline: Instant) -> TimerId {
        let _ = deadline;
        todo!("round the deadline up to a tick, and put it in its bucket")
    }

    /// Cancels a pending timer; `false` if `id` is not pending.
    pub fn cancel(&mut self, id: TimerId) -> bool {
        let _ = id;
        todo!("forget the timer; its entry may stay in its bucket")
    }

    /// Removes and returns the timers due at or before `now`, earliest
    /// tick first, and in the order they were added within a tick.
    pub fn expired(&mut self, now: Instant) -> Vec<TimerId> {
        let _ = now;
        todo!("visit the buckets of the ticks that have come")
    }

    /// How long `poll` may sleep from `now`: until the tick of the
    /// earliest pending timer (zero if past); `None` without timers.
    pub fn next_timeout(&self, now: Instant) -> Option<Duration> {
        let _ = now;
        todo!("the earliest due tick, as a time from now")
    }
}

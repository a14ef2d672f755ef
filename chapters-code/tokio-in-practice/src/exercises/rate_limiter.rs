//! Exercise: a rate limiter.
//!
//! A service lets you call it ten times a second, and short bursts are
//! fine. Write a *token bucket*: the bucket holds at most `burst` tokens
//! and starts full; a new token drips in every `interval`; each call to
//! `acquire` takes a token, and when the bucket is empty, waits (without
//! blocking the thread) until the next token drips in. Tokens that would
//! overflow a full bucket are lost, so after a long pause a caller gets at
//! most `burst` calls at once, never more.
//!
//! Use tokio's clock, `tokio::time::Instant` and `tokio::time::sleep` or
//! `sleep_until`, not `std::time`: the tests run in paused time, where
//! tokio's clock jumps and the wall clock does not, and they check the
//! exact moment of every call.
//!
//! Hint: no timer needs to drip the tokens in. Keep `tokens` and the
//! moment they were last counted; on each `acquire`, add the whole
//! intervals that have passed since then (no more than fit in the bucket),
//! and if none is left, sleep until the next one is due.

use std::time::Duration;

/// A token bucket.
#[derive(Debug)]
pub struct RateLimiter {
    // Your fields here.
}

impl RateLimiter {
    /// A full bucket of `burst` tokens, one more every `interval`.
    ///
    /// # Panics
    /// If `burst` is 0 or `interval` is zero.
    pub fn new(interval: Duration, burst: u32) -> RateLimiter {
        let _ = (interval, burst);
        todo!("a full bucket")
    }

    /// Takes a token, waiting for one if the bucket is empty.
    pub async fn acquire(&mut self) {
        todo!("take a token, or wait until one drips in")
    }
}

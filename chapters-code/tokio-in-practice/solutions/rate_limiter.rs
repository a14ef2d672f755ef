//! Solution: a rate limiter, as a token bucket counted lazily.
//!
//! No timer drips tokens in. The bucket remembers how many tokens it held
//! at a moment `counted`; when asked, it adds the whole intervals that have
//! passed since (at most up to `burst`), and moves `counted` forward by
//! exactly those intervals, so that a part of an interval is not lost.

use std::time::Duration;

use tokio::time::{Instant, sleep_until};

/// A token bucket.
#[derive(Debug)]
pub struct RateLimiter {
    interval: Duration,
    burst: u32,
    tokens: u32,
    counted: Instant,
}

impl RateLimiter {
    /// A full bucket of `burst` tokens, one more every `interval`.
    ///
    /// # Panics
    /// If `burst` is 0 or `interval` is zero.
    pub fn new(interval: Duration, burst: u32) -> RateLimiter {
        assert!(burst > 0, "a bucket holds at least one token");
        assert!(!interval.is_zero(), "tokens drip in at some interval");
        RateLimiter {
            interval,
            burst,
            tokens: burst,
            counted: Instant::now(),
        }
    }

    /// Takes a token, waiting for one if the bucket is empty.
    pub async fn acquire(&mut self) {
        self.refill();
        if self.tokens == 0 {
            // The next token drips in one interval after `counted`.
            sleep_until(self.counted + self.interval).await;
            self.refill();
        }
        self.tokens -= 1;
    }

    /// Adds the tokens that dripped in since `counted`.
    fn refill(&mut self) {
        let now = Instant::now();
        if self.tokens == self.burst {
            // A full bucket overflows: only the present counts.
            self.counted = now;
            return;
        }
        let passed = now - self.counted;
        let whole = passed.as_nanos() / self.interval.as_nanos();
        let whole = u32::try_from(whole).unwrap_or(u32::MAX);
        let added = whole.min(self.burst - self.tokens);
        self.tokens += added;
        if self.tokens == self.burst {
            self.counted = now;
        } else {
            self.counted += self.interval * added;
        }
    }
}

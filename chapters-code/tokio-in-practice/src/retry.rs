//! Retrying with exponential backoff: try, and on failure or timeout wait
//! `first_delay`, then twice that, and so on. A schedule like this is what
//! paused time makes testable: the tests check the exact moment of every
//! attempt, and take no time at all.

use std::future::Future;
use std::io;
use std::time::Duration;

use tokio::time::{sleep, timeout};

/// How to retry.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    /// How many attempts in all.
    pub attempts: u32,
    /// The wait after the first failure; it doubles after each failure.
    pub first_delay: Duration,
    /// How long one attempt may take before it counts as failed.
    pub per_try: Duration,
}

// ANCHOR: retry
/// Calls `attempt` until it succeeds or `backoff.attempts` have failed;
/// returns the last error. An attempt that takes longer than
/// `backoff.per_try` is dropped (cancelled) and fails with `TimedOut`.
pub async fn retry<T, F, Fut>(backoff: Backoff, mut attempt: F) -> io::Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = io::Result<T>>,
{
    let mut delay = backoff.first_delay;
    let mut tried = 0;
    loop {
        tried += 1;
        let error = match timeout(backoff.per_try, attempt()).await {
            Ok(Ok(value)) => return Ok(value),
            Ok(Err(e)) => e,
            Err(_elapsed) => io::Error::from(io::ErrorKind::TimedOut),
        };
        if tried >= backoff.attempts {
            return Err(error);
        }
        sleep(delay).await;
        delay *= 2;
    }
}
// ANCHOR_END: retry

//! Helpers shared by the integration tests.

use std::time::{Duration, Instant};

pub use support::guard::take_turns;

/// How long a test may keep retrying to see something that is likely but not
/// certain on any one attempt (a race, a reordering). Generous, so that a
/// busy machine does not make the test fail; a quiet one needs a fraction of
/// a second.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// Calls `attempt` until it returns `Some`, for at most `PATIENCE`; returns
/// that value and the number of attempts, or `None` if time ran out.
pub fn keep_trying<T>(
    mut attempt: impl FnMut() -> Option<T>,
) -> Option<(T, u32)> {
    let start = Instant::now();
    let mut attempts = 0;
    while start.elapsed() < PATIENCE {
        attempts += 1;
        if let Some(found) = attempt() {
            return Some((found, attempts));
        }
    }
    None
}

//! The book's solution to the exercise in `src/exercises/percentiles.rs`.

use std::time::Duration;

/// The numbers the load generator reports about latencies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
    pub mean: Duration,
}

/// Summarises `latencies` (in any order); `None` if there are none.
pub fn summarize(latencies: &[Duration]) -> Option<Summary> {
    if latencies.is_empty() {
        return None;
    }
    let mut sorted = latencies.to_vec();
    sorted.sort_unstable();
    let n = sorted.len();
    let at = |p: f64| -> Duration {
        // Nearest rank, counted from 1; never below the first value.
        let rank = ((p / 100.0) * n as f64).ceil() as usize;
        sorted[rank.clamp(1, n) - 1]
    };
    let total: Duration = sorted.iter().sum();
    Some(Summary {
        p50: at(50.0),
        p99: at(99.0),
        max: *sorted.last()?,
        mean: total / u32::try_from(n).ok()?,
    })
}

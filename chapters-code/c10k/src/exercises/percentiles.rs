//! Exercise: percentiles, and why the mean hides what users feel.
//!
//! The load generator reports the median (p50), the 99th percentile (p99)
//! and the maximum of the echo latencies, never their mean. Write the
//! summary it prints, from a list of latencies in any order.
//!
//! Use the *nearest-rank* definition: the p-th percentile of n sorted
//! values is the value at rank `ceil(p / 100 * n)` (ranks count from 1),
//! so that it is always one of the measured values. For `[1, 2, 3, 4]`,
//! p50 is 2 (rank 2), p99 is 4 (rank 4); for one value, every percentile
//! is that value. An empty list has no summary.
//!
//! Then look at what the tests feed it: a run where 98 of 100 echoes take
//! 1 ms and two take 500 ms has a mean of about 11 ms, which no echo took,
//! while p50 says 1 ms and p99 says 500 ms: what most clients saw, and
//! what the unlucky ones saw.

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
    let _ = latencies;
    todo!("sort a copy, then pick values by nearest rank")
}

//! Cell `fixes`: the count of `lost_update` made correct three
//! ways (a Mutex, an atomic fetch_add, a count per thread), each timed in the
//! same run, next to the racy version.
//@ [[vary]]
//@ what = "racy total"
//@ pattern = 'store \(racy\)( +[\d,]+)'
//@ [[vary]]
//@ what = "measured"
//@ pattern = '( *\d+\.\d+)'
// HIDE_START
use std::time::{Duration, Instant};

use shared_state::fixes::{atomic_count, local_count, mutex_count};
use shared_state::grouped;
use shared_state::lost_update::racy_count;
use support::bars::BarChart;
// HIDE_END

/// How many threads count...
const THREADS: usize = 2;
/// ...and how many times each thread adds 1.
const PER_THREAD: u64 = 1_000_000;
/// Each way is timed this many times, and the middle run (the median) is
/// shown: a typical run, neither the luckiest nor the most disturbed.
const TRIES: usize = 5;
/// A way to count: (threads, additions per thread) -> the final count.
type Count = fn(usize, u64) -> u64;

fn main() -> std::io::Result<()> {
    let ways: [(&str, Count); 4] = [
        ("separate load and store (racy)", racy_count),
        ("Mutex", mutex_count),
        ("atomic fetch_add", atomic_count),
        ("a count per thread, summed", local_count),
    ];
    println!(
        "{THREADS} threads, {} additions each: {} expected.",
        grouped(PER_THREAD),
        grouped(THREADS as u64 * PER_THREAD)
    );
    println!(
        "\n{:<32}{:>11}{:>11}{:>14}",
        "", "total", "time (ms)", "vs fetch_add"
    );
    let mut results = Vec::new();
    for (name, count) in ways {
        let (total, time) = median_of(TRIES, || count(THREADS, PER_THREAD));
        results.push((name, total, time));
    }
    let atomic = results[2].2.as_secs_f64();
    for &(name, total, time) in &results {
        println!(
            "{name:<32}{:>11}{:>11.1}{:>13.2}x",
            grouped(total),
            time.as_secs_f64() * 1e3,
            time.as_secs_f64() / atomic
        );
    }
    let mutex = results[1].2.as_secs_f64();
    println!(
        "\nThe Mutex took {:.1} times as long as fetch_add.",
        mutex / atomic
    );

    BarChart {
        title: "The same count, four ways: median time of 5 runs".into(),
        y_desc: "milliseconds".into(),
        bars: results
            .iter()
            .map(|(name, _, time)| (name.to_string(), time.as_secs_f64() * 1e3))
            .collect(),
        line: None,
        decimals: 1,
    }
    .show("fixes-time")
}

// HIDE_START
/// Runs `count` `tries` times; returns the total and the time of the median
/// run.
fn median_of(tries: usize, count: impl Fn() -> u64) -> (u64, Duration) {
    let mut runs: Vec<(u64, Duration)> = (0..tries)
        .map(|_| {
            let start = Instant::now();
            let total = count();
            (total, start.elapsed())
        })
        .collect();
    runs.sort_by_key(|&(_, time)| time);
    runs[tries / 2]
}
// HIDE_END

//! Cell `lost_update`: two threads each add 1 to one counter a
//! million times, with a separate read and write, and updates get lost: a
//! different number every run. Then the same loss, forced, step by step.
//@ runs = 100
//@ [[vary]]
//@ what = "count"
//@ pattern = 'final count( +[\d,]+), +lost( +[\d,]+)'
// HIDE_START
use shared_state::grouped;
use shared_state::lost_update::{forced_lost_update, racy_count};
use support::bars::BarChart;
// HIDE_END

/// How many threads add to the counter...
const THREADS: usize = 2;
/// ...and how many times each thread adds 1.
const PER_THREAD: u64 = 1_000_000;
/// How many times the whole count is run.
const RUNS: usize = 8;

fn main() -> std::io::Result<()> {
    let expected = THREADS as u64 * PER_THREAD;
    println!(
        "{THREADS} threads each add 1 to a shared counter {} times: {} \
         expected.",
        grouped(PER_THREAD),
        grouped(expected)
    );
    let mut bars = Vec::new();
    for run in 1..=RUNS {
        let total = racy_count(THREADS, PER_THREAD);
        println!(
            "  run {run}: final count {:>9}, lost {:>9}",
            grouped(total),
            grouped(expected - total)
        );
        bars.push((format!("run {run}"), total as f64));
    }

    // The same loss, made to happen: A reads, then B adds 3 times, then A
    // writes what it read plus one.
    let b_adds = 3;
    let (total, steps) = forced_lost_update(b_adds);
    println!("\nForced: A reads, B adds {b_adds} times, then A writes.");
    println!("  step  thread  does        counter afterwards");
    for (n, step) in steps.iter().enumerate() {
        println!(
            "  {:>4}  {:<6}  {:<10}  {}",
            n + 1,
            step.thread,
            step.action,
            step.counter
        );
    }
    println!(
        "Final count {total}, where {} additions were made: {} lost.",
        b_adds + 1,
        b_adds + 1 - total
    );

    BarChart {
        title: "Final count of each run, and the count expected".into(),
        y_desc: "final count".into(),
        bars,
        line: Some((
            format!("expected {}", grouped(expected)),
            expected as f64,
        )),
        decimals: 0,
    }
    .show("lost-updates")
}

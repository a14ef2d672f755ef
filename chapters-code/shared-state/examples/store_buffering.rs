//! Cell `store_buffering`: the store-buffering litmus test, run
//! many times with each memory ordering, and the outcomes counted. With
//! Relaxed (and Release/Acquire) both threads sometimes read 0, which no
//! interleaving of the program's lines allows; with SeqCst, never.
//@ runs = 20
//@ timeout = 30
//@ [[vary]]
//@ what = "count"
//@ pattern = 'r1 = 0, r2 = 0( +[\d,]+)( +[\d,]+)'
//@ [[vary]]
//@ what = "count"
//@ pattern = 'r1 = (?:0, r2 = 1|1, r2 = 0|1, r2 = 1)( +[\d,]+)( +[\d,]+)( +[\d,]+)'
//@ [[vary]]
//@ what = "share"
//@ pattern = '([\d.]+)% of the Relaxed'
//@ [[vary]]
//@ what = "cores"
//@ pattern = 'runs (\d+) threads at once'
// HIDE_START
use shared_state::grouped;
use shared_state::ordering::{
    Order, Outcomes, has_parallel_cores, store_buffering,
};
use support::bars::BarChart;
// HIDE_END

/// Trials per ordering.
const TRIALS: usize = 500_000;

fn main() -> std::io::Result<()> {
    println!("Thread A: x = 1; r1 = y        Thread B: y = 1; r2 = x");
    println!(
        "x and y start at 0. {} trials per ordering.",
        grouped(TRIALS as u64)
    );
    let parallel = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("This machine runs {parallel} threads at once.");
    if !has_parallel_cores() {
        println!(
            "With one core the reordering cannot show: expect no r1 = r2 = 0."
        );
    }

    let outcomes: Vec<(Order, Outcomes)> = Order::ALL
        .iter()
        .map(|&order| (order, store_buffering(order, TRIALS)))
        .collect();

    println!(
        "\n{:<16}{:>10}{:>17}{:>10}",
        "outcome", "Relaxed", "Release/Acquire", "SeqCst"
    );
    for (r1, r2) in [(0, 0), (0, 1), (1, 0), (1, 1)] {
        print!("r1 = {r1}, r2 = {r2}  ");
        for (i, (_, counts)) in outcomes.iter().enumerate() {
            let width = if i == 1 { 17 } else { 10 };
            print!("{:>width$}", grouped(counts.of(r1, r2)));
        }
        println!();
    }

    let both_zero = |i: usize| outcomes[i].1.of(0, 0);
    println!(
        "\nBoth read 0 in {:.2}% of the Relaxed trials, and in {} of the SeqCst ones.",
        100.0 * both_zero(0) as f64 / TRIALS as f64,
        grouped(both_zero(2)),
    );

    BarChart {
        title: "Store buffering: trials in which both threads read 0".into(),
        y_desc: "trials".into(),
        bars: outcomes
            .iter()
            .map(|(order, counts)| {
                (order.name().to_string(), counts.of(0, 0) as f64)
            })
            .collect(),
        line: None,
        decimals: 0,
    }
    .show("store-buffering")
}

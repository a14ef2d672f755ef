//! Cell `uniform_rounds`: 64 equal tasks (fib(26) each) one
//! thread, hand-chunked and with rayon, timed in rotating rounds so that
//! the three are compared under the same conditions, round by round.
//@ timeout = 30
//@ [[vary]]
//@ what = "cores"
//@ pattern = 'on (\d+) cores'
//@ [[vary]]
//@ what = "ratios"
//@ pattern = '(\d+\.\d+)'
// HIDE_START
use std::cell::Cell;
use std::thread::available_parallelism;

use data_parallelism::rounds::{median, range, ratios, rotating_rounds};
use data_parallelism::three_ways::{chunked, sequential, with_rayon};
use data_parallelism::work::fib;
// HIDE_END

const ROUNDS: usize = 201;

fn main() {
    let cores = available_parallelism().map_or(2, |n| n.get());
    let tasks = vec![26u32; 64];
    println!("64 x fib(26) on {cores} cores, {ROUNDS} rotating rounds");
    // Warm up: start rayon's workers before timing.
    with_rayon(&tasks[..2], |&n| fib(n));

    let expected = sequential(&tasks, |&n| fib(n));
    // Every round checks both parallel versions against one thread.
    let same = Cell::new(true);
    let mut one = || {
        std::hint::black_box(sequential(&tasks, |&n| fib(n)));
    };
    let mut by_hand = || {
        same.set(same.get() && chunked(&tasks, cores, |&n| fib(n)) == expected);
    };
    let mut by_rayon = || {
        same.set(same.get() && with_rayon(&tasks, |&n| fib(n)) == expected);
    };
    let mut versions: [&mut dyn FnMut(); 3] =
        [&mut one, &mut by_hand, &mut by_rayon];
    let times = rotating_rounds(ROUNDS, &mut versions);

    let chunked_speedup = ratios(&times[0], &times[1]);
    let rayon_speedup = ratios(&times[0], &times[2]);
    let hand_over_rayon = ratios(&times[1], &times[2]);
    println!("                   slowest round   median   fastest round");
    for (what, r) in [
        ("chunked, speedup", &chunked_speedup),
        ("rayon, speedup  ", &rayon_speedup),
    ] {
        let (lo, hi) = range(r);
        println!(
            "{what}       {lo:.2}x        {:.2}x       {hi:.2}x",
            median(r)
        );
    }
    println!(
        "chunked time / rayon time, median of the rounds: {:.2}",
        median(&hand_over_rayon)
    );
    println!("same results all three ways, every round: {}", same.get());
}

//! Cell `fib_three_ways`: six naive Fibonacci computations,
//! fib(30) to fib(35), on one thread, on hand-chunked std threads (one
//! contiguous chunk per core) and with rayon's `par_iter`.
//@ timeout = 30
//@ [[vary]]
//@ what = "cores"
//@ pattern = 'on (\d+) cores'
//@ [[vary]]
//@ what = "time"
//@ pattern = '(\d+) ms'
//@ [[vary]]
//@ what = "speedup"
//@ pattern = '(\d+\.\d+)x'
//@ [[vary]]
//@ what = "chunk"
//@ pattern = 'chunk \d+: (fib\([\d, ]+\))'
// HIDE_START
use std::thread::available_parallelism;

use data_parallelism::memory::best_of;
use data_parallelism::three_ways::{chunked, sequential, with_rayon};
use data_parallelism::work::fib;
// HIDE_END

fn main() {
    // One thread per core, and rayon's global pool has as many workers.
    let cores = available_parallelism().map_or(2, |n| n.get());
    let inputs: Vec<u32> = (30..=35).collect();
    println!("fib(30) to fib(35) on {cores} cores, best of 5 runs");
    // Warm up: start rayon's workers and the CPU's clock before timing.
    with_rayon(&inputs[..2], |&n| fib(n));

    // Each version runs five times; the fastest run is the one least
    // disturbed by other programs on the machine.
    let (expected, seq) = best_of(5, || sequential(&inputs, |&n| fib(n)));
    let (by_hand, hand) = best_of(5, || chunked(&inputs, cores, |&n| fib(n)));
    let (by_rayon, ray) = best_of(5, || with_rayon(&inputs, |&n| fib(n)));

    let speedup = |d: std::time::Duration| seq.as_secs_f64() / d.as_secs_f64();
    println!("sequential:   {:>4} ms", seq.as_millis());
    println!(
        "chunked:      {:>4} ms  ({:.2}x)",
        hand.as_millis(),
        speedup(hand)
    );
    println!(
        "rayon:        {:>4} ms  ({:.2}x)",
        ray.as_millis(),
        speedup(ray)
    );
    for (i, chunk) in inputs.chunks(inputs.len().div_ceil(cores)).enumerate() {
        let list: Vec<String> = chunk.iter().map(|n| n.to_string()).collect();
        println!("  chunk {i}: fib({})", list.join(", "));
    }
    println!(
        "same results all three ways: {}",
        expected == by_hand && expected == by_rayon
    );
}

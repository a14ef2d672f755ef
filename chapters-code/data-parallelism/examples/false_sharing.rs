//! Cell `false_sharing`: two threads, each adding 1 to its own
//! counter fifty million times; the counters side by side in one cache
//! line, then each padded to its own.
//@ timeout = 30
//@ [[vary]]
//@ what = "time"
//@ pattern = '(\d+) ms'
//@ [[vary]]
//@ what = "ratio"
//@ pattern = '(\d+\.\d+)x'
// HIDE_START
use std::time::Instant;

use data_parallelism::false_sharing::{
    Adjacent, Padded, cache_line_of, hammer,
};
// HIDE_END

const THREADS: usize = 2;
const INCREMENTS: u64 = 50_000_000;

fn main() {
    let adjacent = Adjacent::default();
    let padded = Padded::default();
    let (all_a, all_p) = (adjacent.refs(), padded.refs());
    // Thread i uses counter i.
    let (a, p) = (&all_a[..THREADS], &all_p[..THREADS]);
    let line = |c: &[&std::sync::atomic::AtomicU64]| {
        let lines: Vec<usize> = c.iter().map(|x| cache_line_of(*x)).collect();
        if lines.windows(2).all(|w| w[0] == w[1]) {
            "one line"
        } else {
            "separate lines"
        }
    };
    println!("{THREADS} threads, {INCREMENTS} increments each");
    println!(
        "adjacent counters are {} bytes apart: {}",
        p_gap(&all_a),
        line(&all_a[..2])
    );
    println!(
        "padded counters are {} bytes apart: {}",
        p_gap(&all_p),
        line(&all_p[..2])
    );

    let start = Instant::now();
    let counts = hammer(a, INCREMENTS);
    let shared_line = start.elapsed();
    assert!(counts.iter().all(|&c| c == INCREMENTS));
    let start = Instant::now();
    let counts = hammer(p, INCREMENTS);
    let own_lines = start.elapsed();
    assert!(counts.iter().all(|&c| c == INCREMENTS));

    println!("one shared line: {:>5} ms", shared_line.as_millis());
    println!("own lines:       {:>5} ms", own_lines.as_millis());
    println!(
        "sharing a line made it {:.2}x slower",
        shared_line.as_secs_f64() / own_lines.as_secs_f64()
    );
}

/// The distance in bytes between the first two counters.
fn p_gap(c: &[&std::sync::atomic::AtomicU64]) -> usize {
    (c[1] as *const _ as usize) - (c[0] as *const _ as usize)
}

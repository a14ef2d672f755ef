//! Cell `cache_padded`: how big and how aligned `CachePadded`
//! is on this machine, and what it changes for two threads that each
//! increment their own counter.
//@ timeout = 60
//@ [[vary]]
//@ what = "time"
//@ pattern = '(\d+\.\d) ms'
//@ [[vary]]
//@ what = "ratio"
//@ pattern = '(\d+\.\d)x'
// HIDE_START
use std::mem::{align_of, size_of};
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use crossbeam_tools::padded::{Adjacent, Padded, distance, hammer};
use crossbeam_utils::CachePadded;
// HIDE_END

const N: u64 = 10_000_000;

fn main() {
    println!(
        "AtomicU64: size {} bytes, alignment {}",
        size_of::<AtomicU64>(),
        align_of::<AtomicU64>()
    );
    println!(
        "CachePadded<AtomicU64>: size {} bytes, alignment {} ({})",
        size_of::<CachePadded<AtomicU64>>(),
        align_of::<CachePadded<AtomicU64>>(),
        std::env::consts::ARCH
    );
    let adjacent = Adjacent::default();
    let padded = Padded::default();
    println!(
        "distance between the two counters: adjacent {} bytes, padded {} bytes",
        distance(&adjacent.a, &adjacent.b),
        distance(&*padded.a, &*padded.b)
    );

    // Best of three for each layout, alternating.
    let mut slow = Duration::MAX;
    let mut fast = Duration::MAX;
    for _ in 0..3 {
        let adjacent = Adjacent::default();
        slow = slow.min(hammer(&adjacent.a, &adjacent.b, N));
        let padded = Padded::default();
        fast = fast.min(hammer(&padded.a, &padded.b, N));
    }
    println!("two threads, {N} increments each, best of 3:");
    println!("  adjacent counters: {:>7.1} ms", slow.as_secs_f64() * 1e3);
    println!("  padded counters:   {:>7.1} ms", fast.as_secs_f64() * 1e3);
    println!(
        "padding made it {:.1}x faster",
        slow.as_secs_f64() / fast.as_secs_f64()
    );
}

//! Cell `memory_bound_sum`: adding up 128 MiB of `u64`, on one
//! thread and with rayon, with the bytes per second each reached; and, for
//! contrast, a compute-bound map of the same shape.
//@ timeout = 30
//@ [[vary]]
//@ what = "cores"
//@ pattern = 'on (\d+) cores'
//@ [[vary]]
//@ what = "time"
//@ pattern = '(\d+\.\d) ms'
//@ [[vary]]
//@ what = "bandwidth"
//@ pattern = '(-?\d+\.\d) GB/s'
//@ [[vary]]
//@ what = "speedup"
//@ pattern = '(\d+\.\d+)x'
//@ [[vary]]
//@ what = "cores fed"
//@ pattern = 'enough for (\d+\.\d) cores'
// HIDE_START
use std::thread::available_parallelism;

use data_parallelism::memory::{
    best_of, data, f64_sum_in_order, f64_sum_in_two_halves, gb_per_s, heavy,
    sum_parallel, sum_sequential,
};
use rayon::prelude::*;
// HIDE_END

const MIB: usize = 1 << 20;

fn main() {
    let cores = available_parallelism().map_or(2, |n| n.get());
    let bytes = 128 * MIB;
    let numbers = data(bytes / 8);
    println!(
        "summing {} MiB of u64 on {cores} cores, best of 10 runs",
        bytes / MIB
    );

    let (a, seq) = best_of(10, || sum_sequential(&numbers));
    let (b, par) = best_of(10, || sum_parallel(&numbers));
    assert_eq!(a, b, "integer sums do not depend on the order");
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    println!(
        "sequential sum: {:>6.1} ms = {:>5.1} GB/s",
        ms(seq),
        gb_per_s(bytes, seq)
    );
    println!(
        "rayon sum:      {:>6.1} ms = {:>5.1} GB/s",
        ms(par),
        gb_per_s(bytes, par)
    );
    println!(
        "memory-bound speedup:  {:.2}x",
        seq.as_secs_f64() / par.as_secs_f64()
    );
    println!(
        "rayon's threads added {:.1} GB/s to one thread's {:.1} GB/s",
        gb_per_s(bytes, par) - gb_per_s(bytes, seq),
        gb_per_s(bytes, seq)
    );
    // A model, not a measurement, and not of this machine: two channels of
    // DDR4-3200 peak at 2 x 3200 million transfers/s x 8 bytes = 51.2 GB/s.
    // That many bytes a second would feed this many cores reading as fast
    // as one core did here.
    let cores_fed = 51.2 / gb_per_s(bytes, seq);
    println!(
        "model: 2 channels of DDR4-3200 peak at 51.2 GB/s, enough for {cores_fed:.1} cores at that rate"
    );

    // The same shape of loop, but 200 rounds of arithmetic per element:
    // the bytes are the same, the work per byte is not.
    let few = &numbers[..MIB / 4];
    let (c, seq) = best_of(3, || {
        few.iter().map(|&x| heavy(x)).fold(0, u64::wrapping_add)
    });
    let (d, par) = best_of(3, || {
        few.par_iter()
            .map(|&x| heavy(x))
            .reduce(|| 0, u64::wrapping_add)
    });
    assert_eq!(c, d);
    println!(
        "compute-bound speedup: {:.2}x",
        seq.as_secs_f64() / par.as_secs_f64()
    );

    // Floating point: the order of additions changes the last digits.
    let tenths = vec![0.1f64; 10_000_000];
    println!(
        "ten million times 0.1, left to right: {:.9}",
        f64_sum_in_order(&tenths)
    );
    println!(
        "ten million times 0.1, in two halves: {:.9}",
        f64_sum_in_two_halves(&tenths)
    );
}

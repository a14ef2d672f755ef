//! Sequential, hand-chunked and rayon versions of the chapter's workloads,
//! side by side: uniform tasks, uneven tasks (Fibonacci, Mandelbrot rows),
//! a memory-bound sum, and a recursive `join` sum with and without a
//! cutoff. `cargo book measure --bench
//! data-parallelism/speedup` stores the medians the chapter shows.

use std::hint::black_box;
use std::thread::available_parallelism;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use data_parallelism::memory::{data, sum_parallel, sum_sequential};
use data_parallelism::recursion::join_sum;
use data_parallelism::three_ways::{chunked, sequential, with_rayon};
use data_parallelism::work::{Frame, fib, mandelbrot_row};

fn bench(c: &mut Criterion) {
    let cores = available_parallelism().map_or(2, |n| n.get());

    // 64 equal tasks: a count-based split is already balanced.
    let uniform = vec![25u32; 64];
    let mut g = c.benchmark_group("uniform: 64 x fib(25)");
    g.bench_function("sequential", |b| {
        b.iter(|| sequential(black_box(&uniform), |&n| fib(n)))
    });
    g.bench_function("chunked std threads", |b| {
        b.iter(|| chunked(black_box(&uniform), cores, |&n| fib(n)))
    });
    g.bench_function("rayon par_iter", |b| {
        b.iter(|| with_rayon(black_box(&uniform), |&n| fib(n)))
    });
    // More threads than cores: they only take turns on the same cores.
    let crowded = rayon::ThreadPoolBuilder::new()
        .num_threads(8 * cores)
        .build()
        // Fails only if the OS refuses to start the threads.
        .expect("the OS starts the pool's threads");
    g.bench_function("rayon, 8 threads per core", |b| {
        b.iter(|| {
            crowded.install(|| with_rayon(black_box(&uniform), |&n| fib(n)))
        })
    });
    g.finish();

    // Uneven: each task costs about 1.6 times the one before.
    let uneven: Vec<u32> = (25..=30).collect();
    let mut g = c.benchmark_group("uneven: fib(25) to fib(30)");
    g.bench_function("sequential", |b| {
        b.iter(|| sequential(black_box(&uneven), |&n| fib(n)))
    });
    g.bench_function("chunked std threads", |b| {
        b.iter(|| chunked(black_box(&uneven), cores, |&n| fib(n)))
    });
    g.bench_function("rayon par_iter", |b| {
        b.iter(|| with_rayon(black_box(&uneven), |&n| fib(n)))
    });
    g.finish();

    // Mandelbrot rows: the lower rows cost the most.
    let frame = Frame::chapter(320, 180, 500);
    let rows: Vec<usize> = (0..frame.height).collect();
    let mut g = c.benchmark_group("Mandelbrot, 180 rows");
    g.bench_function("sequential", |b| {
        b.iter(|| sequential(&rows, |&r| mandelbrot_row(&frame, r)))
    });
    g.bench_function("chunked std threads", |b| {
        b.iter(|| chunked(&rows, cores, |&r| mandelbrot_row(&frame, r)))
    });
    g.bench_function("rayon par_iter", |b| {
        b.iter(|| with_rayon(&rows, |&r| mandelbrot_row(&frame, r)))
    });
    g.finish();

    // Memory-bound: 64 MiB of u64.
    let numbers = data(8 << 20);
    let mut g = c.benchmark_group("memory-bound: sum of 64 MiB");
    g.bench_function("sequential", |b| {
        b.iter(|| sum_sequential(black_box(&numbers)))
    });
    g.bench_function("rayon par_iter", |b| {
        b.iter(|| sum_parallel(black_box(&numbers)))
    });
    g.finish();

    // Recursion with join: all the way down, or with a cutoff.
    let four_million = data(1 << 22);
    let mut g = c.benchmark_group("recursive sum of 4,194,304 numbers");
    g.bench_function("plain loop", |b| {
        b.iter(|| sum_sequential(black_box(&four_million)))
    });
    g.bench_function("join, no cutoff", |b| {
        b.iter(|| join_sum(black_box(&four_million), 1))
    });
    g.bench_function("join, cutoff 4096", |b| {
        b.iter(|| join_sum(black_box(&four_million), 4096))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1))
        .sample_size(10);
    targets = bench
}
criterion_main!(benches);

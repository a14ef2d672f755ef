//! The chapter's work-stealing pool against rayon's, both with 2 threads,
//! on a tree of jobs (a recursive Fibonacci number, sequential below a
//! cut-off) and on a flat batch of many small jobs. `cargo book measure
//! --bench crossbeam-tools/pool_vs_rayon` stores the medians.

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use crossbeam_tools::pool::{Pool, Spawner};

const N: u32 = 30;
/// Below this, plain recursion: a job per call would be all overhead.
const CUTOFF: u32 = 15;
const JOBS: u64 = 1_000;

fn fib_seq(n: u32) -> u64 {
    if n < 2 {
        n as u64
    } else {
        fib_seq(n - 1) + fib_seq(n - 2)
    }
}

fn fib_pool(pool: &Spawner, n: u32) -> u64 {
    if n < CUTOFF {
        return fib_seq(n);
    }
    let (p1, p2) = (pool.clone(), pool.clone());
    let (a, b) =
        pool.join(move || fib_pool(&p1, n - 1), move || fib_pool(&p2, n - 2));
    a + b
}

fn fib_rayon(n: u32) -> u64 {
    if n < CUTOFF {
        return fib_seq(n);
    }
    let (a, b) = rayon::join(|| fib_rayon(n - 1), || fib_rayon(n - 2));
    a + b
}

/// A small job: adds up a few hundred numbers.
fn small(i: u64) -> u64 {
    (0..black_box(200 + i % 7)).sum()
}

fn bench(c: &mut Criterion) {
    let ours = Pool::new(2).expect("two threads can start");
    let rayon = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .expect("two threads can start");

    let mut g = c.benchmark_group("fib(30), jobs down to fib(15)");
    g.bench_function("sequential", |b| b.iter(|| fib_seq(black_box(N))));
    g.bench_function("our pool, join", |b| {
        let spawner = ours.spawner();
        b.iter(|| {
            let s = spawner.clone();
            // Run from inside the pool, as rayon's `install` does below.
            // `fib_pool` cannot panic, so neither can `join`.
            ours.spawn(move || fib_pool(&s, black_box(N)))
                .join()
                .unwrap()
        })
    });
    g.bench_function("rayon, join", |b| {
        b.iter(|| rayon.install(|| fib_rayon(black_box(N))))
    });
    g.finish();

    let mut g = c.benchmark_group("1,000 small jobs");
    g.bench_function("our pool, spawn + join each", |b| {
        b.iter(|| {
            let handles: Vec<_> =
                (0..JOBS).map(|i| ours.spawn(move || small(i))).collect();
            // `small` cannot panic.
            handles.into_iter().map(|h| h.join().unwrap()).sum::<u64>()
        })
    });
    g.bench_function("rayon, scope + spawn", |b| {
        b.iter(|| {
            let total = AtomicU64::new(0);
            rayon.scope(|s| {
                for i in 0..JOBS {
                    let total = &total;
                    s.spawn(move |_| {
                        total.fetch_add(small(i), Ordering::Relaxed);
                    });
                }
            });
            total.into_inner()
        })
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

//! A thread per job against the hand-built pool: 200 tiny jobs, each adding
//! up a few numbers and reporting back. `cargo book measure --bench
//! message-passing/pool` stores the medians.

use std::hint::black_box;
use std::thread;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use message_passing::pool::ThreadPool;

const JOBS: u64 = 200;

fn job(n: u64) -> u64 {
    (0..black_box(n % 100)).sum()
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("200 tiny jobs");
    g.bench_function("a thread per job", |b| {
        b.iter(|| {
            let threads: Vec<_> =
                (0..JOBS).map(|n| thread::spawn(move || job(n))).collect();
            // `job` only adds numbers: it cannot panic.
            threads.into_iter().map(|t| t.join().unwrap()).sum::<u64>()
        });
    });
    g.bench_function("a pool of 2 workers, started once", |b| {
        let pool = ThreadPool::new(2, 64).expect("two threads can start");
        let (done, results) = crossbeam_channel::unbounded();
        b.iter(|| {
            for n in 0..JOBS {
                let done = done.clone();
                // `results` outlives the pool, and the pool has workers:
                // neither send can fail.
                pool.execute(move || done.send(job(n)).unwrap()).unwrap();
            }
            results.iter().take(JOBS as usize).sum::<u64>()
        });
    });
    g.bench_function("a pool of 2 workers, started and dropped", |b| {
        b.iter(|| {
            let pool = ThreadPool::new(2, 64).expect("two threads can start");
            let (done, results) = crossbeam_channel::unbounded();
            for n in 0..JOBS {
                let done = done.clone();
                // As above: the receiver and the workers are alive.
                pool.execute(move || done.send(job(n)).unwrap()).unwrap();
            }
            drop(pool);
            results.iter().take(JOBS as usize).sum::<u64>()
        });
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(20);
    targets = bench
}
criterion_main!(benches);

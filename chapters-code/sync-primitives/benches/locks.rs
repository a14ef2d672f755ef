//! What one increment of a shared counter costs, with no other thread
//! around (uncontended) and with two threads at it (contended): through a
//! `Mutex`, an atomic `fetch_add`, and the chapter's spinlock.
//!
//! `cargo book measure --bench sync-primitives/locks` runs it and stores the
//! medians for the chapter.

use std::hint::black_box;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use sync_primitives::spinlock::SpinLock;

/// Three ways to add one to a shared counter.
trait Counter: Sync {
    fn add(&self);
}

impl Counter for Mutex<u64> {
    fn add(&self) {
        // Nothing panics while holding it: the lock is never poisoned.
        *self.lock().unwrap() += 1;
    }
}

impl Counter for AtomicU64 {
    fn add(&self) {
        self.fetch_add(1, Ordering::Relaxed);
    }
}

impl Counter for SpinLock<u64> {
    fn add(&self) {
        *self.lock() += 1;
    }
}

/// Time per increment when `threads` threads each do `iters` increments at
/// once on the same counter.
fn per_increment(counter: &impl Counter, threads: u64, iters: u64) -> Duration {
    let start = Instant::now();
    if threads == 1 {
        // Alone: on this thread, with no other thread started.
        (0..iters).for_each(|_| black_box(counter).add());
        return start.elapsed();
    }
    thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| (0..iters).for_each(|_| black_box(counter).add()));
        }
    });
    // Total time for `iters` rounds, each round being one increment per
    // thread: the time a caller waits per increment, contention included.
    start.elapsed()
}

fn bench(c: &mut Criterion) {
    for (group, threads) in [("uncontended", 1), ("contended, 2 threads", 2)] {
        let mut g = c.benchmark_group(group);
        g.bench_function("Mutex", |b| {
            let m = Mutex::new(0);
            b.iter_custom(|iters| per_increment(&m, threads, iters));
        });
        g.bench_function("atomic fetch_add", |b| {
            let a = AtomicU64::new(0);
            b.iter_custom(|iters| per_increment(&a, threads, iters));
        });
        g.bench_function("SpinLock", |b| {
            let l = SpinLock::new(0);
            b.iter_custom(|iters| per_increment(&l, threads, iters));
        });
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .sample_size(30);
    targets = bench
}
criterion_main!(benches);
